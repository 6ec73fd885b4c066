"""The intermediate representation shared by both frontends and every engine.

A program is lowered to one `Function` per analysed entry point: typed variables, and a control-flow
graph whose edges carry one small statement each (assume, assign, havoc). Calls are inlined by the
frontends. Failure points are sink locations tagged with an `Event` (assertion failure, exception,
signed overflow, other undefined behaviour, a false return value), so that a property is nothing more
than a choice of which events are errors.

Expressions are immutable and typed. Machine integers keep their C type (`BVType`), so the same IR can
be encoded exactly as bit-vectors or as mathematical integers with explicit wrap-around (see
`encode.py`), and evaluated concretely (see `evaluate.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from solomonic.errors import UserError

# ---------------------------------------------------------------------------------------------- types


@dataclass(frozen=True)
class IntType:
    """Unbounded mathematical integers (Python's int)."""

    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True)
class BoolType:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class BVType:
    """A C integer type: `width` bits, two's complement when `signed`."""

    width: int
    signed: bool
    c_name: str = field(default="", compare=False)

    @property
    def min(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    def wrap(self, value: int) -> int:
        """Reduce an integer modulo 2**width into this type's range (gcc's conversion rule)."""
        value &= (1 << self.width) - 1
        if self.signed and value >= 1 << (self.width - 1):
            value -= 1 << self.width
        return value

    def __str__(self) -> str:
        return self.c_name or f"{'' if self.signed else 'u'}int{self.width}"


@dataclass(frozen=True)
class ArrayType:
    """An array value: a total map from `index` to `elem` (bounds are checked by explicit events)."""

    index: Type
    elem: Type

    def __str__(self) -> str:
        return f"{self.elem}[]"


Type = IntType | BoolType | BVType | ArrayType
INT = IntType()
BOOL = BoolType()

# ------------------------------------------------------------------------------------------ expressions

ARITH_OPS = {"add", "sub", "mul", "neg", "div", "rem", "floordiv", "floormod",
             "bitand", "bitor", "bitxor", "bitnot", "shl", "shr"}
# Signed C operations guarded by their own overflow check (LLVM's `nsw`): wherever the value is used,
# it did not overflow, so it equals the exact result and the integer encoding needs no wrap-around.
NO_SIGNED_WRAP = {"add_nsw": "add", "sub_nsw": "sub", "mul_nsw": "mul", "neg_nsw": "neg", "div_nsw": "div"}
ARITH_OPS |= set(NO_SIGNED_WRAP)
COMPARE_OPS = {"eq", "ne", "lt", "le", "gt", "ge"}
BOOL_OPS = {"and", "or", "not"}
# noovf_OP(a, b) holds when the signed operation OP on a and b stays in range.
OVERFLOW_OPS = {"noovf_add", "noovf_sub", "noovf_mul", "noovf_neg", "noovf_div", "noovf_shl"}
OTHER_OPS = {"ite", "cast", "select", "store", "constarray"}  # constarray(v): every element is v
ALL_OPS = ARITH_OPS | COMPARE_OPS | BOOL_OPS | OVERFLOW_OPS | OTHER_OPS


@dataclass(frozen=True)
class Const:
    value: int  # bools are 0/1; BV values lie in the type's range
    type: Type

    def __str__(self) -> str:
        if self.type == BOOL:
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True)
class Var:
    name: str
    type: Type

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class App:
    op: str
    args: tuple[Expr, ...]
    type: Type

    def __post_init__(self) -> None:
        assert self.op in ALL_OPS, self.op

    def __str__(self) -> str:
        from solomonic.reason.printer import show

        return show(self)


Expr = Const | Var | App

TRUE = Const(1, BOOL)
FALSE = Const(0, BOOL)


def const(value: int, type_: Type) -> Const:
    if isinstance(type_, BVType):
        value = type_.wrap(value)
    elif type_ == BOOL:
        value = int(bool(value))
    return Const(value, type_)


