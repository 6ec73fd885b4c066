"""`solomonic network`: questions about AWS VPC networks, read offline from a snapshot directory (issue 31).
`trace`, the fate of one packet; `reachable`, over all packets (`network_reachable`); `exposure`, what the
internet reaches (`network_exposure`); `compare`, what two snapshots deliver differently (`network_compare`);
`snapshot`, a live account's configuration written as a snapshot directory (`network_snapshot`, boto3).

This module reads the command line, calls `solomonic.network` and chooses the exit status; the answer is
rendered by `network_report`. The engine is imported inside each `run_*`, so `solomonic --help` loads none
of it.
"""

from __future__ import annotations

import argparse
import json
import sys

from solomonic.cli import network_compare, network_exposure, network_reachable, network_snapshot
from solomonic.cli.conventions import EXIT_NO, EXIT_OK, EXIT_UNKNOWN
from solomonic.cli.network_arguments import address, icmp_field, port, protocol

TRACE_EPILOG = """\
The fate of one packet, one way, and every resource it passes: security groups (stateful, egress at
the source, ingress at the destination), network ACLs (stateless, in rule-number order, leaving and
entering each subnet), route tables (longest prefix; explicit association, else the main table),
internet gateways (public and Elastic IP translation), NAT gateways, VPC peering (not transitive),
transit gateways (attachments by Availability Zone, association, propagation), virtual private
gateways (into the VPN connections whose static routes cover the address, or the routes the
gateway propagates), gateway endpoints, interface endpoints' interfaces, and application and
network load balancers (a listener's default action forwards to a target group; the balancer may
pick any target it serves from the node's zone, or any zone with cross-zone load balancing, so the
walk forks and the packet is accepted when one target accepts it, the path shown ending there).
What the snapshot holds and the engine does not model (BGP-learned VPN routes, an ALB's listener
rules, an NLB's client-IP preservation for TCP groups where it decides, Gateway Load Balancer
endpoints, appliances) makes the answer unknown, naming it.

SNAPSHOT: a folder of the AWS CLI's describe-* JSON outputs, one file per call named after its
top-level key (Vpcs.json, Subnets.json, RouteTables.json, SecurityGroups.json, NetworkAcls.json,
InternetGateways.json, NatGateways.json, NetworkInterfaces.json, Reservations.json, Addresses.json,
VpcPeeringConnections.json, PrefixLists.json, VpcEndpoints.json, VpnGateways.json,
VpnConnections.json, TransitGateways.json, TransitGatewayAttachments.json,
TransitGatewayVpcAttachments.json, TransitGatewayRouteTables.json, LoadBalancers.json,
TargetGroups.json, and per resource TransitGatewayStaticRoutes.json, TransitGatewayPropagations.json,
LoadBalancerListeners.json, LoadBalancerAttributes.json and LoadBalancerTargetHealth.json), flat,
under REGION/ or under accounts/ACCOUNT/REGION/ (`solomonic network snapshot` writes one).

dispositions: accepted, exits-network, denied-in, denied-out, no-route, no-destination, unknown.

example (benchmarks/network/public-private-nat):
  $ solomonic network trace SNAPSHOT --from i-0app --to 10.0.3.10 --dst-port 5432 --src-port 40000
  i-0app: tcp 10.0.2.10:40000 -> 10.0.3.10:5432: ACCEPTED
    path: i-0app > subnet-0app > vpc-0shop > subnet-0db > eni-0db
    why: eni-0db accepts tcp/5432 from 10.0.2.10 to 10.0.3.10

exit status: 1 if the packet is delivered (accepted, exits-network), 2 if unknown or the input is
bad, else 0."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    network = subparsers.add_parser(
        "network", help="questions about AWS VPC networks: where does this packet go?",
        description="Reachability in AWS VPC networks, offline, from the configuration (a snapshot of the\n"
                    "AWS CLI's JSON); what is not modelled exactly is unknown, with the reason.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    questions = network.add_subparsers(title="questions", metavar="QUESTION", required=True)
    trace = questions.add_parser("trace", help="the fate of one packet and every hop it takes",
                                 description="Follow one concrete packet through a snapshot.",
                                 epilog=TRACE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    trace.add_argument("snapshot", metavar="SNAPSHOT", help="the snapshot directory")
    trace.add_argument("--from", dest="source", required=True, metavar="NODE",
                       help="an instance (i-...), a network interface (eni-...), a gateway the packet enters "
                            "through (igw-..., vgw-...), a NAT gateway that sends it (nat-...) or internet")
    trace.add_argument("--to", dest="destination", required=True, type=address, metavar="IP",
                       help="the destination address")
    trace.add_argument("--src-ip", type=address, metavar="IP",
                       help="the source address (default: the node's primary private address; required from internet)")
    trace.add_argument("--protocol", type=protocol, default="tcp", metavar="P",
                       help="tcp, udp, icmp or an IP protocol number 0-255 (default: tcp)")
    trace.add_argument("--dst-port", type=port, metavar="P", help="the destination port (TCP, UDP)")
    trace.add_argument("--src-port", type=port, metavar="P", help="the source port (TCP, UDP; default: 49152)")
    trace.add_argument("--icmp-type", type=icmp_field, metavar="T", help="the ICMP type (default: 8, echo request)")
    trace.add_argument("--icmp-code", type=icmp_field, metavar="C", help="the ICMP code (default: 0)")
    trace.add_argument("--target", metavar="NODE",
                       help="where a load balancer may pick one of several targets that take the packet, show the "
                            "path to NODE (i-... or eni-...) when it may pick it (default: the first registered)")
    trace.add_argument("--format", choices=["text", "json"], default="text")
    trace.set_defaults(run=run_trace)
    network_reachable.add_parser(questions)
    network_exposure.add_parser(questions)
    network_compare.add_parser(questions)
    network_snapshot.add_parser(questions)


def run_trace(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from solomonic.cli import network_report
    from solomonic.network import build, packet
    from solomonic.network.result import DELIVERED
    from solomonic.network.trace import trace

    snapshot = build.load(args.snapshot)
    for warning in snapshot.warnings:
        print(f"solomonic: warning: {warning}", file=sys.stderr)
    sender, src_ip = packet.source(snapshot, args.source, args.src_ip)
    flow, assumptions = packet.flow(src_ip, args.destination, args.protocol, args.src_port, args.dst_port,
                                    args.icmp_type, args.icmp_code)
    named = snapshot.interfaces[args.target].node if args.target in snapshot.interfaces else args.target
    traced = trace(snapshot, sender, flow, frozenset([named] if named else []))
    answer = replace(traced, assumptions=(*assumptions, *traced.assumptions))
    if args.format == "json":
        print(json.dumps(answer.to_json(), indent=2))
    else:
        print(network_report.trace_text(args.source, answer))
    if answer.disposition == "unknown":
        return EXIT_UNKNOWN
    return EXIT_NO if answer.disposition in DELIVERED else EXIT_OK
