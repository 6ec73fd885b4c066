"""Properties of `trace` over hypothesis-written networks and packets: every walk ends in a disposition whose
fields agree with it, never in an exception; and the monotonicity AWS's rules imply — security groups are
allow-only, so admitting more never takes a delivery away, and a network ACL deny numbered before every
other rule of its direction leaves nothing delivered that crosses that ACL."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.network.snapshots import ANYTHING, Net, ask, entry, rule

SUBNETS = (("subnet-a", "vpc-1", "10.0.1.0/24"), ("subnet-b", "vpc-1", "10.0.2.0/24"),
           ("subnet-c", "vpc-2", "10.1.1.0/24"))
INSTANCES = (("i-a", "subnet-a", "vpc-1", "10.0.1.10", "52.0.0.10"), ("i-b", "subnet-b", "vpc-1", "10.0.2.10", None),
             ("i-c", "subnet-c", "vpc-2", "10.1.1.10", "52.0.0.30"))
TARGETS = ("igw-1", "nat-1", "pcx-12", "tgw-1")
DESTINATIONS = ("10.0.1.10", "10.0.2.10", "10.1.1.10", "10.0.1.99", "10.0.9.9", "10.1.1.2", "52.0.0.10",
                "52.0.0.30", "52.0.0.99", "8.8.8.8", "192.168.0.1")
CIDRS = ("0.0.0.0/0", "10.0.0.0/8", "10.0.1.0/24", "10.0.2.0/24", "10.1.0.0/16", "10.0.1.10/32", "8.0.0.0/8")

routes = st.lists(st.tuples(st.sampled_from(("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.0.2.0/24", "8.8.8.0/24")),
                            st.sampled_from(TARGETS), st.booleans()), max_size=3, unique_by=lambda r: r[0])
sg_rules = st.lists(st.one_of(
    st.builds(lambda port, cidr: rule("tcp", port, port + 10, cidr), st.sampled_from((22, 80, 443)),
              st.sampled_from(CIDRS)),
    st.builds(lambda cidr: rule("-1", None, None, cidr), st.sampled_from(CIDRS)),
    st.builds(lambda group: rule("tcp", 0, 65535, groups=(group,)), st.sampled_from(("sg-1", "sg-2", "sg-3")))),
    max_size=3)
acl_entries = st.lists(st.builds(lambda n, allow, cidr, egress: entry(n, "allow" if allow else "deny", cidr, egress),
                                 st.integers(1, 200), st.booleans(), st.sampled_from(CIDRS), st.booleans()),
                       max_size=4, unique_by=lambda e: (e["RuleNumber"], e["Egress"]))


@st.composite
def networks(draw) -> Net:
    net = Net().vpc("vpc-1", "10.0.0.0/16").vpc("vpc-2", "10.1.0.0/16").peering("pcx-12", "vpc-1", "vpc-2")
    for subnet in SUBNETS:
        net.subnet(*subnet)
    net.internet_gateway("igw-1", "vpc-1").internet_gateway("igw-2", "vpc-2")
    net.nat_gateway("nat-1", "subnet-a", "vpc-1", "10.0.1.200", draw(st.sampled_from(("52.0.0.200", None))))
    for subnet, vpc, _ in SUBNETS:
        table = f"rtb-{subnet}"
        net.route_table(table, vpc, subnets=(subnet,))
        for destination, target, blackhole in draw(routes):
            target = "igw-2" if target == "igw-1" and vpc == "vpc-2" else target
            net.route(table, destination, target, State="blackhole" if blackhole else "active")
    net.transit_gateway("tgw-1", group_references=draw(st.booleans()))
    net.transit_attachment("tgw-attach-1", "tgw-1", "vpc", "vpc-1", "tgw-rtb-1", draw(st.sampled_from(
        (("subnet-a",), ("subnet-b",)))))
    net.transit_attachment("tgw-attach-2", "tgw-1", "vpc", "vpc-2", "tgw-rtb-1", ("subnet-c",))
    net.transit_route_table("tgw-rtb-1", "tgw-1", *draw(st.lists(st.tuples(
        st.sampled_from(("10.0.0.0/16", "10.1.1.0/24", "0.0.0.0/0")),
        st.sampled_from(("tgw-attach-1", "tgw-attach-2", None))), max_size=2, unique_by=lambda r: r[0])),
        propagations=tuple(draw(st.lists(st.sampled_from(("tgw-attach-1", "tgw-attach-2")), unique=True))))
    for index, (subnet, vpc, _) in enumerate(SUBNETS, 1):
        if draw(st.booleans()):
            net.acl(f"acl-{index}", vpc, *draw(acl_entries), subnets=(subnet,))
    for index, vpc in ((1, "vpc-1"), (2, "vpc-1"), (3, "vpc-2")):
        net.security_group(f"sg-{index}", vpc, ingress=tuple(draw(sg_rules)),
                           egress=tuple(draw(st.sampled_from(((ANYTHING,), ())))))
    for (name, subnet, vpc, ip, public), group in zip(INSTANCES, ("sg-1", "sg-2", "sg-3")):
        net.instance(name, subnet, vpc, ip, groups=(group,), public=public)
    return net


packets = st.tuples(st.sampled_from(("i-a", "i-b", "i-c", "internet")), st.sampled_from(DESTINATIONS),
                    st.sampled_from((6, 17, 1)), st.sampled_from((22, 80, 443, 5432)))


def fate(net: Net, packet: tuple) -> object:
    source, destination, protocol, port = packet
    return ask(net.build(), source, destination, protocol=protocol, dst_port=port, icmp=(8, 0) if protocol == 1 else None,
               src_ip="8.8.4.4" if source == "internet" else None)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks(), packets)
def test_every_walk_ends_in_a_consistent_disposition(net, packet):
    answer = fate(net, packet)
    assert answer.hops and answer.hops[0] == packet[0]
    if answer.disposition == "accepted":
        assert answer.blocked_by is None and answer.hops[-1].startswith(("i-", "eni-"))
    elif answer.disposition in ("denied-in", "denied-out", "no-route"):
        assert answer.blocked_by is not None
        assert answer.blocked_by in answer.hops or answer.blocked_by.startswith(("sg-", "acl-", "rtb-", "tgw-rtb-", "vpc-"))
    elif answer.disposition in ("exits-network", "no-destination", "unknown"):
        assert answer.blocked_by is None
    assert answer == fate(net, packet)  # the same answer every time


@SETTINGS
@given(networks(), packets)
def test_admitting_more_in_a_security_group_takes_no_delivery_away(net, packet):
    before = fate(net, packet)
    wider = copy.deepcopy(net)
    for group in wider.files["SecurityGroups"]:
        group["IpPermissions"].append(rule("tcp", 0, 65535, "0.0.0.0/0"))
        group["IpPermissionsEgress"].append(rule("udp", 0, 65535, "0.0.0.0/0"))
    after = fate(wider, packet)
    if before.disposition in ("accepted", "exits-network"):
        assert after.disposition == before.disposition and after.hops == before.hops


@SETTINGS
@given(networks(), packets)
def test_a_first_deny_in_an_acl_blocks_what_crosses_it(net, packet):
    before = fate(net, packet)
    blocked = copy.deepcopy(net)
    for acl in blocked.files["NetworkAcls"]:
        acl["Entries"] += [entry(0, "deny", "0.0.0.0/0", False), entry(0, "deny", "0.0.0.0/0", True)]
    after = fate(blocked, packet)
    crossed = [hop for hop in before.hops[1:] if hop.startswith("subnet-")]
    if before.disposition in ("accepted", "exits-network") and len(crossed) > 1 - (before.hops[0] == "internet"):
        assert after.disposition in ("denied-in", "denied-out")
        assert after.blocked_by.startswith("acl-")
