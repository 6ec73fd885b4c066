"""Concrete execution of a function's control-flow graph.

A solver model fixes the inputs and every nondeterministic value; running the graph on them gives the
path in source lines, the nondeterministic values in the order the program reads them (what a C replay
feeds back), and the event the run ends in. A model that does not drive the graph to the expected
event is rejected before any replay.

Calls to procedures (recursion) run on a stack of activations. A call whose procedure and arguments
equal those of an activation still on the stack ends the run as a repeated activation: a procedure's
run depends only on its arguments (among them the memory its pointer parameters reach, passed by value
and copied back at the return: Call.copied_back) and the nondeterministic values it reads, so reading
the same values again repeats the call forever.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from solomonic.reason.ir.accelerate import Accelerator
from solomonic.reason.ir.evaluate import (
    ArrayValue,
    Compiled,
    EvaluationError,
    Value,
    compiled,
    default_value,
    evaluate,
)
from solomonic.reason.ir.nodes import Var
from solomonic.reason.ir.program import Assign, Assume, Call, Cfg, Edge, Event, Function, Havoc, cfg_variables
from solomonic.reason.ir.types import ArrayType


@dataclass
class NondetRead:
    origin: str  # e.g. "__VERIFIER_nondet_int()" or "uninitialised 'x'"
    type: str
    value: Value
    line: int


def repeating(reads: list[NondetRead], start: int, count: int) -> list[NondetRead]:
    """The values a real run is given to go round a cycle for good: those before `start`, then those
    from it on again and again, about `count` in all (once at least)."""
    cycle = reads[start:]
    return reads[:start] + (cycle * max(1, count // len(cycle)) if cycle else [])


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
    steps: Steps
    index: dict[int, int]
    env: dict[Var, Value]
    key: tuple | None = None  # (procedure, arguments) of this activation; None for the function itself
    reads: int = 0
    resume: int = 0  # the caller's location after the call
    target: Var | None = None
    copied_back: tuple[tuple[Var, Var], ...] = ()  # the call's (caller's variable, parameter) pairs


@dataclass(frozen=True)
class Stride:
    """`repeats` strides of a loop (an iteration, or a few that repeat), each through `lines`, jumped by
    acceleration (accelerate.py) where the run's `lines` had `at` entries."""

    at: int
    repeats: int
    lines: tuple[int, ...]


@dataclass
class Trace:
    # source lines, consecutive repeats collapsed; those of iterations jumped (accelerate.py) are not
    # listed, but said by `strides`
    lines: list[int] = field(default_factory=list)
    reads: list[NondetRead] = field(default_factory=list)
    event: Event | None = None  # None: blocked by an assumption, or out of steps
    outcome: str = ""  # "event" | "blocked" | "steps" | "time" | "recursion" | "unset" | "error: ..."
    cutpoints_passed: int = 0
    steps: int = 0  # statements executed (those of jumped iterations included)
    strides: list[Stride] = field(default_factory=list)  # the stretches of iterations jumped
    env: dict[Var, Value] = field(default_factory=dict)  # the variables' values where the run ended
    repeat: Repeat | None = None  # outcome "recursion"


