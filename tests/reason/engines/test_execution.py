"""A closed C function's one execution, run to its end (engines/execution.py): its answers for every
property, confirmed by the real program's run; and the strict run that tells a closed function from
one that reads a value it was never given."""

from __future__ import annotations

import re
import textwrap

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines import concrete, execution
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.result import Verdict

HEADER = """
extern void abort(void);
extern void __assert_fail(const char *, const char *, unsigned int, const char *);
void reach_error(void) { __assert_fail("0", "t.c", 3, "reach_error"); }
void __VERIFIER_assert(int cond) { if (!cond) { reach_error(); abort(); } }
extern int __VERIFIER_nondet_int(void);
"""

# 7^4 iterations of the innermost loop: far past what the unrolling reaches in a few seconds
NESTED = HEADER + """
int main(void) {
  int a, b, c, d, n = 0;
  for (a = 0; a < 7; a++)
    for (b = 0; b < 7; b++)
      for (c = 0; c < 7; c++)
        for (d = 0; d < 7; d++)
          n++;
  __VERIFIER_assert(a == 7 && b == 7 && c == 7 && d == 7 && n == 2401);
  return 0;
}
"""

# the assertion fails only at the 3000th iteration
LATE_FAILURE = HEADER + """
int main(void) {
  unsigned int i, hits = 0;
  for (i = 0; i < 3000; i++)
    if (i % 1000 == 999) hits++;
  __VERIFIER_assert(hits != 3);
  return 0;
}
"""

# x doubles past INT_MAX after 31 iterations: undefined behaviour, every time
OVERFLOWS = HEADER + """
int main(void) {
  int x = 1, i;
  for (i = 0; i < 40; i++) x = 2 * x;
  __VERIFIER_assert(x != 0);
  return 0;
}
"""

# the failure is some 300,000 steps deep (a mask of a changing value: no stride, ir/accelerate.py): past a
# first run cut short, so the engines search first (none reaches it), then the run goes on with the time
# kept for it
LONG_FAILURE = HEADER + """
int main(void) {
  unsigned int i, hits = 0;
  for (i = 0; i < 60000; i++)
    if ((i & 32767) == 24999) hits++;
  __VERIFIER_assert(hits != 2);
  return 0;
}
"""

# y is read before it is written: not one execution, whatever the loop does
READS_UNSET = HEADER + """
int main(void) {
  int y, i;
  for (i = 0; i < 5; i++) y++;
  __VERIFIER_assert(i == 5);
  return y;
}
"""

READS_NONDET = HEADER + """
int main(void) {
  int n = __VERIFIER_nondet_int(), i = 0;
  while (i < 10) i++;
  __VERIFIER_assert(i == 10);
  return n;
}
"""

# a local array, uninitialised, filled by a loop before any cell is read: one execution
FILLED = HEADER + """
#define N 20000
int main(void) {
  int a[N], i;
  for (i = 0; i < N; i++) a[i] = i % 7;
  int sum = 0;
  for (i = 0; i < N; i++) sum += a[i];
  __VERIFIER_assert(sum == 59997);
  return 0;
}
"""

# the last cell is never stored to and is read: not one execution
READS_AN_UNSET_CELL = HEADER + """
int main(void) {
  int a[10], i, sum = 0;
  for (i = 0; i < 9; i++) a[i] = i;
  for (i = 0; i < 10; i++) sum += a[i];
  __VERIFIER_assert(sum >= 0);
  return 0;
}
"""


def program(tmp_path, text: str) -> str:
    path = tmp_path / "p.c"
    path.write_text(textwrap.dedent(text))
    return str(path)


def answers(path: str, prop: str = "all", timeout: float = 10.0) -> dict:
    return {r.property: r for r in check(path, function="main", property=prop, timeout=timeout)}


def test_a_nested_loop_nest_is_answered_by_its_one_execution_and_re_checked(tmp_path):
    path = program(tmp_path, NESTED)
    got = answers(path)
    for prop in ("assert", "no-overflow", "terminates"):
        assert got[prop].verdict == Verdict.YES, (prop, got[prop].reason)
        cert = got[prop].certificate
        assert cert["kind"] == "complete execution" and cert["ends"] == "return-false", cert
        assert "returned 0" in cert["summary"]
    assert got["returns-true"].verdict == Verdict.NO  # main returns 0, replayed
    function = load(path, CheckOptions()).lower("main", "assert")
    assert confirm(function, got["assert"], 10.0).confirmed
    forged = {**got["assert"].certificate, "ends": "stop"}
    assert execution.confirm(function, forged, "assert", 10.0) == "the run now ends otherwise (return-false)"


