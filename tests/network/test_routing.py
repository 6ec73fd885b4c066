"""Route tables as AWS documents them: explicit association else main, longest prefix, blackholes, prefix
lists, static over propagated, and ties the documentation leaves open."""

from __future__ import annotations

from tests.network.snapshots import Net, ask


def routed() -> Net:
    """Two VPCs peered; vpc-1's app subnet has its own table, the other subnet uses the main one."""
    return (Net().vpc("vpc-1", "10.0.0.0/16").vpc("vpc-2", "10.1.0.0/16")
            .subnet("subnet-a", "vpc-1", "10.0.1.0/24").subnet("subnet-b", "vpc-1", "10.0.2.0/24")
            .subnet("subnet-far", "vpc-2", "10.1.1.0/24")
            .peering("pcx-12", "vpc-1", "vpc-2")
            .route_table("rtb-a", "vpc-1", subnets=("subnet-a",))
            .security_group("sg-open", "vpc-1", ingress=({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},))
            .security_group("sg-open-2", "vpc-2", ingress=({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},))
            .instance("i-a", "subnet-a", "vpc-1", "10.0.1.10", groups=("sg-open",))
            .instance("i-b", "subnet-b", "vpc-1", "10.0.2.10", groups=("sg-open",))
            .instance("i-far", "subnet-far", "vpc-2", "10.1.1.10", groups=("sg-open-2",)))


def test_explicit_association_wins_over_the_main_table(tmp_path):
    net = routed().route("rtb-main-vpc-1", "10.1.0.0/16", "pcx-12")
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-b", "10.1.1.10").disposition == "accepted"  # main table: has the peering route
    missing = ask(snapshot, "i-a", "10.1.1.10")  # its own table has only the local route
    assert (missing.disposition, missing.blocked_by) == ("no-route", "rtb-a")
    assert missing.hops == ("i-a", "subnet-a", "vpc-1")


def test_longest_prefix_wins_whatever_the_order(tmp_path):
    net = (routed().internet_gateway("igw-1", "vpc-1")
           .route("rtb-a", "10.1.1.0/24", "pcx-12").route("rtb-a", "10.0.0.0/8", "igw-1"))
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-a", "10.1.1.10").hops == ("i-a", "subnet-a", "vpc-1", "pcx-12", "vpc-2", "subnet-far",
                                                      "i-far")
    # 10.1.2.10 is outside the /24: the /8 to the internet gateway holds it, which refuses a source
    # without a public address
    other = ask(snapshot, "i-a", "10.1.2.10")
    assert (other.disposition, other.blocked_by, other.hops[-1]) == ("denied-out", "igw-1", "igw-1")


def test_the_local_route_holds_the_vpc_and_a_more_specific_route_beats_it(tmp_path):
    snapshot = routed().route("rtb-a", "10.0.2.0/24", "tgw-1").load(tmp_path)
    answer = ask(snapshot, "i-a", "10.0.2.10")
    assert answer.disposition == "unknown" and "tgw-1" in answer.reason and answer.hops[-1] == "tgw-1"


def test_a_blackhole_route_drops_the_packet(tmp_path):
    snapshot = routed().route("rtb-a", "10.1.0.0/16", "pcx-gone", State="blackhole").load(tmp_path)
    answer = ask(snapshot, "i-a", "10.1.1.10")
    assert (answer.disposition, answer.blocked_by) == ("no-route", "rtb-a") and "blackhole" in answer.reason


def test_a_prefix_list_route_matches_through_its_cidrs(tmp_path):
    net = routed().prefix_list("pl-peer", "10.1.1.0/24").route("rtb-a", "pl-peer", "pcx-12")
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-a", "10.1.1.10").disposition == "accepted"
    assert ask(snapshot, "i-a", "10.1.2.10").disposition == "no-route"


def test_a_prefix_list_route_without_its_list_is_unknown(tmp_path):
    snapshot = routed().route("rtb-a", "pl-missing", "pcx-12").load(tmp_path)
    answer = ask(snapshot, "i-a", "10.1.1.10")
    assert answer.disposition == "unknown" and "pl-missing" in answer.reason
    assert any("PrefixLists.json is missing" in warning for warning in snapshot.warnings)


def test_a_static_route_beats_a_propagated_one_of_the_same_length(tmp_path):
    net = (routed().route("rtb-a", "10.1.0.0/16", "vgw-1", Origin="EnableVgwRoutePropagation")
           .route("rtb-a", "10.1.0.0/16", "pcx-12"))
    assert ask(net.load(tmp_path), "i-a", "10.1.1.10").disposition == "accepted"


def test_routes_tied_with_different_targets_are_unknown(tmp_path):
    net = (routed().prefix_list("pl-1", "10.1.0.0/16").prefix_list("pl-2", "10.1.0.0/16")
           .route("rtb-a", "pl-1", "pcx-12").route("rtb-a", "pl-2", "tgw-1"))
    answer = ask(net.load(tmp_path), "i-a", "10.1.1.10")
    assert answer.disposition == "unknown" and "pcx-12 and tgw-1" in answer.reason


def test_a_subnet_without_any_route_table_is_unknown(tmp_path):
    net = routed()
    net.files["RouteTables"] = [t for t in net.files["RouteTables"] if t["RouteTableId"] != "rtb-main-vpc-1"]
    answer = ask(net.load(tmp_path), "i-b", "10.1.1.10")
    assert answer.disposition == "unknown" and "no route table of subnet-b" in answer.reason


def test_routes_that_loop_are_unknown(tmp_path):
    """Two NAT gateways whose subnets route to each other: the walk stops and says so."""
    net = (routed().subnet("subnet-n1", "vpc-1", "10.0.3.0/24").subnet("subnet-n2", "vpc-1", "10.0.4.0/24")
           .nat_gateway("nat-1", "subnet-n1", "vpc-1", "10.0.3.5", None)
           .nat_gateway("nat-2", "subnet-n2", "vpc-1", "10.0.4.5", None)
           .route_table("rtb-n1", "vpc-1", subnets=("subnet-n1",)).route("rtb-n1", "0.0.0.0/0", "nat-2")
           .route_table("rtb-n2", "vpc-1", subnets=("subnet-n2",)).route("rtb-n2", "0.0.0.0/0", "nat-1")
           .route("rtb-a", "0.0.0.0/0", "nat-1"))
    answer = ask(net.load(tmp_path), "i-a", "8.8.8.8")
    assert answer.disposition == "unknown" and "loop" in answer.reason
