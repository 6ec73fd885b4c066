"""Internet-facing VPCs: a bastion host, a dual-stack VPC with an egress-only gateway, a subnet behind a strict
network ACL, a database exposed by mistake, subnets left on a public main table, an ACL that forgets the
return traffic, and an instance with two interfaces and several Elastic IPs."""

from __future__ import annotations

from pathlib import Path

from aws import Account, entry, everything, route, tcp
from questions import Architecture, reachable, trace


def bastion(folder: Path) -> None:
    (Account().vpc("vpc-0bastion", "10.1.0.0/16")
     .subnet("subnet-0dmz-a", "vpc-0bastion", "10.1.0.0/24", "a", public=True)
     .subnet("subnet-0priv-a", "vpc-0bastion", "10.1.10.0/24", "a")
     .subnet("subnet-0priv-b", "vpc-0bastion", "10.1.11.0/24", "b")
     .internet_gateway("igw-0bastion", "vpc-0bastion")
     .nat_gateway("nat-0bastion", "subnet-0dmz-a", "vpc-0bastion", "10.1.0.200", "52.16.0.200")
     .route_table("rtb-0dmz", "vpc-0bastion", route("0.0.0.0/0", "igw-0bastion"), subnets=("subnet-0dmz-a",))
     .route_table("rtb-0priv", "vpc-0bastion", route("0.0.0.0/0", "nat-0bastion"),
                  subnets=("subnet-0priv-a", "subnet-0priv-b"))
     .security_group("sg-0bastion", "vpc-0bastion", tcp(22, "203.0.113.0/24", note="office"))
     .security_group("sg-0app", "vpc-0bastion", tcp(22, groups=("sg-0bastion",)), tcp(8080, "10.1.0.0/16"))
     .instance("i-0bastion", "subnet-0dmz-a", "vpc-0bastion", "10.1.0.10", groups=("sg-0bastion",),
               public="52.16.0.10")
     .instance("i-0app-a", "subnet-0priv-a", "vpc-0bastion", "10.1.10.20", groups=("sg-0app",), kind="m5.large")
     .instance("i-0app-b", "subnet-0priv-b", "vpc-0bastion", "10.1.11.20", groups=("sg-0app",), kind="m5.large")
     .write(folder))


