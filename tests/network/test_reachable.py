"""`solomonic network reachable` on hand-built networks: the verdicts, the witness `trace` confirms, what
`blocked_by` names, the JSON contract and the exit statuses."""

from __future__ import annotations

import json

import pytest

from solomonic.cli import main
from solomonic.network.reachable import Question, answer, goal, sources
from tests.network.snapshots import entry, open_entries, rule, tcp, two_tier


def ask(net, source: str, destination: str, protocol: int | None = None,
        ports: tuple[int, int] | None = None):
    snapshot = net.build()
    return answer(snapshot, Question(sources(snapshot, source, None), goal(snapshot, destination),
                                     protocol=protocol, dst_ports=ports))


def test_the_app_tier_reaches_the_database_on_its_port():
    result = ask(two_tier(), "i-app", "eni-db", protocol=6, ports=(5432, 5432))
    assert result.verdict == "reachable"
    assert result.witness.disposition == "accepted" and result.witness.hops[-1] == "eni-db"
    assert (result.witness.flow.protocol, result.witness.flow.dst_port) == (6, 5432)
    assert str(result.witness.flow.src_ip) == "10.0.2.10" and result.witness.flow.src_port == 49152


def test_an_icmp_witness_is_an_echo_request_where_one_is_admitted():
    net = two_tier().security_group("sg-ping", "vpc-1", ingress=(rule("icmp", -1, -1, "10.0.0.0/16"),))
    net.instance("i-ping", "subnet-db", "vpc-1", "10.0.3.20", groups=("sg-ping",))
    flow = ask(net, "i-app", "i-ping", protocol=1).witness.flow
    assert (flow.icmp_type, flow.icmp_code) == (8, 0)
    only_replies = two_tier().security_group("sg-ping", "vpc-1", ingress=(rule("icmp", 0, -1, "10.0.0.0/16"),))
    only_replies.instance("i-ping", "subnet-db", "vpc-1", "10.0.3.20", groups=("sg-ping",))
    assert ask(only_replies, "i-app", "i-ping", protocol=1).witness.flow.icmp_type == 0


def test_a_security_group_that_admits_another_tier_blocks_the_web_tier():
    result = ask(two_tier(), "i-web", "eni-db", protocol=6, ports=(5432, 5432))
    assert result.verdict == "unreachable" and result.witness is None
    assert [blocked.components for blocked in result.blocked_by] == [("sg-db",)]
    assert "tcp/5432 from sg-app" in result.blocked_by[0].reason


def test_the_internet_cannot_route_to_a_private_address():
    result = ask(two_tier(), "internet", "eni-db")
    assert result.verdict == "unreachable"
    assert {blocked.components for blocked in result.blocked_by} == {("internet",)}


def test_from_the_internet_only_the_ports_a_group_admits():
    assert ask(two_tier(), "internet", "i-web", protocol=6, ports=(443, 443)).verdict == "reachable"
    closed = ask(two_tier(), "internet", "i-web", protocol=6, ports=(444, 8000))
    assert closed.verdict == "unreachable" and ("sg-web",) in [b.components for b in closed.blocked_by]
    ssh = ask(two_tier(), "internet", "i-web", protocol=6, ports=(22, 22))
    assert ssh.verdict == "reachable" and str(ssh.witness.flow.src_ip).startswith("198.51.100.")


def test_a_network_acl_deny_before_the_allow_blocks_the_path():
    net = two_tier().acl("acl-db", "vpc-1", entry(50, "deny", "10.0.2.0/24", False), *open_entries(),
                         subnets=("subnet-db",))
    result = ask(net, "i-app", "eni-db", protocol=6, ports=(5432, 5432))
    assert result.verdict == "unreachable"
    assert [blocked.components for blocked in result.blocked_by] == [("acl-db",)]


def test_no_route_is_named_with_its_table():
    net = two_tier().vpc("vpc-2", "10.1.0.0/16").subnet("subnet-far", "vpc-2", "10.1.1.0/24").instance(
        "i-far", "subnet-far", "vpc-2", "10.1.1.10", groups=("sg-far",)).security_group(
        "sg-far", "vpc-2", ingress=(tcp(443, "0.0.0.0/0"),))
    result = ask(net, "i-web", "i-far", protocol=6, ports=(443, 443))
    assert result.verdict == "unreachable"
    assert any(blocked.components == ("rtb-public",) or "internet" in blocked.components
               for blocked in result.blocked_by)


