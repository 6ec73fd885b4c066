"""Route selection: a VPC peered with two VPCs whose CIDRs overlap, reached by specific routes (the "peering
configurations with specific routes" of AWS's VPC Peering Guide), and a VPC with a secondary CIDR whose
table mixes the local routes, a peering, a VPN and a NAT gateway by longest prefix."""

from __future__ import annotations

from pathlib import Path

from aws import Account, everything, route, tcp
from questions import Architecture, reachable, trace

OWNER = "111122223333"


def overlapping(folder: Path) -> None:
    (Account().vpc("vpc-0hub", "172.16.0.0/16").vpc("vpc-0b", "10.0.0.0/16").vpc("vpc-0c", "10.0.0.0/16")
     .subnet("subnet-0hub", "vpc-0hub", "172.16.1.0/24")
     .subnet("subnet-0b", "vpc-0b", "10.0.0.0/24").subnet("subnet-0b2", "vpc-0b", "10.0.1.0/24")
     .subnet("subnet-0c", "vpc-0c", "10.0.1.0/24")
     .peering("pcx-0ab", ("vpc-0hub", OWNER, ("172.16.0.0/16",)), ("vpc-0b", OWNER, ("10.0.0.0/16",)))
     .peering("pcx-0ac", ("vpc-0hub", OWNER, ("172.16.0.0/16",)), ("vpc-0c", OWNER, ("10.0.0.0/16",)))
     .routes("rtb-main-vpc-0hub", route("10.0.0.0/24", "pcx-0ab"), route("10.0.1.0/24", "pcx-0ac"))
     .routes("rtb-main-vpc-0b", route("172.16.0.0/16", "pcx-0ab"))
     .routes("rtb-main-vpc-0c", route("172.16.0.0/16", "pcx-0ac"))
     .security_group("sg-0hub", "vpc-0hub", everything("10.0.0.0/16"))
     .security_group("sg-0b", "vpc-0b", tcp(22, "172.16.0.0/16"))
     .security_group("sg-0c", "vpc-0c", tcp(22, "172.16.0.0/16"), tcp(443, "172.16.0.0/16"))
     .instance("i-0hub", "subnet-0hub", "vpc-0hub", "172.16.1.10", groups=("sg-0hub",))
     .instance("i-0b", "subnet-0b", "vpc-0b", "10.0.0.10", groups=("sg-0b",))
     .instance("i-0b2", "subnet-0b2", "vpc-0b", "10.0.1.10", groups=("sg-0b",))
     .instance("i-0c", "subnet-0c", "vpc-0c", "10.0.1.10", groups=("sg-0c",))
     .write(folder))


