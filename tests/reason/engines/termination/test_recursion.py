"""Termination of recursive functions: unfolded into loops over the procedures' entries, with summaries."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3

from solomonic.reason import check
from solomonic.reason.recheck import recheck
from solomonic.reason.result import Verdict

RECURSIVE_PY = """
def ackermann(m: int, n: int) -> int:
    if m <= 0:
        return n + 1
    if n <= 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))

def down(n: int) -> int:
    return 0 if n == 0 else down(n - 1)

def even(n: int) -> bool:
    return True if n == 0 else odd(n - 1)

def odd(n: int) -> bool:
    return False if n == 0 else even(n - 1)

def parity(n: int) -> bool:
    if n < 0:
        return False
    return even(n)

def say(n: int) -> None:
    if n > 0:
        say(n - 1)
"""

MCCARTHY_C = """
extern int __VERIFIER_nondet_int(void);
int mc91(int n) {
    if (n > 100) return n - 10;
    return mc91(mc91(n + 11));
}
int main(void) {
    int x = __VERIFIER_nondet_int();
    return mc91(x);
}
"""


def answers(tmp_path: Path, source: str, suffix: str, prop: str = "terminates", **kw) -> dict:
    path = tmp_path / f"program{suffix}"
    path.write_text(textwrap.dedent(source))
    return {r.function: r for r in check(str(path), property=prop, timeout=30, **kw)}


@pytest.fixture(scope="module")
def python_results(tmp_path_factory):
    return answers(tmp_path_factory.mktemp("recursion"), RECURSIVE_PY, ".py")


def test_ackermann_is_ranked_lexicographically(python_results):
    r = python_results["ackermann"]
    assert r.verdict == Verdict.YES, r.reason
    [cycle] = r.certificate["loops"]
    assert cycle["ranking_text"] == ["ackermann.m", "ackermann.n"]  # m, then n for the inner call


def test_recursion_that_only_ends_for_some_arguments_is_not_a_yes(python_results):
    # down(-1) and even(-1) recurse forever on Python's unbounded integers
    for name in ("down", "even", "odd"):
        assert python_results[name].verdict != Verdict.YES, python_results[name].reason


def test_mutual_recursion_under_a_precondition(python_results):
    r = python_results["parity"]
    assert r.verdict == Verdict.YES, r.reason
    assert "even" in r.certificate["summary"] or r.certificate["loops"]


def test_a_recursive_function_that_returns_none_no_call_uses_is_ranked(python_results):
    """`say` returns None, but every call of it is a statement: the None is never seen (a call that uses
    such a result is refused: tests/reason/frontends/python/test_constructs.py)."""
    r = python_results["say"]
    assert r.verdict == Verdict.YES, r.reason


def test_mccarthy91_needs_a_summary_of_its_result(tmp_path):
    r = answers(tmp_path, MCCARTHY_C, ".c", function="main")["main"]
    assert r.verdict == Verdict.YES, r.reason
    # the outer call's argument mc91(n + 11) exceeds n: a fact about the result, proved as a summary
    assert "result - n >= -10" in r.certificate["summary_text"]["mc91"]


def test_a_certificate_is_rechecked_and_a_false_summary_is_caught(tmp_path):
    r = answers(tmp_path, MCCARTHY_C, ".c", function="main")["main"]
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json()]))
    assert recheck(str(saved), timeout_s=20)[0].confirmed is True
    data = json.loads(saved.read_text())
    for fact in data[0]["certificate"]["summaries"]["mc91"]:
        fact["conclusion"][1] -= 50  # claims results 50 larger than they are
    saved.write_text(json.dumps(data))
    again = recheck(str(saved), timeout_s=20)[0]
    assert again.confirmed is False and "certificate fails" in again.message


def test_safety_of_a_recursion_is_proved_over_its_unfolding(tmp_path):
    # n + 11 only where n <= 100, n - 10 only where n > 100: no overflow whatever a call returns
    r = answers(tmp_path, MCCARTHY_C, ".c", prop="no-overflow", function="main")["main"]
    assert r.verdict == Verdict.YES and "recursion unfolded" in r.certificate["summary"], r.reason


def test_an_overflow_deep_in_the_recursion_blocks_a_yes(tmp_path):
    r = answers(tmp_path, """
        extern int __VERIFIER_nondet_int(void);
        int fact(int n) { if (n <= 1) return 1; return n * fact(n - 1); }
        int main(void) { int x = __VERIFIER_nondet_int(); if (x < 0) return 0; return fact(x); }
        """, ".c", function="main")["main"]
    assert r.verdict == Verdict.UNKNOWN and "undefined behaviour" in r.reason


SUMS_OF_NOTHING = """
    extern int __VERIFIER_nondet_int(void);
    int even_part(int n);
    int odd_part(int n) {
        if (n <= 0) return 0;
        return even_part(n - 1) + even_part(n - 2);
    }
    int even_part(int n) {
        if (n <= 0) return 0;
        return odd_part(n - NEXT) + odd_part(n - 3);
    }
    int main() {
        return even_part(__VERIFIER_nondet_int());
    }
    """


def test_mutual_recursion_whose_sums_cannot_overflow_as_both_return_zero(tmp_path):
    # the sums are free of overflow only by the summaries (both return 0), which Houdini finds in a few
    # rounds over the unfolding: the other candidate atoms are read once, not each round (5 s each)
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(SUMS_OF_NOTHING.replace("NEXT", "1")))
    [r] = check(str(path), function="main", property="terminates", timeout=60)  # 10 s idle; 30 under load 20
    assert r.verdict == Verdict.YES, r.reason
    assert "even_part() returns result >= 0 and -result >= 0" in r.certificate["summary"]


def test_mutual_recursion_that_comes_back_to_its_own_argument_never_ends(tmp_path):
    r = answers(tmp_path, SUMS_OF_NOTHING.replace("NEXT", "-1"), ".c", function="main")["main"]
    assert r.verdict == Verdict.NO, r.reason  # even_part(1) calls odd_part(2), which calls even_part(1)
    assert r.witness["replay"]["confirmed"]


def test_a_call_that_repeats_itself_is_infinite_recursion_replayed_for_real(tmp_path):
    # g(1) calls g(g(0) + 1) = g(2), which calls g(g(1) + 1): g(1) again while the first g(1) runs (from
    # x = 2, g(2) comes back the same way); from x >= 3 the calls go down to g(1) first
    r = answers(tmp_path, """
        extern int __VERIFIER_nondet_int(void);
        int g(int x) { if (x == 0) return 1; return g(g(x - 1) + 1); }
        int main(void) { int x = __VERIFIER_nondet_int(); if (x < 0) return 0; return g(x); }
        """, ".c", function="main")["main"]
    assert r.verdict == Verdict.NO, r.reason
    repeated = r.witness["repeated_call"]
    assert repeated["function"] == "g" and repeated["arguments"] in ([1], [2]) and repeated["depth"] == 2
    assert r.witness["nondet"][0]["value"] >= 1 and r.witness["replay"]["confirmed"]


def test_infinite_recursion_that_needs_chosen_values(tmp_path):
    r = answers(tmp_path, """
        extern int __VERIFIER_nondet_int(void);
        int search(int i, int j) {
            if (i >= j) return i;
            int mid = (i + j) / 2;
            if (__VERIFIER_nondet_int()) return search(i, mid);
            return search(mid + 1, j);
        }
        int main(void) {
            int x = __VERIFIER_nondet_int(), y = __VERIFIER_nondet_int();
            if (x < -1000 || x > 1000 || y < -1000 || y > 1000) return 0;
            return search(x, y);
        }
        """, ".c", function="main")["main"]
    assert r.verdict == Verdict.NO, r.reason  # search(-1, 0): mid = 0 under C's truncating division
    assert "reading the same values again" in r.reason and r.witness["replay"]["confirmed"]


def test_an_unbounded_python_recursion_is_a_no_replayed_as_a_repeated_call(tmp_path):
    """CPython would stop `g(1)` with RecursionError, a resource limit like C's stack, not a way out of
    the function: the real run is seen calling g(1) again while the first call is active. (From x >= 0
    the first calls go down to g(0), which returns, so no chain of first calls shows it.)"""
    r = answers(tmp_path, """
        def g(x: int) -> int:
            if x == 0:
                return 1
            return g(g(x - 1) + 1)

        def from_natural(x: int) -> int:
            if x < 0:
                return 0
            return g(x)
        """, ".py", function="from_natural")["from_natural"]
    assert r.verdict == Verdict.NO, r.reason
    assert "calls itself again with the same arguments" in r.reason and r.witness["inputs"]["x"] > 0
    assert r.witness["replay"]["confirmed"] and "RecursionError" in r.witness["replay"]["observed"]


@pytest.mark.parametrize(("source", "name", "inside"), [
    # down(-1) calls down(-2), down(-3), ...: never the same arguments twice
    ("def down(x: int) -> int:\n    if x == 0:\n        return 0\n    return down(x - 1)\n", "down", [-9, -20]),
    # odd n misses the base case by steps of two, upwards or downwards
    ("def by_two(n: int) -> int:\n    if n == 0:\n        return 0\n    return 1 + by_two(n - 2)\n", "by_two", [-9, -21]),
    # mutual recursion, with the witness's first call into the other function
    ("def is_odd(n: int) -> int:\n    return 0 if n == 0 else is_even(n - 1)\n\n"
     "def is_even(n: int) -> int:\n    return 1 if n == 0 else is_odd(n - 1)\n", "is_odd", [-9, -20]),
])
def test_a_python_recursion_that_only_goes_deeper_is_a_no_by_a_closed_set_of_calls(tmp_path, source, name, inside):
    """No activation repeats, yet none returns: every call in the recurrent set makes its first call into
    the set again (re-checked from the certificate's text), and the real run reaches the recursion limit."""
    r = answers(tmp_path, source, ".py", function=name)[name]
    assert r.verdict == Verdict.NO, r.reason
    assert "so again before it can return" in r.reason, r.reason
    calls = r.witness["recurrent_calls"]
    ctx = z3.Context()
    decls = "".join(f"(declare-const |{v}| Int)" for v in calls["variables"])
    formula = z3.parse_smt2_string(f"{decls}(assert {calls['smt2']})", ctx=ctx)[0]
    [variable] = calls["variables"]
    assert [z3.is_true(z3.simplify(z3.substitute(formula, (z3.Int(variable, ctx), z3.IntVal(v, ctx)))))
            for v in [*inside, 0]] == [True] * len(inside) + [False], calls["formula"]  # 0 is a base case
    assert r.witness["replay"]["confirmed"] and "RecursionError" in r.witness["replay"]["observed"]


def test_a_recursion_that_ends_from_every_argument_it_is_given_is_not_a_no(tmp_path):
    """The same descent behind a guard: `down` is only called from x >= 0, so no chain of calls starts."""
    r = answers(tmp_path, """
        def down(x: int) -> int:
            if x == 0:
                return 0
            return down(x - 1)

        def guarded(x: int) -> int:
            if x < 0:
                return 0
            return down(x)
        """, ".py", function="guarded")["guarded"]
    assert r.verdict == Verdict.YES, r.reason
