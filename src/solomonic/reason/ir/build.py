"""Building IR expressions: constructors that fold constants and simplify the obvious, and
traversals (free variables, substitution)."""

from __future__ import annotations

from solomonic.reason.ir.evaluate import EvaluationError, evaluate
from solomonic.reason.ir.nodes import FALSE, TRUE, App, Const, Expr, Var
from solomonic.reason.ir.types import BOOL, ArrayType, BVType, Type


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
    """The variables of `e`, each shared subexpression visited once: the symbolic execution that builds a
    transition system merges paths into DAGs whose tree size grows exponentially with their branches."""
    out = set() if out is None else out
    stack, seen = [e], set()
    while stack:
        x = stack.pop()
        if isinstance(x, Var):
            out.add(x)
        elif isinstance(x, App) and id(x) not in seen:
            seen.add(id(x))
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
