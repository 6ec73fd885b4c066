"""Re-check a stored answer's evidence against a function, trusting nothing of the search that found it.

A yes stands on its certificate, checked again against the function's exact formulas (invariants by
validity queries, bounded proofs by a fresh exhaustive unrolling, rankings step by step); a no stands
on its witness, run again for real (Python's call, C's compiled harness). A no of `terminates` stands,
as `check` gave it, on a proof and a run: a real run still going when its time is up shows nothing by
itself (a loop may end a second later), so the witness's lasso is found again on the function as it is
now (`confirm_nontermination`) before its run counts.

Two callers need exactly this and nothing more: `solomonic recheck`, on a results file, and the proof
memory, on an answer it is about to serve, so that a stale, corrupted or planted answer is caught
before anyone reads it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from solomonic.reason.certify import certificate
from solomonic.reason.certify.certificate import Invariant, int_sort_name, parse_invariant
from solomonic.reason.certify.recurrent import not_closed
from solomonic.reason.engines import bmc, enumeration, execution
from solomonic.reason.engines.safety import call_free, error_kinds
from solomonic.reason.engines.termination.check import check_certificate
from solomonic.reason.engines.termination.descent import DescentSearch
from solomonic.reason.engines.termination.lasso import (
    RECURSION_VALUES,
    REPLAY_S,
    LassoSearch,
    replay_own_loop,
)
from solomonic.reason.engines.termination.loops import PROPERTY
from solomonic.reason.engines.termination.recursion import Fact, own_loop_cycle
from solomonic.reason.ir import ArrayType, Function, Var
from solomonic.reason.ir.evaluate import ArrayValue, Value, default_value
from solomonic.reason.ir.interpret import NondetRead, Trace, repeating, run
from solomonic.reason.replay import given_inputs, replay_record
from solomonic.reason.result import UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.system import build_system


@dataclass(frozen=True)
class Confirmation:
    confirmed: bool | None  # None: an unknown, which carries no evidence
    message: str  # what was checked, or what the real run did, in words
    replay: dict | None = None  # a no's: the run just made, in a witness's "replay" form
    reproducer: str | None = None  # a no's: that run's script


def confirm(function: Function, result: Result, timeout_s: float) -> Confirmation:
    """Whether `result`'s evidence shows its verdict of `function` (lowered from the source as it is now).
    The evidence comes from outside (a results file, a store on disk) and may be malformed in any way:
    whatever it makes the check raise is a check that failed, said with the exception, never a crash."""
    if result.verdict == Verdict.UNKNOWN:
        return Confirmation(None, "unknown: nothing to re-check")
    try:
        return _confirm(function, result, timeout_s)
    except Exception as err:  # see the docstring: malformed evidence shows nothing
        return Confirmation(False, f"the evidence cannot be read: {type(err).__name__}: {err}")


def _confirm(function: Function, result: Result, timeout_s: float) -> Confirmation:
    if result.verdict == Verdict.NO and result.property == "terminates":
        found = confirm_nontermination(function, result.witness or {}, timeout_s)
        if isinstance(found, str):
            return Confirmation(False, f"witness does not re-check: {found}")
        return Confirmation(True, f"lasso re-checked, witness replayed: {found.observed}",
                            replay_record(True, found.observed), found.reproducer)
    if result.verdict == Verdict.NO:
        return _replay(function, result, timeout_s)
    if (result.certificate or {}).get("kind") == "complete execution":
        problem = execution.confirm(function, result.certificate or {}, result.property, timeout_s)
    elif (result.certificate or {}).get("kind") == "exhaustive execution":
        problem = enumeration.confirm(function, result.certificate or {}, result.property, timeout_s)
    elif result.property == "terminates":
        problem = check_certificate(function, result.certificate or {}, timeout_s)
    else:
        problem = _check_proof(function, result, timeout_s)
    said = "certificate re-checked" if problem is None else f"certificate fails: {problem}"
    return Confirmation(problem is None, said)


def _check_proof(function: Function, r: Result, timeout_s: float) -> str | None:
    errors = error_kinds(r.property)
    poison = UNDEFINED_BEHAVIOUR - errors if function.language == "c" else set()
    cert = r.certificate or {}
    kind = cert.get("kind")
    summaries = {name: [Fact.from_json(f) for f in facts] for name, facts in cert.get("summaries", {}).items()}
    if not set(summaries) <= set(function.procedures):
        return "the certificate's summaries name procedures the function does not have"
    graph = call_free(function, summaries)
    if kind == "no failure point":
        kinds = {ev.kind for ev in graph.cfg.events.values()}
        return "the function now contains failure points" if kinds & (errors | poison) else None
    system = build_system(graph, errors, poison)
    if kind == "inductive invariants":
        invariants = [certificate.Invariant.from_json(d) for d in cert.get("invariants", [])]
        return certificate.check(system, invariants, timeout_s)[0]
    if kind == "bounded exploration":
        return bmc.exhaustive(system, int(cert["depth"]), timeout_s, ["bv", "int"])[0]
    return f"unknown certificate kind {kind!r}"


def _replay(function: Function, r: Result, timeout_s: float) -> Confirmation:
    """The witness's call, run for real as the analysis that found it ran it: its inputs (a bool
    parameter's as a bool), and in C the nondeterministic values it read; a witness of a recursion that
    repeats an activation confirms on a stack overflow too."""
    witness = r.witness or {}
    try:
        inputs = given_inputs(function, witness.get("inputs", {}))
    except ValueError as err:
        return Confirmation(False, str(err))
    if function.language == "python":
        from solomonic.reason.replay.python import call_arguments, replay

        ran = replay(function.file, function.name, call_arguments(function, inputs), r.property, timeout_s)
        return _replayed(ran.confirmed, ran.observed, ran.reproducer)
    from solomonic.reason.replay.c import replay as replay_c

    reads = [NondetRead(n["origin"], n["type"], n["value"], n["line"]) for n in witness.get("nondet", [])]
    outcome = replay_c(function, inputs, Trace(reads=reads), r.property, timeout_s,
                       recursion="repeated_call" in witness)
    return _replayed(outcome.confirmed, outcome.observed, outcome.reproducer)


def _replayed(confirmed: bool, observed: str, reproducer: str) -> Confirmation:
    said = "witness replayed: " if confirmed else "witness does not replay: "
    return Confirmation(confirmed, said + observed, replay_record(confirmed, observed), reproducer)


MAX_LASSO_DEPTH = 64  # loop iterations the lasso search unrolls at most (analysis.py): a stem is no longer
RECURSION_STEPS = 1_000_000  # interpreter steps a repeated call's run may take


@dataclass(frozen=True)
class Shown:
    """A non-termination witness re-established: what the real run did, and its script."""

    observed: str
    reproducer: str


def confirm_nontermination(function: Function, witness: dict, timeout_s: float) -> Shown | str:
    """A "terminates: no" re-established from its witness as `check` established it, or why not: the
    lasso the witness names found again from its inputs on the function's exact formulas, then (by
    the termination engine's own confirmation) followed by the IR interpreter and run for real.

    - `cycle` [j, k]: the state at step j comes back at step k;
    - `recurrent_set` (a loop) or `recurrent_calls` (a chain of calls): the set, parsed from its text,
      is closed (certify/recurrent.py), and a run from the inputs reaches it within the lasso search's
      depth;
    - `repeated_call`: the program, run by the IR interpreter on the inputs and the witness's values,
      calls a function again with the same arguments while its first call is still running."""
    deadline = time.monotonic() + timeout_s
    inputs = given_inputs(function, witness.get("inputs", {}))
    if "repeated_call" in witness:
        return _repeated_call(function, inputs, [int(n["value"]) for n in witness.get("nondet", [])])
    if "own_loop" in witness:
        return _own_loop(function, inputs, [int(n["value"]) for n in witness.get("nondet", [])])
    calls = "recurrent_calls" in witness or ("cycle" in witness and bool(function.procedures))
    if calls and function.language != "python":
        return "a chain of calls is a witness of Python functions only"
    if not calls and function.procedures:
        return "a loop's lasso cannot show that a recursive function does not return"
    search = DescentSearch(function, deadline) if calls else LassoSearch(function, deadline)
    unroller = _unroller(search, function, inputs)
    if "cycle" in witness:
        j, k = (int(step) for step in witness["cycle"])
        if not 0 <= j < k <= MAX_LASSO_DEPTH:
            return f"the cycle's steps {j} and {k} are not a lasso the search can find"
        while unroller.depth < k:
            unroller.extend()
        heads = {unroller.location_code[c]: c for loop in search.loops for c in loop}
        repeat = z3.Or(*[z3.And(unroller._pc(j) == code, unroller._pc(k) == code,
                                *[unroller.steps[j][v] == unroller.steps[k][v] for v in search.system.params[c]])
                         for code, c in heads.items()], unroller.ctx)
        if _check(unroller, [repeat], deadline) != z3.sat:
            return f"from its inputs, no state at step {j} comes back at step {k}"
        return _shown(search.confirm_cycle(unroller.counterexample(), j, k))
    recurrent = witness.get("recurrent_calls") or witness.get("recurrent_set")
    if not isinstance(recurrent, dict):
        return "the witness names no lasso (a cycle, a recurrent set or a repeated call)"
    return _recurrent(search, unroller, recurrent, deadline)


def _recurrent(search: LassoSearch, unroller: bmc.Unroller, recurrent: dict, deadline: float) -> Shown | str:
    """The set closed at a loop head of its line, and reached there from the inputs."""
    line, system = int(recurrent["line"]), search.system
    choice = {int(c["edge"]): int(c["value"]) for c in recurrent.get("choices", [])}
    chosen = {n: choice[e] for n, e in system.nondet_edges.items() if e in choice}
    why = f"no loop head at line {line}"
    for head in [c for c in system.cutpoints[1:] if search.line(c) == line]:
        invariant = Invariant(head, line, [(v.name, int_sort_name(v.type)) for v in system.params[head]],
                              str(recurrent["smt2"]), str(recurrent.get("formula", "")))
        why = not_closed(system, invariant, max(0.05, deadline - time.monotonic()), choice) or ""
        if why:
            continue
        formula, constants = parse_invariant(invariant, unroller.ctx)
        for depth in range(MAX_LASSO_DEPTH + 1):
            while unroller.depth < depth:
                unroller.extend()
            at = [(constants[v.name], unroller.steps[depth][v]) for v in system.params[head]]
            inside = z3.And(unroller._pc(depth) == unroller.location_code[head],
                            z3.substitute(formula, *at) if at else formula)
            status = _check(unroller, [inside], deadline)
            if status == z3.sat:
                return _shown(search.confirm_recurrent(unroller.counterexample(), head, formula, chosen))
            if status == z3.unknown:
                return "whether a run from its inputs reaches the set was not decided in time"
        why = f"no run from its inputs reaches the set within {MAX_LASSO_DEPTH} steps"
    return f"the recurrent set does not re-check: {why}"


def _repeated_call(function: Function, inputs: dict[Var, Value], values: list[int]) -> Shown | str:
    """The IR interpreter's run repeats an activation; then the real run must show it as
    `LassoSearch.confirm_recursion` requires: Python's repeats the call, C's does not return (its stack
    overflows, or it still runs, given the values of the repeated part again and again)."""
    supply = iter(values)
    trace = run(function, inputs, lambda edge, step, stmt: next(supply, default_value(stmt.target.type)), set(),
                max_steps=RECURSION_STEPS)
    if trace.outcome != "recursion" or trace.repeat is None:
        return f"the program's calls do not repeat ({trace.event.message if trace.event else trace.outcome})"
    if function.language == "python":
        from solomonic.reason.replay.python import call_arguments, replay

        ran = replay(function.file, function.name, call_arguments(function, inputs), PROPERTY, REPLAY_S)
        if not ran.confirmed or "called itself again" not in ran.observed:
            return f"the real run did not repeat the call ({ran.observed})"
        return Shown(ran.observed, ran.reproducer)
    from solomonic.reason.replay.c import replay as replay_c

    reads = repeating(trace.reads, trace.repeat.reads, RECURSION_VALUES)
    outcome = replay_c(function, inputs, Trace(lines=trace.lines, reads=reads), PROPERTY, REPLAY_S, recursion=True)
    if not outcome.confirmed:
        return f"the real run did not confirm it ({outcome.observed})"
    return Shown(outcome.observed, outcome.reproducer)


def _own_loop(function: Function, inputs: dict[Var, Value], values: list[int]) -> Shown | str:
    """The IR interpreter's run, calls and all, comes back to a state of the function's own loop with
    every call returned (`recursion.own_loop_cycle`); then the real run must still be going when its
    time is up, as `LassoSearch.confirm_own_loop` requires."""
    cycle = own_loop_cycle(function, inputs, list(values), RECURSION_STEPS)
    if cycle is None:
        return "the program's own loops come back to no state it had"
    ran = replay_own_loop(function, inputs, cycle)
    if not ran.confirmed:
        return f"the real run did not confirm it ({ran.observed})"
    return Shown(ran.observed, ran.reproducer)


def _unroller(search: LassoSearch, function: Function, inputs: dict[Var, Value]) -> bmc.Unroller:
    """The search's system unrolled from the witness's inputs (matched by source name: a chain of calls
    is searched on a copy of the function), every cell of a list fixed too."""
    unroller = bmc.Unroller(search.system, "int")
    given = {i.display: inputs[i.var] for i in function.inputs}
    enc = unroller.enc
    for i in search.function.inputs:
        term = unroller.steps[0].get(i.var)
        if term is None:  # not read before it is written
            continue
        value, t = given[i.display], i.var.type
        if isinstance(value, ArrayValue) and isinstance(t, ArrayType):
            unroller.solver.add(*[z3.Select(term, enc.value(k, t.index)) == enc.value(x, t.elem)
                                  for k, x in value.entries])
        elif isinstance(value, int):
            unroller.solver.add(term == enc.value(value, t))
    return unroller


def _check(unroller: bmc.Unroller, assumptions: list[z3.BoolRef], deadline: float) -> z3.CheckSatResult:
    unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
    return unroller.solver.check(*assumptions)


def _shown(confirmed: Result | str) -> Shown | str:
    """What the termination engine's confirmation gave: its witness's real run, or why not."""
    if isinstance(confirmed, str):
        return confirmed
    return Shown(str((confirmed.witness or {})["replay"]["observed"]), confirmed.reproducer or "")
