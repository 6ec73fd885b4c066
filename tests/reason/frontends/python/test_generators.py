"""Generator expressions consumed at once: `any`/`all` stop at the first element that decides (later
elements are never computed, so cannot raise), `sum`/`min`/`max` take every element in order; `any` and
`all` of a list of ints likewise. Checked against CPython on generated functions, as verdicts, and the
refusals name the construct."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write
from tests.reason.frontends.python.cpython import assert_matches_cpython

_ELEMENTS = ["i > a", "i % 2", "10 // (i - b)", "i - a", "i == b", "a // (i + 1)", "None", "0"]
_SOURCES = ["range(a)", "range(b, a, -1)", "xs", "range(3)"]


@st.composite
def functions(draw) -> str:
    """f(a, b) returning a builtin of a generator expression (with or without a filter) over a range or
    a list made from a and b, or of that list itself."""
    builtin = draw(st.sampled_from(["any", "all", "sum", "min", "max"]))
    element = draw(st.sampled_from(_ELEMENTS if builtin in ("any", "all") else _ELEMENTS[1:6]))
    source = draw(st.sampled_from(_SOURCES))
    condition = draw(st.sampled_from(["", " if i != a", " if 7 // (i + 2)"]))
    argument = f"{element} for i in {source}{condition}"
    if builtin in ("any", "all") and draw(st.booleans()):
        argument = "xs"
    return "\n".join(["def f(a, b):", "    xs = [a, b, a - b, 0, b // 2]", f"    return {builtin}({argument})"]) + "\n"


@settings(max_examples=80, deadline=None)
@given(functions())
def test_generated_generator_expressions_match_cpython(source):
    inputs = [(a, b) for a in (-3, 0, 1, 4) for b in (-2, 0, 1, 3)]
    assert_matches_cpython(source, inputs, (ZeroDivisionError, ValueError))


EXAMPLES = """
def has_big(xs: list[int]):
    return any(x > 3 for x in xs)


def first_safe(n):
    return any(10 // (3 - i) > 0 for i in range(n))


def hangs_on_three(n):
    if any(i == 3 for i in range(n)):
        while True:
            pass
    return n


def nested(n):
    return any(i == j for i in range(n) for j in range(n))


def lazy_elsewhere(n):
    g = (i for i in range(n))
    return g
"""


def test_verdicts(tmp_path):
    path = write(tmp_path, EXAMPLES)
    assert one(path, "has_big").verdict == Verdict.YES
    safe = one(path, "first_safe", "assert")  # 10 // 0 at i = 3 is never computed: i = 0 decides
    assert safe.verdict == Verdict.YES, safe.reason
    no = one(path, "hangs_on_three")
    assert no.verdict == Verdict.NO and no.witness["replay"]["confirmed"], no.reason


@pytest.mark.parametrize("function, construct", [
    ("nested", "more than one `for`"),
    ("lazy_elsewhere", "comprehension"),
])
def test_refused(tmp_path, function, construct):
    result = one(write(tmp_path, EXAMPLES), function)
    assert result.verdict == Verdict.UNKNOWN and construct in result.reason, result.reason
