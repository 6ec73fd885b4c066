"""Spacer starts from Houdini's inductive facts (engines/seeds.py): only inductive ones, and they help."""

from __future__ import annotations

import z3

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines.seeds import seeds
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Verdict
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import build_system

# the assertion states y = 2x, which bounds y for no-overflow too; Spacer alone ran past 10 s here
TWICE = """extern int __VERIFIER_nondet_int(void);
extern void __assert_fail(const char *, const char *, unsigned int, const char *);
void reach_error(void) { __assert_fail("0", "twice.c", 3, "reach_error"); }
void __VERIFIER_assert(int cond) { if (!cond) { reach_error(); } }
int main(void) {
  int n = __VERIFIER_nondet_int();
  if (n < 0 || n > 1000) return 0;
  int x = 0, y = 0;
  while (x < n) { x++; y += 2; }
  __VERIFIER_assert(y == 2 * x);
  return 0;
}
"""


def system_of(tmp_path, prop: str):
    path = tmp_path / "twice.c"
    path.write_text(TWICE)
    errors = PROPERTY_ERRORS[prop]
    return build_system(load(str(path), CheckOptions()).lower("main"), errors, UNDEFINED_BEHAVIOUR - errors)


def test_only_inductive_facts_are_seeded(tmp_path):
    system = system_of(tmp_path, "no-overflow")
    [head] = system.loop_heads
    enc = Encoder("int", z3.Context())
    found = seeds(system, enc, {head: ["(<= x 5)", "(= y (* 2 (+ x 1)))", "(>= (- n x) 0)"]}, 5.0)
    facts = found.invariants[head]
    assert found.offered == 3 and not found.used  # x <= n is among the program's own atoms
    texts = {f.sexpr() for f in facts}
    assert "(<= x 5)" not in texts and "(= y (* 2 (+ x 1)))" not in texts
    for bound in (0, 1, 7, 1000):  # every fact holds at every visit of the loop head, run concretely
        x, y = 0, 0
        while True:
            values = {"n": bound, "x": x, "y": y}
            here = [(enc.constant(v.name, v.type), z3.IntVal(values[v.name], enc.ctx)) for v in system.params[head]]
            assert all(z3.is_true(z3.simplify(z3.substitute(f, *here))) for f in facts)
            if not x < bound:
                break
            x, y = x + 1, y + 2


def test_seeded_spacer_proves_what_it_timed_out_on(tmp_path):
    """Spacer starts from Houdini's facts, the assertion's y = 2x among them: a proof in a fraction of a
    second where Spacer alone ran past 10 s."""
    path = tmp_path / "twice.c"
    path.write_text(TWICE)
    [result] = check(str(path), function="main", property="no-overflow", timeout=10)
    assert result.verdict == Verdict.YES and result.certificate["kind"] == "inductive invariants"
    assert "proposals" not in result.details  # no proposer: nothing to credit


def test_facts_the_types_imply_are_not_seeded(tmp_path):
    system = system_of(tmp_path, "no-overflow")
    [head] = system.loop_heads
    found = seeds(system, Encoder("int", z3.Context()), {}, 5.0)
    texts = {f.sexpr() for f in found.invariants[head]}
    assert "(<= x 2147483647)" not in texts and "(>= y (- 2147483648))" not in texts
    assert "(= y (* 2 x))" in texts and "(>= x 0)" in texts


def test_only_linear_comparisons_are_seeded():
    """Spacer's lemma language: an if-then-else or an array element as a cover crashed Z3 5.4's Spacer."""
    from solomonic.reason.engines.seeds import _linear

    ctx = z3.Context()
    x, n = z3.Int("x", ctx), z3.Int("n", ctx)
    a = z3.Array("a", z3.IntSort(ctx), z3.IntSort(ctx))
    assert _linear(x <= n + 4) and _linear(z3.Not(2 * x - n == 3)) and _linear(x != 0)
    assert not _linear(z3.If(x > 0, 1, 0) == 0) and not _linear(a[x] >= 0) and not _linear(x * n <= 4)
    assert not _linear(z3.And(x >= 0, x <= n)) and not _linear(x % 2 == 0)
