"""A closed C function's one execution, run to its end: it answers every property at once.

A function that takes no input (no parameter, no global input) and whose run reads no nondeterministic
value (no `__VERIFIER_nondet_*`, no uninitialised variable: the interpreter's strict run stops at a read
of a havocked variable) has exactly one execution. Bounded model checking unrolls it symbolically, one
solver query a depth, and Spacer looks for invariants it does not need; the IR interpreter
(ir/interpret.py) runs the same graph concretely at about a million steps a second, so a nest of loops
with thousands of iterations ends in a fraction of a second where the unrolling runs past its time.
concrete.py schedules the run: briefly first, and where it has not ended, again after the engines.

The run ends in an error event (a no, confirmed like any counterexample: safety.py), in undefined
behaviour (unknown, but for no-overflow, whose error it is), or normally: a return, a stop (`exit`,
`abort`) or an assumption that fails. A normal end is a yes for every safety property and for
termination. That yes rests on the interpreter rather than on a solver, so a run of the real program
(gcc with UBSan: replay/c.py's `endings`) must end the same way before it counts (`answer`), and its
certificate is re-checked the same way by `confirm`: the model's run again, then the real one.

C only: a Python function without parameters is rare, and the SV-COMP tasks whose `main` is closed
(nested counting loops, counters to a constant) are C.
"""

from __future__ import annotations

import time
from collections import Counter

from solomonic.reason.ir import Function, Var
from solomonic.reason.ir.accelerate import Accelerator
from solomonic.reason.ir.evaluate import Value
from solomonic.reason.ir.interpret import Trace, run
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Result, Verdict

WATCHED = 10_000  # passes of a merge point in which a run is watched for a state it comes back to
CONFIRM_S = 5.0  # the real program's run, at most (it is compiled: a run the interpreter ended takes far less)


def closed(function: Function) -> bool:
    """Whether the function may have one execution: C, and no inputs. It has one where its run reads no
    havocked value (a variable declared without a value, `int i; for (i = 0; ...)`, is havocked where it
    is declared, and then written before it is read): `execute` runs it strictly."""
    return function.language == "c" and not function.inputs


def execute(function: Function, budget_s: float, given: dict[int, int] | None = None) -> Trace | None:
    """The one execution of a `closed` function (or, with `given`, the value of each of a few havocs by
    edge: of a function whose only reads they are, enumeration.py), run for `budget_s` at most: `ended`
    where it ended (an event, or an assumption that blocks it) without reading a havocked value it was
    not given, outcome "time" where it was still going; None where running longer cannot help (a read of
    a value it was never given, a state it comes back to, a repeated activation, an evaluation error)."""
    incoming = Counter(e.dst for e in function.cfg.edges)
    merges = {loc for loc, n in incoming.items() if n > 1}  # every loop head among them
    try:
        values = given or {}
        trace = run(function, {}, lambda edge, _step, _stmt: values.get(edge), merges, max_steps=1 << 62, observe=_Repeats(),
                    deadline=time.monotonic() + budget_s, strict=True, accelerator=Accelerator(function.cfg, merges))
    except _Repeated:  # it loops for ever: the other engines say so (a lasso), or prove it safe
        return None
    return trace if ended(trace) or trace.outcome == "time" else None


def ended(trace: Trace) -> bool:
    return trace.outcome in ("event", "blocked")


class _Repeated(Exception):
    pass


class _Repeats:
    """Brent's cycle detection over the states a run passes its merge points in (outside calls), for its
    first WATCHED passes: a closed run that comes back to a state repeats it for ever (it reads nothing),
    so waiting out the budget would only take the other engines' time. The loops that do so come back
    at once (`while (1) x = 2;`); watching a long run to its end would slow it by half."""

    def __init__(self) -> None:
        self.saved: tuple | None = None
        self.power = self.length = 1
        self.passes = 0

    def __call__(self, loc: int, env: dict[Var, Value]) -> None:
        self.passes += 1
        if self.passes > WATCHED:
            return
        state = (loc, frozenset(env.items()))
        if state == self.saved:
            raise _Repeated
        if self.length == self.power:
            self.saved, self.power, self.length = state, 2 * self.power, 0
        self.length += 1


