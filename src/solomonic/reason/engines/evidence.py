"""Re-check a stored answer's evidence against a function, trusting nothing of the search that found it.

A yes stands on its certificate, checked again against the function's exact formulas (invariants by
validity queries, bounded proofs by a fresh exhaustive unrolling, rankings step by step); a no stands
on its witness, run again for real (Python's call, C's compiled harness). Two callers need exactly this
and nothing more: `solomonic recheck`, on a results file, and the proof memory, on an answer it is about
to serve, so that a stale, corrupted or planted answer is caught before anyone reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from solomonic.reason.certify import certificate
from solomonic.reason.engines import bmc
from solomonic.reason.engines.termination.check import check_certificate
from solomonic.reason.engines.termination.lasso import REPLAY_S
from solomonic.reason.ir import Function
from solomonic.reason.ir.interpret import NondetRead, Trace
from solomonic.reason.replay import replay_record
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Result, Verdict
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
    if result.verdict == Verdict.NO:
        # A non-termination witness stands on a run still going after REPLAY_S, as the analysis required
        # whatever its timeout: a shorter run would let a loop that ends later pass.
        return _replay(function, result, REPLAY_S if result.property == "terminates" else timeout_s)
    if result.property == "terminates":
        problem = check_certificate(function, result.certificate or {}, timeout_s)
    else:
        problem = _check_proof(function, result, timeout_s)
    said = "certificate re-checked" if problem is None else f"certificate fails: {problem}"
    return Confirmation(problem is None, said)


def _check_proof(function: Function, r: Result, timeout_s: float) -> str | None:
    errors = PROPERTY_ERRORS[r.property]
    poison = UNDEFINED_BEHAVIOUR - errors if function.language == "c" else set()
    cert = r.certificate or {}
    kind = cert.get("kind")
    if kind == "no failure point":
        kinds = {ev.kind for ev in function.cfg.events.values()}
        return "the function now contains failure points" if kinds & (errors | poison) else None
    system = build_system(function, errors, poison)
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
    given = witness.get("inputs", {})
    missing = [i.display for i in function.inputs if i.display not in given]
    if missing:
        return Confirmation(False, f"the witness gives no value for {', '.join(missing)}")
    if function.language == "python":
        from solomonic.reason.replay.python import call_arguments, replay

        arguments = call_arguments(function, {i.var: given[i.display] for i in function.inputs})
        ran = replay(function.file, function.name, arguments, r.property, timeout_s)
        return _replayed(ran.confirmed, ran.observed, ran.reproducer)
    from solomonic.reason.replay.c import replay as replay_c

    inputs = {i.var: int(given[i.display]) for i in function.inputs}
    reads = [NondetRead(n["origin"], n["type"], n["value"], n["line"]) for n in witness.get("nondet", [])]
    outcome = replay_c(function, inputs, Trace(reads=reads), r.property, timeout_s,
                       recursion="repeated_call" in witness)
    return _replayed(outcome.confirmed, outcome.observed, outcome.reproducer)


def _replayed(confirmed: bool, observed: str, reproducer: str) -> Confirmation:
    said = "witness replayed: " if confirmed else "witness does not replay: "
    return Confirmation(confirmed, said + observed, replay_record(confirmed, observed), reproducer)