BASTION_IN = "internet igw-0bastion vpc-0bastion subnet-0dmz-a i-0bastion"
BASTION = Architecture("bastion-host", (
    "One VPC (10.1.0.0/16): a bastion host with a public IP in the public subnet, admitting SSH from the office "
    "(203.0.113.0/24) only; app servers in two private subnets (zones a and b) admitting SSH from the bastion's "
    "security group and 8080 from the VPC, going out through one NAT gateway."), bastion, [
    trace("internet", "52.16.0.10", "--src-ip 203.0.113.7 --dst-port 22", "accepted", BASTION_IN, None,
          "igw-0bastion translates 52.16.0.10 to 10.1.0.10; sg-0bastion admits 22 from 203.0.113.0/24."),
    trace("internet", "52.16.0.10", "--src-ip 8.8.8.8 --dst-port 22", "denied-in", BASTION_IN, "sg-0bastion",
          "8.8.8.8 is outside the office block, the only source sg-0bastion admits."),
    trace("internet", "52.16.0.10", "--src-ip 203.0.113.7 --dst-port 3389", "denied-in", BASTION_IN, "sg-0bastion",
          "sg-0bastion names tcp/22 only."),
    trace("i-0bastion", "10.1.10.20", "--dst-port 22", "accepted",
          "i-0bastion subnet-0dmz-a vpc-0bastion subnet-0priv-a i-0app-a", None,
          "The local route; sg-0app admits 22 from members of sg-0bastion."),
    trace("i-0app-a", "10.1.11.20", "--dst-port 22", "denied-in",
          "i-0app-a subnet-0priv-a vpc-0bastion subnet-0priv-b i-0app-b", "sg-0app",
          "i-0app-a is in sg-0app, not sg-0bastion; tcp/22 is admitted from the bastion's group only."),
    trace("i-0app-a", "10.1.11.20", "--dst-port 8080", "accepted",
          "i-0app-a subnet-0priv-a vpc-0bastion subnet-0priv-b i-0app-b", None,
          "sg-0app admits 8080 from 10.1.0.0/16."),
    trace("i-0app-b", "151.101.1.69", "--dst-port 443", "exits-network",
          "i-0app-b subnet-0priv-b vpc-0bastion subnet-0dmz-a nat-0bastion subnet-0dmz-a vpc-0bastion igw-0bastion "
          "internet", None,
          "rtb-0priv sends 0.0.0.0/0 to the NAT gateway in zone a (cross-zone is allowed), whose subnet routes to "
          "the internet gateway, which translates the NAT's address to its Elastic IP."),
    trace("internet", "10.1.10.20", "--src-ip 203.0.113.7 --dst-port 22", "no-route", "internet", "internet",
          "A private address: the internet does not route it."),
    trace("i-0app-a", "10.1.0.10", "--dst-port 22", "denied-in",
          "i-0app-a subnet-0priv-a vpc-0bastion subnet-0dmz-a i-0bastion", "sg-0bastion",
          "sg-0bastion admits SSH only from the office block, not from inside the VPC."),
    trace("internet", "52.16.0.200", "--src-ip 203.0.113.7 --dst-port 22", "denied-in",
          "internet igw-0bastion vpc-0bastion subnet-0dmz-a nat-0bastion", "nat-0bastion",
          "52.16.0.200 is the NAT gateway's Elastic IP; a NAT gateway accepts no unsolicited connection."),
    reachable("internet", "i-0app-a", "--protocol tcp --dst-port 22", "unreachable", None, ("internet", "sg-0app"),
              "The app server has no public address, and sg-0app admits SSH only from the bastion's group."),
    reachable("i-0bastion", "i-0app-b", "--protocol tcp --dst-port 22", "reachable",
              "i-0bastion subnet-0dmz-a vpc-0bastion subnet-0priv-b i-0app-b", why="The bastion's purpose."),
    reachable("internet", "i-0bastion", "--protocol tcp --dst-port 22", "reachable", BASTION_IN,
              why="From the office block."),
    reachable("igw-0bastion", "i-0bastion", "--protocol tcp --dst-port 22", "reachable",
              "igw-0bastion vpc-0bastion subnet-0dmz-a i-0bastion", why="What enters through the internet gateway."),
    reachable("igw-0bastion", "i-0app-a", "", "unreachable", None, ("igw-0bastion",),
              "The gateway translates only public addresses, and the app servers have none."),
    reachable("subnet-0priv-a", "8.8.8.8", "--protocol tcp --dst-port 443", "reachable",
              "i-0app-a subnet-0priv-a vpc-0bastion subnet-0dmz-a nat-0bastion subnet-0dmz-a vpc-0bastion "
              "igw-0bastion internet", why="The subnet's one host goes out through the NAT gateway."),
    reachable("subnet-0dmz-a", "i-0app-b", "--protocol tcp --dst-port 22", "reachable",
              "i-0bastion subnet-0dmz-a vpc-0bastion subnet-0priv-b i-0app-b",
              why="The public subnet's hosts: the bastion (the NAT gateway's interface is no host)."),
    reachable("internet", "i-0bastion", "--protocol tcp --dst-port 80", "unreachable", None, ("sg-0bastion", "internet"),
              "sg-0bastion admits tcp/22 only; the private address is not routed on the internet."),
])


