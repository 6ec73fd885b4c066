"""`solomonic recheck`: re-verifies the certificates and replays the witnesses of an earlier run's JSON."""

from __future__ import annotations

import argparse

from solomonic.cli.conventions import EXIT_NO, EXIT_OK, positive


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    recheck = subparsers.add_parser(
        "recheck", help="re-verify the certificates and replay the witnesses of an earlier run",
        description="Reads the JSON of `solomonic check --format json`; checks every yes-certificate again\n"
                    "from the source and replays every no-witness (a non-termination witness only once its\n"
                    "lasso is found again). Exit status 1 if any does not hold.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    recheck.add_argument("results", metavar="RESULT.json")
    recheck.add_argument("--timeout", type=positive, default=30.0, metavar="S", help="seconds per result")
    recheck.add_argument("--jobs", "-j", type=int, default=1, metavar="N")
    recheck.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from solomonic.reason.recheck import recheck

    checks = recheck(args.results, timeout_s=args.timeout, jobs=args.jobs)
    failed = 0
    for c in checks:
        r = c.result
        status = "-" if c.confirmed is None else "confirmed" if c.confirmed else "NOT CONFIRMED"
        failed += c.confirmed is False
        print(f"{r.file}:{r.line}: {r.function}: {r.property}: {r.verdict.value}: {status}: {c.message}")
    print(f"{sum(c.confirmed is True for c in checks)} confirmed, {failed} not confirmed, "
          f"{sum(c.confirmed is None for c in checks)} unknown answers skipped")
    return EXIT_NO if failed else EXIT_OK
