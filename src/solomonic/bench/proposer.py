"""`solomonic bench proposer`: SV-COMP tasks without and with the learned proposer (issue 28).

Both runs are made in the same process, one after the other, on the same tasks and without a proof
memory (each answers from scratch), so their unknowns and times compare: what the proposer changes is
the tasks it turns from unknown into an answer, the time it costs (asking it, and checking what it
proposes), and, never, a verdict. Each property named is run so (termination: proposals among Houdini's
candidates; unreach-call and no-overflow: Spacer starts from those Houdini keeps), and the effect is
counted over all of them. The proposer was trained on generated loops only (`solomonic proposer
corpus`), so every SV-COMP task is one it never saw. Exit status 1 on any wrong answer, or on a task
decided differently by the two runs.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from solomonic.bench.record import provenance, stamp, update_section, write_json
from solomonic.reason.report import reason_category


def run(args: argparse.Namespace) -> int:
    from solomonic.bridge.proposer import SHIPPED, Proposer
    from solomonic.reason import svcomp

    proposer = Proposer.load(Path(args.model) if args.model else SHIPPED)
    runs = {}
    for prop in args.property:
        without = svcomp.run(args.paths, prop, args.timeout, jobs=args.jobs)
        with_ = svcomp.run(args.paths, prop, args.timeout, jobs=args.jobs, proposer=proposer,
                           proposals=args.proposals)
        runs[prop] = {"without": without, "with": with_}
    results = {**stamp(), "proposer": proposer.name, "proposals per loop": args.proposals, "runs": runs,
               "effect": effect([t for r in runs.values() for t in r["without"]["tasks"]],
                                [t for r in runs.values() for t in r["with"]["tasks"]])}
    write_json(args.output, results)
    text = markdown(results, args)
    update_section(args.docs, "proposer", text)
    print(text)
    wrong = sum(r[side]["summary"]["wrong true"] + r[side]["summary"]["wrong false"]
                for r in runs.values() for side in ("without", "with"))
    return 1 if wrong or results["effect"]["decided differently"] else 0


def effect(without: list[dict], with_: list[dict]) -> dict:
    """Unknowns before and after, their relative cut, the tasks each run alone decided, and the time."""
    before = {_key(t): t for t in without}
    after = {_key(t): t for t in with_}
    unknown_before = sum(t["verdict"] == "unknown" for t in without)
    unknown_after = sum(t["verdict"] == "unknown" for t in with_)
    gained = [n for n, t in after.items() if t["verdict"] != "unknown" and before[n]["verdict"] == "unknown"]
    by_proposals = sorted(n for n in gained if after[n]["proposals_used"] > 0)

    def cut(count: int) -> float:
        return round(100 * count / unknown_before, 1) if unknown_before else 0.0

    return {
        "unknown without": unknown_before,
        "unknown with": unknown_after,
        "relative cut %": cut(unknown_before - unknown_after),
        # a task decided with the proposer whose certificate states none of its proposals was decided by
        # the engines alone (a timeout the other run happened to beat): not the proposer's doing
        "relative cut by proposals %": cut(len(by_proposals)),
        "decided only with, by a proposal": by_proposals,
        "decided only with": sorted(n for n in gained),
        "decided only without": sorted(n for n, t in before.items()
                                       if t["verdict"] != "unknown" and after[n]["verdict"] == "unknown"),
        "decided differently": sorted(n for n, t in before.items() if "unknown" not in
                                      (t["verdict"], after[n]["verdict"]) and t["verdict"] != after[n]["verdict"]),
        "tasks with proposals used": sum(t["proposals_used"] > 0 for t in with_),
        "median s without": statistics.median(t["seconds"] for t in without),
        "median s with": statistics.median(_seconds(t) for t in with_),
        "median ratio with / without": statistics.median(_seconds(after[n]) / max(t["seconds"], 1e-3)
                                                         for n, t in before.items()),
        "median s asking the proposer": statistics.median(t.get("proposing_seconds", 0.0) for t in with_),
    }


def _key(task: dict) -> str:
    """A task under one property (the same file may be asked several), as the report names it."""
    return f"{Path(task['task']).stem} ({task['property']})"


def _seconds(task: dict) -> float:
    """A task's time with the proposer: its run and the asking before it."""
    return task["seconds"] + task.get("proposing_seconds", 0.0)


def markdown(results: dict, args: argparse.Namespace) -> str:
    e = results["effect"]
    rows = []
    for prop, both in results["runs"].items():
        for name, r in (("without", both["without"]), ("with --proposer", both["with"])):
            s = r["summary"]
            rows.append(f"| {prop} | {name} | {s['tasks']} | {s['score']} | {s['max score']} | {s['correct true']} | "
                        f"{s['correct false']} | {s['unknown']} | {s['wrong true'] + s['wrong false']} | "
                        f"{s['median seconds']} |")
    lines = [*provenance(results),
             f"SV-COMP tasks ({', '.join(Path(p).name for p in args.paths)}), timeout {args.timeout:g} s "
             f"per task, {args.jobs} at a time, no proof memory; proposer `{results['proposer']}` (trained on "
             f"generated loops only: none of these tasks), {results['proposals per loop']} proposals per loop:", "",
             "| property | run | tasks | score | max | correct true | correct false | unknown | wrong | median s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|", *rows, "",
             f"Unknowns {e['unknown without']} -> {e['unknown with']} ({e['relative cut %']} % relative cut); decided "
             f"with a proposal that the certificate states, where the run without was unknown: "
             f"{', '.join(e['decided only with, by a proposal']) or 'none'} ({e['relative cut by proposals %']} % of the "
             f"unknowns: the proposer's own cut, which the acceptance asks to be >= 20 %). Decided only with the "
             f"proposer: {', '.join(e['decided only with']) or 'none'}; "
             f"only without it (its time spent on proposals): {', '.join(e['decided only without']) or 'none'}; "
             f"decided differently: {', '.join(e['decided differently']) or 'none'}. Tasks whose certificate states a "
             f"proposal: {e['tasks with proposals used']}. Median wall time per task {e['median s without']:.2f} s "
             f"without, {e['median s with']:.2f} s with, asking the proposer included (median "
             f"{e['median s asking the proposer']:.2f} s; median per-task ratio "
             f"{e['median ratio with / without']:.2f}).",
             "", "Unknowns by reason with the proposer:", ""]
    reasons: dict[str, int] = {}
    for t in (t for both in results["runs"].values() for t in both["with"]["tasks"]):
        if t["verdict"] == "unknown":
            reasons[reason_category(t["reason"])] = reasons.get(reason_category(t["reason"]), 0) + 1
    lines += [f"- {n} × {r}" for r, n in sorted(reasons.items(), key=lambda item: -item[1])]
    return "\n".join(lines)
