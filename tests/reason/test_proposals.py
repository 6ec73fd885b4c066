"""A proposer's candidate invariants (issue 28): read exactly, used where they help, never able to change a
verdict without a re-checked certificate."""

from __future__ import annotations

import pytest
import z3

from solomonic.reason.api import check
from solomonic.reason.proposals import SEPARATOR, conjuncts, parse
from solomonic.reason.result import Verdict

COUNTERS = """extern int __VERIFIER_nondet_int(void);
int main(void) {
  int n = __VERIFIER_nondet_int();
  if (n > 1000) return 0;
  int x = 0, y = 0;
  while (x < n) { x++; y++; }
  return 0;
}
"""
# one C function of each verdict the termination engine gives, and a Python one
PROGRAMS = {
    "counters.c": (COUNTERS, "main", Verdict.YES),
    "forever.c": ("int f(int x) { while (x > 0) { x = x + 0; } return x; }\n", "f", Verdict.NO),
    "overflows.c": ("int f(int x) { int i = 0; while (i < 10) { x = x * 2; i++; } return x; }\n", "f",
                    Verdict.UNKNOWN),
    "halves.py": ("def f(n: int):\n    while n > 1:\n        n = n // 2\n    return n\n", "f", Verdict.YES),
    "spins.py": ("def f(n: int):\n    while n != 0:\n        n = n - 2\n    return n\n", "f", Verdict.NO),
}


class Fixed:
    """A proposer that proposes the same text for every loop, and remembers what it was told it got right."""

    def __init__(self, *proposals: str):
        self.proposals = list(proposals)
        self.name = "fixed:" + "|".join(proposals)
        self.confirmations: list[tuple[str, dict[int, str]]] = []
        self.asked: list[str] = []

    def propose(self, loop: str, k: int) -> list[str]:
        self.asked.append(loop)
        return self.proposals[:k]

    def confirmed(self, result, loops) -> None:
        self.confirmations.append((result.function, dict(loops)))


# false everywhere, false at entry, not inductive, contradicting the guard, about names no head has, not
# Boolean, not SMT-LIB, several terms smuggled into one
WRONG = SEPARATOR.join(["false", "(< x 0)", "(= x 7)", "(> n 5000)", "(< i 0)", "(= n (- 1))", "(<= zz 3)",
                        "(+ x 1)", "x <= 3 &&", "(> x 0)) (assert false"])


def answers(tmp_path, proposer=None) -> dict[str, tuple[Verdict, list]]:
    """Each program's verdict, and the proposals its certificate states."""
    out = {}
    for name, (text, function, _) in PROGRAMS.items():
        path = tmp_path / name
        path.write_text(text)
        [result] = check(str(path), function=function, property="terminates", timeout=10, proposer=proposer)
        out[name] = (result.verdict, result.details.get("proposals", {}).get("used", []))
    return out


def test_a_wrong_proposer_changes_no_verdict(tmp_path):
    """Deliberately wrong proposals cost time only: every verdict is the one given without a proposer (and
    the one each program has), and no certificate states any of them."""
    wrong = Fixed(WRONG, "(<= x (- 5))")
    without, with_wrong = answers(tmp_path), answers(tmp_path, wrong)
    assert {n: v for n, (v, _) in without.items()} == {n: e for n, (_, _, e) in PROGRAMS.items()}
    assert {n: v for n, (v, _) in with_wrong.items()} == {n: v for n, (v, _) in without.items()}
    assert wrong.asked and not wrong.confirmations
    assert all(used == [] for _, used in with_wrong.values())


def test_a_right_proposal_is_stated_in_the_certificate_and_recorded(tmp_path):
    path = tmp_path / "counters.c"
    path.write_text(COUNTERS)
    right = Fixed(SEPARATOR.join(["(= x y)", "(<= x 1000)"]))
    [result] = check(str(path), function="main", property="terminates", proposer=right)
    assert result.verdict == Verdict.YES
    assert result.details["proposals"]["used"] == ["(= x y)", "(<= x 1000)"]
    assert any("x == y" in inv["invariant"] for inv in result.certificate["invariants"])
    [(function, loops)] = right.confirmations
    assert function == "main" and list(loops.values()) == right.asked


def test_answers_helped_by_a_proposer_are_remembered_apart(tmp_path):
    """An unknown remembered without a proposer is not served to a question asked with one."""
    path, memory = tmp_path / "counters.c", str(tmp_path / "proofs.sqlite")
    path.write_text(COUNTERS)
    check(str(path), function="main", property="terminates", memory=memory)
    [result] = check(str(path), function="main", property="terminates", memory=memory,
                     proposer=Fixed("(= x y)"))
    assert result.verdict == Verdict.YES and not result.details.get("from_memory")


