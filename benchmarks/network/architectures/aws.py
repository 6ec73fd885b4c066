"""Writes AWS snapshots as the AWS CLI's describe-* calls return them, for the architectures of this folder.

`Account` holds the responses of one account and region; each method adds one resource in the shape the
CLI gives it (ids, owner, tags, states, the fields the engine does not read included), and does what AWS
does on creation: a VPC comes with its main route table (the `local` routes) and its default network ACL
(allow everything, both ways, for IPv4 and, in a dual-stack VPC, for IPv6); a security group allows all
egress; a new network ACL denies everything. `write` lays the files out flat, under `REGION/`, or under
`accounts/ACCOUNT/REGION/`, lists each subnet under the network ACL it uses (its explicit one, else its
VPC's default), and copies each instance's interfaces into `Reservations.json`.

Nothing here knows what a packet does: the answers are written by hand next to each architecture.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

Json = dict[str, Any]
ZONE_IDS = {"a": "az1", "b": "az2", "c": "az3"}


def _hex(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:17]


def _tags(name: str | None) -> list[Json]:
    return [{"Key": "Name", "Value": name}] if name else []


def rule(protocol: str, ports: int | tuple[int, int] | None = None, *cidrs: str, groups: tuple[str, ...] = (),
         prefix_lists: tuple[str, ...] = (), ipv6: tuple[str, ...] = (), owner: str = "",
         note: str = "") -> Json:
    """One `IpPermissions` entry: `protocol` tcp, udp, icmp or -1; `ports` a port, a range, or for ICMP
    (type, code)."""
    made: Json = {"IpProtocol": protocol,
                  "IpRanges": [{"CidrIp": c, **({"Description": note} if note else {})} for c in cidrs],
                  "Ipv6Ranges": [{"CidrIpv6": c} for c in ipv6],
                  "PrefixListIds": [{"PrefixListId": p} for p in prefix_lists],
                  "UserIdGroupPairs": [{"GroupId": g, **({"UserId": owner} if owner else {})} for g in groups]}
    if ports is not None:
        low, high = ports if isinstance(ports, tuple) else (ports, ports)
        made["FromPort"], made["ToPort"] = low, high
    elif protocol != "-1":
        made["FromPort"], made["ToPort"] = -1, -1
    return made


def tcp(ports: int | tuple[int, int], *cidrs: str, **more: Any) -> Json:
    return rule("tcp", ports, *cidrs, **more)


def udp(ports: int | tuple[int, int], *cidrs: str, **more: Any) -> Json:
    return rule("udp", ports, *cidrs, **more)


def everything(*cidrs: str, **more: Any) -> Json:
    return rule("-1", None, *cidrs, **more)


def entry(number: int, action: str, cidr: str, *, out: bool = False, protocol: str = "-1",
          ports: tuple[int, int] | None = None, icmp: tuple[int, int] | None = None) -> Json:
    """A network ACL entry (`protocol` as AWS writes it: "-1", "6", "17", "1"); an IPv6 one for a `::` CIDR."""
    made: Json = {"CidrBlock" if ":" not in cidr else "Ipv6CidrBlock": cidr, "Egress": out, "Protocol": protocol,
                  "RuleAction": action, "RuleNumber": number}
    if ports is not None:
        made["PortRange"] = {"From": ports[0], "To": ports[1]}
    if icmp is not None:
        made["IcmpTypeCode"] = {"Type": icmp[0], "Code": icmp[1]}
    return made


class Account:
    def __init__(self, owner: str = "111122223333", region: str = "eu-west-1") -> None:
        self.owner, self.region = owner, region
        self.files: dict[str, list[Json]] = defaultdict(list)
        self._groups: dict[str, str] = {}  # group id -> name

    def find(self, key: str, id_field: str, name: str) -> Json:
        return next(item for item in self.files[key] if item[id_field] == name)

    def vpc(self, name: str, cidr: str, *more: str, ipv6: str | None = None, title: str | None = None,
            main_table: str | None = None, default: bool = False) -> Account:
        """A VPC, its main route table (`main_table`, else `rtb-main-` + the VPC's name) and default ACL."""
        made: Json = {"CidrBlock": cidr, "DhcpOptionsId": f"dopt-{_hex(self.owner, 'dopt')[:8]}", "State": "available",
                      "VpcId": name, "OwnerId": self.owner, "InstanceTenancy": "default", "IsDefault": default,
                      "CidrBlockAssociationSet": [{"AssociationId": f"vpc-cidr-assoc-{_hex(name, c)}", "CidrBlock": c,
                                                   "CidrBlockState": {"State": "associated"}} for c in (cidr, *more)],
                      "Tags": _tags(title or name.removeprefix("vpc-0"))}
        if ipv6:
            made["Ipv6CidrBlockAssociationSet"] = [{"AssociationId": f"vpc-cidr-assoc-{_hex(name, ipv6)}",
                                                    "Ipv6CidrBlock": ipv6, "Ipv6Pool": "Amazon",
                                                    "NetworkBorderGroup": self.region,
                                                    "Ipv6CidrBlockState": {"State": "associated"}}]
        self.files["Vpcs"].append(made)
        self.route_table(main_table or f"rtb-main-{name}", name, main=True)
        entries = [entry(100, "allow", "0.0.0.0/0"), entry(100, "allow", "0.0.0.0/0", out=True)]
        if ipv6:
            entries += [entry(101, "allow", "::/0"), entry(101, "allow", "::/0", out=True)]
        self.acl(f"acl-default-{name}", name, *entries, default=True)
        return self

    def subnet(self, name: str, vpc: str, cidr: str, zone: str = "a", public: bool = False,
               ipv6: str | None = None, default: bool = False) -> Account:
        made: Json = {"AvailabilityZone": f"{self.region}{zone}", "AvailabilityZoneId": f"euw1-{ZONE_IDS[zone]}",
                      "AvailableIpAddressCount": 2 ** (32 - int(cidr.split("/")[1])) - 5 - 2,
                      "CidrBlock": cidr, "DefaultForAz": default, "MapPublicIpOnLaunch": public, "State": "available",
                      "SubnetId": name, "VpcId": vpc, "OwnerId": self.owner, "AssignIpv6AddressOnCreation": bool(ipv6),
                      "Ipv6CidrBlockAssociationSet": [], "Tags": _tags(name.removeprefix("subnet-0")),
                      "SubnetArn": f"arn:aws:ec2:{self.region}:{self.owner}:subnet/{name}"}
        if ipv6:
            made["Ipv6CidrBlockAssociationSet"] = [{"AssociationId": f"subnet-cidr-assoc-{_hex(name)}",
                                                    "Ipv6CidrBlock": ipv6,
                                                    "Ipv6CidrBlockState": {"State": "associated"}}]
        self.files["Subnets"].append(made)
        return self

    def route_table(self, name: str, vpc: str, *routes: Json, subnets: tuple[str, ...] = (), main: bool = False,
                    gateway: str | None = None) -> Account:
        """A route table with the VPC's `local` routes, `routes` (made by `route`) and its associations."""
        found = self.find("Vpcs", "VpcId", vpc)
        local = [{"DestinationCidrBlock": c["CidrBlock"], "GatewayId": "local", "Origin": "CreateRouteTable",
                  "State": "active"} for c in found["CidrBlockAssociationSet"]]
        local += [{"DestinationIpv6CidrBlock": c["Ipv6CidrBlock"], "GatewayId": "local", "Origin": "CreateRouteTable",
                   "State": "active"} for c in found.get("Ipv6CidrBlockAssociationSet", [])]
        associations = [{"Main": False, "RouteTableAssociationId": f"rtbassoc-{_hex(name, s)}", "RouteTableId": name,
                         "SubnetId": s, "AssociationState": {"State": "associated"}} for s in subnets]
        if main:
            associations.append({"Main": True, "RouteTableAssociationId": f"rtbassoc-{_hex(name)}",
                                 "RouteTableId": name, "AssociationState": {"State": "associated"}})
        if gateway:
            associations.append({"Main": False, "RouteTableAssociationId": f"rtbassoc-{_hex(name, gateway)}",
                                 "RouteTableId": name, "GatewayId": gateway,
                                 "AssociationState": {"State": "associated"}})
        self.files["RouteTables"].append({"Associations": associations, "PropagatingVgws": [], "RouteTableId": name,
                                          "Routes": [*local, *routes], "Tags": _tags(name.removeprefix("rtb-0")),
                                          "VpcId": vpc, "OwnerId": self.owner})
        return self

    def routes(self, table: str, *routes: Json) -> Account:
        """Add `routes` to `table` (the main table of a VPC, say)."""
        self.find("RouteTables", "RouteTableId", table)["Routes"].extend(routes)
        return self

    def propagate(self, table: str, gateway: str) -> Account:
        self.find("RouteTables", "RouteTableId", table)["PropagatingVgws"].append({"GatewayId": gateway})
        return self

    def internet_gateway(self, name: str, vpc: str | None) -> Account:
        self.files["InternetGateways"].append({"Attachments": [{"State": "available", "VpcId": vpc}] if vpc else [],
                                               "InternetGatewayId": name, "OwnerId": self.owner,
                                               "Tags": _tags(name.removeprefix("igw-0"))})
        return self

    def egress_only_gateway(self, name: str, vpc: str) -> Account:
        self.files["EgressOnlyInternetGateways"].append({"Attachments": [{"State": "attached", "VpcId": vpc}],
                                                         "EgressOnlyInternetGatewayId": name, "Tags": []})
        return self

    def nat_gateway(self, name: str, subnet: str, vpc: str, private: str, public: str | None,
                    state: str = "available") -> Account:
        """A NAT gateway (public with an Elastic IP, else private) and its requester-managed interface."""
        eni = f"eni-{_hex(name)}"
        address: Json = {"NetworkInterfaceId": eni, "PrivateIp": private, "IsPrimary": True, "Status": "succeeded"}
        if public:
            address |= {"AllocationId": f"eipalloc-{_hex(name)}", "PublicIp": public,
                        "AssociationId": f"eipassoc-{_hex(name)}"}
        self.files["NatGateways"].append({"CreateTime": "2025-03-02T10:15:00+00:00", "NatGatewayAddresses": [address],
                                          "NatGatewayId": name, "State": state, "SubnetId": subnet, "VpcId": vpc,
                                          "ConnectivityType": "public" if public else "private",
                                          "Tags": _tags(name.removeprefix("nat-0"))})
        if state == "available":
            self.interface(eni, subnet, vpc, private, public=public, kind="nat_gateway", managed=True,
                           description=f"Interface for NAT Gateway {name}")
            if public:
                self.elastic_ip(public, eni, private, allocation=f"eipalloc-{_hex(name)}")
        return self

    def security_group(self, name: str, vpc: str, *ingress: Json, egress: tuple[Json, ...] | None = None,
                       title: str | None = None, ipv6: bool = False) -> Account:
        """A security group; `egress` None: the rule AWS adds, all traffic to 0.0.0.0/0 (and ::/0)."""
        self._groups[name] = title or name.removeprefix("sg-0")
        if egress is None:
            egress = (everything("0.0.0.0/0", ipv6=("::/0",) if ipv6 else ()),)
        self.files["SecurityGroups"].append({"Description": f"{self._groups[name]} servers", "GroupName":
                                             self._groups[name], "IpPermissions": list(ingress),
                                             "OwnerId": self.owner, "GroupId": name,
                                             "IpPermissionsEgress": list(egress), "VpcId": vpc, "Tags": []})
        return self

    def acl(self, name: str, vpc: str, *entries: Json, subnets: tuple[str, ...] = (),
            default: bool = False) -> Account:
        """A network ACL: `entries`, then AWS's `*` rules (deny, IPv4 and, where the VPC has IPv6, IPv6)."""
        found = self.find("Vpcs", "VpcId", vpc)
        star = [entry(32767, "deny", "0.0.0.0/0"), entry(32767, "deny", "0.0.0.0/0", out=True)]
        if found.get("Ipv6CidrBlockAssociationSet"):
            star += [entry(32768, "deny", "::/0"), entry(32768, "deny", "::/0", out=True)]
        self.files["NetworkAcls"].append({"Associations": list(subnets), "Entries": [*entries, *star],
                                          "IsDefault": default, "NetworkAclId": name, "VpcId": vpc,
                                          "OwnerId": self.owner, "Tags": _tags(name.removeprefix("acl-0"))})
        return self

    def interface(self, name: str, subnet: str, vpc: str, *ips: str, groups: tuple[str, ...] = (),
                  public: str | None = None, instance: str | None = None, device: int = 0, kind: str = "interface",
                  description: str = "", managed: bool = False, source_dest_check: bool = True,
                  publics: dict[str, str] | None = None) -> Account:
        """A network interface; `public` the automatic public IP of the primary address, `publics` Elastic IPs
        of secondary ones (their `Addresses.json` entries are added by `elastic_ip`)."""
        zone = self.find("Subnets", "SubnetId", subnet)["AvailabilityZone"] if any(
            s["SubnetId"] == subnet for s in self.files["Subnets"]) else f"{self.region}a"
        addresses: list[Json] = []
        for index, ip in enumerate(ips):
            address: Json = {"Primary": index == 0, "PrivateDnsName": f"ip-{ip.replace('.', '-')}.{self.region}."
                             "compute.internal", "PrivateIpAddress": ip}
            mapped = public if index == 0 else (publics or {}).get(ip)
            if mapped:
                address["Association"] = {"IpOwnerId": "amazon", "PublicDnsName": f"ec2-{mapped.replace('.', '-')}"
                                          f".{self.region}.compute.amazonaws.com", "PublicIp": mapped}
            addresses.append(address)
        made: Json = {"AvailabilityZone": zone, "Description": description,
                      "Groups": [{"GroupName": self._groups.get(g, g), "GroupId": g} for g in groups],
                      "InterfaceType": kind, "Ipv6Addresses": [], "MacAddress": ":".join(
                          _hex(name)[i:i + 2] for i in range(0, 12, 2)),
                      "NetworkInterfaceId": name, "OwnerId": self.owner, "PrivateDnsName": addresses[0]["PrivateDnsName"],
                      "PrivateIpAddress": ips[0], "PrivateIpAddresses": addresses, "RequesterManaged": managed,
                      "SourceDestCheck": source_dest_check, "Status": "in-use", "SubnetId": subnet, "TagSet": [],
                      "VpcId": vpc}
        if public:
            made["Association"] = addresses[0]["Association"]
        if instance:
            made["Attachment"] = {"AttachTime": "2025-03-02T10:20:00+00:00", "AttachmentId": f"eni-attach-{_hex(name)}",
                                  "DeleteOnTermination": device == 0, "DeviceIndex": device, "NetworkCardIndex": 0,
                                  "InstanceId": instance, "InstanceOwnerId": self.owner, "Status": "attached"}
        self.files["NetworkInterfaces"].append(made)
        return self

    def instance(self, name: str, subnet: str, vpc: str, *ips: str, groups: tuple[str, ...] = (),
                 public: str | None = None, kind: str = "t3.micro", more: tuple[str, ...] = (),
                 publics: dict[str, str] | None = None, source_dest_check: bool = True) -> Account:
        """A running instance with its primary interface (`eni-` + the instance's name without `i-`) and,
        in `more`, interfaces already added with `interface(..., instance=name, device=N)`."""
        eni = f"eni-{name.removeprefix('i-')}"
        self.interface(eni, subnet, vpc, *ips, groups=groups, public=public, instance=name, publics=publics,
                       source_dest_check=source_dest_check)
        zone = self.files["NetworkInterfaces"][-1]["AvailabilityZone"]
        listed = [self.find("NetworkInterfaces", "NetworkInterfaceId", e) for e in (eni, *more)]
        made: Json = {"AmiLaunchIndex": 0, "ImageId": f"ami-{_hex('ami', kind)}", "InstanceId": name,
                      "InstanceType": kind, "LaunchTime": "2025-03-02T10:20:00+00:00",
                      "Placement": {"AvailabilityZone": zone, "GroupName": "", "Tenancy": "default"},
                      "PrivateDnsName": listed[0]["PrivateDnsName"], "PrivateIpAddress": ips[0],
                      "State": {"Code": 16, "Name": "running"}, "SubnetId": subnet, "VpcId": vpc,
                      "NetworkInterfaces": [{k: copy.deepcopy(v) for k, v in interface.items()
                                             if k not in ("InterfaceType", "AvailabilityZone", "TagSet",
                                                          "RequesterManaged")} for interface in listed],
                      "SecurityGroups": [{"GroupName": self._groups.get(g, g), "GroupId": g} for g in groups],
                      "SourceDestCheck": source_dest_check, "Tags": _tags(name.removeprefix("i-0"))}
        if public:
            made["PublicIpAddress"] = public
        self.files["Reservations"].append({"Groups": [], "Instances": [made], "OwnerId": self.owner,
                                           "ReservationId": f"r-{_hex(name)}"})
        return self

    def elastic_ip(self, public: str, eni: str, private: str, allocation: str | None = None) -> Account:
        self.files["Addresses"].append({"AllocationId": allocation or f"eipalloc-{_hex(public)}",
                                        "AssociationId": f"eipassoc-{_hex(public)}", "Domain": "vpc",
                                        "NetworkInterfaceId": eni, "NetworkInterfaceOwnerId": self.owner,
                                        "PrivateIpAddress": private, "PublicIp": public,
                                        "PublicIpv4Pool": "amazon", "NetworkBorderGroup": self.region})
        return self

    def peering(self, name: str, requester: tuple[str, str, tuple[str, ...]], accepter: tuple[str, str, tuple[str, ...]],
                status: str = "active") -> Account:
        """A peering connection between (VPC, owner, CIDRs) pairs."""
        def info(side: tuple[str, str, tuple[str, ...]]) -> Json:
            vpc, owner, cidrs = side
            return {"CidrBlock": cidrs[0], "CidrBlockSet": [{"CidrBlock": c} for c in cidrs], "OwnerId": owner,
                    "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": False}, "VpcId": vpc,
                    "Region": self.region}
        message = {"active": "Active", "pending-acceptance": "Pending Acceptance by " + accepter[1]}.get(status, status)
        self.files["VpcPeeringConnections"].append({"AccepterVpcInfo": info(accepter), "RequesterVpcInfo": info(requester),
                                                    "Status": {"Code": status, "Message": message},
                                                    "Tags": [], "VpcPeeringConnectionId": name})
        return self

    def prefix_list(self, name: str, title: str, *cidrs: str) -> Account:
        self.files["PrefixLists"].append({"Cidrs": list(cidrs), "PrefixListId": name, "PrefixListName": title})
        return self

    def endpoint(self, name: str, vpc: str, kind: str, service: str, tables: tuple[str, ...] = (),
                 subnets: tuple[str, ...] = (), groups: tuple[str, ...] = (), interfaces: tuple[str, ...] = ()
                 ) -> Account:
        self.files["VpcEndpoints"].append({"VpcEndpointId": name, "VpcEndpointType": kind, "VpcId": vpc,
                                           "ServiceName": service, "State": "available", "RouteTableIds": list(tables),
                                           "SubnetIds": list(subnets), "NetworkInterfaceIds": list(interfaces),
                                           "Groups": [{"GroupId": g, "GroupName": self._groups.get(g, g)}
                                                      for g in groups],
                                           "PrivateDnsEnabled": kind == "Interface", "OwnerId": self.owner})
        return self

    def vpn_gateway(self, name: str, vpc: str | None, asn: int = 64512) -> Account:
        self.files["VpnGateways"].append({"State": "available", "Type": "ipsec.1", "VpnGatewayId": name,
                                          "AmazonSideAsn": asn, "Tags": [],
                                          "VpcAttachments": [{"State": "attached", "VpcId": vpc}] if vpc else []})
        return self

    def vpn_connection(self, name: str, gateway: str, customer: str, *routes: str, static: bool = True,
                       accepted: tuple[int, int] | None = None, transit: bool = False) -> Account:
        made: Json = {"CustomerGatewayId": customer, "State": "available", "Type": "ipsec.1", "VpnConnectionId": name,
                      "Category": "VPN", "Options": {"StaticRoutesOnly": static, "TunnelInsideIpVersion": "ipv4"},
                      "Routes": [{"DestinationCidrBlock": r, "Source": "Static", "State": "available"}
                                 for r in routes],
                      "VgwTelemetry": [{"AcceptedRouteCount": count, "OutsideIpAddress": f"34.250.1.{10 + i}",
                                        "Status": "UP", "StatusMessage": f"{count} BGP ROUTES" if not static else ""}
                                       for i, count in enumerate(accepted or (0, 0))]}
        made["TransitGatewayId" if transit else "VpnGatewayId"] = gateway
        self.files["VpnConnections"].append(made)
        return self

    def customer_gateway(self, name: str, address: str, asn: int = 65000) -> Account:
        self.files["CustomerGateways"].append({"BgpAsn": str(asn), "CustomerGatewayId": name, "IpAddress": address,
                                               "State": "available", "Type": "ipsec.1", "Tags": []})
        return self

    def transit_gateway(self, name: str, group_references: bool = False, asn: int = 64512) -> Account:
        self.files["TransitGateways"].append({"TransitGatewayId": name, "State": "available", "OwnerId": self.owner,
                                              "TransitGatewayArn": f"arn:aws:ec2:{self.region}:{self.owner}:"
                                              f"transit-gateway/{name}", "Options": {
                                                  "AmazonSideAsn": asn, "DefaultRouteTableAssociation": "disable",
                                                  "DefaultRouteTablePropagation": "disable", "DnsSupport": "enable",
                                                  "VpnEcmpSupport": "enable", "SecurityGroupReferencingSupport":
                                                  "enable" if group_references else "disable"}})
        return self

    def transit_attachment(self, name: str, gateway: str, kind: str, resource: str, table: str | None,
                           subnets: tuple[str, ...] = (), owner: str | None = None) -> Account:
        made: Json = {"TransitGatewayAttachmentId": name, "TransitGatewayId": gateway, "TransitGatewayOwnerId":
                      self.owner, "ResourceOwnerId": owner or self.owner, "ResourceType": kind,
                      "ResourceId": resource, "State": "available", "Tags": []}
        if table:
            made["Association"] = {"TransitGatewayRouteTableId": table, "State": "associated"}
        self.files["TransitGatewayAttachments"].append(made)
        if kind == "vpc":
            self.files["TransitGatewayVpcAttachments"].append({
                "TransitGatewayAttachmentId": name, "TransitGatewayId": gateway, "VpcId": resource,
                "VpcOwnerId": owner or self.owner, "State": "available", "SubnetIds": list(subnets),
                "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "disable",
                            "SecurityGroupReferencingSupport": "disable"}})
        return self

    def transit_route_table(self, name: str, gateway: str, *static: tuple[str, str | None],
                            propagations: tuple[str, ...] = ()) -> Account:
        """A transit gateway route table, its static routes ((CIDR, attachment), None for a blackhole) and
        its propagations; search-transit-gateway-routes lists the propagated routes too, added by
        `propagated_route`."""
        self.files["TransitGatewayRouteTables"].append({"TransitGatewayRouteTableId": name, "TransitGatewayId": gateway,
                                                        "State": "available", "DefaultAssociationRouteTable": False,
                                                        "DefaultPropagationRouteTable": False, "Tags": []})
        self.files["TransitGatewayStaticRoutes"].append({"TransitGatewayRouteTableId": name, "Routes": [
            {"DestinationCidrBlock": cidr, "Type": "static", "State": "active" if attachment else "blackhole",
             "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": attachment}] if attachment else []}
            for cidr, attachment in static]})
        self.files["TransitGatewayPropagations"].append({"TransitGatewayRouteTableId": name,
                                                         "TransitGatewayRouteTablePropagations": [
            {"TransitGatewayAttachmentId": a, "State": "enabled"} for a in propagations]})
        return self

    def load_balancer(self, name: str, kind: str, vpc: str, scheme: str, subnets: tuple[str, ...],
                      groups: tuple[str, ...], *listeners: tuple[str, int] | tuple[str, int, str]) -> Account:
        """An application or network load balancer (`kind` app, net) and its listeners, (protocol, port) or
        (protocol, port, target group name) for one whose default action forwards there; its interfaces
        carry `balancer_description(arn)`."""
        arn = balancer_arn(name, kind, self.owner, self.region)
        made: Json = {"LoadBalancerArn": arn, "DNSName": f"{name}-1234567890.{self.region}.elb.amazonaws.com",
                      "LoadBalancerName": name, "Scheme": scheme, "VpcId": vpc, "State": {"Code": "active"},
                      "Type": {"app": "application", "net": "network"}[kind], "IpAddressType": "ipv4",
                      "AvailabilityZones": [{"SubnetId": s, "ZoneName": self.find("Subnets", "SubnetId", s)[
                          "AvailabilityZone"]} for s in subnets]}
        if groups:
            made["SecurityGroups"] = list(groups)
        self.files["LoadBalancers"].append(made)
        self.files["LoadBalancerListeners"].append({"LoadBalancerArn": arn, "Listeners": [
            {"ListenerArn": f"{arn.replace(':loadbalancer/', ':listener/')}/{_hex(arn, str(port))[:16]}",
             "LoadBalancerArn": arn, "Port": port, "Protocol": protocol,
             **({"DefaultActions": [{"Type": "forward", "TargetGroupArn": self.target_group_arn(group[0]),
                                     "Order": 1, "ForwardConfig": {"TargetGroups": [
                                         {"TargetGroupArn": self.target_group_arn(group[0]), "Weight": 1}]}}]}
                if group else {})}
            for protocol, port, *group in listeners]})
        return self

    def target_group_arn(self, name: str) -> str:
        return f"arn:aws:elasticloadbalancing:{self.region}:{self.owner}:targetgroup/{name}/{_hex(name)[:16]}"

    def target_group(self, name: str, protocol: str, port: int, vpc: str, balancer: str,
                     *targets: tuple[str, str]) -> Account:
        """An instance target group of the load balancer `balancer` (its ARN) and its registered targets,
        (instance, health state) as describe-target-health lists them."""
        arn = self.target_group_arn(name)
        self.files["TargetGroups"].append({"TargetGroupArn": arn, "TargetGroupName": name, "Protocol": protocol,
                                           "Port": port, "VpcId": vpc, "HealthCheckEnabled": True,
                                           "TargetType": "instance", "LoadBalancerArns": [balancer]})
        self.files["LoadBalancerTargetHealth"].append({"TargetGroupArn": arn, "TargetHealthDescriptions": [
            {"Target": {"Id": instance, "Port": port}, "HealthCheckPort": str(port),
             "TargetHealth": {"State": state}} for instance, state in targets]})
        return self

    def balancer_attributes(self, balancer: str, cross_zone: bool) -> Account:
        """describe-load-balancer-attributes of `balancer` (its ARN): the cross-zone setting."""
        self.files["LoadBalancerAttributes"].append({"LoadBalancerArn": balancer, "Attributes": [
            {"Key": "load_balancing.cross_zone.enabled", "Value": str(cross_zone).lower()},
            {"Key": "deletion_protection.enabled", "Value": "false"}]})
        return self

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for key, items in self._finished().items():
            (folder / f"{key}.json").write_text(json.dumps({key: items}, indent=1) + "\n")

    def _finished(self) -> dict[str, list[Json]]:
        """The responses, with each subnet listed under the network ACL it uses."""
        files = copy.deepcopy(dict(self.files))
        explicit = {s for acl in files.get("NetworkAcls", []) for s in acl["Associations"]}
        for acl in files.get("NetworkAcls", []):
            subnets = list(acl["Associations"])
            if acl["IsDefault"]:
                subnets += [s["SubnetId"] for s in files.get("Subnets", [])
                            if s["VpcId"] == acl["VpcId"] and s["SubnetId"] not in explicit]
            acl["Associations"] = [{"NetworkAclAssociationId": f"aclassoc-{_hex(acl['NetworkAclId'], s)}",
                                    "NetworkAclId": acl["NetworkAclId"], "SubnetId": s} for s in subnets]
        return files


