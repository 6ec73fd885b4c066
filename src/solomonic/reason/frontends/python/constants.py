"""The module's int and bool constants, evaluated once as Python evaluates them when the module is
imported: a constant's value, and a parameter's default (evaluated when its `def` runs).

Separate from expressions: a module-level value is lowered in a scope of its own (no locals), must fold to
a constant without any statement, and may read only the constants bound before it runs (`B = C + 1` before
`C = 2`, or `A = A + 1`, fails on import, and is no constant). Expressions read the result, a constant.
"""

from __future__ import annotations

import ast
from typing import Any

from solomonic.reason.frontends.python.opaque import OpaqueLowering
from solomonic.reason.frontends.python.state import Frame, _code
from solomonic.reason.ir import BOOL, FALSE, Const, Unsupported, const
from solomonic.reason.ir.evaluate import EvaluationError, evaluate


class ConstantLowering(OpaqueLowering):
    """Evaluates the module's constant expressions (with a probe lowering of the same kind as itself)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.int_constants: dict[str, bool] = {}  # module constant -> whether its value is an int or bool

    def constant_is_int(self, n: str) -> bool:
        """Whether the module constant n is an int or bool constant expression (else it is an object)."""
        if n not in self.int_constants:
            self.int_constants[n] = False  # while its value is evaluated: `A = A + 1` is no constant
            self.int_constants[n] = self.constant_value(self.module.constants[n]) is not None
        return self.int_constants[n]

    def constant_value(self, node: ast.expr) -> int | bool | None:
        """The value of an expression the module's scope evaluates once (a constant, a parameter's default)
        where it is an int or bool constant expression over literals and the module's constants."""
        try:
            value = self.module_value(node, f"`{_code(node)}`", node)
        except Unsupported:
            return None
        return bool(value.value) if value.type == BOOL else value.value

    def module_value(self, value_node: ast.expr, what: str, node: ast.AST) -> Const:
        """The value of an expression evaluated once in the module's scope (a constant, or a parameter's
        default, which Python evaluates when the `def` runs): it must be a constant expression, and the
        module's constants it reads must be bound before it runs (else importing the module fails)."""
        for n in ast.walk(value_node):
            if isinstance(n, ast.Name) and n.id in self.module.constants and \
                    not _bound_before(self.module.constants[n.id], value_node):
                raise self.unsupported(f"{what} reads the module's '{n.id}' before it is assigned", node)
        scope = _module_scope()
        probe = type(self)(self.module, scope, set())
        probe.int_constants = self.int_constants
        probe.frames.append(Frame(scope, "", {}, set()))
        try:
            value = probe.expression(value_node, allow_none=True)
            if value.opaque or value.none != FALSE:
                raise self.unsupported(what, node)
            result = evaluate(value.expr, {})
            assert isinstance(result, int)  # the value of an int or bool expression
        except (Unsupported, KeyError, EvaluationError):
            raise self.unsupported(f"{what} is not an int or bool constant", node) from None
        if len(probe.b.cfg.edges) > 1:
            raise self.unsupported(f"{what} is not a constant expression", node)
        return const(result, value.expr.type)


def _bound_before(constant: ast.expr, reader: ast.expr) -> bool:
    """Whether the module-level assignment whose value is `constant` has run when `reader`, an expression
    of the module's scope (another constant's value, a default), is evaluated."""
    return (getattr(constant, "end_lineno", None) or constant.lineno) < reader.lineno


def _module_scope() -> ast.FunctionDef:
    """A function without parameters or locals: lowering an expression in it sees only module names."""
    fn = ast.parse("def _module_scope():\n    pass").body[0]
    assert isinstance(fn, ast.FunctionDef)
    return fn
