"""`finally`: it runs where the `try` falls through, where an exception leaves it (the body's that no
clause catches, a handler's, the else clause's), which it raises again unless it leaves by `return`
itself, and where a `return` leaves it, after the value is computed; a `break` or `continue` out of the
`try` is refused. Checked against CPython on generated functions, as verdicts, and the refusals name
the construct."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write
from tests.reason.frontends.python.cpython import assert_matches_cpython

_CLAUSES = ["ZeroDivisionError", "ValueError", "Exception", "AssertionError"]
_FINALLY = ["x = x * 2", "x = x + 1000 // (a - 1)", "if a == 0:\n            return -x", "pass"]


@st.composite
def functions(draw) -> str:
    """f(a, b): a try whose body may raise ZeroDivisionError, ValueError or AssertionError, with chosen
    clauses (maybe none), an else clause, a finally body that may change x, raise itself or return, and
    maybe an outer try that catches what gets out."""
    clauses = draw(st.lists(st.sampled_from(_CLAUSES), max_size=2, unique=True))
    lines = ["def f(a, b):", "    x = 1", "    try:", "        try:", "            x = a // b",
             "            if a > 3:", "                raise ValueError('big')", "            assert b != 2"]
    if draw(st.booleans()):  # a return whose value is computed before the finally body runs
        lines += ["            if a < 0:", "                return x + 7"]
    for k, clause in enumerate(clauses):
        lines += [f"        except {clause}:", f"            x = {10 * (k + 1)} + x // b"]
        if draw(st.booleans()):
            lines += ["            return x"]
    if clauses and draw(st.booleans()):
        lines += ["        else:", "            x = x + 100"]
    finally_body = draw(st.sampled_from(_FINALLY)).replace("\n", "\n    ")
    lines += ["        finally:", f"            {finally_body}"]
    outer = draw(st.sampled_from([None, "ZeroDivisionError", "Exception"]))
    if outer is None:
        lines[2:] = [line[4:] if line.startswith("        ") else line for line in lines[3:]]
    else:
        lines += [f"    except {outer}:", "        x = -1"]
    lines += ["    return x"]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(functions())
def test_generated_finally_matches_cpython(source):
    inputs = [(a, b) for a in (-2, 0, 1, 5) for b in (-1, 0, 2, 3)]
    assert_matches_cpython(source, inputs, (ZeroDivisionError, ValueError, AssertionError))


EXAMPLES = """
def cleanup(n):
    done = 0
    try:
        while n > 0:
            n -= 1
    finally:
        done = 1
    return done


def retries(n):
    k = 0
    while k < 3:
        try:
            n = 10 // n
        except ZeroDivisionError:
            n = 0
        finally:
            k = k - 1 if n == 0 else k + 1
    return k


def swallowed(a):
    try:
        return_value = 10 // a
    finally:
        return 0


def returns_inside(n):
    try:
        return n
    finally:
        while n > 0:
            n += 1


def continues_out(n):
    while n > 0:
        try:
            n -= 1
            continue
        finally:
            n = 0
    return n


def breaks_out(n):
    while True:
        try:
            break
        finally:
            n = 0
    return n
"""


def test_verdicts(tmp_path):
    path = write(tmp_path, EXAMPLES)
    assert one(path, "cleanup").verdict == Verdict.YES
    no = one(path, "retries")  # n = 0 keeps k going down
    assert no.verdict == Verdict.NO and no.witness["replay"]["confirmed"], no.reason
    assert one(path, "swallowed", "assert").verdict == Verdict.YES  # the return in finally drops ZeroDivisionError
    spins = one(path, "returns_inside")  # the finally body runs after the return's value is computed
    assert spins.verdict == Verdict.NO and spins.witness["replay"]["confirmed"], spins.reason


@pytest.mark.parametrize("function, construct", [
    ("breaks_out", "`break` out of a `try` with `finally`"),
    ("continues_out", "`continue` out of a `try` with `finally`"),
])
def test_refused(tmp_path, function, construct):
    result = one(write(tmp_path, EXAMPLES), function)
    assert result.verdict == Verdict.UNKNOWN and construct in result.reason, result.reason
