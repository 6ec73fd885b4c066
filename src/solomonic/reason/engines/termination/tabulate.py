"""Tabulated summaries: `n == k -> result == v` for the few arguments a program can pass.

A procedure whose result grows faster than any linear function of its argument (`hanoi(n) = 2^n - 1`,
`fibonacci(n)`) has no linear summary that bounds it, and without a bound on a stepped-over call's
result the unfolding cannot exclude that `2 * hanoi(n - 1) + 1` overflows. Where the program itself
confines the argument to a small range (`if (n < 1 || n > 31) return 0;`), the exact result for each
argument in that range says enough. The values come from running the procedure concretely, each
(procedure, argument) once (memoised, so fibonacci(46) costs 47 activations, not 3e9), on the IR
evaluator, which shares no code with the solver's encodings. They are only candidates: Houdini keeps
a fact only where every return keeps it under the facts the calls assume, and the certificate check
proves the kept ones again, so a wrong value costs time, never an answer.

The range is that of the program's own constants (those of its tests and bounds), at most
MAX_ARGUMENTS values. A run that reads a nondeterministic value, reaches any event other than the
return (undefined behaviour, an assertion), repeats an activation, or runs out of its budget gives no
value, and its argument no fact.
"""

from __future__ import annotations

import time

from solomonic.reason.engines.termination.recursion import Bound, Fact, body_constants, ghost, numeric
from solomonic.reason.ir import Assign, Assume, BVType, Call, Function, Havoc, Procedure
from solomonic.reason.ir.evaluate import EvaluationError, Value, default_value, evaluate
from solomonic.reason.ir.program import cfg_variables

MAX_ARGUMENTS = 64  # arguments tabulated per procedure: one fact each
MAX_STEPS = 200_000  # edges run over all the procedures' tabulation
MAX_DEPTH = 100  # activations on the evaluator's stack, which Python's own recursion carries


def tabulated_facts(function: Function, deadline: float) -> dict[str, list[Fact]]:
    """Per one-parameter procedure with a numeric result: `p == k -> result == v` for each argument k in
    the range of the program's constants whose concrete run returns v."""
    constants = body_constants(function.cfg)
    for proc in function.procedures.values():
        constants |= body_constants(proc.cfg)
    if not constants:
        return {}
    runner = _Runner(function, deadline)
    out: dict[str, list[Fact]] = {}
    for name, proc in sorted(function.procedures.items()):
        if len(proc.params) != 1 or not numeric(proc.params[0]) or proc.result is None or not numeric(proc.result):
            continue
        low, high = _clipped(min(constants), max(constants), proc)
        if high - low + 1 > MAX_ARGUMENTS:
            continue
        table = {k: v for k in range(low, high + 1) if isinstance(v := runner.value(name, (k,)), int)}
        if table:
            out[name] = _facts(table, ghost(proc.params[0]).name, proc.result.name)
    return out


def _facts(table: dict[int, int], param: str, result: str) -> list[Fact]:
    """`p == k -> result == v` for each entry, and the first and last results carried beyond the range
    (`p >= 2 -> result == -2`: a result that settles, as nested recursions' do)."""
    def equal(k: int, v: int) -> Fact:
        return Fact(Bound(((result, 1),), -v, "eq"), Bound(((param, 1),), -k, "eq"))

    low, high = min(table), max(table)
    return [equal(k, v) for k, v in table.items()] + \
        [Fact(Bound(((result, 1),), -table[high], "eq"), Bound(((param, 1),), -high, "ge")),
         Fact(Bound(((result, 1),), -table[low], "eq"), Bound(((param, -1),), low, "ge"))]


def _clipped(low: int, high: int, proc: Procedure) -> tuple[int, int]:
    """The range within the parameter's type (a constant of another type may lie outside it)."""
    t = proc.params[0].type
    return (max(low, t.min), min(high, t.max)) if isinstance(t, BVType) else (low, high)


class _NoValue(Exception):
    """The run does not return a value that holds of every run with these arguments."""


class _Runner:
    """Concrete, memoised runs of a function's procedures."""

    def __init__(self, function: Function, deadline: float):
        self.procedures = function.procedures
        self.successors = {name: p.cfg.successors() for name, p in function.procedures.items()}
        self.deadline = deadline
        self.steps = 0
        self.memo: dict[tuple[str, tuple[Value, ...]], Value | None] = {}
        self.active: set[tuple[str, tuple[Value, ...]]] = set()

    def value(self, name: str, args: tuple[Value, ...]) -> Value | None:
        try:
            return self._call(name, args)
        except _NoValue:
            return None

    def _call(self, name: str, args: tuple[Value, ...]) -> Value:
        key = (name, args)
        if key in self.memo:
            known = self.memo[key]
            if known is None:
                raise _NoValue
            return known
        if key in self.active or len(self.active) >= MAX_DEPTH:
            raise _NoValue  # a repeated activation never returns; a deep one is not worth the budget
        self.active.add(key)
        try:
            found = self._run(name, args)
        except _NoValue:
            self.memo[key] = None  # a later argument whose run needs this one gives up at once
            raise
        finally:
            self.active.discard(key)
        self.memo[key] = found
        return found

    def _run(self, name: str, args: tuple[Value, ...]) -> Value:
        proc = self.procedures[name]
        env: dict = {v: default_value(v.type) for v in cfg_variables(proc.cfg)}
        env.update(zip(proc.params, args))
        succ, loc = self.successors[name], proc.cfg.entry
        while True:
            self.steps += 1
            if self.steps > MAX_STEPS or (self.steps % 1000 == 0 and time.monotonic() > self.deadline):
                raise _NoValue
            if loc in proc.cfg.events:
                if proc.cfg.events[loc].kind != "return":
                    raise _NoValue  # undefined behaviour, an assertion, an exception
                return env[proc.result] if proc.result is not None else 0  # a void call's value is never read
            try:
                edge = next((e for e in succ.get(loc, []) if not isinstance(e.stmt, Assume)
                             or evaluate(e.stmt.cond, env)), None)
                if edge is None or isinstance(edge.stmt, Havoc):
                    raise _NoValue  # blocked, or a value chosen anew by each run
                if isinstance(edge.stmt, Assign):
                    env[edge.stmt.target] = evaluate(edge.stmt.value, env)
                elif isinstance(edge.stmt, Call):
                    if edge.stmt.copied_back:
                        raise _NoValue  # the call changes the caller's memory, which a table does not hold
                    value = self._call(edge.stmt.callee, tuple(evaluate(a, env) for a in edge.stmt.args))
                    if edge.stmt.target is not None:
                        env[edge.stmt.target] = value
            except EvaluationError as err:
                raise _NoValue from err
            loc = edge.dst