def ending(trace: Trace) -> str:
    """How the model's run ended: an event's kind, or "blocked"."""
    return trace.event.kind if trace.event is not None else "blocked"


def holds(end: str, prop: str) -> bool:
    """Whether a run that ends so satisfies `prop`: no undefined behaviour, none of the property's errors
    (an assertion's failure ends the program, so it terminates)."""
    return end not in UNDEFINED_BEHAVIOUR and end not in PROPERTY_ERRORS.get(prop, set())


def same_end(model: str, real: str, prop: str) -> bool:
    """Whether the real run ended as the model's did. A return of 0 and one of another value are told
    apart only where the property is about the value (returns-true); a program's own `abort` or `exit`
    in an assumption is a stop to both."""
    if prop != "returns-true":
        model, real = (("return" if k == "return-false" else k) for k in (model, real))
    if model == "blocked":
        return real in ("blocked", "stop")
    return model == real


def answer(function: Function, prop: str, trace: Trace, replay_s: float) -> Result | None:
    """What a run that ended gives, where it did not end in one of `prop`'s own errors (safety.py confirms
    those as it does any counterexample): unknown where it ended in undefined behaviour, else a yes once
    the real program's run ends the same way; None where no real run could be had (no build, as for a
    program that typedefs `size_t` its own way: the other engines then decide)."""
    def result(verdict: Verdict, **kw) -> Result:
        return Result(function.file, function.name, prop, verdict, line=function.line, language=function.language,
                      **kw)

    end = trace.event
    if not holds(ending(trace), prop):
        assert end is not None
        return result(Verdict.UNKNOWN, reason=f"undefined behaviour is reachable at line {end.line} ({end.message}): "
                                              "the function's one execution reaches it")
    real = _real_run(function, trace, prop, replay_s)
    if real is None:
        return None
    same, observed = real
    if not same:
        return result(Verdict.UNKNOWN, reason="the function's one execution ends without a failure, but the real "
                                              f"program's run does not: {observed}")
    where = f"line {end.line} ({end.message})" if end is not None else "an assumption that fails"
    return result(Verdict.YES, certificate={
        "kind": "complete execution",
        "summary": f"{function.name} has one execution (no input, no nondeterministic value); run to its end "
                   f"({trace.steps} steps), it ends at {where} without a failure, and so does the real "
                   f"program's run (compiled with UBSan: {observed})",
        "steps": trace.steps,
        "ends": ending(trace),
        "invariants": []})


def _real_run(function: Function, trace: Trace, prop: str, timeout_s: float) -> tuple[bool, str] | None:
    """The real program's run against the model's: (it ends the same way, what it did); None where there
    is no build or no time for it."""
    from solomonic.reason.replay.c import endings

    real = endings(function, [[]], min(timeout_s, CONFIRM_S))
    if isinstance(real, str):
        return None
    [(kind, observed)] = real
    return same_end(ending(trace), kind, prop), observed


def confirm(function: Function, cert: dict, prop: str, timeout_s: float) -> str | None:
    """A "complete execution" certificate checked again (evidence.py, the proof memory, `recheck`): the
    function is still deterministic, the model's run ends as the certificate says without a failure of
    `prop`, and the real run ends the same way. None where all hold, else what does not."""
    if not closed(function):
        return "the function now has inputs"
    start = time.monotonic()
    trace = execute(function, timeout_s)
    if trace is None or not ended(trace):
        return f"the run did not end within {timeout_s:g} s"
    if ending(trace) != cert.get("ends") or not holds(ending(trace), prop):
        return f"the run now ends otherwise ({ending(trace)})"
    real = _real_run(function, trace, prop, max(1.0, timeout_s - (time.monotonic() - start)))
    if real is None:
        return "the real program could not be built, or run in time"
    same, observed = real
    return None if same else f"the real program's run ends otherwise: {observed}"
