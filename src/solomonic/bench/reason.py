"""`solomonic bench reason`: how fast the reasoner answers, and how well, on a fixed workload.

Latency is the whole `solomonic check` call as a user runs it (interpreter start-up, imports, parsing,
the isolated analysis), median of several runs, next to `python -c pass` timed in the same run so that
a noisy machine shows as a shifted baseline. Quality is the SV-COMP score on the loops tasks.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from solomonic.bench.record import provenance, stamp, update_section, write_json

SEED = "../shared/benchmarks/seed"


def _time(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def latency(runs: int) -> dict:
    cli = [sys.executable, "-m", "solomonic", "check", "--property", "returns-true", "--function", "f"]
    commands = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "check seed_examples.c -f f -p returns-true": [*cli, f"{SEED}/seed_examples.c"],
        "check seed_examples.py -f f -p returns-true": [*cli, f"{SEED}/seed_examples.py"],
    }
    out = {}
    for name, command in commands.items():
        times = _time(command, runs)
        out[name] = {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
                     "max_s": round(max(times), 3), "runs": runs}
    base = out["python -c pass (baseline)"]["median_s"]
    for entry in out.values():
        entry["ratio_to_baseline"] = round(entry["median_s"] / base, 1) if base else None
    return out


def run(args: argparse.Namespace) -> int:
    from solomonic.reason import svcomp

    results: dict = {**stamp(), "latency": latency(args.runs)}
    if not args.quick:
        results["svcomp"] = svcomp.run([args.svcomp], "unreach-call", args.timeout, jobs=args.jobs)
    write_json(args.output, results)
    update_section(args.docs, "reason", markdown(results, args))
    print(markdown(results, args))
    return 0


def markdown(results: dict, args: argparse.Namespace) -> str:
    lines = [*provenance(results),
             "Latency of the whole command (start-up included), over "
             f"{args.runs} runs:", "", "| command | median s | min s | max s | × baseline |", "|---|---:|---:|---:|---:|"]
    for name, e in results["latency"].items():
        lines.append(f"| `{name}` | {e['median_s']} | {e['min_s']} | {e['max_s']} | {e['ratio_to_baseline']} |")
    if "svcomp" in results:
        s = results["svcomp"]["summary"]
        lines += ["", f"SV-COMP `{Path(args.svcomp).name}`, property {s['property']}, timeout {s['timeout s']:g} s "
                  f"per task, {args.jobs} in parallel:", "",
                  "| tasks | score | max | % of max | correct true | correct false | unknown | wrong | median s |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {s['tasks']} | {s['score']} | {s['max score']} | {s['score %']} | {s['correct true']} | "
                  f"{s['correct false']} | {s['unknown']} | {s['wrong true'] + s['wrong false']} | {s['median seconds']} |",
                  "", "<details><summary>per task</summary>", "", "| task | expected | verdict | points | s |",
                  "|---|---|---|---:|---:|"]
        for t in results["svcomp"]["tasks"]:
            lines.append(f"| {Path(t['task']).stem} | {t['expected']} | {t['verdict']} | {t['points']} | {t['seconds']} |")
        lines += ["", "</details>"]
    return "\n".join(lines)
