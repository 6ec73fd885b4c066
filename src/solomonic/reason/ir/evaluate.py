"""Concrete evaluation of IR expressions, written independently of the Z3 encodings.

It serves the interpreter that turns a solver model into a concrete trace, and the tests that check the
two Z3 encodings against it. Values are Python ints (bools are 0/1, machine integers lie in their type's
range) and `ArrayValue`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pyrsistent import PMap, pmap

from solomonic.reason.ir.nodes import NO_SIGNED_WRAP, Const, Expr, Var
from solomonic.reason.ir.types import BOOL, ArrayType, BVType, IntType, Type


class ArrayValue:
    """An array: explicit entries over a default, or over `fallback`, which supplies other cells (a
    solver model whose array is not a finite store chain; a strict run's havocked array, whose cells no
    store has set are unset).

    Immutable, as the IR's arrays are values (`a' = store(a, i, v)`): the entries live in a persistent
    map (pyrsistent's hash array mapped trie), so a store shares all but a path with the array it
    updates. A sorted tuple copied at each store made a loop that fills n cells cost n^2 log n: 16 000
    cells took 25 s of a closed run."""

    __slots__ = ("_cells_hash", "_entries", "_map", "default", "fallback")

    def __init__(self, default: int, entries: Iterable[tuple[int, int]] = (),
                 fallback: Callable[[int], int] | None = None, *, cells: PMap | None = None,
                 cells_hash: int | None = None) -> None:
        self.default = default
        self.fallback = fallback
        self._map: PMap = cells if cells is not None else pmap(dict(entries))
        self._entries: tuple[tuple[int, int], ...] | None = None
        # the sum of the cells' hashes, kept up to date by `set`: a closed run hashes its state at each
        # loop head it passes (execution._Repeats), which hashing every cell made quadratic in the stores
        self._cells_hash = cells_hash if cells_hash is not None else \
            sum(_cell_hash(k, v) for k, v in self._map.items()) & _MASK

    @property
    def entries(self) -> tuple[tuple[int, int], ...]:
        """The explicit cells, by index."""
        if self._entries is None:
            self._entries = tuple(sorted(self._map.items()))
        return self._entries

    def get(self, index: int) -> int:
        value = self._map.get(index, _ABSENT)
        if value is not _ABSENT:
            return value
        return self.fallback(index) if self.fallback is not None else self.default

    def set(self, index: int, value: int) -> ArrayValue:
        old = self._map.get(index, _ABSENT)
        cells_hash = self._cells_hash + _cell_hash(index, value) - (0 if old is _ABSENT else _cell_hash(index, old))
        return ArrayValue(self.default, fallback=self.fallback, cells=self._map.set(index, value),
                          cells_hash=cells_hash & _MASK)

    def __eq__(self, other: object) -> bool:  # the cells and the default; not the fallback
        return isinstance(other, ArrayValue) and self.default == other.default and self._map == other._map

    def __hash__(self) -> int:
        return hash((self.default, self._cells_hash))

    def __repr__(self) -> str:
        return f"ArrayValue({self.default!r}, {self.entries!r})"


_ABSENT = object()
_MASK = (1 << 64) - 1


def _cell_hash(index: int, value: int) -> int:
    return hash((index, value))


Value = int | ArrayValue


class EvaluationError(Exception):
    """An operation without a defined value (e.g. division by zero) was evaluated."""


def trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def in_range(value: int, type_: Type) -> int:
    if isinstance(type_, BVType):
        return int(type_.min <= value <= type_.max)
    return 1


def _normalise(value: int, type_: Type) -> int:
    if isinstance(type_, BVType):
        return type_.wrap(value)
    if type_ == BOOL:
        return int(bool(value))
    return value


def _divisor(b: int) -> int:
    if b == 0:
        raise EvaluationError("division by zero")
    return b


_ARITH = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: trunc_div(a, _divisor(b)),
    "rem": lambda a, b: a - b * trunc_div(a, _divisor(b)),
    "floordiv": lambda a, b: a // _divisor(b),
    "floormod": lambda a, b: a % _divisor(b),
    "bitand": lambda a, b: a & b,
    "bitor": lambda a, b: a | b,
    "bitxor": lambda a, b: a ^ b,
}

_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def _shift_amount(b: int, type_: Type) -> int:
    if b < 0 or (isinstance(type_, BVType) and b >= type_.width):
        raise EvaluationError("shift amount out of range")
    return b


def _no_overflow(op: str, args: list[int], type_: Type) -> int:
    if op == "noovf_neg":
        return in_range(-args[0], type_)
    a, b = args
    if op == "noovf_add":
        return in_range(a + b, type_)
    if op == "noovf_sub":
        return in_range(a - b, type_)
    if op == "noovf_mul":
        return in_range(a * b, type_)
    if op == "noovf_div":
        return int(b == 0 or in_range(trunc_div(a, b), type_))
    if op == "noovf_shl":  # C11 6.5.7: a signed left operand must be non-negative, the result representable
        if isinstance(type_, BVType) and type_.signed:
            return int(a >= 0 and 0 <= b < type_.width and in_range(a << b, type_))
        return 1
    raise AssertionError(op)


def evaluate(e: Expr, env: dict[Var, Value]) -> Value:
    """The value of `e` where variables take their values from `env` (KeyError if one is missing)."""
    if isinstance(e, Const):
        return e.value
    if isinstance(e, Var):
        return env[e]
    op = e.op
    if op == "ite":
        return evaluate(e.args[1] if evaluate(e.args[0], env) else e.args[2], env)
    if op == "and":
        return int(all(evaluate(a, env) for a in e.args))
    if op == "or":
        return int(any(evaluate(a, env) for a in e.args))
    args = [evaluate(a, env) for a in e.args]
    op = NO_SIGNED_WRAP.get(op, op)
    if op in _ARITH:
        return _normalise(_ARITH[op](args[0], args[1]), e.type)
    if op in _COMPARE:
        return int(_COMPARE[op](args[0], args[1]))
    if op == "not":
        return int(not args[0])
    if op == "neg":
        return _normalise(-args[0], e.type)
    if op == "bitnot":
        return _normalise(~args[0], e.type)
    if op == "shl":
        return _normalise(args[0] << _shift_amount(args[1], e.type), e.type)
    if op == "shr":
        return _normalise(args[0] >> _shift_amount(args[1], e.type), e.type)
    if op == "cast":
        return _normalise(args[0], e.type)
    if op.startswith("noovf_"):
        return _no_overflow(op, args, e.args[0].type)
    if op == "select":
        return args[0].get(args[1])
    if op == "store":
        return args[0].set(args[1], args[2])
    if op == "constarray":
        return ArrayValue(args[0])
    raise AssertionError(f"unknown operator {op}")


def default_value(type_: Type) -> Value:
    """The value a zero-initialised variable of this type holds."""
    if isinstance(type_, ArrayType):
        return ArrayValue(0)
    assert isinstance(type_, (IntType, BVType)) or type_ == BOOL
    return 0


# a compiled expression: its value in an environment (Any: an int or an ArrayValue, as the IR's types say)
Compiled = Callable[[dict[Var, Value]], Any]


def compiled(e: Expr) -> Compiled:
    """`evaluate` for one expression, its dispatch done once: a function of the environment that applies
    the same operations (the tables above) to the same values. The interpreter runs each statement of a
    loop as many times as the loop iterates, millions in a run to a program's end (engines/execution.py)."""
    if isinstance(e, Const):
        constant = e.value
        return lambda env: constant
    if isinstance(e, Var):
        return lambda env: env[e]
    op = NO_SIGNED_WRAP.get(e.op, e.op)
    args = [compiled(a) for a in e.args]
    if op == "ite":
        cond, then, other = args
        return lambda env: then(env) if cond(env) else other(env)
    if op == "and":
        return lambda env: int(all(a(env) for a in args))
    if op == "or":
        return lambda env: int(any(a(env) for a in args))
    norm = _normaliser(e.type)
    if op in _ARITH:
        fn, (a, b) = _ARITH[op], args
        return lambda env: norm(fn(a(env), b(env)))
    if op in _COMPARE:
        test, (a, b) = _COMPARE[op], args
        return lambda env: int(test(a(env), b(env)))
    if op == "not":
        (a,) = args
        return lambda env: int(not a(env))
    if op == "neg":
        (a,) = args
        return lambda env: norm(-a(env))
    if op == "bitnot":
        (a,) = args
        return lambda env: norm(~a(env))
    if op in ("shl", "shr"):
        t, (a, b) = e.type, args
        if op == "shl":
            return lambda env: norm(a(env) << _shift_amount(b(env), t))
        return lambda env: norm(a(env) >> _shift_amount(b(env), t))
    if op == "cast":
        (a,) = args
        return lambda env: norm(a(env))
    if op.startswith("noovf_"):
        operand_type = e.args[0].type
        return lambda env: _no_overflow(op, [a(env) for a in args], operand_type)
    if op == "select":
        array, index = args
        return lambda env: array(env).get(index(env))
    if op == "store":
        array, index, item = args
        return lambda env: array(env).set(index(env), item(env))
    if op == "constarray":
        (a,) = args
        return lambda env: ArrayValue(a(env))
    raise AssertionError(f"unknown operator {op}")


def _normaliser(type_: Type) -> Callable[[int], int]:
    """`_normalise` for one type."""
    if isinstance(type_, BVType):
        return type_.wrap
    if type_ == BOOL:
        return lambda value: int(bool(value))
    return lambda value: value