def test_a_peering_makes_it_reachable_and_is_not_transitive():
    net = (two_tier().vpc("vpc-2", "10.1.0.0/16").subnet("subnet-far", "vpc-2", "10.1.1.0/24")
           .instance("i-far", "subnet-far", "vpc-2", "10.1.1.10", groups=("sg-far",))
           .security_group("sg-far", "vpc-2", ingress=(tcp(443, "10.0.0.0/16"),))
           .peering("pcx-1", "vpc-1", "vpc-2").route("rtb-public", "10.1.0.0/16", "pcx-1"))
    result = ask(net, "i-web", "i-far", protocol=6, ports=(443, 443))
    assert result.verdict == "reachable" and "pcx-1" in result.witness.hops
    beyond = (net.vpc("vpc-3", "10.2.0.0/16").subnet("subnet-3", "vpc-3", "10.2.1.0/24")
              .instance("i-3", "subnet-3", "vpc-3", "10.2.1.10", groups=("sg-far",))
              .peering("pcx-2", "vpc-2", "vpc-3").route("rtb-public", "10.2.0.0/16", "pcx-1"))
    result = ask(beyond, "i-web", "i-3", protocol=6, ports=(443, 443))
    assert result.verdict == "unreachable"
    assert ("pcx-1",) in [blocked.components for blocked in result.blocked_by]


def test_a_path_through_what_the_encoding_does_not_model_is_unknown_unless_trace_delivers():
    net = two_tier().route("rtb-app", "10.9.0.0/16", "eni-appliance")
    assert ask(net, "i-app", "10.9.0.0/16").verdict == "unknown"


def transit(*routes: tuple[str, str | None]):
    """two_tier's VPC and another, vpc-2, joined by a transit gateway whose one route table both attachments
    use and propagate into (and `routes`, static); rtb-app sends vpc-2's CIDR to the gateway."""
    return (two_tier().vpc("vpc-2", "10.1.0.0/16").subnet("subnet-far", "vpc-2", "10.1.1.0/24")
            .subnet("subnet-tgw-1", "vpc-1", "10.0.9.0/24").subnet("subnet-tgw-2", "vpc-2", "10.1.9.0/24")
            .instance("i-far", "subnet-far", "vpc-2", "10.1.1.10", groups=("sg-far",))
            .security_group("sg-far", "vpc-2", ingress=(tcp(443, "10.0.0.0/16"),))
            .transit_gateway("tgw-1").route("rtb-app", "10.1.0.0/16", "tgw-1")
            .transit_attachment("tgw-attach-1", "tgw-1", "vpc", "vpc-1", "tgw-rtb-1", ("subnet-tgw-1",))
            .transit_attachment("tgw-attach-2", "tgw-1", "vpc", "vpc-2", "tgw-rtb-1", ("subnet-tgw-2",))
            .transit_route_table("tgw-rtb-1", "tgw-1", *routes, propagations=("tgw-attach-1", "tgw-attach-2")))


def test_transit_gateway_paths_are_encoded():
    result = ask(transit(), "i-app", "i-far", protocol=6, ports=(443, 443))
    assert result.verdict == "reachable" and "tgw-1" in result.witness.hops
    closed = ask(transit(), "i-app", "i-far", protocol=6, ports=(22, 22))
    assert closed.verdict == "unreachable" and [b.components for b in closed.blocked_by] == [("sg-far",)]
    blackhole = ask(transit(("10.1.1.0/24", None)), "i-app", "i-far", protocol=6, ports=(443, 443))
    assert blackhole.verdict == "unreachable" and ("tgw-rtb-1",) in [b.components for b in blackhole.blocked_by]


@pytest.mark.parametrize(("destination", "status", "verdict"), [
    ("eni-db", 1, "reachable"), ("10.0.3.0/24", 1, "reachable"), ("8.8.8.0/24", 1, "reachable")])
