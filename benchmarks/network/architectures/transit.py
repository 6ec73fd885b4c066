"""Transit gateway hubs: centralized egress through one NAT VPC with the spokes isolated by blackhole routes
(AWS's "Centralized egress to the internet"), a full mesh on one route table in two Availability Zones with
a network ACL on the gateway's subnets, and a hybrid edge with VPN, Direct Connect gateway and inter-region
peering attachments."""

from __future__ import annotations

from pathlib import Path

from aws import Account, entry, everything, route, tcp
from questions import Architecture, reachable, trace


def centralized_egress(folder: Path) -> None:
    account = Account().transit_gateway("tgw-0egress")
    for name, cidr in (("spoke1", "10.71"), ("spoke2", "10.72")):
        vpc = f"vpc-0{name}"
        account.vpc(vpc, f"{cidr}.0.0/16").subnet(f"subnet-0{name}-app", vpc, f"{cidr}.1.0/24", "a") \
            .subnet(f"subnet-0{name}-tgw", vpc, f"{cidr}.255.0/28", "a") \
            .routes(f"rtb-main-{vpc}", route("0.0.0.0/0", "tgw-0egress")) \
            .transit_attachment(f"tgw-attach-0{name}", "tgw-0egress", "vpc", vpc, "tgw-rtb-0spokes",
                                subnets=(f"subnet-0{name}-tgw",)) \
            .security_group(f"sg-0{name}", vpc, tcp(22, "10.70.0.0/16")) \
            .instance(f"i-0{name}", f"subnet-0{name}-app", vpc, f"{cidr}.1.10", groups=(f"sg-0{name}",))
    (account.vpc("vpc-0egress", "10.70.0.0/16")
     .subnet("subnet-0egress-public", "vpc-0egress", "10.70.0.0/24", "a", public=True)
     .subnet("subnet-0egress-tgw", "vpc-0egress", "10.70.255.0/28", "a")
     .internet_gateway("igw-0egress", "vpc-0egress")
     .nat_gateway("nat-0egress", "subnet-0egress-public", "vpc-0egress", "10.70.0.100", "52.31.0.100")
     .route_table("rtb-0egress-tgw", "vpc-0egress", route("0.0.0.0/0", "nat-0egress"), subnets=("subnet-0egress-tgw",))
     .route_table("rtb-0egress-public", "vpc-0egress", route("0.0.0.0/0", "igw-0egress"),
                  route("10.0.0.0/8", "tgw-0egress"), subnets=("subnet-0egress-public",))
     .transit_attachment("tgw-attach-0egress", "tgw-0egress", "vpc", "vpc-0egress", "tgw-rtb-0egress",
                         subnets=("subnet-0egress-tgw",))
     .transit_route_table("tgw-rtb-0spokes", "tgw-0egress", ("0.0.0.0/0", "tgw-attach-0egress"), ("10.0.0.0/8", None))
     .transit_route_table("tgw-rtb-0egress", "tgw-0egress", propagations=("tgw-attach-0spoke1", "tgw-attach-0spoke2"))
     .security_group("sg-0proxy", "vpc-0egress", tcp(3128, "10.0.0.0/8"))
     .instance("i-0proxy", "subnet-0egress-public", "vpc-0egress", "10.70.0.10", groups=("sg-0proxy",))
     .write(folder))


def _out(spoke: str) -> str:
    return (f"i-0{spoke} subnet-0{spoke}-app vpc-0{spoke} subnet-0{spoke}-tgw tgw-0egress subnet-0egress-tgw vpc-0egress "
            "subnet-0egress-public nat-0egress subnet-0egress-public vpc-0egress igw-0egress internet")


