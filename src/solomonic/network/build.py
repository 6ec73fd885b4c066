"""The responses of a snapshot (`snapshot.read`) -> `model.Snapshot`; bad input -> `SnapshotError`.

Each resource is read with the fields AWS's describe-* responses give it; a required field that is missing,
a CIDR or address that does not parse, an id described twice: one line naming the file and JSON pointer.
Network interfaces come from `NetworkInterfaces.json` and, for those it lacks, from the instances that list
them (`Reservations.json`); Elastic IPs (`Addresses.json`) add the public address of the private one they
are associated with. A NAT gateway's interface is made from the gateway when no file lists it.

A route to a gateway, a peering connection or a prefix list whose file is missing is kept, with a warning:
only the answers whose paths reach it become unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, is_dataclass, replace
from typing import TypeVar

from solomonic.network import build_balancers, build_gateways, build_rules, build_transit
from solomonic.network.fields import Fields
from solomonic.network.model import (
    Interface,
    InternetGateway,
    NatGateway,
    Origin,
    Peering,
    PrefixList,
    Route,
    RouteTable,
    Snapshot,
    Subnet,
    Vpc,
)
from solomonic.network.snapshot import Responses, SnapshotError, read

T = TypeVar("T")
# a route's target fields, in the order AWS fills them (an instance route names its interface too)
_TARGETS = ("GatewayId", "NatGatewayId", "VpcPeeringConnectionId", "TransitGatewayId", "NetworkInterfaceId",
            "InstanceId", "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn")
# a route target's id prefix -> the response that describes it
_TARGET_FILES = {"igw-": "InternetGateways", "nat-": "NatGateways", "pcx-": "VpcPeeringConnections",
                 "vpce-": "VpcEndpoints", "vgw-": "VpnGateways", "tgw-": "TransitGateways"}


def load(directory: str) -> Snapshot:
    """Read and build the snapshot in `directory`."""
    return build(read(directory))


class _Skip(Exception):
    """A resource no IPv4 packet can meet (an IPv6-only subnet): left out, with a warning saying why."""


def build(responses: Responses) -> Snapshot:
    skipped: list[str] = []

    def table(key: str, make: Callable[[Fields], T], ident: Callable[[T], str]) -> dict[str, T]:
        made: dict[str, T] = {}
        origins: dict[str, Origin] = {}
        for item in responses.of(key):
            fields = Fields.of(item)
            try:
                value = make(fields)
            except _Skip as skip:
                skipped.append(f"{fields.origin}: {skip}")
                continue
            name = ident(value)
            if name in made and _meaning(made[name]) != _meaning(value):
                raise SnapshotError(f"{fields.origin}: {name} is described twice, differently (also at "
                                    f"{origins[name]})")
            if name not in made:
                made[name], origins[name] = value, fields.origin
        return made

    nat_gateways = table("NatGateways", _nat_gateway, lambda n: n.id)
    interfaces = table("NetworkInterfaces", _interface, lambda i: i.id)
    instances = _instances(responses, interfaces)
    for nat in nat_gateways.values():  # what a NAT gateway's interface does is the gateway's, whatever it says
        listed = interfaces.get(nat.interface_id or nat.id)
        if listed is not None:
            interfaces[listed.id] = replace(listed, kind="nat_gateway")
        elif nat.private_ip is not None:
            interface = _nat_interface(nat)
            interfaces[interface.id] = interface
    _add_elastic_ips(responses, interfaces)
    snapshot = Snapshot(
        source=responses.source,
        vpcs=table("Vpcs", _vpc, lambda v: v.id),
        subnets=table("Subnets", _subnet, lambda s: s.id),
        route_tables=table("RouteTables", _route_table, lambda r: r.id),
        internet_gateways=table("InternetGateways", _internet_gateway, lambda g: g.id),
        nat_gateways=nat_gateways,
        security_groups=table("SecurityGroups", build_rules.security_group, lambda g: g.id),
        network_acls=table("NetworkAcls", build_rules.network_acl, lambda a: a.id),
        interfaces=interfaces, instances=instances,
        private_addresses={(i.vpc_id, address): i.id for i in interfaces.values() for address in i.private_ips},
        public_addresses={public: i.id for i in interfaces.values() for _, public in i.public_ips},
        peerings=table("VpcPeeringConnections", _peering, lambda p: p.id),
        prefix_lists=table("PrefixLists", _prefix_list, lambda p: p.id),
        endpoints=table("VpcEndpoints", build_gateways.endpoint, lambda e: e.id),
        vpn_gateways=table("VpnGateways", build_gateways.vpn_gateway, lambda g: g.id),
        vpn_connections=table("VpnConnections", build_gateways.vpn_connection, lambda c: c.id),
        transit_gateways=table("TransitGateways", build_transit.transit_gateway, lambda g: g.id),
        transit_attachments=build_transit.attachments(responses),
        transit_route_tables=build_transit.route_tables(responses),
        load_balancers=build_balancers.load_balancers(responses),
        target_groups=build_balancers.target_groups(responses),
        present=frozenset(responses.items))
    return replace(snapshot, warnings=(*responses.warnings, *skipped, *_dangling(snapshot)))


def _meaning(resource: object) -> object:
    """What a resource says, without where it was read: the same resource in the responses of two accounts
    (a peering connection seen from both sides, a shared subnet) is read once; two different resources
    with one id are an error."""
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {key: strip(inner) for key, inner in value.items() if key != "origin"}
        if isinstance(value, (list, tuple)):
            return [strip(inner) for inner in value]
        return value
    assert is_dataclass(resource) and not isinstance(resource, type)
    return strip(asdict(resource))


def _dangling(snapshot: Snapshot) -> list[str]:
    """A warning for each route and rule naming a gateway, a peering or a prefix list whose file is missing."""
    warnings = []
    for table in snapshot.route_tables.values():
        for route in table.routes:
            key = next((k for prefix, k in _TARGET_FILES.items() if route.target.startswith(prefix)), None)
            if key is not None and key not in snapshot.present:
                warnings.append(f"{route.origin}: the route to {route.target}: {key}.json is missing; "
                                "paths through it are unknown")
            if route.prefix_list is not None and "PrefixLists" not in snapshot.present:
                warnings.append(f"{route.origin}: the route to {route.prefix_list}: PrefixLists.json is missing; "
                                "packets this route could match have unknown paths")
    if "PrefixLists" not in snapshot.present:
        for group in snapshot.security_groups.values():
            warnings.extend(f"{rule.origin}: names {', '.join(rule.prefix_lists)}: PrefixLists.json is missing; "
                            "decisions that depend on it are unknown"
                            for rule in (*group.ingress, *group.egress) if rule.prefix_lists)
    return warnings


def _vpc(fields: Fields) -> Vpc:
    cidrs = [fields.cidr("CidrBlock")]
    for association in fields.objects("CidrBlockAssociationSet"):
        state = association.child("CidrBlockState")
        cidr = association.cidr("CidrBlock")
        if cidr not in cidrs and (state is None or state.optional_text("State") in (None, "associated")):
            cidrs.append(cidr)
    return Vpc(fields.text("VpcId"), tuple(cidrs), fields.origin)


def _subnet(fields: Fields) -> Subnet:
    if not fields.has("CidrBlock") and fields.flag("Ipv6Native", False):
        raise _Skip(f"{fields.text('SubnetId')} is IPv6-only; the engine answers about IPv4 packets")
    zone = fields.optional_text("AvailabilityZoneId") or fields.optional_text("AvailabilityZone") or ""
    return Subnet(fields.text("SubnetId"), fields.text("VpcId"), fields.cidr("CidrBlock"), zone, fields.origin)


def _in_effect(association: Fields) -> bool:
    """An association that is made (`associated`), not one being undone or failed."""
    state = association.child("AssociationState")
    return state is None or state.optional_text("State") in (None, "associated")


def _route_table(fields: Fields) -> RouteTable:
    associations = [a for a in fields.objects("Associations") if _in_effect(a)]
    routes = [route for route in map(_route, fields.objects("Routes")) if route is not None]
    return RouteTable(fields.text("RouteTableId"), fields.text("VpcId"), tuple(routes),
                      frozenset(a.text("SubnetId") for a in associations if a.has("SubnetId")),
                      any(a.flag("Main", False) for a in associations),
                      frozenset(a.text("GatewayId") for a in associations if a.has("GatewayId")),
                      fields.origin)


def _route(fields: Fields) -> Route | None:
    """An IPv4 route, or None for an IPv6 one."""
    if not fields.has("DestinationCidrBlock") and not fields.has("DestinationPrefixListId"):
        if fields.has("DestinationIpv6CidrBlock"):
            return None
        raise fields.error("DestinationCidrBlock", "a route needs a destination")
    target = next((fields.text(key) for key in _TARGETS if fields.has(key)), None)
    if target is None:
        raise SnapshotError(f"{fields.origin}: a route needs a target (GatewayId, NatGatewayId, ...)")
    state = fields.optional_text("State") or "active"
    return Route(fields.cidr("DestinationCidrBlock") if fields.has("DestinationCidrBlock") else None,
                 fields.optional_text("DestinationPrefixListId") if not fields.has("DestinationCidrBlock") else None,
                 target, state == "blackhole", fields.optional_text("Origin") == "EnableVgwRoutePropagation",
                 fields.origin)


def _internet_gateway(fields: Fields) -> InternetGateway:
    attached = frozenset(a.text("VpcId") for a in fields.objects("Attachments")
                         if a.optional_text("State") in (None, "available", "attached"))
    return InternetGateway(fields.text("InternetGatewayId"), attached, fields.origin)


def _nat_gateway(fields: Fields) -> NatGateway:
    addresses = fields.objects("NatGatewayAddresses")
    primary = next((a for a in addresses if a.flag("IsPrimary", True)), None)
    return NatGateway(fields.text("NatGatewayId"), fields.text("SubnetId"), fields.text("VpcId"),
                      fields.optional_text("State") or "available",
                      primary.optional_text("NetworkInterfaceId") if primary else None,
                      primary.optional_address("PrivateIp") if primary else None,
                      primary.optional_address("PublicIp") if primary else None, fields.origin)


def _nat_interface(nat: NatGateway) -> Interface:
    """The NAT gateway's interface, named by the gateway when the snapshot does not give its id."""
    assert nat.private_ip is not None
    public = ((nat.private_ip, nat.public_ip),) if nat.public_ip is not None else ()
    return Interface(nat.interface_id or nat.id, nat.subnet_id, nat.vpc_id, (nat.private_ip,), public, (), "nat_gateway", "",
                     None, None, True, nat.origin)