def run(
    function: Function,
    inputs: dict[Var, Value],
    nondet: Callable[[int, int, Havoc], Value | None],
    cutpoints: set[int],
    max_steps: int = 100_000,
    observe: Callable[[int, dict[Var, Value]], None] | None = None,
    deadline: float | None = None,
    strict: bool = False,
    accelerator: Accelerator | None = None,
) -> Trace:
    """Execute from the entry. `nondet(edge_index, block_step, stmt)` supplies each havocked value;
    `block_step` counts the cutpoints passed so far, matching the unrolling of bounded model checking.
    (Edge indices are those of the function's graph; procedures' havocs are numbered from -1 down.)
    `observe(cutpoint, state)` sees the function's own state at each cutpoint it reaches. A run still
    going at `deadline` (time.monotonic()) ends with outcome "time"; the clock is read every 4096 steps.

    `strict`: `nondet` may answer None, and a havoc it gives no value leaves its variable unset until
    written (an array's cells each until stored to: `int a[N];` filled by a loop before it is read); a
    run that reads an unset variable ends with outcome "unset". A strict run that ends otherwise is the
    run of every choice of the values it was not given (it read none of them): with none given, what
    makes a function without inputs deterministic (engines/execution.py); with those of a few reads
    before the first loop, one of a function's few executions (engines/enumeration.py).

    `accelerator` (strict runs only, whose `nondet` gives no value past the first cutpoint): asked at
    each cutpoint the function itself passes, after `observe`, for a stretch of iterations to jump
    (accelerate.py); `max_steps` counts the steps run one by one."""
    assert accelerator is None or strict, "a jump reads no havocked value only where none is given"
    # the function's variables: its inputs and its graph's, kept with the graph's compiled steps (`_graph`)
    env: dict[Var, Value] = {v: default_value(v.type) for v in (*(i.var for i in function.inputs),
                                                                 *_graph(function.cfg, False)[2])}
    env.update(inputs)
    frame = _frame(function.cfg, env)
    stack: list[Frame] = []  # the callers of `frame`
    active: dict[tuple, int] = {}  # (procedure, arguments) -> its depth on the stack
    trace = Trace(env=env)
    lines = trace.lines
    loc = function.cfg.entry
    step = jumped_steps = 0
    try:
        for step in range(max_steps):
            if deadline is not None and not step & 4095 and time.monotonic() > deadline:
                trace.outcome = "time"
                return trace
            cfg = frame.cfg
            line = cfg.lines[loc]
            if line > 0 and (not lines or lines[-1] != line):
                lines.append(line)
            if loc in cfg.events:
                if stack and cfg.events[loc].kind == "return":  # back to the caller, with the result
                    proc = function.procedures[frame.key[0]]
                    if proc.result is not None and proc.result not in frame.env:  # strict: never written
                        trace.outcome = "unset"
                        return trace
                    value = frame.env[proc.result] if proc.result is not None else None
                    del active[frame.key]
                    back = {mine: frame.env[param] for mine, param in frame.copied_back if param in frame.env}
                    target, loc, frame = frame.target, frame.resume, stack.pop()
                    frame.env.update(back)
                    if target is not None:
                        frame.env[target] = value
                    continue
                trace.event, trace.outcome, trace.env = cfg.events[loc], "event", frame.env
                return trace
            env, index = frame.env, frame.index
            try:
                chosen = None
                for option in frame.steps[loc]:  # the first edge whose assumption holds
                    test = option[1]
                    if test is None or test(env):
                        chosen = option
                        break
                if chosen is None:
                    trace.outcome = "blocked"
                    return trace
                taken, _, value_of = chosen
                s = taken.stmt
                if value_of is not None:
                    env[s.target] = value_of(env)
                elif isinstance(s, Havoc):
                    value = nondet(index[id(taken)], trace.cutpoints_passed, s)
                    if value is None:  # strict: no value, the variable is unset until written
                        assert strict, "only a strict run is given no value"
                        if isinstance(s.target.type, ArrayType):  # each cell unset until stored to
                            env[s.target] = ArrayValue(0, fallback=_unset_cell)
                        else:
                            env.pop(s.target, None)
                    else:
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
                    callee = _frame(proc.cfg, {v: default_value(v.type) for v in _graph(proc.cfg, True)[2]},
                                    key, len(trace.reads), taken.dst, s.target)
                    callee.env.update(zip(proc.params, args))
                    callee.copied_back = s.copied_back
                    stack.append(frame)
                    active[key] = len(stack)
                    frame, loc = callee, proc.cfg.entry
                    continue
            except EvaluationError as err:
                trace.outcome = f"error: {err}"
                return trace
            except KeyError:  # an expression read a variable the environment lacks: strict, a havocked one
                if not strict:
                    raise
                trace.outcome = "unset"
                return trace
            loc = taken.dst
            if loc in cutpoints and not stack:
                trace.cutpoints_passed += 1
                if observe is not None:
                    observe(loc, env)
                if accelerator is not None:
                    jump = accelerator(loc, env)
                    if jump is not None:
                        env.clear()
                        env.update(jump.env)
                        jumped_steps += jump.repeats * jump.steps
                        trace.cutpoints_passed += jump.repeats * jump.cutpoints
                        trace.strides.append(Stride(len(lines), jump.repeats, tuple(jump.lines)))
        trace.outcome, step = "steps", max_steps
        return trace
    finally:
        trace.steps = step + jumped_steps


