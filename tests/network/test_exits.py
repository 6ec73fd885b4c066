"""Where packets leave for networks outside the snapshot: VPN connections behind a virtual private gateway
(static routes, BGP routes the snapshot cannot hold) and gateway endpoints."""

from __future__ import annotations

from tests.network.snapshots import ANYTHING, Net, ask, tcp


def office(*connections: tuple) -> Net:
    """A VPC whose app subnet routes the office (192.168.0.0/16) to a virtual private gateway."""
    net = (Net().vpc("vpc-1", "10.0.0.0/16").subnet("subnet-app", "vpc-1", "10.0.1.0/24")
           .vpn_gateway("vgw-1", "vpc-1").route("rtb-main-vpc-1", "192.168.0.0/16", "vgw-1")
           .security_group("sg-app", "vpc-1", ingress=(tcp(22, "192.168.0.0/16"),), egress=(ANYTHING,))
           .instance("i-app", "subnet-app", "vpc-1", "10.0.1.10", groups=("sg-app",)))
    for name, routes, options in connections:
        net.vpn_connection(name, "vgw-1", *routes, **options)
    return net


def test_a_static_vpn_connection_carries_what_its_routes_cover(tmp_path):
    snapshot = office(("vpn-1", ("192.168.10.0/24",), {})).load(tmp_path)
    carried = ask(snapshot, "i-app", "192.168.10.5", dst_port=22)
    assert (carried.disposition, carried.hops) == ("exits-network", ("i-app", "subnet-app", "vpc-1", "vgw-1"))
    assert "vpn-1" in carried.reason
    uncovered = ask(snapshot, "i-app", "192.168.20.5", dst_port=22)
    assert (uncovered.disposition, uncovered.blocked_by) == ("no-route", "vgw-1")


def test_bgp_routes_are_not_in_the_snapshot(tmp_path):
    learning = office(("vpn-bgp", (), {"static": False, "accepted": (3, 0)})).load(tmp_path / "learning")
    answer = ask(learning, "i-app", "192.168.10.5")
    assert answer.disposition == "unknown" and "vpn-bgp learns its routes by BGP" in answer.reason
    silent = office(("vpn-bgp", (), {"static": False, "accepted": (0, 0)})).load(tmp_path / "silent")
    assert ask(silent, "i-app", "192.168.10.5").disposition == "no-route"  # the telemetry: nothing accepted
    # a static route that covers the address decides, whatever the BGP connection learns
    both = office(("vpn-bgp", (), {"static": False}), ("vpn-1", ("192.168.0.0/16",), {})).load(tmp_path / "both")
    assert ask(both, "i-app", "192.168.10.5").disposition == "exits-network"


def test_only_available_connections_and_attached_gateways_carry_packets(tmp_path):
    deleted = office(("vpn-1", ("192.168.0.0/16",), {"state": "deleted"})).load(tmp_path / "deleted")
    assert ask(deleted, "i-app", "192.168.10.5").disposition == "no-route"
    detached = office(("vpn-1", ("192.168.0.0/16",), {}))
    detached.files["VpnGateways"][0]["VpcAttachments"] = [{"State": "detached", "VpcId": "vpc-1"}]
    answer = ask(detached.load(tmp_path / "detached"), "i-app", "192.168.10.5")
    assert (answer.disposition, answer.blocked_by) == ("no-route", "vgw-1") and "not attached" in answer.reason


def test_vpn_connections_missing_from_the_snapshot(tmp_path):
    answer = ask(office().load(tmp_path), "i-app", "192.168.10.5")
    assert answer.disposition == "unknown" and "VpnConnections.json is missing" in answer.reason


def test_a_gateway_endpoint_hands_its_prefix_list_to_the_service(tmp_path):
    net = (office().prefix_list("pl-s3", "52.218.0.0/17").endpoint("vpce-s3", "vpc-1", "Gateway",
                                                                     "com.amazonaws.eu-west-1.s3")
           .route("rtb-main-vpc-1", "pl-s3", "vpce-s3"))
    snapshot = net.load(tmp_path)
    answer = ask(snapshot, "i-app", "52.218.1.1")
    assert (answer.disposition, answer.hops[-1]) == ("exits-network", "vpce-s3")
    assert "com.amazonaws.eu-west-1.s3" in answer.reason
    assert ask(snapshot, "i-app", "52.219.1.1").disposition == "no-route"  # outside the list: no route


