"""Python's bitwise operators on unbounded ints (`~ << >> & | ^`), lowered to floor division, modulo and
products by constants, agree with CPython: over ints of every size and sign, through the concrete
interpreter and through the integer Z3 encoding; `check` answers loops over them, and refuses the forms
without an exact linear meaning with the reason.
"""

from __future__ import annotations

import re

import pytest
import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.reason.frontends.python.bitwise import and_bounds, bitwise, invert, shift
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.ir import INT, Unsupported, Var, const
from solomonic.reason.ir.evaluate import evaluate
from solomonic.reason.ir.interpret import run
from solomonic.reason.result import Verdict
from solomonic.reason.symbolic.encode import Encoder
from tests.reason.frontends.python.answers import answer
from tests.reason.frontends.python.cpython import assert_matches_cpython

INTS = st.one_of(st.integers(-40, 40), st.integers(-2**90, 2**90),
                 st.sampled_from([0, -1, 2**64 - 1, -2**64, 2**63, 255, -256, 0x5555]))
X = Var("x", INT)


def _encoded_value(expr, value: int) -> int:
    """expr's value at x = value through the integer Z3 encoding (the one Spacer and the rankings read)."""
    encoder = Encoder("int", z3.Context())
    term = encoder.expr(expr, {X: encoder.constant("x", INT)})
    fixed = z3.substitute(term, (encoder.constant("x", INT), z3.IntVal(value, encoder.ctx)))
    return z3.simplify(fixed).as_long()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=INTS, c=INTS, op=st.sampled_from(["and", "or", "xor"]), constant_first=st.booleans())
def test_bitwise_with_a_constant_is_exact(x, c, op, constant_first):
    args = (const(c, INT), X) if constant_first else (X, const(c, INT))
    expr = bitwise(op, *args)
    want = {"and": x & c, "or": x | c, "xor": x ^ c}[op]
    assert evaluate(expr, {X: x}) == want
    assert _encoded_value(expr, x) == want


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=INTS, n=st.integers(0, 100))
def test_shifts_and_inversion_are_exact(x, n):
    for left, want in ((True, x << n), (False, x >> n)):
        expr = shift(left, X, n)
        assert evaluate(expr, {X: x}) == want
        assert _encoded_value(expr, x) == want
    assert evaluate(invert(X), {X: x}) == ~x


SUB = ["a", "b", "(a < b)", "True", "False", "0", "1", "-1", "7", "0xFF", "-256", "0x5555", "10**20",
       "-0x400000000000000000", "2**64 - 1"]
CONSTANTS = ["0", "1", "3", "-1", "0xF0", "-256", "0x5555", "2**64 - 1", "-0x20000000000000000", "True"]


@st.composite
def bit_expression(draw, depth=3) -> str:
    """A random expression of ints and bools whose bitwise operations each have a constant or a bool
    operand, or shift by a constant (possibly negative: ValueError)."""
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(SUB))
    sub = draw(bit_expression(depth - 1))
    kind = draw(st.sampled_from(["mask", "mask", "shift", "invert", "arith", "bools"]))
    if kind == "mask":
        op, c = draw(st.sampled_from(["&", "|", "^"])), draw(st.sampled_from([*CONSTANTS, "(a > 0)"]))
        return f"({c} {op} {sub})" if draw(st.booleans()) else f"({sub} {op} {c})"
    if kind == "shift":
        return f"({sub} {draw(st.sampled_from(['<<', '>>']))} {draw(st.sampled_from(['0', '1', '5', '70', '-1']))})"
    if kind == "invert":
        return f"(~{sub})"
    if kind == "bools":
        return f"((a {draw(st.sampled_from(['<', '==']))} {sub}) {draw(st.sampled_from(['&', '|', '^']))} (b > 0))"
    return f"({sub} {draw(st.sampled_from(['+', '-', '*', '//']))} {draw(bit_expression(depth - 1))})"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expr=bit_expression(), inputs=st.lists(st.tuples(INTS, INTS), min_size=3, max_size=3))