def _interface(fields: Fields, instance_id: str | None = None, check: bool = True) -> Interface:
    """A network interface as describe-network-interfaces or describe-instances lists it."""
    primary = fields.optional_address("PrivateIpAddress")  # absent on an IPv6-only interface
    privates, publics = ([primary] if primary else []), []
    for address in fields.objects("PrivateIpAddresses"):
        private = address.address("PrivateIpAddress")
        if private not in privates:
            privates.append(private)
        association = address.child("Association")
        if association is not None and association.has("PublicIp"):
            publics.append((private, association.address("PublicIp")))
    association = fields.child("Association")
    if (association is not None and association.has("PublicIp") and primary is not None
            and all(own != primary for own, _ in publics)):
        publics.append((primary, association.address("PublicIp")))
    attachment = fields.child("Attachment")
    if attachment is not None and instance_id is None:
        instance_id = attachment.optional_text("InstanceId")
    return Interface(fields.text("NetworkInterfaceId"), fields.text("SubnetId"), fields.text("VpcId"),
                     tuple(privates), tuple(publics), tuple(group.text("GroupId") for group in fields.objects("Groups")),
                     fields.optional_text("InterfaceType") or "interface", fields.optional_text("Description") or "",
                     instance_id,
                     attachment.optional_integer("DeviceIndex") if attachment else None,
                     fields.flag("SourceDestCheck", check), fields.origin)


