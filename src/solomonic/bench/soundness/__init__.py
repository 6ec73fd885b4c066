"""`solomonic bench soundness`: a differential campaign in which every decisive answer is checked for real.

The tool's answers are only worth something if a "yes" is never contradicted by an execution and a "no"
always comes with an execution that shows it. This bench asks many questions about programs written to
stress the front ends (C: the `c` subpackage, judged by gcc with UBSan; csmith's programs, judged the same
way; Python: the `python` subpackage, judged by CPython) and counts disagreements, which must be zero.
Unknown is always allowed; what the counts of yes and no show is how much was actually put to the test.

Each C batch and each csmith program is cached as one JSONL file (a header with the settings, one line per
answer and per disagreement, and a closing line), so a long campaign killed part-way resumes where it
stopped; the Python part is cached the same way, one batch to a file. Each judged batch also adds its counts
to the ledger (`ledger.py`), which is committed: the campaign the issue asks for outlasts any one machine.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from solomonic.bench.record import provenance, publish, stamp
from solomonic.bench.soundness import ledger
from solomonic.reason.report import reason_category

VERDICTS = ("yes", "no", "unknown")


def run(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from solomonic.bench.soundness.c import csmith, judge

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    book = Path(args.ledger) if args.ledger else None

    def judged(path: Path, header: dict, compute: Callable[[], dict]) -> dict:
        record = cached(path, header, lambda: {**compute(), "commit": ledger.commit()})
        if book is not None:
            ledger.add(book, header, record)
        return record

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    parts: dict[str, dict] = {}
    with Progress(*columns) as progress, tempfile.TemporaryDirectory(prefix="solomonic-soundness-") as folder:
        workdir = Path(folder)
        say = progress.console.print
        if args.c:
            task = progress.add_task("C", total=args.c * len(judge.PROPERTIES))
            records = []
            for index in range((args.c + args.batch - 1) // args.batch):
                size = min(args.batch, args.c - index * args.batch)
                header = {"kind": "c", "version": judge.VERSION, "seed": args.seed, "index": index, "size": size,
                          "timeout": args.timeout}
                record = judged(cache / f"c-{args.seed}-{index:04d}.jsonl", header, lambda index=index, size=size:
                                judge.run_batch(args.seed, index, size, args.timeout, args.jobs, workdir,
                                                lambda _: progress.advance(task)))
                progress.update(task, completed=sum(len(r["answers"]) for r in [*records, record]))
                records.append(record)
                say(line(f"C batch {index} ({size} functions)", record))
            parts["C"] = summarise(records)
        if args.csmith:
            include = csmith.csmith_include()
            if include is None:
                say("csmith: not installed (apt-get install csmith libcsmith-dev); skipped")
            else:
                task = progress.add_task("csmith", total=2 * args.csmith)
                records = []
                for index in range(args.csmith):
                    header = {"kind": "csmith", "version": csmith.CSMITH_VERSION, "seed": args.seed, "index": index,
                              "timeout": args.timeout}
                    record = judged(cache / f"csmith-{args.seed}-{index:04d}.jsonl", header, lambda index=index:
                                    csmith.run_csmith(args.seed, index, args.timeout, args.jobs, workdir,
                                                      lambda _: progress.advance(task)))
                    progress.update(task, completed=2 * (index + 1))
                    records.append(record)
                    say(line(f"csmith program {index}", record))
                parts["C (csmith)"] = summarise(records)
        if args.python:
            parts["Python"] = python_part(args, cache, workdir, progress, judged)
    disagreements = [d for p in parts.values() for d in p["disagreements"]]
    settings = {k: getattr(args, k) for k in ("c", "csmith", "python", "seed", "timeout", "jobs", "batch")}
    results = {**stamp(), "settings": settings, "parts": parts, "disagreements": len(disagreements)}
    if book is not None:
        results["ledger"] = {"path": str(book), **ledger.totals(ledger.read(book))}
    publish(results, "\n".join([markdown(results), "", *(ledger.markdown(book) if book else [])]), args.output,
            args.docs, "soundness")
    return 1 if disagreements else 0


def cached(path: Path, header: dict, compute: Callable[[], dict]) -> dict:
    """The record of one batch: from its JSONL file when that is complete and made with these settings,
    else computed and written (whole, by a rename, so that a killed run leaves no half of it)."""
    if path.exists():
        lines = [json.loads(ln) for ln in path.read_text().splitlines() if ln.strip()]
        if lines and lines[0] == {"header": header} and lines[-1].get("done"):
            record: dict = {"answers": [], "disagreements": [], "replay_rejected": []}
            for entry in lines[1:-1]:
                (key, value), = entry.items()
                record.setdefault(key, []).append(value)
            record.update({k: v for k, v in lines[-1].items() if k != "done"})
            return record
    started = time.monotonic()
    record = compute()
    record["seconds"] = round(time.monotonic() - started, 2)
    out = [{"header": header}]
    for key in ("answers", "disagreements", "replay_rejected"):
        out += [{key: value} for value in record.get(key, [])]
    out.append({"done": True, **{k: v for k, v in record.items() if not isinstance(v, list)}})
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(entry) + "\n" for entry in out))
    tmp.replace(path)
    return record


def line(what: str, record: dict) -> str:
    counts = Counter(a["verdict"] for a in record["answers"])
    notes = [record[k] for k in ("refused", "skipped", "error") if k in record]
    return (f"{what}: {len(record['answers'])} answers ({', '.join(f'{counts[v]} {v}' for v in VERDICTS)}), "
            f"{len(record['disagreements'])} disagreements, {record.get('seconds', 0):.0f} s"
            + "".join(f"; {n}" for n in notes))


def summarise(records: list[dict]) -> dict:
    """Counts per property and verdict, the commonest reasons for unknown, and every disagreement."""
    answers = [a for r in records for a in r["answers"]]
    tally: dict[str, Counter] = {}
    for a in answers:
        tally.setdefault(a["property"], Counter())[a["verdict"]] += 1
    reasons = Counter(reason_category(a["reason"]) for a in answers if a["verdict"] == "unknown")
    rejected = [x for r in records for x in r.get("replay_rejected", [])]
    seconds = sum(r.get("seconds", 0.0) for r in records)
    return {
        "questions": len(answers),
        "by_property": {p: {v: t[v] for v in VERDICTS} for p, t in sorted(tally.items())},
        "seconds": round(seconds, 1),
        "questions per minute": round(60 * len(answers) / seconds, 1) if seconds else None,
        "unknown reasons": dict(reasons.most_common(12)),
        "replay rejected": len(rejected),
        "replay rejected examples": rejected[:5],
        "refused files": [r["refused"] for r in records if "refused" in r],
        "skipped": [r["skipped"] for r in records if "skipped" in r],
        "errors": [r["error"] for r in records if "error" in r],
        "disagreements": [d for r in records for d in r["disagreements"]],
    }


def python_part(args: argparse.Namespace, cache: Path, workdir: Path, progress,
                judged: Callable[[Path, dict, Callable[[], dict]], dict]) -> dict:
    """The Python campaign (`python.campaign`), cached one batch to a file as the C part is, so that a campaign
    longer than one sitting resumes where it stopped."""
    from solomonic.bench.soundness.python import campaign, writer

    task = progress.add_task("Python", total=args.python)
    records = []
    for index in range((args.python + writer.BATCH - 1) // writer.BATCH):
        size = min(writer.BATCH, args.python - index * writer.BATCH)
        header = {"kind": "python", "version": campaign.VERSION, "seed": args.seed, "index": index,
                  "size": size, "timeout": args.timeout}
        record = judged(cache / f"python-{args.seed}-{index:04d}.jsonl", header, lambda index=index, size=size:
                        campaign.run_batch(args.seed, index, size, args.timeout, args.jobs, workdir))
        records.append(record)
        progress.update(task, completed=sum(r["functions"] for r in records))
        counts: Counter[str] = sum((Counter(by_verdict) for by_verdict in record["verdicts"].values()), Counter())
        progress.console.print(f"Python batch {index} ({size} functions): {sum(counts.values())} answers "
                               f"({', '.join(f'{counts[v]} {v}' for v in VERDICTS)}), "
                               f"{len(record['disagreements'])} disagreements, {record['seconds']:.0f} s")
    result = campaign.summary(records, sum(r["seconds"] for r in records))
    seconds = result["seconds"]
    return {
        "questions": result["questions"],
        "by_property": result["by_property"],
        "seconds": seconds,
        "questions per minute": round(60 * result["questions"] / seconds, 1) if seconds else None,
        "unknown reasons": result["unknown_reasons"],
        "disagreements": [{"language": "python", **d} for d in result["disagreements"]],
    }


def markdown(results: dict) -> str:
    s = results["settings"]
    lines = [*provenance(results),
             f"Seed {s['seed']}, timeout {s['timeout']:g} s per question, {s['jobs']} at a time; {s['c']} generated C "
             f"functions ({s['batch']} to a file), {s['csmith']} csmith programs, {s['python']} generated Python "
             "functions.", "",
             "| language | property | yes | no | unknown | questions/min |", "|---|---|---:|---:|---:|---:|"]
    for name, part in results["parts"].items():
        for prop, t in part["by_property"].items():
            lines.append(f"| {name} | {prop} | {t['yes']} | {t['no']} | {t['unknown']} | "
                         f"{part['questions per minute'] or ''} |")
    lines += ["", f"**Disagreements: {results['disagreements']}.**", ""]
    for name, part in results["parts"].items():
        for d in part["disagreements"]:
            lines += [f"- {name}, `{d['function']}`, {d['property']}: {d['verdict']} — {d['evidence']}"]
        if part.get("replay rejected"):
            lines.append(f"- {name}: {part['replay rejected']} counterexamples that the tool's own replay did not "
                         "reproduce, answered unknown as they must be (the model and gcc differ there, or gcc folded "
                         "the undefined behaviour out of UBSan's sight; listed in the JSON)")
        for note in part.get("refused files", []) + part.get("skipped", []) + part.get("errors", []):
            lines.append(f"- {name}: {note}")
    lines += ["", "Unknowns by reason:", ""]
    for name, part in results["parts"].items():
        for reason, n in part["unknown reasons"].items():
            lines.append(f"- {name}: {n} × {reason}")
    return "\n".join(lines)