def test_bitwise_expressions_match_cpython(expr, inputs):
    source = f"def f(a: int, b: int):\n    t = {expr}\n    t ^= 0x33\n    t >>= 1\n    return t\n"
    assert_matches_cpython(source, inputs, (ZeroDivisionError, ValueError))


def test_a_popcount_loop_terminates(tmp_path):
    r = answer(tmp_path, """
        def popcount(x):
            assert x >= 0
            count = 0
            while x:
                count += x & 1
                x >>= 1
            return count
    """, "popcount")
    assert r.verdict == Verdict.YES, r.reason


def test_halving_a_negative_int_never_reaches_zero(tmp_path):
    """-1 >> 1 == -1: `while x: x >>= 1` never ends for a negative x; the witness is replayed."""
    r = answer(tmp_path, """
        def halve(x):
            steps = 0
            while x:
                x >>= 1
                steps += 1
            return steps
    """, "halve")
    assert r.verdict == Verdict.NO, r.reason
    assert r.witness["replay"]["confirmed"]
    assert r.witness["inputs"]["x"] < 0


def test_doubling_up_to_a_bound_and_masking_terminate(tmp_path):
    r = answer(tmp_path, """
        def next_power(n):
            p = 1
            while p < n:
                p <<= 1
            return p
    """, "next_power")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        def low_byte(x):
            return 0 <= x & 0xFF <= 255 and x | -256 < 0 and (x ^ -1) == ~x
    """, "low_byte", "returns-true")
    assert r.verdict == Verdict.YES, r.reason


def test_a_negative_shift_count_raises(tmp_path):
    """`x << -1` raises ValueError: an exception exit, where `terminates` holds; a loop that shifts by a
    negative count ends at once."""
    r = answer(tmp_path, """
        def f(x):
            while x > 0:
                x = x << -1
            return x
    """, "f", "terminates")
    assert r.verdict == Verdict.YES, r.reason
    source = "def f(x: int):\n    return (x >> -2) + 1\n"
    function = lower_python(parse_python("m.py", source.encode()), "f")
    trace = run(function, {function.inputs[0].var: 5}, lambda *_: 0, set())
    assert trace.event.kind == "exception" and "ValueError" in trace.event.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(x=INTS, y=INTS)
def test_the_bounds_of_and_between_two_ints_hold_in_cpython(x, y):
    """`and_bounds` is what a symbolic `x & y` is known by: CPython's value satisfies it for every pair."""
    v, y_ = Var("v", INT), Var("y", INT)
    assert evaluate(and_bounds(v, X, y_), {v: x & y, X: x, y_: y})  # 1 (true), never 0


def test_and_between_two_ints_is_known_by_its_bounds(tmp_path):
    """Kernighan's popcount clears the lowest set bit: `n & (n - 1)` is below n for n > 0, which its bounds
    say, so the loop ranks; `(n & m) >= 0` fails for two negative ints, and the replay confirms it."""
    r = answer(tmp_path, """
        def popcount(n):
            count = 0
            while n > 0:
                n &= n - 1
                count += 1
            return count
    """, "popcount", "terminates")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        def non_negative(n, m):
            return (n & m) >= 0
    """, "non_negative", "returns-true")
    assert r.verdict == Verdict.NO and r.witness is not None
    assert r.witness["inputs"]["n"] < 0 and r.witness["inputs"]["m"] < 0


@pytest.mark.parametrize(("body", "reason"), [
    ("x = x >> y", "a shift by a count that is not a constant"),
    ("x = x ^ (x >> 1)", "`^` between two ints"),
])
def test_bitwise_forms_without_a_linear_meaning_are_refused(body, reason):
    source = f"def f(x: int, y: int):\n    while x > 0:\n        {body}\n    return x\n"
    with pytest.raises(Unsupported, match=re.escape(reason)) as err:
        lower_python(parse_python("m.py", source.encode()), "f")
    assert err.value.line == 3
