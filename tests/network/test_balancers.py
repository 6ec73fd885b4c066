"""Application and network load balancers, as AWS documents them: the listener's default action, the targets
the balancer may pick (its zone, cross-zone load balancing, draining targets), the second leg through the
balancer's and the target's security groups, an NLB's client address; `trace` and `reachable` alike."""

from __future__ import annotations

import json
from ipaddress import IPv4Address

from solomonic.cli import main
from solomonic.network.model import Flow
from solomonic.network.reachable import Question, answer, goal, sources
from solomonic.network.trace import trace
from tests.network.snapshots import ANYTHING, balancer_arn, rule, tcp, two_tier

ALB = balancer_arn("app", "web")
NLB = balancer_arn("net", "tcp")
CLIENT = IPv4Address("198.51.100.7")


def fronted(app_admits: dict | None = None, *targets: str | tuple[str, str], extra=None):
    """An internet-facing ALB in the public subnet (sg-alb: 443 from anywhere) forwarding 443 to `targets` on
    8080 (default: i-app, whose sg-app admits 8080 from `app_admits`, by default the ALB's group)."""
    net = two_tier().security_group("sg-alb", "vpc-1", ingress=(tcp(443, "0.0.0.0/0"),))
    app = next(group for group in net.files["SecurityGroups"] if group["GroupId"] == "sg-app")
    app["IpPermissions"] = [app_admits or tcp(8080, groups=("sg-alb",))]
    net.load_balancer("web", "app", "vpc-1", ("HTTPS", 443, "app"))
    net.target_group("app", "HTTP", 8080, ALB, *(targets or ("i-app",)))
    net.interface("eni-alb", "subnet-public", "vpc-1", "10.0.1.30", groups=("sg-alb",), public="203.0.113.30",
                  description="ELB app/web/1")
    return net


def network_balancer(app_admits: dict, protocol: str = "TCP", cross_zone: bool | None = False, target: str = "i-app"):
    """An internet-facing NLB without security groups in the public subnet (zone a), forwarding `protocol` 8080
    to `target` (i-app in zone a, or i-far in zone b), both in sg-app, which admits `app_admits`."""
    net = two_tier().subnet("subnet-far", "vpc-1", "10.0.5.0/24", zone="b")
    app = next(group for group in net.files["SecurityGroups"] if group["GroupId"] == "sg-app")
    app["IpPermissions"] = [app_admits]
    net.instance("i-far", "subnet-far", "vpc-1", "10.0.5.10", groups=("sg-app",))
    net.load_balancer("tcp", "net", "vpc-1", (protocol, 8080, "nlb-app"), cross_zone=cross_zone)
    net.target_group("nlb-app", protocol, 8080, NLB, target)
    net.interface("eni-nlb", "subnet-public", "vpc-1", "10.0.1.40", public="203.0.113.40",
                  kind="network_load_balancer", description="ELB net/tcp/1")
    return net


def to(address: str, port: int, protocol: int = 6):
    return Flow(CLIENT, IPv4Address(address), protocol, src_port=49152, dst_port=port)


def test_an_alb_forwards_to_a_private_target_the_internet_cannot_address(tmp_path):
    snapshot = fronted().load(tmp_path)
    through = trace(snapshot, None, to("203.0.113.30", 443))
    assert through.disposition == "accepted"
    assert through.hops == ("internet", "igw-1", "vpc-1", "subnet-public", ALB, "subnet-public", "vpc-1",
                            "subnet-app", "i-app")
    assert through.flow == to("203.0.113.30", 443)  # the packet the client sent; the second leg is the ALB's
    assert any("describe-rules" in assumption for assumption in through.assumptions)
    assert trace(snapshot, None, to("10.0.2.10", 8080)).disposition == "no-route"  # never directly


def test_the_target_s_group_decides_the_second_leg(tmp_path):
    refused = trace(fronted(tcp(8080, groups=("sg-web",))).load(tmp_path), None, to("203.0.113.30", 443))
    assert (refused.disposition, refused.blocked_by, refused.hops[-1]) == ("denied-in", "sg-app", "i-app")
    egress = fronted()
    alb = next(group for group in egress.files["SecurityGroups"] if group["GroupId"] == "sg-alb")
    alb["IpPermissionsEgress"] = [tcp(8080, "10.0.3.0/24")]  # the ALB may send to the database subnet only
    out = trace(egress.load(tmp_path / "egress"), None, to("203.0.113.30", 443))
    assert (out.disposition, out.blocked_by) == ("denied-out", "sg-alb")


