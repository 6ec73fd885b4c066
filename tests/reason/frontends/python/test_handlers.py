"""`try`/`except`/`else`: a caught exception continues in its handler with the variables as they were,
an uncaught one escapes, a handler's own exception is not its `try`'s; what cannot be told exactly is
refused. Checked against CPython on generated functions, and as verdicts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write
from tests.reason.frontends.python.cpython import assert_matches_cpython

EXAMPLES = """
def safe_div(a, b):
    try:
        return a // b
    except ZeroDivisionError:
        return 0


def wrong_handler(a, b):
    try:
        q = a // b
    except ValueError:
        q = 0
    return q


def first(xs: list[int]) -> int:
    try:
        return xs[0]
    except IndexError:
        return -1


def retry(n):
    tries = 0
    while True:
        try:
            if tries < n:
                raise ValueError("again")
            return tries
        except ValueError:
            tries += 1


def swallow(x):
    try:
        assert x > 0
    except AssertionError:
        return False
    return True


def spins(n):
    while n > 0:
        try:
            n = n // 0
        except ZeroDivisionError:
            pass
    return n


def handler_raises(a):
    try:
        return 10 // a
    except ZeroDivisionError:
        return 10 // a
"""


@pytest.mark.parametrize("function, prop, verdict", [
    ("safe_div", "assert", Verdict.YES),  # the only exception is caught
    ("wrong_handler", "assert", Verdict.NO),  # ZeroDivisionError is not a ValueError
    ("first", "assert", Verdict.YES),
    ("retry", "terminates", Verdict.YES),  # the handler counts up to n
    ("retry", "assert", Verdict.YES),
    ("swallow", "assert", Verdict.YES),  # a failed assertion is an AssertionError like any other
    ("swallow", "returns-true", Verdict.NO),
    ("spins", "terminates", Verdict.NO),  # the caught exception keeps the loop going
    ("handler_raises", "assert", Verdict.NO),  # raised in the handler: not this try's
])
def test_verdicts(tmp_path, function, prop, verdict):
    result = one(write(tmp_path, EXAMPLES), function, prop)
    assert result.verdict == verdict, result.reason
    if verdict == Verdict.NO:
        assert result.witness["replay"]["confirmed"]


@pytest.mark.parametrize("body, construct", [
    ("try:\n        return 1 // x\n    except ZeroDivisionError as e:\n        return str(e)", "exception object"),
    ("try:\n        return 1 // x\n    except errors[0]:\n        return 0", "other than a name"),
    ("try:\n        return rec(x)\n    except ValueError:\n        return 0", "recursive"),
])
def test_refused(tmp_path, body, construct):
    path = write(tmp_path, f"def rec(n):\n    return 0 if n <= 0 else rec(n - 1)\n\n\n"
                           f"def f(x):\n    {body}\n")
    result = one(path, "f", "assert")
    assert result.verdict == Verdict.UNKNOWN and construct in result.reason


def test_an_unknown_class_may_or_may_not_catch(tmp_path):
    """A class of the module may be a ZeroDivisionError's base or not: a yes would need to know."""
    path = write(tmp_path, """
        class Mine(Exception):
            pass


        def f(a):
            try:
                return 1 // a
            except Mine:
                return 0
    """)
    result = one(path, "f", "assert")
    assert result.verdict in (Verdict.NO, Verdict.UNKNOWN)
    assert result.verdict != Verdict.YES


_RAISING = ["a // b", "a % b", "divmod(a, b)[0]"]
_CLAUSES = ["ZeroDivisionError", "ArithmeticError", "ValueError", "Exception", "(ValueError, ZeroDivisionError)",
            "AssertionError", "LookupError"]


@st.composite
def functions(draw) -> str:
    """f(a, b) with a try whose body may raise ZeroDivisionError, ValueError or AssertionError at a
    chosen point, clauses in a chosen order, an else clause, and a second try around it."""
    raising = draw(st.sampled_from(_RAISING))
    clauses = draw(st.lists(st.sampled_from(_CLAUSES), min_size=1, max_size=3, unique=True))
    lines = ["def f(a, b):", "    x = 1", "    try:", "        try:", f"            x = {raising}",
             "            if a > 3:", "                raise ValueError('big')", "            assert b != 2"]
    for k, clause in enumerate(clauses):
        lines += [f"        except {clause}:", f"            x = {10 * (k + 1)} + x"]
    if draw(st.booleans()):
        lines += ["        else:", "            x = x + 100"]
    outer = draw(st.sampled_from([None, *_CLAUSES]))
    if outer is None:
        lines[2:] = [line[4:] if line.startswith("        ") else line for line in lines[3:]]
    else:
        lines += [f"    except {outer}:", "        x = -1"]
    lines += ["    return x"]
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(functions())
def test_generated_handlers_match_cpython(source):
    inputs = [(a, b) for a in (-2, 0, 1, 5) for b in (-1, 0, 2, 3)]
    assert_matches_cpython(source, inputs, (ZeroDivisionError, ValueError, AssertionError))


def test_a_builtin_class_called_with_keywords_raises_type_error(tmp_path):
    """`ValueError(code=1)` raises TypeError (the builtin classes take no keywords) before anything is
    raised: `except ValueError` does not catch it, and the replay sees TypeError escape."""
    path = write(tmp_path, """
        def f(a):
            try:
                raise ValueError(code=a)
            except ValueError:
                return 0
    """)
    result = one(path, "f", "assert")
    assert result.verdict == Verdict.NO, result.reason
    assert result.witness["replay"]["confirmed"] and "TypeError" in result.witness["replay"]["observed"]


def test_the_lowering_knows_the_class_of_its_own_exceptions_where_the_module_shadows_the_name(tmp_path):
    """A list index out of range raises the builtin IndexError whatever the module binds to the name;
    the class is the event's, not read back from the name in its message."""
    from solomonic.reason.frontends.python.lower import lower_python, parse_python

    path = write(tmp_path, """
        class IndexError(Exception):
            pass


        def f(xs: list[int], n):
            if n > 0:
                raise IndexError("mine")
            return xs[n] // n
    """)
    function = lower_python(parse_python(str(path), path.read_bytes()), "f")
    raised = {e.message.split(":")[0].split(" (")[0]: e.exception_class
              for e in function.cfg.events.values() if e.kind == "exception"}
    assert raised == {"raise IndexError('mine')": None, "IndexError": "IndexError",
                      "ZeroDivisionError": "ZeroDivisionError"}
