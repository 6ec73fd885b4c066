"""`solomonic bench termination`: the SV-COMP termination tasks, twice.

The first run starts from an empty proof memory and analyses every task; the second asks the same
questions again and must answer every task the first decided with the same verdict, from memory where
the answer is kept, in milliseconds of analysis (process start and parsing aside). A served answer is
re-checked first (a yes's certificate), so its analysis time is that check's: the second run's times
are summed up per verdict, for the answers served and for those analysed again (a no of `terminates`
is never kept), and each answer served is set against its own analysis in the first run (a re-check
must stay far faster than the analysis it spares). Both runs' tables go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
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
        "slowest analysis from memory (s)": max((again[name]["analysis_seconds"] for name in decided
                                                 if again[name]["from_memory"]), default=0.0),
        "second run by verdict": by_verdict([again[name] for name in decided]),
        "served against analysed": served_against_analysed(first["tasks"], again),
    }
    results = {**stamp(), "first": first, "second": second, "memory": recall}
    write_json(args.output, results)
    text = markdown(results, args)
    update_section(args.docs, "termination", text)
    print(text)
    wrong = first["summary"]["wrong true"] + first["summary"]["wrong false"]
    return 1 if wrong or recall["same verdict"] != len(decided) else 0


def by_verdict(tasks: list[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """verdict -> "from memory" or "analysed again" -> how many, and the median and slowest analysis (s)."""
    groups: dict[str, dict[str, list[float]]] = {}
    for t in tasks:
        how = "from memory" if t["from_memory"] else "analysed again"
        groups.setdefault(t["verdict"], {}).setdefault(how, []).append(t["analysis_seconds"])
    return {verdict: {how: {"tasks": len(times), "median s": statistics.median(times), "slowest s": max(times)}
                      for how, times in sorted(hows.items())}
            for verdict, hows in sorted(groups.items())}


def served_against_analysed(first: list[dict], again: dict[str, dict]) -> dict:
    """Each answer served from memory against its own analysis in the first run (both in the same run
    of the benchmark, so on the same machine under the same load): the medians, the median ratio, and
    the task whose re-check came closest to its analysis."""
    pairs = [(t["task"], t["analysis_seconds"], again[t["task"]]["analysis_seconds"]) for t in first
             if t["task"] in again and again[t["task"]]["from_memory"] and t["verdict"] != "unknown"]
    if not pairs:
        return {}
    ratios = {task: analysed / max(served, 1e-4) for task, analysed, served in pairs}
    closest = min(ratios, key=ratios.__getitem__)
    return {"tasks": len(pairs), "median analysis s": statistics.median(a for _, a, _ in pairs),
            "median served s": statistics.median(s for _, _, s in pairs),
            "median ratio": statistics.median(ratios.values()),
            "closest task": Path(closest).stem, "closest ratio": ratios[closest],
            "closest": {"analysis s": next(a for t, a, _ in pairs if t == closest),
                        "served s": next(s for t, _, s in pairs if t == closest)}}


def served_paragraph(v: dict) -> list[str]:
    if not v:
        return []
    c = v["closest"]
    return [f"Each of the {v['tasks']} served answers against its own analysis in the first run: median "
            f"{1000 * v['median served s']:.0f} ms served against {v['median analysis s']:.2f} s analysed, the "
            f"analysis {v['median ratio']:.0f}× as long (median of the per-task ratios); closest, "
            f"{v['closest task']}: {1000 * c['served s']:.0f} ms against {c['analysis s']:.2f} s "
            f"({v['closest ratio']:.1f}×).", ""]


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
             f"answered from the proof memory, {m['same verdict']} with the same verdict; the slowest of those served took "
             f"{1000 * m['slowest analysis from memory (s)']:.0f} ms of analysis (median wall time per task, with "
             f"process start and parsing: {results['second']['summary']['median seconds']} s).", "",
             "Analysis time of the same run, by verdict (a served answer's is its re-check):", "",
             "| verdict | answered | tasks | median ms | slowest ms |", "|---|---|---:|---:|---:|",
             *[f"| {verdict} | {how} | {g['tasks']} | {1000 * g['median s']:.0f} | {1000 * g['slowest s']:.0f} |"
               for verdict, hows in m.get("second run by verdict", {}).items() for how, g in hows.items()], "",
             *served_paragraph(m.get("served against analysed", {})),
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
