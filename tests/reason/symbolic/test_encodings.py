"""The two Z3 encodings agree with the concrete evaluator on random expressions.

Spacer works on the integer encoding, bounded model checking and certificate checks on the bit-vector
one, the interpreter on the evaluator: a disagreement between any two is a soundness bug.
"""

from __future__ import annotations

import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.reason.ir import BOOL, INT, App, BVType, Const, Var, const
from solomonic.reason.ir.evaluate import EvaluationError, compiled, evaluate
from solomonic.reason.symbolic.encode import Encoder, value_bounds

MACHINE_TYPES = [BVType(8, True), BVType(8, False), BVType(16, True), BVType(32, True), BVType(32, False),
                 BVType(64, True), BVType(64, False), BVType(1, False)]
BINARY = ["add", "sub", "mul", "div", "rem", "bitand", "bitor", "bitxor", "shl", "shr",
          "add_nsw", "sub_nsw", "mul_nsw", "div_nsw"]
UNARY = ["neg", "bitnot", "neg_nsw"]
COMPARE = ["eq", "ne", "lt", "le", "gt", "ge"]
OVERFLOW = ["noovf_add", "noovf_sub", "noovf_mul", "noovf_div", "noovf_shl"]


def values(t: BVType):
    return st.one_of(st.integers(t.min, t.max), st.sampled_from([t.min, t.max, 0, 1, -1 if t.signed else 1]))


@st.composite
def machine_expr(draw, t: BVType, depth: int = 3):
    """A random expression of machine type t over variables a and b of each type (named by type)."""
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            return Var(f"{draw(st.sampled_from(['a', 'b']))}{t.width}{'s' if t.signed else 'u'}", t)
        return Const(draw(values(t)), t)
    kind = draw(st.sampled_from(["binary", "unary", "ite", "cast"]))
    if kind == "binary":
        op = draw(st.sampled_from(BINARY))
        left, right = draw(machine_expr(t, depth - 1)), draw(machine_expr(t, depth - 1))
        if op in ("shl", "shr") and draw(st.booleans()):
            right = Const(draw(st.integers(0, t.width - 1)), t)
        return App(op, (left, right), t)
    if kind == "unary":
        return App(draw(st.sampled_from(UNARY)), (draw(machine_expr(t, depth - 1)),), t)
    if kind == "ite":
        cond = App(draw(st.sampled_from(COMPARE)), (draw(machine_expr(t, depth - 1)), draw(machine_expr(t, depth - 1))), BOOL)
        return App("ite", (cond, draw(machine_expr(t, depth - 1)), draw(machine_expr(t, depth - 1))), t)
    source = draw(st.sampled_from(MACHINE_TYPES))
    return App("cast", (draw(machine_expr(source, depth - 1)),), t)


def _variables(e, out):
    if isinstance(e, Var):
        out.add(e)
    elif isinstance(e, App):
        for x in e.args:
            _variables(x, out)
    return out


def expression_and_values(data):
    """A random machine expression (or a comparison or overflow test of two), and values for its variables."""
    t = data.draw(st.sampled_from(MACHINE_TYPES))
    e = data.draw(machine_expr(t))
    if data.draw(st.booleans()):
        op = data.draw(st.sampled_from(OVERFLOW + COMPARE))
        e = App(op, (e, data.draw(machine_expr(t))), BOOL)
    return e, {v: data.draw(values(v.type)) for v in _variables(e, set())}


def solve_value(enc: Encoder, e, env_values, t):
    """The value of e under the encoding, with its variables fixed (auxiliaries solved for)."""
    ctx = enc.ctx
    env = {v: enc.value(val, v.type) for v, val in env_values.items()}
    enc.side = []
    term = enc.expr(e, env)
    solver = z3.Solver(ctx=ctx)
    solver.add(*enc.side)
    assert solver.check() == z3.sat
    return enc.decode(solver.model().eval(term, model_completion=True), t)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_machine_arithmetic_agrees_across_encodings(data):
    e, env = expression_and_values(data)
    try:
        expected = evaluate(e, env)
    except EvaluationError:
        return  # undefined (division by zero, shift out of range): guarded by events in real programs
    if _uses_nsw_with_overflow(e, env):
        return  # nsw values are only used where they do not overflow (see ir.NO_SIGNED_WRAP)
    ctx = z3.Context()
    for mode in ("bv", "int"):
        assert solve_value(Encoder(mode, ctx), e, env, e.type) == expected, (mode, str(e), env)


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_bounds_of_a_value_hold_on_every_input(data):
    """The integer encoding leaves out wrap-around that value_bounds says cannot happen: a value outside
    its bounds would be a wrong sum, product or overflow check."""
    t = data.draw(st.sampled_from(MACHINE_TYPES))
    e = data.draw(machine_expr(t))
    env = {v: data.draw(values(v.type)) for v in _variables(e, set())}
    try:
        value = evaluate(e, env)
    except EvaluationError:
        return
    if _uses_nsw_with_overflow(e, env):
        return
    lo, hi = value_bounds(e)
    assert t.min <= lo <= value <= hi <= t.max, (str(e), env, (lo, hi))


