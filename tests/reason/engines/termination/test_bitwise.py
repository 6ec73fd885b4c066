"""Termination of C loops over bitwise operations: the facts the ranking search keeps of them, the
integer cuts of its cubes, and the bit-vector arithmetic in which the checks, Houdini and the lasso
search decide what the int encoding's mixed theories leave undecided."""

from __future__ import annotations

import copy
import itertools
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.certify.certificate import WideBV
from solomonic.reason.engines.termination.check import check_certificate
from solomonic.reason.engines.termination.linear import Inequality, bitwise_bounds, tightened
from solomonic.reason.ir import BVType
from solomonic.reason.result import Verdict
from solomonic.reason.symbolic.printer import show_z3

WIDTH = 8


_OPERATIONS = {"and": lambda a, b, signed: a & b, "or": lambda a, b, signed: a | b,
               "xor": lambda a, b, signed: a ^ b,
               "shr": lambda a, b, signed: a >> b if signed else z3.LShR(a, b)}  # as encode.py shifts


@pytest.mark.parametrize("op", sorted(_OPERATIONS))
@pytest.mark.parametrize("signed", [False, True])
def test_each_bitwise_fact_holds_of_every_pair_of_8_bit_operands(op, signed):
    """Decided in bit-vector arithmetic: the facts over a, b and r, restated exactly (WideBV) at two
    8-bit words and the word the operation makes of them, hold for every pair."""
    a, b, r = z3.Ints("a b r")
    x, y = z3.BitVecs("x y", WIDTH)
    machine = BVType(WIDTH, signed)
    words = {a.get_id(): (x, machine), b.get_id(): (y, machine), r.get_id(): (_OPERATIONS[op](x, y, signed), machine)}
    solver = z3.Solver()
    solver.add(z3.Not(WideBV(words).formula(z3.And(*bitwise_bounds(op, a, b, r, WIDTH, signed)))))
    assert solver.check() == z3.unsat, solver.model() if solver.check() == z3.sat else None


def test_the_lowest_set_bit_is_at_least_one():
    a, r = z3.Ints("a r")
    x = z3.BitVec("x", WIDTH)
    machine = BVType(WIDTH, True)
    words = {a.get_id(): (x, machine), r.get_id(): (x & -x, machine)}
    solver = z3.Solver()
    solver.add(z3.Not(WideBV(words).formula(z3.And(*bitwise_bounds("and", a, -a, r, WIDTH, True)))))
    assert solver.check() == z3.unsat
    unconstrained = z3.Solver()
    unconstrained.add(*bitwise_bounds("and", a, -a, r, WIDTH, True), a == 6, r < 1)
    assert unconstrained.check() == z3.unsat


def test_certificates_show_a_bitwise_operation_as_c_writes_it():
    x, y = z3.Ints("x y")
    assert show_z3(z3.BV2Int(z3.Int2BV(x, 32) & z3.Int2BV(y - 1, 32)) <= x) == "(x & (y - 1)) <= x"
    assert show_z3(z3.BV2Int(z3.Int2BV(x, 32) ^ z3.Int2BV(-y, 32), is_signed=True) >= 0) == "(x ^ -y) >= 0"


def _inequality(coeffs: dict[str, int], bound: int) -> Inequality:
    return Inequality(tuple(sorted((n, Fraction(c)) for n, c in coeffs.items())), Fraction(bound))


def test_an_odd_number_that_is_not_negative_is_at_least_one():
    # x == 2q + 1 and x >= 0: over the rationals q >= -1/2, over the integers q >= 0
    cube = [_inequality({"x": 1, "q": -2}, 1), _inequality({"x": -1, "q": 2}, -1), _inequality({"x": -1}, 0)]
    assert _inequality({"q": -1}, 0) in tightened(cube)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.integers(-4, 4)), min_size=1, max_size=4))
def test_the_cuts_keep_every_integer_point_of_the_cube(rows):
    cube = [_inequality({"x": a, "y": b}, c) for a, b, c in rows if a or b]
    cube += [_inequality({"x": 1, "y": -2}, 1), _inequality({"x": -1, "y": 2}, -1)]  # x == 2y + 1
    def holds(ineq: Inequality, point: dict[str, int]) -> bool:
        return sum(c * point[n] for n, c in ineq.coeffs) <= ineq.bound

    cuts = tightened(cube)
    for x, y in itertools.product(range(-9, 10), repeat=2):
        point = {"x": x, "y": y}
        if all(holds(i, point) for i in cube):
            assert all(holds(i, point) for i in cuts), point


def test_the_int_encodings_bitwise_forms_are_restated_exactly_in_wide_bit_vectors():
    x, y = z3.Ints("x y")
    words = {"x": z3.BitVec("X", WIDTH), "y": z3.BitVec("Y", WIDTH)}
    machine = BVType(WIDTH, False)
    bits = {x.get_id(): (words["x"], machine), y.get_id(): (words["y"], machine)}
    modulus = 1 << WIDTH
    formulas = [z3.BV2Int(z3.Int2BV(x, WIDTH) & z3.Int2BV(x - 1, WIDTH)) < x,
                z3.BV2Int(z3.Int2BV(x, WIDTH) | z3.Int2BV(y + 1, WIDTH), is_signed=True) >= y - 3,
                (x + 5) / 4 == y % 3,
                z3.Int2BV(x * 3, WIDTH) == z3.Int2BV(y, WIDTH) << 1]
    for formula in formulas:
        wide = WideBV(bits).formula(formula)
        # on every pair of machine words, the wide form says what the integer formula says of their values
        solver = z3.Solver()
        solver.add(x == z3.BV2Int(words["x"]), y == z3.BV2Int(words["y"]), x >= 0, x < modulus, y >= 0, y < modulus)
        solver.add(wide != formula)
        assert solver.check() == z3.unsat, formula


