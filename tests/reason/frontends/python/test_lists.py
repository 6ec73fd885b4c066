"""Python lists of ints (frontends/python/lists.py): each operation against CPython on concrete lists, the
answers of the whole analysis (IndexError as an exception, negative indices, termination of loops over a
list, a witness list replayed), and the refusals that keep aliasing out of the model."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.reason import Verdict
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.ir.evaluate import ArrayValue
from solomonic.reason.ir.interpret import run
from solomonic.reason.report import sarif, text, to_json
from tests.reason.frontends.python.answers import answer, one, write


def as_input(xs: list[int]) -> ArrayValue:
    """A list as the front end's array input: the length in cell -1, the elements from cell 0."""
    return ArrayValue(0, tuple(sorted({-1: len(xs), **dict(enumerate(xs))}.items())))


def outcome_in_cpython(source: str, xs: list[int], k: int) -> object:
    namespace: dict = {}
    exec(source, namespace)
    try:
        return namespace["f"](list(xs), k)
    except (IndexError, ValueError, ZeroDivisionError, AssertionError) as err:
        return type(err)


def outcome_in_the_model(source: str, xs: list[int], k: int) -> object:
    function = lower_python(parse_python("<generated>", source.encode()), "f")
    trace = run(function, {function.inputs[0].var: as_input(xs), function.inputs[1].var: k}, lambda *_: 0, set())
    assert trace.event is not None, (source, xs, k, trace.outcome)
    if trace.event.kind == "assert":
        return AssertionError
    if trace.event.kind == "exception":
        return {"IndexError": IndexError, "ValueError": ValueError,
                "ZeroDivisionError": ZeroDivisionError}[trace.event.message.split(":")[0]]
    returned = {var.name: v for var, v in trace.env.items()}
    return None if returned.get("$return_none") else returned["$return"]


HELPERS = """
def add(ys, v):
    ys.append(v)

def count_to(n):
    out = []
    for i in range(n):
        out.append(i)
    return out
"""


def agree(body: str, xs: list[int], k: int) -> None:
    source = "def f(xs: list[int], k: int):\n" + "".join(f"    {line}\n" for line in body.strip().splitlines()) + \
        HELPERS
    want = outcome_in_cpython(source, xs, k)
    got = outcome_in_the_model(source, xs, k)
    assert got == (int(want) if isinstance(want, bool) else want), (source, xs, k, want, got)


OPERATIONS = {
    "index": "return xs[k]",
    "store": "xs[k] = 7\nreturn sum(xs)",
    "augmented": "xs[k] += 5\nreturn xs[k]",
    "augmented, the value pops": "xs[-1] += xs.pop()\nreturn sum(xs)",
    "append": "xs.append(k)\nreturn len(xs) * 100 + xs[-1]",
    "pop": "y = xs.pop()\nreturn y * 10 + len(xs)",
    "clear": "xs.clear()\nreturn len(xs)",
    "iterate": "s = 0\nfor x in xs:\n    s = s * 3 + x\nreturn s",
    "enumerate": "s = 0\nfor i, x in enumerate(xs, k):\n    s += i * x\nreturn s",
    "append while iterating": "for x in xs:\n    if len(xs) < 6:\n        xs.append(x + 1)\nreturn sum(xs)",
    "in": "return (k in xs) + 2 * (k not in xs)",
    "truth": "return 1 if xs and xs[0] > k else 2 if not xs else 3",
    "sum min max": "return sum(xs) + 10 * min(xs) + 100 * max(xs)",
    "display": "ys = [k, k + 1, 3]\nreturn ys[k]",
    "repeat": "ys = [k] * k\nreturn len(ys) + sum(ys)",
    "repeat empty": "ys = [] * k\nreturn len(ys)",
    "comprehension": "ys = [x * x for x in xs if x != k]\nreturn sum(ys) * 10 + len(ys)",
    "two generators": "ys = [a + b for a in range(k) for b in xs]\nreturn sum(ys)",
    "list of a range": "ys = list(range(k, 10, 3))\nreturn sum(ys) * 10 + len(ys)",
    "copy": "ys = list(xs)\nys.append(1)\nreturn len(ys) - len(xs)",
    "callee mutates": "add(xs, k)\nreturn len(xs) * 10 + xs[-1]",
    "rebinding the name": "xs = [x + 1 for x in xs]\nreturn sum(xs)",
    "a choice of new lists": "ys = [k] if k > 0 else [1, 2]\nreturn len(ys) * 10 + ys[0]",
    "a list a callee makes": "ys = count_to(k)\nys.append(7)\nreturn len(ys) * 10 + sum(count_to(len(xs)))",
}


