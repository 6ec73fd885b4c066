"""A C function whose only nondeterminism is a few values read before its first loop: each combination
of them run to its end, together every execution it has.

SV-COMP's nla-digbench-scaling tasks bound their inputs (`assume_abort_if_not(k >= 0 && k <= 10)`),
geometric series step `x = x*z + 1` over `z <= 10`, a counter steps by a `k <= 10`: a handful of
inputs, then loops whose non-linear arithmetic the solvers' bit-precise queries choke on, or whose
iterations an unrolling does not reach. With the inputs fixed, each is a closed run (execution.py).

The combinations are the models of the first block of the transition system (from the entry to the
first loop head, or to a failure of the property), over the nondeterministic values that block reads,
enumerated by the solver with blocking clauses (at most LIMIT): every other combination ends within
that block without a failure. None of the later blocks reads a nondeterministic value (else this does
not apply), and the entry is no loop head, so its reads happen once. Each combination is run strictly
by the interpreter (execution.execute, its reads given, every other havoc unset); a run that ends in a
failure of the property is a counterexample, confirmed by replay as any other; where every run ends
without one, the real program's runs (one build, replay/c.py's `endings`) must each end the same way
before that is a yes, whose certificate ("exhaustive execution") `confirm` checks the same way again.
"""

from __future__ import annotations

import time

import z3

from solomonic.reason.engines import bmc
from solomonic.reason.engines.execution import ending, execute, holds, same_end
from solomonic.reason.ir import BVType, Function, Var
from solomonic.reason.ir.evaluate import Value
from solomonic.reason.ir.interpret import Trace
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.system import TransitionSystem, build_system

LIMIT = 128  # combinations run, at most
WINDOW = 256  # a value read outside [-WINDOW, WINDOW] has too many neighbours to enumerate
NONDET = "()"  # how a `__VERIFIER_nondet_*` read's origin ends (an uninitialised variable's does not)


def applicable(function: Function) -> bool:
    """C, no parameter or global input, no recursion (a procedure's reads happen once per call)."""
    return function.language == "c" and not function.inputs and not function.procedures


def combinations(function: Function, prop: str, timeout_s: float) -> list[dict[int, int]] | None:
    """The values of the reads before the first loop, by havoc edge, one dict per combination that gets
    past the first block (or fails in it); None where this does not apply or there are too many."""
    deadline = time.monotonic() + timeout_s
    system = build_system(function, UNDEFINED_BEHAVIOUR | PROPERTY_ERRORS.get(prop, set()))
    reads = _reads(function, system)
    if not reads:
        return None
    unroller = bmc.Unroller(system)
    unroller.extend()
    enc, solver = unroller.enc, unroller.solver
    values = {nd: unroller.nondets[0][nd] for nd in reads}
    for nd, term in values.items():  # one query each, before a hundred: is any value far out?
        if not isinstance(nd.type, BVType):
            continue
        solver.set("timeout", max(1, int(1000 * (deadline - time.monotonic()))))
        high = enc.value(WINDOW, nd.type)
        far = z3.Or(term < enc.value(-WINDOW, nd.type), term > high) if nd.type.signed else z3.UGT(term, high)
        if solver.check(far) != z3.unsat:
            return None
    found: list[dict[int, int]] = []
    while len(found) <= LIMIT:
        solver.set("timeout", max(1, int(1000 * (deadline - time.monotonic()))))
        answer = solver.check()
        if answer == z3.unsat:
            return found
        if answer != z3.sat:
            return None
        model = solver.model()
        combination = {nd: _number(enc.decode(model.eval(term, model_completion=True), nd.type))
                       for nd, term in values.items()}
        found.append({system.nondet_edges[nd]: value for nd, value in combination.items()})
        solver.add(z3.Or(*[term != enc.value(combination[nd], nd.type) for nd, term in values.items()]))
    return None


def _number(value: Value) -> int:
    """A scalar's value (the nondeterministic reads here are all of machine integers)."""
    assert isinstance(value, int)
    return value


