"""Quadratic conserved quantities: the overflow of a loop whose variables grow quadratically, excluded or not."""

from __future__ import annotations

import json
import math
import textwrap
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines.termination.polynomial import conserved_bounds, null_space
from solomonic.reason.engines.termination.proof import Proof
from solomonic.reason.recheck import recheck
from solomonic.reason.result import Verdict

TRIANGLE = """
extern int __VERIFIER_nondet_int(void);
int main(void) {
    int x = __VERIFIER_nondet_int();
    int y = __VERIFIER_nondet_int();
    if (x > XMAX || y > YMAX || y < -65534) return 0;
    while (x >= 0) {
        x = x + y;
        y = y - 1;
    }
    return 0;
}
"""


def write(tmp_path: Path, xmax: int, ymax: int) -> Path:
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(TRIANGLE.replace("XMAX", str(xmax)).replace("YMAX", str(ymax))))
    return path


def test_the_null_space_is_every_conserved_combination():
    # x + y*y changes by 1 - 1 = 0 on each of these steps; x alone and y*y alone change
    assert null_space([[1, -1], [2, -2], [5, -5]], 2) == [[1, 1]]
    assert null_space([[1, 0], [0, 1]], 2) == []
    assert null_space([[0, 0, 3]], 3) == [[1, 0, 0], [0, 1, 0]]


def _rank(rows: list[list[int]]) -> int:
    """Gaussian elimination over the rationals, written apart from null_space's fraction-free one."""
    matrix, rank = [[Fraction(x) for x in row] for row in rows], 0
    for col in range(len(matrix[0]) if matrix else 0):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(rank + 1, len(matrix)):
            factor = matrix[i][col] / matrix[rank][col]
            matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank])]
        rank += 1
    return rank


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 7).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.lists(st.integers(-50, 50), min_size=n, max_size=n), min_size=1, max_size=12))))
def test_the_null_space_has_the_dimension_the_rank_leaves_and_each_vector_vanishes(shape):
    n, rows = shape
    basis = null_space(rows, n)
    assert len(basis) == n - _rank(rows)
    for vector in basis:
        assert all(sum(c * x for c, x in zip(vector, row)) == 0 for row in rows)
        assert math.gcd(*vector) == 1
    if basis:
        assert _rank(basis) == len(basis)  # independent


def test_the_steps_keep_2x_plus_y_squared_plus_y_and_the_entry_bounds_it(tmp_path):
    function = load(str(write(tmp_path, 65534, 65534)), CheckOptions()).lower("main")
    proof = Proof(function, time.monotonic() + 30)
    [atoms] = conserved_bounds(proof.system, proof.enc, proof.loops, {}, 10).values()
    # 65534 * 2 + 65534 + 65534^2: the greatest value at the entry, by the box of x and y there
    assert "2*x + 1*y + 1*y*y <= 4294901758" in [str(a) for a in atoms]


def test_a_quadratic_bound_excludes_the_overflow_and_the_yes_is_rechecked(tmp_path):
    [r] = check(str(write(tmp_path, 65534, 65534)), function="main", property="terminates", timeout=60)
    assert r.verdict == Verdict.YES, r.reason
    [invariant] = r.certificate["invariants"]
    assert "y*y" in invariant["invariant"]
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json()]))
    assert recheck(str(saved), timeout_s=30)[0].confirmed is True
    data = json.loads(saved.read_text())
    for inv in data[0]["certificate"]["invariants"]:  # a bound the entry does not imply
        inv["smt2"] = inv["smt2"].replace("4294901758", "4294901000")
    saved.write_text(json.dumps(data))
    again = recheck(str(saved), timeout_s=30)[0]
    assert again.confirmed is False and "certificate fails" in again.message


def test_one_more_at_the_entry_overflows_and_is_no_yes(tmp_path):
    # from x = 65534, y = 65535, x reaches 65534 + 65535 * 65536 / 2 > INT_MAX
    [r] = check(str(write(tmp_path, 65534, 65535)), function="main", property="terminates", timeout=12)
    assert r.verdict != Verdict.YES and "undefined behaviour" in r.reason, r.reason
