"""`solomonic network compare`: the command line of "does my change deliver anything new, or stop anything?"
(issue 31).

It loads OLD and NEW, asks `compare.compare` for the packets one delivers and the other does not, prints the
answer (text, or the JSON contract of issue 31 mirroring `policy compare`'s) and chooses the exit status:
0 equivalent, 1 a difference, 2 unknown or bad input. The engine (and z3) is imported inside `run`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from solomonic.cli.conventions import EXIT_NO, EXIT_OK, EXIT_UNKNOWN

if TYPE_CHECKING:
    from solomonic.network.compare import Answer

EPILOG = """\
For every packet the constraints allow (z3 over the pair of path sets, one query per direction):
a packet OLD delivers and NEW does not (a_not_b) and the reverse (b_not_a), each a witness that
`trace` delivers in the one snapshot and gives another decided fate in the other (shown beside
it); equivalent only when z3 proves that no such packet exists. A difference along a path the
encoding does not model is unknown unless `trace` shows it, and the reason is given.

Without --to every instance and bare interface in both snapshots is a destination; without --from
the packets come from the internet. --from, --src-ip, --protocol and --dst-port are as for
`reachable`; the source must send the packet in both snapshots.

example (benchmarks/network: public-private-nat, and pairs/https-denied, where a NACL deny of
tcp/443 comes before the allow):
  $ solomonic network compare public-private-nat pairs/https-denied --to i-0web
  OLD vs NEW: A-DELIVERS-MORE
    OLD delivers, NEW does not: tcp 1.0.0.0:49152 -> 54.170.10.10:443
      in OLD: accepted along internet > igw-0shop > vpc-0shop > subnet-0public > i-0web
      in NEW: denied-in at acl-default-vpc-0shop (... rule 50 denies tcp/443 ...)

exit status: 1 if the snapshots differ, 2 if unknown or the input is bad, else 0."""


def add_parser(questions: argparse._SubParsersAction) -> None:
    from solomonic.cli.network_arguments import address, port_range, protocol

    compare = questions.add_parser("compare", help="packets one snapshot delivers and the other does not",
                                   description="Compare what two snapshots deliver, over all packets.",
                                   epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("old", metavar="OLD", help="the snapshot before (A)")
    compare.add_argument("new", metavar="NEW", help="the snapshot after (B)")
    compare.add_argument("--from", dest="source", metavar="NODE",
                         help="an instance, a network interface, a subnet (each host in it), a gateway packets "
                              "enter through (igw-..., vgw-...) or internet (default: internet)")
    compare.add_argument("--to", dest="destination", metavar="NODE|IP|CIDR",
                         help="an instance, a network interface, a subnet, an address or a CIDR (default: every "
                              "instance and bare interface of both)")
    compare.add_argument("--src-ip", type=address, metavar="IP", help="the source address")
    compare.add_argument("--protocol", type=protocol, metavar="P",
                         help="tcp, udp, icmp or an IP protocol number 0-255 (default: any)")
    compare.add_argument("--dst-port", type=port_range, metavar="P|A-B", help="the destination port or range")
    compare.add_argument("--format", choices=["text", "json"], default="text")
    compare.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from solomonic.errors import UserError
    from solomonic.network import build
    from solomonic.network.compare import compare

    if args.dst_port is not None and args.protocol not in (None, 6, 17):
        raise UserError("--dst-port belongs to --protocol tcp or udp")
    old, new = build.load(args.old), build.load(args.new)
    result = compare(old, new, args.source, args.destination, args.src_ip, args.protocol, args.dst_port)
    for warning in result.warnings:
        print(f"solomonic: warning: {warning}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(text(result))
    return {"equivalent": EXIT_OK, "unknown": EXIT_UNKNOWN}.get(result.verdict, EXIT_NO)


def text(result: Answer) -> str:
    from solomonic.cli.network_report import packet_text

    lines = [f"OLD vs NEW: {result.verdict.upper()}", f"  why: {result.reason}"]
    for found, title, here, there in ((result.a_not_b, "OLD delivers, NEW does not", "OLD", "NEW"),
                                      (result.b_not_a, "NEW delivers, OLD does not", "NEW", "OLD")):
        if found is None:
            continue
        lines.append(f"  {title}: {packet_text(found.delivered.flow)}")
        lines.append(f"    in {here}: {found.delivered.disposition} along {' > '.join(found.delivered.hops)}")
        blocked = f" at {found.elsewhere.blocked_by}" if found.elsewhere.blocked_by else ""
        lines.append(f"    in {there}: {found.elsewhere.disposition}{blocked} ({found.elsewhere.reason})")
    return "\n".join(lines)