@pytest.mark.parametrize("body", OPERATIONS.values(), ids=OPERATIONS.keys())
@pytest.mark.parametrize("xs, k", [([], 0), ([3], 0), ([3, -1, 4], -1), ([3, -1, 4], 2), ([5, 6], -3),
                                   ([1, 2, 3], 3), ([2, 2], 2)])
def test_each_operation_ends_as_cpython_ends(body, xs, k):
    agree(body, xs, k)


STEPS = st.sampled_from(["xs.append(k)", "k = xs.pop()", "xs[k] = k + 1", "k = xs[k]", "k = len(xs) - k",
                         "k += sum(xs)", "k = k if xs else -k", "k = max(xs) - k", "k = int(k in xs)",
                         "xs[-1] -= k", "for x in xs:\n    k += x", "xs = [v - k for v in xs]",
                         "xs.insert(k, 1)", "k = xs.pop(k)", "xs = xs[k:] + [k]", "xs.extend(xs)",
                         "k = xs.count(k)", "xs.remove(k)", "k = xs.index(1)"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=5), st.lists(st.integers(-3, 3), max_size=4), st.integers(-4, 4))
def test_small_generated_list_programs_end_as_cpython_ends(steps, xs, k):
    agree("\n".join(steps) + "\nreturn k", xs, k)


def test_an_index_out_of_range_is_an_exception_with_a_replayed_list_witness(tmp_path):
    path = write(tmp_path, """
        def second(xs: list[int]) -> int:
            return xs[1]
    """)
    r = one(path, "second", prop="assert")
    assert r.verdict == Verdict.NO and "IndexError" in r.reason
    shown = r.witness["inputs"]["xs"]
    assert isinstance(shown, list) and len(shown) <= 1
    assert f"xs={shown}" in text([r]) and json.loads(to_json([r]))[0]["witness"]["inputs"]["xs"] == shown
    assert json.loads(sarif([r]))["runs"][0]["results"][0]["properties"]["witness"]["xs"] == shown


def test_a_negative_index_reads_from_the_end(tmp_path):
    source = """
        def last(xs: list[int]) -> bool:
            if len(xs) >= 2:
                assert xs[-1] == xs[len(xs) - 1]
                return xs[-2] == xs[len(xs) - 2]
            return True
    """
    assert answer(tmp_path, source, "last", "assert").verdict == Verdict.YES
    assert answer(tmp_path, source, "last", "returns-true").verdict == Verdict.YES


def test_pop_from_an_empty_list_raises_and_a_guarded_one_does_not(tmp_path):
    path = write(tmp_path, """
        def careless(xs: list[int]) -> int:
            return xs.pop()

        def careful(xs: list[int]) -> int:
            total = 0
            while xs:
                total += xs.pop()
            return total
    """)
    r = one(path, "careless", prop="assert")
    assert r.verdict == Verdict.NO and r.witness["inputs"]["xs"] == [] and "pop from empty list" in r.reason
    assert one(path, "careful", prop="assert").verdict == Verdict.YES
    assert one(path, "careful").verdict == Verdict.YES


def test_a_loop_over_a_list_it_does_not_grow_terminates(tmp_path):
    path = write(tmp_path, """
        from typing import List

        def count_positive(xs: List[int]) -> int:
            n = 0
            for x in xs:
                if x > 0:
                    n += 1
            return n

        def find(xs: list[int], v: int) -> int:
            i = 0
            while i < len(xs) and xs[i] != v:
                i += 1
            return i
    """)
    assert one(path, "count_positive").verdict == Verdict.YES
    assert one(path, "find").verdict == Verdict.YES


