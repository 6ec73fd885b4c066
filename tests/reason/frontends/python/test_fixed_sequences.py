"""`for x in (a, b, c)`, `for c in "abc"`, `for b in b"ab"`: the elements evaluated once before the loop
and taken in order (a str's characters as values of unknown type, bytes as ints). Checked against
CPython on generated loops, and as verdicts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write
from tests.reason.frontends.python.cpython import assert_matches_cpython

_ELEMENTS = ["a", "b", "a - b", "3", "-1", "True", "a // 2"]


@st.composite
def loops(draw) -> str:
    """f(a, b) folding a walk over a tuple display (maybe empty, one element, several) or a bytes
    constant, whose body may change a name the display read, break, or use the loop's else clause."""
    if draw(st.booleans()):
        elements = draw(st.lists(st.sampled_from(_ELEMENTS), max_size=4))
        sequence = "(" + ", ".join(elements) + ("," if len(elements) == 1 else "") + ")"
    else:
        sequence = repr(draw(st.binary(max_size=3)))
    lines = ["def f(a, b):", "    x = 0", f"    for i in {sequence}:", "        x = 3 * x + i"]
    if draw(st.booleans()):
        lines.append("        a = a + 5")  # the display was evaluated before the loop
    if draw(st.booleans()):
        lines += ["        if i == b:", "            break"]
    if draw(st.booleans()):
        lines += ["    else:", "        x = x + 1000"]
    lines.append("    return x")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(loops())
def test_generated_loops_over_fixed_sequences_match_cpython(source):
    inputs = [(a, b) for a in (-3, 0, 2, 7) for b in (-1, 0, 3, 98)]
    assert_matches_cpython(source, inputs, ())


EXAMPLES = """
def neighbours(n):
    total = 0
    for d in (-1, 1):
        k = n + d
        while k > 0:
            k -= 1
            total += 1
    return total


def stuck_on_zero(n):
    for d in (1, 0, 2):
        k = n
        while k != 100:
            k += d
    return n


def vowels(n):
    count = 0
    for c in "aeiou":
        count += 1
    return count
"""


def test_verdicts(tmp_path):
    path = write(tmp_path, EXAMPLES)
    assert one(path, "neighbours").verdict == Verdict.YES
    no = one(path, "stuck_on_zero")  # the step 0 of the second element never reaches 100
    assert no.verdict == Verdict.NO and no.witness["replay"]["confirmed"], no.reason
    counted = one(path, "vowels", "returns-true")  # five characters: always 5
    assert counted.verdict == Verdict.YES, counted.reason
