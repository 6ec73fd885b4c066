"""Configurations that go wrong the way AWS's troubleshooting guides describe: a subnet left on a public main
route table, a network ACL that forgets the stateless return traffic, an instance with two interfaces and
several Elastic IPs, and a database opened to a peered VPC by a wide CIDR rule."""

from __future__ import annotations

from pathlib import Path

from aws import Account, entry, route, rule, tcp
from questions import Architecture, reachable, trace


def drift(folder: Path) -> None:
    (Account().vpc("vpc-0drift", "10.5.0.0/16")
     .subnet("subnet-0public", "vpc-0drift", "10.5.0.0/24", "a", public=True)
     .subnet("subnet-0app", "vpc-0drift", "10.5.1.0/24", "a").subnet("subnet-0new", "vpc-0drift", "10.5.2.0/24", "b")
     .internet_gateway("igw-0drift", "vpc-0drift")
     .nat_gateway("nat-0drift", "subnet-0public", "vpc-0drift", "10.5.0.100", "54.220.0.100")
     .routes("rtb-main-vpc-0drift", route("0.0.0.0/0", "igw-0drift"))
     .route_table("rtb-0app", "vpc-0drift", route("0.0.0.0/0", "nat-0drift"), subnets=("subnet-0app",))
     .security_group("sg-0web", "vpc-0drift", tcp(443, "0.0.0.0/0"))
     .security_group("sg-0app", "vpc-0drift", tcp(8080, "10.5.0.0/16"))
     .instance("i-0public", "subnet-0public", "vpc-0drift", "10.5.0.10", groups=("sg-0web",), public="54.220.0.10")
     .instance("i-0app", "subnet-0app", "vpc-0drift", "10.5.1.10", groups=("sg-0app",))
     .instance("i-0new", "subnet-0new", "vpc-0drift", "10.5.2.10", groups=("sg-0app",))
     .write(folder))


DRIFT = Architecture("main-table-drift", (
    "The main route table was made public (0.0.0.0/0 to the internet gateway), so every subnet without an explicit "
    "association is public: the public subnet relies on it on purpose, a new private subnet by accident. The app "
    "subnet is explicitly associated with a table whose default route is the NAT gateway."), drift, [
    trace("i-0app", "8.8.8.8", "--dst-port 443", "exits-network",
          "i-0app subnet-0app vpc-0drift subnet-0public nat-0drift subnet-0public vpc-0drift igw-0drift internet", None,
          "rtb-0app sends it to the NAT gateway; the public subnet (main table) to the internet gateway."),
    trace("i-0new", "8.8.8.8", "--dst-port 443", "denied-out", "i-0new subnet-0new vpc-0drift igw-0drift", "igw-0drift",
          "subnet-0new uses the main table, whose default route is the internet gateway; i-0new has no public "
          "address for it to translate to."),
    trace("i-0public", "8.8.8.8", "--dst-port 443", "exits-network",
          "i-0public subnet-0public vpc-0drift igw-0drift internet", None, "A public IP and the main table's route."),
    trace("internet", "54.220.0.10", "--src-ip 8.8.8.8 --dst-port 443", "accepted",
          "internet igw-0drift vpc-0drift subnet-0public i-0public", None, "sg-0web admits 443."),
    trace("internet", "54.220.0.10", "--src-ip 8.8.8.8 --dst-port 8080", "denied-in",
          "internet igw-0drift vpc-0drift subnet-0public i-0public", "sg-0web", "sg-0web admits 443 only."),
    trace("i-0new", "10.5.1.10", "--dst-port 8080", "accepted", "i-0new subnet-0new vpc-0drift subnet-0app i-0app", None,
          "The local route is more specific than the default route; sg-0app admits 8080 from the VPC."),
    trace("i-0public", "10.5.2.10", "--dst-port 22", "denied-in", "i-0public subnet-0public vpc-0drift subnet-0new i-0new",
          "sg-0app", "sg-0app admits 8080 only."),
    reachable("i-0new", "8.8.8.8", "--protocol tcp --dst-port 443", "unreachable", None, ("igw-0drift",),
              "No public address and no NAT route for subnet-0new."),
    reachable("i-0app", "93.184.216.34", "--protocol tcp --dst-port 443", "reachable",
              "i-0app subnet-0app vpc-0drift subnet-0public nat-0drift subnet-0public vpc-0drift igw-0drift internet",
              why="Through the NAT gateway."),
])


