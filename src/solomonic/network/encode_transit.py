"""Transit gateways as formulas over the packet's destination ("How transit gateways work", "Transit gateway
route tables", "Transit gateway attachments to a VPC"), written apart from the evaluator's `transit`.

A subnet's route to a transit gateway forwards only where the gateway (available) has an available VPC
attachment to the subnet's VPC with a subnet in the same Availability Zone: the packet enters through that
subnet (whose inbound ACL rules apply). The attachment's associated route table decides by longest prefix;
between routes of one length, static routes win, then prefix-list routes, then those propagated from VPC
attachments (their VPC's CIDRs), then from VPN attachments (their static connection's routes). A route to
one attachment hands the packet to it: a VPC (through the gateway's interface in the packet's zone, or the
only one where there is none or in appliance mode), or outside the snapshot (VPN, Direct Connect, a peered
gateway the snapshot lacks). Equal-cost routes over several attachments, ties, BGP-learned routes, missing
tables, zones or attachments: unknown, named (`Unencoded`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from ipaddress import IPv4Network

import z3

from solomonic.network.encode import Unencoded, longest_prefix, prefix_list_cidrs
from solomonic.network.model import (
    Snapshot,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)

STATIC, PREFIX_LIST, FROM_VPC, FROM_VPN = 0, 1, 2, 3  # precedence between routes of one length


@dataclass(frozen=True)
class Forward:
    """Where the gateway sends the packets `when` holds: into the VPC of `attachment`, through `subnet`, or
    `way` "exits" / "dead" / "unknown" with `reason` (`blocker` names what drops them)."""

    way: str
    when: z3.BoolRef
    reason: str
    blocker: str | None = None
    attachment: TransitGatewayAttachment | None = None
    subnet: Subnet | None = None


def entry(snapshot: Snapshot, name: str, subnet: Subnet) -> tuple[TransitGatewayAttachment, Subnet]:
    """The attachment and interface subnet through which `subnet`'s packets enter the gateway `name`;
    `Unencoded` for what is unknown, LookupError (with the reason) where the gateway has no way in."""
    gateway = snapshot.transit_gateways.get(name)
    if gateway is None or gateway.state != "available":
        raise Unencoded(f"the transit gateway {name} is not an available one in the snapshot")
    source = next((a for a in snapshot.transit_attachments.values()
                   if a.transit_gateway_id == name and a.resource_type == "vpc" and a.resource_id == subnet.vpc_id
                   and a.state == "available"), None)
    inside = _in_zone(snapshot, source, subnet.zone) if source is not None else None
    if source is None or inside is None:
        raise LookupError(f"{name} has no attachment to {subnet.vpc_id} with a subnet in {subnet.zone or 'its zone'}")
    return source, inside


def _in_zone(snapshot: Snapshot, attachment: TransitGatewayAttachment, zone: str) -> Subnet | None:
    subnets = [snapshot.subnets.get(name) for name in attachment.subnet_ids]
    known = [s for s in subnets if s is not None and s.zone]
    if not zone or len(known) != len(subnets):
        raise Unencoded(f"the Availability Zones of {attachment.id}'s subnets, or of the packet's, are not all in "
                        "the snapshot")
    return next((s for s in known if s.zone == zone), None)


def forwards(snapshot: Snapshot, source: TransitGatewayAttachment, zone: str, dst: z3.BitVecRef) -> list[Forward]:
    """Every way the route table of `source` forwards `dst`, with its condition."""
    table = snapshot.transit_route_tables.get(source.route_table_id or "")
    if table is None:
        raise Unencoded(f"the route table of {source.id} is not in the snapshot")
    choices, tie = longest_prefix(_items(snapshot, table), dst)
    found = [Forward("unknown", tie, f"routes of {table.id} of equal precedence send it to different attachments")]
    for choice in choices:
        route = choice.route
        if route is None or route.blackhole:
            what = "no route of" if route is None else "a blackhole route of"
            found.append(Forward("dead", choice.when, f"{what} {table.id} holds it", table.id))
        elif len(set(route.attachment_ids)) != 1:
            found.append(Forward("unknown", choice.when, f"{table.id} spreads it over several attachments (ECMP)"))
        else:
            found.append(_to(snapshot, route.attachment_ids[0], table, zone, choice.when))
    return found


def _to(snapshot: Snapshot, name: str, table: TransitGatewayRouteTable, zone: str, when: z3.BoolRef) -> Forward:
    target = snapshot.transit_attachments.get(name)
    if target is None or target.state != "available":
        return Forward("unknown", when, f"{name}, where {table.id} sends it, is not an available attachment")
    if target.resource_type in ("vpn", "direct-connect-gateway") or (
            target.resource_type == "peering" and target.resource_id not in snapshot.transit_gateways):
        return Forward("exits", when, f"{table.id} sends it to the {target.resource_type} attachment {target.id}")
    if target.resource_type != "vpc":
        return Forward("unknown", when, f"{target.id} is a {target.resource_type} attachment, not encoded")
    try:
        same = None if target.appliance_mode else _in_zone(snapshot, target, zone)
    except Unencoded as why:
        return Forward("unknown", when, str(why))
    if same is None and len(target.subnet_ids) != 1:
        return Forward("unknown", when, f"{target.id} has interfaces in several subnets and the gateway's choice "
                                        "among them is random or by flow hash")
    subnet = same or snapshot.subnets.get(target.subnet_ids[0])
    if subnet is None:
        return Forward("unknown", when, f"the subnet of {target.id} is not in the snapshot")
    return Forward("vpc", when, f"{table.id} sends it into {target.resource_id}", None, target, subnet)


def _items(snapshot: Snapshot, table: TransitGatewayRouteTable
           ) -> list[tuple[int, Hashable, IPv4Network, TransitGatewayRoute]]:
    if table.routes is None or table.propagations is None:
        raise Unencoded(f"the routes or propagations of {table.id} are not in the snapshot")
    routes = [(STATIC if r.prefix_list is None else PREFIX_LIST, r) for r in table.routes if r.static]
    for name in table.propagations:
        attachment = snapshot.transit_attachments.get(name)
        if attachment is None:
            raise Unencoded(f"{name}, which propagates into {table.id}, is not in the snapshot")
        rank, cidrs = _propagated(snapshot, attachment)
        routes += [(rank, TransitGatewayRoute(cidr, None, (attachment.id,), False, False, attachment.origin))
                   for cidr in cidrs]
    items: list[tuple[int, Hashable, IPv4Network, TransitGatewayRoute]] = []
    for rank, route in routes:
        cidrs = ((route.destination,) if route.destination is not None
                 else prefix_list_cidrs(snapshot, route.prefix_list or "", str(route.origin)))
        items += [(rank, (route.attachment_ids, route.blackhole), cidr, route) for cidr in cidrs]
    return items


def _propagated(snapshot: Snapshot, attachment: TransitGatewayAttachment) -> tuple[int, tuple[IPv4Network, ...]]:
    if attachment.resource_type == "vpc":
        vpc = snapshot.vpcs.get(attachment.resource_id)
        if vpc is None:
            raise Unencoded(f"{attachment.resource_id}, whose CIDRs {attachment.id} propagates, is not in the snapshot")
        return FROM_VPC, vpc.cidrs
    if attachment.resource_type == "vpn":
        connection = snapshot.vpn_connections.get(attachment.resource_id)
        if connection is None or (not connection.static_only and connection.accepted_routes != 0):
            raise Unencoded(f"the routes {attachment.id} propagates from {attachment.resource_id} are learned by "
                            "BGP or missing")
        return FROM_VPN, connection.static_routes if connection.state == "available" else ()
    raise Unencoded(f"{attachment.id} propagates the routes of a {attachment.resource_type} attachment")
