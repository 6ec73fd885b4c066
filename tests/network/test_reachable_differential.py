"""`reachable` (the z3 encoding) against `trace` (the concrete evaluator) on hypothesis-written networks.

For each question the packets it allows are enumerated exhaustively over a tiny space — every destination
address the question allows (a node's addresses or one address), every port of a range of at most six,
ICMP types 0, 3 and 8 — from every address the source holds (from the internet: a few public addresses), and
each is traced; the sources include an internet gateway, a virtual private gateway (from a few addresses
outside its VPC) and a subnet. An `unreachable` verdict must leave every one of them undelivered; a `reachable` witness
must be a packet the question allows, and `trace` must deliver it where the question wants it."""

from __future__ import annotations

from ipaddress import IPv4Address

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.network.model import Flow
from solomonic.network.reachable import Question, answer, goal, senders
from solomonic.network.trace import trace
from tests.network.test_properties import networks

INTERNET_SOURCES = tuple(IPv4Address(a) for a in ("8.8.4.4", "52.0.0.99", "198.51.100.7"))
VPN_SOURCES = tuple(IPv4Address(a) for a in ("192.168.0.7", "8.8.4.4", "10.1.1.10"))  # outside vpc-1
ICMP_TYPES = (0, 3, 8)

@st.composite
def networks_with_a_vpn(draw):
    """The property tests' networks, some with a virtual private gateway on vpc-1 (a static connection, maybe
    a BGP one, maybe detached) that subnet-a's table routes 8.0.0.0/8 or 10.1.0.0/16 to, maybe propagating a
    route into subnet-b's table; some with the internet gateway's own route table (ingress routing: its
    local routes, or a blackhole for subnet-b); some with an interface endpoint's interface in subnet-b,
    listed by its endpoint or not."""
    net = draw(networks())
    if draw(st.booleans()):
        net.vpn_gateway("vgw-1", draw(st.sampled_from(("vpc-1", None))))
        net.vpn_connection("vpn-1", "vgw-1", draw(st.sampled_from(("8.8.0.0/16", "10.1.1.0/24", "8.8.8.8/32"))))
        if draw(st.booleans()):
            net.vpn_connection("vpn-2", "vgw-1", static=False, accepted=(draw(st.sampled_from((0, 2))),))
        net.route("rtb-subnet-a", draw(st.sampled_from(("8.0.0.0/8", "10.1.0.0/16"))), "vgw-1")
        if draw(st.booleans()):
            net.route("rtb-subnet-b", draw(st.sampled_from(("8.8.8.0/24", "192.168.0.0/16"))), "vgw-1",
                      Origin="EnableVgwRoutePropagation")
    edge = draw(st.sampled_from((None, "local", "blackhole")))
    if edge is not None:
        net.route_table("rtb-edge", "vpc-1", gateway="igw-1")
        if edge == "blackhole":
            net.route("rtb-edge", "10.0.2.0/24", "eni-gone", State="blackhole")
    if draw(st.booleans()):
        net.interface("eni-vpce", "subnet-b", "vpc-1", "10.0.2.50", groups=("sg-2",), kind="vpc_endpoint",
                      public="52.0.0.50" if draw(st.booleans()) else None)
        net.endpoint("vpce-1", "vpc-1", "Interface", "com.amazonaws.eu-west-1.sqs")
        net.files["VpcEndpoints"][-1]["NetworkInterfaceIds"] = ["eni-vpce"] if draw(st.booleans()) else []
    return net


questions = st.tuples(
    st.sampled_from(("i-a", "i-b", "i-c", "internet", "igw-1", "vgw-1", "subnet-a")),
    st.sampled_from(("i-a", "i-b", "i-c", "10.0.1.10", "10.1.1.10", "52.0.0.10", "8.8.8.8", "10.0.9.9",
                     "192.168.0.1", "eni-vpce", "10.0.2.50")),
    st.sampled_from((6, 17, 1, 50, None)),
    st.sampled_from(((20, 25), (80, 80), (440, 445), (5430, 5435))))


def packets(question: Question, ports: tuple[int, int]):
    """Every packet of the tiny space the question allows (TCP and UDP on `ports`)."""
    senders = [(source, address) for source in question.sources for address in (
        VPN_SOURCES if isinstance(source, str) and source.startswith("vgw-") else
        INTERNET_SOURCES if source is None or isinstance(source, str) else source.private_ips)]
    destinations = [IPv4Address(int(cidr.network_address) + offset) for cidr in question.goal.destinations
                    for offset in range(min(cidr.num_addresses, 4))]
    protocols = (question.protocol,) if question.protocol is not None else (6, 17, 1, 50)
    low, high = ports
    for source, src in senders:
        for dst in destinations:
            for protocol in protocols:
                if protocol in (6, 17):
                    yield source, *[Flow(src, dst, protocol, 40000, port) for port in range(low, high + 1)]
                elif protocol == 1:
                    yield source, *[Flow(src, dst, 1, icmp_type=kind, icmp_code=0) for kind in ICMP_TYPES]
                else:
                    yield source, Flow(src, dst, protocol)


def delivered(snapshot, question: Question, fate) -> bool:
    if fate.disposition == "exits-network":
        return question.goal.exits
    return fate.disposition == "accepted" and (question.goal.interfaces is None or fate.hops[-1] in {
        snapshot.interfaces[name].node for name in question.goal.interfaces})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks_with_a_vpn(), questions)
def test_reachable_agrees_with_every_traced_packet(net, asked):
    source, destination, protocol, ports = asked
    snapshot = net.build()
    if destination.startswith(("i-", "eni-")):
        known = snapshot.instances.get(destination) or destination in snapshot.interfaces
        destination = destination if known else "10.0.9.9"
    if source == "vgw-1" and source not in snapshot.vpn_gateways:
        source = "internet"
    question = Question(senders(snapshot, source, None), goal(snapshot, destination), protocol=protocol,
                        dst_ports=ports if protocol in (6, 17) else None)
    result = answer(snapshot, question)
    if result.verdict == "reachable":
        witness = result.witness
        assert delivered(snapshot, question, witness), witness
        assert witness.flow.dst_ip in {d for c in question.goal.destinations for d in c}
        assert protocol is None or witness.flow.protocol == protocol
        if witness.flow.protocol in (6, 17) and question.dst_ports is not None:
            assert question.dst_ports[0] <= witness.flow.dst_port <= question.dst_ports[1]
    elif result.verdict == "unreachable":
        for sender, *flows in packets(question, ports):
            for flow in flows:
                fate = trace(snapshot, sender, flow)
                assert not delivered(snapshot, question, fate), (flow, fate, result.blocked_by)
