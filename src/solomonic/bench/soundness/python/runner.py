"""CPython as the Python part's executor: a plan of calls run in a separate interpreter, under CPU-time,
wall-clock and memory bounds, so that a crash or a hang in compiled code costs one function.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

# CPU seconds per run. The writer's terminating loops take at most a few milliseconds; a sampled run
# past SAMPLE_BOUND_S is a hang. After HANGS_BEFORE_SHORT hangs in one function its remaining samples get
# SHORT_BOUND_S (still several times the slowest terminating run), so that a function that loops on most
# inputs costs the judge a second, not a minute. Witness replays and re-runs of suspects get LONG_BOUND_S.
SAMPLE_BOUND_S = 0.1
SHORT_BOUND_S = 0.02
HANGS_BEFORE_SHORT = 3
LONG_BOUND_S = 2.0
RUNNER_MEMORY_MB = 2048
WALL_BASE_S = 20

# Runs in a fresh interpreter: argv = plan file, output file, index of the first function to run. One
# line when a function starts and one with its outcomes when it ends, so that the parent can tell which
# function a crash or a hang in compiled code happened in, and start again after it.
_RUNNER = r"""
import importlib.util, json, resource, signal, sys
plan_path, out_path, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(plan_path) as f:
    plan = json.load(f)
limit = plan["memory_mb"] << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
getattr(sys, "set_int_max_str_digits", lambda digits: None)(0)  # Python 3.11+: repr of big ints
spec = importlib.util.spec_from_file_location("solomonic_soundness_batch", plan["module"])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)

class Hang(BaseException):
    pass

def expire(signum, frame):
    raise Hang

signal.signal(signal.SIGVTALRM, expire)
out = open(out_path, "a")
for item in plan["functions"][start:]:
    out.write(json.dumps({"begin": item["name"]}) + "\n")
    out.flush()
    signal.alarm(item["wall"])
    function = getattr(module, item["name"])
    outcomes, hangs = [], 0
    for args, bound in item["rows"]:
        if hangs >= plan["hangs_before_short"] and bound <= plan["sample_bound"]:
            bound = min(bound, plan["short_bound"])
        result = None
        try:
            signal.setitimer(signal.ITIMER_VIRTUAL, bound)
            try:
                value = function(*args)
                result = ["ret", bool(value), repr(value)[:80]]
            finally:
                signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        except Hang:
            if result is None:
                result = ["hang", bound]
                hangs += 1
        except BaseException as exc:
            result = ["raise", type(exc).__name__, str(exc)[:80]]
        outcomes.append(result)
    out.write(json.dumps({"end": item["name"], "outcomes": outcomes}) + "\n")
    out.flush()
signal.alarm(0)
"""


class _RunnerItem(TypedDict):
    name: str
    rows: list[tuple[list, float]]
    wall: int


def run_rows(module: Path, plan: dict[str, list[tuple[list, float]]], workdir: Path) -> dict[str, list]:
    """Each function of `plan` called on its rows (arguments, CPU-second bound) in a separate interpreter.

    An outcome is ["ret", truthy, repr], ["raise", exception, message] or ["hang", bound]. A function
    whose runner died or overran its wall-clock allowance gets ["crash", what happened] for every row."""
    # A function's wall-clock allowance (SIGALRM, whose default action ends the runner even inside a long
    # big-integer operation, which SIGVTALRM cannot interrupt): far above its rows' CPU bounds.
    items = [_RunnerItem(name=name, rows=rows, wall=int(WALL_BASE_S + 3 * sum(b for _, b in rows)))
             for name, rows in plan.items()]
    plan_path, out_path = workdir / "plan.json", workdir / "outcomes.jsonl"
    plan_path.write_text(json.dumps({"module": str(module), "functions": items, "memory_mb": RUNNER_MEMORY_MB,
                                     "sample_bound": SAMPLE_BOUND_S, "short_bound": SHORT_BOUND_S,
                                     "hangs_before_short": HANGS_BEFORE_SHORT}))
    out_path.write_text("")
    results: dict[str, list] = {}
    start = 0
    while start < len(items):
        allowance = WALL_BASE_S + sum(item["wall"] for item in items[start:])
        failure = ""
        try:
            done = subprocess.run([sys.executable, "-c", _RUNNER, str(plan_path), str(out_path), str(start)],
                                  timeout=allowance, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if done.returncode == -signal.SIGALRM:
                failure = "the runner was still in this function at its wall-clock allowance"
            elif done.returncode != 0:
                failure = f"the runner exited with status {done.returncode}: {done.stderr.strip()[-300:]}"
        except subprocess.TimeoutExpired:
            failure = f"the runner was still going after {allowance:.0f} s of wall-clock time"
        begun = None
        for line in out_path.read_text().splitlines():
            record = json.loads(line)
            if "begin" in record:
                begun = record["begin"]
            else:
                results[record["end"]] = record["outcomes"]
                begun = None
        if begun is not None:
            results[begun] = [["crash", failure or "the runner stopped in this function"]] * len(plan[begun])
        elif failure:  # died before its first function: the module itself cannot be run
            for item in items[start:]:
                results.setdefault(item["name"], [["crash", failure]] * len(item["rows"]))
        start = len(results)
    return results
