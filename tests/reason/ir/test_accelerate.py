"""Loop acceleration (ir/accelerate.py) is the interpreter's own semantics: the affine algebra agrees
with the evaluator at every iteration before its breakpoint, and a run that jumps ends exactly where the
run that goes one step at a time does: same outcome, same event, same values, same step count."""

from __future__ import annotations

import tempfile
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solomonic.reason.ir import Var
from solomonic.reason.ir.accelerate import NEVER, Accelerator, NotAffine, Stretch, first_change, first_true
from solomonic.reason.ir.evaluate import EvaluationError, evaluate
from solomonic.reason.ir.interpret import run
from tests.reason.symbolic.test_encodings import expression_and_values

pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, load

SETTINGS = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
bound = st.one_of(st.none(), st.integers(-50, 50))


@SETTINGS
@given(st.integers(-50, 50), st.integers(-7, 7), bound, bound)
def test_first_change_is_where_membership_first_differs(a, b, low, high):
    def inside(x):
        return (low is None or low <= x) and (high is None or x <= high)

    brute = next((i for i in range(1, 400) if inside(a + b * i) != inside(a)), NEVER)
    assert first_change(a, b, low, high) == brute


@SETTINGS
@given(st.one_of(st.integers(1, 10**12), st.just(None)))
def test_first_true_finds_the_threshold_of_a_monotone_predicate(threshold):
    found = first_true(lambda i: threshold is not None and i >= threshold)
    assert found == (NEVER if threshold is None else threshold)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_affine_value_is_the_evaluators_at_every_iteration_before_the_breakpoint(data):
    e, start = expression_and_values(data)
    slope = {v: data.draw(st.sampled_from([0, 0, 1, -1, 2, 3, -5, 1000])) for v in start}
    stretch = Stretch({v: (start[v], slope[v]) for v in start})
    try:
        a, b = stretch.value(e)
    except (NotAffine, EvaluationError):
        return
    # the variables stay values of their types (in a run, the iteration's own wrap-around breaks there)
    limit = min([stretch.limit, *(first_change(start[v], slope[v], v.type.min, v.type.max) for v in start)])
    checked = [i for i in (*range(min(limit, 40)), limit - 1) if 0 <= i < min(limit, 10**9)]
    for i in checked:
        env = {v: start[v] + i * slope[v] for v in start}
        assert evaluate(e, env) == a + b * i, (str(e), start, slope, i, stretch.limit)


# A closed C function with a loop of random statements; `n` bounds it so that the step-by-step run ends.
TYPES = ["int", "unsigned int", "unsigned char", "short", "long long", "unsigned long long", "signed char"]
NAMES = ["x", "y", "z"]


@st.composite
def statement(draw, depth=2):
    target, source = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
    c = draw(st.sampled_from([1, 2, 3, 7, 100, 1000, 255, 65535]))
    form = draw(st.sampled_from(["+=", "-=", "*", "%", "/", ">>", "<<", "&", "cast", "if", "if%"]
                                if depth else ["+=", "-=", "%", "/", "cast"]))
    if form in ("+=", "-="):
        return f"{target} {form} {c};"
    if form in ("*", "%", "/", "&"):
        return f"{target} = {source} {form} {c};"
    if form in (">>", "<<"):
        return f"{target} = {source} {form} {draw(st.integers(0, 7))};"
    if form == "cast":
        return f"{target} = ({draw(st.sampled_from(TYPES))}) ({source} + {c});"
    then, other = draw(statement(depth - 1)), draw(statement(depth - 1))
    test = f"{source} < {c}" if form == "if" else f"{source} % {c} == {draw(st.integers(0, 3))}"
    return f"if ({test}) {{ {then} }} else {{ {other} }}"


@st.composite
def closed_loop(draw):
    declarations = " ".join(f"{draw(st.sampled_from(TYPES))} {v} = {draw(st.integers(-300, 300))};" for v in NAMES)
    body = " ".join(draw(st.lists(statement(), min_size=1, max_size=4)))
    guard = draw(st.sampled_from(["x < 5000", "y != 77", "z >= -40", "1"]))
    end = draw(st.sampled_from(["__VERIFIER_assert(x != 1234);", "return x == y;"]))
    return textwrap.dedent(f"""
        extern void abort(void);
        extern void __assert_fail(const char *, const char *, unsigned int, const char *);
        void reach_error(void) {{ __assert_fail("0", "t.c", 3, "reach_error"); }}
        void __VERIFIER_assert(int cond) {{ if (!cond) {{ reach_error(); abort(); }} }}
        int main(void) {{
          {declarations} int n = 0;
          while (n < 3000 && ({guard})) {{ {body} n++; }}
          {end}
          return 0;
        }}
        """)


def runs(text: str):
    """The program's strict run, step by step and with acceleration."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.c"
        path.write_text(text)
        function = load(str(path), CheckOptions()).lower("main", "assert")
    merges = {loc for loc, n in Counter(e.dst for e in function.cfg.edges).items() if n > 1}
    no_value = lambda *_: None  # noqa: E731
    plain = run(function, {}, no_value, merges, max_steps=10**7, strict=True)
    fast = run(function, {}, no_value, merges, max_steps=10**7, strict=True,
               accelerator=Accelerator(function.cfg, merges))
    return plain, fast


def same_run(plain, fast) -> None:
    assert fast.outcome == plain.outcome
    assert (fast.event and (fast.event.kind, fast.event.line)) == (plain.event and (plain.event.kind, plain.event.line))
    assert fast.env == plain.env
    assert (fast.steps, fast.cutpoints_passed) == (plain.steps, plain.cutpoints_passed)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(closed_loop())
def test_a_run_with_jumps_ends_where_the_step_by_step_run_does(text):
    plain, fast = runs(text)
    assume(plain.outcome != "steps")
    same_run(plain, fast)


def test_two_phases_a_periodic_bump_and_wrap_around_are_jumped_exactly():
    text = """
        int main(void) {
          unsigned int x = 0, hits = 0; unsigned char c = 250; int n = 0;
          while (x < 300000) {
            if (x < 100000) x++; else x += 2;
            if (x % 1000 == 0) hits++;
            c++;
            n = n + 3;
          }
          return hits == 300 && c == (unsigned char) (250 + 200000) && n == 600000;
        }
        """
    plain, fast = runs(textwrap.dedent(text))
    same_run(plain, fast)
    assert plain.event is not None and plain.event.kind == "return"  # the values are as computed by hand
    assert sum(s.repeats for s in fast.strides) > 60_000 and fast.steps == plain.steps
    x = next(v for v in fast.env if isinstance(v, Var) and v.name.endswith("x"))
    assert fast.env[x] == 300000