def test_a_loop_that_appends_to_the_list_it_iterates_never_ends_and_the_run_shows_it(tmp_path):
    path = write(tmp_path, """
        def double_up(xs: list[int]) -> int:
            for x in xs:
                xs.append(x)
            return len(xs)
    """)
    r = one(path, "double_up")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"]


# Lists in while loops as people get them wrong (wait_all_done and work_queue the analysis leaves unknown)
WHILE_LOOPS = """
# Steps of 2 jump over 0 from an odd start
def work_queue(n):
    queue = [n]
    handled = 0
    while queue:
        x = queue.pop()
        handled += 1
        if x != 0:
            queue.append(x - 2)
    return handled


# The index is never advanced
def fill_squares(n):
    xs = [0] * n
    i = 0
    while i < len(xs):
        xs[i] = i * i
    return xs


# An item that is 0 is never popped, so the loop waits on it for ever
def count_down_items(n):
    pending = [n]
    while pending:
        x = pending[-1]
        if x > 0:
            pending.pop()
            pending.append(x - 1)
    return 0


# `lo = mid` stands still once hi == lo + 1 and the item at lo is below the target
def search_lo_mid(n, target):
    xs = list(range(0, 2 * n, 2))
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < target:
            lo = mid
        else:
            hi = mid
    return lo


# Only even items are popped: an odd one at the end stays
def pop_evens(n):
    xs = list(range(n))
    while len(xs) > 0:
        if xs[-1] % 2 == 0:
            xs.pop()
    return xs


# Waiting for a flag that nothing sets
def wait_all_done(n):
    done = [False] * n
    rounds = 0
    while False in done:
        rounds += 1
    return rounds




# `!=` where `<` was meant: a negative n is never reached
def retries(n):
    attempts = []
    while len(attempts) != n:
        attempts.append(len(attempts))
    return attempts
"""


@pytest.mark.parametrize("function", ["fill_squares", "count_down_items", "search_lo_mid", "pop_evens", "retries"])
def test_while_loops_over_lists_that_never_end_are_found_and_replayed(tmp_path, function):
    r = one(write(tmp_path, WHILE_LOOPS), function)
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason


def test_list_parameters_come_from_the_command_line_too(tmp_path):
    path = write(tmp_path, """
        def head(xs):
            return xs[0]
    """)
    r = one(path, "head", prop="assert", param_types={"xs": "list[int]"})
    assert r.verdict == Verdict.NO and r.witness["inputs"]["xs"] == []
    assert one(path, "head", prop="assert").verdict == Verdict.UNKNOWN  # untyped: a value of unknown type


@pytest.mark.parametrize("body, construct", [
    ("ys = xs\nys.append(1)\nreturn len(xs)", "aliasing"),
    ("ys = [xs]\nreturn 0", "the list `xs`"),
    ("print(xs)\nreturn 0", "passed to code not modelled"),
    ("xs.sort()\nreturn 0", "list method"),
    ("return xs[::2]", "slice"),
    ("reset(xs)\nreturn len(xs)", "rebinds its parameter"),
    ("xs.append(None)\nreturn 0", "stored into a list"),
    ("for x in xs:\n    xs = []\nreturn 0", "rebound inside the loop"),
    ("ys = same(xs)\nreturn 0", "did not make"),
    ("ys = xs if xs else [1]\nreturn 0", "a name's list"),
    ("n = 0\nn = xs\nreturn n", "aliasing"),
])
def test_what_would_share_or_change_a_list_unseen_is_refused(tmp_path, body, construct):
    source = "def f(xs: list[int]):\n" + "".join(f"    {ln}\n" for ln in body.splitlines()) + \
        "\ndef reset(ys):\n    ys = []\n\ndef same(ys):\n    return ys\n"
    r = one(write(tmp_path, source), "f", prop="assert")
    assert r.verdict == Verdict.UNKNOWN and "unsupported" in r.reason and construct in r.reason, r.reason


def test_a_list_of_values_of_unknown_type_stays_one(tmp_path):
    source = """
        def names(n):
            out = [None] * n
            labels = ["a", "b"]
            return len(labels) + n
    """
    assert answer(tmp_path, source, "names", "terminates").verdict == Verdict.YES