def dual_stack(folder: Path) -> None:
    six = "2a05:d018:1200:4d0"
    (Account().vpc("vpc-0dual", "10.2.0.0/16", ipv6=f"{six}0::/56")
     .subnet("subnet-0web", "vpc-0dual", "10.2.1.0/24", "a", public=True, ipv6=f"{six}1::/64")
     .subnet("subnet-0worker", "vpc-0dual", "10.2.2.0/24", "a", ipv6=f"{six}2::/64")
     .subnet("subnet-0legacy", "vpc-0dual", "10.2.3.0/24", "b", ipv6=f"{six}3::/64")
     .internet_gateway("igw-0dual", "vpc-0dual").egress_only_gateway("eigw-0dual", "vpc-0dual")
     .nat_gateway("nat-0dual", "subnet-0web", "vpc-0dual", "10.2.1.100", "54.75.0.100")
     .route_table("rtb-0web", "vpc-0dual", route("0.0.0.0/0", "igw-0dual"), route("::/0", "igw-0dual"),
                  subnets=("subnet-0web",))
     .route_table("rtb-0worker", "vpc-0dual", route("0.0.0.0/0", "nat-0dual"), route("::/0", "eigw-0dual"),
                  subnets=("subnet-0worker",))
     .route_table("rtb-0legacy", "vpc-0dual", route("::/0", "eigw-0dual"), subnets=("subnet-0legacy",))
     .security_group("sg-0web", "vpc-0dual", tcp(443, "0.0.0.0/0", ipv6=("::/0",)), tcp(80, ipv6=("::/0",)),
                     ipv6=True)
     .security_group("sg-0worker", "vpc-0dual", tcp(9000, groups=("sg-0web",)), ipv6=True)
     .instance("i-0web", "subnet-0web", "vpc-0dual", "10.2.1.10", groups=("sg-0web",), public="54.75.0.10")
     .instance("i-0worker", "subnet-0worker", "vpc-0dual", "10.2.2.10", groups=("sg-0worker",))
     .instance("i-0legacy", "subnet-0legacy", "vpc-0dual", "10.2.3.10", groups=("sg-0worker",))
     .write(folder))


DUAL_STACK = Architecture("ipv6-egress-only", (
    "A dual-stack VPC (10.2.0.0/16 and an Amazon IPv6 /56): the public subnet routes 0.0.0.0/0 and ::/0 to the "
    "internet gateway; the worker subnet sends IPv4 to a NAT gateway and IPv6 to an egress-only internet "
    "gateway; the legacy subnet has only the IPv6 default route. The web group admits 443 over both families "
    "and 80 from ::/0 only. The engine answers about IPv4 packets; `EgressOnlyInternetGateways.json` is reported "
    "as a resource type it does not read."), dual_stack, [
    trace("internet", "54.75.0.10", "--src-ip 8.8.8.8 --dst-port 443", "accepted",
          "internet igw-0dual vpc-0dual subnet-0web i-0web", None, "sg-0web admits 443 from 0.0.0.0/0."),
    trace("internet", "54.75.0.10", "--src-ip 8.8.8.8 --dst-port 80", "denied-in",
          "internet igw-0dual vpc-0dual subnet-0web i-0web", "sg-0web",
          "sg-0web admits tcp/80 from ::/0 only, an IPv6 range no IPv4 packet is in."),
    trace("i-0worker", "8.8.8.8", "--protocol udp --dst-port 53", "exits-network",
          "i-0worker subnet-0worker vpc-0dual subnet-0web nat-0dual subnet-0web vpc-0dual igw-0dual internet", None,
          "IPv4 leaves through the NAT gateway; the ::/0 route to the egress-only gateway carries IPv6 only."),
    trace("i-0legacy", "8.8.8.8", "--dst-port 443", "no-route", "i-0legacy subnet-0legacy vpc-0dual", "rtb-0legacy",
          "rtb-0legacy has no IPv4 route but the local one: its only default route is IPv6 (::/0)."),
    trace("i-0web", "10.2.2.10", "--dst-port 9000", "accepted", "i-0web subnet-0web vpc-0dual subnet-0worker i-0worker",
          None, "sg-0worker admits 9000 from members of sg-0web."),
    trace("i-0legacy", "10.2.1.10", "--dst-port 443", "accepted", "i-0legacy subnet-0legacy vpc-0dual subnet-0web i-0web",
          None, "The local route; sg-0web admits 443 from 0.0.0.0/0."),
    trace("internet", "54.75.0.100", "--src-ip 8.8.8.8 --dst-port 443", "denied-in",
          "internet igw-0dual vpc-0dual subnet-0web nat-0dual", "nat-0dual",
          "The NAT gateway's Elastic IP accepts no unsolicited connection."),
    trace("i-0worker", "10.2.3.10", "--dst-port 9000", "denied-in",
          "i-0worker subnet-0worker vpc-0dual subnet-0legacy i-0legacy", "sg-0worker",
          "sg-0worker admits 9000 from sg-0web only; i-0worker is in sg-0worker."),
    reachable("internet", "i-0worker", "", "unreachable", None, ("internet", "sg-0worker"),
              "No public IPv4 address; and sg-0worker admits only members of sg-0web."),
    reachable("i-0legacy", "1.1.1.1", "--protocol tcp --dst-port 443", "unreachable", None, ("rtb-0legacy",),
              "No IPv4 default route in rtb-0legacy."),
    reachable("internet", "i-0web", "--protocol tcp --dst-port 80", "unreachable", None, ("sg-0web", "internet"),
              "Port 80 is admitted over IPv6 only (and the private address is not routed on the internet)."),
])