def answer(tmp_path: Path, body: str, timeout: float = 20.0):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent("""\
        extern unsigned int __VERIFIER_nondet_uint(void);
        extern int __VERIFIER_nondet_int(void);
        int main(void) {
        """) + textwrap.indent(textwrap.dedent(body), "    ") + "    return 0;\n}\n")
    [result] = check(str(path), function="main", property="terminates", timeout=timeout, memory=None)
    return result


@pytest.mark.parametrize("body", [
    "unsigned x = __VERIFIER_nondet_uint();\nwhile (x != 0) x &= x - 1;\n",  # clears a bit a step
    "unsigned x = __VERIFIER_nondet_uint();\nwhile (x < 0xFFFFFFF0u) x = x | (x + 1);\n",  # sets one
    "unsigned x = __VERIFIER_nondet_uint(), m = 0x80000000u;\nwhile (m) { x &= ~m; m >>= 1; }\n",
    "int i = __VERIFIER_nondet_int();\nwhile (i > 0) i -= i & -i;\n",  # a Fenwick tree's walk down
    "unsigned x = __VERIFIER_nondet_uint();\nwhile (x & 1) x >>= 1;\n",
], ids=["clear-lowest", "set-lowest-zero", "mask-walk", "fenwick", "trailing-ones"])
def test_bitwise_loops_that_end_are_proved(tmp_path, body):
    result = answer(tmp_path, body)
    assert result.verdict == Verdict.YES, result.reason


def test_a_word_shifted_left_until_it_is_zero_is_proved_by_exhausting_its_bits(tmp_path):
    """No linear function ranks `x <<= 1` (x grows, then wraps to 0); every execution ends within 32
    iterations, which unrolling in bit-vectors shows at once (in integers, each step a product modulo
    2^32, it stayed undecided for 10 s)."""
    result = answer(tmp_path, "unsigned x = __VERIFIER_nondet_uint();\nwhile (x != 0) x = x << 1;\n")
    assert result.verdict == Verdict.YES, result.reason
    assert result.certificate["kind"] == "bounded exploration" and result.certificate["depth"] == 34


def test_a_counted_popcount_loop_is_free_of_overflow_within_its_bound(tmp_path):
    """c++ cannot overflow only because the loop ends within 32 iterations: the safety engine's bounded
    proof, re-checked in bit-vectors first where the integer encoding converts to them."""
    result = answer(tmp_path, "unsigned x = __VERIFIER_nondet_uint(); int c = 0;\nwhile (x) { x &= x - 1; c++; }\n")
    assert result.verdict == Verdict.YES, result.reason


@pytest.mark.parametrize("body", [
    "unsigned x = __VERIFIER_nondet_uint();\nwhile (x != 0) x = x ^ 0xFu;\n",  # 1, 14, 1, ...
    "unsigned x = __VERIFIER_nondet_uint();\nwhile (x > 10) x = x ^ 1u;\n",  # 12, 13, 12, ...
], ids=["xor-mask", "xor-one"])
def test_bitwise_loops_that_cycle_are_replayed_noes(tmp_path, body):
    result = answer(tmp_path, body)
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["replay"]["confirmed"]


def test_a_counter_that_wraps_to_the_value_that_ends_its_loop_is_proved(tmp_path):
    result = answer(tmp_path, "unsigned short s = __VERIFIER_nondet_uint();\nwhile (s != 0) s++;\n")
    assert result.verdict == Verdict.YES, result.reason
    assert result.certificate["loops"][0]["continuing"]  # the step 65535 -> 0 ends it: not ranked
    result = answer(tmp_path, "unsigned char c;\nfor (c = 1; c != 0; c++) ;\n")
    assert result.verdict == Verdict.YES, result.reason


def test_a_counter_that_wraps_and_goes_on_is_a_replayed_no(tmp_path):
    # for n > 255, c goes 255 -> 0 and on for ever: that step is followed by another, so it is ranked
    # (a continuation that shared the step's own wrap-around quotient had left it out: a wrong yes);
    # n > 255 is the closed recurrent set, an atom from c's range (its wrap-around's quotient is no
    # nondeterministic choice that could block the loop)
    result = answer(tmp_path, "unsigned char c;\nint n = __VERIFIER_nondet_int();\nfor (c = 0; c < n; c++) ;\n")
    assert result.verdict == Verdict.NO, (result.reason, result.certificate)
    assert result.witness["replay"]["confirmed"]
    assert next(d["value"] for d in result.witness["nondet"] if d["type"] == "int") > 255


def test_a_counter_that_chases_another_around_the_unsigned_circle_is_proved(tmp_path):
    # up in i > n to the wrap, then up in i < n: regions in order, the sides of its guard
    result = answer(tmp_path, "unsigned i = __VERIFIER_nondet_uint(), n = __VERIFIER_nondet_uint();\n"
                              "while (i != n) i++;\n")
    assert result.verdict == Verdict.YES, result.reason
    assert "phases" in result.certificate["loops"][0]


def test_a_continuing_certificate_is_rechecked_and_without_its_flag_rejected(tmp_path):
    result = answer(tmp_path, "unsigned short s = __VERIFIER_nondet_uint();\nwhile (s != 0) s++;\n")
    assert result.verdict == Verdict.YES, result.reason
    function = load(str(tmp_path / "program.c"), CheckOptions()).lower("main", "terminates")
    assert check_certificate(function, result.certificate, 20.0) is None
    flagless = copy.deepcopy(result.certificate)
    del flagless["loops"][0]["continuing"]
    assert check_certificate(function, flagless, 20.0) is not None  # the step that ends the loop is not ranked