def test_the_balancer_may_pick_any_target_one_that_accepts_makes_it_delivered(tmp_path):
    snapshot = fronted(None, "i-web", "i-app").load(tmp_path)  # sg-web admits 443 and 22 only, not 8080
    picked = trace(snapshot, None, to("203.0.113.30", 443))
    assert (picked.disposition, picked.hops[-1]) == ("accepted", "i-app") and "of 2 targets" in picked.reason
    both = fronted(tcp(8080, "10.0.0.0/16"), "i-app", "i-web")
    web = next(group for group in both.files["SecurityGroups"] if group["GroupId"] == "sg-web")
    web["IpPermissions"].append(tcp(8080, "10.0.0.0/16"))
    snapshot = both.load(tmp_path / "both")
    assert trace(snapshot, None, to("203.0.113.30", 443)).hops[-1] == "i-app"  # the first registered
    assert trace(snapshot, None, to("203.0.113.30", 443), frozenset({"i-web"})).hops[-1] == "i-web"


def test_draining_targets_receive_nothing_and_no_listener_refuses(tmp_path):
    snapshot = fronted(None, ("i-app", "draining")).load(tmp_path)
    nobody = trace(snapshot, None, to("203.0.113.30", 443))
    assert (nobody.disposition, nobody.blocked_by) == ("no-destination", ALB)
    unhealthy = trace(fronted(None, ("i-app", "unhealthy")).load(tmp_path / "u"), None, to("203.0.113.30", 443))
    assert unhealthy.disposition == "accepted"  # health is not configuration: all unhealthy, all receive
    closed = trace(snapshot, None, to("203.0.113.30", 80))  # sg-alb refuses 80 before any listener
    assert (closed.disposition, closed.blocked_by) == ("denied-in", "sg-alb")


def test_a_target_group_the_snapshot_lacks_is_unknown_naming_it(tmp_path):
    net = fronted()
    del net.files["LoadBalancerTargetHealth"]
    lacking = trace(net.load(tmp_path), None, to("203.0.113.30", 443))
    assert lacking.disposition == "unknown" and "LoadBalancerTargetHealth.json" in lacking.reason


def test_an_nlb_may_keep_the_client_s_address_which_the_snapshot_does_not_say(tmp_path):
    inside = network_balancer(tcp(8080, "10.0.0.0/16")).load(tmp_path)
    undecided = trace(inside, None, to("203.0.113.40", 8080))
    assert undecided.disposition == "unknown" and "preserve_client_ip" in undecided.reason
    from_vpc = trace(inside, inside.interfaces["eni-web"],
                     Flow(IPv4Address("10.0.1.10"), IPv4Address("10.0.1.40"), 6, 49152, 8080))
    assert (from_vpc.disposition, from_vpc.hops[-1]) == ("accepted", "i-app")  # either source is in the VPC
    anywhere = trace(network_balancer(tcp(8080, "0.0.0.0/0")).load(tmp_path / "a"), None, to("203.0.113.40", 8080))
    assert anywhere.disposition == "accepted"
    udp = network_balancer(rule("udp", 8080, 8080, "10.0.0.0/16"), protocol="UDP").load(tmp_path / "udp")
    kept = trace(udp, None, to("203.0.113.40", 8080, protocol=17))  # UDP: the client's address, always
    assert (kept.disposition, kept.blocked_by) == ("denied-in", "sg-app")


def test_cross_zone_load_balancing_decides_which_node_reaches_which_target(tmp_path):
    admits = tcp(8080, "0.0.0.0/0")
    off = trace(network_balancer(admits, target="i-far").load(tmp_path / "off"), None, to("203.0.113.40", 8080))
    assert (off.disposition, off.blocked_by) == ("no-destination", NLB)
    on = trace(network_balancer(admits, cross_zone=True, target="i-far").load(tmp_path / "on"), None,
               to("203.0.113.40", 8080))
    assert (on.disposition, on.hops[-1]) == ("accepted", "i-far")
    assert any("cross-zone" in assumption for assumption in on.assumptions)
    unsaid = trace(network_balancer(admits, cross_zone=None, target="i-far").load(tmp_path / "unsaid"), None,
                   to("203.0.113.40", 8080))
    assert unsaid.disposition == "unknown" and "attributes" in unsaid.reason
    same_zone = trace(network_balancer(admits, cross_zone=None).load(tmp_path / "same"), None,
                      to("203.0.113.40", 8080))
    assert same_zone.disposition == "accepted"  # a node always reaches the targets of its own zone


