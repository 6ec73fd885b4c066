"""Termination answers against concrete runs with a step bound.

Hypothesis writes small loops over two integers: a guard of one or two linear comparisons, a body of
linear updates, sometimes split by a linear branch; some terminate, some do not, some only for some
inputs. The tool answers `terminates` for each. Then each program runs for real with a counter in its
loop: a "yes" must finish within the bound on every input of a box, and a "no" witness must still be
running at the bound (after the tool's own replay already confirmed it). A timeout is asked again
with a longer limit (see `patience`). The run is reproducible
(fixed seed, no example database); SOLOMONIC_DIFFERENTIAL_EXAMPLES and SOLOMONIC_DIFFERENTIAL_SEED
ask for a longer run or another stream of loops.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

pytest.importorskip("z3")

from solomonic.reason.result import Verdict
from tests.reason.patience import check_patiently

BOUND = 20_000  # loop iterations: far more than any terminating loop here takes on the box
BOX = range(-6, 7)
EXAMPLES = int(os.environ.get("SOLOMONIC_DIFFERENTIAL_EXAMPLES", "0")) or 30
SEED = int(os.environ.get("SOLOMONIC_DIFFERENTIAL_SEED", "0"))
DECISIVE_TARGET = 0.6


class TooLong(Exception):
    pass


small = st.integers(-2, 2)


@st.composite
def linear(draw, constant_range: int = 4) -> str:
    a, b = draw(small), draw(small)
    c = draw(st.integers(-constant_range, constant_range))
    terms = [f"{a} * x" if a not in (0, 1) else "x" if a == 1 else "", f"{b} * y" if b not in (0, 1) else "y"
             if b == 1 else "", str(c) if c else ""]
    text = " + ".join(t for t in terms if t)
    return text or "0"


@st.composite
def comparison(draw) -> str:
    return f"{draw(linear())} {draw(st.sampled_from(['<', '<=', '>', '>=', '!=']))} {draw(st.integers(-3, 3))}"


@st.composite
def update(draw) -> list[str]:
    """x and y each keep, step by a constant, or move by a linear term (at least one changes)."""
    out = []
    for v in ("x", "y"):
        kind = draw(st.sampled_from(["keep", "step", "move"]))
        if kind == "step":
            out.append(f"{v} = {v} + {draw(st.sampled_from([-2, -1, 1, 2]))}")
        elif kind == "move":
            out.append(f"{v} = {draw(linear(2))}")
    return out or ["x = x - 1"]


@st.composite
def loop_program(draw) -> str:
    guard = " and ".join(draw(st.lists(comparison(), min_size=1, max_size=2)))
    lines = ["def f(x: int, y: int) -> None:", f"    while {guard}:"]
    if draw(st.booleans()):
        lines.append(f"        if {draw(comparison())}:")
        lines += [f"            {u}" for u in draw(update())]
        lines.append("        else:")
        lines += [f"            {u}" for u in draw(update())]
    else:
        lines += [f"        {u}" for u in draw(update())]
    return "\n".join(lines) + "\n"


def run_bounded(source: str, x: int, y: int) -> str:
    """'returned' or 'still running' after BOUND iterations, by running an instrumented copy."""
    counted = source.replace("    while ", "    while tick() and ", 1)
    steps = [0]

    def tick() -> bool:
        steps[0] += 1
        if steps[0] > BOUND:
            raise TooLong
        return True

    namespace = {"tick": tick}
    exec(counted, namespace)
    try:
        namespace["f"](x, y)
    except TooLong:
        return "still running"
    return "returned"


def test_terminates_agrees_with_bounded_runs(tmp_path):
    verdicts: Counter = Counter()
    retried: list = []

    @seed(20261121 + SEED)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(loop_program())
    def one(source: str) -> None:
        path = tmp_path / "loop.py"
        path.write_text(source)
        [r] = check_patiently(path, 4.0, retried, function="f", property="terminates")
        verdicts[r.verdict] += 1
        where = f"\n--- program ---\n{source}--- tool: {r.verdict.value}: {r.reason}"
        if r.verdict == Verdict.YES:
            long = [(x, y) for x, y in itertools.product(BOX, BOX) if run_bounded(source, x, y) != "returned"]
            assert not long, f"WRONG 'yes': inputs {long[:3]} run past {BOUND} iterations{where}"
        elif r.verdict == Verdict.NO:
            assert r.witness["replay"]["confirmed"], where
            inputs = r.witness["inputs"]
            observed = run_bounded(source, int(inputs["x"]), int(inputs["y"]))
            assert observed == "still running", f"WRONG 'no': witness {inputs} {observed}{where}"

    one()
    total = sum(verdicts.values())
    decisive = (verdicts[Verdict.YES] + verdicts[Verdict.NO]) / max(1, total)
    print(f"\nterminates: {total} loops, yes {verdicts[Verdict.YES]}, no {verdicts[Verdict.NO]}, "
          f"unknown {verdicts[Verdict.UNKNOWN]}; decisive {decisive:.0%}; asked again after a timeout: {len(retried)}")
    assert decisive >= DECISIVE_TARGET, f"too few decisive answers: {dict(verdicts)}"