def strict_acl(folder: Path) -> None:
    edge = [entry(50, "deny", "198.51.100.0/24"),
            entry(100, "allow", "0.0.0.0/0", protocol="6", ports=(80, 80)),
            entry(110, "allow", "0.0.0.0/0", protocol="6", ports=(443, 443)),
            entry(120, "allow", "203.0.113.0/24", protocol="6", ports=(22, 22)),
            entry(130, "allow", "0.0.0.0/0", protocol="6", ports=(1024, 65535)),
            entry(140, "allow", "10.3.0.0/16"),
            entry(100, "allow", "0.0.0.0/0", out=True, protocol="6", ports=(80, 80)),
            entry(110, "allow", "0.0.0.0/0", out=True, protocol="6", ports=(443, 443)),
            entry(120, "allow", "0.0.0.0/0", out=True, protocol="6", ports=(1024, 65535)),
            entry(130, "allow", "10.3.0.0/16", out=True)]
    core = [entry(100, "allow", "10.3.1.0/24", protocol="6", ports=(5432, 5432)),
            entry(200, "allow", "10.3.0.0/16", protocol="6", ports=(1024, 65535)),
            entry(100, "allow", "10.3.1.0/24", out=True, protocol="6", ports=(1024, 65535))]
    (Account().vpc("vpc-0strict", "10.3.0.0/16")
     .subnet("subnet-0edge", "vpc-0strict", "10.3.1.0/24", public=True).subnet("subnet-0core", "vpc-0strict", "10.3.2.0/24")
     .internet_gateway("igw-0strict", "vpc-0strict")
     .route_table("rtb-0edge", "vpc-0strict", route("0.0.0.0/0", "igw-0strict"), subnets=("subnet-0edge",))
     .acl("acl-0edge", "vpc-0strict", *edge, subnets=("subnet-0edge",))
     .acl("acl-0core", "vpc-0strict", *core, subnets=("subnet-0core",))
     .security_group("sg-0edge", "vpc-0strict", tcp(80, "0.0.0.0/0"), tcp(443, "0.0.0.0/0"), tcp(22, "0.0.0.0/0"))
     .security_group("sg-0core", "vpc-0strict", tcp(5432, groups=("sg-0edge",)), tcp(22, "10.3.0.0/16"))
     .instance("i-0edge", "subnet-0edge", "vpc-0strict", "10.3.1.10", groups=("sg-0edge",), public="63.32.0.10")
     .instance("i-0core", "subnet-0core", "vpc-0strict", "10.3.2.10", groups=("sg-0core",))
     .write(folder))