SPOKE1_TGW = "i-0spoke1 subnet-0spoke1-app vpc-0spoke1 subnet-0spoke1-tgw tgw-0egress"
EGRESS = Architecture("tgw-centralized-egress", (
    "Two spoke VPCs send 0.0.0.0/0 to a transit gateway; their attachments' route table sends 0.0.0.0/0 to the "
    "egress VPC's attachment and blackholes 10.0.0.0/8, so spokes reach neither each other nor the egress VPC. The "
    "egress VPC's gateway subnet routes to a NAT gateway, its public subnet to the internet gateway and 10.0.0.0/8 "
    "back to the transit gateway, whose egress route table holds what both spokes propagate."), centralized_egress, [
    trace("i-0spoke1", "8.8.8.8", "--dst-port 443", "exits-network", _out("spoke1"), None,
          "Spoke table, transit gateway (0.0.0.0/0 to the egress attachment), the egress VPC's gateway subnet (its "
          "table: the NAT gateway), the NAT's subnet (the internet gateway, translating to the NAT's Elastic IP)."),
    trace("i-0spoke2", "1.1.1.1", "--protocol udp --dst-port 53", "exits-network", _out("spoke2"), None, "The same way."),
    trace("i-0spoke1", "10.72.1.10", "--dst-port 22", "no-route", SPOKE1_TGW, "tgw-rtb-0spokes",
          "10.0.0.0/8 is a blackhole in the spokes' table, more specific than 0.0.0.0/0."),
    trace("i-0spoke2", "10.70.0.10", "--dst-port 3128", "no-route",
          "i-0spoke2 subnet-0spoke2-app vpc-0spoke2 subnet-0spoke2-tgw tgw-0egress", "tgw-rtb-0spokes",
          "The egress VPC's own addresses are blackholed for spokes too."),
    trace("i-0proxy", "10.71.1.10", "--dst-port 22", "accepted",
          "i-0proxy subnet-0egress-public vpc-0egress subnet-0egress-tgw tgw-0egress subnet-0spoke1-tgw vpc-0spoke1 "
          "subnet-0spoke1-app i-0spoke1", None,
          "The public subnet routes 10.0.0.0/8 to the gateway; the egress table holds spoke1's propagated CIDR; "
          "sg-0spoke1 admits SSH from the egress VPC."),
    trace("i-0proxy", "10.73.0.1", "--dst-port 22", "no-route",
          "i-0proxy subnet-0egress-public vpc-0egress subnet-0egress-tgw tgw-0egress", "tgw-rtb-0egress",
          "Nothing propagates 10.73.0.0/16."),
    trace("internet", "52.31.0.100", "--src-ip 8.8.8.8 --dst-port 443", "denied-in",
          "internet igw-0egress vpc-0egress subnet-0egress-public nat-0egress", "nat-0egress",
          "The NAT gateway's Elastic IP."),
    trace("internet", "10.71.1.10", "--src-ip 8.8.8.8 --dst-port 22", "no-route", "internet", "internet",
          "A private address."),
    trace("i-0spoke1", "10.71.1.99", "--dst-port 22", "no-destination", "i-0spoke1 subnet-0spoke1-app", None,
          "Inside its own subnet; nothing holds the address."),
    reachable("i-0spoke1", "8.8.8.8", "--protocol tcp --dst-port 443", "reachable", _out("spoke1"),
              why="Centralized egress."),
    reachable("i-0spoke1", "i-0spoke2", "", "unreachable", None, ("tgw-rtb-0spokes",), "The blackhole."),
    reachable("internet", "i-0spoke1", "", "unreachable", None, ("internet",), "No public address."),
])


def full_mesh(folder: Path) -> None:
    account = Account().transit_gateway("tgw-0mesh")
    for index in (1, 2, 3):
        vpc, cidr = f"vpc-0a{index}", f"10.8{index}"
        account.vpc(vpc, f"{cidr}.0.0/16")
        for zone, third in (("a", 1), ("b", 2)):
            account.subnet(f"subnet-0a{index}-{zone}", vpc, f"{cidr}.{third}.0/24", zone) \
                .subnet(f"subnet-0a{index}-tgw-{zone}", vpc, f"{cidr}.25{third}.0/28", zone) \
                .security_group(f"sg-0a{index}-{zone}", vpc, everything("10.80.0.0/12")) \
                .instance(f"i-0a{index}-{zone}", f"subnet-0a{index}-{zone}", vpc, f"{cidr}.{third}.10",
                          groups=(f"sg-0a{index}-{zone}",))
        account.routes(f"rtb-main-{vpc}", route("10.80.0.0/12", "tgw-0mesh")) \
            .transit_attachment(f"tgw-attach-0a{index}", "tgw-0mesh", "vpc", vpc, "tgw-rtb-0default",
                                subnets=(f"subnet-0a{index}-tgw-a", f"subnet-0a{index}-tgw-b"))
    (account.transit_route_table("tgw-rtb-0default", "tgw-0mesh",
                                 propagations=("tgw-attach-0a1", "tgw-attach-0a2", "tgw-attach-0a3"))
     .acl("acl-0a3-tgw", "vpc-0a3", entry(100, "allow", "0.0.0.0/0"),
          entry(90, "deny", "10.83.0.0/16", out=True, protocol="6", ports=(22, 22)),
          entry(100, "allow", "0.0.0.0/0", out=True), subnets=("subnet-0a3-tgw-a", "subnet-0a3-tgw-b"))
     .write(folder))