@pytest.mark.parametrize("term", ["(<= y 0)", "(+ x 1)", "((", "", "(> x 0)) (assert (< x 0)", "x <= n"])
def test_only_boolean_terms_over_the_heads_variables_are_read(term):
    ctx = z3.Context()
    variables = {"x": z3.Int("x", ctx), "n": z3.Int("n", ctx)}
    assert parse(term, variables, ctx) is None
    assert parse("(<= (+ x 4) n)", variables, ctx).eq(z3.Int("x", ctx) + 4 <= z3.Int("n", ctx))


def test_conjuncts_are_split_at_the_separator_and_deduplicated():
    assert conjuncts(["(>= x 0) ; (<= x n)", "(<= x n);(= y 0)", " ; "]) == ["(>= x 0)", "(<= x n)", "(= y 0)"]


def test_svcomp_asks_the_proposer_for_termination_tasks(tmp_path):
    from solomonic.reason import svcomp

    (tmp_path / "counters.c").write_text(COUNTERS)
    (tmp_path / "counters.yml").write_text(
        "format_version: '2.0'\ninput_files: counters.c\nproperties:\n"
        "  - property_file: ../properties/termination.prp\n    expected_verdict: true\n")
    right = Fixed("(= x y)")
    report = svcomp.run([str(tmp_path)], "termination", 10, progress=False, proposer=right)
    assert report["summary"]["correct true"] == 1 and report["summary"]["with proposals used"] == 1
    assert report["tasks"][0]["proposals_used"] == 1 and len(right.confirmations) == 1


STEPS = """extern int __VERIFIER_nondet_int(void);
int main(void) {
  int n = __VERIFIER_nondet_int();
  if (n < 0 || n > 1000) return 0;
  int x = 0, y = 0;
  while (x < n) { x++; y += 2; }
  return y;
}
"""
ASSERTS = """extern int __VERIFIER_nondet_int(void);
extern void __assert_fail(const char *, const char *, unsigned int, const char *);
void reach_error(void) { __assert_fail("0", "asserts.c", 3, "reach_error"); }
void __VERIFIER_assert(int cond) { if (!cond) { reach_error(); } }
int holds(void) {
  int n = __VERIFIER_nondet_int();
  if (n < 0 || n > 1000) return 0;
  int x = 0, y = 0;
  while (x < n) { x++; y += 3; }
  __VERIFIER_assert(y == 3 * x);
  return 0;
}
int fails(void) {
  int n = __VERIFIER_nondet_int();
  if (n < 0 || n > 1000) return 0;
  int x = 0, y = 0;
  while (x < n) { x++; y += 3; }
  __VERIFIER_assert(y != 30);
  return 0;
}
"""


def test_a_safety_proof_starts_from_the_proposals_houdini_keeps(tmp_path):
    """y's bound is nowhere in the program's text; with y = 2x proposed, Spacer starts from it and the
    certificate (re-checked) states it."""
    path = tmp_path / "steps.c"
    path.write_text(STEPS)
    right = Fixed(SEPARATOR.join(["(= y (* 2 x))", "(< y 0)"]))  # the second is not inductive: dropped
    [result] = check(str(path), function="main", property="no-overflow", timeout=10, proposer=right)
    assert result.verdict == Verdict.YES
    assert result.details["proposals"] == {"offered": 2, "used": ["(= y (* 2 x))"]}
    assert len(right.confirmations) == 1


def test_a_wrong_proposer_changes_no_safety_verdict(tmp_path):
    path = tmp_path / "asserts.c"
    path.write_text(ASSERTS)
    wrong = Fixed(WRONG, "(= y (* 3 (+ x 1)))", "(<= y 29)")  # false at entry; true at entry but broken by a step
    without = {f: check(str(path), function=f, property="assert", timeout=10)[0].verdict for f in ("holds", "fails")}
    with_wrong = [check(str(path), function=f, property="assert", timeout=10, proposer=wrong)[0]
                  for f in ("holds", "fails")]
    assert without == {"holds": Verdict.YES, "fails": Verdict.NO}
    assert {r.function: r.verdict for r in with_wrong} == without
    assert all(not r.details.get("proposals", {}).get("used") for r in with_wrong) and not wrong.confirmations