def balancer_arn(name: str, kind: str, owner: str = "111122223333", region: str = "eu-west-1") -> str:
    return f"arn:aws:elasticloadbalancing:{region}:{owner}:loadbalancer/{kind}/{name}/{_hex(name)[:16]}"


def balancer_description(arn: str) -> str:
    """What AWS writes in a load balancer's interfaces' description: `ELB app/NAME/ID`."""
    return "ELB " + arn.partition(":loadbalancer/")[2]


def route(destination: str, target: str, state: str = "active", origin: str = "CreateRoute") -> Json:
    """A route to `target` (its id names the field AWS fills); `destination` a CIDR, IPv6 CIDR or prefix list."""
    field = {"nat": "NatGatewayId", "pcx": "VpcPeeringConnectionId", "tgw": "TransitGatewayId",
             "eni": "NetworkInterfaceId", "eigw": "EgressOnlyInternetGatewayId"}.get(target.partition("-")[0], "GatewayId")
    where = ("DestinationPrefixListId" if destination.startswith("pl-") else
             "DestinationIpv6CidrBlock" if ":" in destination else "DestinationCidrBlock")
    return {where: destination, field: target, "Origin": origin, "State": state}


def write_accounts(folder: Path, *accounts: Account) -> None:
    """Several accounts, in the `accounts/ACCOUNT/REGION/` layout."""
    for account in accounts:
        account.write(folder / "accounts" / account.owner / account.region)
