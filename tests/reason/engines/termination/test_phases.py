"""Phased arguments: a loop's states split by its own conditions, visited in an order, each with a ranking."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3

from solomonic.reason import check
from solomonic.reason.engines.termination.proof import range_check
from solomonic.reason.result import Verdict

# Towards zero from either side; each side's other move pays with n and sends x anywhere. No linear
# or lexicographic function ranks it (x rises below zero and falls above); the regions x < 0, then
# x > 0, do. Each step's guard carries C's overflow checks (x - 1 >= INT_MIN ...), which split no phase.
EITHER_SIDE = """
    extern int __VERIFIER_nondet_int(void);
    int main() {
        int x = __VERIFIER_nondet_int(), n = __VERIFIER_nondet_int();
        while (n > 0 && x != 0) {
            if (x > 0) {
                if (__VERIFIER_nondet_int()) {
                    n = n - 1;
                } else {
                    x = x - STEP;
                    n = __VERIFIER_nondet_int();
                }
            } else {
                if (__VERIFIER_nondet_int()) {
                    n = n - 1;
                    x = __VERIFIER_nondet_int();
                } else {
                    x = x + STEP;
                }
            }
        }
        return 0;
    }
    """


def answer(tmp_path: Path, source: str):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(source))
    [result] = check(str(path), function="main", property="terminates", timeout=30)
    return result


def test_regions_split_by_the_programs_conditions_not_its_overflow_checks(tmp_path):
    r = answer(tmp_path, EITHER_SIDE.replace("STEP", "1"))
    assert r.verdict == Verdict.YES, r.reason
    [loop] = r.certificate["loops"]
    assert len(loop["phases"]) == 2
    assert not any("2147483647" in text.split(":")[0] for text in loop["ranking_text"]), loop["ranking_text"]


def test_stepping_over_zero_never_ends(tmp_path):
    r = answer(tmp_path, EITHER_SIDE.replace("STEP", "2"))  # x = 1 goes to -1 and back, forever
    assert r.verdict == Verdict.NO, r.reason
    assert r.witness["replay"]["confirmed"]


def test_range_checks_are_the_comparisons_with_machine_bounds():
    x = z3.Int("x")
    assert range_check(x - 1 >= -2**31) and range_check(x + 1 <= 2**31 - 1) and range_check(x <= 2**64 - 1)
    assert not range_check(x > 0) and not range_check(x - 1 >= -1000) and not range_check(x == z3.Int("y"))
