"""Polynomial invariants read off concrete runs (engines/sampled.py): candidates only, kept where
Houdini finds them inductive, and a proof from them re-checked like any other."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.result import Verdict

SUMS = Path(__file__).parents[3] / "benchmarks" / "c" / "polynomial_sums.c"

PYTHON_SUMS = """
def cubes(a: int) -> bool:
    if a < 0:
        return True
    n, x, y, z = 0, 0, 1, 6
    while n <= a:
        n, x, y, z = n + 1, x + y, y + z, z + 6
    return y == 3 * n * n + 3 * n + 1
"""


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


@pytest.mark.parametrize("function", ["triangle", "odd_sums"])
def test_a_polynomial_invariant_proves_what_linear_lemmas_cannot(function):
    path = str(SUMS)
    [result] = check(path, function=function, property="returns-true", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    assert any("*" in inv["invariant"] for inv in result.certificate["invariants"])
    assert confirm(load(path, CheckOptions()).lower(function, "returns-true"), result, 20).confirmed


def test_an_equality_the_runs_do_not_support_is_never_proved():
    path = str(SUMS)
    [result] = check(path, function="off_by_one", property="returns-true", timeout=30)
    assert result.verdict == Verdict.NO and result.witness["replay"]["confirmed"], result.reason


def test_python_loops_get_polynomial_invariants_too(tmp_path):
    path = write(tmp_path, "cubes.py", PYTHON_SUMS)
    [result] = check(path, function="cubes", property="returns-true", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
