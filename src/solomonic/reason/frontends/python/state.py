"""What a Python lowering carries: the values it makes, the frames of the functions it is inside, and
how a name resolves (a local of the current frame, a module name, a builtin).

The base of the lowering's classes: expressions, statements and calls each extend it (expressions.py,
statements.py, calls.py), and lower.py puts them together for one function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from solomonic.reason.frontends.cfg import Builder, Loop
from solomonic.reason.frontends.python.module import PythonModule, local_names, recursive_functions
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
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


@dataclass
class PyValue:
    """A lowered Python value: an int- or bool-typed expression, or possibly None (call results)."""

    expr: Expr
    none: Expr = FALSE  # true where the value is None


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


class LoweringState:
    """The state of one lowering, and the helpers that every part of it uses."""

    def __init__(self, module: PythonModule, fn: ast.FunctionDef, flagged: set[str],
                 param_types: dict[str, str] | None = None):
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

    def bound_flag(self, name: str) -> Var:
        return Var(self.frame.prefix + name + "$bound", BOOL)

    def as_int(self, v: PyValue, node: ast.AST) -> Expr:
        if v.none != FALSE:
            raise self.unsupported("a value that may be None used as a number", node)
        return cast(v.expr, INT)

    def truth(self, v: PyValue) -> Expr:
        value = v.expr if v.expr.type == BOOL else compare("ne", v.expr, const(0, INT))
        return conj(negate(v.none), value) if v.none != FALSE else value

    def locals_in(self, fn: ast.FunctionDef) -> set[str]:
        if id(fn) not in self.locals_of:
            self.locals_of[id(fn)] = local_names(fn)
        return self.locals_of[id(fn)]

    def is_local(self, name: str) -> bool:
        return name in self.frame.variables or name in self.locals_in(self.frame.fn)

    def is_builtin(self, name: str) -> bool:
        return not self.is_local(name) and name not in self.module.functions and name not in self.module.bound
