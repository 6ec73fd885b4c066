"""None and ints that may be None (issue 22): a variable given None somewhere is an int with a flag that
says it holds None; `is None`, `==`, truth and `or`/`and` are exact, an operation that needs a number
raises TypeError where the value is None, and a parameter whose default is None, or that the body asks
about (`hi is None`), is taken as `int | None`, an assumption every answer states. The standard
library's bisect_right (`if hi is None: hi = len(a)`) is proved to terminate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.reason import report
from solomonic.reason.engines import evidence
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.replay.python import NONE_FLAG
from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import answer
from tests.reason.frontends.python.cpython import assert_matches_cpython

USES = ["x is None", "x is not None", "None is x", "x == b", "x != None", "None == x", "x + 1", "-x", "x < b",
        "b >= x", "x or b", "x and b", "not x", "bool(x)", "abs(x)", "min(x, b)", "int(x)", "x if b > 0 else None",
        "(x or 0) * 2", "x >> 1", "x & 3", "x // 2 if x is not None else None", "a < x < b", "x == None == x",
        "isinstance(x, int)", "isinstance(x, (str, type(None)))", "isinstance(x, type(None))"]
MAKES = ["None if a > b else a - b", "a if a % 2 else None", "None", "b"]


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(make=st.sampled_from(MAKES), uses=st.lists(st.sampled_from(USES), min_size=1, max_size=3),
       inputs=st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=4, max_size=4))
def test_none_and_optional_ints_match_cpython(make, uses, inputs):
    """A variable that may hold None, used in every way the subset models: the same value, None or
    exception (TypeError where a number is needed) as CPython."""
    lines = [f"    x = {make}", *(f"    x = {u}" for u in uses)]
    source = "def f(a: int, b: int):\n" + "\n".join(lines) + "\n    return x\n"
    assert_matches_cpython(source, inputs, (TypeError,))


def test_bisect_right_terminates(tmp_path):
    """The standard library's bisect_right: hi defaults to None and becomes len(a)."""
    r = answer(tmp_path, """
        def bisect_right(a, x, lo=0, hi=None):
            if lo < 0:
                raise ValueError('lo must be non-negative')
            if hi is None:
                hi = len(a)
            while lo < hi:
                mid = (lo + hi) // 2
                if x < a[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            return lo
    """, "bisect_right")
    assert r.verdict == Verdict.YES, r.reason
    assert "hi: int | None" in r.assumptions


def test_a_function_that_sometimes_returns_none_is_a_replayed_no_for_returns_true(tmp_path):
    r = answer(tmp_path, """
        def first_square_over(n, bound):
            found = None
            i = 0
            while i < n:
                if i * i > bound:
                    found = i
                    break
                i += 1
            return found
    """, "first_square_over", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason


def test_a_loop_over_an_optional_int_is_a_yes_once_none_is_ruled_out(tmp_path):
    r = answer(tmp_path, """
        def drain(n, stop=None):
            if stop is None:
                stop = 0
            while n > stop:
                n -= 1
            return n
    """, "drain")
    assert r.verdict == Verdict.YES, r.reason
    assert r.assumptions == ["n: int", "stop: int | None"]


@pytest.mark.parametrize(("signature", "kind"), [
    ("x: int | None", "int | None"),
    ("x: 'Optional[int]'", "int | None"),
    ("x: None | int", "int | None"),
    ("x=None", "int | None"),
    ("x: list | None", "object"),
])
def test_optional_annotations_and_none_defaults(signature, kind):
    source = f"def f({signature}):\n    return 0 if x is None else x + 1\n"
    function = lower_python(parse_python("m.py", source.encode()), "f")
    assert [i.source_type for i in function.inputs if i.kind == "param"] == [kind]
    flags = [i.display for i in function.inputs if i.kind == NONE_FLAG]
    assert flags == (["x is None"] if kind == "int | None" else [])


def test_an_optional_parameter_none_raises_where_a_number_is_needed(tmp_path):
    """x + 1 with x None is a TypeError: an exception exit, so terminates holds for every int | None."""
    r = answer(tmp_path, """
        def f(x=None):
            while x + 1 > 0:
                x -= 1
            return x
    """, "f")
    assert r.verdict == Verdict.YES, r.reason


def test_a_witness_that_needs_none_is_replayed_with_none(tmp_path):
    """Whether an `int | None` parameter is None is an input of the witness (its flag), and the replay
    passes None where the flag is true: a loop that runs for ever only with `limit=None` is a no whose
    replay confirms it, and whose reproducer passes None."""
    r = answer(tmp_path, """
        def count_up(n, limit=None):
            while limit is None or n < limit:
                n += 1
            return n
    """, "count_up")
    assert r.verdict == Verdict.NO, r.reason
    assert r.witness["inputs"]["limit"] is None and "limit is None" not in r.witness["inputs"]
    assert r.witness["replay"]["confirmed"]
    assert "module.count_up(" in r.reproducer and ", None)" in r.reproducer


def test_an_assertion_that_fails_only_on_none_is_replayed(tmp_path):
    r = answer(tmp_path, """
        def f(x=None):
            assert x is not None
            return x
    """, "f", "assert")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    assert "module.f(None)" in r.reproducer
    assert "witness: f(x=None)" in report.text([r])
    function = lower_python(parse_python(r.file, Path(r.file).read_bytes()), "f")
    assert evidence.confirm(function, r, 10).confirmed  # the witness read back: x is None