EDGE_IN = "internet igw-0strict vpc-0strict subnet-0edge"
STRICT_ACL = Architecture("nacl-heavy", (
    "A public subnet behind a strict network ACL: inbound, rule 50 denies a known bad block (198.51.100.0/24), "
    "then 80 and 443 from anywhere, 22 from the office, the ephemeral ports 1024-65535 for return traffic and "
    "everything from the VPC; outbound, 80, 443, the ephemeral ports and the VPC. The core subnet's ACL admits "
    "5432 from the edge subnet and ephemeral ports from the VPC, and sends only ephemeral ports back to the edge. "
    "The edge group admits SSH from anywhere, which the ACL narrows."), strict_acl, [
    trace("internet", "63.32.0.10", "--src-ip 8.8.8.8 --dst-port 443", "accepted", f"{EDGE_IN} i-0edge", None,
          "acl-0edge rule 110 and sg-0edge admit 443."),
    trace("internet", "63.32.0.10", "--src-ip 198.51.100.9 --dst-port 443", "denied-in", EDGE_IN, "acl-0edge",
          "Rule 50 (deny 198.51.100.0/24) comes before rule 110's allow."),
    trace("internet", "63.32.0.10", "--src-ip 8.8.8.8 --dst-port 22", "denied-in", EDGE_IN, "acl-0edge",
          "Rule 120 admits SSH only from 203.0.113.0/24, rules 130 and 140 do not match, the * rule denies: the "
          "security group's wider rule is never reached."),
    trace("internet", "63.32.0.10", "--src-ip 203.0.113.50 --dst-port 22", "accepted", f"{EDGE_IN} i-0edge", None,
          "Rule 120 and sg-0edge admit it."),
    trace("internet", "63.32.0.10", "--src-ip 8.8.8.8 --dst-port 3306", "denied-in", f"{EDGE_IN} i-0edge", "sg-0edge",
          "Rule 130 (ephemeral ports, meant for replies) lets 3306 through the ACL; sg-0edge has no rule for it."),
    trace("i-0edge", "8.8.8.8", "--protocol udp --dst-port 53", "denied-out", "i-0edge subnet-0edge", "acl-0edge",
          "Every outbound allow is TCP or to the VPC: the * rule denies UDP to 8.8.8.8."),
    trace("i-0edge", "93.184.216.34", "--dst-port 443", "exits-network", "i-0edge subnet-0edge vpc-0strict igw-0strict "
          "internet", None, "Outbound rule 110; the public IP is the source on the internet."),
    trace("i-0edge", "8.8.8.8", "--src-port 443 --dst-port 50000", "exits-network",
          "i-0edge subnet-0edge vpc-0strict igw-0strict internet", None,
          "The reply of an HTTPS connection: outbound rule 120 admits destination ports 1024-65535."),
    trace("i-0edge", "10.3.2.10", "--dst-port 5432", "accepted", "i-0edge subnet-0edge vpc-0strict subnet-0core i-0core",
          None, "Out: rule 120 (5432 is in 1024-65535). In: acl-0core rule 100; sg-0core admits sg-0edge."),
    trace("i-0edge", "10.3.2.10", "--dst-port 22", "denied-in", "i-0edge subnet-0edge vpc-0strict subnet-0core",
          "acl-0core", "acl-0core admits 5432 and ephemeral ports only; sg-0core's SSH rule is never reached."),
    trace("i-0core", "8.8.8.8", "--dst-port 443", "denied-out", "i-0core subnet-0core", "acl-0core",
          "acl-0core's only outbound allow is ephemeral ports to the edge subnet."),
    reachable("internet", "i-0edge", "--protocol tcp --dst-port 22", "reachable", f"{EDGE_IN} i-0edge",
              why="From the office block."),
    reachable("internet", "i-0edge", "--protocol tcp --dst-port 8000-8080", "unreachable", None, ("sg-0edge", "internet"),
              "The ACL admits these ports (rule 130), sg-0edge does not; the private address is not routed."),
    reachable("i-0edge", "i-0core", "--protocol tcp --dst-port 22", "unreachable", None, ("acl-0core",),
              "acl-0core denies tcp/22 inbound."),
    reachable("i-0edge", "8.8.8.0/24", "--protocol udp --dst-port 53", "unreachable", None, ("acl-0edge",),
              "No outbound UDP rule."),
])