MESH_A1 = "i-0a1-a subnet-0a1-a vpc-0a1 subnet-0a1-tgw-a tgw-0mesh"
MESH = Architecture("tgw-full-mesh", (
    "Three VPCs attached to one transit gateway in zones a and b, every attachment associated with one route table "
    "into which all three propagate (full mesh). Each VPC sends 10.80.0.0/12 to the gateway. vpc-0a3's gateway "
    "subnets have a network ACL whose outbound rule 90 denies SSH towards the VPC: AWS evaluates the gateway "
    "subnet's outbound rules on traffic the gateway hands into the VPC."), full_mesh, [
    trace("i-0a1-a", "10.82.1.10", "--dst-port 443", "accepted",
          f"{MESH_A1} subnet-0a2-tgw-a vpc-0a2 subnet-0a2-a i-0a2-a", None,
          "Propagated 10.82.0.0/16; the gateway stays in zone a."),
    trace("i-0a1-b", "10.83.1.10", "--dst-port 443", "accepted",
          "i-0a1-b subnet-0a1-b vpc-0a1 subnet-0a1-tgw-b tgw-0mesh subnet-0a3-tgw-b vpc-0a3 subnet-0a3-a i-0a3-a", None,
          "From zone b the gateway enters vpc-0a3 through its zone-b subnet, then the local route reaches zone a."),
    trace("i-0a1-a", "10.83.1.10", "--dst-port 22", "denied-out", f"{MESH_A1} subnet-0a3-tgw-a", "acl-0a3-tgw",
          "Leaving the gateway subnet, outbound rule 90 denies SSH to 10.83.0.0/16."),
    trace("i-0a3-a", "10.81.1.10", "--dst-port 22", "accepted",
          "i-0a3-a subnet-0a3-a vpc-0a3 subnet-0a3-tgw-a tgw-0mesh subnet-0a1-tgw-a vpc-0a1 subnet-0a1-a i-0a1-a", None,
          "The other way the ACL's inbound rule 100 allows everything."),
    trace("i-0a2-a", "10.99.0.1", "--dst-port 443", "no-route", "i-0a2-a subnet-0a2-a vpc-0a2", "rtb-main-vpc-0a2",
          "10.99.0.1 is outside 10.80.0.0/12."),
    trace("i-0a2-a", "10.84.0.1", "--dst-port 443", "no-route", "i-0a2-a subnet-0a2-a vpc-0a2 subnet-0a2-tgw-a tgw-0mesh",
          "tgw-rtb-0default", "No attachment propagates 10.84.0.0/16."),
    trace("i-0a2-b", "10.81.2.10", "--protocol icmp", "accepted",
          "i-0a2-b subnet-0a2-b vpc-0a2 subnet-0a2-tgw-b tgw-0mesh subnet-0a1-tgw-b vpc-0a1 subnet-0a1-b i-0a1-b", None,
          "All traffic from 10.80.0.0/12."),
    reachable("i-0a1-a", "i-0a3-a", "--protocol tcp --dst-port 22", "unreachable", None, ("acl-0a3-tgw",),
              "Every zone's gateway subnet in vpc-0a3 has the ACL."),
    reachable("i-0a1-b", "i-0a2-a", "--protocol tcp --dst-port 443", "reachable",
              "i-0a1-b subnet-0a1-b vpc-0a1 subnet-0a1-tgw-b tgw-0mesh subnet-0a2-tgw-b vpc-0a2 subnet-0a2-a i-0a2-a",
              why="Zone b all the way to the VPC."),
])


