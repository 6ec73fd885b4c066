"""Transit gateways deciding one concrete packet, as AWS documents them ("How transit gateways work",
"Transit gateway route tables", "Network ACLs for transit gateways").

* A subnet's route to a transit gateway forwards the packet only if the gateway has a VPC attachment to the
  VPC with a subnet in the same Availability Zone; the packet enters the gateway through its interface in
  that subnet, whose network ACL's inbound rules apply (even when the source is in that subnet).
* The attachment's associated route table decides: the most specific route; between routes of one length,
  static, then prefix-list, then VPC-propagated, then VPN-propagated routes. A VPC attachment propagates
  its VPC's CIDRs; a VPN attachment its connection's static routes (BGP-learned routes are in no snapshot).
* Into a VPC, the gateway uses its interface in the Availability Zone the packet came from, else one of the
  others chosen at random (or by flow hash, in appliance mode): with several candidates the choice is
  undecided. From that interface the packet is routed by the interface subnet's route table.

This module answers the questions; `trace` walks the hops. It never imports z3.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from solomonic.network.model import (
    Snapshot,
    Subnet,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)
from solomonic.network.undecided import Undecided

_PROPAGATED_RANK = {"vpc": 2, "vpn": 3}  # after static (0) and prefix-list (1) routes


def vpc_attachment(snapshot: Snapshot, gateway_id: str, vpc_id: str) -> TransitGatewayAttachment | None:
    """The available attachment of the gateway to the VPC, if any."""
    return next((a for a in snapshot.transit_attachments.values()
                 if a.transit_gateway_id == gateway_id and a.resource_type == "vpc" and a.resource_id == vpc_id
                 and a.state == "available"), None)


def zone_subnet(snapshot: Snapshot, attachment: TransitGatewayAttachment, zone: str) -> Subnet | None:
    """The attachment's subnet in `zone`, if it has one."""
    subnets = [snapshot.subnets.get(name) for name in attachment.subnet_ids]
    if not zone or any(s is None or not s.zone for s in subnets):
        raise Undecided(f"the Availability Zones of {attachment.id}'s subnets, or of the packet's, are not all "
                        "in the snapshot")
    return next((s for s in subnets if s is not None and s.zone == zone), None)


def exit_subnet(snapshot: Snapshot, attachment: TransitGatewayAttachment, zone: str) -> Subnet:
    """The subnet through whose interface the gateway hands the packet into the attachment's VPC."""
    same = None if attachment.appliance_mode else zone_subnet(snapshot, attachment, zone)
    if same is not None:
        return same
    if len(attachment.subnet_ids) != 1:
        why = ("appliance mode chooses one by flow hash" if attachment.appliance_mode
               else f"none is in the packet's zone {zone}, so the gateway chooses one at random")
        raise Undecided(f"{attachment.id} has interfaces in {len(attachment.subnet_ids)} subnets and {why}")
    subnet = snapshot.subnets.get(attachment.subnet_ids[0])
    if subnet is None:
        raise Undecided(f"{attachment.subnet_ids[0]}, the subnet of {attachment.id}, is not in the snapshot")
    return subnet


def best_route(snapshot: Snapshot, table: TransitGatewayRouteTable, address: IPv4Address) -> TransitGatewayRoute | None:
    """The route of `table` for `address`, None when none holds it."""
    matches = []
    for route, rank in _routes(snapshot, table):
        length = _length(snapshot, route, address)
        if length is not None:
            matches.append((-length, rank, route))
    if not matches:
        return None
    matches.sort(key=lambda match: match[:2])
    tied = {(r.attachment_ids, r.blackhole) for length, rank, r in matches if (length, rank) == matches[0][:2]}
    if len(tied) > 1:
        raise Undecided(f"{table.id}: routes of equal precedence send {address} to different attachments")
    return matches[0][2]


def _routes(snapshot: Snapshot, table: TransitGatewayRouteTable) -> list[tuple[TransitGatewayRoute, int]]:
    if table.routes is None:
        raise Undecided(f"the routes of {table.id} are not in the snapshot (TransitGatewayStaticRoutes.json)")
    if table.propagations is None:
        raise Undecided(f"the propagations into {table.id} are not in the snapshot "
                        "(TransitGatewayPropagations.json)")
    listed = [(route, 0 if route.prefix_list is None else 1) for route in table.routes if route.static]
    for name in table.propagations:
        attachment = snapshot.transit_attachments.get(name)
        if attachment is None:
            raise Undecided(f"{name}, which propagates into {table.id}, is not in the snapshot")
        listed.extend((route, _PROPAGATED_RANK[attachment.resource_type]) for route in _propagated(snapshot, attachment))
    return listed


def _propagated(snapshot: Snapshot, attachment: TransitGatewayAttachment) -> list[TransitGatewayRoute]:
    """The routes `attachment` propagates: its VPC's CIDRs, or its VPN connection's static routes."""
    if attachment.resource_type == "vpc":
        vpc = snapshot.vpcs.get(attachment.resource_id)
        if vpc is None:
            raise Undecided(f"{attachment.resource_id}, whose CIDRs {attachment.id} propagates, is not in the "
                            "snapshot")
        cidrs = vpc.cidrs
    elif attachment.resource_type == "vpn":
        connection = snapshot.vpn_connections.get(attachment.resource_id)
        if connection is None or (not connection.static_only and connection.accepted_routes != 0):
            raise Undecided(f"the routes {attachment.id} propagates from {attachment.resource_id} are not in "
                            "the snapshot (learned by BGP, or the connection is missing)")
        cidrs = connection.static_routes if connection.state == "available" else ()
    else:
        raise Undecided(f"{attachment.id} propagates the routes of a {attachment.resource_type} attachment, which "
                        "the snapshot does not hold")
    return [TransitGatewayRoute(cidr, None, (attachment.id,), False, False, attachment.origin) for cidr in cidrs]


def _length(snapshot: Snapshot, route: TransitGatewayRoute, address: IPv4Address) -> int | None:
    if route.destination is not None:
        return route.destination.prefixlen if address in route.destination else None
    listed = snapshot.prefix_lists.get(route.prefix_list or "")
    if listed is None or listed.cidrs is None:
        raise Undecided(f"{route.origin}: the route's prefix list {route.prefix_list} is not in the snapshot")
    lengths = [cidr.prefixlen for cidr in listed.cidrs if address in cidr]
    return max(lengths) if lengths else None
