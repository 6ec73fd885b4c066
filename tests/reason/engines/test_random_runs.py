"""Counterexamples from random runs (engines/random_runs.py): a violation that needs more loop iterations
than the unrolling reaches in time, found by running the function on random inputs and confirmed by
the interpreter and the real replay like any other; none where no run can fail."""

from __future__ import annotations

import random
import textwrap

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, check, load
from solomonic.reason.engines.random_runs import draw, violation
from solomonic.reason.engines.safety import error_kinds
from solomonic.reason.ir import BVType, IntType, Var
from solomonic.reason.ir.interpret import run
from solomonic.reason.result import Verdict
from solomonic.reason.symbolic.system import build_system

# only the first two places shift: wrong once a small element follows two larger ones (four elements);
# the unrolling needs some 20 loop iterations to see it
SORT = """
#include <assert.h>
extern unsigned __VERIFIER_nondet_uint(void);
extern int __VERIFIER_nondet_int(void);

int sorted_after_insertion(void) {
    unsigned n = __VERIFIER_nondet_uint();
    if (n > 8) return 1;
    int v[8];
    for (unsigned j = 0; j < n; j++) v[j] = __VERIFIER_nondet_int() % 100;
    for (unsigned j = 1; j < n; j++) {
        int key = v[j];
        int i = (int)j - 1;
        while (i >= 0 && v[i] > key) {
            if (SHIFTS) v[i + 1] = v[i];
            i = i - 1;
        }
        v[i + 1] = key;
    }
    for (unsigned k = 1; k < n; k++) assert(v[k - 1] <= v[k]);
    return 1;
}
"""


def sort_program(tmp_path, shifts: str) -> str:
    path = tmp_path / "sort.c"
    path.write_text(textwrap.dedent(SORT.replace("SHIFTS", shifts)))
    return str(path)


def lowered(path: str):
    function = load(path, CheckOptions()).lower("sorted_after_insertion", "assert")
    system = build_system(function, error_kinds("assert"))
    return function, set(system.cutpoints)


def test_a_violation_deep_in_the_loops_is_found_and_replayed(tmp_path):
    [result] = check(sort_program(tmp_path, "i < 2"), property="assert", timeout=20)
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["replay"]["confirmed"]
    uninitialised = [n["value"] for n in result.witness["nondet"] if n["origin"] == "uninitialised 'v'"]
    assert uninitialised == [{"cells": {}, "otherwise": 0}]  # an array as its cells, not the evaluator's object


def test_the_run_found_is_a_counterexample_the_interpreter_follows_to_the_failure(tmp_path):
    function, cutpoints = lowered(sort_program(tmp_path, "i < 2"))
    cex = violation(function, error_kinds("assert"), cutpoints, budget_s=5.0, seed=3)
    assert cex is not None
    trace = run(function, cex.inputs, cex.oracle, cutpoints)
    assert trace.event is not None and trace.event.kind == "assert"
    assert cex == violation(function, error_kinds("assert"), cutpoints, budget_s=5.0, seed=3)  # a seed's runs


def test_no_run_fails_where_no_execution_can(tmp_path):
    function, cutpoints = lowered(sort_program(tmp_path, "1"))
    assert violation(function, error_kinds("assert"), cutpoints, budget_s=0.5) is None
    [result] = check(sort_program(tmp_path, "1"), property="assert", timeout=10)
    assert result.verdict != Verdict.NO, result.witness


@pytest.mark.parametrize("type_", [BVType(8, False), BVType(32, True), BVType(64, False), IntType()])
def test_draws_stay_within_the_type_and_reach_its_bounds(type_):
    rng = random.Random(0)
    values = [draw(Var("x", type_), rng) for _ in range(2000)]
    if isinstance(type_, BVType):
        assert all(type_.min <= v <= type_.max for v in values)
        assert {type_.min, type_.max} <= set(values)
    assert sum(-16 <= v <= 16 for v in values) > len(values) // 3  # mostly small
