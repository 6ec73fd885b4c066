"""Concrete execution of a function's control-flow graph.

A solver model fixes the inputs and every nondeterministic value; running the graph on them gives the
path in source lines, the nondeterministic values in the order the program reads them (what a C replay
feeds back), and the event the run ends in. A model that does not drive the graph to the expected
event is rejected before any replay.

Calls to procedures (recursion) run on a stack of activations. A call whose procedure and arguments
equal those of an activation still on the stack ends the run as a repeated activation: a procedure's
run depends only on its arguments and the nondeterministic values it reads (recursive procedures use
no globals and no memory), so reading the same values again repeats the call forever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from solomonic.reason.ir.evaluate import EvaluationError, Value, default_value, evaluate
from solomonic.reason.ir.nodes import Var
from solomonic.reason.ir.program import Assign, Assume, Call, Cfg, Event, Function, Havoc, cfg_variables


@dataclass
class NondetRead:
    origin: str  # e.g. "__VERIFIER_nondet_int()" or "uninitialised 'x'"
    type: str
    value: Value
    line: int


@dataclass
class Repeat:
    """`callee(*args)` was called again, `depth` calls deeper, while its first activation was running."""

    callee: str
    args: tuple[Value, ...]
    depth: int
    reads: int  # nondeterministic values read before the first activation (the rest repeat)


@dataclass
class Frame:
    cfg: Cfg
    succ: dict
    index: dict[int, int]
    env: dict[Var, Value]
    key: tuple | None = None  # (procedure, arguments) of this activation; None for the function itself
    reads: int = 0
    resume: int = 0  # the caller's location after the call
    target: Var | None = None


@dataclass
class Trace:
    lines: list[int] = field(default_factory=list)  # source lines, consecutive repeats collapsed
    reads: list[NondetRead] = field(default_factory=list)
    event: Event | None = None  # None: blocked by an assumption, or out of steps
    outcome: str = ""  # "event" | "blocked" | "steps" | "error: ..."
    cutpoints_passed: int = 0
    env: dict[Var, Value] = field(default_factory=dict)  # the variables' values where the run ended
    repeat: Repeat | None = None  # outcome "recursion"


def run(
    function: Function,
    inputs: dict[Var, Value],
    nondet: Callable[[int, int, Havoc], Value],
    cutpoints: set[int],
    max_steps: int = 100_000,
    observe: Callable[[int, dict[Var, Value]], None] | None = None,
) -> Trace:
    """Execute from the entry. `nondet(edge_index, block_step, stmt)` supplies each havocked value;
    `block_step` counts the cutpoints passed so far, matching the unrolling of bounded model checking.
    (Edge indices are those of the function's graph; procedures' havocs are numbered from -1 down.)
    `observe(cutpoint, state)` sees the function's own state at each cutpoint it reaches."""
    env: dict[Var, Value] = {v: default_value(v.type) for v in function.variables}
    env.update(inputs)
    graphs: dict[int, tuple[dict, dict[int, int]]] = {}  # successors and edge numbers, once per graph
    frame = _frame(graphs, function.cfg, env)
    stack: list[Frame] = []  # the callers of `frame`
    active: dict[tuple, int] = {}  # (procedure, arguments) -> its depth on the stack
    trace = Trace(env=env)
    loc = function.cfg.entry
    for _ in range(max_steps):
        cfg = frame.cfg
        _note_line(trace, cfg.lines[loc])
        if loc in cfg.events:
            if stack and cfg.events[loc].kind == "return":  # back to the caller, with the result
                proc = function.procedures[frame.key[0]]
                value = frame.env[proc.result] if proc.result is not None else None
                del active[frame.key]
                target, loc, frame = frame.target, frame.resume, stack.pop()
                if target is not None:
                    frame.env[target] = value
                continue
            trace.event, trace.outcome, trace.env = cfg.events[loc], "event", frame.env
            return trace
        env, succ, index = frame.env, frame.succ, frame.index
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
            elif isinstance(s, Call):
                proc = function.procedures[s.callee]
                args = tuple(evaluate(a, env) for a in s.args)
                key = (s.callee, args)
                if key in active:
                    first = active[key]
                    earlier = stack[first] if first < len(stack) else frame
                    trace.repeat = Repeat(s.callee, args, len(stack) + 1 - first, earlier.reads)
                    trace.outcome, trace.env = "recursion", env
                    return trace
                callee = _frame(graphs, proc.cfg, {v: default_value(v.type) for v in cfg_variables(proc.cfg)},
                                key, len(trace.reads), taken.dst, s.target)
                callee.env.update(zip(proc.params, args))
                stack.append(frame)
                active[key] = len(stack)
                frame, loc = callee, proc.cfg.entry
                continue
        except EvaluationError as err:
            trace.outcome = f"error: {err}"
            return trace
        loc = taken.dst
        if loc in cutpoints and not stack:
            trace.cutpoints_passed += 1
            if observe is not None:
                observe(loc, env)
    trace.outcome = "steps"
    return trace


def _frame(graphs: dict, cfg: Cfg, env: dict[Var, Value], key: tuple | None = None, reads: int = 0,
           resume: int = 0, target: Var | None = None) -> Frame:
    if id(cfg) not in graphs:
        sign = (lambda i: i) if key is None else (lambda i: -1 - i)
        graphs[id(cfg)] = cfg.successors(), {id(e): sign(i) for i, e in enumerate(cfg.edges)}
    succ, index = graphs[id(cfg)]
    return Frame(cfg, succ, index, env, key, reads, resume, target)


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
