"""`solomonic network snapshot`: a live account's describe-* responses, written in the layout `snapshot` reads.

One file per call, named after the response's top-level key and holding every page of it (`Subnets.json` is
`{"Subnets": [...]}`), under `OUT/REGION/`; the calls made once per resource are gathered as issue 31 lays
them out (`LoadBalancerListeners.json`: `[{"LoadBalancerArn", "Listeners"}]`, and likewise the target health,
the load balancer attributes and a transit gateway route table's routes and propagations). Every call that
AWS paginates is followed to its last page: a snapshot that kept only the first page would make resources
silently missing, and a missing resource changes answers. Customer-managed prefix lists are written with
their entries as `Cidrs`, as describe-prefix-lists writes AWS's own. A transit gateway route table with more
routes than search-transit-gateway-routes returns is left without routes (and said so): the engine then
answers unknown on paths through it, where a partial list could make a wrong answer.

The clients are botocore's (the `network` extra: boto3); this is the only module that talks to AWS, and the
engine never needs it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

# (operation, the response's top-level key): one file each
EC2_CALLS = (("describe_vpcs", "Vpcs"), ("describe_subnets", "Subnets"), ("describe_route_tables", "RouteTables"),
             ("describe_internet_gateways", "InternetGateways"), ("describe_nat_gateways", "NatGateways"),
             ("describe_security_groups", "SecurityGroups"), ("describe_network_acls", "NetworkAcls"),
             ("describe_network_interfaces", "NetworkInterfaces"), ("describe_instances", "Reservations"),
             ("describe_addresses", "Addresses"), ("describe_vpc_peering_connections", "VpcPeeringConnections"),
             ("describe_vpc_endpoints", "VpcEndpoints"), ("describe_vpn_gateways", "VpnGateways"),
             ("describe_vpn_connections", "VpnConnections"), ("describe_customer_gateways", "CustomerGateways"),
             ("describe_transit_gateways", "TransitGateways"),
             ("describe_transit_gateway_attachments", "TransitGatewayAttachments"),
             ("describe_transit_gateway_vpc_attachments", "TransitGatewayVpcAttachments"),
             ("describe_transit_gateway_route_tables", "TransitGatewayRouteTables"))
ELB_CALLS = (("describe_load_balancers", "LoadBalancers"), ("describe_target_groups", "TargetGroups"))
ROUTE_TYPES = [{"Name": "type", "Values": ["static", "propagated"]}]  # search-transit-gateway-routes needs one

Responses = dict[str, list[Any]]


def every_page(client: Any, operation: str, key: str, **arguments: Any) -> list[Any]:
    """The items of `key` in every page of `operation` (one call where AWS does not paginate it)."""
    if client.can_paginate(operation):
        return [item for page in client.get_paginator(operation).paginate(**arguments) for item in page.get(key, [])]
    return list(getattr(client, operation)(**arguments).get(key, []))


def collect(ec2: Any, elbv2: Any, warn: Callable[[str], None]) -> Responses:
    """Every response the engine reads, from one region's EC2 and ELBv2 clients."""
    found: Responses = {key: every_page(ec2, operation, key) for operation, key in EC2_CALLS}
    found["PrefixLists"] = _prefix_lists(ec2)
    tables = [table["TransitGatewayRouteTableId"] for table in found["TransitGatewayRouteTables"]]
    found["TransitGatewayStaticRoutes"] = []
    for table in tables:
        routes = ec2.search_transit_gateway_routes(TransitGatewayRouteTableId=table, Filters=ROUTE_TYPES)
        if routes.get("AdditionalRoutesAvailable"):
            warn(f"{table} has more routes than search-transit-gateway-routes returns: its routes are left out, "
                 "so paths through it are unknown")
            continue
        found["TransitGatewayStaticRoutes"].append({"TransitGatewayRouteTableId": table,
                                                    "Routes": routes.get("Routes", [])})
    found["TransitGatewayPropagations"] = [
        {"TransitGatewayRouteTableId": table, "TransitGatewayRouteTablePropagations": every_page(
            ec2, "get_transit_gateway_route_table_propagations", "TransitGatewayRouteTablePropagations",
            TransitGatewayRouteTableId=table)} for table in tables]
    found.update({key: every_page(elbv2, operation, key) for operation, key in ELB_CALLS})
    balancers = [balancer["LoadBalancerArn"] for balancer in found["LoadBalancers"]]
    found["LoadBalancerListeners"] = [
        {"LoadBalancerArn": arn, "Listeners": every_page(elbv2, "describe_listeners", "Listeners", LoadBalancerArn=arn)}
        for arn in balancers]
    found["LoadBalancerAttributes"] = [
        {"LoadBalancerArn": arn, "Attributes": every_page(elbv2, "describe_load_balancer_attributes", "Attributes",
                                                          LoadBalancerArn=arn)} for arn in balancers]
    found["LoadBalancerTargetHealth"] = [
        {"TargetGroupArn": group["TargetGroupArn"], "TargetHealthDescriptions": every_page(
            elbv2, "describe_target_health", "TargetHealthDescriptions", TargetGroupArn=group["TargetGroupArn"])}
        for group in found["TargetGroups"]]
    return found


def _prefix_lists(ec2: Any) -> list[Any]:
    """AWS's prefix lists (describe-prefix-lists, with their `Cidrs`) and the account's managed ones, with
    their entries as `Cidrs`."""
    lists = every_page(ec2, "describe_prefix_lists", "PrefixLists")
    known = {found["PrefixListId"] for found in lists}
    for managed in every_page(ec2, "describe_managed_prefix_lists", "PrefixLists"):
        if managed["PrefixListId"] in known:
            continue
        entries = every_page(ec2, "get_managed_prefix_list_entries", "Entries", PrefixListId=managed["PrefixListId"])
        lists.append({"PrefixListId": managed["PrefixListId"], "PrefixListName": managed.get("PrefixListName", ""),
                      "Cidrs": [entry["Cidr"] for entry in entries]})
    return lists


def write(folder: Path, responses: Responses) -> None:
    """One `KEY.json` per response in `folder` (timestamps as ISO 8601 text)."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, items in responses.items():
        (folder / f"{key}.json").write_text(json.dumps({key: items}, indent=1, default=_iso) + "\n")


def _iso(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
