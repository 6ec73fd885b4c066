"""`recheck` (and every re-check of evidence) confirms a "terminates: no" only as `check` gave it: the
witness's lasso found again on the function as it is now, then its run. A real run still going when its
time is up shows nothing by itself: a loop may end a second later."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.cli import main
from solomonic.cli.conventions import EXIT_NO
from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.recheck import recheck
from solomonic.reason.result import Result, Verdict

PYTHON = """def grows(x: int) -> int:
    while x > 10:
        x = x + 1
    return x


def stuck(a: list[int]) -> int:
    i = 0
    while i < len(a):
        if a[i] != 0:
            i = i + 1
    return i


def is_odd(n: int) -> bool:
    if n == 0:
        return False
    return is_even(n - 1)


def is_even(n: int) -> bool:
    if n == 0:
        return True
    return is_odd(n - 1)


def rec(n: int) -> int:
    if n == 0:
        return 0
    return rec(n)


def slow(n: int) -> int:
    i = 0
    while i < n:
        i = i + 1
    return i
"""

C = """extern int __VERIFIER_nondet_int(void);

int spin(int x) {
  while (x > 10) {
    x = x + __VERIFIER_nondet_int() * 0 + 1;
    if (x > 1000) x = 11;
  }
  return x;
}

int rec(int n) {
  if (n == 0) return 0;
  return rec(n);
}
"""

# Each kind of lasso the termination engine gives, in the language that gives it.
KINDS = {("py", "grows"): "recurrent_set", ("py", "stuck"): "cycle", ("py", "is_odd"): "recurrent_calls",
         ("c", "spin"): "recurrent_set", ("c", "rec"): "repeated_call"}


def test_every_kind_of_non_termination_witness_is_confirmed_again(tmp_path):
    results = []
    for language, source in (("py", PYTHON), ("c", C)):
        path = tmp_path / f"loops.{language}"
        path.write_text(source)
        for (lang, name), kind in KINDS.items():
            if lang == language:
                (result,) = check(str(path), function=name, property="terminates", timeout=30)
                assert result.verdict == Verdict.NO and kind in result.witness, (name, result.reason)
                results.append(result)
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json() for r in results]))
    for c in recheck(str(saved)):
        assert c.confirmed, (c.result.function, c.message)
        assert c.message.startswith("lasso re-checked, witness replayed: ")


@pytest.fixture
def python_file(tmp_path):
    path = tmp_path / "loops.py"
    path.write_text(PYTHON)
    return path


def no(path, function: str, **witness) -> Result:
    return Result(str(path), function, "terminates", Verdict.NO, witness=witness, language="python")


def rechecked(path, result: Result):
    return confirm(load(str(path), CheckOptions()).lower(result.function), result, 30)


def test_a_run_still_going_confirms_nothing_without_its_lasso(python_file):
    """slow(10**12) runs for hours, so its run is still going after any replay's clock: the old
    re-check took that as the proof. Without a lasso, or with one that does not hold, it is not
    confirmed."""
    inputs = {"n": 10**12}
    bare = rechecked(python_file, no(python_file, "slow", inputs=inputs))
    assert bare.confirmed is False and "names no lasso" in bare.message
    line = PYTHON.splitlines().index("    while i < n:") + 1
    forged_set = no(python_file, "slow", inputs=inputs, recurrent_set={"line": line, "formula": "i < n",
                                                                        "smt2": "(< i n)"})
    checked = rechecked(python_file, forged_set)
    assert checked.confirmed is False and "recurrent set does not re-check: a block" in checked.message
    forged_cycle = rechecked(python_file, no(python_file, "slow", inputs=inputs, cycle=[1, 2]))
    assert forged_cycle.confirmed is False and "no state at step 1 comes back at step 2" in forged_cycle.message


def test_a_recurrent_set_must_be_reached_from_the_witness_inputs(python_file):
    """grows's set x > 11 is closed, but from x = 3 the loop is never entered."""
    result = no(python_file, "grows", inputs={"x": 3},
                recurrent_set={"line": 2, "formula": "x > 11", "smt2": "(> x 11)"})
    checked = rechecked(python_file, result)
    assert checked.confirmed is False and "no run from its inputs reaches the set" in checked.message
    result.witness["inputs"] = {"x": 12}
    assert rechecked(python_file, result).confirmed


def test_a_repeated_call_must_repeat_in_the_interpreter_and_in_the_real_run(python_file):
    shape = {"function": "rec", "arguments": [-1], "depth": 1}
    confirmed = rechecked(python_file, no(python_file, "rec", inputs={"n": -1}, repeated_call=shape, nondet=[]))
    assert confirmed.confirmed and "called itself again with the same arguments" in confirmed.message
    forged = rechecked(python_file, no(python_file, "rec", inputs={"n": 0}, repeated_call=shape, nondet=[]))
    assert forged.confirmed is False and "the program's calls do not repeat" in forged.message


def test_the_command_says_not_confirmed_and_fails(python_file, tmp_path, capsys):
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([no(python_file, "slow", inputs={"n": 10**12}).to_json()]))
    assert main(["recheck", str(saved)]) == EXIT_NO
    out = capsys.readouterr().out
    assert "slow: terminates: no: NOT CONFIRMED: witness does not re-check" in out
