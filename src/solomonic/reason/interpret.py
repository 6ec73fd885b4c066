"""Concrete execution of a function's control-flow graph.

A solver model fixes the inputs and every nondeterministic value; running the graph on them gives the
path in source lines, the nondeterministic values in the order the program reads them (what a C replay
feeds back), and the event the run ends in. A model that does not drive the graph to the expected
event is rejected before any replay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from solomonic.reason.evaluate import EvaluationError, Value, default_value, evaluate
from solomonic.reason.ir import Assign, Assume, Event, Function, Havoc, Var


@dataclass
class NondetRead:
    origin: str  # e.g. "__VERIFIER_nondet_int()" or "uninitialised 'x'"
    type: str
    value: Value
    line: int


@dataclass
class Trace:
    lines: list[int] = field(default_factory=list)  # source lines, consecutive repeats collapsed
    reads: list[NondetRead] = field(default_factory=list)
    event: Event | None = None  # None: blocked by an assumption, or out of steps
    outcome: str = ""  # "event" | "blocked" | "steps" | "error: ..."
    cutpoints_passed: int = 0
    env: dict[Var, Value] = field(default_factory=dict)  # the variables' values where the run ended


def run(
    function: Function,
    inputs: dict[Var, Value],
    nondet: Callable[[int, int, Havoc], Value],
    cutpoints: set[int],
    max_steps: int = 100_000,
) -> Trace:
    """Execute from the entry. `nondet(edge_index, block_step, stmt)` supplies each havocked value;
    `block_step` counts the cutpoints passed so far, matching the unrolling of bounded model checking."""
    cfg = function.cfg
    succ = cfg.successors()
    index = {id(e): i for i, e in enumerate(cfg.edges)}
    env: dict[Var, Value] = {v: default_value(v.type) for v in function.variables}
    env.update(inputs)
    trace = Trace(env=env)
    loc = cfg.entry
    for _ in range(max_steps):
        _note_line(trace, cfg.lines[loc])
        if loc in cfg.events:
            trace.event, trace.outcome = cfg.events[loc], "event"
            return trace
        taken = None
        try:
            for e in succ[loc]:
                if isinstance(e.stmt, Assume) and not evaluate(e.stmt.cond, env):
                    continue
                taken = e
                break
            if taken is None:
                trace.outcome = "blocked"
                return trace
            s = taken.stmt
            if isinstance(s, Assign):
                env[s.target] = evaluate(s.value, env)
            elif isinstance(s, Havoc):
                value = nondet(index[id(taken)], trace.cutpoints_passed, s)
                env[s.target] = value
                trace.reads.append(NondetRead(s.origin, str(s.target.type), value, taken.line))
        except EvaluationError as err:
            trace.outcome = f"error: {err}"
            return trace
        loc = taken.dst
        if loc in cutpoints:
            trace.cutpoints_passed += 1
    trace.outcome = "steps"
    return trace


def _note_line(trace: Trace, line: int) -> None:
    if line > 0 and (not trace.lines or trace.lines[-1] != line):
        trace.lines.append(line)


def compress(lines: list[int], limit: int = 60) -> str:
    """`3, 4, 5, 4, 5, 4, 5, 7` -> `3, (4, 5) x3, 7`: repeated loop iterations folded, long paths cut."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        best = (1, 1)  # (period, repetitions)
        for period in range(1, 9):
            reps = 1
            while lines[i : i + period] == lines[i + reps * period : i + (reps + 1) * period]:
                reps += 1
            if reps > 1 and period * reps > best[0] * best[1]:
                best = (period, reps)
        period, reps = best
        chunk = ", ".join(map(str, lines[i : i + period]))
        out.append(f"({chunk}) x{reps}" if reps > 1 and period > 1 else f"{chunk} x{reps}" if reps > 1 else chunk)
        i += period * reps
    if len(out) > limit:
        out = [*out[: limit // 2], "...", *out[-limit // 2 :]]
    return ", ".join(out)
