"""VPC endpoints, virtual private gateways and VPN connections: their JSON (describe-vpc-endpoints,
describe-vpn-gateways, describe-vpn-connections) -> the model.

States are kept in lower case: the EC2 API writes endpoint states both ways (`available`, `Available`).
A VPN connection keeps only its static routes in effect (`State` available); the routes it learns by BGP are
not in any response, so only the tunnels' count of accepted routes (`VgwTelemetry`) is kept.
"""

from __future__ import annotations

from solomonic.network.fields import Fields
from solomonic.network.model import VpcEndpoint, VpnConnection, VpnGateway


def endpoint(fields: Fields) -> VpcEndpoint:
    interfaces = fields.value.get("NetworkInterfaceIds") or []
    if not isinstance(interfaces, list) or not all(isinstance(name, str) for name in interfaces):
        raise fields.error("NetworkInterfaceIds", "expected a list of network interface ids")
    return VpcEndpoint(fields.text("VpcEndpointId"), fields.text("VpcId"), fields.text("VpcEndpointType"),
                       fields.optional_text("ServiceName") or "", (fields.optional_text("State") or "").lower(),
                       fields.origin, tuple(interfaces))


def vpn_gateway(fields: Fields) -> VpnGateway:
    attached = frozenset(a.text("VpcId") for a in fields.objects("VpcAttachments")
                         if a.optional_text("State") in (None, "attached"))
    return VpnGateway(fields.text("VpnGatewayId"), attached, fields.optional_text("State") or "available",
                      fields.origin)


def vpn_connection(fields: Fields) -> VpnConnection:
    options = fields.child("Options")
    static_only = options.flag("StaticRoutesOnly", False) if options is not None else False
    routes = tuple(route.cidr("DestinationCidrBlock") for route in fields.objects("Routes")
                   if route.optional_text("State") in (None, "available"))
    telemetry = fields.objects("VgwTelemetry")
    accepted = sum(tunnel.optional_integer("AcceptedRouteCount") or 0 for tunnel in telemetry) if telemetry else None
    return VpnConnection(fields.text("VpnConnectionId"), fields.optional_text("VpnGatewayId"),
                         fields.optional_text("State") or "available", static_only, routes, accepted, fields.origin)
