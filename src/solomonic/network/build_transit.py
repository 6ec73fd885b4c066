"""Transit gateways: their responses -> the model.

Issue 31's files: `TransitGateways.json` (describe-transit-gateways), `TransitGatewayAttachments.json`
(describe-transit-gateway-attachments: each attachment's resource and associated route table),
`TransitGatewayVpcAttachments.json` (describe-transit-gateway-vpc-attachments: the subnets and options of
a VPC attachment), `TransitGatewayRouteTables.json`, and the per-table answers gathered into
`TransitGatewayStaticRoutes.json` (search-transit-gateway-routes) and `TransitGatewayPropagations.json`
(get-transit-gateway-route-table-propagations). A table whose routes or propagations the snapshot lacks
keeps None for them, so that a question that needs them is unknown rather than routed by half a table.
"""

from __future__ import annotations

from solomonic.network.fields import Fields
from solomonic.network.model import (
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRoute,
    TransitGatewayRouteTable,
)
from solomonic.network.snapshot import Responses, SnapshotError


def _enabled(options: Fields | None, key: str) -> bool:
    return options is not None and options.optional_text(key) == "enable"


def transit_gateway(fields: Fields) -> TransitGateway:
    return TransitGateway(fields.text("TransitGatewayId"), fields.optional_text("State") or "available",
                          _enabled(fields.child("Options"), "SecurityGroupReferencingSupport"), fields.origin)


def attachments(responses: Responses) -> dict[str, TransitGatewayAttachment]:
    """Every attachment, from the generic list joined with the VPC attachments' subnets and options; a VPC
    attachment only the second file lists has no known route table. An attachment listed by two accounts (the
    gateway's owner sees its association, the VPC's owner may not) keeps the association either gives."""
    vpc_details = {}
    for item in responses.of("TransitGatewayVpcAttachments"):
        fields = Fields.of(item)
        vpc_details[fields.text("TransitGatewayAttachmentId")] = fields
    made: dict[str, TransitGatewayAttachment] = {}
    for item in responses.of("TransitGatewayAttachments"):
        fields = Fields.of(item)
        association = fields.child("Association")
        associated = association is not None and association.optional_text("State") in (None, "associated")
        name = fields.text("TransitGatewayAttachmentId")
        attachment = _attachment(
            fields, fields.text("ResourceType"), fields.text("ResourceId"),
            association.optional_text("TransitGatewayRouteTableId") if association and associated else None,
            vpc_details.get(name))
        if name not in made or made[name].route_table_id is None:
            made[name] = attachment
    for name, fields in vpc_details.items():
        if name not in made:
            made[name] = _attachment(fields, "vpc", fields.text("VpcId"), None, fields)
    return made


def _attachment(fields: Fields, kind: str, resource: str, table: str | None,
                vpc: Fields | None) -> TransitGatewayAttachment:
    options = vpc.child("Options") if vpc is not None else None
    subnets = tuple(_strings(vpc, "SubnetIds")) if vpc is not None else ()
    return TransitGatewayAttachment(fields.text("TransitGatewayAttachmentId"), fields.text("TransitGatewayId"), kind,
                                    resource, fields.optional_text("State") or "available", table, subnets,
                                    _enabled(options, "ApplianceModeSupport"),
                                    _enabled(options, "SecurityGroupReferencingSupport"), fields.origin)


def _strings(fields: Fields, key: str) -> list[str]:
    value = fields.value.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fields.error(key, "expected a list of strings")
    return value


def route_tables(responses: Responses) -> dict[str, TransitGatewayRouteTable]:
    routes = {}
    for item in responses.of("TransitGatewayStaticRoutes"):
        fields = Fields.of(item)
        listed = (_route(route) for route in fields.objects("Routes"))
        routes[fields.text("TransitGatewayRouteTableId")] = tuple(r for r in listed if r is not None)
    propagations = {}
    for item in responses.of("TransitGatewayPropagations"):
        fields = Fields.of(item)
        propagations[fields.text("TransitGatewayRouteTableId")] = tuple(
            p.text("TransitGatewayAttachmentId") for p in fields.objects("TransitGatewayRouteTablePropagations")
            if p.optional_text("State") in (None, "enabled"))
    made = {}
    for item in responses.of("TransitGatewayRouteTables"):
        fields = Fields.of(item)
        name = fields.text("TransitGatewayRouteTableId")
        if name in made:
            raise SnapshotError(f"{fields.origin}: {name} is described twice")
        made[name] = TransitGatewayRouteTable(name, fields.text("TransitGatewayId"), routes.get(name),
                                              propagations.get(name), fields.origin)
    return made


def _route(fields: Fields) -> TransitGatewayRoute | None:
    """An IPv4 route, None for an IPv6 one (the same field holds both)."""
    if fields.has("DestinationCidrBlock") and ":" in fields.text("DestinationCidrBlock"):
        return None
    if not fields.has("DestinationCidrBlock") and not fields.has("PrefixListId"):
        raise fields.error("DestinationCidrBlock", "a transit gateway route needs a destination")
    return TransitGatewayRoute(
        fields.cidr("DestinationCidrBlock") if fields.has("DestinationCidrBlock") else None,
        None if fields.has("DestinationCidrBlock") else fields.text("PrefixListId"),
        tuple(target.text("TransitGatewayAttachmentId") for target in fields.objects("TransitGatewayAttachments")),
        fields.optional_text("State") == "blackhole", fields.optional_text("Type") != "propagated", fields.origin)