def return_path(folder: Path) -> None:
    (Account().vpc("vpc-0api", "10.6.0.0/16")
     .subnet("subnet-0api", "vpc-0api", "10.6.1.0/24", public=True).subnet("subnet-0batch", "vpc-0api", "10.6.2.0/24")
     .internet_gateway("igw-0api", "vpc-0api")
     .route_table("rtb-0api", "vpc-0api", route("0.0.0.0/0", "igw-0api"), subnets=("subnet-0api",))
     .acl("acl-0api", "vpc-0api", entry(100, "allow", "0.0.0.0/0", protocol="6", ports=(443, 443)),
          entry(100, "allow", "0.0.0.0/0", out=True, protocol="6", ports=(443, 443)), subnets=("subnet-0api",))
     .security_group("sg-0api", "vpc-0api", tcp(443, "0.0.0.0/0"))
     .security_group("sg-0batch", "vpc-0api")
     .instance("i-0api", "subnet-0api", "vpc-0api", "10.6.1.10", groups=("sg-0api",), public="52.208.0.10")
     .instance("i-0batch", "subnet-0batch", "vpc-0api", "10.6.2.10", groups=("sg-0batch",))
     .write(folder))


API_IN = "internet igw-0api vpc-0api subnet-0api"
RETURN_PATH = Architecture("nacl-return-path", (
    "A network ACL written as if it were stateful: it allows tcp/443 in and tcp/443 out, and nothing for the "
    "ephemeral ports the replies go to. Security groups are stateful, network ACLs are not: the replies of the "
    "HTTPS connections it admits are dropped on their way out."), return_path, [
    trace("internet", "52.208.0.10", "--src-ip 8.8.8.8 --src-port 51000 --dst-port 443", "accepted",
          f"{API_IN} i-0api", None, "Inbound rule 100 and sg-0api admit the request."),
    trace("i-0api", "8.8.8.8", "--src-port 443 --dst-port 51000", "denied-out", "i-0api subnet-0api", "acl-0api",
          "The reply goes to port 51000: outbound rule 100 names destination port 443 only, the * rule denies it."),
    trace("i-0api", "8.8.8.8", "--dst-port 443", "exits-network", "i-0api subnet-0api vpc-0api igw-0api internet", None,
          "A connection the server starts to port 443 matches outbound rule 100."),
    trace("i-0batch", "10.6.1.10", "--dst-port 443", "accepted", "i-0batch subnet-0batch vpc-0api subnet-0api i-0api",
          None, "subnet-0batch uses the default ACL; acl-0api's inbound rule 100 admits 443 from anywhere."),
    trace("i-0api", "10.6.2.10", "--src-port 443 --dst-port 40000", "denied-out", "i-0api subnet-0api", "acl-0api",
          "The reply to i-0batch is dropped the same way."),
    trace("i-0batch", "10.6.1.10", "--dst-port 22", "denied-in", "i-0batch subnet-0batch vpc-0api subnet-0api",
          "acl-0api", "acl-0api admits tcp/443 only."),
    trace("internet", "52.208.0.10", "--src-ip 8.8.8.8 --protocol icmp", "denied-in", API_IN, "acl-0api",
          "No ICMP rule: the * rule denies the echo request."),
    reachable("i-0api", "8.8.8.8", "--protocol tcp --dst-port 1024-65535", "unreachable", None, ("acl-0api",),
              "No outbound rule for the ephemeral ports."),
    reachable("internet", "i-0api", "--protocol tcp --dst-port 443", "reachable", f"{API_IN} i-0api",
              why="The request itself is admitted."),
])


