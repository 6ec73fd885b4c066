"""Small snapshots for the tests, written as the AWS CLI's JSON files, built the way a VPC is built in AWS.

`Net().vpc(...)` creates what AWS creates with a VPC: its main route table with the local route and its
default network ACL, which allows everything both ways. The other methods add one resource each, in the
shape describe-* returns it; `write(folder)` lays the files out flat and returns the folder.
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from ipaddress import IPv4Address
from pathlib import Path

from solomonic.network import build, packet
from solomonic.network.model import Snapshot
from solomonic.network.result import Trace
from solomonic.network.snapshot import Item, Responses
from solomonic.network.trace import trace


def tcp(port: int | tuple[int, int], *cidrs: str, groups: tuple[str, ...] = (),
        prefix_lists: tuple[str, ...] = ()) -> dict:
    """A security-group rule for TCP on a port or a (low, high) range."""
    low, high = port if isinstance(port, tuple) else (port, port)
    return rule("tcp", low, high, *cidrs, groups=groups, prefix_lists=prefix_lists)


def rule(protocol: str, low: int | None, high: int | None, *cidrs: str, groups: tuple[str, ...] = (),
         prefix_lists: tuple[str, ...] = ()) -> dict:
    made: dict = {"IpProtocol": protocol, "IpRanges": [{"CidrIp": c} for c in cidrs],
                  "Ipv6Ranges": [], "PrefixListIds": [{"PrefixListId": p} for p in prefix_lists],
                  "UserIdGroupPairs": [{"GroupId": g, "UserId": "111122223333"} for g in groups]}
    if low is not None:
        made["FromPort"], made["ToPort"] = low, high
    return made


ANYTHING = rule("-1", None, None, "0.0.0.0/0")


def entry(number: int, action: str, cidr: str, egress: bool, protocol: str = "-1",
          ports: tuple[int, int] | None = None, icmp: tuple[int, int] | None = None) -> dict:
    """A network ACL entry."""
    made: dict = {"RuleNumber": number, "RuleAction": action, "CidrBlock": cidr, "Egress": egress,
                  "Protocol": protocol}
    if ports is not None:
        made["PortRange"] = {"From": ports[0], "To": ports[1]}
    if icmp is not None:
        made["IcmpTypeCode"] = {"Type": icmp[0], "Code": icmp[1]}
    return made


def open_entries() -> list[dict]:
    """The default network ACL's entries: allow everything, then the `*` deny, each way."""
    return [entry(100, "allow", "0.0.0.0/0", False), entry(32767, "deny", "0.0.0.0/0", False),
            entry(100, "allow", "0.0.0.0/0", True), entry(32767, "deny", "0.0.0.0/0", True)]


