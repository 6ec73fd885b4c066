"""`solomonic recheck RESULT.json`: trust nothing from an earlier run but its evidence.

Each result's function is lowered again from its file, and its evidence checked against it by
`engines.evidence.confirm` (a yes's certificate checked again, a no's witness replayed for real, and a
non-termination witness's lasso found again before its run counts), the check the proof memory makes of
an answer before it serves it. The searches are not involved.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.ir import BadInput, Unsupported
from solomonic.reason.isolate import Job, run_jobs
from solomonic.reason.result import Result, Verdict


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
        function = load(r.file, options).lower(r.function, r.property)
    except (BadInput, Unsupported) as err:
        return False, f"cannot rebuild the function: {err}{note}"
    checked = confirm(function, r, timeout_s)
    return checked.confirmed, checked.message + note


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
