"""The independent check of a closed recurrent set: a set the run can leave, or from which no block runs,
is caught, whatever found it."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")

import z3

from solomonic.reason.api import CheckOptions, load
from solomonic.reason.certify.certificate import make_invariant
from solomonic.reason.certify.recurrent import not_closed
from solomonic.reason.engines.termination.recursion import unfold
from solomonic.reason.symbolic.system import build_system

DOWN = """
def down(x):
    if x == 0:
        return 0
    return down(x - 1)
"""


@pytest.fixture(scope="module")
def descent(tmp_path_factory):
    """down's descent graph: each activation up to its first call, then the callee's."""
    path = tmp_path_factory.mktemp("recurrent") / "down.py"
    path.write_text(textwrap.dedent(DOWN))
    unfolding = unfold(load(str(path), CheckOptions()).lower("down"), {}, calls_return=False)
    system = build_system(unfolding.function, set())
    return system, unfolding.starts["down"]


@pytest.mark.parametrize(("text", "closed"), [
    ("x < 0", True),  # every call from it calls down(x - 1), again below 0
    ("x < -5", True),
    ("x <= 0", False),  # down(0) returns
    ("x > 0", False),  # down(1) calls down(0), which leaves the set
    ("x == -1", False),  # down(-1) calls down(-2), outside
])
def test_only_a_set_every_call_keeps_and_none_returns_from_is_closed(descent, text, closed):
    system, head = descent
    [x] = [v for v in system.params[head] if v.name == "down.x"]
    ctx = z3.Context()
    variable = z3.Int(x.name, ctx)
    formula = {"x < 0": variable < 0, "x < -5": variable < -5, "x <= 0": variable <= 0, "x > 0": variable > 0,
               "x == -1": variable == -1}[text]
    why_not = not_closed(system, make_invariant(system, head, formula), timeout_s=5)
    assert (why_not is None) == closed, why_not
