"""Module-level constants (issue 22): a name the module binds once, by one top-level assignment of an int
or bool constant expression, and rebinds nowhere (no other binding, no `global` in any function or
method), is its value, in bodies and in defaults (`def f(x=BIG)` makes x an int, as `x=3` does). A name
the module rebinds is a value of unknown type, and the answer names it.
"""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")

from solomonic.reason import check
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.result import Verdict

MODULE = """
    BIG = 10**6
    LIMIT = 3
    STEP = LIMIT - 2
    FLAG = True
    NAME = "x"

    def down_from(x=BIG):
        while x > LIMIT:
            x -= STEP
        return x

    def count(n, fast=FLAG):
        i = 0
        while i < n:
            i += 2 if fast else 1
        return i

    def named(x=NAME):
        return x

    def stuck(x=BIG):
        while x != LIMIT:
            x -= 2
        return x
"""


def _results(tmp_path, source: str, name: str, prop: str = "terminates"):
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(source))
    [result] = check(str(path), function=name, property=prop, timeout=20)
    return result


def test_a_default_that_names_an_int_constant_makes_an_int_parameter(tmp_path):
    r = _results(tmp_path, MODULE, "down_from")
    assert r.verdict == Verdict.YES, r.reason
    assert r.assumptions == ["x: int"]  # from its default, and said: a caller may pass another value


def test_a_bool_constant_default_makes_an_int_parameter_said_as_assumed(tmp_path):
    """A caller may pass any int for a flag, and an answer for every int holds for True and False too."""
    r = _results(tmp_path, MODULE, "count")
    assert r.verdict == Verdict.YES, r.reason
    assert r.assumptions == ["n: int", "fast: int"]


def test_a_constant_of_another_type_is_a_value_of_unknown_type(tmp_path):
    r = _results(tmp_path, MODULE, "named")
    assert r.verdict == Verdict.YES
    assert "x: a value of unknown type" in r.assumptions


def test_a_constant_read_in_the_body_gives_a_replayed_no(tmp_path):
    """x - 2 steps over LIMIT = 3 from an even x: the witness is replayed with the module imported."""
    r = _results(tmp_path, MODULE, "stuck")
    assert r.verdict == Verdict.NO, r.reason
    assert r.witness["replay"]["confirmed"]
    assert r.witness["inputs"]["x"] % 2 == 0


def test_a_name_a_method_rebinds_through_global_is_no_constant(tmp_path):
    source = """
        LIMIT = 3

        class Knob:
            def lower(self):
                global LIMIT
                LIMIT = -10

        def f(x):
            while x > LIMIT:
                x -= 1
            return x

        def g(x=LIMIT):
            return x
    """
    r = _results(tmp_path, source, "f")
    assert r.verdict != Verdict.NO
    assert "LIMIT: a value of unknown type (a module-level name the module rebinds)" in r.assumptions
    r = _results(tmp_path, source, "g")
    assert "x: a value of unknown type" in r.assumptions


@pytest.mark.parametrize("source", [
    "A = A + 1\ndef f(x=A):\n    return x\n",  # NameError on import: no constant, and no endless evaluation
    "def f(x=LATE):\n    return x\nLATE = 5\n",  # the default runs before LATE is bound
    "B = C + 1\nC = 2\ndef f(x=B):\n    return x\n",
])
def test_a_constant_bound_after_its_reader_runs_is_no_int(source):
    function = lower_python(parse_python("m.py", source.encode()), "f")
    assert function.assumptions[0] == "x: a value of unknown type"


def test_constants_fold_into_shifts_and_masks(tmp_path):
    r = _results(tmp_path, """
        WIDTH = 8
        MASK = (1 << WIDTH) - 1

        def f(x):
            return 0 <= x & MASK <= 255 and x >> WIDTH == x // 256
    """, "f", "returns-true")
    assert r.verdict == Verdict.YES, r.reason
