"""`solomonic network exposure`: the command line of "what does the internet reach, on which ports" (issue 31).

It asks `exposure.exposure` of a snapshot, prints the findings (text or one JSON object) and chooses the exit
status: 1 when something is exposed, 2 when nothing is but some answer is unknown (or the input is bad),
else 0. The engine (and z3) is imported inside `run`.
"""

from __future__ import annotations

import argparse
import json
import sys

from solomonic.cli.conventions import EXIT_NO, EXIT_OK, EXIT_UNKNOWN

EPILOG = """\
Every network interface the internet can reach (an instance's, a bare interface's, or a load
balancer's: the listener ports it forwards to a target that accepts them; a NAT gateway's is left
out), with the protocols and port ranges that reach it, merged into
ranges, and one witness packet per range that `trace` delivers (--format sarif: each range at the
security-group rule that admits its witness, file and JSON pointer). Along a path the symbolic encoding
does not model (interface endpoints, appliances, ingress routing) the interface's
exposure is unknown unless `trace` delivers the packet, and the reason is given.

example (benchmarks/network/public-private-nat):
  $ solomonic network exposure SNAPSHOT
  i-0web (eni-0web: 10.0.1.10, 54.170.10.10): tcp/22, tcp/80, tcp/443

exit status: 1 if something is exposed, 2 if nothing is but something is unknown or the input is
bad, else 0."""


def add_parser(questions: argparse._SubParsersAction) -> None:
    exposure = questions.add_parser("exposure", help="every interface the internet reaches, and on which ports",
                                    description="What the internet reaches in a snapshot.", epilog=EPILOG,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    exposure.add_argument("snapshot", metavar="SNAPSHOT", help="the snapshot directory")
    exposure.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    exposure.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from solomonic.cli import network_report
    from solomonic.network import build
    from solomonic.network.exposure import exposure

    snapshot = build.load(args.snapshot)
    for warning in snapshot.warnings:
        print(f"solomonic: warning: {warning}", file=sys.stderr)
    findings = exposure(snapshot)
    if args.format == "sarif":
        from solomonic.cli.network_sarif import exposure_sarif

        print(exposure_sarif(findings))
    elif args.format == "json":
        print(json.dumps({"exposed": [finding.to_json() for finding in findings if finding.exposed],
                          "unknown": [finding.to_json() for finding in findings if not finding.exposed],
                          "warnings": list(snapshot.warnings)}, indent=2))
    else:
        print(network_report.exposure_text(findings))
    if any(finding.exposed for finding in findings):
        return EXIT_NO
    return EXIT_UNKNOWN if findings else EXIT_OK
