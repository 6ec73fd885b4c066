"""Write the architectures' snapshots into benchmarks/network, their questions into
benchmarks/network/questions-architectures.json, and their README tables into this folder's README.md:

    python benchmarks/network/architectures/write.py [--into DIR]

Each snapshot folder is replaced; the hand-written snapshots beside them are left alone. The answers are the
ones written in the architecture modules, derived by hand; this script never runs the engine. `--into DIR`
writes the snapshots and questions there instead (tests/network compare it with what is committed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import edge
import hybrid
import misconfig
import routes
import services
import tiers
import transit
from questions import Architecture

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
ALL: list[Architecture] = [*edge.ARCHITECTURES, *misconfig.ARCHITECTURES, *tiers.ARCHITECTURES,
                           *services.ARCHITECTURES, *routes.ARCHITECTURES, *hybrid.ARCHITECTURES, *transit.ARCHITECTURES]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Write the architectures' snapshots and questions.")
    parser.add_argument("--into", type=Path, default=CORPUS, help="where (default: benchmarks/network)")
    into = parser.parse_args(argv).into
    names = [architecture.name for architecture in ALL]
    if len(set(names)) != len(names):
        print(f"write.py: two architectures share a name: {names}", file=sys.stderr)
        return 2
    questions = []
    for architecture in ALL:
        folder = into / architecture.name
        if folder.exists():
            shutil.rmtree(folder)
        architecture.write(folder)
        questions += [{"snapshot": architecture.name, **question} for question in architecture.questions]
    (into / "questions-architectures.json").write_text(json.dumps(questions, indent=1) + "\n")
    if into == CORPUS:
        (HERE / "README.md").write_text(readme())
    print(f"{len(ALL)} snapshots, {len(questions)} questions", file=sys.stderr)
    return 0


def readme() -> str:
    lines = ["# Architectures: snapshots written by `write.py`, answers derived by hand", "",
             "The architectures AWS documents, each written as the AWS CLI's describe-* responses by `aws.py` (ids, "
             "owners, tags and states included, what AWS creates with a VPC added), with the questions and the "
             "answers derived by hand from AWS's documentation beside them in `edge.py`, `misconfig.py`, "
             "`tiers.py`, `hybrid.py` and `transit.py`. `write.py` writes the snapshots into `benchmarks/network/` "
             "and the questions into `benchmarks/network/questions-architectures.json`, which "
             "`tests/network/test_benchmarks.py` and `solomonic bench network` ask like `questions.json`. "
             "Hop lists are in the JSON file.", ""]
    for architecture in ALL:
        lines += [f"## {architecture.name}", "", architecture.description, "",
                  "| question | from | to | packet | answer | blocked by | why |", "|---|---|---|---|---|---|---|"]
        for q in architecture.questions:
            answer = q.get("disposition") or q["verdict"]
            blocked = ", ".join(q["blocked_by"]) if isinstance(q["blocked_by"], list) else q["blocked_by"]
            lines.append(f"| {q.get('question', 'trace')} | `{q['from']}` | `{q['to']}` | `{' '.join(q['args'])}` | "
                         f"{answer} | {f'`{blocked}`' if blocked else '-'} | {q['why']} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