def multi_homed(folder: Path) -> None:
    (Account().vpc("vpc-0mail", "10.7.0.0/16")
     .subnet("subnet-0front", "vpc-0mail", "10.7.1.0/24", public=True).subnet("subnet-0mgmt", "vpc-0mail", "10.7.2.0/24")
     .internet_gateway("igw-0mail", "vpc-0mail")
     .route_table("rtb-0front", "vpc-0mail", route("0.0.0.0/0", "igw-0mail"), subnets=("subnet-0front",))
     .security_group("sg-0smtp", "vpc-0mail", tcp(25, "0.0.0.0/0"), tcp(587, "0.0.0.0/0"))
     .security_group("sg-0mgmt", "vpc-0mail", tcp(22, "10.7.2.0/24"), tcp(9100, "10.7.2.0/24"))
     .security_group("sg-0admin", "vpc-0mail")
     .interface("eni-0mail-mgmt", "subnet-0mgmt", "vpc-0mail", "10.7.2.10", groups=("sg-0mgmt",), instance="i-0mail",
                device=1)
     .instance("i-0mail", "subnet-0front", "vpc-0mail", "10.7.1.10", "10.7.1.11", groups=("sg-0smtp",),
               public="52.30.0.10", publics={"10.7.1.11": "52.30.0.11"}, more=("eni-0mail-mgmt",))
     .elastic_ip("52.30.0.10", "eni-0mail", "10.7.1.10").elastic_ip("52.30.0.11", "eni-0mail", "10.7.1.11")
     .instance("i-0admin", "subnet-0mgmt", "vpc-0mail", "10.7.2.20", groups=("sg-0admin",))
     .write(folder))


MAIL_IN = "internet igw-0mail vpc-0mail subnet-0front i-0mail"
MULTI_HOMED = Architecture("multi-homed-elastic-ips", (
    "A mail server with two interfaces: device 0 in the public subnet with two private addresses, each with an "
    "Elastic IP, device 1 in a management subnet with no public address. The management subnet uses the main "
    "table (local only)."), multi_homed, [
    trace("internet", "52.30.0.11", "--src-ip 8.8.8.8 --dst-port 25", "accepted", MAIL_IN, None,
          "The second Elastic IP maps to the secondary address 10.7.1.11; sg-0smtp admits 25."),
    trace("internet", "52.30.0.10", "--src-ip 8.8.8.8 --dst-port 22", "denied-in", MAIL_IN, "sg-0smtp",
          "The public interface's group admits 25 and 587 only; the management group is on the other interface."),
    trace("i-0admin", "10.7.2.10", "--dst-port 22", "accepted", "i-0admin subnet-0mgmt i-0mail", None,
          "Within the subnet; sg-0mgmt admits SSH from 10.7.2.0/24."),
    trace("i-0admin", "10.7.1.10", "--dst-port 25", "accepted", "i-0admin subnet-0mgmt vpc-0mail subnet-0front i-0mail",
          None, "The local route; sg-0smtp admits 25 from anywhere."),
    trace("i-0admin", "10.7.1.10", "--dst-port 22", "denied-in", "i-0admin subnet-0mgmt vpc-0mail subnet-0front i-0mail",
          "sg-0smtp", "SSH is admitted on the management interface only."),
    trace("i-0admin", "8.8.8.8", "--dst-port 443", "no-route", "i-0admin subnet-0mgmt vpc-0mail", "rtb-main-vpc-0mail",
          "The main table holds only the local route."),
    trace("i-0mail", "8.8.8.8", "--src-ip 10.7.1.11 --dst-port 25", "exits-network",
          "i-0mail subnet-0front vpc-0mail igw-0mail internet", None,
          "Sent from the secondary address, translated to its Elastic IP 52.30.0.11."),
    trace("i-0mail", "8.8.8.8", "--src-ip 10.7.2.10 --dst-port 443", "no-route", "i-0mail subnet-0mgmt vpc-0mail",
          "rtb-main-vpc-0mail", "From the management interface, routed by the management subnet's (main) table."),
    trace("internet", "52.30.0.99", "--src-ip 8.8.8.8 --dst-port 25", "exits-network", "internet", None,
          "Nothing in the snapshot holds 52.30.0.99: the packet stays on the internet."),
    reachable("internet", "i-0mail", "--protocol tcp --dst-port 9100", "unreachable", None,
              ("sg-0smtp", "internet", "sg-0mgmt"),
              "9100 is admitted on the management interface, which has no public address."),
    reachable("internet", "i-0mail", "--protocol tcp --dst-port 587", "reachable", MAIL_IN, why="Submission port."),
])


