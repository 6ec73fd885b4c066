"""The order and the reuse of the termination analysis's stages (issue 25: the median task under 1 s): a
plainly ranked loop is proved before any lasso search, the full proof takes up what the quick stage
found, the ranking's linear programs are read as text, and a recursion's tables neither crowd
Houdini's candidates nor split the steps that are ranked."""

from __future__ import annotations

import textwrap
import time
from fractions import Fraction
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines import houdini as houdini_module
from solomonic.reason.engines.termination import proof
from solomonic.reason.engines.termination.analysis import _Termination, analyse
from solomonic.reason.engines.termination.lasso import LassoSearch
from solomonic.reason.engines.termination.linear import Inequality
from solomonic.reason.engines.termination.ranking import Transition, _numeral, synthesise
from solomonic.reason.engines.termination.summaries import candidates_with_summaries, summarised
from solomonic.reason.result import Verdict

COUNTDOWN = """
    extern int __VERIFIER_nondet_int(void);
    int main(void) {
        int x = __VERIFIER_nondet_int(), y = __VERIFIER_nondet_int();
        while (x > 0 && y < 1000) { x = x - 1; y = y + 1; }
        return 0;
    }
    """
# towards zero from either side: no lexicographic linear function ranks it, the regions x > 0 and x < 0 do
EITHER_SIDE = """
    extern int __VERIFIER_nondet_int(void);
    int main(void) {
        int x = __VERIFIER_nondet_int();
        while (x != 0) { if (x > 0) x = x - 1; else x = x + 1; }
        return 0;
    }
    """
FIBONACCI = """
    extern int __VERIFIER_nondet_int(void);
    int fibonacci(int n) {
        if (n < 1) return 0;
        else if (n == 1) return 1;
        else return fibonacci(n - 1) + fibonacci(n - 2);
    }
    int main(void) {
        int x = __VERIFIER_nondet_int();
        if (x > 40 || x < 1) return 0;
        return fibonacci(x);
    }
    """


def lowered(tmp_path: Path, source: str):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(source))
    return load(str(path), CheckOptions()).lower("main")


def test_a_plainly_ranked_loop_is_proved_before_any_lasso_search(tmp_path, monkeypatch):
    def no_lasso(*_args, **_kwargs):
        raise AssertionError("a lasso search ran before the quick proof answered")

    monkeypatch.setattr(LassoSearch, "lasso", no_lasso)
    result = analyse(lowered(tmp_path, COUNTDOWN), 30.0)
    assert result.verdict == Verdict.YES, result.reason


def test_the_full_proof_takes_up_houdinis_invariants_from_the_quick_stage(tmp_path, monkeypatch):
    calls = []
    real = proof.houdini

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(proof, "houdini", counted)
    result = analyse(lowered(tmp_path, EITHER_SIDE), 30.0)
    assert result.verdict == Verdict.YES, result.reason
    assert "phases" in result.certificate["loops"][0]  # so the quick stage could not answer
    assert len(calls) == 1  # neither the lasso search between nor the full proof ran Houdini again


def test_a_ranking_found_by_the_quick_stage_is_checked_once_with_the_invariants(tmp_path, monkeypatch):
    checked = []
    real = proof.certificate.check

    def counted(system, invariants, timeout_s, ctx=None):
        checked.append([inv.smt2 for inv in invariants])
        return real(system, invariants, timeout_s, ctx)

    monkeypatch.setattr(proof.certificate, "check", counted)
    result = analyse(lowered(tmp_path, COUNTDOWN), 30.0)
    assert result.verdict == Verdict.YES, result.reason
    # the check that shows undefined behaviour unreachable is the certificate's own: not repeated
    assert len(checked) == 1
    assert checked[0] == [inv["smt2"] for inv in result.certificate["invariants"]]


def test_essential_drops_only_what_the_others_imply():
    ctx = z3.Context()
    x, y = z3.Int("x", ctx), z3.Int("y", ctx)
    assert [str(a) for a in houdini_module.essential([x >= 1, x >= 0, y <= 3, y <= 5], ctx)] == ["x >= 1", "y <= 3"]
    assert houdini_module.essential([x >= 0], ctx)[0].eq(x >= 0)


def test_numerals_of_the_linear_programs_text():
    assert _numeral(Fraction(3)) == "3.0"
    assert _numeral(Fraction(-3, 2)) == "(- (/ 3.0 2.0))"
    assert _numeral(Fraction(0)) == "0.0"


def test_the_text_linear_program_finds_a_two_level_ranking_with_rational_steps():
    # x' = x - 1 while x >= 1, y >= 0 unchanged (block 0); y' = y - 1 while y/2 >= 1/2, x' = x + 5 (block 1):
    # y first, then x
    def cube(*rows):
        return [Inequality(tuple(sorted(coeffs.items())), Fraction(bound)) for coeffs, bound in rows]

    one, half = Fraction(1), Fraction(1, 2)
    down_x = cube(({"x": -one}, -1), ({"y": -one}, 0), ({"x'": one, "x": -one}, -1), ({"x'": -one, "x": one}, 1),
                  ({"y'": one, "y": -one}, 0), ({"y'": -one, "y": one}, 0))
    down_y = cube(({"y": -half}, Fraction(-1, 2)), ({"y'": one, "y": -one}, -1), ({"y'": -one, "y": one}, 1),
                  ({"x'": one, "x": -one}, 5), ({"x'": -one, "x": one}, -5))
    ranking = synthesise([Transition(0, 0, 7, 7, down_x), Transition(1, 0, 7, 7, down_y)], {7: ["x", "y"]}, 10.0)
    assert ranking is not None
    assert [level[7].text() for level in ranking.levels] == ["y", "x"]
    assert ranking.decreases == {1: {0: Fraction(1)}, 0: {1: Fraction(1)}}


def test_a_recursions_tables_neither_crowd_houdini_nor_split_the_ranked_steps(tmp_path):
    function = lowered(tmp_path, FIBONACCI)
    unfolding = summarised(function, time.monotonic() + 20)
    tables = unfolding.tabulated["fibonacci"]
    assert any(f.text() == "n == 40 -> result == 102334155" for f in tables)
    analysis = _Termination(unfolding.function, time.monotonic() + 60, unfolding)
    atoms = candidates_with_summaries(analysis.system, analysis.enc, unfolding)
    returns = set(unfolding.returns.values())
    assert not any("102334155" in str(a) for c, found in atoms.items() if c not in returns for a in found)
    invariants = analysis.invariants()
    assert isinstance(invariants, dict), invariants
    [loop] = analysis.loops
    widened = analysis.transitions(loop, invariants, widen=True)
    exact = analysis.transitions(loop, invariants)
    assert widened and all(t.widened for t in widened) and not any(t.widened for t in exact)
    assert len(widened) < 10 < len(exact)  # one cube a table entry, where the descent never reads a result


def test_the_tabulated_recursion_is_a_rechecked_yes(tmp_path):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(FIBONACCI))
    [result] = check(str(path), function="main", property="terminates", timeout=60)
    assert result.verdict == Verdict.YES, result.reason
    assert "n == 40 -> result == 102334155" in result.certificate["summary_text"]["fibonacci"]
