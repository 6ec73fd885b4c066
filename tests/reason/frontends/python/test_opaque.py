"""Values of unknown type (issue 22, deliverable 3) and methods (deliverable 4): a list, an object, `self`,
what a call outside the module returns is an arbitrary value, every operation on it may raise or return
anything, and every answer that rests on that says what it assumes (the operations and calls return)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("z3")

from solomonic.reason import report
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.result import Verdict
from tests.reason.frontends.python.answers import one, write

OPS = "the operations on values of unknown type"
UNCHANGED = "return without changing this function's variables"


def test_a_loop_free_function_on_lists_and_objects_terminates_under_stated_assumptions(tmp_path):
    path = write(tmp_path, """
        import math
        def f(xs, obj, n):
            if len(xs) == 0 or obj.empty:
                return None
            k = math.gcd(n, xs[0])
            obj.total = k + 1.5
            xs[0] = str(k)
            return sorted(xs, key=lambda v: -v)
    """)
    r = one(path, "f")
    assert r.verdict == Verdict.YES, r.reason
    assert r.assumptions == ["xs: a value of unknown type", "obj: a value of unknown type", "n: int",
                             f"{OPS} and the calls to math.gcd, str, sorted {UNCHANGED}"]
    assert "assuming xs: a value of unknown type" in report.text([r])
    assert json.loads(report.to_json([r]))[0]["assumptions"] == r.assumptions
    [entry] = json.loads(report.sarif([r]))["runs"][0]["results"]
    assert entry["properties"]["assumptions"] == r.assumptions


def test_binary_search_over_a_list_of_unknown_type_is_ranked_by_its_int_bounds(tmp_path):
    path = write(tmp_path, """
        def bisect_right(a, x, lo=0, hi=0):
            if lo < 0:
                raise ValueError('lo must be non-negative')
            if hi <= 0:
                hi = len(a)
            while lo < hi:
                mid = (lo + hi) // 2
                if x < a[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            return lo
    """)
    r = one(path, "bisect_right")
    assert r.verdict == Verdict.YES, r.reason
    assert "hi" in r.certificate["summary"] and "lo" in r.certificate["summary"]
    assert r.assumptions == ["a: a value of unknown type", "x: int", "lo: int", "hi: int", f"{OPS} {UNCHANGED}"]


def test_a_loop_whose_exit_depends_only_on_a_value_of_unknown_type_is_unknown(tmp_path):
    path = write(tmp_path, """
        def walk(node):
            n = 0
            while node:
                node = node.next
                n += 1
            return n
    """)
    r = one(path, "walk")
    assert r.verdict == Verdict.UNKNOWN


@pytest.mark.parametrize("body", ["for v in xs:\n        t += v", "t = [v for v in xs]"])
def test_iteration_over_a_value_of_unknown_type_is_refused_with_the_reason(tmp_path, body):
    path = write(tmp_path, f"def f(xs):\n    t = 0\n    {body}\n    return t\n")
    r = one(path, "f")
    assert r.verdict == Verdict.UNKNOWN and "iteration over a value of unknown type" in r.reason, r.reason


def test_a_method_is_lowered_with_its_receiver_of_unknown_type(tmp_path):
    path = write(tmp_path, """
        class Counter:
            def bump(self, n):
                total = self.start
                while n > 0:
                    self.helper(n)
                    n -= 1
                return total
            @staticmethod
            def twice(n):
                return n + n
            @classmethod
            def make(cls, n):
                return cls(n)
            @property
            def size(self):
                return 1
            @size.setter
            def size(self, n):
                while n > 0:
                    n -= 1
            @functools.cache
            def cached(self):
                return 1
    """)
    r = one(path, "Counter.bump")
    assert r.verdict == Verdict.YES, r.reason
    assert r.assumptions == ["self: a value of unknown type", "n: int",
                             f"{OPS} and the calls to self.helper {UNCHANGED}"]
    r = one(path, "Counter.twice")
    assert r.verdict == Verdict.YES and r.assumptions == ["n: int"]
    r = one(path, "Counter.make")
    assert r.verdict == Verdict.YES and r.assumptions[0] == "cls: a value of unknown type"
    r = one(path, "Counter.size")  # the setter, the def the name is bound to last
    assert r.verdict == Verdict.YES and r.assumptions[0] == "self: a value of unknown type", r.reason
    r = one(path, "Counter.cached")
    assert r.verdict == Verdict.UNKNOWN and "decorated with @functools.cache" in r.reason
    module = parse_python(str(path), path.read_bytes())
    function = lower_python(module, "Counter.bump")
    assert function.name == "Counter.bump"  # what the replay looks up
    assert [(i.display, i.source_type) for i in function.inputs] == [("self", "object"), ("n", "int")]
    accessor = lower_python(module, "Counter.size")  # called through the attribute, not by its name
    assert "property's accessor" in accessor.replay_context["unreplayable"]


def test_an_assertion_about_an_operation_of_unknown_type_is_not_proved(tmp_path):
    path = write(tmp_path, """
        def f(xs):
            assert xs.ok()
            return 1
    """)
    r = one(path, "f", "assert")
    assert r.verdict != Verdict.YES


def test_an_int_only_function_is_unchanged(tmp_path):
    path = write(tmp_path, """
        def f(x, y):
            while x > 0:
                x -= y if y > 0 else 1
            return x
    """)
    r = one(path, "f")
    assert r.verdict == Verdict.YES and r.assumptions == ["x: int", "y: int"]
    module = parse_python(str(path), path.read_bytes())
    cfg = lower_python(module, "f").cfg
    assert not any("unknown" in str(e.stmt) or "raises" in str(e.stmt) for e in cfg.edges)


def test_an_exception_from_an_operation_of_unknown_type_ends_the_run(tmp_path):
    """Each iteration may leave by an exception; the runs that do not raise are ranked, and a run that
    raises has ended: termination holds either way."""
    path = write(tmp_path, """
        def drain(stack, n):
            while n > 0:
                if stack.pop() is None:
                    n -= 2
                else:
                    n -= 1
            return n
    """)
    module = parse_python(str(path), path.read_bytes())
    events = lower_python(module, "drain").cfg.events.values()
    assert any(e.kind == "exception" and "may raise" in e.message for e in events)
    assert one(path, "drain").verdict == Verdict.YES


def test_variables_given_values_of_unknown_type_anywhere_are_of_unknown_type_everywhere(tmp_path):
    """`i` is an int at first and a value of unknown type later: the loop's exit is then unknown."""
    path = write(tmp_path, """
        def f(xs, i):
            while i < 10:
                i = xs.index(i)
            return i
    """)
    r = one(path, "f")
    assert r.verdict == Verdict.UNKNOWN


def test_none_kept_in_a_variable_is_a_value_of_unknown_type(tmp_path):
    path = write(tmp_path, """
        def f(n):
            best = None
            while n > 0:
                if best is None or n > 3:
                    best = n
                n -= 1
            return best
    """)
    r = one(path, "f")
    assert r.verdict == Verdict.YES, r.reason


def test_a_def_whose_name_the_module_rebinds_is_proved_as_written_and_never_refuted(tmp_path):
    """`from m import *` after the defs (as bisect and heapq do with their C versions) may replace every
    function: a proof is about the def as written, and says so; a counterexample cannot be replayed, since
    calling the module's attribute may run something else, so a no becomes unknown with that reason."""
    path = write(tmp_path, """
        def steps(n: int):
            while n > 0:
                n -= 1
            return n

        def positive(n: int):
            return n > 0

        try:
            from math import *
        except ImportError:
            pass
    """)
    proof = one(path, "steps")
    assert proof.verdict == Verdict.YES, proof.reason
    assert any("the def of steps at line 2 as written" in a for a in proof.assumptions)
    refuted = one(path, "positive", "returns-true")
    assert refuted.verdict == Verdict.UNKNOWN
    assert "a counterexample cannot be replayed" in refuted.reason
