"""Transit gateways as AWS documents them: attachments by Availability Zone, association and propagation,
route precedence, blackholes, the ACLs of the gateway's subnets, security-group references across it."""

from __future__ import annotations

import json

from solomonic.network import build
from tests.network.snapshots import Net, ask, entry, tcp

ROUTE = ("i-a", "subnet-a", "vpc-a", "subnet-a-tgw", "tgw-1", "subnet-b-tgw", "vpc-b", "subnet-b", "i-b")


def hub(routes: tuple = (), propagations: tuple = ("tgw-attach-a", "tgw-attach-b"), b_subnets=("subnet-b-tgw",),
        group_references: bool = False) -> Net:
    """Two VPCs attached to one transit gateway, both associated with tgw-rtb-1, which both propagate into."""
    net = (Net().vpc("vpc-a", "10.1.0.0/16").vpc("vpc-b", "10.2.0.0/16")
           .subnet("subnet-a", "vpc-a", "10.1.1.0/24").subnet("subnet-a-tgw", "vpc-a", "10.1.255.0/28")
           .subnet("subnet-b", "vpc-b", "10.2.1.0/24").subnet("subnet-b-tgw", "vpc-b", "10.2.255.0/28")
           .subnet("subnet-b-tgw-c", "vpc-b", "10.2.254.0/28", zone="c")
           .transit_gateway("tgw-1", group_references=group_references)
           .transit_attachment("tgw-attach-a", "tgw-1", "vpc", "vpc-a", "tgw-rtb-1", ("subnet-a-tgw",),
                               group_references=group_references)
           .transit_attachment("tgw-attach-b", "tgw-1", "vpc", "vpc-b", "tgw-rtb-1", b_subnets,
                               group_references=group_references)
           .transit_route_table("tgw-rtb-1", "tgw-1", *routes, propagations=propagations)
           .route("rtb-main-vpc-a", "10.0.0.0/8", "tgw-1").route("rtb-main-vpc-b", "10.0.0.0/8", "tgw-1")
           .security_group("sg-a", "vpc-a", ingress=(tcp(22, "10.0.0.0/8"),))
           .security_group("sg-b", "vpc-b", ingress=(tcp(22, "10.0.0.0/8"), tcp(5432, groups=("sg-a",))))
           .instance("i-a", "subnet-a", "vpc-a", "10.1.1.10", groups=("sg-a",))
           .instance("i-b", "subnet-b", "vpc-b", "10.2.1.10", groups=("sg-b",)))
    return net


