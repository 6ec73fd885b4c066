"""Where a candidate path leaves the snapshot through a virtual private gateway or a gateway endpoint, as
formulas over the packet's destination (AWS's "Site-to-Site VPN routing options", "Gateway endpoints").

Written apart from the evaluator's `exits`, with which it is compared: a virtual private gateway attached to
the VPC forwards into an available VPN connection whose static routes hold the address (a static-only
connection) or a route the gateway propagates into one of the snapshot's route tables (it holds that route,
learned over a VPN connection or Direct Connect); what only a connection learning routes by BGP could carry
is not in any snapshot (unknown, unless its telemetry reports no route accepted); the rest has no route. A gateway endpoint, available and
of the route's own VPC, hands what its route sends to it to the AWS service; an interface endpoint's
interface accepts what its security groups admit.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from solomonic.network.encode import within
from solomonic.network.model import Snapshot

Way = str  # "exits", "dead" or "unknown"


@dataclass(frozen=True)
class Outcome:
    """Where the packets `when` holds go: `way` with `reason` (`blocker` names what drops them)."""

    way: Way
    when: z3.BoolRef
    reason: str
    blocker: str | None = None


def vpn_gateway(snapshot: Snapshot, name: str, vpc_id: str, dst: z3.BitVecRef) -> list[Outcome]:
    gateway = snapshot.vpn_gateways.get(name)
    anything = z3.BoolVal(True)
    if gateway is None:
        return [Outcome("unknown", anything, f"the virtual private gateway {name} is not in the snapshot")]
    if vpc_id not in gateway.vpc_ids:
        return [Outcome("dead", anything, f"{name} is not attached to {vpc_id}", name)]
    if "VpnConnections" not in snapshot.present:
        return [Outcome("unknown", anything, f"the VPN connections of {name} are not in the snapshot")]
    connections = [c for c in snapshot.vpn_connections.values() if c.vpn_gateway_id == name and c.state == "available"]
    advertised = [route.destination for table in snapshot.route_tables.values() for route in table.routes
                  if route.propagated and route.target == name and not route.blackhole and route.destination]
    carried = z3.Or([within(dst, cidr) for c in connections if c.static_only for cidr in c.static_routes]
                    + [within(dst, cidr) for cidr in advertised])
    learning = [c.id for c in connections if not c.static_only and c.accepted_routes != 0]
    rest = (Outcome("unknown", z3.Not(carried), f"{learning[0]} learns its routes by BGP, which the snapshot does "
                                                "not hold") if learning else
            Outcome("dead", z3.Not(carried), f"no VPN connection of {name} has a route to it", name))
    return [Outcome("exits", carried, f"a static route of a VPN connection of {name}, or a route {name} propagates, carries it out"), rest]


def is_interface_endpoint(snapshot: Snapshot, interface_id: str) -> bool:
    """Whether an available interface endpoint lists `interface_id` among its interfaces (which then accepts
    what its security groups admit, for the endpoint's service)."""
    return any(interface_id in e.interface_ids and e.kind.lower() == "interface" and e.state == "available"
               for e in snapshot.endpoints.values())


def gateway_endpoint(snapshot: Snapshot, name: str, vpc_id: str) -> Outcome:
    endpoint = snapshot.endpoints.get(name)
    anything = z3.BoolVal(True)
    if endpoint is None or endpoint.kind.lower() != "gateway":
        return Outcome("unknown", anything, f"{name} is not a gateway endpoint in the snapshot")
    if endpoint.vpc_id != vpc_id or endpoint.state != "available":
        return Outcome("unknown", anything, f"{name} is not an available endpoint of {vpc_id}")
    return Outcome("exits", anything, f"{name} hands it to {endpoint.service or 'its service'}")
