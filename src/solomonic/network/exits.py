"""Where a packet leaves the snapshot's VPCs for a network the snapshot does not hold, as AWS documents it.

* A virtual private gateway forwards into a Site-to-Site VPN connection only what that connection's routes
  cover ("Site-to-Site VPN routing options"): a static connection's `Routes`; a dynamic (BGP) connection's
  routes are learned from the customer gateway and are in no snapshot, so a packet only such a connection
  could carry is undecided, unless its tunnels' telemetry reports no route accepted. A route the gateway
  propagates into a route table (route propagation, `EnableVgwRoutePropagation`) is one the gateway holds,
  learned by BGP over a VPN connection or Direct Connect (whose virtual interfaces are in no snapshot): what
  it covers leaves too. Only connections in
  state `available` carry packets; the tunnels' own status is not asked (the answer is about configuration).
* A gateway endpoint (S3, DynamoDB) hands what its route sends to it (the service's prefix list) to the AWS
  service, outside the snapshot. Interface and Gateway Load Balancer endpoints are interfaces in the VPC,
  not route targets of this kind: undecided here. An interface endpoint's interface accepts what its
  security groups admit, for the service (`interface_endpoint` says which endpoint it serves).

Like `trace`, of which it is a part, this module never imports z3.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from solomonic.network.model import Interface, Snapshot, VpcEndpoint, VpnGateway
from solomonic.network.undecided import Undecided


def through_vpn(snapshot: Snapshot, gateway: VpnGateway, address: IPv4Address) -> str | None:
    """Why `address` leaves through one of `gateway`'s VPN connections, or None when none carries it."""
    if "VpnConnections" not in snapshot.present:
        raise Undecided(f"the VPN connections of {gateway.id} are not in the snapshot (VpnConnections.json is "
                        "missing)")
    connections = [c for c in snapshot.vpn_connections.values()
                   if c.vpn_gateway_id == gateway.id and c.state == "available"]
    for connection in connections:
        covering = [cidr for cidr in connection.static_routes if address in cidr]
        if connection.static_only and covering:
            widest = min(covering, key=lambda cidr: cidr.prefixlen)
            return f"{connection.id}'s static route {widest} carries {address} to the customer network"
    advertised = [cidr for cidr in propagated(snapshot, gateway.id) if address in cidr]
    if advertised:
        widest = min(advertised, key=lambda cidr: cidr.prefixlen)
        return (f"{gateway.id} has a route to {widest}: it propagates it into the VPC's route tables, so it "
                "learned it (over a VPN connection or Direct Connect) and carries the packet out")
    learning = [c for c in connections if not c.static_only and c.accepted_routes != 0]
    if learning:
        raise Undecided(f"{learning[0].id} learns its routes by BGP, which the snapshot does not hold: whether "
                        f"it carries {address} is not known")
    return None


def propagated(snapshot: Snapshot, gateway_id: str) -> list[IPv4Network]:
    """The CIDRs the gateway propagates into route tables of the snapshot: routes it holds."""
    return [route.destination for table in snapshot.route_tables.values() for route in table.routes
            if route.propagated and route.target == gateway_id and not route.blackhole
            and route.destination is not None]


def interface_endpoint(snapshot: Snapshot, interface: Interface) -> VpcEndpoint:
    """The available interface endpoint `interface` (of type vpc_endpoint) belongs to; undecided otherwise."""
    endpoint = next((e for e in snapshot.endpoints.values() if interface.id in e.interface_ids), None)
    if endpoint is None or endpoint.kind.lower() != "interface" or endpoint.state != "available":
        raise Undecided(f"{interface.id} is an endpoint's interface ({interface.description or 'no description'}), "
                        "but no available interface endpoint in the snapshot lists it")
    return endpoint


def through_endpoint(endpoint: VpcEndpoint, vpc_id: str) -> str:
    """Why a packet a route sends to the gateway endpoint `endpoint` leaves for its AWS service."""
    if endpoint.kind.lower() != "gateway":
        raise Undecided(f"{endpoint.id} is a {endpoint.kind} endpoint, which a route does not send packets "
                        "to as the engine models it")
    if endpoint.vpc_id != vpc_id or endpoint.state != "available":
        raise Undecided(f"{endpoint.id} ({endpoint.state or 'no state'}, in {endpoint.vpc_id}) is not an "
                        f"available endpoint of {vpc_id}")
    return f"{endpoint.id} hands the packet to {endpoint.service or 'its service'}, outside the snapshot"