def test_a_two_dimensional_index_widened_from_int_needs_no_wrap_around():
    """`a[i][j]` over `int i, j` indexes `(long)i * 300 + (long)j`, which cannot leave `long`: exact, with
    no quotient for Spacer to guess, and its overflow check is true."""
    i, j, long_ = Var("i", BVType(32, True)), Var("j", BVType(32, True)), BVType(64, True)
    product = App("mul", (App("cast", (i,), long_), Const(300, long_)), long_)
    index = App("add", (product, App("cast", (j,), long_)), long_)
    enc = Encoder("int", z3.Context())
    env = {v: enc.constant(v.name, v.type) for v in (i, j)}
    enc.side = []
    term = enc.expr(index, env)
    assert enc.side == [] and z3.eq(z3.simplify(term), z3.simplify(env[i] * 300 + env[j]))
    assert z3.is_true(z3.simplify(enc.expr(App("noovf_add", index.args, BOOL), env)))
    assert value_bounds(index) == (-(2 ** 31) * 301, (2 ** 31 - 1) * 301)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_compiled_expressions_evaluate_as_the_evaluator_does(data):
    """The interpreter runs statements compiled once (evaluate.compiled): the same value, or the same
    error, as the evaluator's walk of the expression, on every input."""
    e, env = expression_and_values(data)
    try:
        expected: object = evaluate(e, env)
    except EvaluationError as err:
        expected = str(err)
    try:
        got: object = compiled(e)(env)
    except EvaluationError as err:
        got = str(err)
    assert got == expected, str(e)


def _uses_nsw_with_overflow(e, env) -> bool:
    if not isinstance(e, App):
        return False
    if e.op.endswith("_nsw"):
        args = [evaluate(a, env) for a in e.args]
        check = {"add_nsw": "noovf_add", "sub_nsw": "noovf_sub", "mul_nsw": "noovf_mul", "neg_nsw": "noovf_neg",
                 "div_nsw": "noovf_div"}[e.op]
        if not evaluate(App(check, tuple(const(a, e.type) for a in args), BOOL), {}):
            return True
    if e.op == "ite":  # only the branch taken is evaluated
        return _uses_nsw_with_overflow(e.args[0], env) or _uses_nsw_with_overflow(
            e.args[1] if evaluate(e.args[0], env) else e.args[2], env)
    return any(_uses_nsw_with_overflow(a, env) for a in e.args)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sampled_from(["floordiv", "floormod", "div", "rem", "add", "mul", "sub"]),
       st.integers(-50, 50), st.integers(-50, 50))
def test_unbounded_integer_division_follows_python_and_c(op, a, b):
    e = App(op, (Var("a", INT), Var("b", INT)), INT)
    env = {Var("a", INT): a, Var("b", INT): b}
    try:
        expected = evaluate(e, env)
    except EvaluationError:
        assert b == 0
        return
    python = {"floordiv": lambda: a // b, "floormod": lambda: a % b, "add": lambda: a + b,
              "mul": lambda: a * b, "sub": lambda: a - b}
    if op in python:
        assert expected == python[op]()
    for mode in ("bv", "int"):
        assert solve_value(Encoder(mode, z3.Context()), e, env, INT) == expected


def test_c_division_truncates_and_remainder_takes_the_dividend_sign():
    t = BVType(32, True)
    a, b = Var("a", t), Var("b", t)
    for x, y, q, r in [(-7, 2, -3, -1), (7, -2, -3, 1), (-7, -2, 3, -1), (7, 2, 3, 1)]:
        env = {a: x, b: y}
        assert evaluate(App("div", (a, b), t), env) == q
        assert evaluate(App("rem", (a, b), t), env) == r
        for mode in ("bv", "int"):
            assert solve_value(Encoder(mode, z3.Context()), App("rem", (a, b), t), env, t) == r


def test_signed_division_overflow_is_detected():
    t = BVType(32, True)
    env = {Var("a", t): t.min, Var("b", t): -1}
    e = App("noovf_div", (Var("a", t), Var("b", t)), BOOL)
    assert evaluate(e, env) == 0
    for mode in ("bv", "int"):
        assert solve_value(Encoder(mode, z3.Context()), e, env, BOOL) == 0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sampled_from([BVType(8, True), BVType(32, True), BVType(32, False), BVType(64, False)]), st.data())
def test_and_with_a_constant_mask_is_linear_and_exact(t, data):
    """`x & mask` with a few runs of set bits is integer arithmetic in the integer encoding (floor division
    and remainder by powers of two, no bit-vector inside), and exact for negative x too."""
    mask = data.draw(st.sampled_from([5, 6, 0x50, 0x0f0f, 0x3c, 1, 0]).filter(lambda m: m <= t.max))
    x = Var("x", t)
    value = data.draw(values(t))
    e = App("bitand", (x, Const(mask, t)), t)
    enc = Encoder("int", z3.Context())
    term = enc.expr(e, {x: z3.Int("x", enc.ctx)})
    assert not any(z3.is_app_of(n, z3.Z3_OP_BV2INT) for n in _subterms(term)), term
    assert solve_value(Encoder("int", z3.Context()), e, {x: value}, t) == evaluate(e, {x: value}) == value & mask


def _subterms(term):
    out, todo = [], [term]
    while todo:
        t = todo.pop()
        out.append(t)
        todo.extend(t.children())
    return out
