"""Safety of recursive programs: the unfolding (engines/safety.py `call_free`) reaches every error the
program reaches, so its proofs are proofs of the program, re-checked on the unfolding built again; its
counterexamples stand only where the real program, run, reaches the error."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.engines.termination.recursion import CHOSEN_BY_UNFOLDING
from solomonic.reason.result import Result, Verdict

C_PROGRAM = """
#include <assert.h>
int down(int n) { if (n <= 0) return 0; int r = down(n - 1); return r; }
int calls_down(int n) { return down(n) == 0; }

int fact(int n) { if (n <= 1) return 1; return n * fact(n - 1); }
int calls_fact(int n) { if (n < 0 || n > 20) return 0; return fact(n) > 0; }

int calls_fact12(int n) { if (n < 0 || n > 12) return 0; return fact(n) > 0; }

int fails_at_five(int n) { if (n <= 0) return 0; assert(n != 5); return fails_at_five(n - 1); }
int calls_fails_at_five(int n) { if (n > 100) return 0; return fails_at_five(n); }
"""

PYTHON_PROGRAM = """
def fails_at_seven(n: int) -> int:
    if n <= 0:
        return 0
    assert n != 7
    return fails_at_seven(n - 1)
"""


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def answer(path: str, function: str, prop: str):
    [result] = check(path, function=function, property=prop, timeout=20)
    return result


def test_a_recursion_without_overflow_is_proved_and_the_proof_rechecks(tmp_path):
    path = write(tmp_path, "rec.c", C_PROGRAM)
    result = answer(path, "calls_down", "no-overflow")
    assert result.verdict == Verdict.YES, result.reason
    assert "recursion unfolded" in result.certificate["summary"]
    lowered = load(path, CheckOptions()).lower("calls_down", "no-overflow")
    assert lowered.procedures  # the certificate is of the unfolding, built again from the function
    checked = confirm(lowered, result, 20)
    assert checked.confirmed, checked.message


def test_a_certificate_that_does_not_hold_of_the_unfolding_is_refused(tmp_path):
    path = write(tmp_path, "rec.c", C_PROGRAM)
    result = answer(path, "calls_down", "no-overflow")
    assert result.verdict == Verdict.YES, result.reason
    lowered = load(path, CheckOptions()).lower("calls_fact", "no-overflow")  # another recursion, which overflows
    assert not confirm(lowered, result, 20).confirmed


def test_an_overflow_after_a_call_returns_is_refuted_by_a_real_run(tmp_path):
    # fact(13) overflows in `n * fact(n - 1)`: the plain unfolding allows any result there (its
    # counterexample does not replay), the summaries' unfolding finds an input whose real run overflows
    path = write(tmp_path, "rec.c", C_PROGRAM)
    result = answer(path, "calls_fact", "no-overflow")
    assert result.verdict == Verdict.NO, result.reason
    assert 13 <= result.witness["inputs"]["n"] <= 20 and result.witness["replay"]["confirmed"]


def test_summaries_prove_what_the_plain_unfolding_cannot_and_a_false_one_is_caught(tmp_path):
    # n * fact(n - 1) for n <= 12 stays in range only because of what fact returns: a summary
    path = write(tmp_path, "rec.c", C_PROGRAM)
    result = answer(path, "calls_fact12", "no-overflow")
    assert result.verdict == Verdict.YES, result.reason
    assert "fact() returns" in result.certificate["summary"] and result.certificate["summaries"]["fact"]
    lowered = load(path, CheckOptions()).lower("calls_fact12", "no-overflow")
    assert confirm(lowered, result, 20).confirmed
    planted = result.to_json()
    for fact in planted["certificate"]["summaries"]["fact"]:
        if fact["conclusion"][2] == "eq":
            fact["conclusion"][1] -= 1  # a table entry off by one: fact(k) claimed one more than it is
    checked = confirm(lowered, Result.from_json(planted), 20)
    assert checked.confirmed is False, checked.message


def test_an_assertion_deep_in_the_recursion_is_refuted_by_a_real_run(tmp_path):
    path = write(tmp_path, "rec.c", C_PROGRAM)
    result = answer(path, "calls_fails_at_five", "assert")
    assert result.verdict == Verdict.NO, result.reason
    assert 5 <= result.witness["inputs"]["n"] <= 100  # the call chain passes n == 5 on the way down
    assert result.witness["replay"]["confirmed"]
    # the unfolding's own choices (descend or step over) are not the program's nondeterministic values
    assert not any(n["origin"].startswith(CHOSEN_BY_UNFOLDING) for n in result.witness["nondet"])


def test_a_python_recursion_is_refuted_by_a_real_call(tmp_path):
    path = write(tmp_path, "rec.py", PYTHON_PROGRAM)
    result = answer(path, "fails_at_seven", "assert")
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["inputs"]["n"] >= 7
    assert not any(n["origin"].startswith(CHOSEN_BY_UNFOLDING) for n in result.witness["nondet"])
