"""Non-termination kept by a residue: a loop that moves a variable by multiples of m keeps x % m."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.result import Verdict


def answer(tmp_path: Path, source: str):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(source))
    [result] = check(str(path), function="f", property="terminates", timeout=30)
    return result


def test_an_odd_unsigned_value_stepped_by_two_never_meets_zero(tmp_path):
    """x - 2 wraps around 2^32 (an even number) from 1, so the residue stays odd: no lasso short of
    2^31 iterations comes back to a state, but the set of odd values is closed."""
    result = answer(tmp_path, "void f(unsigned x) { while (x != 0) x = x - 2; }")
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["inputs"]["x"] % 2 == 1
    assert result.witness["replay"]["confirmed"]
    assert "mod 2 != 0" in result.reason


def test_an_even_start_is_no_witness(tmp_path):
    result = answer(tmp_path, "void f(unsigned x) { if (x % 2 != 0) return; while (x != 0) x = x - 2; }")
    assert result.verdict != Verdict.NO, result.reason


def test_a_step_of_one_keeps_no_residue(tmp_path):
    """x - 1 wraps to x + 2^32 - 1: the gcd of the steps is 1, and the loop ends from every x."""
    result = answer(tmp_path, "void f(unsigned x) { while (x != 0) x = x - 1; }")
    assert result.verdict == Verdict.YES, result.reason
