"""The IR's expressions: constants, variables and operator applications, immutable and typed.

An expression prints itself in C-like syntax (`show`), for messages and certificates; building one with
constant folding is `build.py`'s job, evaluating one `evaluate.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from solomonic.reason.ir.types import BOOL, Type

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

    def __hash__(self) -> int:  # the dataclass's own hashes both fields at every lookup; an environment
        try:                    # (a dict by variable) is looked up at every step of the interpreter
            return self.__dict__["_hash"]
        except KeyError:
            value = self.__dict__["_hash"] = hash((self.name, self.type))
            return value

    def __reduce__(self) -> tuple:  # without the cached hash: another process hashes strings differently
        return Var, (self.name, self.type)

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
        return show(self)


Expr = Const | Var | App

TRUE = Const(1, BOOL)
FALSE = Const(0, BOOL)


_INFIX = {
    "add": "+", "sub": "-", "mul": "*", "div": "/", "rem": "%", "floordiv": "//", "floormod": "%",
    "bitand": "&", "bitor": "|", "bitxor": "^", "shl": "<<", "shr": ">>",
    "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
}


def show(e: Expr) -> str:
    """An IR expression in C-like syntax (for messages and debugging)."""
    if isinstance(e, (Const, Var)):
        return str(e)
    assert isinstance(e, App)
    a = [show(x) for x in e.args]
    op = NO_SIGNED_WRAP.get(e.op, e.op)
    if op in _INFIX:
        return f"({a[0]} {_INFIX[op]} {a[1]})"
    if e.op in ("and", "or"):
        return "(" + f" {'&&' if e.op == 'and' else '||'} ".join(a) + ")"
    if e.op == "not":
        return f"!{a[0]}"
    if op == "neg":
        return f"-{a[0]}"
    if e.op == "bitnot":
        return f"~{a[0]}"
    if e.op == "ite":
        return f"({a[0]} ? {a[1]} : {a[2]})"
    if e.op == "cast":
        return f"({e.type}) {a[0]}"
    if e.op == "select":
        return f"{a[0]}[{a[1]}]"
    if e.op == "store":
        return f"{a[0]}{{{a[1]} := {a[2]}}}"
    if e.op == "constarray":
        return f"{{{a[0]}, ...}}"
    return f"{e.op}({', '.join(a)})"
