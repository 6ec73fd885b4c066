"""The campaign's ledger: one line per judged batch, kept in the repository.

Issue 30 asks for tens of thousands of judged functions, which is more core-hours than one machine lives:
the batch cache (`--cache`, one JSONL file per batch with every answer) stays on the machine that made it,
and a new machine starts with none. The ledger keeps what the acceptance counts — per batch its settings,
the code's commit, the yes / no / unknown counts per property, the unknowns by reason and every
disagreement in full — small enough to commit, so that campaigns run on different days add up. Any line
can be made again: a batch is determined by its kind, seed, index and size, and the commit says which code
answered it.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

from solomonic.reason.report import reason_category

VERDICTS = ("yes", "no", "unknown")
KEY = ("kind", "seed", "index", "size", "version", "timeout")
UNITS = {"c": "generated C functions", "csmith": "csmith programs", "python": "generated Python functions"}


def entry(header: dict, record: dict) -> dict:
    """One batch's line: its header, the code that answered (the commit the batch's record names: a batch
    read back from the cache was answered by the code of its time), how long, its counts and its
    disagreements."""
    if "verdicts" in record:  # the Python part counts as it goes
        counts = {p: {v: by.get(v, 0) for v in VERDICTS} for p, by in record["verdicts"].items()}
        reasons = Counter(record["unknown_reasons"])
        units = record["functions"]
    else:
        counts = {}
        for a in record["answers"]:
            counts.setdefault(a["property"], dict.fromkeys(VERDICTS, 0))[a["verdict"]] += 1
        reasons = Counter(reason_category(a["reason"]) for a in record["answers"] if a["verdict"] == "unknown")
        units = 1 if header["kind"] == "csmith" else header["size"]
    notes = [record[k] for k in ("refused", "skipped", "error") if k in record]
    return {**header, "units": units, "commit": record.get("commit"), "seconds": record.get("seconds", 0.0),
            "by_property": dict(sorted(counts.items())), "unknown_reasons": dict(reasons.most_common()),
            "replay_rejected": len(record.get("replay_rejected", [])), "notes": notes,
            "disagreements": record["disagreements"]}


def add(path: Path, header: dict, record: dict) -> None:
    """Append the batch's line unless the ledger has it (a resumed campaign reads its batches back)."""
    key = tuple(header.get(k) for k in KEY)
    if any(tuple(line.get(k) for k in KEY) == key for line in read(path)):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write(json.dumps(entry(header, record)) + "\n")


def read(path: Path) -> list[dict]:
    """The ledger's lines; a torn last line (a kill mid-write) is left out, and its batch is added again."""
    if not path.exists():
        return []
    lines = []
    for text in path.read_text().splitlines():
        try:
            lines.append(json.loads(text))
        except json.JSONDecodeError:
            continue
    return lines


def totals(lines: list[dict]) -> dict:
    """Per kind: the seeds, how many functions or programs, the counts per property, every disagreement."""
    out: dict[str, dict] = {}
    for line in lines:
        kind = out.setdefault(line["kind"], {"seeds": set(), "units": 0, "batches": 0, "seconds": 0.0,
                                             "by_property": {}, "disagreements": [], "commits": set()})
        kind["seeds"].add(line["seed"])
        kind["units"] += line["units"]
        kind["batches"] += 1
        kind["seconds"] += line["seconds"]
        kind["commits"].add(line["commit"])
        kind["disagreements"] += line["disagreements"]
        for prop, counts in line["by_property"].items():
            into = kind["by_property"].setdefault(prop, dict.fromkeys(VERDICTS, 0))
            for v in VERDICTS:
                into[v] += counts[v]
    for kind in out.values():
        kind["seeds"] = sorted(kind["seeds"])
        kind["commits"] = sorted(c or "unknown" for c in kind["commits"])
        kind["seconds"] = round(kind["seconds"], 1)
        kind["by_property"] = dict(sorted(kind["by_property"].items()))
    return out


def markdown(path: Path) -> list[str]:
    """The ledger's totals as a table for docs/benchmarks.md."""
    summed = totals(read(path))
    if not summed:
        return []
    lines = [f"Every campaign in the ledger (`{path}`, one line per batch, {sum(k['batches'] for k in summed.values())}"
             " batches):", "",
             "| part | seeds | judged | property | yes | no | unknown |", "|---|---|---:|---|---:|---:|---:|"]
    for name, kind in summed.items():
        for prop, t in kind["by_property"].items():
            lines.append(f"| {name} | {', '.join(map(str, kind['seeds']))} | {kind['units']} {UNITS[name]} | {prop} | "
                         f"{t['yes']} | {t['no']} | {t['unknown']} |")
    disagreements = sum(len(k["disagreements"]) for k in summed.values())
    lines += ["", f"**Disagreements in the ledger: {disagreements}.**", ""]
    return lines


def commit() -> str | None:
    """The commit of the code that answered (None outside a git checkout)."""
    src = Path(__file__).parents[3]
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=src, capture_output=True, text=True,
                              timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=src, capture_output=True, text=True,
                               timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() + ("+changes" if dirty else "")
