"""Programs in the IR: statements, the events that mark failure points, control-flow graphs, and the
`Function` a front end hands to the engines; the two ways a front end declines an input."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from solomonic.errors import UserError
from solomonic.reason.ir.build import free_vars
from solomonic.reason.ir.nodes import Expr, Var


@dataclass(frozen=True)
class Assume:
    """Execution continues only where `cond` holds (branch guards, preconditions)."""

    cond: Expr


@dataclass(frozen=True)
class Assign:
    target: Var
    value: Expr


@dataclass(frozen=True)
class Havoc:
    """`target` receives an arbitrary value of its type: a nondeterministic input or an uninitialised variable."""

    target: Var
    origin: str  # e.g. "__VERIFIER_nondet_int()" or "uninitialised 'x'"


@dataclass(frozen=True)
class Call:
    """`target := callee(args)` for a callee on a recursive cycle (every other call is inlined).

    `copied_back`: (caller's variable, callee's parameter) pairs, each parameter's value at the return
    copied into the caller's variable: the memory a pointer parameter reaches is passed by value and
    result (C frontend, calls.procedure), which is exact where nothing else reaches it during the call."""

    callee: str
    args: tuple[Expr, ...]
    target: Var | None  # None: a procedure without a value, or a value not used
    copied_back: tuple[tuple[Var, Var], ...] = ()


Stmt = Assume | Assign | Havoc | Call

# ----------------------------------------------------------------------------------------------- events

EVENT_KINDS = (
    "assert",  # an assertion failed (Python assert, C assert/__VERIFIER_assert/reach_error)
    "exception",  # Python: an exception other than AssertionError escapes
    "overflow",  # C: signed integer overflow (undefined behaviour)
    "ub",  # C: other undefined behaviour (division by zero, bad shift, out-of-bounds index)
    "return-false",  # the function returned a false value
    "return",  # the function returned a true value (or no value)
    "stop",  # the program stopped normally: abort(), exit(), a failed assume_abort_if_not
    "summary",  # a recursion's unfolding: a procedure returned against the summary its callers assume
)


@dataclass(frozen=True)
class Event:
    kind: str
    line: int
    message: str
    # Python: the builtin exception class an "exception" event raises, by name, where the front end knows
    # it (its own ZeroDivisionError, IndexError, ...; `raise ValueError(...)`), so that `except` clauses are
    # matched on the class, never on the wording of the message. None: not known (or not Python).
    exception_class: str | None = None

    def __post_init__(self) -> None:
        assert self.kind in EVENT_KINDS, self.kind


# -------------------------------------------------------------------------------------------------- CFG


@dataclass(frozen=True)
class Edge:
    src: int
    dst: int
    stmt: Stmt | None  # None: an unconditional jump
    line: int


@dataclass
class Cfg:
    """Locations are integers; sinks (locations without successors) carry an `Event`."""

    entry: int = 0
    lines: list[int] = field(default_factory=list)  # location -> source line
    edges: list[Edge] = field(default_factory=list)
    events: dict[int, Event] = field(default_factory=dict)

    def new_location(self, line: int) -> int:
        self.lines.append(line)
        return len(self.lines) - 1

    def add(self, src: int, dst: int, stmt: Stmt | None, line: int) -> None:
        self.edges.append(Edge(src, dst, stmt, line))

    def sink(self, event: Event) -> int:
        loc = self.new_location(event.line)
        self.events[loc] = event
        return loc

    def successors(self) -> dict[int, list[Edge]]:
        out: dict[int, list[Edge]] = {loc: [] for loc in range(len(self.lines))}
        for e in self.edges:
            out[e.src].append(e)
        return out


@dataclass
class Input:
    """One input of the function: a parameter, or a global variable read by a non-`main` C function."""

    var: Var
    display: str  # the source-level name
    source_type: str  # the source-level type, e.g. "unsigned int", "bool"
    kind: str = "param"  # "param" | "global" | LENGTH | UNUSED | STRUCT | STRUCT_POINTER | MEMBER | NONE_FLAG


# Input kinds of C's pointer parameters (frontends/c/pointers.py): an array input (kind "param", the
# elements the pointer starts) is followed by its LENGTH, the number of elements (passed as the array's
# size, not as an argument); a parameter the body never names is UNUSED (any value of its type; the
# replay passes 0)
LENGTH = "length"
UNUSED = "unused"
# Input kinds of C's struct parameters (frontends/c/structs.py): a STRUCT (passed by value) or
# STRUCT_POINTER (the address of an object of its own) input stands for the object, its `source_type` the
# type the reproducer declares it with (its variable is a placeholder nothing reads); the MEMBER inputs
# after it are its members, each shown by its access path (`p->x`, `v.in.y`); an array member's type is
# its element type and number of elements (`int[6]`), and its value the list of them
STRUCT = "struct"
STRUCT_POINTER = "struct pointer"
MEMBER = "member"
OBJECTS = (STRUCT, STRUCT_POINTER)  # the inputs that stand for an object, not a value


def member_cells(i: Input) -> tuple[str, int] | None:
    """An array MEMBER input's element type and number of elements; None for any other input."""
    if i.kind != MEMBER or not i.source_type.endswith("]"):
        return None
    elem, _, count = i.source_type[:-1].rpartition("[")
    return elem, int(count)


