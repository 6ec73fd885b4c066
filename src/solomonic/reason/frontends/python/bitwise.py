"""Python's bitwise operators on ints, written exactly with the arithmetic the IR already has.

Python ints are unbounded two's complement: bit i of any int x, negative included, is
`(x // 2**i) % 2`, and `~x == -x - 1`. So, with floor division and modulo by constants (the linear
integer arithmetic Spacer and the ranking synthesis work in, rather than bit-vectors of a width no
Python int has):

- `x >> n == x // 2**n` and `x << n == x * 2**n` for a constant n >= 0 (a negative n raises ValueError,
  which the caller makes an exception exit);
- `x & c` for a constant c >= 0 is the sum, over the runs of ones of c (bits i..j-1), of
  `(x // 2**i) % 2**(j-i) * 2**i` (with c = 2**k - 1 simply `x % 2**k`); for a constant c < 0,
  `x & c == x - (x & ~c)`, where ~c >= 0;
- `x | c == x + c - (x & c)` and `x ^ c == x + c - 2*(x & c)` (a + b == (a ^ b) + 2*(a & b) and
  a | b == (a ^ b) + (a & b) hold for all ints);
- a bool b is 0 or 1: `b & x == (x % 2 if b else 0)`, `b | x == (x | 1 if b else x)`,
  `b ^ x == (x ^ 1 if b else x)`; between two bools, `&`, `|` and `^` are and, or and !=, and give a bool.

`&`, `|`, `^` between two ints neither of which is a constant or a bool, and shifts by an amount that is
not a constant, have no such linear form (`x & (x - 1)` clears the lowest set bit: x minus a power of two
that depends on x); they raise `NotLinear` with the reason. For `&` the caller falls back on
`and_bounds`, what every pair of ints satisfies (clearing bits of a non-negative int cannot raise it or make
it negative; two negative ints keep their sign bit, and `x & y == x + y - (x | y)` with `x | y <= -1`);
the other operators are answered unknown.
"""

from __future__ import annotations

from solomonic.reason.ir import BOOL, INT, Const, Expr, arith, cast, compare, conj, const, disj, ite, negate

MAX_SHIFT = 4096  # a larger constant shift amount makes 2**n a number too large to be worth writing out
MAX_RUNS = 32  # runs of ones in a mask constant: each is one term of the sum


class NotLinear(Exception):
    """A bitwise operation without an exact form in linear arithmetic with constant divisors."""


def invert(x: Expr) -> Expr:
    """`~x` on an int (a bool is taken as its int: `~True == -2`)."""
    return arith("sub", arith("neg", cast(x, INT)), const(1, INT))


def shift(left: bool, x: Expr, amount: int) -> Expr:
    """`x << amount` (left) or `x >> amount`, for a constant amount >= 0."""
    assert amount >= 0
    if amount > MAX_SHIFT:
        raise NotLinear(f"a shift by the constant {amount} (more than {MAX_SHIFT} bits)")
    x = cast(x, INT)
    if amount == 0:
        return x
    return arith("mul" if left else "floordiv", x, const(1 << amount, INT))


def bitwise(op: str, a: Expr, b: Expr) -> Expr:
    """`a & b` (op "and"), `a | b` ("or") or `a ^ b` ("xor") between two ints or bools, exactly."""
    if isinstance(a, Const) and isinstance(b, Const):
        value = {"and": a.value & b.value, "or": a.value | b.value, "xor": a.value ^ b.value}[op]
        return const(value, BOOL if a.type == BOOL and b.type == BOOL else INT)
    if a.type == BOOL and b.type == BOOL:
        if op == "and":
            return conj(a, b)
        return disj(a, b) if op == "or" else ite(a, negate(b), b)
    for mine, other in ((a, b), (b, a)):
        if isinstance(mine, Const):
            return _with_constant(op, cast(other, INT), mine.value)
    for mine, other in ((a, b), (b, a)):
        if mine.type == BOOL:
            x = cast(other, INT)
            return ite(mine, _with_constant(op, x, 1), x if op != "and" else const(0, INT))
    raise NotLinear(f"`{_SYMBOL[op]}` between two ints neither of which is a constant or a bool")


_SYMBOL = {"and": "&", "or": "|", "xor": "^"}


def and_bounds(v: Expr, x: Expr, y: Expr) -> Expr:
    """What `v == x & y` implies for all ints x, y: `0 <= v <= x` when x >= 0 (the same for y), and
    `x + y + 1 <= v <= min(x, y) < 0` when both are negative."""
    zero = const(0, INT)

    def clears(a: Expr) -> Expr:  # a >= 0  implies  0 <= v <= a
        return disj(compare("lt", a, zero), conj(compare("ge", v, zero), compare("le", v, a)))

    both_negative = conj(compare("lt", x, zero), compare("lt", y, zero))
    negative = conj(compare("le", v, x), compare("le", v, y),
                    compare("ge", v, arith("add", arith("add", x, y), const(1, INT))))
    return conj(clears(x), clears(y), disj(negate(both_negative), negative))


def _with_constant(op: str, x: Expr, c: int) -> Expr:
    masked = _and_constant(x, c)
    if op == "and":
        return masked
    c_ = const(c, INT)
    total = arith("add", x, c_)
    return arith("sub", total, masked if op == "or" else arith("mul", const(2, INT), masked))


def _and_constant(x: Expr, c: int) -> Expr:
    """x & c for a constant c."""
    if c < 0:
        return arith("sub", x, _and_constant(x, ~c))
    runs = _runs_of_ones(c)
    if len(runs) > MAX_RUNS:
        raise NotLinear(f"`&` with the constant {c:#x}, whose bits form more than {MAX_RUNS} runs of ones")
    result: Expr = const(0, INT)
    for low, high in runs:
        field = x if low == 0 else arith("floordiv", x, const(1 << low, INT))
        term = arith("floormod", field, const(1 << (high - low), INT))
        if low:
            term = arith("mul", term, const(1 << low, INT))
        result = term if result == const(0, INT) else arith("add", result, term)
    return result


def _runs_of_ones(c: int) -> list[tuple[int, int]]:
    """The maximal runs of set bits of c >= 0 as (lowest bit, one past the highest), lowest first."""
    runs = []
    position = 0
    while c:
        zeros = (c & -c).bit_length() - 1
        c >>= zeros
        position += zeros
        ones = (~c & (c + 1)).bit_length() - 1
        runs.append((position, position + ones))
        c >>= ones
        position += ones
    return runs
