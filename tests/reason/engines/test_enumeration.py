"""A C function whose only nondeterminism is a few values read before its first loop (engines/
enumeration.py): every combination run to its end, a failure among them a replayed no, and a yes only
where the real program's runs end as the model's do, re-checked the same way."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines import enumeration
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.result import Verdict
from tests.reason.engines.test_execution import HEADER as SVCOMP

HEADER = SVCOMP + """
void assume_abort_if_not(int cond) { if (!cond) abort(); }
extern unsigned int __VERIFIER_nondet_uint(void);
"""

# i steps by k up to a million times k: no linear invariant says i == 1000000 * k at the end
STRIDE = HEADER + """
int main(void) {
  int i, k = __VERIFIER_nondet_int();
  assume_abort_if_not(0 <= k && k <= 10);
  for (i = 0; i < 1000000 * k; i += k) ;
  __VERIFIER_assert(i == 1000000 * k);
  return 0;
}
"""

# x = 1 + z + ... + z^(k-1): geometric, past any polynomial invariant; 0 <= y <= 10^10 in a long long
GEOMETRIC = HEADER + """
int main(void) {
  int z = __VERIFIER_nondet_int(), k = __VERIFIER_nondet_int();
  assume_abort_if_not(z >= 1 && z <= 10 && k >= 0 && k <= 10);
  long long x = 1, y = z, c = 1;
  while (c < k) { c = c + 1; x = x * z + 1; y = y * z; }
  __VERIFIER_assert(x * (z - 1) == y - 1 || z == 1);
  return 0;
}
"""

# only k == 7 fails, after the loop
ONE_FAILS = HEADER + """
int main(void) {
  unsigned int k = __VERIFIER_nondet_uint(), s = 0, i;
  assume_abort_if_not(k < 12);
  for (i = 0; i < 100000; i++) s += k;
  __VERIFIER_assert(s != 700000);
  return 0;
}
"""

# x is read again in the loop: not a few executions
READS_IN_LOOP = HEADER + """
int main(void) {
  int n = __VERIFIER_nondet_int(), s = 0;
  assume_abort_if_not(n >= 0 && n <= 5);
  while (n > 0) { s += __VERIFIER_nondet_int() & 1; n--; }
  __VERIFIER_assert(s <= 5);
  return 0;
}
"""

# any int: far too many combinations
UNBOUNDED = HEADER + """
int main(void) {
  int n = __VERIFIER_nondet_int(), i = 0;
  while (i < n) i++;
  return 0;
}
"""


def lowered(tmp_path, text: str, prop: str):
    path = tmp_path / "p.c"
    path.write_text(textwrap.dedent(text))
    return str(path), load(str(path), CheckOptions()).lower("main", prop)


@pytest.mark.parametrize(("text", "runs"), [(STRIDE, 11), (GEOMETRIC, 110)], ids=["stride", "geometric"])
def test_every_combination_run_to_its_end_is_a_re_checked_yes(tmp_path, text, runs):
    path, function = lowered(tmp_path, text, "assert")
    [result] = check(path, function="main", property="assert", timeout=20)
    assert result.verdict == Verdict.YES, result.reason
    assert result.certificate["kind"] == "exhaustive execution" and result.certificate["runs"] == runs
    assert confirm(function, result, 20).confirmed
    forged = {**result.certificate, "runs": runs - 1}
    assert enumeration.confirm(function, forged, "assert", 20) == f"it now has {runs} executions, not {runs - 1}"


def test_the_one_combination_that_fails_is_a_replayed_no(tmp_path):
    path, _ = lowered(tmp_path, ONE_FAILS, "assert")
    [result] = check(path, function="main", property="assert", timeout=20)
    assert result.verdict == Verdict.NO, result.reason
    assert [n["value"] for n in result.witness["nondet"]] == [7]
    assert result.witness["replay"]["confirmed"] is True


@pytest.mark.parametrize("text", [READS_IN_LOOP, UNBOUNDED], ids=["reads in the loop", "unbounded"])
def test_a_function_with_more_than_a_few_executions_is_left_to_the_engines(tmp_path, text):
    _, function = lowered(tmp_path, text, "assert")
    assert enumeration.applicable(function)
    assert enumeration.combinations(function, "assert", 5.0) is None


def test_a_yes_needs_every_real_run_to_end_the_same_way(tmp_path, monkeypatch):
    import solomonic.reason.replay.c as replay_c

    _, function = lowered(tmp_path, STRIDE, "assert")
    traces = enumeration.executions(function, "assert", 5.0)
    assert traces is not None and len(traces) == 11
    real = [("return-false", "returned 0")] * 10 + [("other", "a crash, say")]
    monkeypatch.setattr(replay_c, "endings", lambda function, runs, timeout_s: real)
    result = enumeration.answer(function, "assert", traces, 5.0)
    assert result.verdict == Verdict.UNKNOWN
    assert result.reason.endswith("ends otherwise: a crash, say"), result.reason