def hybrid_edge(folder: Path) -> None:
    (Account().transit_gateway("tgw-0edge", asn=64520).vpc("vpc-0cloud", "10.90.0.0/16")
     .subnet("subnet-0cloud-app", "vpc-0cloud", "10.90.1.0/24", "a")
     .subnet("subnet-0cloud-tgw", "vpc-0cloud", "10.90.255.0/28", "a")
     .routes("rtb-main-vpc-0cloud", route("192.168.0.0/16", "tgw-0edge"), route("172.16.0.0/12", "tgw-0edge"),
             route("10.200.0.0/16", "tgw-0edge"))
     .customer_gateway("cgw-0site", "198.51.100.50")
     .vpn_connection("vpn-0site", "tgw-0edge", "cgw-0site", "192.168.10.0/24", transit=True)
     .transit_attachment("tgw-attach-0cloud", "tgw-0edge", "vpc", "vpc-0cloud", "tgw-rtb-0cloud",
                         subnets=("subnet-0cloud-tgw",))
     .transit_attachment("tgw-attach-0vpn", "tgw-0edge", "vpn", "vpn-0site", "tgw-rtb-0onprem")
     .transit_attachment("tgw-attach-0dx", "tgw-0edge", "direct-connect-gateway", "5f3a1c2e-7d4b-4e8a-9c1f-2b6d8e0a4c7f",
                         "tgw-rtb-0onprem")
     .transit_attachment("tgw-attach-0peer", "tgw-0edge", "peering", "tgw-0useast1", "tgw-rtb-0onprem")
     .transit_route_table("tgw-rtb-0cloud", "tgw-0edge", ("172.16.0.0/12", "tgw-attach-0dx"),
                          ("10.200.0.0/16", "tgw-attach-0peer"), propagations=("tgw-attach-0vpn",))
     .transit_route_table("tgw-rtb-0onprem", "tgw-0edge", propagations=("tgw-attach-0cloud",))
     .security_group("sg-0cloud", "vpc-0cloud", tcp(22, "192.168.0.0/16"))
     .instance("i-0cloud", "subnet-0cloud-app", "vpc-0cloud", "10.90.1.10", groups=("sg-0cloud",))
     .write(folder))


CLOUD_TGW = "i-0cloud subnet-0cloud-app vpc-0cloud subnet-0cloud-tgw tgw-0edge"
HYBRID_EDGE = Architecture("tgw-hybrid-edge", (
    "A transit gateway at the edge of a cloud VPC: a Site-to-Site VPN attachment (static, 192.168.10.0/24, which it "
    "propagates), a Direct Connect gateway attachment (static route 172.16.0.0/12) and a peering attachment to a "
    "transit gateway in another region (static route 10.200.0.0/16), neither of whose far sides is in the "
    "snapshot."), hybrid_edge, [
    trace("i-0cloud", "192.168.10.5", "--dst-port 22", "exits-network", CLOUD_TGW, None,
          "The VPN attachment propagates its static route into tgw-rtb-0cloud."),
    trace("i-0cloud", "192.168.20.5", "--dst-port 22", "no-route", CLOUD_TGW, "tgw-rtb-0cloud",
          "The VPC sends 192.168.0.0/16 to the gateway, but the gateway holds only 192.168.10.0/24."),
    trace("i-0cloud", "172.20.1.1", "--dst-port 443", "exits-network", CLOUD_TGW, None,
          "The static route to the Direct Connect gateway attachment."),
    trace("i-0cloud", "10.200.5.5", "--dst-port 443", "exits-network", CLOUD_TGW, None,
          "The static route to the peering attachment; the peer gateway is in another region."),
    trace("i-0cloud", "10.201.0.1", "--dst-port 443", "no-route", "i-0cloud subnet-0cloud-app vpc-0cloud",
          "rtb-main-vpc-0cloud", "The VPC itself has no route for it."),
    trace("i-0cloud", "10.90.255.5", "--dst-port 443", "no-destination",
          "i-0cloud subnet-0cloud-app vpc-0cloud subnet-0cloud-tgw", None,
          "The local route; no interface in the snapshot holds 10.90.255.5."),
    reachable("i-0cloud", "192.168.10.0/24", "--protocol tcp --dst-port 22", "reachable", CLOUD_TGW, why="Over the VPN."),
    reachable("i-0cloud", "192.168.20.0/24", "", "unreachable", None, ("tgw-rtb-0cloud",), "Not propagated."),
])


ARCHITECTURES = [EGRESS, MESH, HYBRID_EDGE]