def ask(net, source: str, destination: str, port: int, protocol: int = 6):
    snapshot = net.build()
    return answer(snapshot, Question(sources(snapshot, source, None), goal(snapshot, destination),
                                     protocol=protocol, dst_ports=(port, port)))


def test_reachable_finds_the_private_target_through_the_balancer():
    result = ask(fronted(), "internet", "i-app", 443)
    assert result.verdict == "reachable" and result.witness.hops[-1] == "i-app"
    assert str(result.witness.flow.dst_ip) == "203.0.113.30"
    assert ask(fronted(), "internet", "eni-alb", 443).verdict == "reachable"
    blocked = ask(fronted(tcp(8080, groups=("sg-web",))), "internet", "i-app", 443)
    assert blocked.verdict == "unreachable"
    assert any("sg-app" in b.components for b in blocked.blocked_by)
    assert ask(network_balancer(tcp(8080, "10.0.0.0/16")), "internet", "i-app", 8080).verdict == "unknown"
    assert ask(network_balancer(tcp(8080, "0.0.0.0/0")), "internet", "i-app", 8080).verdict == "reachable"


def test_a_balancer_s_egress_and_the_default_egress_rule(tmp_path):
    net = fronted()
    alb = next(group for group in net.files["SecurityGroups"] if group["GroupId"] == "sg-alb")
    assert alb["IpPermissionsEgress"] == [ANYTHING]
    alb["IpPermissionsEgress"] = [tcp(8080, groups=("sg-app",))]  # to its targets' group only: enough
    assert ask(net, "internet", "i-app", 443).verdict == "reachable"


def test_a_subnet_or_an_address_is_reached_when_its_balancer_forwards_to_a_target_that_accepts():
    inside = ask(fronted(), "i-web", "subnet-public", 443)  # the internet does not route a subnet's addresses
    assert inside.verdict == "reachable" and inside.witness.hops[-1] == "i-app"
    assert ask(fronted(), "internet", "203.0.113.30/32", 443).verdict == "reachable"
    closed = ask(fronted(tcp(8080, groups=("sg-web",))), "internet", "203.0.113.30/32", 443)
    assert closed.verdict == "unreachable" and any("sg-app" in b.components for b in closed.blocked_by)


def test_an_ip_target_outside_the_snapshot_is_where_the_packet_leaves_it():
    """An ip target registered for every zone ("all": outside the VPC) at a public address: the node sends
    it out through the internet gateway (the node has a public address), so a question for the balancer's
    address counts it delivered as it leaves, and one for a target in the snapshot does not."""
    net = fronted()
    net.files["TargetGroups"][0]["TargetType"] = "ip"
    net.files["LoadBalancerTargetHealth"][0]["TargetHealthDescriptions"] = [
        {"Target": {"Id": "8.8.4.4", "Port": 8080, "AvailabilityZone": "all"}, "TargetHealth": {"State": "healthy"}}]
    out = trace(net.build(), None, to("203.0.113.30", 443))
    assert (out.disposition, out.hops[-1]) == ("exits-network", "internet")
    assert ask(net, "internet", "203.0.113.30/32", 443).verdict == "reachable"
    assert ask(net, "internet", "eni-alb", 443).verdict == "unreachable"


def test_trace_shows_the_target_asked_for_when_the_balancer_may_pick_it(tmp_path, capsys):
    both = fronted(tcp(8080, "10.0.0.0/16"), "i-app", "i-web")
    web = next(group for group in both.files["SecurityGroups"] if group["GroupId"] == "sg-web")
    web["IpPermissions"].append(tcp(8080, "10.0.0.0/16"))
    folder = both.write(tmp_path)
    ask_trace = ["network", "trace", str(folder), "--from", "internet", "--src-ip", str(CLIENT), "--to",
                 "203.0.113.30", "--dst-port", "443", "--format", "json"]
    for target, shown in ((None, "i-app"), ("i-web", "i-web"), ("eni-web", "i-web"), ("i-db", "i-app")):
        assert main([*ask_trace, *(["--target", target] if target else [])]) == 1
        assert json.loads(capsys.readouterr().out)["hops"][-1] == shown