def _unset_cell(index: int) -> int:
    """A strict run read a cell of a havocked array that no store has set (`except KeyError`: "unset")."""
    raise KeyError(index)


def _frame(cfg: Cfg, env: dict[Var, Value], key: tuple | None = None, reads: int = 0,
           resume: int = 0, target: Var | None = None) -> Frame:
    steps, index, _ = _graph(cfg, key is not None)
    return Frame(cfg, steps, index, env, key, reads, resume, target)


# Each graph's compiled steps, edge numbers and variables, kept across runs: a question runs the same
# function thousands of times (random runs, tabulated calls, sampled states), and compiling each run's
# steps again, and reading its variables off the graph again, took a fifth of the runs' time. The graph is kept with them, so that its id is not reused
# for another; one with more edges than when they were made (still being built) is made again.
_GRAPHS: dict[tuple[int, bool], tuple[Cfg, int, tuple[Steps, dict[int, int], frozenset[Var]]]] = {}
_GRAPHS_LIMIT = 64  # a question runs a few graphs (the function, each round's unfolding); one may be 1 MB


def _graph(cfg: Cfg, procedure: bool) -> tuple[Steps, dict[int, int], frozenset[Var]]:
    """A graph's steps (compiled as they are first visited), the numbers of its edges (a procedure's
    from -1 down) and its variables."""
    key = (id(cfg), procedure)
    known = _GRAPHS.get(key)
    if known is None or known[1] != len(cfg.edges):
        if len(_GRAPHS) >= _GRAPHS_LIMIT:
            _GRAPHS.clear()
        sign = (lambda i: -1 - i) if procedure else (lambda i: i)
        made = (Steps(cfg.successors()), {id(e): sign(i) for i, e in enumerate(cfg.edges)},
                frozenset(cfg_variables(cfg)))
        known = _GRAPHS[key] = (cfg, len(cfg.edges), made)
    return known[2]


class Steps(dict):
    """A graph's edges out of each location with their statements compiled (evaluate.compiled), by
    location: (edge, its assumption's test or None, its assignment's value or None). Compiled at a
    location's first visit: a short run (a random one, a witness's) visits few of a large graph's
    locations."""

    def __init__(self, succ: dict[int, list[Edge]]):
        super().__init__()
        self.succ = succ

    def __missing__(self, loc: int) -> list[tuple[Edge, Compiled | None, Compiled | None]]:
        made = self[loc] = [(e, compiled(e.stmt.cond) if isinstance(e.stmt, Assume) else None,
                             compiled(e.stmt.value) if isinstance(e.stmt, Assign) else None)
                            for e in self.succ[loc]]
        return made


def compress(lines: list[int], limit: int = 60, strides: list[Stride] | tuple[Stride, ...] = ()) -> str:
    """`3, 4, 5, 4, 5, 4, 5, 7` -> `3, (4, 5) x3, 7`: repeated loop iterations folded, long paths cut;
    a stretch a run jumped shown where it was, `(4, 5) x3000 in strides`."""
    tokens: list[int | str] = list(lines)
    for stride in reversed(strides):
        tokens.insert(stride.at, f"({', '.join(map(str, stride.lines))}) x{stride.repeats} in strides")
    lines = tokens  # type: ignore[assignment]
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
