"""Parameters as people write them: without annotations they are assumed int, and every answer says so
in every output format; the user's --param-types, PEP 484 type comments and int or bool defaults give
types instead; a parameter whose own function uses it as something else than an int, or with another
type, is a value of unknown type (and said so); assumptions are part of the proof memory's key."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("z3")

from solomonic.reason import report
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.frontends.python.parameters import parse_param_types
from solomonic.reason.result import Verdict
from tests.reason.frontends.python import answers
from tests.reason.frontends.python.answers import write


def one(path, function: str, prop: str = "terminates", **kw):
    return answers.one(path, function, prop, timeout=10, **kw)


def test_an_untyped_function_is_analysed_assuming_ints_and_says_so_everywhere(tmp_path):
    path = write(tmp_path, """
        def f(x, y):
            while x > 0:
                x -= y if y > 0 else 1
            return x
    """)
    r = one(path, "f")
    assert r.verdict == Verdict.YES and r.assumptions == ["x: int", "y: int"]
    assert "assuming x: int; y: int" in report.text([r])
    assert "assuming x: int; y: int" in report.text([r], verbose=False)
    assert json.loads(report.to_json([r]))[0]["assumptions"] == ["x: int", "y: int"]
    [entry] = json.loads(report.sarif([r]))["runs"][0]["results"]
    assert "assuming x: int; y: int" in entry["message"]["text"]
    assert entry["properties"]["assumptions"] == ["x: int", "y: int"]


def test_a_refutation_of_an_untyped_function_is_replayed_with_int_arguments(tmp_path):
    path = write(tmp_path, """
        def g(x, y):
            while x > 0:
                x = x - y
            return x
    """)
    r = one(path, "g")
    assert r.verdict == Verdict.NO and r.assumptions == ["x: int", "y: int"]
    assert r.witness["inputs"]["y"] <= 0 < r.witness["inputs"]["x"]


def test_declared_types_are_not_assumptions(tmp_path):
    path = write(tmp_path, """
        def annotated(x: int, flag: bool):
            while x > 0 and flag:
                x -= 1
            return x

        def commented(x, flag):
            # type: (int, bool) -> int
            while x > 0 and flag:
                x -= 1
            return x

        def asserted(x):
            assert isinstance(x, int)
            while x > 0:
                x -= 1
            return x

        def defaults(x, step=1, flag=True):
            while x > 0 and flag:
                x -= 1
            return x
    """)
    for name in ("annotated", "commented", "asserted"):
        r = one(path, name)
        assert r.verdict == Verdict.YES and r.assumptions == [], (name, r.reason)
    r = one(path, "defaults")  # step and flag are ints by their defaults, which a caller may replace: assumed
    assert r.verdict == Verdict.YES and r.assumptions == ["x: int", "step: int", "flag: int"]


def test_a_bool_from_a_type_comment_or_default_is_a_bool(tmp_path):
    """The comment's types are the inputs' types (a bool input ranges over 0 and 1 only)."""
    path = write(tmp_path, """
        def f(x, flag):
            # type: (int, bool) -> int
            while x < 10:
                x += 1 + flag
            return x
    """)
    module = parse_python(str(path), path.read_bytes())
    function = lower_python(module, "f")
    assert [(i.display, i.source_type) for i in function.inputs] == [("x", "int"), ("flag", "bool")]


def test_param_types_come_first_and_unmodelled_ones_are_values_of_unknown_type(tmp_path):
    path = write(tmp_path, """
        def f(x: bool, y):
            while y > 0:
                y -= 1
            return x
    """)
    r = one(path, "f", param_types={"x": "int", "y": "int"})
    assert r.verdict == Verdict.YES and r.assumptions == []
    module = parse_python(str(path), path.read_bytes())
    assert [i.source_type for i in lower_python(module, "f", {"x": "int"}).inputs] == ["int", "int"]
    r = one(path, "f", param_types={"y": "list[str]"})
    assert r.verdict == Verdict.UNKNOWN and r.assumptions[0] == "y: a value of unknown type"
    r = one(path, "f", param_types={"y": "list[int]"})  # a list, compared with an int: not modelled
    assert r.verdict == Verdict.UNKNOWN and "the list `y`" in r.reason


@pytest.mark.parametrize("body", [
    "return xs[0]",
    "return len(xs)",
    "return xs.count(1)",
    "return 1 if 3 in xs else 0",
    "return xs - 'a'",
    "return xs()",
])
def test_a_parameter_used_as_something_else_than_an_int_is_a_value_of_unknown_type(tmp_path, body):
    path = write(tmp_path, f"def f(xs):\n    {body}\n")
    r = one(path, "f")
    assert r.verdict == Verdict.YES and r.assumptions[0] == "xs: a value of unknown type", r.reason
    module = parse_python(str(path), path.read_bytes())
    assert [i.source_type for i in lower_python(module, "f").inputs] == ["object"]


def test_a_default_that_is_not_an_int_makes_a_value_of_unknown_type(tmp_path):
    path = write(tmp_path, "def f(x, xs=0.5):\n    return x\n")
    r = one(path, "f", prop="assert")
    assert r.verdict == Verdict.YES and r.assumptions == ["x: int", "xs: a value of unknown type"]


@pytest.mark.parametrize("source", [
    "def f(x, xs=''):\n    return x\n",
    "def f(x, xs):\n    return xs + 'a' if x else x\n",
    "def f(x, xs):\n    return xs.startswith('a') or x\n",
])
def test_a_parameter_used_as_a_str_or_given_a_str_default_is_assumed_a_str(tmp_path, source):
    r = one(write(tmp_path, source), "f", prop="assert")
    assert r.verdict == Verdict.YES and r.assumptions == ["x: int", "xs: str"], r.assumptions


def test_assumptions_are_part_of_the_proof_memory_key(tmp_path):
    """The same IR under an assumption and under a declaration is two questions, not one."""
    path = write(tmp_path, """
        def f(x):
            while x > 0:
                x -= 1
            return x
    """)
    memory = str(tmp_path / "proofs.sqlite")
    assumed = one(path, "f", memory=memory)
    given = one(path, "f", memory=memory, param_types={"x": "int"})
    again = one(path, "f", memory=memory)
    assert assumed.assumptions == ["x: int"] and given.assumptions == []
    assert not given.details.get("from_memory") and again.details.get("from_memory")
    assert again.assumptions == ["x: int"]


def test_parse_param_types():
    assert parse_param_types("x: int, flag: bool") == {"x": "int", "flag": "bool"}
    assert parse_param_types(" xs : list[int] ") == {"xs": "list[int]"}
    for bad in ("x int", "1x: int", "x: int; y", "x:"):
        with pytest.raises(ValueError):
            parse_param_types(bad)


def test_the_cli_reads_param_types_and_rejects_bad_ones(tmp_path):
    path = write(tmp_path, "def f(x, y):\n    return x\n")
    ok = subprocess.run([sys.executable, "-m", "solomonic", "check", str(path), "-p", "assert", "--no-memory",
                         "--param-types", "x: int, y: bool", "--format", "json"], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)[0]["assumptions"] == []
    bad = subprocess.run([sys.executable, "-m", "solomonic", "check", str(path), "--param-types", "x int"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--param-types: 'x int' is not 'name: type'" in bad.stderr


def test_a_counterexample_that_needs_a_value_of_unknown_type_is_no_finding(tmp_path):
    """`f(0)` does raise TypeError, but the function takes a callable: an int for `xs` is not a finding."""
    path = write(tmp_path, "def f(xs, n):\n    assert n != 3\n    return xs()\n")
    r = one(path, "f", prop="assert")
    assert r.verdict == Verdict.UNKNOWN and "a counterexample needs a value of unknown type for xs" in r.reason
    r = one(path, "f", prop="assert", param_types={"xs": "int"})  # declared an int: the same run is a finding
    assert r.verdict == Verdict.NO


def test_a_flag_default_does_not_narrow_the_callers_to_flags(tmp_path):
    """The soundness campaign's wrong YES (seed 8, batch 34), minimised: analysed for z in {False, True}
    only, the assertion always fails and 'returns-true' held vacuously; a caller may pass any int."""
    path = write(tmp_path, """
        FLAG = True

        def f(x, z=FLAG):
            assert max(z, -2) > z
            return x * 0
    """)
    r = one(path, "f", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    assert r.assumptions == ["x: int", "z: int"]
