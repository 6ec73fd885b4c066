"""Quantified array invariants (engines/array_facts.py): what a loop that walks an array by its counter
keeps of the cells it has passed proves init-then-check programs over arrays far too long to unroll;
a fact that does not hold is never kept; the certificate is re-checked, and a wrong quantified
invariant fails the check."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.certify import certificate
from solomonic.reason.engines.array_facts import array_candidates, with_array_facts
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.engines.houdini import candidates, houdini
from solomonic.reason.engines.safety import Options, _Analysis
from solomonic.reason.result import Verdict
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.printer import show_z3
from solomonic.reason.symbolic.system import build_system

# the benchmark's functions (docs/benchmarks.md, "Quantified invariants over arrays"): each one class
BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "c" / "array_loops.c"

HEADER = """
    extern int __VERIFIER_nondet_int(void);
    extern void reach_error(void);
    void __VERIFIER_assert(int cond) { if (!cond) reach_error(); }
    #define N 100000
    """

# a program variable named k: the quantified index must be another name, or it would capture it
INDEX_NAMED_K = HEADER + """
    int main(void) {
        int a[N];
        int k = __VERIFIER_nondet_int();
        for (int i = 0; i < N; i++) a[i] = i;
        for (int x = 0; x < N; x++) __VERIFIER_assert(a[x] == x || k == k + 0);
        return 0;
    }
    """


@pytest.fixture(autouse=True)
def patient_facts_proof(monkeypatch):
    """What the facts prove, not how fast: the proof gets 20 s (5 s at most in use), so that a busy host's
    pytest workers do not turn a proof into a timeout."""
    import solomonic.reason.engines.safety as safety

    monkeypatch.setattr(safety, "FACTS_MAX_S", 20.0)


def analysis(tmp_path, text: str | None, prop: str = "assert", name: str = "main"):
    """The safety analysis of `name` in `text` (None: in the benchmark), its system built."""
    path = BENCHMARK
    if text is not None:
        path = tmp_path / "program.c"
        path.write_text(textwrap.dedent(text))
    function = load(str(path), CheckOptions()).lower(name, prop)
    found = _Analysis(function, prop, Options(timeout_s=30), time.monotonic() + 30)
    found.system = build_system(function, found.error_kinds, found.poison_kinds)
    return function, found


@pytest.mark.parametrize("name, stated", [
    ("copy", "forall k: 0 <= k && 100000 > k -> b[k] == a[k]"),
    ("fill_down", "forall k: -1 < k && 99999 >= k -> 7 == a[k]"),
    ("minimum", "forall k: 0 <= k && 100000 > k -> !(a[k] < m)"),
    ("partition", "forall k: 0 <= k && k < nb -> !(0 > b[k])"),
    ("copy_two_indices", "forall k: 0 <= k && 100000 > k -> !(a[k] != b[k])"),
    ("sentinel", "(forall k: 0 <= k && k < i -> a[k] != marker) && i <= pos && a[pos] == marker"),
    ("reverse", "forall k: (99999 - i) < k && 99999 >= k -> b[k] == a[(99999 - k)]"),
    ("running", "(forall k: 1 <= k && k < i -> !(a[k] != k)) && 0 == a[0]"),
    ("zero", "k < (n + a$offset) -> 0 == a$elements[k]"),  # a pointer parameter's cells, at its offset
    ("compare", "same != 1 || (forall k: 0 <= k && k < i -> a[k] == b[k])"),  # behind a flag's value
])
def test_a_loops_cells_prove_a_check_over_an_array_too_long_to_unroll(tmp_path, name, stated):
    function, found = analysis(tmp_path, None, name=name)
    result = found.facts_proof()
    assert result is not None and result.verdict == Verdict.YES
    text = " ".join(inv["invariant"] for inv in result.certificate["invariants"])
    assert stated in text.replace("a[k] >= m", "!(a[k] < m)"), text
    assert confirm(function, result, 20).confirmed
    assert "-> 0 > a[k]" not in text  # no fact over a range of no cells (nb before its loop: any fact holds)


def test_a_search_that_stops_at_a_sentinel_terminates():
    """Its reads stay in bounds only by the quantified fact and its companion `i <= pos`, which the
    termination proof takes from the arrays' Houdini; the ranking is found without the quantifier."""
    (result,) = check(str(BENCHMARK), function="sentinel", property="terminates", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    assert "forall k" in " ".join(inv["invariant"] for inv in result.certificate["invariants"])


def test_a_copy_one_short_keeps_no_fact_about_the_last_cell(tmp_path):
    """b[7] is never written: the closed fact over all 8 cells is a candidate and is dropped, and the
    facts prove nothing (the assertion fails for some contents)."""
    _, found = analysis(tmp_path, None, name="copy_one_short")
    system = found.system
    enc = Encoder("int", z3.Context())
    cells = array_candidates(system, enc)
    offered = [show_z3(c) for cs in cells.values() for c in cs]
    assert any("8 > k -> b[k] == a[k]" in c for c in offered)
    kept = with_array_facts(system, enc, houdini(system, enc, candidates(system, enc), 10), cells, 10)
    shown = [show_z3(c) for cs in kept.values() for c in cs if z3.is_quantifier(c)]
    assert any("k < i -> b[k] == a[k]" in c for c in shown)  # the open fact still holds
    assert not any("8 > k -> b[k] == a[k]" in c for c in shown)
    assert found.facts_proof() is None


def test_a_wrong_quantified_invariant_fails_the_check(tmp_path):
    _, found = analysis(tmp_path, None, name="copy")
    result = found.facts_proof()
    assert result is not None and result.verdict == Verdict.YES
    invariants = [certificate.Invariant.from_json(i) for i in result.certificate["invariants"]]
    assert certificate.check(found.system, invariants, 20)[0] is None
    wrong = [certificate.Invariant(i.location, i.line, i.variables, i.smt2.replace("(select a k)", "(+ (select a k) 1)"),
                                   i.text) for i in invariants]
    assert any(w.smt2 != i.smt2 for w, i in zip(wrong, invariants))
    assert certificate.check(found.system, wrong, 20)[0] is not None


# a store at a nondeterministic index inside the loop (SV-COMP's NonTermination3-1): no counter, no cell fact
NONDETERMINISTIC_INDEX = HEADER + """
    int main(void) {
        int a[10], i = __VERIFIER_nondet_int();
        for (int n = 0; n < 10; n++) a[n] = __VERIFIER_nondet_int();
        while (0 <= i && i < 10 && a[i] >= 0) { i = __VERIFIER_nondet_int(); a[i] = 0; }
        return 0;
    }
    """


def test_a_store_at_a_nondeterministic_index_offers_no_fact_about_it(tmp_path):
    _, found = analysis(tmp_path, NONDETERMINISTIC_INDEX)
    offered = array_candidates(found.system, Encoder("int", z3.Context()))  # was a KeyError on the index
    assert not any("== 0" in show_z3(c) and "nd!" in show_z3(c) for cs in offered.values() for c in cs)


def test_the_quantified_index_never_captures_a_program_variable(tmp_path):
    _, found = analysis(tmp_path, INDEX_NAMED_K)
    offered = array_candidates(found.system, Encoder("int", z3.Context()))
    texts = [show_z3(c) for cs in offered.values() for c in cs if z3.is_quantifier(c)]
    assert texts and all(t.startswith("forall k_:") for t in texts), texts