def _instances(responses: Responses, interfaces: dict[str, Interface]) -> dict[str, tuple[str, ...]]:
    """Each instance's interfaces by device index; an interface only the instance lists is added."""
    instances: dict[str, tuple[str, ...]] = {}
    for item in responses.of("Reservations"):
        for instance in Fields.of(item).objects("Instances"):
            name = instance.text("InstanceId")
            if name in instances:
                raise SnapshotError(f"{instance.origin}: {name} is described twice")
            check = instance.flag("SourceDestCheck", True)
            own = []
            for listed in instance.objects("NetworkInterfaces"):
                interface = interfaces.get(listed.text("NetworkInterfaceId")) or _interface(listed, name, check)
                interfaces.setdefault(interface.id, interface)
                own.append(interface)
            own.sort(key=lambda i: (i.device_index is None, i.device_index or 0))
            instances[name] = tuple(i.id for i in own)
    return instances


def _add_elastic_ips(responses: Responses, interfaces: dict[str, Interface]) -> None:
    """Give each Elastic IP to the private address of the interface it is associated with."""
    for item in responses.of("Addresses"):
        fields = Fields.of(item)
        name, private = fields.optional_text("NetworkInterfaceId"), fields.optional_address("PrivateIpAddress")
        if name is None or private is None or name not in interfaces:
            continue  # not associated, or with an interface the snapshot lacks: no path can reach it
        interface = interfaces[name]
        if interface.public_for(private) is None:
            public = ((private, fields.address("PublicIp")),)
            interfaces[name] = replace(interface, public_ips=interface.public_ips + public)


def _peering(fields: Fields) -> Peering:
    sides = []
    for key in ("RequesterVpcInfo", "AccepterVpcInfo"):
        side = fields.child(key)
        if side is None:
            raise SnapshotError(f"{fields.origin}: the required field {key!r} is missing")
        cidrs = [side.cidr("CidrBlock")] if side.has("CidrBlock") else []
        cidrs += [c for c in (block.cidr("CidrBlock") for block in side.objects("CidrBlockSet")) if c not in cidrs]
        sides.append((side.text("VpcId"), tuple(cidrs)))
    status = fields.child("Status")
    return Peering(fields.text("VpcPeeringConnectionId"), sides[0][0], sides[1][0], sides[0][1], sides[1][1],
                   (status.optional_text("Code") if status else None) or "active", fields.origin)


def _prefix_list(fields: Fields) -> PrefixList:
    """A prefix list; its CIDRs None when the response does not give them (describe-managed-prefix-lists
    leaves them to get-managed-prefix-list-entries)."""
    name, title = fields.text("PrefixListId"), fields.optional_text("PrefixListName") or ""
    cidrs = fields.value.get("Cidrs")
    if cidrs is None:
        return PrefixList(name, title, None, fields.origin)
    if not isinstance(cidrs, list):
        raise fields.error("Cidrs", "expected a list of CIDRs")
    listed = Fields({str(i): c for i, c in enumerate(cidrs)}, fields.at("Cidrs"))
    return PrefixList(name, title, tuple(listed.cidr(str(i)) for i in range(len(cidrs))), fields.origin)
