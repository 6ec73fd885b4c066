"""`solomonic bench termination`: the SV-COMP termination tasks, twice.

The first run starts from an empty proof memory and analyses every task; the second asks the same
questions again and must answer every task the first decided from memory, with the same verdict, in
milliseconds of analysis (process start and parsing aside). Both runs' tables go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from solomonic.bench.record import provenance, stamp, update_section, write_json
from solomonic.reason.report import reason_category


def run(args: argparse.Namespace) -> int:
    from solomonic.reason import svcomp

    with tempfile.TemporaryDirectory(prefix="solomonic-memory-") as folder:
        memory = str(Path(folder) / "proofs.sqlite")
        first = svcomp.run(args.paths, "termination", args.timeout, jobs=args.jobs, memory=memory)
        second = svcomp.run(args.paths, "termination", args.timeout, jobs=args.jobs, memory=memory)
    decided = {t["task"]: t["verdict"] for t in first["tasks"] if t["verdict"] != "unknown"}
    again = {t["task"]: t for t in second["tasks"]}
    recall = {
        "decided in the first run": len(decided),
        "answered from memory": sum(again[name]["from_memory"] for name in decided),
        "same verdict": sum(again[name]["verdict"] == verdict for name, verdict in decided.items()),
        "slowest analysis from memory (s)": max((again[name]["analysis_seconds"] for name in decided), default=0.0),
    }
    results = {**stamp(), "first": first, "second": second, "memory": recall}
    write_json(args.output, results)
    text = markdown(results, args)
    update_section(args.docs, "termination", text)
    print(text)
    wrong = first["summary"]["wrong true"] + first["summary"]["wrong false"]
    return 1 if wrong or recall["same verdict"] != len(decided) else 0


def markdown(results: dict, args: argparse.Namespace) -> str:
    s, m = results["first"]["summary"], results["memory"]
    lines = [*provenance(results),
             f"SV-COMP termination tasks ({', '.join(Path(p).name for p in args.paths)}), timeout {s['timeout s']:g} s "
             f"per task, {args.jobs} at a time, starting from an empty proof memory:", "",
             "| tasks | score | max | % of max | correct true | correct false | unknown | wrong | median s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
             f"| {s['tasks']} | {s['score']} | {s['max score']} | {s['score %']} | {s['correct true']} | "
             f"{s['correct false']} | {s['unknown']} | {s['wrong true'] + s['wrong false']} | {s['median seconds']} |",
             "", f"The same run again: {m['answered from memory']} of the {m['decided in the first run']} decided tasks "
             f"answered from the proof memory, {m['same verdict']} with the same verdict; the slowest took "
             f"{1000 * m['slowest analysis from memory (s)']:.0f} ms of analysis (median wall time per task, with "
             f"process start and parsing: {results['second']['summary']['median seconds']} s).", "",
             "Unknowns by reason (first run):", ""]
    reasons = Counter(reason_category(t["reason"]) for t in results["first"]["tasks"] if t["verdict"] == "unknown")
    lines += [f"- {n} × {r}" for r, n in reasons.most_common()]
    lines += ["", "<details><summary>per task</summary>", "", "| task | expected | verdict | points | s | reason |",
              "|---|---|---|---:|---:|---|"]
    for t in results["first"]["tasks"]:
        reason = t["reason"].replace("|", "\\|")[:100]
        lines.append(f"| {Path(t['task']).stem} | {t['expected']} | {t['verdict']} | {t['points']} | {t['seconds']} | "
                     f"{reason} |")
    lines += ["", "</details>"]
    return "\n".join(lines)