OVERLAPPING = Architecture("peering-overlapping-cidrs", (
    "vpc-0hub (172.16.0.0/16) is peered with vpc-0b and vpc-0c, which both use 10.0.0.0/16. The hub's table sends "
    "10.0.0.0/24 to vpc-0b and 10.0.1.0/24 to vpc-0c, as AWS documents for overlapping peers: the hub reaches "
    "10.0.1.10 in vpc-0c, never vpc-0b's own 10.0.1.10."), overlapping, [
    trace("i-0hub", "10.0.0.10", "--dst-port 22", "accepted",
          "i-0hub subnet-0hub vpc-0hub pcx-0ab vpc-0b subnet-0b i-0b", None, "The /24 route to pcx-0ab."),
    trace("i-0hub", "10.0.1.10", "--dst-port 22", "accepted",
          "i-0hub subnet-0hub vpc-0hub pcx-0ac vpc-0c subnet-0c i-0c", None,
          "10.0.1.0/24 goes to pcx-0ac: the packet reaches i-0c, not i-0b2, which holds the same address in vpc-0b."),
    trace("i-0hub", "10.0.2.10", "--dst-port 22", "no-route", "i-0hub subnet-0hub vpc-0hub", "rtb-main-vpc-0hub",
          "Only the two /24s are routed."),
    trace("i-0b2", "172.16.1.10", "--dst-port 22", "accepted",
          "i-0b2 subnet-0b2 vpc-0b pcx-0ab vpc-0hub subnet-0hub i-0hub", None,
          "vpc-0b routes the hub's CIDR to pcx-0ab, and sg-0hub admits 10.0.0.0/16 (one way: the hub would send "
          "the reply to vpc-0c)."),
    trace("i-0c", "172.16.1.10", "--dst-port 443", "accepted", "i-0c subnet-0c vpc-0c pcx-0ac vpc-0hub subnet-0hub i-0hub",
          None, "sg-0hub admits all traffic from 10.0.0.0/16."),
    trace("i-0b", "10.0.1.10", "--dst-port 22", "denied-in", "i-0b subnet-0b vpc-0b subnet-0b2 i-0b2", "sg-0b",
          "Inside vpc-0b the local route wins; sg-0b admits SSH from the hub only."),
    trace("i-0hub", "10.0.1.10", "--dst-port 80", "denied-in", "i-0hub subnet-0hub vpc-0hub pcx-0ac vpc-0c subnet-0c i-0c",
          "sg-0c", "sg-0c admits 22 and 443 only."),
    reachable("i-0hub", "i-0c", "--protocol tcp --dst-port 443", "reachable",
              "i-0hub subnet-0hub vpc-0hub pcx-0ac vpc-0c subnet-0c i-0c", why="The specific route."),
    reachable("i-0hub", "i-0b", "--protocol tcp --dst-port 22", "reachable",
              "i-0hub subnet-0hub vpc-0hub pcx-0ab vpc-0b subnet-0b i-0b", why="The other specific route."),
])


def secondary_cidr(folder: Path) -> None:
    (Account().vpc("vpc-0grow", "10.14.0.0/16", "100.64.0.0/16").vpc("vpc-0lab", "10.99.0.0/16")
     .subnet("subnet-0public", "vpc-0grow", "10.14.0.0/24", public=True)
     .subnet("subnet-0nodes", "vpc-0grow", "10.14.1.0/24").subnet("subnet-0pods", "vpc-0grow", "100.64.0.0/18")
     .subnet("subnet-0lab", "vpc-0lab", "10.99.1.0/24")
     .internet_gateway("igw-0grow", "vpc-0grow").vpn_gateway("vgw-0grow", "vpc-0grow")
     .customer_gateway("cgw-0dc", "198.51.100.77")
     .vpn_connection("vpn-0dc", "vgw-0grow", "cgw-0dc", "10.0.0.0/8")
     .nat_gateway("nat-0grow", "subnet-0public", "vpc-0grow", "10.14.0.100", "54.228.0.100")
     .peering("pcx-0lab", ("vpc-0grow", OWNER, ("10.14.0.0/16", "100.64.0.0/16")), ("vpc-0lab", OWNER, ("10.99.0.0/16",)))
     .routes("rtb-main-vpc-0grow", route("0.0.0.0/0", "igw-0grow"))
     .route_table("rtb-0private", "vpc-0grow", route("0.0.0.0/0", "nat-0grow"), route("10.0.0.0/8", "vgw-0grow"),
                  route("10.99.0.0/16", "pcx-0lab"), subnets=("subnet-0nodes", "subnet-0pods"))
     .routes("rtb-main-vpc-0lab", route("10.14.0.0/16", "pcx-0lab"))
     .security_group("sg-0node", "vpc-0grow", everything("10.14.0.0/16", "100.64.0.0/16"), tcp(22, "10.99.0.0/16"))
     .security_group("sg-0lab", "vpc-0lab", everything("10.14.0.0/16", "100.64.0.0/16"))
     .interface("eni-0pod", "subnet-0pods", "vpc-0grow", "100.64.0.20", groups=("sg-0node",), instance="i-0node", device=1)
     .instance("i-0node", "subnet-0nodes", "vpc-0grow", "10.14.1.10", groups=("sg-0node",), more=("eni-0pod",),
               kind="m6i.2xlarge")
     .instance("i-0lab", "subnet-0lab", "vpc-0lab", "10.99.1.10", groups=("sg-0lab",))
     .write(folder))


