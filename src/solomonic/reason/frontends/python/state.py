"""What a Python lowering carries: the values it makes, the frames of the functions it is inside, and
how a name resolves (a local of the current frame, a module name, a builtin); and the primitives of
values of unknown type (see opaque.py): an arbitrary value, and an operation that may raise.

The base of the lowering's classes: expressions, statements and calls each extend it (expressions.py,
statements.py, calls.py), and lower.py puts them together for one function.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from solomonic.reason.frontends.cfg import Builder, Loop
from solomonic.reason.frontends.python.module import (
    PythonModule,
    list_names,
    local_names,
    recursive_functions,
)
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    App,
    ArrayType,
    Event,
    Expr,
    Procedure,
    Unsupported,
    Var,
    cast,
    compare,
    conj,
    const,
    negate,
)
from solomonic.reason.replay.python import none_flag

UNKNOWN = "a value of unknown type"


def raises(exception_class: str, line: int, detail: str) -> Event:
    """The event of a builtin exception the lowering raises itself: the class is the event's, for the
    `except` clauses that may catch it (handlers.py), and the message names it first, as Python does."""
    return Event("exception", line, f"{exception_class}: {detail}", exception_class)


@dataclass(frozen=True)
class ListRef:
    """A Python list of ints in the IR (lists.py): its elements, an array indexed from 0, and its length.
    A name bound to a list owns one such pair for the whole lowering; a list just made (a display, a
    comprehension) is a pair of temporaries, `fresh` until a name takes it over."""

    elems: Var
    length: Var
    fresh: bool = False


ELEMENTS = ArrayType(INT, INT)  # a list's elements: ints (bools stored as 0/1, as arithmetic sees them)


@dataclass(frozen=True)
class Text:
    """A Python str in the IR (strings.py): its length and its code points, an array indexed from 0
    (`elems`); a str known to be one character (an item, a loop's character, `chr(n)`) is its code point
    alone (`char`), so that the engines see one int where one int says it all. A str written in the source
    keeps its value (`literal`), which comparisons with it unroll. A str made by code not modelled (a
    method like `s.strip()`, `str(n)`, an f-string) keeps only its length (`vague`)."""

    length: Expr
    elems: Expr | None = None  # None where char is given, or where the characters are not kept
    char: Expr | None = None
    literal: str | None = None
    vague: bool = False  # its characters are not kept (what `s.strip()` returns): each read is arbitrary


@dataclass
class PyValue:
    """A lowered Python value: an int- or bool-typed expression, or possibly None (`none` holds where it
    is None, and `expr` then stands for nothing), or a value of unknown type (`opaque`: then `expr` is an
    int that stands for nothing; see opaque.py), or a list (`list`: then `expr` is its length), or a str
    (`text`: then it is opaque too, so that code that does not model strs takes it as a value of unknown
    type, which over-approximates it)."""

    expr: Expr
    none: Expr = FALSE  # true where the value is None
    opaque: bool = False
    list: ListRef | None = None
    text: Text | None = None


@dataclass
class Cleanup:
    """What a `return` that leaves a `try` with `finally` or a `with` runs on its way out (handlers.py):
    `lower` lays it out at the current point, where exceptions go to `outer`, the hook outside the
    statement."""

    lower: Callable[[], None]
    outer: Callable[[Event], int] | None


@dataclass
class Frame:
    """One function being lowered (the entry function, or a call being inlined)."""

    fn: ast.FunctionDef
    prefix: str
    variables: dict[str, Var]
    assigned: set[str]  # locals definitely assigned at the current point
    loops: list[Loop] = field(default_factory=list)
    loop_assigned: list[list[set[str]]] = field(default_factory=list)  # per loop: assigned sets at breaks
    result: Var | None = None
    result_none: Var | None = None
    join: int | None = None
    procedure: bool = False  # the body of a function on a recursive cycle, lowered on its own
    result_unused: bool = False  # a procedure whose every call discards the result (so None is no matter)
    list_result: ListRef | None = None  # an inlined function's returned list (lists.py)
    plain_result: bool = False  # an inlined function returns something other than a list somewhere
    lists: dict[str, ListRef] = field(default_factory=dict)  # its names bound to lists (lists.py)
    cleanups: list[Cleanup] = field(default_factory=list)  # of the statements around this point, outermost first


class LoweringState:
    """The state of one lowering, and the helpers that every part of it uses."""

    def __init__(self, module: PythonModule, fn: ast.FunctionDef, flagged: set[str],
                 param_types: dict[str, str] | None = None, opaque: set[str] | None = None,
                 optional: set[str] | None = None, plain: set[str] | None = None, listed: set[str] | None = None,
                 strings: set[str] | None = None, wide: set[str] | None = None, vague: set[str] | None = None):
        self.module = module
        self.fn = fn
        self.param_types = param_types or {}  # the user's types for parameters, by name (--param-types)
        self.assumptions: tuple[str, ...] = ()  # the parameter types assumed, not declared (parameters.py)
        self.flagged = flagged  # prefixed local names that need an "is bound" flag
        self.maybe_unbound: set[str] = set()
        self.b = Builder(fn.lineno)
        self.frames: list[Frame] = []
        self.calls = 0
        self.declared: dict[str, str] = {}  # parameter -> "int" | "bool"
        self.recursive = recursive_functions(module)
        self.procedures: dict[str, Procedure] = {}
        self.locals_of: dict[int, set[str]] = {}  # a definition (its id: a nested one may share a name) -> its locals
        self.list_names_of: dict[int, set[str]] = {}  # likewise, its names bound to lists it makes
        # Values of unknown type (opaque.py). The IR variables (prefixed names) that hold one: fixed for a
        # lowering; what it stores a value of unknown type into beyond them is found (lower.py repeats the
        # lowering with them until none is found).
        self.opaque_names: set[str] = set(opaque or ())
        self.found_opaque: set[str] = set()
        # The IR variables that may hold None or an int (optional ones): each has a flag `x$none`, true
        # where it holds None. Found like the opaque ones, flow-insensitively (a variable ever given a value
        # that may be None), and fixed for a lowering.
        self.optional_names: set[str] = set(optional or ())
        self.found_optional: set[str] = set()
        # The names written as bound to lists (module.list_names) that are given something else too (a
        # display with an element of unknown type): plain variables. Found like the opaque ones.
        self.plain_names: set[str] = set(plain or ())
        self.found_plain: set[str] = set()
        # And the other way: the names given a new list by an expression not written as one (a call of a
        # function that returns a list, a conditional choice between lists): lists throughout.
        self.listed_names: set[str] = set(listed or ())
        self.found_listed: set[str] = set()
        self.local_lists: set[str] = set()  # the arrays of lists that local names hold (not parameters)
        # The IR variables that hold only strs (strings.py), found like the opaque ones: a variable given a
        # str and also a value of another type is opaque. Of them, the `wide` ones may hold a str of any
        # length (the variable is its length, `name$chars` its code points); the others hold one character
        # each time (the variable is its code point).
        self.string_names: set[str] = set(strings or ())
        self.found_string: set[str] = set()
        self.wide_names: set[str] = set(wide or ())
        self.found_wide: set[str] = set()
        self.vague_names: set[str] = set(vague or ())  # wide ones given a vague str: only the length is kept
        self.found_vague: set[str] = set()
        self.opaque_ops = False  # an operation on a value of unknown type is modelled as returning
        self.opaque_calls: list[str] = []  # the calls modelled as returning, in order of first use
        self.reads_constants = False  # a module constant is read (an opaque call might rebind it)
        self.module_variables: list[str] = []  # the module's variables read (values of unknown type)

    def found(self) -> dict[str, set[str]]:
        """What this pass found that the next one must take as given (lower.py), by the keyword of the
        constructor that takes it."""
        return {"opaque": self.found_opaque, "optional": self.found_optional, "plain": self.found_plain,
                "listed": self.found_listed, "strings": self.found_string, "wide": self.found_wide,
                "vague": self.found_vague}

    # ------------------------------------------------------------------------------------------ helpers

    def unsupported(self, what: str, node: ast.AST) -> Unsupported:
        return Unsupported(what, self.module.path, getattr(node, "lineno", self.fn.lineno))

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def local(self, name: str) -> Var:
        var = self.frame.variables.get(name)
        if var is None:
            var = Var(self.frame.prefix + name, INT)
            self.frame.variables[name] = var
        return var

    def list_ref(self, frame: Frame, name: str) -> ListRef | None:
        """The list a local name of frame is bound to, if it is one of the names bound to lists (a list
        parameter, a name the code binds to a list it makes): the same pair of IR variables throughout."""
        ref = frame.lists.get(name)
        written = name in self.list_names_in(frame.fn) or frame.prefix + name in self.listed_names
        if ref is None and written and frame.prefix + name not in self.plain_names:
            if self.in_procedure():  # lowered again as a plain variable: a value of unknown type, as before
                self.found_plain.add(frame.prefix + name)
                raise self.unsupported(f"the list `{name}` in a recursive function", frame.fn)
            ref = frame.lists[name] = ListRef(Var(frame.prefix + name, ELEMENTS), Var(frame.prefix + name + "$len", INT))
            self.local_lists.add(ref.elems.name)
        return ref

    def in_procedure(self) -> bool:
        """Whether the code being lowered is a recursive function's body (a procedure, called, not inlined),
        whose variables would have to be each activation's own to hold lists: there lists are not modelled
        (values of unknown type, as before)."""
        return any(frame.procedure for frame in self.frames)

    def fresh_list(self) -> ListRef:
        """A pair of temporaries for a list just made."""
        assert not self.in_procedure()  # the makers of lists leave them to opaque.py there
        return ListRef(self.b.temp("list", ELEMENTS), self.b.temp("len", INT), fresh=True)

    def unmodelled_use(self, ref: ListRef) -> None:
        """A list is used in a way the model does not follow (passed to code not modelled, a bound method
        taken): where a local name holds it, the name is lowered again as a plain variable, a value of
        unknown type as before lists were modelled; a list parameter stays refused."""
        if ref.elems.name in self.local_lists:
            self.found_plain.add(ref.elems.name)

    def list_names_in(self, fn: ast.FunctionDef) -> set[str]:
        if id(fn) not in self.list_names_of:
            self.list_names_of[id(fn)] = list_names(fn)
        return self.list_names_of[id(fn)]

    def bound_flag(self, name: str) -> Var:
        return Var(self.frame.prefix + name + "$bound", BOOL)

    def as_int(self, v: PyValue, node: ast.AST) -> Expr:
        """v as a number, where the operation at node needs one (after its operands are evaluated): None
        raises TypeError there."""
        if v.opaque:
            raise self.unsupported(f"{UNKNOWN} used as an int", node)
        if v.none != FALSE:
            line = getattr(node, "lineno", self.fn.lineno)
            self.b.fail_unless(negate(v.none), raises("TypeError", line, f"None in `{_code(node)}`, "
                                                     "where a number is needed"))
        return cast(v.expr, INT)

    # ----------------------------------------------------------------------------- variables and None

    def none_flag(self, var: Var) -> Var:
        """The flag of an optional variable: true where it holds None."""
        return none_flag(var)

    def value_of(self, var: Var) -> PyValue:
        """What reading a local variable gives: a value of unknown type, an int that may be None, or an int."""
        if var.name in self.opaque_names:
            return PyValue(var, opaque=True)
        if var.name in self.string_names:
            if var.name in self.vague_names:
                return PyValue(var, opaque=True, text=Text(var, vague=True))
            if var.name in self.wide_names:
                return PyValue(var, opaque=True, text=Text(var, elems=chars_of(var)))
            return PyValue(var, opaque=True, text=Text(const(1, INT), char=var))
        return PyValue(var, self.none_flag(var) if var.name in self.optional_names else FALSE)

    def assign_value(self, var: Var, value: PyValue, line: int) -> None:
        """var := value. A value of unknown type makes var opaque; one that may be None makes it optional; a
        str makes it a variable of strs, unless it is given other values too (then it is opaque)."""
        if var.name not in self.opaque_names and (value.text is not None or var.name in self.string_names) and \
                self.assign_text(var, value, line):
            return
        if value.opaque:
            self.note_opaque(var.name)
        elif value.none != FALSE and var.name not in self.opaque_names and var.name not in self.optional_names:
            self.found_optional.add(var.name)
        self.b.assign(var, cast(value.expr, INT), line)
        if var.name in self.optional_names:
            self.b.assign(self.none_flag(var), value.none, line)

    def assign_text(self, var: Var, value: PyValue, line: int) -> bool:
        """var := value where var holds strs or value is one; False where a variable of strs is given
        something else, which makes it opaque (the store is then left to the caller). Where var is found
        to need another kind (a str's variable, or a wide one), the pass is repeated (lower.py) and what
        it stores does not matter."""
        text = value.text
        if text is None:
            self.found_opaque.add(var.name)
            return False
        if var.name not in self.string_names or (var.name not in self.wide_names and text.char is None) or \
                (text.vague and var.name not in self.vague_names):
            if var.name not in self.string_names:
                self.found_string.add(var.name)
            if text.char is None and var.name not in self.wide_names:
                self.found_wide.add(var.name)
            if text.vague and var.name not in self.vague_names:
                self.found_vague.add(var.name)
            self.b.assign(var, cast(value.expr, INT), line)
            return True
        if var.name in self.vague_names:  # its characters are not kept: only the length
            self.b.assign(var, text.length, line)
            return True
        if var.name not in self.wide_names:
            assert text.char is not None
            self.b.assign(var, text.char, line)
            return True
        self.b.assign(chars_of(var), text_elements(text), line)
        self.b.assign(var, text.length, line)
        return True

    def truth(self, v: PyValue, node: ast.AST | None = None) -> Expr:
        """The truth of v; of a value of unknown type, an arbitrary bool (its `__bool__` or `__len__` runs,
        and may raise)."""
        if v.text is not None:
            return TRUE if v.text.char is not None else compare("gt", v.text.length, const(0, INT))
        if v.list is not None:
            return compare("gt", v.list.length, const(0, INT))
        if v.opaque:
            at = node if node is not None else self.fn
            return self.unknown_of(BOOL, at, f"the truth of `{_code(at)}`").expr
        value = v.expr if v.expr.type == BOOL else compare("ne", v.expr, const(0, INT))
        return conj(negate(v.none), value) if v.none != FALSE else value

    # ------------------------------------------------------------------------- values of unknown type

    def note_opaque(self, name: str) -> None:
        """The IR variable `name` receives a value of unknown type (or None)."""
        if name not in self.opaque_names:
            self.found_opaque.add(name)

    def note_call(self, func: ast.expr) -> None:
        shown = _code(func, 40)
        if shown not in self.opaque_calls:
            self.opaque_calls.append(shown)

    def may_raise(self, node: ast.AST, what: str) -> None:
        """A nondeterministic exit with an exception here: the real operation may raise."""
        line = getattr(node, "lineno", self.fn.lineno)
        raises = self.b.temp("raises", BOOL)
        self.b.havoc(raises, f"whether {what} raises", line)
        self.b.fail_unless(negate(raises), Event("exception", line, f"{what} may raise ({UNKNOWN} involved)"))

    def unknown(self, node: ast.AST, what: str, raises: bool = True, call: bool = False) -> PyValue:
        """The result of an operation on values of unknown type (or of a call that is not modelled): an
        arbitrary value of unknown type, after the operation may have raised."""
        if not call:
            self.opaque_ops = True
        if raises:
            self.may_raise(node, what)
        tmp = self.b.temp("unknown", INT)
        self.b.havoc(tmp, UNKNOWN, getattr(node, "lineno", self.fn.lineno))
        return PyValue(tmp, opaque=True)

    def unknown_of(self, type_, node: ast.AST, what: str, raises: bool = True) -> PyValue:
        """An arbitrary int or bool produced by an operation on a value of unknown type that returns only
        ints or bools (`len`, `isinstance`, `is`, `in`, truth), after it may have raised."""
        self.opaque_ops = True
        if raises:
            self.may_raise(node, what)
        tmp = self.b.temp("unknown", type_)
        self.b.havoc(tmp, UNKNOWN, getattr(node, "lineno", self.fn.lineno))
        return PyValue(tmp)

    def locals_in(self, fn: ast.FunctionDef) -> set[str]:
        if id(fn) not in self.locals_of:
            self.locals_of[id(fn)] = local_names(fn)
        return self.locals_of[id(fn)]

    def is_local(self, name: str) -> bool:
        return name in self.frame.variables or name in self.frame.lists or name in self.locals_in(self.frame.fn)

    def is_builtin(self, name: str) -> bool:
        return not self.is_local(name) and name not in self.module.functions and name not in self.module.bound \
            and not self.module.star_import


def chars_of(var: Var) -> Var:
    """The code points of a variable that holds strs of any length (the variable itself is the length)."""
    return Var(var.name + "$chars", ELEMENTS)


def text_elements(text: Text) -> Expr:
    """A str's code points as an array (a character's: its one cell)."""
    if text.elems is not None:
        return text.elems
    assert text.char is not None
    return App("store", (App("constarray", (const(0, INT),), ELEMENTS), const(0, INT), text.char), ELEMENTS)


def _code(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else node.name
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
