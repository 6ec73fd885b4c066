"""Packets that start at a gateway: entering through an internet gateway or a virtual private gateway
(which deliver only into their VPC), or sent by a NAT gateway; and `reachable` from a gateway or a subnet."""

from __future__ import annotations

import re
from ipaddress import IPv4Address

import pytest

from solomonic.errors import UserError
from solomonic.network.model import is_public
from solomonic.network.reachable import Question, answer, goal, senders
from tests.network.snapshots import ask, tcp, two_tier


def with_vpn():
    """The two-tier VPC with a virtual private gateway, through which the office (192.168.0.0/16) reaches in."""
    net = two_tier().vpn_gateway("vgw-1", "vpc-1")
    net.files["SecurityGroups"][1]["IpPermissions"].append(tcp(22, "192.168.0.0/16"))  # sg-app: SSH from the office
    return net


def test_an_internet_gateway_delivers_to_the_public_addresses_it_translates(tmp_path):
    snapshot = two_tier().load(tmp_path)
    answer = ask(snapshot, "igw-1", "203.0.113.10", src_ip="8.8.8.8")
    assert (answer.disposition, answer.hops) == ("accepted", ("igw-1", "vpc-1", "subnet-public", "i-web"))
    private = ask(snapshot, "igw-1", "10.0.1.10", src_ip="8.8.8.8")
    assert (private.disposition, private.blocked_by, private.hops) == ("no-route", "igw-1", ("igw-1",))


def test_a_virtual_private_gateway_delivers_only_into_its_vpc(tmp_path):
    snapshot = with_vpn().load(tmp_path)
    answer = ask(snapshot, "vgw-1", "10.0.2.10", dst_port=22, src_ip="192.168.1.5")
    assert (answer.disposition, answer.hops) == ("accepted", ("vgw-1", "vpc-1", "subnet-app", "i-app"))
    assert ask(snapshot, "vgw-1", "10.0.3.10", dst_port=22, src_ip="192.168.1.5").blocked_by == "sg-db"
    transit = ask(snapshot, "vgw-1", "8.8.8.8", src_ip="192.168.1.5")  # not out through the internet gateway
    assert (transit.disposition, transit.blocked_by) == ("no-route", "vgw-1") and "not a transit" in transit.reason


def test_a_gateways_own_route_table_routes_what_enters(tmp_path):
    net = with_vpn().route_table("rtb-vgw", "vpc-1", gateway="vgw-1").route("rtb-vgw", "10.0.2.0/24", "eni-firewall")
    answer = ask(net.load(tmp_path), "vgw-1", "10.0.2.10", dst_port=22, src_ip="192.168.1.5")
    assert (answer.disposition, answer.hops[-1]) == ("unknown", "eni-firewall")


def test_a_nat_gateway_sends_from_its_own_address(tmp_path):
    snapshot = two_tier().load(tmp_path)
    answer = ask(snapshot, "nat-1", "1.1.1.1")
    assert answer.flow.src_ip.exploded == "10.0.1.100"
    assert (answer.disposition, answer.hops) == ("exits-network", ("nat-1", "subnet-public", "vpc-1", "igw-1",
                                                                   "internet"))
    with pytest.raises(UserError, match=re.escape("sends from its own address 10.0.1.100 only")):
        ask(snapshot, "nat-1", "1.1.1.1", src_ip="10.0.1.7")


@pytest.mark.parametrize(("node", "src_ip", "message"), [
    ("igw-1", None, re.escape("--from igw-1 needs --src-ip")),
    ("igw-1", "10.9.9.9", "not a public address"),
    ("vgw-9", "192.168.1.5", re.escape("--from vgw-9: no such gateway")),
    ("nat-9", None, re.escape("--from nat-9: no such NAT gateway")),
])
def test_bad_gateway_sources(tmp_path, node, src_ip, message):
    with pytest.raises(UserError, match=message):
        ask(with_vpn().load(tmp_path), node, "10.0.2.10", src_ip=src_ip)


def reach(snapshot, node: str, destination: str, ports: tuple[int, int] | None = (22, 22), src_ip: str | None = None):
    """`reachable` from `node`, TCP on `ports` (every protocol when None)."""
    address = IPv4Address(src_ip) if src_ip else None
    return answer(snapshot, Question(senders(snapshot, node, address), goal(snapshot, destination), address,
                                     6 if ports else None, ports))


def test_reachable_from_an_internet_gateway_ranges_over_public_sources_and_translated_addresses():
    snapshot = two_tier().build()
    web = reach(snapshot, "igw-1", "i-web", (443, 443))
    assert web.verdict == "reachable" and web.witness.hops == ("igw-1", "vpc-1", "subnet-public", "i-web")
    assert str(web.witness.flow.dst_ip) == "203.0.113.10"  # the public address, which the gateway translates
    assert is_public(web.witness.flow.src_ip)
    app = reach(snapshot, "igw-1", "i-app", None)  # no public address: nothing the gateway translates
    assert app.verdict == "unreachable" and app.blocked_by[0].components == ("igw-1",)


def test_reachable_from_a_virtual_private_gateway_comes_from_outside_its_vpc():
    snapshot = with_vpn().build()
    answer = reach(snapshot, "vgw-1", "i-app")
    assert answer.verdict == "reachable" and answer.witness.hops == ("vgw-1", "vpc-1", "subnet-app", "i-app")
    assert str(answer.witness.flow.src_ip).startswith("192.168.")  # sg-app admits SSH from the office only
    assert reach(snapshot, "vgw-1", "i-app", src_ip="10.0.1.10").verdict == "unreachable"  # not from the office
    assert reach(snapshot, "vgw-1", "eni-db").verdict == "unreachable"


def test_reachable_from_a_subnet_starts_at_each_of_its_hosts():
    snapshot = two_tier().build()
    answer = reach(snapshot, "subnet-public", "i-app", (8080, 8080))  # the web server, not the NAT gateway
    assert answer.verdict == "reachable" and answer.witness.hops[0] == "i-web"
    assert reach(snapshot, "subnet-app", "eni-db", (5432, 5432)).verdict == "reachable"
    assert reach(snapshot, "subnet-public", "eni-db", (5432, 5432)).verdict == "unreachable"


@pytest.mark.parametrize(("node", "src_ip", "message"), [
    ("subnet-9", None, re.escape("--from subnet-9: no such subnet")),
    ("subnet-db", None, re.escape("--from subnet-db: no network interface in it has an IPv4 address")),
    ("subnet-app", "10.0.2.99", re.escape("no network interface in it holds 10.0.2.99")),
    ("igw-1", "10.9.9.9", "not a public address"),
    ("vgw-9", None, re.escape("--from vgw-9: no such gateway")),
])
def test_bad_reachable_sources(node, src_ip, message):
    net = with_vpn()
    net.files["NetworkInterfaces"] = [i for i in net.files["NetworkInterfaces"] if i["NetworkInterfaceId"] != "eni-db"]
    with pytest.raises(UserError, match=message):
        reach(net.build(), node, "10.0.2.10", src_ip=src_ip)