SECONDARY = Architecture("secondary-cidr-longest-prefix", (
    "A VPC with a secondary CIDR (100.64.0.0/16, for pods on a second interface) whose private table sends "
    "0.0.0.0/0 to a NAT gateway, 10.0.0.0/8 to a virtual private gateway (a static VPN with the same route), and "
    "10.99.0.0/16 to a peered lab VPC; the local routes (10.14.0.0/16 and 100.64.0.0/16) are the most specific for "
    "the VPC itself. The lab routes back only 10.14.0.0/16."), secondary_cidr, [
    trace("i-0node", "10.99.1.10", "--dst-port 22", "accepted", "i-0node subnet-0nodes vpc-0grow pcx-0lab vpc-0lab "
          "subnet-0lab i-0lab", None, "10.99.0.0/16 (peering) is more specific than 10.0.0.0/8 (VPN)."),
    trace("i-0node", "10.50.3.3", "--dst-port 22", "exits-network", "i-0node subnet-0nodes vpc-0grow vgw-0grow", None,
          "10.0.0.0/8 to the virtual private gateway; vpn-0dc's static route covers it."),
    trace("i-0node", "10.14.0.50", "--dst-port 443", "no-destination", "i-0node subnet-0nodes vpc-0grow subnet-0public",
          None, "The local route 10.14.0.0/16 beats 10.0.0.0/8; no interface holds 10.14.0.50."),
    trace("eni-0pod", "8.8.8.8", "--dst-port 443", "exits-network",
          "i-0node subnet-0pods vpc-0grow subnet-0public nat-0grow subnet-0public vpc-0grow igw-0grow internet", None,
          "The pod interface's subnet uses rtb-0private: the NAT gateway, then the public subnet's main table."),
    trace("i-0lab", "100.64.0.20", "--dst-port 22", "no-route", "i-0lab subnet-0lab vpc-0lab", "rtb-main-vpc-0lab",
          "The lab routes only 10.14.0.0/16 back to the peering, not the secondary CIDR."),
    trace("i-0lab", "10.14.1.10", "--dst-port 22", "accepted",
          "i-0lab subnet-0lab vpc-0lab pcx-0lab vpc-0grow subnet-0nodes i-0node", None,
          "sg-0node admits SSH from 10.99.0.0/16."),
    trace("i-0lab", "10.14.1.10", "--dst-port 443", "denied-in",
          "i-0lab subnet-0lab vpc-0lab pcx-0lab vpc-0grow subnet-0nodes i-0node", "sg-0node",
          "From the lab, sg-0node admits SSH only."),
    trace("eni-0node", "10.99.1.10", "--src-ip 100.64.0.20 --dst-port 22", "denied-out", "i-0node", "i-0node",
          "100.64.0.20 belongs to the other interface: eni-0node's source/destination check drops the packet."),
    trace("i-0node", "100.64.0.20", "--dst-port 8080", "accepted", "i-0node subnet-0nodes vpc-0grow subnet-0pods i-0node",
          None, "The instance's own second interface, through the VPC router: the local route 100.64.0.0/16."),
    reachable("i-0node", "i-0lab", "--protocol tcp --dst-port 22", "reachable",
              "i-0node subnet-0nodes vpc-0grow pcx-0lab vpc-0lab subnet-0lab i-0lab", why="The peering route."),
    reachable("i-0lab", "eni-0pod", "", "unreachable", None, ("rtb-main-vpc-0lab",), "No route back to 100.64.0.0/16."),
])


ARCHITECTURES = [OVERLAPPING, SECONDARY]
