"""Pointer parameters of the analysed function: the start of an object of its own, of any n >= 1
elements and any contents, an assumption every answer states; a parameter the body never names (`argv`)
cannot change anything."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check, report
from solomonic.reason.engines import evidence
from solomonic.reason.frontends.c.lower import lower_c, parse_c
from solomonic.reason.result import Verdict


def answer(tmp_path: Path, source: str, name: str, prop: str, timeout: float = 20.0):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(source))
    [result] = check(str(path), function=name, property=prop, timeout=timeout)
    return result


def test_a_string_scan_ends_at_the_terminator_the_assumption_gives(tmp_path):
    r = answer(tmp_path, """
        unsigned length(const char *s) {
            const char *p = s;
            while (*p)
                p++;
            return (unsigned) (p - s);
        }
        """, "length", "terminates")
    assert r.verdict == Verdict.YES, r.reason
    [assumed] = r.assumptions
    assert "'s' points to the start of a string" in assumed and "null character last" in assumed
    assert "assuming 's' points to the start of a string" in report.text([r])


def test_a_witness_gives_the_elements_and_its_reproducer_passes_exactly_that_many(tmp_path):
    r = answer(tmp_path, """
        int starts_xy(const char *s) {
            return s[0] != 'x' || s[1] != 'y';
        }
        """, "starts_xy", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    s = r.witness["inputs"]["s"]
    assert s[:2] == [ord("x"), ord("y")] and s[-1] == 0
    assert set(r.witness["inputs"]) == {"s"}  # the number of elements is the list's length, not an input shown
    assert f"static char __solomonic_0[{len(s)}];" in r.reproducer
    function = lower_c(parse_c(r.file), "starts_xy", "returns-true")
    assert evidence.confirm(function, r, 20).confirmed  # the witness read back from its JSON form
    stored = json.loads(json.dumps(r.to_json()))
    assert stored["assumptions"] == r.assumptions


def test_reading_past_the_elements_is_undefined(tmp_path):
    r = answer(tmp_path, """
        int second(const int *a) {
            return a[1] == a[1];
        }
        """, "second", "returns-true")
    assert r.verdict == Verdict.UNKNOWN
    assert "out of bounds in `a[1]` (the array 'a' points to)" in r.reason and "a=[" in r.reason


def test_a_length_parameter_is_not_taken_to_bound_the_array(tmp_path):
    r = answer(tmp_path, """
        int max(const int *a, unsigned n) {
            int m = a[0];
            for (unsigned i = 1; i < n; i++)
                if (a[i] > m) m = a[i];
            return m >= a[0];
        }
        """, "max", "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "out of bounds in `a[i]`" in r.reason


def test_writes_through_two_parameters_touch_two_objects(tmp_path):
    r = answer(tmp_path, """
        int separate(int *a, long b[]) {
            *a = 1;
            b[0] = 2;
            return *a == 1;
        }
        """, "separate", "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    assert len(r.assumptions) == 2 and all("no other parameter points into" in a for a in r.assumptions)


def test_argv_that_main_never_names_changes_nothing(tmp_path):
    r = answer(tmp_path, """
        int main(int argc, char **argv) {
            return argc < 3;
        }
        """, "main", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    assert set(r.witness["inputs"]) == {"argc"} and r.witness["inputs"]["argc"] >= 3
    assert not r.assumptions


@pytest.mark.parametrize("source, construct", [
    ("int main(int argc, char *argv[]) { return argv[0] != 0; }", "pointer to pointer"),
    ("int f(_Bool *b) { return *b; }", "pointer to _Bool"),
])
def test_what_the_model_cannot_give_a_parameter_is_unknown(tmp_path, source, construct):
    name = source.split("(")[0].split()[-1]
    r = answer(tmp_path, source, name, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and construct in r.reason and "program.c:1" in r.reason


def test_a_witness_longer_than_a_reproducer_builds_is_not_replayed(tmp_path):
    from solomonic.reason.ir.evaluate import ArrayValue
    from solomonic.reason.ir.interpret import Trace
    from solomonic.reason.replay.c import MAX_ELEMENTS, replay

    path = tmp_path / "program.c"
    path.write_text("int first(const char *s) { return s[0] != 1; }\n")
    function = lower_c(parse_c(str(path)), "first", "returns-true")
    elements, length = (i.var for i in function.inputs)
    ran = replay(function, {elements: ArrayValue(0, [(0, 1)]), length: MAX_ELEMENTS + 1}, Trace(), "returns-true")
    assert not ran.confirmed and "more than a reproducer builds" in ran.observed
    ran = replay(function, {elements: ArrayValue(0, [(0, 1)]), length: 2}, Trace(), "returns-true")
    assert ran.confirmed and ran.observed == "returned 0"


def test_an_array_parameter_declared_static_has_at_least_its_size(tmp_path):
    """`a[static n]`: the caller passes at least n elements (C11 6.7.6.3p7), which the answer says."""
    r = answer(tmp_path, """
        long sum(unsigned n, const int a[static n]) {
            long t = 0;
            for (unsigned i = 0; i < n; i++)
                t += a[i];
            return t;
        }
        """, "sum", "assert")
    assert r.verdict == Verdict.YES, r.reason
    assert "(at least n: `[static n]`)" in r.assumptions[0]
    r = answer(tmp_path, "int fourth(const int a[static 3]) { return a[3] == a[3]; }", "fourth", "assert")
    assert r.verdict == Verdict.UNKNOWN and "out of bounds in `a[3]`" in r.reason and "a=[0, 0, 0]" in r.reason


def test_a_witness_array_is_as_short_as_its_failure_allows(tmp_path):
    r = answer(tmp_path, "int empty(const char *s) { return s[0] != 0; }", "empty", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["inputs"]["s"] == [0], r.witness
    r = answer(tmp_path, "int second(const int *a) { return a[0] == a[1]; }", "second", "assert")
    assert r.verdict == Verdict.UNKNOWN and "a=[0])" in r.reason  # one element: a[1] is past it
