"""The z3 encoding of load balancers (`encode_balancers`, `paths_balancers`) against `trace` (`balancers`),
written apart: on generated balancers (ALB or NLB, TCP or UDP groups, cross-zone on, off or not given, the
target in the node's zone or not, healthy or draining, the target's and the balancer's groups admitting the
balancer, the VPC or anyone; an ip target outside the VPC beside it or not) a question with one source
address, protocol and port is decided exhaustively
by trace over every destination address the question allows (the source port decides nothing: every
rule reads the destination port), and `reachable` must agree: reachable exactly when trace accepts one of
them at the target, unreachable exactly when trace decides every one otherwise, else unknown; and likewise
for the balancer's public address as a CIDR (delivered: accepted by any target, or leaving the snapshot)."""

from __future__ import annotations

from ipaddress import IPv4Address

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.network.model import Flow
from solomonic.network.reachable import Question, answer, goal
from solomonic.network.trace import trace
from tests.network.snapshots import ANYTHING, balancer_arn, rule, two_tier

CLIENT = IPv4Address("198.51.100.7")


@st.composite
def balanced(draw):
    kind = draw(st.sampled_from(["app", "net"]))
    protocol = "TCP" if kind == "app" else draw(st.sampled_from(["TCP", "UDP"]))
    name = protocol.lower()
    peer = draw(st.sampled_from(["0.0.0.0/0", "10.0.0.0/16", "group"]))
    port = draw(st.sampled_from([8080, 8080, 9090]))
    admits = rule(name, port, port, *([] if peer == "group" else [peer]),
                  groups=("sg-lb",) if peer == "group" else ())
    net = two_tier().subnet("subnet-far", "vpc-1", "10.0.5.0/24", zone="b")
    net.security_group("sg-target", "vpc-1", ingress=(admits,))
    far = draw(st.booleans())
    net.instance("i-target", "subnet-far" if far else "subnet-app", "vpc-1", "10.0.5.10" if far else "10.0.2.20",
                 groups=("sg-target",))
    with_groups = kind == "app" or draw(st.booleans())
    egress = draw(st.sampled_from([ANYTHING, rule(name, 8080, 8080, "10.0.0.0/16")]))
    net.security_group("sg-lb", "vpc-1", ingress=(rule(name, 443, 443, "0.0.0.0/0"),), egress=(egress,))
    arn = balancer_arn(kind, "lb")
    listener = ("HTTPS" if kind == "app" else protocol, 443, "group")
    net.load_balancer("lb", kind, "vpc-1", listener, cross_zone=draw(st.sampled_from([True, False, None])))
    state = draw(st.sampled_from(["healthy", "unhealthy", "draining"]))
    outside = draw(st.booleans())  # an ip target outside the VPC, at a public address, beside the instance
    net.target_group("group", "HTTP" if kind == "app" else protocol, 8080, arn, ("i-target", state),
                     *([("8.8.4.4", "healthy", "all")] if outside else []))
    if outside:
        net.files["TargetGroups"][-1]["TargetType"] = "ip"
        net.files["LoadBalancerTargetHealth"][-1]["TargetHealthDescriptions"][0]["Target"]["Id"] = (
            "10.0.5.10" if far else "10.0.2.20")
    net.interface("eni-lb", "subnet-public", "vpc-1", "10.0.1.30", groups=("sg-lb",) if with_groups else (),
                  public="203.0.113.30", kind="interface" if kind == "app" else "network_load_balancer",
                  description=f"ELB {kind}/lb/1")
    return net, 6 if protocol == "TCP" else 17, draw(st.sampled_from([443, 443, 8080])), outside


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(balanced())
def test_reachable_through_a_balancer_agrees_with_trace(case):
    net, protocol, port, outside = case
    snapshot = net.build()
    wanted = goal(snapshot, "i-target")
    fates = [trace(snapshot, None, Flow(CLIENT, destination.network_address, protocol, 49152, port),
                   frozenset({"i-target"})) for destination in wanted.destinations]
    delivered = any(f.disposition == "accepted" and f.hops[-1] == "i-target" for f in fates)
    undecided = any(f.disposition == "unknown" for f in fates)
    result = answer(snapshot, Question((None,), wanted, src_ip=CLIENT, protocol=protocol, dst_ports=(port, port)))
    expected = {"reachable"} if delivered else {"unknown"} if undecided else {"unreachable"}
    if undecided and not delivered and outside:  # trace's unknown may be the other target's alone
        expected.add("unreachable")
    assert result.verdict in expected, (result.reason, [(f.disposition, f.reason) for f in fates])
    # the balancer's own address, as a CIDR: delivered when the packet is accepted anywhere or leaves
    fate = trace(snapshot, None, Flow(CLIENT, IPv4Address("203.0.113.30"), protocol, 49152, port))
    address = answer(snapshot, Question((None,), goal(snapshot, "203.0.113.30/32"), src_ip=CLIENT, protocol=protocol,
                                        dst_ports=(port, port)))
    expected = ("reachable" if fate.disposition in ("accepted", "exits-network") else
                "unknown" if fate.disposition == "unknown" else "unreachable")
    assert address.verdict == expected, (address.reason, fate.disposition, fate.reason)
