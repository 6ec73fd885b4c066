"""Polynomial invariants read off concrete runs (engines/sampled.py): candidates only, kept where
Houdini finds them inductive, and a proof from them re-checked like any other."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.result import Verdict

SUMS = Path(__file__).parents[3] / "benchmarks" / "c" / "polynomial_sums.c"

PYTHON_SUMS = """
def cubes(a: int) -> bool:
    if a < 0:
        return True
    n, x, y, z = 0, 0, 1, 6
    while n <= a:
        n, x, y, z = n + 1, x + y, y + z, z + 6
    return y == 3 * n * n + 3 * n + 1
"""


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


@pytest.mark.parametrize("function", ["triangle", "odd_sums"])
def test_a_polynomial_invariant_proves_what_linear_lemmas_cannot(function):
    path = str(SUMS)
    [result] = check(path, function=function, property="returns-true", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    assert any("*" in inv["invariant"] for inv in result.certificate["invariants"])
    assert confirm(load(path, CheckOptions()).lower(function, "returns-true"), result, 20).confirmed


def test_an_equality_the_runs_do_not_support_is_never_proved():
    path = str(SUMS)
    [result] = check(path, function="off_by_one", property="returns-true", timeout=30)
    assert result.verdict == Verdict.NO and result.witness["replay"]["confirmed"], result.reason


def test_python_loops_get_polynomial_invariants_too(tmp_path):
    path = write(tmp_path, "cubes.py", PYTHON_SUMS)
    [result] = check(path, function="cubes", property="returns-true", timeout=30)
    assert result.verdict == Verdict.YES, result.reason


# `x + y` cannot overflow only because y == 3*n*n + 3*n + 1 (and x, the sum of such, grows with it) with
# n <= a + 1 <= 1001: no error here multiplies variables, yet only polynomial facts exclude it
CUBES_OVERFLOW = """
    extern int __VERIFIER_nondet_int(void);
    int main(void) {
        int a = __VERIFIER_nondet_int();
        if (a < 0 || a > 1000) return 0;
        int n = 0, x = 0, y = 1, z = 6;
        while (n <= a) { n = n + 1; x = x + y; y = y + z; z = z + 6; }
        return x;
    }
    """

# i and j move together (j == 2*i + 1): the products of that with each variable vanish too, but say
# nothing new, and are no candidates
LINEAR_ONLY = """
    extern int __VERIFIER_nondet_int(void);
    int main(void) {
        int n = __VERIFIER_nondet_int(), i = 0, j = 1;
        while (i < n) { i = i + 1; j = j + 2; }
        return j;
    }
    """


def test_cubes_exclude_an_overflow_whose_guard_is_linear(tmp_path):
    path = write(tmp_path, "cubes.c", CUBES_OVERFLOW)
    [result] = check(path, function="main", property="no-overflow", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    stated = " ".join(inv["invariant"] for inv in result.certificate["invariants"])
    assert "n*n" in stated.replace(" ", ""), stated
    assert confirm(load(path, CheckOptions()).lower("main", "no-overflow"), result, 30).confirmed


def test_the_runs_offer_no_products_of_linear_equalities(tmp_path):
    import z3

    from solomonic.reason.engines.safety import build_system
    from solomonic.reason.engines.sampled import equalities, nonlinear, observed
    from solomonic.reason.result import PROPERTY_ERRORS
    from solomonic.reason.symbolic.encode import Encoder

    function = load(write(tmp_path, "linear.c", LINEAR_ONLY), CheckOptions()).lower("main", "no-overflow")
    system = build_system(function, PROPERTY_ERRORS["no-overflow"], set())
    found = equalities(observed(function, system), Encoder("int", z3.Context()))
    facts = [str(f).replace(" ", "") for fs in found.values() for f in fs]
    assert any("j" in f and "i" in f for f in facts), facts  # j == 2*i + 1
    assert not any(nonlinear(f) for fs in found.values() for f in fs), facts


# Cohen's division: six variables at the inner loop's head, and inputs the assumption keeps to x >= 0,
# y >= 1 (half of [-24, 24]'s draws stop there); the equalities are b == y*a and x == q*y + r
COHEN_DIVISION = """
    extern int __VERIFIER_nondet_int(void);
    extern void abort(void);
    int main(void) {
        int x = __VERIFIER_nondet_int(), y = __VERIFIER_nondet_int();
        if (!(x >= 0 && x <= 100000 && y >= 1 && y <= 100)) abort();
        int q = 0, r = x, a = 0, b = 0;
        while (r >= y) {
            a = 1; b = y;
            while (r >= 2 * b) { a = 2 * a; b = 2 * b; }
            r = r - b; q = q + a;
        }
        return x - q * y - r;
    }
    """


def test_the_runs_show_equalities_over_six_variables_and_no_coincidences(tmp_path):
    import z3

    from solomonic.reason.engines.safety import build_system
    from solomonic.reason.engines.sampled import equalities, observed
    from solomonic.reason.result import PROPERTY_ERRORS
    from solomonic.reason.symbolic.encode import Encoder

    function = load(write(tmp_path, "cohendiv.c", COHEN_DIVISION), CheckOptions()).lower("main", "no-overflow")
    system = build_system(function, PROPERTY_ERRORS["no-overflow"], set())
    found = equalities(observed(function, system), Encoder("int", z3.Context()))
    inner = max(found, key=lambda head: len(system.params[head]))  # the head where a and b are live
    facts = {str(z3.simplify(f)).replace(" ", "") for f in found[inner]}
    # each read as the runs give it, up to sign: b == y*a, and x == q*y + r
    assert any("a*y" in f and "b" in f and "q" not in f for f in facts), facts
    assert any("q*y" in f and "r" in f and "x" in f for f in facts), facts
    assert len(facts) == 2, facts  # no equality that held only on the first few states (q == 0, r == x)


def test_an_assertion_of_degree_four_is_its_own_invariant(tmp_path):
    # 4x == y^4 + 2y^3 + y^2 (Nguyen et al.'s ps4): past the runs' degree 2, but the guard's own atom
    # is inductive; with long long and k a short, nothing overflows
    path = write(tmp_path, "ps4.c", """
        extern short __VERIFIER_nondet_short(void);
        extern void reach_error(void);
        int main(void) {
            short k = __VERIFIER_nondet_short();
            long long y = 0, x = 0, c = 0;
            while (c < k) {
                if (!(4*x - y*y*y*y - 2*y*y*y - y*y == 0)) reach_error();
                c = c + 1; y = y + 1; x = y*y*y + x;
            }
            return 0;
        }
        """)
    [result] = check(path, function="main", property="assert", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    assert confirm(load(path, CheckOptions()).lower("main", "assert"), result, 30).confirmed


# s counts a triangle: 2*s == 2*i*n - i*i + 2*j - i at the inner head. Its 120 states, from few runs,
# also satisfied a seven-product polynomial by coincidence, whose presence timed the proof out
TRIANGLE = """
    extern int __VERIFIER_nondet_int(void);
    extern void abort(void);
    void assume_abort_if_not(int cond) { if (!cond) abort(); }
    int main(void) {
        int n = __VERIFIER_nondet_int();
        assume_abort_if_not(n >= 0 && n <= 1000);
        int i, j, s = 0;
        for (i = 0; i < n; i++)
            for (j = i; j < n; j++)
                s++;
        return s;
    }
    """


def test_the_equalities_with_the_fewest_products_are_the_candidates(tmp_path):
    import z3

    from solomonic.reason.engines.safety import build_system
    from solomonic.reason.engines.sampled import equalities, observed
    from solomonic.reason.result import PROPERTY_ERRORS
    from solomonic.reason.symbolic.encode import Encoder

    function = load(write(tmp_path, "triangle.c", TRIANGLE), CheckOptions()).lower("main", "no-overflow")
    system = build_system(function, PROPERTY_ERRORS["no-overflow"], set())
    found = equalities(observed(function, system), Encoder("int", z3.Context()))
    inner = max(found, key=lambda head: len(system.params[head]))
    assert len(found[inner]) == 1, found[inner]  # the two-product one (i*i, i*n) alone
    [result] = check(write(tmp_path, "triangle.c", TRIANGLE), function="main", property="no-overflow", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