WALKS = {
    "count": "return xs.count(k) * 10 + xs.count(3)",
    "index": "return xs.index(k)",
    "remove": "xs.remove(k)\nreturn sum(xs) * 10 + len(xs)",
    "pop at": "y = xs.pop(k)\nreturn y * 100 + sum(xs) * 10 + len(xs)",
    "insert": "xs.insert(k, 9)\nreturn xs.index(9) * 100 + len(xs) * 10 + xs[-1]",
    "extend by itself": "xs.extend(xs)\nreturn len(xs) * 100 + sum(xs)",
    "extend": "xs.extend([k, 1])\nreturn len(xs) * 100 + xs[-2]",
    "concatenate": "ys = xs + [k] + xs\nreturn len(ys) * 100 + sum(ys) + ys[len(xs)]",
    "slices": "ys = xs[k:] + xs[:k] + xs[-2:k]\nreturn len(ys) * 1000 + sum(ys) * 10 + len(xs[k:-1])",
    "slice of nothing": "return len(xs[5:1]) + len(xs[-100:100])",
    "reversed": "s = 0\nfor x in reversed(xs):\n    s = s * 3 + x\n    if len(xs) > 1:\n        xs.pop()\nreturn s",
    "del": "del xs[k]\nreturn sum(xs) * 10 + len(xs)",
    "equality": "return (xs == [3, -1, 4]) + 2 * (xs[:k] != xs[:2]) + 4 * (xs == None) + 8 * ([] == xs)",
}


@pytest.mark.parametrize("body", WALKS.values(), ids=WALKS.keys())
@pytest.mark.parametrize("xs, k", [([], 0), ([3], 0), ([3, -1, 4], -1), ([3, -1, 4], 2), ([5, 6], -3),
                                   ([1, 2, 3], 3), ([2, 2], 2), ([4, 3], 7)])
def test_each_operation_that_walks_a_list_ends_as_cpython_ends(body, xs, k):
    agree(body, xs, k)


def test_what_is_not_a_list_of_ints_stays_a_value_of_unknown_type(tmp_path):
    source = """
        def shapes(s, n):
            letters = list(s)
            parts = s[1:] + [n]
            first = ["a"][0]
            total = len(s[2:]) + sum(s) + len(letters)
            while n > 0:
                n -= 1
            return total
    """
    r = answer(tmp_path, source, "shapes", "terminates")
    assert r.verdict == Verdict.YES and "s: a value of unknown type" in r.assumptions, r.reason


def test_lists_of_other_values_and_lists_kept_in_objects_stay_values_of_unknown_type(tmp_path):
    source = """
        class Node:
            def __init__(self, n):
                self.children = []
                self.table = {}
                self.table[n] = [n]

        def words(parts, n: int) -> int:
            out = []
            for i in range(n):
                out.append(parts[i])
            return n
    """
    path = write(tmp_path, source)
    assert one(path, "Node.__init__").verdict == Verdict.YES
    assert one(path, "words").verdict == Verdict.YES


def test_a_recursive_function_keeps_its_lists_values_of_unknown_type(tmp_path):
    """A procedure's variables would have to be each activation's own to hold a list: as before."""
    path = write(tmp_path, """
        def depth(n: int) -> int:
            if n <= 0:
                return 0
            marks = [n, n]
            return depth(n - 1) + len(marks)
    """)
    r = one(path, "depth")
    assert r.verdict == Verdict.YES and any("values of unknown type" in a for a in r.assumptions), r.assumptions


def test_a_non_termination_witness_shows_its_list_as_a_list(tmp_path):
    path = write(tmp_path, """
        def skip_odds(xs: list[int]) -> None:
            i = 0
            while i < len(xs):
                if xs[i] % 2 == 0:
                    continue
                i += 1
    """)
    r = one(path, "skip_odds")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"]
    (xs,) = r.witness["inputs"].values()
    assert isinstance(xs, list) and xs and xs[0] % 2 == 0
    assert f"skip_odds(xs={xs})" in r.reason