def test_a_failure_thousands_of_iterations_deep_is_a_replayed_no(tmp_path):
    result = answers(program(tmp_path, LATE_FAILURE), "assert")["assert"]
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["replay"]["confirmed"] is True
    # most iterations run in strides (ir/accelerate.py), shown with their number
    assert re.search(r"\(10, 11, 10\) x99\d in strides", result.witness["path_text"])
    jumped = int(result.witness["path_note"].split()[0])
    assert 2900 < jumped < 3000, result.witness["path_note"]


def test_a_run_longer_than_the_first_goes_on_after_the_engines(tmp_path, monkeypatch):
    monkeypatch.setattr(concrete, "quick_s", lambda timeout_s: 0.01)  # the analysis children are forked: they see it
    path = program(tmp_path, LONG_FAILURE)
    function = load(path, CheckOptions()).lower("main", "assert")
    first = execution.execute(function, concrete.quick_s(10))
    assert first is not None and first.outcome == "time"  # not ended: neither an answer nor given up
    result = answers(path, "assert", timeout=10)["assert"]
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["replay"]["confirmed"] is True


def test_undefined_behaviour_on_the_one_execution_is_no_for_no_overflow_and_unknown_otherwise(tmp_path):
    got = answers(program(tmp_path, OVERFLOWS))
    assert got["no-overflow"].verdict == Verdict.NO
    assert got["no-overflow"].witness["replay"]["confirmed"] is True
    for prop in ("assert", "terminates"):
        assert got[prop].verdict == Verdict.UNKNOWN
        assert got[prop].reason.startswith("undefined behaviour is reachable at line 10 (signed overflow in `2 * x`)"), got[prop].reason


@pytest.mark.parametrize("text", [READS_UNSET, READS_NONDET, READS_AN_UNSET_CELL],
                         ids=["uninitialised", "nondeterministic", "an unset cell"])
def test_a_run_that_reads_a_value_it_was_never_given_decides_nothing(tmp_path, text):
    function = load(program(tmp_path, text), CheckOptions()).lower("main", "assert")
    assert execution.closed(function)
    assert execution.execute(function, 5.0) is None


def test_a_yes_needs_the_real_run_to_end_the_same_way(tmp_path, monkeypatch):
    import solomonic.reason.replay.c as replay_c

    monkeypatch.setattr(replay_c, "endings", lambda function, runs, timeout_s: [("other", "a crash, say")])
    path = program(tmp_path, NESTED)
    function = load(path, CheckOptions()).lower("main", "assert")
    trace = execution.execute(function, 5.0)
    assert trace is not None and trace.steps > 2 * 2401
    result = execution.answer(function, "assert", trace, 5.0)
    assert result.verdict == Verdict.UNKNOWN
    assert result.reason.endswith("but the real program's run does not: a crash, say")


def test_same_end_tells_returns_apart_only_for_returns_true():
    assert execution.same_end("return-false", "return", "assert")
    assert not execution.same_end("return-false", "return", "returns-true")
    assert execution.same_end("blocked", "stop", "terminates")
    assert not execution.same_end("return", "stop", "assert")


def test_a_local_array_filled_before_it_is_read_is_one_execution(tmp_path):
    # 20 000 cells: each store shares all but a path of the array it updates (ir/evaluate.ArrayValue)
    path = program(tmp_path, FILLED)
    function = load(path, CheckOptions()).lower("main", "assert")
    trace = execution.execute(function, 30.0)
    assert trace is not None and trace.outcome == "event" and trace.steps > 40_000, trace and trace.outcome
    result = answers(path, "assert", timeout=30)["assert"]
    assert result.verdict == Verdict.YES and result.certificate["kind"] == "complete execution", result.reason
    assert result.seconds < 20, result.seconds  # the first run ends it: the engines' 26 s are not waited out


def test_without_a_real_run_the_one_execution_leaves_the_question_to_the_engines(tmp_path, monkeypatch):
    import solomonic.reason.replay.c as replay_c

    monkeypatch.setattr(replay_c, "endings", lambda function, runs, timeout_s: "the reproducer does not compile")
    monkeypatch.setattr(concrete, "quick_s", lambda timeout_s: 5.0)  # the first run ends however busy the host
    function = load(program(tmp_path, NESTED), CheckOptions()).lower("main", "assert")
    trace = execution.execute(function, 5.0)
    assert trace is not None and execution.answer(function, "assert", trace, 5.0) is None
    searched = []

    def search(seconds: float):
        searched.append(seconds)
        return execution.answer(function, "assert", trace, 5.0) or "the engines' answer"

    assert concrete.around(function, "assert", 10.0, lambda t: None, search) == "the engines' answer"
    assert searched and searched[0] > 6.0  # the engines get the question's time less the run's, not less a reserve (4 s)