def _reads(function: Function, system: TransitionSystem) -> list[Var]:
    """The nondeterministic values the first block reads; [] where a later block reads one too, or the
    entry is a loop head, or there is no loop."""
    if not system.loop_heads or any(b.dst == system.entry for b in system.blocks):
        return []
    if any(b.nondets for b in system.blocks if b.src != system.entry):
        return []
    edges = function.cfg.edges
    reads = {nd for b in system.blocks if b.src == system.entry for nd in b.nondets
             if edges[system.nondet_edges[nd]].stmt.origin.endswith(NONDET)}  # type: ignore[union-attr]
    return sorted(reads, key=lambda v: v.name)


def executions(function: Function, prop: str, timeout_s: float) -> list[Trace] | None:
    """Every execution's run to its end, within `timeout_s`; None where that is not known: this does
    not apply, too many combinations, a run still going, or one that read an unset value."""
    deadline = time.monotonic() + timeout_s
    found = combinations(function, prop, timeout_s / 2)
    if found is None:
        return None
    traces = []
    for given in found:
        trace = execute(function, deadline - time.monotonic(), given)
        if trace is None or trace.outcome == "time":
            return None
        traces.append(trace)
    return traces


def answer(function: Function, prop: str, traces: list[Trace], replay_s: float) -> Result:
    """The yes that runs that all end without a failure of `prop` give (concrete.around decides a run
    that ends otherwise, undefined behaviour included, as a closed run's), once the real program's runs
    end the same way; unknown where one does not."""
    def result(verdict: Verdict, **kw) -> Result:
        return Result(function.file, function.name, prop, verdict, line=function.line, language=function.language,
                      **kw)

    assert all(holds(ending(t), prop) for t in traces)
    problem = _real_runs(function, prop, traces, replay_s)
    if problem is not None:
        return result(Verdict.UNKNOWN, reason=f"every execution ends without a failure, but {problem}")
    return result(Verdict.YES, certificate={
        "kind": "exhaustive execution",
        "summary": f"{function.name} has {len(traces)} executions (the nondeterministic values read before its "
                   f"first loop have {len(traces)} combinations that go on; every other one ends before the loop "
                   "without a failure); run to its end, each ends without a failure, and so does the real "
                   "program's run with the same values (compiled with UBSan)",
        "runs": len(traces),
        "steps": sum(t.steps for t in traces),
        "invariants": []})


def _shown(trace: Trace) -> str:
    return ", ".join(str(r.value) for r in trace.reads) or "none"


def _real_runs(function: Function, prop: str, traces: list[Trace], timeout_s: float) -> str | None:
    """None where the real program's run with each trace's values ends as the trace does; else which does not."""
    from solomonic.reason.replay.c import endings  # the harness and gcc: only for runs that all ended

    real = endings(function, [[_number(r.value) for r in t.reads if r.origin.endswith(NONDET)] for t in traces],
                   timeout_s)
    if isinstance(real, str):
        return f"the real program's runs give no answer: {real}"
    for trace, (kind, observed) in zip(traces, real, strict=True):
        if not same_end(ending(trace), kind, prop):
            return f"the real program's run with the inputs {_shown(trace)} ends otherwise: {observed}"
    return None


def confirm(function: Function, cert: dict, prop: str, timeout_s: float) -> str | None:
    """An "exhaustive execution" certificate checked again (evidence.py, the proof memory, `recheck`):
    the combinations enumerated again, each run again to an end without a failure of `prop`, and the
    real runs ending the same way. None where all hold, else what does not."""
    if not applicable(function):
        return "the function now has inputs or procedures"
    start = time.monotonic()
    traces = executions(function, prop, timeout_s)
    if traces is None:
        return f"its executions were not all run to their ends within {timeout_s:g} s"
    if len(traces) != cert.get("runs"):
        return f"it now has {len(traces)} executions, not {cert.get('runs')}"
    if not all(holds(ending(t), prop) for t in traces):
        return "an execution now ends in a failure"
    return _real_runs(function, prop, traces, max(1.0, timeout_s - (time.monotonic() - start)))