def exposed_database(folder: Path) -> None:
    (Account().vpc("vpc-0legacydb", "10.4.0.0/16")
     .subnet("subnet-0public-a", "vpc-0legacydb", "10.4.1.0/24", "a", public=True)
     .subnet("subnet-0public-b", "vpc-0legacydb", "10.4.2.0/24", "b", public=True)
     .subnet("subnet-0private", "vpc-0legacydb", "10.4.10.0/24", "a")
     .internet_gateway("igw-0legacydb", "vpc-0legacydb")
     .routes("rtb-main-vpc-0legacydb", route("0.0.0.0/0", "igw-0legacydb"))
     .route_table("rtb-0private", "vpc-0legacydb", subnets=("subnet-0private",))
     .security_group("sg-0mysql", "vpc-0legacydb", tcp(3306, "0.0.0.0/0", note="temporary"))
     .security_group("sg-0mysql-private", "vpc-0legacydb", tcp(3306, groups=("sg-0api",)))
     .security_group("sg-0api", "vpc-0legacydb", tcp(443, "0.0.0.0/0"))
     .interface("eni-0rds-public", "subnet-0public-a", "vpc-0legacydb", "10.4.1.50", groups=("sg-0mysql",),
                public="34.250.10.50", description="RDSNetworkInterface", managed=True)
     .interface("eni-0rds-private", "subnet-0private", "vpc-0legacydb", "10.4.10.50", groups=("sg-0mysql-private",),
                description="RDSNetworkInterface", managed=True)
     .instance("i-0api", "subnet-0public-b", "vpc-0legacydb", "10.4.2.10", groups=("sg-0api",), public="34.250.10.10")
     .write(folder))


RDS_IN = "internet igw-0legacydb vpc-0legacydb subnet-0public-a eni-0rds-public"
EXPOSED_DB = Architecture("exposed-database", (
    "A misconfiguration: the main route table sends 0.0.0.0/0 to the internet gateway, and a MySQL database "
    "(RDS, publicly accessible) sits in a public subnet with a public IP and a group admitting 3306 from "
    "0.0.0.0/0. A second database in a private subnet admits 3306 from the API servers' group only."),
    exposed_database, [
    trace("internet", "34.250.10.50", "--src-ip 8.8.8.8 --dst-port 3306", "accepted", RDS_IN, None,
          "The public IP maps to 10.4.1.50; sg-0mysql admits 3306 from anywhere: the database is exposed."),
    trace("internet", "34.250.10.50", "--src-ip 8.8.8.8 --dst-port 22", "denied-in", RDS_IN, "sg-0mysql",
          "sg-0mysql names 3306 only."),
    trace("internet", "10.4.10.50", "--src-ip 8.8.8.8 --dst-port 3306", "no-route", "internet", "internet",
          "The private database has a private address only."),
    trace("i-0api", "10.4.10.50", "--dst-port 3306", "accepted",
          "i-0api subnet-0public-b vpc-0legacydb subnet-0private eni-0rds-private", None,
          "sg-0mysql-private admits members of sg-0api."),
    trace("i-0api", "10.4.1.50", "--dst-port 3306", "accepted",
          "i-0api subnet-0public-b vpc-0legacydb subnet-0public-a eni-0rds-public", None, "sg-0mysql admits anyone."),
    trace("eni-0rds-public", "8.8.8.8", "--dst-port 443", "exits-network",
          "eni-0rds-public subnet-0public-a vpc-0legacydb igw-0legacydb internet", None,
          "The main table's default route and the interface's public IP."),
    trace("eni-0rds-private", "8.8.8.8", "--dst-port 443", "no-route",
          "eni-0rds-private subnet-0private vpc-0legacydb", "rtb-0private", "rtb-0private holds the local route only."),
    trace("i-0api", "34.250.10.50", "--dst-port 3306", "accepted",
          "i-0api subnet-0public-b vpc-0legacydb igw-0legacydb internet igw-0legacydb vpc-0legacydb subnet-0public-a "
          "eni-0rds-public", None,
          "By its public address the packet goes out through the internet gateway (as 34.250.10.10) and back in; "
          "sg-0mysql admits 0.0.0.0/0."),
    reachable("internet", "eni-0rds-public", "--protocol tcp --dst-port 3306", "reachable", RDS_IN,
              why="The exposure."),
    reachable("internet", "eni-0rds-private", "--protocol tcp --dst-port 3306", "unreachable", None,
              ("internet", "sg-0mysql-private", "rtb-0private"),
              "No public address; sg-0mysql-private admits only sg-0api's members."),
    reachable("internet", "i-0api", "--protocol tcp --dst-port 3306", "unreachable", None, ("sg-0api", "internet"),
              "sg-0api admits 443 only; its private address is not routed on the internet."),
])


