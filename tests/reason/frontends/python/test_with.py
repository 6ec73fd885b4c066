"""`with`: the manager's `__enter__` runs before the body is guarded, its `__exit__` where the body falls
through and where an exception leaves it, and may then suppress it (what follows the statement runs)
or let it go on; several items nest; a `return` runs the exit on its way out. A `break` or `continue`
out of a `with`, a list returned out of one, and a context that is no context manager are refused,
named."""

from __future__ import annotations

import pytest

from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write

EXAMPLES = """
class Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


class Loud:
    def __enter__(self):
        return 3

    def __exit__(self, *exc):
        return False


def guarded_loop(lock, n):
    with lock:
        while n > 0:
            n -= 1
    return n


def two_items(a, b, n):
    with a as x, b as y:
        while n > 0:
            n -= 1
    return n


def stuck(n):
    with Quiet():
        while n > 0:
            n += 1
    return n


def after_suppress(n):
    with Quiet():
        raise ValueError(n)
    while True:
        pass


def escapes(n):
    with Loud() as k:
        raise ValueError(k)
    return n


def returns_inside(lock, n):
    with lock:
        return n // 2


def ret_list(n):
    with Quiet():
        return [n]


def breaks_out(lock, n):
    while True:
        with lock:
            break
    return n


def with_int(n):
    with n + 1:
        pass
    return n
"""


def test_verdicts(tmp_path):
    path = write(tmp_path, EXAMPLES)
    for name in ("guarded_loop", "two_items"):
        result = one(path, name)
        assert result.verdict == Verdict.YES, (name, result.reason)
        assert any("operations on values of unknown type" in a for a in result.assumptions)
    for name in ("stuck", "after_suppress"):  # the loop after the statement runs where __exit__ suppresses
        result = one(path, name)
        assert result.verdict == Verdict.NO and result.witness["replay"]["confirmed"], (name, result.reason)
    escaped = one(path, "escapes", "assert")  # the exception is not certainly suppressed: no yes
    assert escaped.verdict != Verdict.YES, escaped.reason
    returned = one(path, "returns_inside")  # the exit runs on the way out
    assert returned.verdict == Verdict.YES, returned.reason


@pytest.mark.parametrize("function, construct", [
    ("breaks_out", "`break` out of a `with`"),
    ("ret_list", "a tuple or list returned out of `with`"),
    ("with_int", "no context manager"),
])
def test_refused(tmp_path, function, construct):
    result = one(write(tmp_path, EXAMPLES), function)
    assert result.verdict == Verdict.UNKNOWN and construct in result.reason, result.reason
