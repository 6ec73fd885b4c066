"""Differential tests of the reasoner against brute-force execution.

Hypothesis writes small functions in the supported Python and C subsets; `check` answers every property
of each; and each function is also run for real on every point of a small input box (Python: called in
this process; C: one `gcc -fsanitize=undefined` harness per program, which forks a child per input so
that an assertion failure or a sanitizer abort ends only that input). Then:

* a "yes" is never contradicted by the box (C: no input hits undefined behaviour at all, since the tool
  gives no "yes" where it cannot exclude it; "assert": no input fails an assertion or, in Python, lets
  an exception escape; "returns-true": no input returns a false value / 0);
* every "no" has a witness that the tool's replay confirmed and that fails again when run here;
* across the run, at least 90% of the questions get a decisive answer (yes or no). A C "unknown" that
  blames possible undefined behaviour is not counted against the tool when the box confirms such
  behaviour and shows no violation of the property itself: that unknown is the documented answer.
  A question that times out is asked once more with a longer limit (see `patience`); the summary
  counts how many needed that.

The writers keep an interval abstraction of every variable while they write a program, so that (a)
assertions and return conditions are bounds that hold, or miss by a little, at that point, rather than
random comparisons that nearly always fail, and (b) C programs mostly stay clear of signed overflow and
division by zero, so that a "yes" is possible at all. The intervals only steer the writers: the box and
the witnesses are the judges.

A limit of the C judge: gcc folds some expressions before UBSan instruments them, so an overflow there
goes unseen (e.g. `short s = x * y;` is computed in 16 bits, `1 + x <= c` becomes `x <= c - 1`). The box
can then miss undefined behaviour, so a wrong "yes" there could go unnoticed (a right answer is never
blamed for it); and the tool's own replay cannot confirm such an overflow either, so it answers unknown.

The run is reproducible (fixed seeds, no example database). Each test prints a summary of verdicts,
decisive rate and unknown reasons (`pytest -rP` shows it). For longer runs, SOLOMONIC_DIFFERENTIAL_EXAMPLES
sets the number of programs per test and SOLOMONIC_DIFFERENTIAL_SEED picks another stream of programs.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import signal
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import AssumptionViolated
from solomonic.reason.result import Verdict
from tests.reason.patience import check_patiently

EXAMPLES = int(os.environ.get("SOLOMONIC_DIFFERENTIAL_EXAMPLES", "0")) or None
PY_EXAMPLES = EXAMPLES or 56
C_EXAMPLES = EXAMPLES or 22  # per data model
SEED = int(os.environ.get("SOLOMONIC_DIFFERENTIAL_SEED", "0"))  # another stream of programs, for long runs
CHECK_TIMEOUT_S = 3.0  # per function and property
DECISIVE_TARGET = 0.90

settings.register_profile(
    "solomonic-differential",
    database=None,  # with the fixed seeds below: the same programs on every run
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
PROFILE = settings.get_profile("solomonic-differential")

# --------------------------------------------------------------------------------------------- intervals

INF = math.inf


@dataclass(frozen=True)
class Iv:
    """A closed interval of integers; the bounds may be infinite (Python's unbounded ints)."""

    lo: float
    hi: float

    def join(self, other: Iv) -> Iv:
        return Iv(min(self.lo, other.lo), max(self.hi, other.hi))

    def meet(self, other: Iv) -> Iv | None:
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        return None if lo > hi else Iv(lo, hi)

    def within(self, lo: float, hi: float) -> bool:
        return lo <= self.lo and self.hi <= hi

    def has(self, v: int) -> bool:
        return self.lo <= v <= self.hi


TOP = Iv(-INF, INF)
BOOL = Iv(0, 1)


def point(v: int) -> Iv:
    return Iv(v, v)


def _times(a: float, b: float) -> float:
    return 0 if a == 0 or b == 0 else a * b


def iv_add(a: Iv, b: Iv) -> Iv:
    return Iv(a.lo + b.lo, a.hi + b.hi)


def iv_neg(a: Iv) -> Iv:
    return Iv(-a.hi, -a.lo)


def iv_sub(a: Iv, b: Iv) -> Iv:
    return iv_add(a, iv_neg(b))


def iv_mul(a: Iv, b: Iv) -> Iv:
    corners = [_times(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Iv(min(corners), max(corners))


def iv_abs(a: Iv) -> Iv:
    if a.lo >= 0:
        return a
    if a.hi <= 0:
        return iv_neg(a)
    return Iv(0, max(-a.lo, a.hi))


def nonzero_parts(b: Iv) -> list[Iv]:
    parts = []
    if b.lo < 0:
        parts.append(Iv(b.lo, min(b.hi, -1)))
    if b.hi > 0:
        parts.append(Iv(max(b.lo, 1), b.hi))
    return parts


NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def refine_bound(iv: Iv, op: str, c: int) -> Iv | None:
    """The part of iv where `v op c` holds."""
    if op == "!=":
        if iv.lo == iv.hi == c:
            return None
        return Iv(iv.lo + (iv.lo == c), iv.hi - (iv.hi == c))
    limit = {"<": Iv(-INF, c - 1), "<=": Iv(-INF, c), ">": Iv(c + 1, INF), ">=": Iv(c, INF), "==": point(c)}[op]
    return iv.meet(limit)


def join_envs(envs, join) -> dict | None:
    """Join abstract states; a variable survives only where every state has it (definitely assigned)."""
    live = [e for e in envs if e is not None]
    if not live:
        return None
    return {k: _fold(join, [e[k] for e in live]) for k in live[0] if all(k in e for e in live)}


def _fold(join, values):
    out = values[0]
    for v in values[1:]:
        out = join(out, v)
    return out


@dataclass(eq=False)
class Hole:
    """An assertion or return condition `expr <= hi`, `expr >= lo` or `lo <= expr <= hi` whose bounds are
    filled in once the whole function is written: the interval of expr there, widened or narrowed by a
    little slack, or small random constants where the interval gives no usable bound."""

    expr: tuple
    form: str  # "le" | "ge" | "range"
    slack: tuple[int, int]
    fallback: tuple[int, int]
    seen: Iv | None = None
    bounds: tuple[int, int] = (0, 0)

    def record(self, iv: Iv) -> None:
        self.seen = iv if self.seen is None else self.seen.join(iv)

    def fill(self) -> None:
        lo, hi = self.fallback
        if self.seen is not None:
            if abs(self.seen.lo) <= 10**6:
                lo = int(self.seen.lo) - self.slack[0]
            if abs(self.seen.hi) <= 10**6:
                hi = int(self.seen.hi) + self.slack[1]
        self.bounds = (lo, hi)


class Writer:
    """Draws for the program writers."""

    def __init__(self, draw):
        self.draw = draw
        self.fresh = itertools.count()
        self.holes: list[Hole] = []

    def chance(self, percent: int) -> bool:
        return self.draw(st.integers(0, 99)) >= 100 - percent  # shrinks towards False

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def number(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def name(self, prefix: str) -> str:
        return f"{prefix}{next(self.fresh)}"

    def new_hole(self, expr: tuple) -> tuple:
        slack = (-1, 0, 0, 0, 0, 1, 2)
        a, b = self.number(-6, 6), self.number(-6, 6)
        hole = Hole(expr, self.pick(("le", "ge", "range")), (self.pick(slack), self.pick(slack)),
                    (min(a, b), max(a, b)))
        self.holes.append(hole)
        return ("hole", hole)

    def fill_holes(self, run) -> None:
        for h in self.holes:
            h.seen = None
        run()
        for h in self.holes:
            h.fill()


# ---------------------------------------------------------------------------------------------- Python
#
# Expressions: ("const", v) ("var", name) ("bin", op, a, b) ("call", name, [args]) ("cmp", [exprs], [ops])
# ("bool", "and"|"or", [a, b]) ("not", a) ("hole", Hole).
# Statements: ("assume", cond) ("assign", name, e) ("assert", cond) ("return", cond)
# ("if", [(cond, body), ...], else_body | None) ("for", var, bound, body) ("while", counter, init, step, body)


def py_eval(env: dict, e: tuple) -> Iv:
    tag = e[0]
    if tag == "const":
        return point(e[1])
    if tag == "var":
        return env[e[1]]
    if tag == "bin":
        a, b = py_eval(env, e[2]), py_eval(env, e[3])
        return {"+": iv_add, "-": iv_sub, "*": iv_mul, "//": py_floordiv, "%": py_mod}[e[1]](a, b)
    if tag == "call":
        args = [py_eval(env, a) for a in e[2]]
        if e[1] == "abs":
            return iv_abs(args[0])
        pick = min if e[1] == "min" else max
        return Iv(pick(a.lo for a in args), pick(a.hi for a in args))
    if tag == "cmp":
        for x in e[1]:
            py_eval(env, x)
        return BOOL
    if tag == "bool":  # `a and b` is a or b
        return py_eval(env, e[2][0]).join(py_eval(env, e[2][1]))
    if tag == "not":
        py_eval(env, e[1])
        return BOOL
    if tag == "hole":
        e[1].record(py_eval(env, e[1].expr))
        return BOOL
    raise AssertionError(e)


def py_floordiv(a: Iv, b: Iv) -> Iv:
    if b.lo == b.hi != 0:
        c = int(b.lo)
        ends = [(v if c > 0 else -v) if math.isinf(v) else v // c for v in (a.lo, a.hi)]
        return Iv(min(ends), max(ends))
    m = max(abs(a.lo), abs(a.hi))
    return Iv(-m, m)


def py_mod(a: Iv, b: Iv) -> Iv:
    if b.lo == b.hi != 0 and (a.within(0, b.lo - 1) or a.within(b.lo + 1, 0)):
        return a
    return Iv(min(0, b.lo + 1), max(0, b.hi - 1))  # the sign of the divisor, |r| < |divisor|


def py_refine(env: dict | None, cond: tuple, truth: bool) -> dict | None:
    if env is None:
        return None
    tag = cond[0]
    if tag == "cmp":
        exprs, ops = cond[1], cond[2]
        if not truth and len(ops) > 1:
            return env
        for left, op, right in zip(exprs, ops, exprs[1:]):
            env = _refine_pair(env, left, op if truth else NEGATE[op], right, py_bound)
            if env is None:
                return None
        return env
    if tag == "not":
        return py_refine(env, cond[1], not truth)
    if tag == "bool":
        parts = cond[2]
        if (cond[1] == "and") == truth:
            for p in parts:
                env = py_refine(env, p, truth)
            return env
        return join_envs([py_refine(env, p, truth) for p in parts], Iv.join)
    return env


def py_bound(env: dict, name: str, op: str, c: int) -> dict | None:
    iv = refine_bound(env[name], op, c)
    return None if iv is None else {**env, name: iv}


def _refine_pair(env, left, op, right, bound):
    if left[0] == "var" and right[0] == "const":
        return bound(env, left[1], op, right[1])
    if left[0] == "const" and right[0] == "var":
        return bound(env, right[1], FLIP[op], left[1])
    return env


def py_exec_block(env: dict | None, body: list) -> dict | None:
    for s in body:
        if env is None:
            return None
        env = py_exec(env, s)
    return env


def py_exec(env: dict, s: tuple) -> dict | None:
    tag = s[0]
    if tag == "assume":
        return py_refine(env, s[1], True)
    if tag == "assign":
        return {**env, s[1]: py_eval(env, s[2])}
    if tag == "assert":
        py_eval(env, s[1])
        return py_refine(env, s[1], True)
    if tag == "return":
        py_eval(env, s[1])
        return None
    if tag == "if":
        outs, rest = [], env
        for cond, body in s[1]:
            py_eval(rest, cond)
            outs.append(py_exec_block(py_refine(rest, cond, True), body))
            rest = py_refine(rest, cond, False)
            if rest is None:
                break
        outs.append(py_exec_block(rest, s[2]) if s[2] is not None else rest)
        return join_envs(outs, Iv.join)
    if tag == "for":
        _, var, bound, body = s
        k = py_eval(env, bound)
        states, cur = [env], env
        for t in range(int(k.hi)):  # bounds are constants or variables at most 6 here
            out = py_exec_block({**cur, var: point(t)}, body)
            if out is None:
                break
            cur = {n: v for n, v in out.items() if n != var}
            states.append(cur)
        return join_envs(states[0 if k.lo <= 0 else int(k.lo):], Iv.join)
    if tag == "while":
        _, counter, init, step, body = s
        start = {**env, counter: py_eval(env, init)}
        full = [*body, ("assign", counter, ("bin", "-", ("var", counter), ("const", step)))]
        cond = ("cmp", [("var", counter), ("const", 0)], [">"])
        return abstract_loop(start, cond, lambda e: py_exec_block(e, full), py_refine, Iv.join, _widen_py)
    raise AssertionError(s)


def _widen_py(old: Iv, new: Iv) -> Iv:
    return Iv(-INF if new.lo < old.lo else old.lo, INF if new.hi > old.hi else old.hi)


def abstract_loop(env, cond, run_body, refine, join, widen, unrolled: int = 10):
    """The states on exit from `while cond: body`: unroll a few iterations, then widen to a fixpoint."""
    exits, heads, head = [], [env], env
    for _ in range(unrolled):
        exits.append(refine(head, cond, False))
        inside = refine(head, cond, True)
        out = run_body(inside) if inside is not None else None
        if out is None:
            return join_envs(exits, join)
        head = {k: v for k, v in out.items() if k in env}
        heads.append(head)
    wide = join_envs(heads, join)
    for _ in range(4):
        inside = refine(wide, cond, True)
        out = run_body(inside) if inside is not None else None
        grown = join_envs([wide, out], join)
        if grown == wide:
            break
        wide = {k: widen(wide[k], grown[k]) for k in wide}
    exits.append(refine(wide, cond, False))
    return join_envs(exits, join)


@dataclass
class PyProgram:
    params: list[str]
    body: list
    uses_assume: bool

    @property
    def source(self) -> str:
        lines = ["from solomonic.reason import assume", "", ""] if self.uses_assume else []
        lines.append(f"def f({', '.join(p + ': int' for p in self.params)}):")
        lines += py_lines(self.body, 1)
        return "\n".join(lines) + "\n"


def py_text(e: tuple) -> str:
    tag = e[0]
    if tag == "const":
        return str(e[1]) if e[1] >= 0 else f"({e[1]})"
    if tag == "var":
        return e[1]
    if tag == "bin":
        return f"({py_text(e[2])} {e[1]} {py_text(e[3])})"
    if tag == "call":
        return f"{e[1]}({', '.join(py_text(a) for a in e[2])})"
    if tag == "cmp":
        parts = [py_text(e[1][0])]
        for op, x in zip(e[2], e[1][1:]):
            parts += [op, py_text(x)]
        return "(" + " ".join(parts) + ")"
    if tag == "bool":
        return f"({py_text(e[2][0])} {e[1]} {py_text(e[2][1])})"
    if tag == "not":
        return f"(not {py_text(e[1])})"
    if tag == "hole":
        h: Hole = e[1]
        x, (lo, hi) = py_text(h.expr), h.bounds
        return {"le": f"({x} <= {hi})", "ge": f"({x} >= {lo})", "range": f"({lo} <= {x} <= {hi})"}[h.form]
    raise AssertionError(e)


def py_lines(body: list, depth: int) -> list[str]:
    pad = "    " * depth
    out = []
    for s in body:
        tag = s[0]
        if tag == "assume":
            out.append(f"{pad}assume{py_text(s[1])}")
        elif tag == "assign":
            out.append(f"{pad}{s[1]} = {py_text(s[2])}")
        elif tag == "assert":
            out.append(f"{pad}assert {py_text(s[1])}")
        elif tag == "return":
            out.append(f"{pad}return {py_text(s[1])}")
        elif tag == "if":
            for i, (cond, arm) in enumerate(s[1]):
                out.append(f"{pad}{'if' if i == 0 else 'elif'} {py_text(cond)}:")
                out += py_lines(arm, depth + 1) or [f"{pad}    pass"]
            if s[2] is not None:
                out.append(f"{pad}else:")
                out += py_lines(s[2], depth + 1) or [f"{pad}    pass"]
        elif tag == "for":
            out.append(f"{pad}for {s[1]} in range({py_text(s[2])}):")
            out += py_lines(s[3], depth + 1) or [f"{pad}    pass"]
        elif tag == "while":
            _, counter, init, step, body = s
            out.append(f"{pad}{counter} = {py_text(init)}")
            out.append(f"{pad}while {counter} > 0:")
            out += py_lines(body, depth + 1)
            out.append(f"{pad}    {counter} = {counter} - {step}")
        else:
            raise AssertionError(s)
    return out


class PythonWriter(Writer):
    def program(self) -> PyProgram:
        params = ["x", "y", "z"][: self.number(1, 3)]
        body: list = []
        env: dict | None = {p: TOP for p in params}
        for p in params:  # preconditions: none, a box, or a loop count
            kind = self.pick(("free", "box", "box", "count"))
            if kind == "free":
                continue
            lo = 0 if kind == "count" else self.number(-4, 0)
            hi = 5 if kind == "count" else self.number(0, 4)
            body.append(("assume", ("cmp", [("const", lo), ("var", p), ("const", hi)], ["<=", "<="])))
            env = py_exec(env, body[-1])
        uses_assume = bool(body)
        stmts, after = self.block(env, params, 0, self.number(1, 5), frozenset(), in_loop=False)
        body += stmts
        body.append(("return", self.condition(after or env, 60)))
        self.fill_holes(lambda: py_exec_block({p: TOP for p in params}, body))
        return PyProgram(params, body, uses_assume)

    def block(self, env, params, depth, count, frozen, in_loop):
        stmts = []
        for _ in range(count):
            s = self.statement(env, params, depth, frozen, in_loop)
            stmts.append(s)
            env = py_exec(env, s)
            if env is None:
                break
        return stmts, env

    def statement(self, env, params, depth, frozen, in_loop):
        kinds = ["assign"] * 4 + ["assert"] * 2
        if depth < 2:
            kinds += ["if", "if", "for", "while"]
        kind = self.pick(kinds)
        if kind == "assign":
            assignable = [v for v in env if v not in frozen]
            locals_ = [v for v in assignable if v not in params]
            if not assignable or (len(locals_) < 4 and self.chance(50)):
                target = self.name("v")
            else:
                target = self.pick(assignable)
            value = self.condition(env, 0) if self.chance(6) else self.int_expr(env, 2)
            return ("assign", target, value)
        if kind == "assert":
            return ("assert", self.condition(env, 70))
        if kind == "if":
            arms, rest = [], env
            for _ in range(1 + (self.number(0, 3) == 0)):
                cond = self.condition(rest, 0)
                inside = py_refine(rest, cond, True) or rest
                arm, _ = self.block(inside, params, depth + 1, self.number(1, 3), frozen, in_loop)
                if not in_loop and depth == 0 and self.chance(25):
                    arm.append(("return", self.condition(inside, 60)))
                arms.append((cond, arm))
                rest = py_refine(rest, cond, False) or rest
            other = None
            if self.chance(50):
                other, _ = self.block(rest, params, depth + 1, self.number(1, 2), frozen, in_loop)
            return ("if", arms, other)
        if kind == "for":
            counts = [v for v in env if env[v].hi <= 6]
            bound = ("var", self.pick(counts)) if counts and self.chance(40) else ("const", self.number(0, 4))
            var = self.name("i")
            inside = {**env, var: Iv(0, max(0, py_eval(env, bound).hi - 1))}
            body, _ = self.block(inside, params, depth + 1, self.number(1, 3), frozen, in_loop=True)
            return ("for", var, bound, body)
        # while: a counter that goes down by a constant step
        counts = [v for v in env if 0 <= env[v].hi <= 6]
        if self.chance(15):  # unbounded: the tool needs an invariant, not an unrolling
            init = ("call", "abs", [("var", self.pick(list(env)))])
        elif counts and self.chance(45):
            init = ("var", self.pick(counts))
        else:
            init = ("const", self.number(0, 5))
        counter = self.name("k")
        step = 1 if self.chance(70) else 2
        start = {**env, counter: py_eval(env, init)}
        inside = py_refine(start, ("cmp", [("var", counter), ("const", 0)], [">"]), True) or start
        body, _ = self.block(inside, params, depth + 1, self.number(1, 2), frozen | {counter}, in_loop=True)
        return ("while", counter, init, step, body)

    def leaf(self, env) -> tuple:
        if self.chance(70):
            return ("var", self.pick(list(env)))
        return ("const", self.number(-5, 5))

    def int_expr(self, env, depth) -> tuple:
        if depth == 0 or self.chance(35):
            return self.leaf(env)
        op = self.pick(("+", "+", "-", "-", "*", "//", "%", "abs", "min", "max"))
        if op in ("+", "-"):
            return ("bin", op, self.int_expr(env, depth - 1), self.int_expr(env, depth - 1))
        if op == "*":
            if self.chance(85):
                return ("bin", "*", self.int_expr(env, depth - 1), ("const", self.number(-3, 4)))
            return ("bin", "*", self.leaf(env), self.leaf(env))
        if op in ("//", "%"):
            if self.chance(85):
                divisor = ("const", self.pick((-4, -3, -2, -1, 1, 2, 3, 4, 5)))
            else:
                divisor = self.int_expr(env, depth - 1)
            return ("bin", op, self.int_expr(env, depth - 1), divisor)
        if op == "abs":
            return ("call", "abs", [self.int_expr(env, depth - 1)])
        n = 3 if self.chance(20) else 2
        return ("call", op, [self.int_expr(env, depth - 1) for _ in range(n)])

    def condition(self, env, hole_percent: int, depth: int = 2) -> tuple:
        if self.chance(hole_percent):
            return self.new_hole(("var", self.pick(list(env))) if self.chance(60) else self.int_expr(env, 1))
        if depth == 0 or self.chance(55):
            n = 3 if self.chance(20) else 2
            return ("cmp", [self.int_expr(env, 1) for _ in range(n)], [self.pick(COMPARISONS) for _ in range(n - 1)])
        kind = self.pick(("and", "or", "not"))
        if kind == "not":
            return ("not", self.condition(env, 0, depth - 1))
        parts = [self.int_expr(env, 1) if self.chance(10) else self.condition(env, 0, depth - 1) for _ in range(2)]
        return ("bool", kind, parts)


@st.composite
def python_programs(draw) -> PyProgram:
    return PythonWriter(draw).program()


# --------------------------------------------------------------------------------------------------- C
#
# Expressions: ("const", v) ("var", name) ("bin", op, a, b) for + - * / % ("cmp", op, a, b) ("cast", type, a)
# ("neg", a) ("land"|"lor", a, b) ("lnot", a) ("hole", Hole).
# Statements: ("decl", type, name, e) ("assign", name, e) ("assert", cond) ("return", e)
# ("if", [(cond, body), ...], else_body | None) ("for", var, bound, body).


@dataclass(frozen=True)
class CType:
    name: str
    bits: int
    signed: bool
    rank: int

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1

    @property
    def full(self) -> Iv:
        return Iv(self.lo, self.hi)

    def wrap(self, v: int) -> int:
        return (v - self.lo) % (1 << self.bits) + self.lo


PARAM_TYPES = ("int", "unsigned int", "short", "unsigned char", "long")
LOCAL_TYPES = ("int", "int", "long", "unsigned int", "short", "unsigned char")


class CModel:
    """C's integer types and conversions under a data model (gcc: plain char signed, wrapping conversions)."""

    def __init__(self, data_model: str):
        long_bits = 64 if data_model == "LP64" else 32
        self.data_model = data_model
        self.types = {t.name: t for t in (
            CType("unsigned char", 8, False, 1), CType("short", 16, True, 2), CType("int", 32, True, 3),
            CType("unsigned int", 32, False, 3), CType("long", long_bits, True, 4),
            CType("unsigned long", long_bits, False, 4))}
        self.int = self.types["int"]

    def promote(self, t: CType) -> CType:
        return self.int if t.rank < 3 else t

    def common(self, a: CType, b: CType) -> CType:
        a, b = self.promote(a), self.promote(b)
        if a == b:
            return a
        if a.signed == b.signed:
            return a if a.rank > b.rank else b
        u, s = (a, b) if not a.signed else (b, a)
        if u.rank >= s.rank:
            return u
        if s.bits > u.bits:
            return s
        return self.types["unsigned " + s.name]

    def convert(self, iv: Iv, t: CType) -> Iv:
        if iv.within(t.lo, t.hi):
            return iv
        if iv.hi - iv.lo < (1 << t.bits):
            lo, hi = t.wrap(int(iv.lo)), t.wrap(int(iv.hi))
            if lo <= hi:
                return Iv(lo, hi)
        return t.full

    def eval(self, env: dict, e: tuple, ub: list) -> tuple[CType, Iv]:
        tag = e[0]
        if tag == "const":
            return self.int, point(e[1])
        if tag == "var":
            return env[e[1]]
        if tag == "cast":
            t = self.types[e[1]]
            return t, self.convert(self.eval(env, e[2], ub)[1], t)
        if tag == "neg":
            t, iv = self.eval(env, e[1], ub)
            t = self.promote(t)
            if not t.signed:
                return t, self.convert(iv_neg(iv), t)
            if iv.lo == t.lo:
                ub.append("overflow")
            return t, iv_neg(iv).meet(t.full) or t.full
        if tag in ("cmp", "land", "lor"):
            self.eval(env, e[-2], ub)
            self.eval(env, e[-1], ub)
            return self.int, BOOL
        if tag == "lnot":
            self.eval(env, e[1], ub)
            return self.int, BOOL
        if tag == "hole":
            e[1].record(self.eval(env, e[1].expr, ub)[1])
            return self.int, BOOL
        if tag == "bin":
            return self.arith(e[1], self.eval(env, e[2], ub), self.eval(env, e[3], ub), ub)
        raise AssertionError(e)

    def arith(self, op: str, left, right, ub: list) -> tuple[CType, Iv]:
        t = self.common(left[0], right[0])
        a, b = self.convert(left[1], t), self.convert(right[1], t)
        if op in "+-*":
            r = {"+": iv_add, "-": iv_sub, "*": iv_mul}[op](a, b)
            if not t.signed:
                return t, self.convert(r, t)
            if not r.within(t.lo, t.hi):
                ub.append("overflow")
            return t, r.meet(t.full) or t.full
        if b.has(0):
            ub.append("division by zero")
        if t.signed and a.has(t.lo) and b.has(-1):
            ub.append("overflow")
        parts = nonzero_parts(b)
        if not parts:
            return t, point(0)
        rs = [c_div(a, p) if op == "/" else c_mod(a, p) for p in parts]
        return t, _fold(Iv.join, rs).meet(t.full) or t.full

    def join(self, x, y):
        return x[0], x[1].join(y[1])

    def widen(self, old, new):
        t = old[0]
        return t, Iv(t.lo if new[1].lo < old[1].lo else old[1].lo, t.hi if new[1].hi > old[1].hi else old[1].hi)

    def bound(self, env: dict, name: str, op: str, c: int) -> dict | None:
        t, iv = env[name]
        p = self.common(t, self.int)
        if not (iv.within(p.lo, p.hi) and p.lo <= c <= p.hi):
            return env  # the comparison is not between the plain values: no refinement
        new = refine_bound(iv, op, c)
        return None if new is None else {**env, name: (t, new)}

    def refine(self, env: dict | None, cond: tuple, truth: bool) -> dict | None:
        if env is None:
            return None
        tag = cond[0]
        if tag == "cmp":
            return _refine_pair(env, cond[2], cond[1] if truth else NEGATE[cond[1]], cond[3], self.bound)
        if tag == "lnot":
            return self.refine(env, cond[1], not truth)
        if tag in ("land", "lor"):
            parts = cond[1:]
            if (tag == "land") == truth:
                for p in parts:
                    env = self.refine(env, p, truth)
                return env
            return join_envs([self.refine(env, p, truth) for p in parts], self.join)
        return env

    def exec_block(self, env: dict | None, body: list, ub: list) -> dict | None:
        for s in body:
            if env is None:
                return None
            env = self.exec(env, s, ub)
        return env

    def scoped(self, env: dict | None, body: list, ub: list, keys) -> dict | None:
        out = self.exec_block(env, body, ub)
        return None if out is None else {k: v for k, v in out.items() if k in keys}

    def exec(self, env: dict, s: tuple, ub: list) -> dict | None:
        tag = s[0]
        if tag == "decl":
            t = self.types[s[1]]
            return {**env, s[2]: (t, self.convert(self.eval(env, s[3], ub)[1], t))}
        if tag == "assign":
            t = env[s[1]][0]
            return {**env, s[1]: (t, self.convert(self.eval(env, s[2], ub)[1], t))}
        if tag == "assert":
            self.eval(env, s[1], ub)
            return self.refine(env, s[1], True)
        if tag == "return":
            self.eval(env, s[1], ub)
            return None
        if tag == "if":
            outs, rest = [], env
            for cond, body in s[1]:
                self.eval(rest, cond, ub)
                outs.append(self.scoped(self.refine(rest, cond, True), body, ub, env))
                rest = self.refine(rest, cond, False)
                if rest is None:
                    break
            outs.append(self.scoped(rest, s[2], ub, env) if s[2] is not None else rest)
            return join_envs(outs, self.join)
        if tag == "for":
            _, var, bound, body = s
            k = self.eval(env, bound, ub)[1]
            states, cur = [env], env
            for t in range(int(k.hi)):
                out = self.scoped({**cur, var: (self.int, point(t))}, body, ub, env)
                if out is None:
                    break
                cur = out
                states.append(cur)
            return join_envs(states[max(0, int(k.lo)):], self.join)
        raise AssertionError(s)


def c_div(a: Iv, b: Iv) -> Iv:
    """Truncating division; b does not contain 0, so the extremes are at the corners."""
    def q(x: int, y: int) -> int:
        n = abs(x) // abs(y)
        return n if (x >= 0) == (y > 0) else -n
    corners = [q(int(x), int(y)) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
    return Iv(min(corners), max(corners))


def c_mod(a: Iv, b: Iv) -> Iv:
    m = max(abs(b.lo), abs(b.hi)) - 1  # the remainder has the dividend's sign and |r| < |b|
    return Iv(max(a.lo, -m) if a.lo < 0 else 0, min(a.hi, m) if a.hi > 0 else 0)


@dataclass
class CProgram:
    data_model: str
    params: list[tuple[str, str]]
    body: list

    @property
    def source(self) -> str:
        lines = ["#include <assert.h>", "", f"int f({', '.join(f'{t} {n}' for n, t in self.params)})", "{"]
        lines += c_lines(self.body, 1)
        return "\n".join([*lines, "}"]) + "\n"


def c_text(e: tuple) -> str:
    tag = e[0]
    if tag == "const":
        return str(e[1]) if e[1] >= 0 else f"({e[1]})"
    if tag == "var":
        return e[1]
    if tag in ("bin", "cmp"):
        return f"({c_text(e[2])} {e[1]} {c_text(e[3])})"
    if tag == "cast":
        return f"(({e[1]}) {c_text(e[2])})"
    if tag == "neg":
        return f"(-{c_text(e[1])})"
    if tag in ("land", "lor"):
        return f"({c_text(e[1])} {'&&' if tag == 'land' else '||'} {c_text(e[2])})"
    if tag == "lnot":
        return f"(!{c_text(e[1])})"
    if tag == "hole":
        h: Hole = e[1]
        x, (lo, hi) = c_text(h.expr), h.bounds
        lo_text, hi_text = c_text(("const", lo)), c_text(("const", hi))
        return {"le": f"({x} <= {hi_text})", "ge": f"({x} >= {lo_text})",
                "range": f"(({lo_text} <= {x}) && ({x} <= {hi_text}))"}[h.form]
    raise AssertionError(e)


def c_lines(body: list, depth: int) -> list[str]:
    pad = "    " * depth
    out = []
    for s in body:
        tag = s[0]
        if tag == "decl":
            out.append(f"{pad}{s[1]} {s[2]} = {c_text(s[3])};")
        elif tag == "assign":
            out.append(f"{pad}{s[1]} = {c_text(s[2])};")
        elif tag == "assert":
            out.append(f"{pad}assert({c_text(s[1])});")
        elif tag == "return":
            out.append(f"{pad}return {c_text(s[1])};")
        elif tag == "if":
            for i, (cond, arm) in enumerate(s[1]):
                out.append(f"{pad}{'if' if i == 0 else '} else if'} ({c_text(cond)}) {{")
                out += c_lines(arm, depth + 1)
            if s[2] is not None:
                out.append(f"{pad}}} else {{")
                out += c_lines(s[2], depth + 1)
            out.append(f"{pad}}}")
        elif tag == "for":
            _, var, bound, body = s
            out.append(f"{pad}for (int {var} = 0; {var} < {c_text(bound)}; {var}++) {{")
            out += c_lines(body, depth + 1)
            out.append(f"{pad}}}")
        else:
            raise AssertionError(s)
    return out


class CWriter(Writer):
    def __init__(self, draw, model: CModel):
        super().__init__(draw)
        self.m = model
        self.allow_ub = False

    def program(self) -> CProgram:
        m = self.m
        params = [(n, self.pick(PARAM_TYPES)) for n in ["x", "y", "z"][: self.number(1, 3)]]
        # Some programs may divide by zero or overflow: fewer guards, more variable divisors.
        self.allow_ub = self.chance(15)
        env: dict | None = {n: (m.types[t], m.types[t].full) for n, t in params}
        body: list = []
        for n, t in params:  # guards: return early outside a box
            if not self.chance(35 if self.allow_ub else 75):
                continue
            count = self.chance(30)
            hi = self.number(0, 5) if count else self.number(0, 8)
            cond = ("cmp", ">", ("var", n), ("const", hi))
            if m.types[t].signed:
                cond = ("lor", ("cmp", "<", ("var", n), ("const", 0 if count else self.number(-8, 0))), cond)
            body.append(("if", [(cond, [("return", ("const", 1 if self.chance(90) else 0))])], None))
            env = m.exec(env, body[-1], [])
        stmts, after = self.block(env, 0, self.number(1, 5), frozenset())
        body += stmts
        env = after or env
        value = self.condition(env, 60) if self.chance(70) else self.int_expr(env, 2)
        body.append(("return", value))
        self.fill_holes(lambda: m.exec_block({n: (m.types[t], m.types[t].full) for n, t in params}, body, []))
        return CProgram(m.data_model, params, body)

    def block(self, env, depth, count, frozen):
        stmts = []
        for _ in range(count):
            s = self.statement(env, depth, frozen)
            if s is None:
                continue
            stmts.append(s)
            env = self.m.exec(env, s, [])
            if env is None:
                break
        return stmts, env

    def statement(self, env, depth, frozen):
        m = self.m
        kinds = ["decl"] * 3 + ["assign"] * 2 + ["assert"] * 2
        if depth < 2:
            kinds += ["if", "if", "for", "for"]
        if self.allow_ub:
            kinds += ["risky"] * 2
        kind = self.pick(kinds)
        assignable = [v for v in env if v not in frozen]
        if kind == "risky":  # two variables divided, multiplied or added: may be undefined
            e = ("bin", self.pick(("/", "%", "*", "+", "-")), self.leaf(env), ("var", self.pick(list(env))))
            return ("decl", self.pick(LOCAL_TYPES), self.name("v"), e)
        if kind == "decl" or (kind == "assign" and not assignable):
            return ("decl", self.pick(LOCAL_TYPES), self.name("v"), self.int_expr(env, 2))
        if kind == "assign":
            return ("assign", self.pick(assignable), self.int_expr(env, 2))
        if kind == "assert":
            return ("assert", self.condition(env, 70))
        if kind == "if":
            arms, rest = [], env
            for _ in range(1 + (self.number(0, 3) == 0)):
                cond = self.condition(rest, 0)
                inside = m.refine(rest, cond, True) or rest
                arm, _ = self.block(inside, depth + 1, self.number(1, 3), frozen)
                if depth == 0 and not frozen and self.chance(25):
                    arm.append(("return", self.condition(inside, 60)))
                arms.append((cond, arm))
                rest = m.refine(rest, cond, False) or rest
            other = None
            if self.chance(50):
                other, _ = self.block(rest, depth + 1, self.number(1, 2), frozen)
            return ("if", arms, other)
        # for: a constant bound, or a variable known to lie in [.., 6], left alone in the body
        for _ in range(3):
            counts = [v for v in env if env[v][1].hi <= 6]
            bound = ("var", self.pick(counts)) if counts and self.chance(40) else ("const", self.number(0, 5))
            var = self.name("i")
            hi = max(0, int(m.eval(env, bound, [])[1].hi) - 1)
            inside = {**env, var: (m.int, Iv(0, hi))}
            keep = frozen | {var} | ({bound[1]} if bound[0] == "var" else set())
            body, _ = self.block(inside, depth + 1, self.number(1, 3), keep)
            s = ("for", var, bound, body)
            ub: list = []
            m.exec(env, s, ub)
            if not ub or self.allow_ub:
                return s
        return None

    def leaf(self, env) -> tuple:
        if self.chance(75):
            return ("var", self.pick(list(env)))
        return ("const", self.number(-8, 8))

    def int_expr(self, env, depth) -> tuple:
        """An expression free of undefined behaviour as far as the intervals tell (unless allowed)."""
        for _ in range(4):
            e = self.raw_expr(env, depth)
            ub: list = []
            self.m.eval(env, e, ub)
            if not ub or self.allow_ub:
                return e
        return self.leaf(env)

    def raw_expr(self, env, depth) -> tuple:
        if depth == 0 or self.chance(30):
            return self.leaf(env)
        op = self.pick(("+", "+", "-", "-", "*", "/", "%", "cast", "cast", "neg", "cmp"))
        if op in ("+", "-"):
            return ("bin", op, self.raw_expr(env, depth - 1), self.raw_expr(env, depth - 1))
        if op == "*":
            if self.chance(85):
                return ("bin", "*", self.raw_expr(env, depth - 1), ("const", self.number(-3, 4)))
            return ("bin", "*", self.leaf(env), self.leaf(env))
        if op in ("/", "%"):
            if self.chance(50 if self.allow_ub else 75):
                divisor = ("const", self.pick((-4, -3, -2, -1, 1, 2, 3, 5)))
            else:
                divisor = self.raw_expr(env, depth - 1)
            return ("bin", op, self.raw_expr(env, depth - 1), divisor)
        if op == "cast":
            return ("cast", self.pick(PARAM_TYPES), self.raw_expr(env, depth - 1))
        if op == "neg":
            return ("neg", self.raw_expr(env, depth - 1))
        return ("cmp", self.pick(COMPARISONS), self.raw_expr(env, depth - 1), self.raw_expr(env, depth - 1))

    def condition(self, env, hole_percent: int, depth: int = 2) -> tuple:
        if self.chance(hole_percent):
            return self.new_hole(("var", self.pick(list(env))) if self.chance(60) else self.int_expr(env, 1))
        if depth == 0 or self.chance(55):
            return ("cmp", self.pick(COMPARISONS), self.int_expr(env, 1), self.int_expr(env, 1))
        kind = self.pick(("land", "lor", "lnot"))
        if kind == "lnot":
            return ("lnot", self.condition(env, 0, depth - 1))
        return (kind, self.condition(env, 0, depth - 1), self.condition(env, 0, depth - 1))


@st.composite
def c_programs(draw, data_model: str) -> CProgram:
    return CWriter(draw, CModel(data_model)).program()


# ------------------------------------------------------------------------------------------ brute force


def py_box(arity: int) -> list[tuple[int, ...]]:
    values = range(-5, 6) if arity < 3 else range(-4, 5)
    return list(itertools.product(values, repeat=arity))


def py_outcome(fn, args) -> str:
    """What a real call does: "assume" (outside the precondition), "raise <Error>", "true" or "false"."""
    try:
        value = fn(*args)
    except AssumptionViolated:
        return "assume"
    except Exception as exc:
        return f"raise {type(exc).__name__}"
    return "true" if value else "false"


def py_load(source: str):
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    return namespace["f"]


def c_box(t: CType, arity: int) -> list[int]:
    small = list(range(-4, 5) if arity < 3 else range(-2, 3)) if t.signed else list(range(0, 6 if arity < 3 else 4))
    extremes = {t.lo, t.lo + 1, t.hi - 1, t.hi} if t.bits >= 32 else {t.lo, t.hi}
    if t.name == "unsigned char":
        extremes |= {127, 128}
    if t.name == "long" and t.bits == 64:
        extremes |= {-(1 << 31) - 1, 1 << 31, 1 << 32}
    return sorted(set(small) | extremes)


def c_literal(v: int) -> str:
    return "(-9223372036854775807LL - 1)" if v == -(1 << 63) else f"{v}LL"


OVERFLOW_MESSAGES = ("signed integer overflow", "negation of", "cannot be represented in type")
EXIT_TRUE, EXIT_FALSE, EXIT_UBSAN = 10, 11, 98


def c_run(program: CProgram, rows: list[tuple[int, ...]], workdir: Path) -> list[str]:
    """Compile one harness for the program and run it on every row; per row: "true", "false", "assert",
    "overflow", "ub <message>" or "crash <status>"."""
    stem = f"c{abs(hash(program.source)) % 10**12}_{program.data_model}"
    src = workdir / f"{stem}.c"
    src.write_text(program.source)
    arity = len(program.params)
    args = ", ".join(f"({t}) INPUTS[k][{i}]" for i, (_, t) in enumerate(program.params))
    harness = "\n".join([
        "#include <signal.h>", "#include <stdio.h>", "#include <sys/wait.h>", "#include <unistd.h>",
        f'#include "{src.name}"',
        f"static const long long INPUTS[][{arity}] = {{",
        *(f"  {{{', '.join(c_literal(v) for v in row)}}}," for row in rows),
        "};",
        "int main(void) {",
        "  unsigned long n = sizeof INPUTS / sizeof INPUTS[0];",
        "  for (unsigned long k = 0; k < n; k++) {",
        '    fprintf(stderr, "@%lu\\n", k);',
        "    pid_t pid = fork();",
        f"    if (pid == 0) {{ alarm(5); int r = f({args}); _exit(r != 0 ? {EXIT_TRUE} : {EXIT_FALSE}); }}",
        "    int status = 0;",
        "    waitpid(pid, &status, 0);",
        '    fprintf(stderr, "=%lu %d %d\\n", k, WIFEXITED(status) ? WEXITSTATUS(status) : -1,',
        "            WIFSIGNALED(status) ? WTERMSIG(status) : 0);",
        "  }",
        "  return 0;",
        "}",
    ]) + "\n"
    hsrc, exe = workdir / f"{stem}_harness.c", workdir / f"{stem}_harness"
    hsrc.write_text(harness)
    command = ["gcc", "-std=gnu11", "-O0", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all",
               *(["-m32"] if program.data_model == "ILP32" else []), str(hsrc), "-o", str(exe)]
    built = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, f"the generated program does not compile:\n{program.source}\n{built.stderr}"
    ran = subprocess.run([str(exe)], capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
                         env={**os.environ, "UBSAN_OPTIONS": f"halt_on_error=1:exitcode={EXIT_UBSAN}:print_stacktrace=0"})
    outcomes: list[str] = []
    message, asserted = "", False
    for line in ran.stderr.splitlines():
        if line.startswith("@"):
            message, asserted = "", False
        elif line.startswith("="):
            _, code, sig = line[1:].split()
            code, sig = int(code), int(sig)
            if message:
                kind = "overflow" if any(m in message for m in OVERFLOW_MESSAGES) else f"ub {message}"
            elif sig == signal.SIGABRT and asserted:
                kind = "assert"
            elif code in (EXIT_TRUE, EXIT_FALSE):
                kind = "true" if code == EXIT_TRUE else "false"
            else:
                kind = f"crash exit={code} signal={sig}"
            outcomes.append(kind)
        elif "runtime error:" in line and not message:
            message = line.split("runtime error:", 1)[1].strip()
        elif "Assertion" in line and "failed" in line:
            asserted = True
    assert len(outcomes) == len(rows), f"harness output incomplete:\n{ran.stderr[-2000:]}"
    return outcomes


# --------------------------------------------------------------------------------------------- judging


@dataclass
class Stats:
    language: str
    answers: dict = field(default_factory=dict)  # (source, property) -> (verdict, reason, excused)
    retried: list = field(default_factory=list)  # answers asked for again after a timeout

    def add(self, source: str, prop: str, verdict: Verdict, reason: str, excused: bool = False) -> None:
        self.answers[(source, prop)] = (verdict, reason, excused)

    @property
    def counted(self) -> list:
        return [a for a in self.answers.values() if not a[2]]

    @property
    def rate(self) -> float:
        counted = self.counted
        return sum(v != Verdict.UNKNOWN for v, _, _ in counted) / max(1, len(counted))

    def summary(self) -> str:
        programs = {s for s, _ in self.answers}
        verdicts = Counter((p, v.value) for (_, p), (v, _, _) in self.answers.items())
        excused = sum(a[2] for a in self.answers.values())
        reasons: Counter = Counter()
        examples: dict[str, str] = {}  # reason -> the shortest program that got it
        for (source, prop), (v, r, x) in self.answers.items():
            if v == Verdict.UNKNOWN and not x:
                key = f"{prop}: " + re.sub(r"-?\d+", "N", r)
                reasons[key] += 1
                if len(source) < len(examples.get(key, source + " ")):
                    examples[key] = source
        decisive_programs = sum(all(self.answers[k][0] != Verdict.UNKNOWN or self.answers[k][2]
                                    for k in self.answers if k[0] == s) for s in programs)
        lines = [f"{self.language}: {len(programs)} programs, {len(self.answers)} questions; "
                 f"decisive {self.rate:.1%} of {len(self.counted)} counted questions "
                 f"({excused} excused: unknown for undefined behaviour the box confirms); "
                 f"programs with every counted question decided: {decisive_programs}/{len(programs)}; "
                 f"asked again after a timeout: {len(self.retried)}",
                 "  verdicts: " + ", ".join(f"{p}={v}:{n}" for (p, v), n in sorted(verdicts.items()))]
        for r, n in reasons.most_common():
            lines.append(f"  unknown x{n}: {r}; for example:")
            lines += ["      " + line for line in examples[r].splitlines()]
        return "\n".join(lines)

    def finish(self) -> None:
        print("\n" + self.summary())
        assert self.answers, "no program was checked"
        assert self.rate >= DECISIVE_TARGET, "too few decisive answers:\n" + self.summary()


def judge_python(program: PyProgram, path: Path, stats: Stats) -> None:
    source = program.source
    results = check_patiently(path, CHECK_TIMEOUT_S, stats.retried, function="f", jobs=1)
    fn = py_load(source)
    # Every loop the writer makes ends, on any input; only an unbounded `while` over a huge witness value
    # could take long, and the tool's replay has already run that witness within its time limit.
    box = {args: py_outcome(fn, args) for args in py_box(len(program.params))}
    for r in results:
        prop = r.property
        if prop == "terminates":  # every loop the writer makes ends: a "no" can only be wrong
            assert r.verdict != Verdict.NO, f"WRONG 'no' for terminates: {r.reason}\n{source}"
            stats.add(source, prop, r.verdict, r.reason)
            continue
        bad = "false" if prop == "returns-true" else "raise"
        where = f"\n--- program ---\n{source}--- property: {prop}; tool said {r.verdict.value}: {r.reason}"
        if r.verdict == Verdict.YES:
            counter = [(a, o) for a, o in box.items() if o.startswith(bad)]
            assert not counter, f"WRONG 'yes': inputs {counter[:3]} violate it{where}"
        elif r.verdict == Verdict.NO:
            witness = r.witness or {}
            assert witness.get("replay", {}).get("confirmed") is True, f"unconfirmed 'no': {witness}{where}"
            inputs = witness["inputs"]
            observed = py_outcome(fn, [inputs[p] for p in program.params])
            assert observed.startswith(bad), f"WRONG 'no': witness {inputs} does {observed!r}{where}"
        stats.add(source, prop, r.verdict, r.reason)


def judge_c(program: CProgram, workdir: Path, stats: Stats) -> None:
    source = program.source
    model = CModel(program.data_model)
    types = [model.types[t] for _, t in program.params]
    path = workdir / f"prog{abs(hash(source)) % 10**12}.c"
    path.write_text(source)
    results = check_patiently(path, CHECK_TIMEOUT_S, stats.retried, function="f", jobs=1,
                              data_model=program.data_model)
    box = list(itertools.product(*(c_box(t, len(types)) for t in types)))
    witnesses = {}
    for r in results:
        if r.verdict == Verdict.NO and r.witness:
            inputs = r.witness["inputs"]
            row = tuple(t.wrap(int(inputs[n])) for (n, _), t in zip(program.params, types))
            assert all(int(inputs[n]) == v for (n, _), v in zip(program.params, row)), \
                f"witness value out of its type's range: {inputs}\n{source}"
            witnesses[r.property] = row
    rows = box + list(witnesses.values())
    outcomes = c_run(program, rows, workdir)
    crashes = [(row, o) for row, o in zip(rows, outcomes) if o.startswith("crash")]
    assert not crashes, f"the generated program crashed or hung: {crashes[:3]}\n{source}"
    in_box = dict(zip(box, outcomes[: len(box)]))
    undefined = [(a, o) for a, o in in_box.items() if o == "overflow" or o.startswith("ub")]
    for r in results:
        prop = r.property
        if prop == "terminates":  # every loop the writer makes ends; a "yes" also vouches for no UB
            assert r.verdict != Verdict.NO, f"WRONG 'no' for terminates: {r.reason}\n{source}"
            if r.verdict == Verdict.YES:
                assert not undefined, f"WRONG 'yes' for terminates: inputs {undefined[:3]} hit UB\n{source}"
            stats.add(source, prop, r.verdict, r.reason, bool(undefined) and "undefined behaviour" in r.reason)
            continue
        bad = {"assert": "assert", "returns-true": "false", "no-overflow": "overflow"}[prop]
        where = (f"\n--- program ({program.data_model}) ---\n{source}--- property: {prop}; "
                 f"tool said {r.verdict.value}: {r.reason}")
        excused = False
        if r.verdict == Verdict.YES:
            assert not undefined, f"WRONG 'yes': inputs {undefined[:3]} hit undefined behaviour{where}"
            counter = [(a, o) for a, o in in_box.items() if o == bad]
            assert not counter, f"WRONG 'yes': inputs {counter[:3]} violate it{where}"
        elif r.verdict == Verdict.NO:
            witness = r.witness or {}
            assert witness.get("replay", {}).get("confirmed") is True, f"unconfirmed 'no': {witness}{where}"
            observed = outcomes[len(box) + list(witnesses).index(prop)]
            assert observed == bad, f"WRONG 'no': witness {witness['inputs']} does {observed!r}{where}"
        elif "undefined behaviour" in r.reason:
            excused = bool(undefined) and not any(o == bad for o in in_box.values())
        stats.add(source, prop, r.verdict, r.reason, excused)


# ----------------------------------------------------------------------------------------------- tests


def test_python_programs_agree_with_brute_force(tmp_path):
    stats = Stats("Python")

    @seed(20240501 + SEED)
    @settings(PROFILE, max_examples=PY_EXAMPLES)
    @given(program=python_programs())
    def run(program: PyProgram):
        path = tmp_path / f"prog{abs(hash(program.source)) % 10**12}.py"
        path.write_text(program.source)
        judge_python(program, path, stats)

    run()
    stats.finish()


def _gcc_works(*flags: str) -> bool:
    try:
        done = subprocess.run(["gcc", *flags, "-fsanitize=undefined", "-x", "c", "-", "-o", os.devnull],
                              input="int main(void) { return 0; }\n", capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.mark.parametrize("data_model", ["LP64", "ILP32"])
def test_c_programs_agree_with_brute_force(tmp_path, data_model):
    if not _gcc_works(*(["-m32"] if data_model == "ILP32" else [])):
        pytest.skip(f"gcc with UBSan{' and -m32' if data_model == 'ILP32' else ''} is not available")
    stats = Stats(f"C {data_model}")

    @seed({"LP64": 64, "ILP32": 32}[data_model] + SEED)
    @settings(PROFILE, max_examples=C_EXAMPLES)
    @given(program=c_programs(data_model))
    def run(program: CProgram):
        judge_c(program, tmp_path, stats)

    run()
    stats.finish()