def default_vpc(folder: Path) -> None:
    account = Account().vpc("vpc-0default", "172.31.0.0/16", default=True, main_table="rtb-0default-main")
    for zone, third in (("a", 0), ("b", 16), ("c", 32)):
        account.subnet(f"subnet-0default-{zone}", "vpc-0default", f"172.31.{third}.0/20", zone, public=True,
                       default=True)
    (account.internet_gateway("igw-0default", "vpc-0default")
     .routes("rtb-0default-main", route("0.0.0.0/0", "igw-0default"))
     .security_group("sg-0default", "vpc-0default", everything(groups=("sg-0default",)), title="default")
     .security_group("sg-0wizard", "vpc-0default", tcp(22, "0.0.0.0/0"), title="launch-wizard-1")
     .instance("i-0dev", "subnet-0default-a", "vpc-0default", "172.31.0.10", groups=("sg-0default",),
               public="3.250.0.10")
     .instance("i-0wizard", "subnet-0default-b", "vpc-0default", "172.31.16.10", groups=("sg-0wizard",),
               public="3.250.0.20")
     .instance("i-0dev2", "subnet-0default-c", "vpc-0default", "172.31.32.10", groups=("sg-0default",),
               public="3.250.0.30")
     .write(folder))


DEV_IN = "internet igw-0default vpc-0default subnet-0default-a i-0dev"
DEFAULT_VPC = Architecture("default-vpc", (
    "The default VPC AWS creates in every region (172.31.0.0/16, one default /20 subnet per zone, public IPs on "
    "launch, the main table's default route to the internet gateway) with instances launched the two usual ways: "
    "with the default security group (all traffic from its own members) and with a launch wizard's group (SSH "
    "from anywhere)."), default_vpc, [
    trace("internet", "3.250.0.10", "--src-ip 8.8.8.8 --dst-port 22", "denied-in", DEV_IN, "sg-0default",
          "The default group admits only its own members."),
    trace("internet", "3.250.0.20", "--src-ip 8.8.8.8 --dst-port 22", "accepted",
          "internet igw-0default vpc-0default subnet-0default-b i-0wizard", None, "launch-wizard-1: SSH from anywhere."),
    trace("i-0wizard", "172.31.0.10", "--dst-port 22", "denied-in",
          "i-0wizard subnet-0default-b vpc-0default subnet-0default-a i-0dev", "sg-0default",
          "i-0wizard is not a member of the default group."),
    trace("i-0dev2", "172.31.0.10", "--dst-port 5000", "accepted",
          "i-0dev2 subnet-0default-c vpc-0default subnet-0default-a i-0dev", None, "Both are members."),
    trace("i-0dev2", "3.250.0.10", "--dst-port 5000", "denied-in",
          "i-0dev2 subnet-0default-c vpc-0default igw-0default internet igw-0default vpc-0default subnet-0default-a "
          "i-0dev", "sg-0default", "By the public address the source is i-0dev2's public IP, which a group "
                                  "reference does not match."),
    trace("i-0dev", "8.8.8.8", "--protocol udp --dst-port 53", "exits-network",
          "i-0dev subnet-0default-a vpc-0default igw-0default internet", None, "The default route and public IP."),
    trace("i-0dev", "172.31.48.10", "--dst-port 22", "no-destination", "i-0dev subnet-0default-a vpc-0default", None,
          "172.31.48.0/20 is inside the VPC's CIDR (the local route) but no subnet holds it."),
    reachable("internet", "i-0wizard", "--protocol tcp --dst-port 22", "reachable",
              "internet igw-0default vpc-0default subnet-0default-b i-0wizard", why="The wizard's rule."),
    reachable("internet", "i-0dev", "", "unreachable", None, ("sg-0default", "internet"),
              "Only members of the default group, and the private address is not routed."),
])


