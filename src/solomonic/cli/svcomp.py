"""`solomonic svcomp`: runs SV-COMP tasks for one property and prints their score as a table or JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from solomonic.cli.conventions import (
    EXIT_NO,
    EXIT_OK,
    executor_options,
    memory_options,
    memory_path,
    positive,
)
from solomonic.cli.proposing import load_proposer, proposer_options


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    svcomp = subparsers.add_parser(
        "svcomp", help="run SV-COMP verification tasks and score the answers",
        description="Runs SV-COMP task definitions (.yml, format 2.0) for one property and scores them as\n"
                    "SV-COMP does (+2 correct true, +1 correct false, -32 wrong true, -16 wrong false).\n"
                    "Tasks that do not list the property are skipped. Exit status 1 if any answer is wrong.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    svcomp.add_argument("paths", nargs="+", metavar="PATH", help="task files or directories of them")
    svcomp.add_argument("--property", default="unreach-call", choices=["unreach-call", "no-overflow", "termination"])
    svcomp.add_argument("--timeout", type=positive, default=60.0, metavar="S", help="seconds per task (default: 60)")
    svcomp.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="tasks run in parallel (with --executor ray: the cluster's CPUs, one a task)")
    svcomp.add_argument("--memory-limit", type=int, default=4096, metavar="MIB")
    svcomp.add_argument("--format", choices=["text", "json"], default="text")
    svcomp.add_argument("--output", "-o", metavar="FILE", help="also write the JSON report to FILE")
    memory_options(svcomp)
    proposer_options(svcomp)
    executor_options(svcomp)
    svcomp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from solomonic.reason import svcomp

    executor = None
    if args.executor == "ray":
        from solomonic.cli.ray_executor import svcomp_executor

        executor = svcomp_executor(args.ray_address)
    report = svcomp.run(args.paths, args.property, args.timeout, jobs=args.jobs, memory_mb=args.memory_limit,
                        memory=memory_path(args), executor=executor, proposer=load_proposer(args),
                        proposals=args.proposals)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2) if args.format == "json" else svcomp.table(report))
    s = report["summary"]
    return EXIT_NO if s["wrong true"] or s["wrong false"] else EXIT_OK