def app(op: str, args: tuple[Expr, ...], type_: Type) -> Expr:
    """An application, folded to a constant when every argument is one (and the value is defined)."""
    e = App(op, args, type_)
    if all(isinstance(a, Const) for a in args) and not isinstance(type_, ArrayType):
        from solomonic.reason.evaluate import EvaluationError, evaluate

        try:
            return const(evaluate(e, {}), type_)
        except EvaluationError:
            pass
    return e


def arith(op: str, *args: Expr) -> Expr:
    return app(op, tuple(args), args[0].type)


def compare(op: str, a: Expr, b: Expr) -> Expr:
    assert a.type == b.type, (op, a.type, b.type)
    if op in ("ne", "eq") and b == const(0, b.type) and _is_indicator(a):
        return a.args[0] if op == "ne" else negate(a.args[0])  # (c ? 1 : 0) != 0  is  c
    return app(op, (a, b), BOOL)


def _is_indicator(e: Expr) -> bool:
    """ite(c, 1, 0): a condition turned into a number."""
    return isinstance(e, App) and e.op == "ite" and e.args[1] == const(1, e.type) and e.args[2] == const(0, e.type)


def conj(*args: Expr) -> Expr:
    parts: list[Expr] = []
    for a in args:
        if a == FALSE:
            return FALSE
        if a != TRUE:
            parts.extend(a.args if isinstance(a, App) and a.op == "and" else (a,))
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else App("and", tuple(parts), BOOL)


def disj(*args: Expr) -> Expr:
    parts: list[Expr] = []
    for a in args:
        if a == TRUE:
            return TRUE
        if a != FALSE:
            parts.extend(a.args if isinstance(a, App) and a.op == "or" else (a,))
    if not parts:
        return FALSE
    return parts[0] if len(parts) == 1 else App("or", tuple(parts), BOOL)


def negate(a: Expr) -> Expr:
    if isinstance(a, Const):
        return FALSE if a.value else TRUE
    if isinstance(a, App) and a.op == "not":
        return a.args[0]
    return App("not", (a,), BOOL)


def ite(c: Expr, a: Expr, b: Expr) -> Expr:
    assert a.type == b.type, (a.type, b.type)
    if c == TRUE or a == b:
        return a
    if c == FALSE:
        return b
    return App("ite", (c, a, b), a.type)


def cast(e: Expr, type_: Type) -> Expr:
    if e.type == type_:
        return e
    if isinstance(e, Const) and not isinstance(type_, ArrayType):
        if type_ == BOOL:
            return const(e.value != 0, BOOL)
        return const(e.value, type_)
    return App("cast", (e,), type_)


def free_vars(e: Expr, out: set[Var] | None = None) -> set[Var]:
    out = set() if out is None else out
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, Var):
            out.add(x)
        elif isinstance(x, App):
            stack.extend(x.args)
    return out


def substitute(e: Expr, mapping: dict[Var, Expr]) -> Expr:
    """Replace variables by expressions (memoised on the DAG)."""
    memo: dict[int, Expr] = {}

    def go(x: Expr) -> Expr:
        if isinstance(x, Var):
            return mapping.get(x, x)
        if isinstance(x, Const):
            return x
        key = id(x)
        if key not in memo:
            args = tuple(go(a) for a in x.args)
            memo[key] = x if args == x.args else App(x.op, args, x.type)
        return memo[key]

    return go(e)


# ------------------------------------------------------------------------------------------- statements


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
    """`target := callee(args)` for a callee on a recursive cycle (every other call is inlined)."""

    callee: str
    args: tuple[Expr, ...]
    target: Var | None  # None: a procedure without a value, or a value not used


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
)


@dataclass(frozen=True)
class Event:
    kind: str
    line: int
    message: str

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
    kind: str = "param"  # "param" | "global"


@dataclass
class Procedure:
    """A function on a recursive cycle, lowered once. Its variables are named `name.x`; it returns by
    reaching a "return" sink with `result` set."""

    name: str
    line: int
    params: list[Var]
    result: Var | None
    cfg: Cfg


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
