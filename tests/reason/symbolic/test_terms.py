"""What the analyses read off a Z3 term through Z3's C API (encode.applications): its variables, whether
it turns integers into bit-vectors, whether it multiplies variables. Each walk sees every subterm once,
shared ones included, and quantifier bodies where the question needs them."""

from __future__ import annotations

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from z3 import z3util

from solomonic.reason.engines.sampled import nonlinear
from solomonic.reason.ir import free_vars
from solomonic.reason.symbolic.encode import Encoder, constants, converts_to_bits
from tests.reason.symbolic.test_encodings import expression_and_values

x, y, z, i = z3.Ints("x y z i")
a = z3.Array("a", z3.IntSort(), z3.IntSort())
bits = z3.BV2Int(z3.Int2BV(x, 8) & z3.Int2BV(y, 8))


def test_the_constants_of_a_term_are_its_variables_with_their_sorts():
    found = constants(z3.And(x + 3 * y > 2, z3.If(z > 0, x, 1) == 0))
    assert set(found) == {"x", "y", "z"}
    assert all(isinstance(found[n], z3.ArithRef) and found[n].eq(v) for n, v in [("x", x), ("y", y), ("z", z)])


def test_the_constants_of_a_quantified_fact_are_those_of_its_body_less_the_bound_variable():
    found = constants(z3.ForAll([i], z3.Implies(i > x, a[i] >= y)))
    assert set(found) == {"a", "x", "y"}
    assert isinstance(found["a"], z3.ArrayRef)


def test_a_term_converts_to_bits_only_where_it_applies_int2bv_outside_quantifiers():
    assert converts_to_bits([x > 0, bits == z])
    assert not converts_to_bits([x > 0, z3.And(y < 2, x == y)])
    assert not converts_to_bits([z3.ForAll([i], z3.BV2Int(z3.Int2BV(a[i], 8)) > 0)])


def test_a_product_of_two_variables_is_nonlinear_a_product_with_constants_is_not():
    assert nonlinear(x * y > 1)
    assert nonlinear(x * (y + 1) > 0)
    assert nonlinear(z3.ForAll([i], a[i] * x >= 0))
    assert not nonlinear(x * 2 * 3 > 0)
    assert nonlinear(z3.Real("r") * 2 > 0)  # as z3.is_int_value reads it: a real numeral is no integer value
    assert not nonlinear(z3.And(x + y > 0, 5 * z == 3))


def test_a_shared_subterm_is_walked_once():
    term = 2 * x + z
    for _ in range(60):  # 2^60 paths through the DAG, 60 distinct subterms
        term = term + term
    assert not nonlinear(term > 0)  # a walk of every path would not end
    assert set(constants(term > 0)) == {"x", "z"}


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_constants_of_an_encoded_expression_are_those_z3util_finds(data):
    """Against z3's own (slow) walk, on random machine expressions in both encodings: the same names,
    each of the same sort; none that the expression's variables and the integer encoding's quotients
    of wrap-around do not account for."""
    e, _ = expression_and_values(data)
    names = {v.name for v in free_vars(e)}
    ctx = z3.Context()
    for mode in ("bv", "int"):
        enc = Encoder(mode, ctx)
        term = enc.expr(e, {v: enc.constant(v.name, v.type) for v in free_vars(e)})
        found = constants(term)
        expected = {str(v): v for v in z3util.get_vars(term)}
        assert set(found) == set(expected), (mode, str(e))
        assert all(found[n].sort() == expected[n].sort() for n in found)
        assert all(n in names or n.startswith("wrapq!") for n in found), (mode, str(e))
