"""`solomonic recheck RESULT.json`: trust nothing from an earlier run but its evidence.

Each `yes` has its certificate checked again from the source (invariants by validity queries, bounded
proofs by a fresh exhaustive unrolling); each `no` has its witness replayed for real. The analysis
engines are not involved.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from solomonic.reason.api import CheckOptions, load
from solomonic.reason.certify import certificate
from solomonic.reason.engines import bmc
from solomonic.reason.engines.termination.check import check_certificate
from solomonic.reason.engines.termination.lasso import REPLAY_S
from solomonic.reason.ir import BadInput, Unsupported
from solomonic.reason.ir.interpret import NondetRead, Trace
from solomonic.reason.isolate import Job, run_jobs
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.system import build_system


@dataclass
class Recheck:
    result: Result
    confirmed: bool | None  # None: nothing to check (an unknown)
    message: str


def read_results(path: str) -> list[Result]:
    try:
        with open(path) as f:
            data = json.load(f)
        return [Result.from_json(d) for d in data]
    except OSError as err:
        raise BadInput(f"{path}: cannot be read: {err.strerror}") from None
    except (json.JSONDecodeError, TypeError, KeyError, ValueError) as err:
        raise BadInput(f"{path}: not a results file from `solomonic check --format json` ({err})") from None


def recheck_one(r: Result, timeout_s: float) -> tuple[bool | None, str]:
    if r.verdict == Verdict.UNKNOWN:
        return None, "unknown: nothing to re-check"
    details = r.details or {}
    options = CheckOptions(timeout_s=timeout_s, data_model=details.get("data_model", "LP64"),
                           include_dirs=tuple(details.get("include_dirs", ())),
                           defines=tuple(details.get("defines", ())),
                           param_types=tuple(details.get("param_types", {}).items()))
    note = ""
    try:
        with open(r.file, "rb") as f:
            if details.get("sha256") and hashlib.sha256(f.read()).hexdigest() != details["sha256"]:
                note = " (the file has changed since the analysis)"
    except OSError as err:
        return False, f"cannot read {r.file}: {err.strerror}"
    try:
        function = load(r.file, options).lower(r.function)
    except (BadInput, Unsupported) as err:
        return False, f"cannot rebuild the function: {err}{note}"
    if r.property == "terminates":
        if r.verdict == Verdict.YES:
            problem = check_certificate(function, r.certificate or {}, timeout_s)
            return problem is None, ("certificate re-checked" if problem is None else f"certificate fails: {problem}") + note
        return _replay(function, r, note, min(timeout_s, REPLAY_S))
    errors = PROPERTY_ERRORS[r.property]
    poison = UNDEFINED_BEHAVIOUR - errors if function.language == "c" else set()
    if r.verdict == Verdict.YES:
        problem = _check_proof(function, r, errors, poison, timeout_s)
        return problem is None, ("certificate re-checked" if problem is None else f"certificate fails: {problem}") + note
    return _replay(function, r, note, timeout_s)


def _check_proof(function, r: Result, errors, poison, timeout_s: float) -> str | None:
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


def _replay(function, r: Result, note: str, timeout_s: float) -> tuple[bool, str]:
    witness = r.witness or {}
    given = witness.get("inputs", {})
    if function.language == "python":
        from solomonic.reason.replay.python import replay

        args = [given[i.display] for i in function.inputs]
        outcome = replay(function.file, function.name, args, r.property, timeout_s)
    else:
        from solomonic.reason.replay.c import replay

        inputs = {i.var: int(given[i.display]) for i in function.inputs}
        reads = [NondetRead(n["origin"], n["type"], n["value"], n["line"]) for n in witness.get("nondet", [])]
        outcome = replay(function, inputs, Trace(reads=reads), r.property, timeout_s)
    verdict = "witness replayed: " if outcome.confirmed else "witness does not replay: "
    return outcome.confirmed, verdict + outcome.observed + note


def recheck(path: str, timeout_s: float = 30.0, jobs: int = 1) -> list[Recheck]:
    results = read_results(path)
    job_list = [Job(i, lambda r=r: recheck_one(r, timeout_s), timeout_s) for i, r in enumerate(results)]
    out: dict[int, Recheck] = {}
    for outcome in run_jobs(job_list, parallel=jobs):
        r = results[outcome.key]
        if outcome.value is None:
            out[outcome.key] = Recheck(r, False, f"re-check did not finish: {outcome.failure.splitlines()[0]}")
        else:
            confirmed, message = outcome.value
            out[outcome.key] = Recheck(r, confirmed, message)
    return [out[i] for i in range(len(results))]
