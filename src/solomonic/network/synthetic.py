"""Generated snapshots for the scale benchmark: many interfaces in subnets and VPCs, with security groups
that reference each other and some exposure to the internet (issue 31, "Scale").

A hand-written corpus holds a few dozen interfaces; the question at scale is whether the encoding's cost stays
proportional to what a question can touch. `Shape` says how many of each resource; `generate` lays them out
as the AWS CLI's responses (`write` puts them in the files `build.load` reads), seeded, so that a size is the
same network every run; `questions` are reachable questions whose answers the layout implies, and `opened` a
change for `compare` to find. The layout is the common one, chosen so that every question the bench asks does real work:

* every VPC (10.V.0.0/16) has an internet gateway; half its subnets (/22 each) route 0.0.0.0/0 to it (public),
  the others have only the local route (private); every fourth subnet has its own network ACL that denies
  tcp/22 from anywhere before it allows everything, the others the VPC's default ACL;
* a security group admits one service port from 10.0.0.0/8 and tcp/8000-8999 from another group of its
  VPC (a reference, by membership); every tenth group also admits tcp/443 from anywhere and every 25th
  tcp/22 from anywhere, so that the internet reaches some interfaces and exposure has ranges to find;
* every interface belongs to an instance and to one or two groups of its VPC; every seventh one in a public
  subnet has a public address.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

ACCOUNT = "111122223333"
SERVICE_PORTS = (22, 443, 5432, 8080)
FIRST_PUBLIC = IPv4Address("52.0.0.1")


@dataclass(frozen=True)
class Shape:
    interfaces: int
    subnets: int
    vpcs: int
    groups: int

    @classmethod
    def scaled(cls, interfaces: int) -> Shape:
        """The issue's proportions (10,000 interfaces, 200 subnets, 20 VPCs, 500 groups) at another size."""
        return cls(interfaces, max(2, interfaces // 50), max(1, interfaces // 500), max(2, interfaces // 20))

    def __post_init__(self) -> None:
        if not (1 <= self.vpcs <= 256 and self.vpcs <= self.subnets <= 64 * self.vpcs
                and self.vpcs <= self.groups and self.interfaces <= 1000 * self.subnets):
            raise ValueError(f"{self}: a VPC holds at most 64 subnets of at most 1000 interfaces each, "
                             "and every VPC needs a subnet and a group")


def generate(shape: Shape, seed: int = 0) -> dict[str, list[dict]]:
    """The responses by top-level key (`Vpcs`, `Subnets`, ...), each a list of resources."""
    pick = random.Random(seed)
    files: dict[str, list[dict]] = {key: [] for key in ("Vpcs", "InternetGateways", "RouteTables", "NetworkAcls",
                                                         "Subnets", "SecurityGroups", "NetworkInterfaces",
                                                         "Reservations")}
    for v in range(shape.vpcs):
        cidr = f"10.{v}.0.0/16"
        files["Vpcs"].append({"VpcId": f"vpc-{v}", "CidrBlock": cidr, "CidrBlockAssociationSet": [
            {"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}]})
        files["InternetGateways"].append({"InternetGatewayId": f"igw-{v}",
                                          "Attachments": [{"State": "available", "VpcId": f"vpc-{v}"}]})
        files["RouteTables"].append(_table(f"rtb-main-{v}", v, [], [{"Main": True, "RouteTableId": f"rtb-main-{v}"}]))
        files["NetworkAcls"].append(_acl(f"acl-default-{v}", v, True, _allow_all(), []))
    groups_of = [[g for g in range(shape.groups) if g % shape.vpcs == v] for v in range(shape.vpcs)]
    for g in range(shape.groups):
        v = g % shape.vpcs
        ingress = [_tcp(pick.choice(SERVICE_PORTS), cidr="10.0.0.0/8"),
                   _tcp(8000, 8999, group=f"sg-{pick.choice(groups_of[v])}")]
        if g % 10 == 0:
            ingress.append(_tcp(443, cidr="0.0.0.0/0"))
        if g % 25 == 0:
            ingress.append(_tcp(22, cidr="0.0.0.0/0"))
        files["SecurityGroups"].append({
            "GroupId": f"sg-{g}", "GroupName": f"sg-{g}", "VpcId": f"vpc-{v}", "OwnerId": ACCOUNT,
            "IpPermissions": ingress, "IpPermissionsEgress": [{
                "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": []}]})
    for s in range(shape.subnets):
        v, k = s % shape.vpcs, s // shape.vpcs
        subnet = f"subnet-{s}"
        files["Subnets"].append({"SubnetId": subnet, "VpcId": f"vpc-{v}", "CidrBlock": f"10.{v}.{4 * k}.0/22",
                                 "AvailabilityZone": "eu-west-1a", "AvailabilityZoneId": "euw1-az1"})
        routes = [_route("0.0.0.0/0", f"igw-{v}")] if _public(s) else []
        files["RouteTables"].append(_table(f"rtb-{s}", v, routes, [
            {"Main": False, "SubnetId": subnet, "RouteTableId": f"rtb-{s}"}]))
        if s % 4 == 3:
            entries = [_entry(90, "deny", False, ports=(22, 22)), *_allow_all()]
            files["NetworkAcls"].append(_acl(f"acl-{s}", v, False, entries, [subnet]))
    for i in range(shape.interfaces):
        s = i % shape.subnets
        v, k, host = s % shape.vpcs, s // shape.vpcs, 10 + i // shape.subnets
        ip = str(IPv4Network(f"10.{v}.{4 * k}.0/22")[host])
        groups = pick.sample(groups_of[v], min(len(groups_of[v]), pick.choice((1, 2))))
        public = str(FIRST_PUBLIC + i) if _public(s) and i % 7 == 0 else None
        files["NetworkInterfaces"].append(_interface(i, f"subnet-{s}", v, ip, groups, public))
        listed = {key: value for key, value in files["NetworkInterfaces"][-1].items() if key != "InterfaceType"}
        files["Reservations"].append({"ReservationId": f"r-{i}", "Instances": [
            {"InstanceId": f"i-{i}", "PrivateIpAddress": ip, "SubnetId": f"subnet-{s}", "VpcId": f"vpc-{v}",
             "NetworkInterfaces": [json.loads(json.dumps(listed))], "SourceDestCheck": True}]})
    return files


def questions(files: dict[str, list[dict]]) -> list[tuple[str, str, tuple[int, int], str]]:
    """Three `reachable` questions about generated `files` and their answers by the layout's design, as
    (from, to, tcp ports, verdict): within a VPC to a group that references the source's group
    (tcp/8000-8999, which no ACL denies), from the internet to a public interface whose group admits tcp/443
    from anywhere, and into another VPC (no peering, so no route)."""
    interfaces = files["NetworkInterfaces"]
    members = {g["GroupId"]: [n for n in interfaces if g["GroupId"] in _groups(n)] for g in files["SecurityGroups"]}
    asked = []
    for group in files["SecurityGroups"]:
        referenced = [pair["GroupId"] for rule in group["IpPermissions"] for pair in rule["UserIdGroupPairs"]]
        senders, receivers = members[referenced[0]], members[group["GroupId"]]
        if senders and receivers and senders[0] is not receivers[0]:
            asked.append(("i-" + senders[0]["NetworkInterfaceId"][4:], "i-" + receivers[0]["NetworkInterfaceId"][4:],
                          (8000, 8999), "reachable"))
            break
    exposed = next((n for n in interfaces if "Association" in n and any(
        _admits_443(group) for group in files["SecurityGroups"] if group["GroupId"] in _groups(n))), None)
    if exposed is not None:
        asked.append(("internet", "i-" + exposed["NetworkInterfaceId"][4:], (443, 443), "reachable"))
    other = next((n for n in interfaces if n["VpcId"] != interfaces[0]["VpcId"]), None)
    if other is not None:
        asked.append(("i-0", "i-" + other["NetworkInterfaceId"][4:], (1, 65535), "unreachable"))
    return asked


def _groups(interface: dict) -> set[str]:
    return {g["GroupId"] for g in interface["Groups"]}


def _admits_443(group: dict) -> bool:
    return any(rule["FromPort"] <= 443 <= rule["ToPort"] and {"CidrIp": "0.0.0.0/0"} in rule["IpRanges"]
               for rule in group["IpPermissions"])


def write(files: dict[str, list[dict]], folder: Path) -> Path:
    """Write generated responses as one `KEY.json` file per response into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, items in files.items():
        (folder / f"{key}.json").write_text(json.dumps({key: items}))
    return folder


def opened(files: dict[str, list[dict]], node: str) -> dict[str, list[dict]]:
    """The change `compare` is timed on: a copy of `files` where the first security group of instance `node`
    (i-N) admits all traffic from anywhere, so that the internet reaches it on every port where it held a
    public address and reached it on some."""
    changed = copy.deepcopy(files)
    interface = next(n for n in changed["NetworkInterfaces"] if n["Attachment"]["InstanceId"] == node)
    group = next(g for g in changed["SecurityGroups"] if g["GroupId"] == interface["Groups"][0]["GroupId"])
    group["IpPermissions"].append({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                                   "PrefixListIds": [], "UserIdGroupPairs": []})
    return changed


def _public(subnet: int) -> bool:
    return subnet % 2 == 0


def _tcp(low: int, high: int | None = None, cidr: str | None = None, group: str | None = None) -> dict:
    return {"IpProtocol": "tcp", "FromPort": low, "ToPort": low if high is None else high,
            "IpRanges": [{"CidrIp": cidr}] if cidr else [], "Ipv6Ranges": [], "PrefixListIds": [],
            "UserIdGroupPairs": [{"GroupId": group, "UserId": ACCOUNT}] if group else []}


def _route(destination: str, gateway: str) -> dict:
    return {"DestinationCidrBlock": destination, "GatewayId": gateway, "State": "active", "Origin": "CreateRoute"}


def _table(name: str, v: int, routes: list[dict], associations: list[dict]) -> dict:
    local = {"DestinationCidrBlock": f"10.{v}.0.0/16", "GatewayId": "local", "State": "active",
             "Origin": "CreateRouteTable"}
    return {"RouteTableId": name, "VpcId": f"vpc-{v}", "Routes": [local, *routes], "Associations": associations}


def _entry(number: int, action: str, egress: bool, ports: tuple[int, int] | None = None) -> dict:
    made: dict = {"RuleNumber": number, "RuleAction": action, "CidrBlock": "0.0.0.0/0", "Egress": egress,
                  "Protocol": "6" if ports else "-1"}
    if ports:
        made["PortRange"] = {"From": ports[0], "To": ports[1]}
    return made


def _allow_all() -> list[dict]:
    return [_entry(number, action, egress) for egress in (False, True)
            for number, action in ((100, "allow"), (32767, "deny"))]


def _acl(name: str, v: int, default: bool, entries: list[dict], subnets: list[str]) -> dict:
    return {"NetworkAclId": name, "VpcId": f"vpc-{v}", "IsDefault": default, "Entries": entries,
            "Associations": [{"NetworkAclId": name, "SubnetId": s} for s in subnets]}


def _interface(i: int, subnet: str, v: int, ip: str, groups: list[int], public: str | None) -> dict:
    address: dict = {"PrivateIpAddress": ip, "Primary": True}
    made: dict = {"NetworkInterfaceId": f"eni-{i}", "SubnetId": subnet, "VpcId": f"vpc-{v}", "PrivateIpAddress": ip,
                  "PrivateIpAddresses": [address], "Groups": [{"GroupId": f"sg-{g}"} for g in groups],
                  "InterfaceType": "interface", "SourceDestCheck": True, "Status": "in-use", "Description": "",
                  "Attachment": {"InstanceId": f"i-{i}", "DeviceIndex": 0, "Status": "attached"}}
    if public:
        made["Association"] = {"PublicIp": public}
        address["Association"] = {"PublicIp": public}
    return made
