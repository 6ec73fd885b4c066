"""The Python replay of a non-termination witness: a real run that comes back to a state it was in is
proof that it never returns (and is confirmed at once, not after a time limit); where anything besides
the frames' locals could change that proof is not taken, and the time limit decides as before."""

from __future__ import annotations

import textwrap
import time

from solomonic.reason.replay.python import replay


def module(tmp_path, source: str) -> str:
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(source))
    return str(path)


def test_a_repeated_state_confirms_non_termination_at_once(tmp_path):
    path = module(tmp_path, """
        def step(x, y):
            return x - y

        def g(x, y):
            while x > 0:
                x = step(x, y)
            return x
    """)
    started = time.monotonic()
    r = replay(path, "g", [1, 0], "terminates", timeout_s=10.0)
    assert r.confirmed and "came back to a state it was in" in r.observed and "x=1, y=0" in r.observed
    assert time.monotonic() - started < 5.0  # not the 10 s limit


def test_a_run_that_only_grows_is_confirmed_by_the_time_limit(tmp_path):
    path = module(tmp_path, """
        def h(n):
            i = 0
            while i != n:
                i += 2
            return i
    """)
    r = replay(path, "h", [3], "terminates", timeout_s=1.0)
    assert r.confirmed and "still running after 1 s" in r.observed


def test_a_module_that_writes_globals_or_items_is_not_judged_by_its_locals(tmp_path):
    """`count` changes a global the locals do not show: the locals repeat while the run ends."""
    path = module(tmp_path, """
        N = 0
        def bump():
            global N
            N += 1
            return N

        def f(x):
            while bump() < 50:
                x = x
            return x
    """)
    r = replay(path, "f", [0], "terminates", timeout_s=5.0)
    assert not r.confirmed and r.observed.startswith("returned")
    path = module(tmp_path, """
        def f(x):
            box = [0]
            while box[0] < 50:
                box[0] += 1
            return x
    """)
    r = replay(path, "f", [0], "terminates", timeout_s=5.0)
    assert not r.confirmed and r.observed.startswith("returned")


def test_a_terminating_run_and_other_properties_are_unchanged(tmp_path):
    path = module(tmp_path, """
        def f(x):
            while x > 0:
                x -= 1
            assert x == 1
    """)
    assert not replay(path, "f", [3], "terminates").confirmed
    r = replay(path, "f", [3], "assert")
    assert r.confirmed and "AssertionError" in r.observed


def test_a_value_too_long_to_print_is_not_an_exception_of_the_call(tmp_path):
    """str() of an int past 4300 digits raises ValueError; the replay's own report of a returned value
    must not count as the call raising (which confirmed a made-up assert witness)."""
    path = module(tmp_path, """
        def f(x):
            return x + 2 ** 20000

        def g(x):
            return x + 2 ** 20000 < 0
    """)
    raised = replay(path, "f", [1], "assert", timeout_s=10.0)
    assert not raised.confirmed and raised.observed == "returned <an int of 20001 bits>"
    falsy = replay(path, "g", [1], "returns-true", timeout_s=10.0)
    assert falsy.confirmed and falsy.observed == "returned False"


def test_a_value_whose_truth_fails_confirms_nothing(tmp_path):
    path = module(tmp_path, """
        class Odd:
            def __bool__(self):
                raise ValueError("no truth")

        def f(x):
            return Odd()
    """)
    for prop in ("assert", "returns-true"):
        r = replay(path, "f", [1], prop, timeout_s=10.0)
        assert not r.confirmed and "could not be read" in r.observed


def test_call_arguments_pass_none_where_an_optional_parameters_flag_is_true():
    """An `int | None` parameter's flag is an input of its own, never an argument: None is passed where
    it is true, the parameter's int where it is false."""
    from solomonic.reason.frontends.python.lower import lower_python, parse_python
    from solomonic.reason.replay.python import call_arguments

    source = "def f(a, b=None, c: int | None = 3):\n    return a if b is None else b + (c or 0)\n"
    function = lower_python(parse_python("m.py", source.encode()), "f")
    var = {i.display: i.var for i in function.inputs}
    assert list(var) == ["a", "b", "b is None", "c", "c is None"]
    values = {var["a"]: 1, var["b"]: 5, var["b is None"]: 1, var["c"]: 7, var["c is None"]: 0}
    assert call_arguments(function, values) == [1, None, 7]


def test_code_that_swallows_the_replays_clock_does_not_change_its_report(tmp_path):
    """The time limit interrupts the run with an exception of the replay's own, which a bare `except:`
    or a context manager's `__exit__` returning true may catch: the run then returns, but only because
    it was interrupted; it is reported as still running."""
    path = module(tmp_path, """
        class Quiet:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return True

        def grows(n):
            with Quiet():
                while n > 0:
                    n += 1
            return 0

        def repeats(n):
            try:
                while n > 0:
                    pass
            except BaseException:
                return 0
            return 1
    """)
    grown = replay(path, "grows", [1], "returns-true", timeout_s=1.0)
    assert not grown.confirmed and "still running after 1 s" in grown.observed
    caught = replay(path, "repeats", [1], "terminates", timeout_s=1.0)
    assert caught.confirmed and "still running after 1 s" in caught.observed


def test_a_state_inside_a_for_with_or_try_proves_nothing(tmp_path):
    """Inside a `for` the loop's iterator is state the locals do not show (so are a `with`'s exit and an
    exception being handled): the same locals twice there is no proof, and a run that ends is not taken
    for one that repeats."""
    path = module(tmp_path, """
        def f():
            for i in (0, 0, 0):
                j = 1
            return 5

        def g():
            k = 0
            while True:
                k = 0
    """)
    ended = replay(path, "f", [], "terminates", timeout_s=5.0)
    assert not ended.confirmed and ended.observed == "returned 5"
    repeated = replay(path, "g", [], "terminates", timeout_s=10.0)
    assert repeated.confirmed and "came back to a state it was in" in repeated.observed