def ingress_routing(folder: Path) -> None:
    (Account().vpc("vpc-0inspect", "10.17.0.0/16")
     .subnet("subnet-0fw", "vpc-0inspect", "10.17.0.0/24", public=True)
     .subnet("subnet-0web", "vpc-0inspect", "10.17.1.0/24", public=True)
     .internet_gateway("igw-0inspect", "vpc-0inspect")
     .route_table("rtb-0edge", "vpc-0inspect", route("10.17.1.0/24", "eni-0fw"), gateway="igw-0inspect")
     .route_table("rtb-0fw", "vpc-0inspect", route("0.0.0.0/0", "igw-0inspect"), subnets=("subnet-0fw",))
     .route_table("rtb-0web", "vpc-0inspect", route("0.0.0.0/0", "eni-0fw"), subnets=("subnet-0web",))
     .security_group("sg-0fw", "vpc-0inspect", tcp(22, "10.17.0.0/16"), everything("10.17.1.0/24"))
     .security_group("sg-0web", "vpc-0inspect", tcp(443, "0.0.0.0/0"))
     .instance("i-0fw", "subnet-0fw", "vpc-0inspect", "10.17.0.10", groups=("sg-0fw",), public="54.77.0.5",
               source_dest_check=False, kind="c5n.large")
     .instance("i-0web", "subnet-0web", "vpc-0inspect", "10.17.1.10", groups=("sg-0web",), public="54.77.0.10")
     .write(folder))


INGRESS_ROUTING = Architecture("ingress-routing-appliance", (
    "Ingress routing: the internet gateway's own route table (an edge association) sends what enters for the web "
    "subnet to a firewall instance's interface, and the web subnet sends 0.0.0.0/0 back to it; the firewall (source/"
    "destination check off) routes to the internet gateway. What an appliance does with a packet is not modelled: "
    "paths through it are unknown, naming it."), ingress_routing, [
    trace("internet", "54.77.0.10", "--src-ip 8.8.8.8 --dst-port 443", "unknown",
          "internet igw-0inspect vpc-0inspect eni-0fw", None,
          "rtb-0edge sends 10.17.1.0/24 to the firewall's interface; the firewall decides."),
    trace("i-0web", "8.8.8.8", "--dst-port 443", "unknown", "i-0web subnet-0web vpc-0inspect eni-0fw", None,
          "rtb-0web's default route is the firewall."),
    trace("i-0web", "10.17.0.10", "--dst-port 22", "accepted", "i-0web subnet-0web vpc-0inspect subnet-0fw i-0fw", None,
          "The local route is more specific than the default route; sg-0fw admits SSH from the VPC."),
    trace("i-0fw", "8.8.8.8", "--dst-port 443", "exits-network", "i-0fw subnet-0fw vpc-0inspect igw-0inspect internet",
          None, "The firewall's own traffic leaves through the internet gateway with its public IP."),
    trace("internet", "54.77.0.5", "--src-ip 8.8.8.8 --dst-port 22", "denied-in",
          "internet igw-0inspect vpc-0inspect subnet-0fw i-0fw", "sg-0fw",
          "rtb-0edge's local route delivers 10.17.0.10; sg-0fw admits SSH from the VPC only."),
    trace("i-0fw", "10.17.1.10", "--dst-port 443", "accepted", "i-0fw subnet-0fw vpc-0inspect subnet-0web i-0web", None,
          "What the firewall forwards to the web server: the local route, sg-0web admits 443."),
    reachable("internet", "i-0fw", "--protocol tcp --dst-port 22", "unreachable", None, ("sg-0fw", "internet"),
              "SSH from the VPC only."),
])


ARCHITECTURES = [BASTION, DUAL_STACK, STRICT_ACL, EXPOSED_DB, DEFAULT_VPC, INGRESS_ROUTING]