def test_an_endpoint_that_is_not_an_available_gateway_endpoint_is_unknown(tmp_path):
    net = (office().prefix_list("pl-s3", "52.218.0.0/17")
           .endpoint("vpce-s3", "vpc-1", "Gateway", "com.amazonaws.eu-west-1.s3", state="pending")
           .route("rtb-main-vpc-1", "pl-s3", "vpce-s3"))
    assert ask(net.load(tmp_path), "i-app", "52.218.1.1").disposition == "unknown"


def test_a_route_the_gateway_propagates_is_one_it_holds(tmp_path):
    """Direct Connect: no VPN connection, but the gateway propagates what it learned over BGP into the table."""
    from solomonic.network.reachable import Question, answer, goal, sources

    net = office().route("rtb-main-vpc-1", "172.20.0.0/16", "vgw-1", Origin="EnableVgwRoutePropagation")
    net.files["VpnConnections"] = []
    snapshot = net.load(tmp_path)
    carried = ask(snapshot, "i-app", "172.20.1.1", dst_port=22)
    assert carried.disposition == "exits-network" and "propagates" in carried.reason
    static = ask(snapshot, "i-app", "192.168.1.1", dst_port=22)  # a static route the gateway has nothing for
    assert (static.disposition, static.blocked_by) == ("no-route", "vgw-1")
    for destination, verdict in (("172.20.0.0/16", "reachable"), ("192.168.0.0/16", "unreachable")):
        symbolic = answer(snapshot, Question(sources(snapshot, "i-app", None), goal(snapshot, destination),
                                             protocol=6, dst_ports=(22, 22)))
        assert symbolic.verdict == verdict
    assert symbolic.blocked_by[0].components == ("vgw-1",)


def test_an_interface_endpoint_accepts_what_its_groups_admit(tmp_path):
    from solomonic.network.reachable import Question, answer, goal, sources

    net = (office().security_group("sg-vpce", "vpc-1", ingress=(tcp(443, "10.0.0.0/16"),))
           .subnet("subnet-vpce", "vpc-1", "10.0.9.0/24")
           .interface("eni-vpce", "subnet-vpce", "vpc-1", "10.0.9.50", groups=("sg-vpce",), kind="vpc_endpoint",
                      description="VPC Endpoint Interface vpce-sqs")
           .endpoint("vpce-sqs", "vpc-1", "Interface", "com.amazonaws.eu-west-1.sqs"))
    net.files["VpcEndpoints"][0]["NetworkInterfaceIds"] = ["eni-vpce"]
    snapshot = net.load(tmp_path / "listed")
    accepted = ask(snapshot, "i-app", "10.0.9.50")
    assert (accepted.disposition, accepted.hops[-1]) == ("accepted", "eni-vpce") and "sqs" in accepted.reason
    refused = ask(snapshot, "i-app", "10.0.9.50", dst_port=80)
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "sg-vpce")
    for ports, verdict in (((443, 443), "reachable"), ((80, 80), "unreachable")):
        symbolic = answer(snapshot, Question(sources(snapshot, "i-app", None), goal(snapshot, "eni-vpce"),
                                             protocol=6, dst_ports=ports))
        assert symbolic.verdict == verdict
    net.files["VpcEndpoints"][0]["NetworkInterfaceIds"] = []  # an endpoint's interface no endpoint lists
    unlisted = net.load(tmp_path / "unlisted")
    assert ask(unlisted, "i-app", "10.0.9.50").disposition == "unknown"
    assert answer(unlisted, Question(sources(unlisted, "i-app", None), goal(unlisted, "eni-vpce"),
                                     protocol=6, dst_ports=(443, 443))).verdict == "unknown"
