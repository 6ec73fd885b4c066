"""`solomonic network reachable`: the command line of the question over all packets (issue 31).

It turns `--from`, `--to` and the packet constraints into a `reachable.Question`, asks it, prints the answer
(text or the JSON contract) and chooses the exit status as `trace` does. The engine (and z3) is imported
inside `run`, so `solomonic --help` loads neither.
"""

from __future__ import annotations

import argparse
import json
import sys

from solomonic.cli.conventions import EXIT_NO, EXIT_OK, EXIT_UNKNOWN
from solomonic.errors import UserError

EPILOG = """\
Over every packet the constraints allow (z3, bit-vectors for addresses, ports, protocol and ICMP
type and code), along every path the routes allow from the source: reachable, with a witness
packet that `trace` (the concrete evaluator) delivers; unreachable, when z3 proves every candidate
path impossible, with the components that block each (an unsat core over the named constraints of
security groups, network ACLs and route tables); else unknown, with the reason. The symbolic
encoding models security groups, network ACLs, route tables, internet and NAT gateways,
peering, transit gateways, virtual private gateways (static VPN routes, propagated routes),
gateway and interface endpoints and ingress routing; a path through anything else (BGP-learned
VPN routes, load balancers' targets, Gateway Load Balancer endpoints, appliances) is unknown
unless `trace` delivers a packet along it.

--from: an instance or network interface (from its addresses), a subnet (from each interface in it),
internet (from every public address), an internet gateway (from every public address, to the public
addresses it translates) or a virtual private gateway (from every address outside its VPC, into it).

--to: an instance (i-...), a network interface (eni-...), a subnet (subnet-...), an address or a
CIDR; an address or CIDR outside the snapshot counts as reached when the packet leaves the snapshot
towards it. Without --protocol every protocol counts (TCP or UDP with --dst-port); without --src-ip
every address the source holds (from internet: every public address). TCP and UDP source ports
are ephemeral (1024-65535), destination ports not 0 unless --dst-port says so.

example (benchmarks/network/public-private-nat):
  $ solomonic network reachable SNAPSHOT --from internet --to i-0db --protocol tcp --dst-port 5432
  internet -> i-0db: UNREACHABLE (...)

exit status: 1 if reachable, 2 if unknown or the input is bad, else 0."""


def add_parser(questions: argparse._SubParsersAction) -> None:
    from solomonic.cli.network_arguments import address, port_range, protocol

    reachable = questions.add_parser("reachable", help="can any packet get from a node to a destination?",
                                     description="Reachability over all packets the constraints allow.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    reachable.add_argument("snapshot", metavar="SNAPSHOT", help="the snapshot directory")
    reachable.add_argument("--from", dest="source", required=True, metavar="NODE",
                           help="an instance (i-...), a network interface (eni-...), a subnet (subnet-..., its "
                                "interfaces), a gateway packets enter through (igw-..., vgw-...) or internet")
    reachable.add_argument("--to", dest="destination", required=True, metavar="NODE|IP|CIDR",
                           help="an instance, a network interface, a subnet, an address or a CIDR")
    reachable.add_argument("--src-ip", type=address, metavar="IP", help="the source address (default: any the "
                                                                       "source holds)")
    reachable.add_argument("--protocol", type=protocol, metavar="P",
                           help="tcp, udp, icmp or an IP protocol number 0-255 (default: any)")
    reachable.add_argument("--dst-port", type=port_range, metavar="P|A-B", help="the destination port or range")
    reachable.add_argument("--format", choices=["text", "json"], default="text")
    reachable.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from solomonic.cli import network_report
    from solomonic.network import build
    from solomonic.network.reachable import Question, answer, goal, senders

    snapshot = build.load(args.snapshot)
    for warning in snapshot.warnings:
        print(f"solomonic: warning: {warning}", file=sys.stderr)
    if args.dst_port is not None and args.protocol not in (None, 6, 17):
        raise UserError("--dst-port belongs to --protocol tcp or udp")
    question = Question(senders(snapshot, args.source, args.src_ip), goal(snapshot, args.destination),
                        args.src_ip, args.protocol, args.dst_port)
    result = answer(snapshot, question)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(network_report.reachable_text(args.source, args.destination, result))
    return {"reachable": EXIT_NO, "unreachable": EXIT_OK}.get(result.verdict, EXIT_UNKNOWN)