def test_the_json_contract_and_exit_status(capsys, tmp_path, destination, status, verdict):
    snapshot = str(two_tier().write(tmp_path / "snap"))
    code = main(["network", "reachable", snapshot, "--from", "i-app", "--to", destination, "--format", "json"])
    result = json.loads(capsys.readouterr().out)
    assert code == status and result["verdict"] == verdict
    assert {"verdict", "witness", "blocked_by", "reason"} <= set(result)
    assert result["witness"]["disposition"] in ("accepted", "exits-network")


def test_unreachable_exits_zero_and_bad_input_two(capsys, tmp_path):
    snapshot = str(two_tier().write(tmp_path / "snap"))
    assert main(["network", "reachable", snapshot, "--from", "i-web", "--to", "eni-db", "--dst-port", "5432",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["blocked_by"][0]["components"] == ["sg-db"]
    assert main(["network", "reachable", snapshot, "--from", "i-web", "--to", "10.0.3.1/24"]) == 2
    assert "--to 10.0.3.1/24" in capsys.readouterr().err
    assert main(["network", "reachable", snapshot, "--from", "i-nope", "--to", "eni-db"]) == 2
    assert main(["network", "reachable", snapshot, "--from", "i-web", "--to", "eni-db", "--protocol", "icmp",
                 "--dst-port", "1"]) == 2


def test_a_virtual_private_gateway_carries_only_what_its_static_routes_hold():
    net = (two_tier().vpn_gateway("vgw-1", "vpc-1").vpn_connection("vpn-1", "vgw-1", "192.168.0.0/20")
           .route("rtb-app", "192.168.0.0/16", "vgw-1"))
    assert ask(net, "i-app", "192.168.1.0/24").verdict == "reachable"
    result = ask(net, "i-app", "192.168.40.0/24")
    assert result.verdict == "unreachable" and ("vgw-1",) in [b.components for b in result.blocked_by]
    learning = net.vpn_connection("vpn-2", "vgw-1", static=False, accepted=(3, 3))
    assert ask(learning, "i-app", "192.168.40.0/24").verdict == "unknown"


def test_a_virtual_private_gateway_of_another_vpc_is_a_dead_end():
    net = (two_tier().vpc("vpc-2", "10.1.0.0/16").vpn_gateway("vgw-2", "vpc-2")
           .vpn_connection("vpn-1", "vgw-2", "192.168.0.0/16").route("rtb-app", "192.168.0.0/16", "vgw-2"))
    result = ask(net, "i-app", "192.168.1.1")
    assert result.verdict == "unreachable" and ("vgw-2",) in [b.components for b in result.blocked_by]


def test_a_dead_end_behind_a_group_that_admits_nothing_names_both():
    """The database's group has no egress rule and its subnet no route out: the one candidate path is
    accounted for by both, not left without a blocker."""
    result = ask(two_tier(), "eni-db", "8.8.8.8", protocol=6, ports=(443, 443))
    assert result.verdict == "unreachable"
    assert [set(blocked.components) for blocked in result.blocked_by] == [{"sg-db", "rtb-main-vpc-1"}]


def test_ingress_routing_through_the_internet_gateways_own_table():
    local = two_tier().route_table("rtb-edge", "vpc-1", gateway="igw-1")
    reached = ask(local, "internet", "i-web", protocol=6, ports=(443, 443))
    assert reached.verdict == "reachable"
    assert reached.witness.hops == ("internet", "igw-1", "vpc-1", "subnet-public", "i-web")
    appliance = two_tier().route_table("rtb-edge", "vpc-1", gateway="igw-1").route("rtb-edge", "10.0.1.0/24", "eni-fw")
    assert ask(appliance, "internet", "i-web", protocol=6, ports=(443, 443)).verdict == "unknown"
    dropped = two_tier().route_table("rtb-edge", "vpc-1", gateway="igw-1")
    dropped.route("rtb-edge", "10.0.1.0/24", "eni-gone", State="blackhole")
    result = ask(dropped, "internet", "i-web", protocol=6, ports=(443, 443))
    assert result.verdict == "unreachable"
    assert {c for blocked in result.blocked_by for c in blocked.components} == {"internet", "rtb-edge"}
