"""Counterexamples with small values where the failure allows them (bmc.Unroller.small_counterexample):
a witness a person can read, and one a real run replays: `alloca` of a gigabyte overflows the stack
before the failure the model found, and the run confirms nothing."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import check
from solomonic.reason.engines.bmc import SMALL
from solomonic.reason.result import Verdict

# only n-- at INT_MIN overflows; the two strings' lengths may be anything from 1
STRINGS = """
extern int __VERIFIER_nondet_int(void);
int compare(const char *s1, const char *s2, int n) {
  while (n-- > 0 && *s1 == *s2) {
    if (n == 0 || *s1 == 0) return 0;
    s1++; s2++;
  }
  return *s1 - *s2;
}
int main(void) {
  int l1 = __VERIFIER_nondet_int(), l2 = __VERIFIER_nondet_int();
  if (l1 < 1) l1 = 1;
  if (l2 < 1) l2 = 1;
  char *a = __builtin_alloca(l1), *b = __builtin_alloca(l2);
  a[l1 - 1] = 0;
  b[l2 - 1] = 0;
  return compare(a, b, __VERIFIER_nondet_int());
}
"""


def test_a_witness_keeps_its_values_small_where_the_failure_allows(tmp_path):
    path = tmp_path / "strings.c"
    path.write_text(textwrap.dedent(STRINGS))
    [result] = check(str(path), function="main", property="no-overflow", timeout=20)
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["replay"]["confirmed"] is True
    l1, l2, *_, n = [r["value"] for r in result.witness["nondet"] if r["origin"] == "__VERIFIER_nondet_int()"]
    assert 1 <= l1 <= SMALL and 1 <= l2 <= SMALL  # the lengths: small, so the stack holds them
    assert n == -(1 << 31)  # n-- overflows only here: outside the small range, kept


def test_out_of_time_the_first_counterexample_stands(tmp_path):
    """No time for the small one (a bounded query that gives up): the model the first query found, never
    an error (string-2 lost its replayed no to 'model is not available' before)."""
    import z3

    from solomonic.reason.api import CheckOptions, load
    from solomonic.reason.engines import bmc
    from solomonic.reason.engines.safety import build_system, error_kinds
    from solomonic.reason.symbolic.system import BAD

    path = tmp_path / "strings.c"
    path.write_text(textwrap.dedent(STRINGS))
    function = load(str(path), CheckOptions()).lower("main", "no-overflow")
    unroller = bmc.Unroller(build_system(function, error_kinds("no-overflow")))
    while unroller.depth < 8 and unroller.reaches(BAD, 10) != z3.sat:
        unroller.extend()
    first = unroller.counterexample()
    found = unroller.small_counterexample(BAD, 0.0)
    assert found.nondet == first.nondet and found.inputs == first.inputs