@dataclass(frozen=True)
class PointerParameter:
    """A procedure's pointer parameter as parameters: where it points (`offset` elements into its object,
    unless `null` is 1) and the object itself (`contents`, `size` in elements, and for heap memory `live`),
    passed by value; each call copies `contents` and `live` back at the return (Call.copied_back)."""

    offset: Var
    null: Var
    contents: Var
    size: Var
    live: Var | None = None

    @property
    def params(self) -> tuple[Var, ...]:
        """The procedure's parameters that pass the pointer, in the order a call gives them."""
        return (self.offset, self.null, self.contents, self.size, *([self.live] if self.live is not None else []))

    @property
    def memory(self) -> tuple[Var, ...]:
        """The parameters that pass what the pointer reaches, not a value of the program's."""
        return self.params[1:]

    @property
    def copied_back(self) -> tuple[Var, ...]:
        return (self.contents, *([self.live] if self.live is not None else []))


@dataclass
class Procedure:
    """A function on a recursive cycle, lowered once. Its variables are named `name.x`; it returns by
    reaching a "return" sink with `result` set. Every variable it names is its activation's own.
    `pointers`: its pointer parameters, each a few of `params`."""

    name: str
    line: int
    params: list[Var]
    result: Var | None
    cfg: Cfg
    pointers: tuple[PointerParameter, ...] = ()

    @property
    def memory(self) -> frozenset[Var]:
        return frozenset(v for p in self.pointers for v in p.memory)


@dataclass
class Function:
    """An analysable entry point after lowering: inputs, preconditions are assume edges in `cfg`."""

    name: str
    language: str  # "python" | "c"
    file: str
    line: int
    inputs: list[Input]
    cfg: Cfg
    returns_value: bool  # whether returns-true applies
    data_model: str = ""  # C only: "ILP32" | "LP64"
    data_model_dependent: bool = False  # C only: a type whose size differs between data models is used
    replay_context: dict[str, Any] = field(default_factory=dict)  # what the language's replayer needs
    procedures: dict[str, Procedure] = field(default_factory=dict)  # the callees of `Call` statements
    # What every answer about this function rests on beyond the source, e.g. "x: int" for a Python
    # parameter without an annotation. Part of the function's identity, so of the proof memory's key.
    assumptions: tuple[str, ...] = ()

    @property
    def variables(self) -> set[Var]:
        return {i.var for i in self.inputs} | cfg_variables(self.cfg)


def cfg_variables(cfg: Cfg) -> set[Var]:
    """The variables a graph's statements read or write."""
    out: set[Var] = set()
    for e in cfg.edges:
        s = e.stmt
        if isinstance(s, (Assign, Havoc)):
            out.add(s.target)
        if isinstance(s, Assign):
            free_vars(s.value, out)
        elif isinstance(s, Assume):
            free_vars(s.cond, out)
        elif isinstance(s, Call):
            for a in s.args:
                free_vars(a, out)
            if s.target is not None:
                out.add(s.target)
    return out


class Unsupported(Exception):
    """The input uses a construct outside the supported subset; the answer is unknown."""

    def __init__(self, construct: str, file: str, line: int):
        super().__init__(f"{file}:{line}: unsupported: {construct}")
        self.construct = construct
        self.file = file
        self.line = line


class BadInput(UserError):
    """The input cannot be read or parsed at all (syntax error, wrong encoding, no such function)."""
