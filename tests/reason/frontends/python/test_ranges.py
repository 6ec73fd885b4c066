"""`for i in reversed(range(...))`: range's elements from the last back to the first, the empty range
included; a step that is not a constant is refused. Checked against CPython on generated loops, and as
verdicts (a yes, a replayed no, a refusal naming the construct)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write
from tests.reason.frontends.python.cpython import assert_matches_cpython

_BOUNDS = ["a", "b", "0", "3", "-4", "a + b", "a - 2"]


@st.composite
def loops(draw) -> str:
    """f(a, b) summing a weighted walk over reversed(range(...)) of one to three arguments (a constant
    step, never 0), whose body may change a variable the range was made from."""
    count = draw(st.integers(1, 3))
    args = [draw(st.sampled_from(_BOUNDS)) for _ in range(min(count, 2))]
    if count == 3:
        args.append(str(draw(st.sampled_from([-3, -2, -1, 1, 2, 3]))))
    lines = ["def f(a, b):", "    x = 0", f"    for i in reversed(range({', '.join(args)})):",
             "        x = 3 * x + i"]
    if draw(st.booleans()):
        lines.append("        a = a + 5")  # range() was evaluated once, before the loop
    if draw(st.booleans()):
        lines += ["        if i == b:", "            break"]
    lines.append("    return x")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(loops())
def test_generated_reversed_ranges_match_cpython(source):
    inputs = [(a, b) for a in (-5, -1, 0, 2, 7) for b in (-3, 0, 1, 4, 9)]
    assert_matches_cpython(source, inputs, ())


EXAMPLES = """
def heapify_like(n):
    total = 0
    for i in reversed(range(n // 2)):
        total += i
    return total


def countdown_misses(n):
    for i in reversed(range(0, n, 2)):
        while i != 3:
            i -= 2
    return n


def stepped(n, step):
    for i in reversed(range(0, n, step)):
        n += i
    return n
"""


def test_verdicts(tmp_path):
    path = write(tmp_path, EXAMPLES)
    assert one(path, "heapify_like").verdict == Verdict.YES
    no = one(path, "countdown_misses")
    assert no.verdict == Verdict.NO, no.reason  # an even i never meets 3: the walk down never ends
    assert no.witness["replay"]["confirmed"]
    refused = one(path, "stepped")
    assert refused.verdict == Verdict.UNKNOWN and "`reversed(range(...))` with a step that is not a constant" in \
        refused.reason