def test_propagated_vpc_routes_connect_the_attached_vpcs(tmp_path):
    answer = ask(hub().load(tmp_path), "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.hops) == ("accepted", ROUTE)


def test_without_a_propagation_there_is_no_route(tmp_path):
    answer = ask(hub(propagations=("tgw-attach-a",)).load(tmp_path), "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.blocked_by, answer.hops[-1]) == ("no-route", "tgw-rtb-1", "tgw-1")


def test_a_static_route_beats_a_propagated_one_and_a_blackhole_drops(tmp_path):
    blackhole = hub(routes=(("10.2.0.0/16", None),)).load(tmp_path / "blackhole")
    answer = ask(blackhole, "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.blocked_by) == ("no-route", "tgw-rtb-1") and "blackhole" in answer.reason
    more_specific = hub(routes=(("10.2.0.0/16", None), ("10.2.1.0/24", "tgw-attach-b"))).load(tmp_path / "specific")
    assert ask(more_specific, "i-a", "10.2.1.10", dst_port=22).disposition == "accepted"


def test_no_attachment_subnet_in_the_sources_zone(tmp_path):
    net = hub()
    net.files["Subnets"][0]["AvailabilityZoneId"] = "euw1-az-b"  # subnet-a moves to zone b
    answer = ask(net.load(tmp_path), "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.blocked_by, answer.hops[-1]) == ("no-route", "tgw-1", "tgw-1")


def test_the_gateway_uses_the_destinations_interface_in_the_same_zone(tmp_path):
    same = ask(hub(b_subnets=("subnet-b-tgw-c", "subnet-b-tgw")).load(tmp_path / "same"), "i-a", "10.2.1.10",
               dst_port=22)
    assert same.hops == ROUTE
    only_other = ask(hub(b_subnets=("subnet-b-tgw-c",)).load(tmp_path / "other"), "i-a", "10.2.1.10", dst_port=22)
    assert only_other.disposition == "accepted" and "subnet-b-tgw-c" in only_other.hops


def test_a_random_or_hashed_choice_of_zone_is_unknown(tmp_path):
    net = hub(b_subnets=("subnet-b-tgw-c",)).subnet("subnet-b-tgw-d", "vpc-b", "10.2.253.0/28", zone="d")
    net.files["TransitGatewayVpcAttachments"][1]["SubnetIds"].append("subnet-b-tgw-d")
    random = ask(net.load(tmp_path / "random"), "i-a", "10.2.1.10", dst_port=22)
    assert random.disposition == "unknown" and "at random" in random.reason
    net = hub(b_subnets=("subnet-b-tgw-c", "subnet-b-tgw"))
    net.files["TransitGatewayVpcAttachments"][1]["Options"]["ApplianceModeSupport"] = "enable"
    hashed = ask(net.load(tmp_path / "hashed"), "i-a", "10.2.1.10", dst_port=22)
    assert hashed.disposition == "unknown" and "appliance mode" in hashed.reason


def test_the_acl_of_the_gateways_subnet_is_crossed_both_ways(tmp_path):
    entering = hub().acl("acl-a-tgw", "vpc-a", entry(100, "deny", "10.1.1.0/24", False),
                         entry(200, "allow", "0.0.0.0/0", False), entry(100, "allow", "0.0.0.0/0", True),
                         subnets=("subnet-a-tgw",))
    answer = ask(entering.load(tmp_path / "in"), "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.blocked_by, answer.hops[-1]) == ("denied-in", "acl-a-tgw", "subnet-a-tgw")
    leaving = hub().acl("acl-b-tgw", "vpc-b", entry(100, "allow", "0.0.0.0/0", False),
                        entry(100, "deny", "10.2.1.0/24", True), subnets=("subnet-b-tgw",))
    answer = ask(leaving.load(tmp_path / "out"), "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.blocked_by) == ("denied-out", "acl-b-tgw")


def test_the_acls_of_a_subnet_shared_with_the_gateway(tmp_path):
    """AWS: instances and the gateway's interface in one subnet: its ACL is evaluated both ways on the way to
    the gateway, neither way on the way from it."""
    def shared() -> Net:
        net = hub()
        for attachment in net.files["TransitGatewayVpcAttachments"]:
            attachment["SubnetIds"] = ["subnet-a" if attachment["VpcId"] == "vpc-a" else "subnet-b"]
        return net

    deny_in = [entry(100, "deny", "10.1.1.0/24", False), entry(200, "allow", "0.0.0.0/0", False),
               entry(100, "allow", "0.0.0.0/0", True)]
    to_gateway = shared().acl("acl-a", "vpc-a", *deny_in, subnets=("subnet-a",)).load(tmp_path / "to")
    answer = ask(to_gateway, "i-a", "10.2.1.10", dst_port=22)
    assert (answer.disposition, answer.blocked_by) == ("denied-in", "acl-a")
    closed = [entry(100, "deny", "0.0.0.0/0", False), entry(100, "deny", "0.0.0.0/0", True)]
    from_gateway = shared().acl("acl-b", "vpc-b", *closed, subnets=("subnet-b",))
    answer = ask(from_gateway.load(tmp_path / "from"), "i-a", "10.2.1.10", dst_port=22)
    assert answer.disposition == "accepted"
    assert answer.hops == ("i-a", "subnet-a", "vpc-a", "subnet-a", "tgw-1", "subnet-b", "i-b")


def test_security_group_references_cross_only_where_enabled(tmp_path):
    assert ask(hub().load(tmp_path / "off"), "i-a", "10.2.1.10", dst_port=5432).disposition == "denied-in"
    on = ask(hub(group_references=True).load(tmp_path / "on"), "i-a", "10.2.1.10", dst_port=5432)
    assert on.disposition == "accepted"


def test_a_vpn_attachment_leaves_the_snapshot(tmp_path):
    net = (hub(routes=(("192.168.0.0/16", "tgw-attach-vpn"),))
           .transit_attachment("tgw-attach-vpn", "tgw-1", "vpn", "vpn-1", "tgw-rtb-1")
           .route("rtb-main-vpc-a", "192.168.0.0/16", "tgw-1"))
    answer = ask(net.load(tmp_path), "i-a", "192.168.1.1", dst_port=22)
    assert (answer.disposition, answer.hops[-1]) == ("exits-network", "tgw-1") and "vpn-1" in answer.reason


def test_routes_propagated_by_bgp_and_missing_route_files_are_unknown(tmp_path):
    net = (hub(propagations=("tgw-attach-a", "tgw-attach-b", "tgw-attach-vpn"))
           .transit_attachment("tgw-attach-vpn", "tgw-1", "vpn", "vpn-1", "tgw-rtb-1"))
    net.files["VpnConnections"].append({"VpnConnectionId": "vpn-1", "TransitGatewayId": "tgw-1", "State": "available",
                                        "Options": {"StaticRoutesOnly": False}})
    bgp = ask(net.load(tmp_path / "bgp"), "i-a", "10.2.1.10", dst_port=22)
    assert bgp.disposition == "unknown" and "BGP" in bgp.reason
    missing = hub()
    del missing.files["TransitGatewayStaticRoutes"]
    answer = ask(missing.load(tmp_path / "missing"), "i-a", "10.2.1.10", dst_port=22)
    assert answer.disposition == "unknown" and "TransitGatewayStaticRoutes.json" in answer.reason


def test_an_attachment_seen_from_two_accounts_keeps_its_association(tmp_path):
    net = hub()
    net.write(tmp_path / "accounts" / "111122223333" / "eu-west-1")  # the gateway's owner, read first
    participant = tmp_path / "accounts" / "999988887777" / "eu-west-1"
    participant.mkdir(parents=True)
    unassociated = [{k: v for k, v in a.items() if k != "Association"} for a in net.files["TransitGatewayAttachments"]]
    (participant / "TransitGatewayAttachments.json").write_text(json.dumps({"TransitGatewayAttachments": unassociated}))
    assert ask(build.load(str(tmp_path)), "i-a", "10.2.1.10", dst_port=22).hops == ROUTE