class Net:
    def __init__(self) -> None:
        self.files: dict[str, list[dict]] = defaultdict(list)

    def _find(self, key: str, id_field: str, name: str) -> dict:
        return next(item for item in self.files[key] if item[id_field] == name)

    def vpc(self, name: str, cidr: str, *more: str) -> Net:
        self.files["Vpcs"].append({"VpcId": name, "CidrBlock": cidr, "CidrBlockAssociationSet": [
            {"CidrBlock": c, "CidrBlockState": {"State": "associated"}} for c in (cidr, *more)]})
        self.route_table(f"rtb-main-{name}", name, main=True)
        self.acl(f"acl-default-{name}", name, default=True)
        return self

    def subnet(self, name: str, vpc: str, cidr: str, zone: str = "a") -> Net:
        self.files["Subnets"].append({"SubnetId": name, "VpcId": vpc, "CidrBlock": cidr,
                                      "AvailabilityZone": f"eu-west-1{zone}", "AvailabilityZoneId": f"euw1-az-{zone}"})
        return self

    def route_table(self, name: str, vpc: str, *routes: dict, subnets: tuple[str, ...] = (),
                    main: bool = False, gateway: str | None = None) -> Net:
        local = [{"DestinationCidrBlock": c["CidrBlock"], "GatewayId": "local", "State": "active",
                  "Origin": "CreateRouteTable"}
                 for c in self._find("Vpcs", "VpcId", vpc)["CidrBlockAssociationSet"]]
        associations = [{"Main": False, "SubnetId": s, "RouteTableId": name} for s in subnets]
        if main:
            associations.append({"Main": True, "RouteTableId": name})
        if gateway:  # an edge association: the table routes what enters through the gateway
            associations.append({"Main": False, "GatewayId": gateway, "RouteTableId": name})
        self.files["RouteTables"].append({"RouteTableId": name, "VpcId": vpc, "Routes": [*local, *routes],
                                          "Associations": associations})
        return self

    def route(self, table: str, destination: str, target: str, **fields: object) -> Net:
        """Add a route to `table`: `destination` a CIDR or a prefix list id (`pl-...`)."""
        key = {"nat-": "NatGatewayId", "pcx-": "VpcPeeringConnectionId", "tgw-": "TransitGatewayId",
               "eni-": "NetworkInterfaceId"}.get(target.partition("-")[0] + "-", "GatewayId")
        where = "DestinationPrefixListId" if destination.startswith("pl-") else "DestinationCidrBlock"
        self._find("RouteTables", "RouteTableId", table)["Routes"].append(
            {where: destination, key: target, "State": "active", "Origin": "CreateRoute", **fields})
        return self

    def internet_gateway(self, name: str, vpc: str | None) -> Net:
        attachments = [{"State": "available", "VpcId": vpc}] if vpc else []
        self.files["InternetGateways"].append({"InternetGatewayId": name, "Attachments": attachments})
        return self

    def nat_gateway(self, name: str, subnet: str, vpc: str, private: str, public: str | None,
                    state: str = "available") -> Net:
        address = {"NetworkInterfaceId": f"eni-{name}", "PrivateIp": private, "IsPrimary": True}
        if public:
            address["PublicIp"] = public
        self.files["NatGateways"].append({"NatGatewayId": name, "SubnetId": subnet, "VpcId": vpc, "State": state,
                                          "ConnectivityType": "public" if public else "private",
                                          "NatGatewayAddresses": [address]})
        return self

    def security_group(self, name: str, vpc: str, ingress: tuple[dict, ...] = (),
                       egress: tuple[dict, ...] = (ANYTHING,)) -> Net:
        self.files["SecurityGroups"].append({"GroupId": name, "GroupName": name, "VpcId": vpc,
                                             "IpPermissions": list(ingress), "IpPermissionsEgress": list(egress)})
        return self

    def acl(self, name: str, vpc: str, *entries: dict, subnets: tuple[str, ...] = (), default: bool = False) -> Net:
        self.files["NetworkAcls"].append({
            "NetworkAclId": name, "VpcId": vpc, "IsDefault": default,
            "Entries": list(entries) if entries or not default else open_entries(),
            "Associations": [{"NetworkAclId": name, "SubnetId": s} for s in subnets]})
        for other in self.files["NetworkAcls"]:  # a subnet has one ACL: taking it moves the association
            if other["NetworkAclId"] != name:
                other["Associations"] = [a for a in other["Associations"] if a["SubnetId"] not in subnets]
        return self

    def interface(self, name: str, subnet: str, vpc: str, *ips: str, groups: tuple[str, ...] = (),
                  public: str | None = None, instance: str | None = None, kind: str = "interface",
                  source_dest_check: bool = True, description: str = "") -> Net:
        addresses = [{"PrivateIpAddress": ip, "Primary": index == 0} for index, ip in enumerate(ips)]
        made: dict = {"NetworkInterfaceId": name, "SubnetId": subnet, "VpcId": vpc, "PrivateIpAddress": ips[0],
                      "PrivateIpAddresses": addresses, "Groups": [{"GroupId": g} for g in groups],
                      "InterfaceType": kind, "SourceDestCheck": source_dest_check, "Status": "in-use",
                      "Description": description}
        if public:
            made["Association"] = {"PublicIp": public}
            addresses[0]["Association"] = {"PublicIp": public}
        if instance:
            made["Attachment"] = {"InstanceId": instance, "DeviceIndex": 0, "Status": "attached"}
        self.files["NetworkInterfaces"].append(made)
        return self

    def instance(self, name: str, subnet: str, vpc: str, ip: str, groups: tuple[str, ...] = (),
                 public: str | None = None) -> Net:
        """An instance with one interface (`eni-` + the instance's name without `i-`)."""
        eni = f"eni-{name.removeprefix('i-')}"
        self.interface(eni, subnet, vpc, ip, groups=groups, public=public, instance=name)
        listed = {key: copy.deepcopy(value) for key, value in self.files["NetworkInterfaces"][-1].items()
                  if key != "InterfaceType"}
        self.files["Reservations"].append({"ReservationId": f"r-{name}", "Instances": [
            {"InstanceId": name, "PrivateIpAddress": ip, "SubnetId": subnet, "VpcId": vpc,
             "NetworkInterfaces": [listed], "SourceDestCheck": True}]})
        return self

    def peering(self, name: str, requester: str, accepter: str, status: str = "active") -> Net:
        def info(vpc: str) -> dict:
            found = self._find("Vpcs", "VpcId", vpc)
            return {"VpcId": vpc, "CidrBlock": found["CidrBlock"], "OwnerId": "111122223333",
                    "CidrBlockSet": [{"CidrBlock": c["CidrBlock"]} for c in found["CidrBlockAssociationSet"]]}
        self.files["VpcPeeringConnections"].append({"VpcPeeringConnectionId": name, "RequesterVpcInfo": info(requester),
                                                    "AccepterVpcInfo": info(accepter), "Status": {"Code": status}})
        return self

    def vpn_gateway(self, name: str, vpc: str | None) -> Net:
        attachments = [{"State": "attached", "VpcId": vpc}] if vpc else []
        self.files["VpnGateways"].append({"VpnGatewayId": name, "State": "available", "Type": "ipsec.1",
                                          "VpcAttachments": attachments})
        return self

    def vpn_connection(self, name: str, gateway: str, *routes: str, static: bool = True,
                       accepted: tuple[int, ...] | None = None, state: str = "available") -> Net:
        """A VPN connection: static with `routes`, or dynamic (BGP) with its tunnels' accepted route counts."""
        made: dict = {"VpnConnectionId": name, "VpnGatewayId": gateway, "State": state, "Type": "ipsec.1",
                      "CustomerGatewayId": "cgw-1", "Options": {"StaticRoutesOnly": static},
                      "Routes": [{"DestinationCidrBlock": r, "Source": "Static", "State": "available"} for r in routes]}
        if accepted is not None:
            made["VgwTelemetry"] = [{"AcceptedRouteCount": count, "Status": "UP"} for count in accepted]
        self.files["VpnConnections"].append(made)
        return self

    def endpoint(self, name: str, vpc: str, kind: str, service: str, state: str = "available") -> Net:
        self.files["VpcEndpoints"].append({"VpcEndpointId": name, "VpcId": vpc, "VpcEndpointType": kind,
                                           "ServiceName": service, "State": state})
        return self

    def transit_gateway(self, name: str, group_references: bool = False) -> Net:
        self.files["TransitGateways"].append({"TransitGatewayId": name, "State": "available", "Options": {
            "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable",
            "SecurityGroupReferencingSupport": "enable" if group_references else "disable"}})
        return self

    def transit_attachment(self, name: str, gateway: str, kind: str, resource: str, table: str | None,
                           subnets: tuple[str, ...] = (), appliance_mode: bool = False,
                           group_references: bool = False) -> Net:
        """An attachment (`kind` vpc, vpn, peering, ...) associated with `table`; a VPC attachment's subnets."""
        made: dict = {"TransitGatewayAttachmentId": name, "TransitGatewayId": gateway, "ResourceType": kind,
                      "ResourceId": resource, "State": "available"}
        if table:
            made["Association"] = {"TransitGatewayRouteTableId": table, "State": "associated"}
        self.files["TransitGatewayAttachments"].append(made)
        if kind == "vpc":
            self.files["TransitGatewayVpcAttachments"].append({
                "TransitGatewayAttachmentId": name, "TransitGatewayId": gateway, "VpcId": resource,
                "State": "available", "SubnetIds": list(subnets), "Options": {
                    "ApplianceModeSupport": "enable" if appliance_mode else "disable",
                    "SecurityGroupReferencingSupport": "enable" if group_references else "disable"}})
        return self

    def transit_route_table(self, name: str, gateway: str, *routes: tuple[str, str | None],
                            propagations: tuple[str, ...] = ()) -> Net:
        """A transit gateway route table: static (destination, attachment) routes, None for a blackhole, and
        the attachments that propagate into it."""
        self.files["TransitGatewayRouteTables"].append({"TransitGatewayRouteTableId": name,
                                                        "TransitGatewayId": gateway, "State": "available"})
        self.files["TransitGatewayStaticRoutes"].append({"TransitGatewayRouteTableId": name, "Routes": [
            {"DestinationCidrBlock": destination, "Type": "static",
             "State": "active" if attachment else "blackhole",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": attachment}] if attachment else []}
            for destination, attachment in routes]})
        self.files["TransitGatewayPropagations"].append({"TransitGatewayRouteTableId": name,
                                                         "TransitGatewayRouteTablePropagations": [
            {"TransitGatewayAttachmentId": a, "State": "enabled"} for a in propagations]})
        return self

    def load_balancer(self, name: str, kind: str, vpc: str, *listeners: tuple, cross_zone: bool | None = None) -> Net:
        """An application (`app`) or network (`net`) load balancer and its (protocol, port[, target group])
        listeners, each forwarding by default to its target group (none: a fixed response); its interfaces
        are added with `interface(..., description=f"ELB {kind}/{name}/1")`."""
        arn = balancer_arn(kind, name)
        self.files["LoadBalancers"].append({"LoadBalancerArn": arn, "LoadBalancerName": name, "VpcId": vpc,
                                            "Type": {"app": "application", "net": "network"}[kind]})
        self.files["LoadBalancerListeners"].append({"LoadBalancerArn": arn, "Listeners": [
            {"Protocol": protocol, "Port": port, "DefaultActions": [
                {"Type": "forward", "TargetGroupArn": group_arn(group[0]), "Order": 1} if group else
                {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503"}}]}
            for protocol, port, *group in listeners]})
        if cross_zone is not None:
            self.files["LoadBalancerAttributes"].append({"LoadBalancerArn": arn, "Attributes": [
                {"Key": "load_balancing.cross_zone.enabled", "Value": str(cross_zone).lower()}]})
        return self

    def target_group(self, name: str, protocol: str, port: int, balancer: str, *targets: str | tuple[str, ...],
                     kind: str = "instance") -> Net:
        """A target group of `balancer` (its ARN) and its targets: ids, or (id, health state[, zone])."""
        self.files["TargetGroups"].append({"TargetGroupArn": group_arn(name), "TargetGroupName": name,
                                           "Protocol": protocol, "Port": port, "TargetType": kind,
                                           "LoadBalancerArns": [balancer]})
        self.files["LoadBalancerTargetHealth"].append({"TargetGroupArn": group_arn(name), "TargetHealthDescriptions": [
            {"Target": {"Id": target if isinstance(target, str) else target[0], "Port": port,
                        **({"AvailabilityZone": target[2]} if len(target) > 2 and not isinstance(target, str) else {})},
             "TargetHealth": {"State": "healthy" if isinstance(target, str) else target[1]}} for target in targets]})
        return self

    def prefix_list(self, name: str, *cidrs: str) -> Net:
        self.files["PrefixLists"].append({"PrefixListId": name, "PrefixListName": name, "Cidrs": list(cidrs)})
        return self

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for key, items in self.files.items():
            (folder / f"{key}.json").write_text(json.dumps({key: items}, indent=2))
        return folder

    def load(self, folder: Path) -> Snapshot:
        return build.load(str(self.write(folder)))

    def build(self) -> Snapshot:
        """The snapshot these files make, read from memory (for tests that build many)."""
        items = {key: [Item(value, f"{key}.json", f"/{key}/{index}") for index, value in enumerate(listed)]
                 for key, listed in self.files.items()}
        return build.build(Responses("memory", items, ()))


def balancer_arn(kind: str, name: str) -> str:
    return f"arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/{kind}/{name}/1"


def group_arn(name: str) -> str:
    return f"arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/{name}/1"


def two_tier() -> Net:
    """The classic VPC: a public subnet (web server, NAT gateway) whose routes go to an internet gateway, a
    private app subnet whose default route is the NAT gateway, and a database subnet with the local route
    only; the database admits 5432 from the app tier's security group."""
    return (Net().vpc("vpc-1", "10.0.0.0/16")
            .subnet("subnet-public", "vpc-1", "10.0.1.0/24").subnet("subnet-app", "vpc-1", "10.0.2.0/24")
            .subnet("subnet-db", "vpc-1", "10.0.3.0/24")
            .internet_gateway("igw-1", "vpc-1")
            .nat_gateway("nat-1", "subnet-public", "vpc-1", "10.0.1.100", "203.0.113.100")
            .route_table("rtb-public", "vpc-1", subnets=("subnet-public",)).route("rtb-public", "0.0.0.0/0", "igw-1")
            .route_table("rtb-app", "vpc-1", subnets=("subnet-app",)).route("rtb-app", "0.0.0.0/0", "nat-1")
            .security_group("sg-web", "vpc-1", ingress=(tcp(443, "0.0.0.0/0"), tcp(22, "198.51.100.0/24")))
            .security_group("sg-app", "vpc-1", ingress=(tcp(8080, groups=("sg-web",)),))
            .security_group("sg-db", "vpc-1", ingress=(tcp(5432, groups=("sg-app",)),), egress=())
            .instance("i-web", "subnet-public", "vpc-1", "10.0.1.10", groups=("sg-web",), public="203.0.113.10")
            .instance("i-app", "subnet-app", "vpc-1", "10.0.2.10", groups=("sg-app",))
            .interface("eni-db", "subnet-db", "vpc-1", "10.0.3.10", groups=("sg-db",)))


def ask(snapshot: Snapshot, source: str, destination: str, protocol: int = 6, dst_port: int | None = 443,
        src_ip: str | None = None, src_port: int | None = None, icmp: tuple[int, int] | None = None) -> Trace:
    """Trace one packet, as `solomonic network trace` does (ports only for TCP and UDP)."""
    sender, address = packet.source(snapshot, source, IPv4Address(src_ip) if src_ip else None)
    ports = protocol in (6, 17)
    flow, _ = packet.flow(address, IPv4Address(destination), protocol, src_port if ports else None,
                          dst_port if ports else None, *(icmp or (None, None)))
    return trace(snapshot, sender, flow)