def peered_database(folder: Path) -> None:
    (Account().vpc("vpc-0prod", "10.20.0.0/16").vpc("vpc-0partner", "10.21.0.0/16")
     .subnet("subnet-0prod-db", "vpc-0prod", "10.20.5.0/24").subnet("subnet-0prod-app", "vpc-0prod", "10.20.1.0/24")
     .subnet("subnet-0partner", "vpc-0partner", "10.21.1.0/24")
     .peering("pcx-0partner", ("vpc-0prod", "111122223333", ("10.20.0.0/16",)),
              ("vpc-0partner", "111122223333", ("10.21.0.0/16",)))
     .routes("rtb-main-vpc-0prod", route("10.21.0.0/16", "pcx-0partner"))
     .routes("rtb-main-vpc-0partner", route("10.20.1.0/24", "pcx-0partner"))
     .security_group("sg-0pg", "vpc-0prod", tcp(5432, "10.0.0.0/8", note="internal"), egress=())
     .security_group("sg-0prod-app", "vpc-0prod", tcp(8080, "10.21.0.0/16"))
     .security_group("sg-0partner", "vpc-0partner", rule("icmp", (8, -1), "10.20.0.0/16"))
     .interface("eni-0pg", "subnet-0prod-db", "vpc-0prod", "10.20.5.10", groups=("sg-0pg",),
                description="RDSNetworkInterface", managed=True)
     .instance("i-0prod-app", "subnet-0prod-app", "vpc-0prod", "10.20.1.10", groups=("sg-0prod-app",))
     .instance("i-0partner", "subnet-0partner", "vpc-0partner", "10.21.1.10", groups=("sg-0partner",))
     .write(folder))


PEERED_DB = Architecture("peered-database", (
    "A production VPC peered with a partner's VPC (10.21.0.0/16). Production routes the whole partner VPC to the "
    "peering; the partner routes back only to production's app subnet (10.20.1.0/24). The database group admits "
    "5432 from 10.0.0.0/8, a rule meant for the VPC that also covers the partner's VPC: only the partner's "
    "missing route keeps it away."), peered_database, [
    trace("i-0partner", "10.20.1.10", "--dst-port 8080", "accepted",
          "i-0partner subnet-0partner vpc-0partner pcx-0partner vpc-0prod subnet-0prod-app i-0prod-app", None,
          "The partner routes 10.20.1.0/24 to the peering; sg-0prod-app admits 8080 from 10.21.0.0/16."),
    trace("i-0partner", "10.20.5.10", "--dst-port 5432", "no-route", "i-0partner subnet-0partner vpc-0partner",
          "rtb-main-vpc-0partner", "The partner's table has no route to the database subnet."),
    trace("i-0prod-app", "10.20.5.10", "--dst-port 5432", "accepted",
          "i-0prod-app subnet-0prod-app vpc-0prod subnet-0prod-db eni-0pg", None, "sg-0pg admits 10.0.0.0/8."),
    trace("i-0prod-app", "10.21.1.10", "--protocol icmp", "accepted",
          "i-0prod-app subnet-0prod-app vpc-0prod pcx-0partner vpc-0partner subnet-0partner i-0partner", None,
          "Production routes 10.21.0.0/16 to the peering; sg-0partner admits ICMP type 8 (any code) from "
          "10.20.0.0/16."),
    trace("i-0prod-app", "10.21.1.10", "--protocol icmp --icmp-type 13 --icmp-code 0", "denied-in",
          "i-0prod-app subnet-0prod-app vpc-0prod pcx-0partner vpc-0partner subnet-0partner i-0partner", "sg-0partner",
          "A timestamp request (type 13) is not the type the rule names."),
    trace("eni-0pg", "10.21.1.10", "--protocol icmp", "denied-out", "eni-0pg", "sg-0pg",
          "sg-0pg has no egress rule."),
    trace("i-0partner", "10.22.0.1", "--dst-port 443", "no-route", "i-0partner subnet-0partner vpc-0partner",
          "rtb-main-vpc-0partner", "No route holds 10.22.0.1."),
    reachable("i-0partner", "eni-0pg", "--protocol tcp --dst-port 5432", "unreachable", None,
              ("rtb-main-vpc-0partner",), "The partner has no route to 10.20.5.0/24."),
    reachable("i-0partner", "i-0prod-app", "", "reachable",
              "i-0partner subnet-0partner vpc-0partner pcx-0partner vpc-0prod subnet-0prod-app i-0prod-app",
              why="tcp/8080 is admitted."),
])


ARCHITECTURES = [DRIFT, RETURN_PATH, MULTI_HOMED, PEERED_DB]
