"""Gateways, peering, the internet and the interfaces at either end, seen through whole traces."""

from __future__ import annotations

from tests.network.snapshots import ANYTHING, Net, ask, tcp, two_tier


def test_the_database_is_reachable_from_the_app_tier_only(tmp_path):
    snapshot = two_tier().load(tmp_path)
    answer = ask(snapshot, "i-app", "10.0.3.10", dst_port=5432)
    assert (answer.disposition, answer.hops) == ("accepted", ("i-app", "subnet-app", "vpc-1", "subnet-db", "eni-db"))
    refused = ask(snapshot, "i-web", "10.0.3.10", dst_port=5432)
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "sg-db")


def test_the_internet_reaches_a_public_address_through_the_internet_gateway(tmp_path):
    snapshot = two_tier().load(tmp_path)
    answer = ask(snapshot, "internet", "203.0.113.10", src_ip="8.8.8.8")
    assert (answer.disposition, answer.hops) == ("accepted", ("internet", "igw-1", "vpc-1", "subnet-public", "i-web"))
    assert "to 10.0.1.10" in answer.reason  # translated to the private address
    ssh = ask(snapshot, "internet", "203.0.113.10", dst_port=22, src_ip="8.8.8.8")
    assert (ssh.disposition, ssh.blocked_by) == ("denied-in", "sg-web")
    assert ask(snapshot, "internet", "203.0.113.10", dst_port=22, src_ip="198.51.100.9").disposition == "accepted"


def test_the_internet_drops_private_destinations_and_keeps_unknown_public_ones(tmp_path):
    snapshot = two_tier().load(tmp_path)
    private = ask(snapshot, "internet", "10.0.1.10", src_ip="8.8.8.8")
    assert (private.disposition, private.hops, private.blocked_by) == ("no-route", ("internet",), "internet")
    elsewhere = ask(snapshot, "internet", "1.1.1.1", src_ip="8.8.8.8")
    assert (elsewhere.disposition, elsewhere.hops) == ("exits-network", ("internet",))


def test_an_internet_gateway_refuses_a_source_without_a_public_address(tmp_path):
    net = two_tier().instance("i-private", "subnet-public", "vpc-1", "10.0.1.20", groups=("sg-web",))
    answer = ask(net.load(tmp_path), "i-private", "1.1.1.1")
    assert (answer.disposition, answer.blocked_by) == ("denied-out", "igw-1")
    assert answer.hops == ("i-private", "subnet-public", "vpc-1", "igw-1")


def test_an_elastic_ip_is_a_public_address_both_ways(tmp_path):
    net = two_tier().instance("i-eip", "subnet-public", "vpc-1", "10.0.1.20", groups=("sg-web",))
    net.files["Addresses"].append({"AllocationId": "eipalloc-1", "PublicIp": "52.0.0.7", "Domain": "vpc",
                                   "NetworkInterfaceId": "eni-eip", "PrivateIpAddress": "10.0.1.20",
                                   "InstanceId": "i-eip"})
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-eip", "1.1.1.1").disposition == "exits-network"
    assert ask(snapshot, "internet", "52.0.0.7", src_ip="8.8.8.8").hops[-1] == "i-eip"


def test_an_internet_gateways_own_route_table_routes_what_enters(tmp_path):
    local = two_tier().route_table("rtb-edge", "vpc-1", gateway="igw-1").load(tmp_path / "local")
    answer = ask(local, "internet", "203.0.113.10", src_ip="8.8.8.8")
    assert (answer.disposition, answer.hops) == ("accepted", ("internet", "igw-1", "vpc-1", "subnet-public", "i-web"))
    inspected = (two_tier().route_table("rtb-edge", "vpc-1", gateway="igw-1")
                 .route("rtb-edge", "10.0.1.0/24", "eni-firewall").load(tmp_path / "inspected"))
    answer = ask(inspected, "internet", "203.0.113.10", src_ip="8.8.8.8")
    assert (answer.disposition, answer.hops[-1]) == ("unknown", "eni-firewall") and "rtb-edge" in answer.reason


def test_a_nat_gateway_takes_private_subnets_out(tmp_path):
    answer = ask(two_tier().load(tmp_path), "i-app", "1.1.1.1")
    assert answer.disposition == "exits-network"
    assert answer.hops == ("i-app", "subnet-app", "vpc-1", "subnet-public", "nat-1", "subnet-public", "vpc-1",
                           "igw-1", "internet")


def test_a_nat_gateway_refuses_unsolicited_inbound_packets(tmp_path):
    snapshot = two_tier().load(tmp_path)
    from_internet = ask(snapshot, "internet", "203.0.113.100", src_ip="8.8.8.8")
    assert (from_internet.disposition, from_internet.blocked_by) == ("denied-in", "nat-1")
    from_inside = ask(snapshot, "i-web", "10.0.1.100")
    assert (from_inside.disposition, from_inside.blocked_by) == ("denied-in", "nat-1")


def test_the_nat_gateways_subnet_acl_is_crossed_on_the_way_in(tmp_path):
    net = two_tier().acl("acl-public", "vpc-1", {"RuleNumber": 100, "RuleAction": "deny", "CidrBlock": "10.0.2.0/24",
                                                 "Egress": False, "Protocol": "-1"},
                         subnets=("subnet-public",))
    answer = ask(net.load(tmp_path), "i-app", "1.1.1.1")
    assert (answer.disposition, answer.blocked_by) == ("denied-in", "acl-public")
    assert answer.hops[-2:] == ("vpc-1", "subnet-public")


def test_a_private_nat_gateway_cannot_use_the_internet_gateway(tmp_path):
    net = two_tier()
    net.files["NatGateways"][0]["NatGatewayAddresses"][0].pop("PublicIp")
    answer = ask(net.load(tmp_path), "i-app", "1.1.1.1")
    assert (answer.disposition, answer.blocked_by) == ("denied-out", "igw-1")


def test_a_nat_gateway_forwards_tcp_udp_and_icmp_only(tmp_path):
    snapshot = two_tier().load(tmp_path)
    assert ask(snapshot, "i-app", "1.1.1.1", protocol=1, icmp=(8, 0)).disposition == "exits-network"
    gre = ask(snapshot, "i-app", "1.1.1.1", protocol=47)
    assert (gre.disposition, gre.blocked_by, gre.hops[-1]) == ("denied-in", "nat-1", "nat-1")


def test_a_deleted_nat_gateway_is_a_blackhole(tmp_path):
    net = two_tier()
    net.files["NatGateways"][0]["State"] = "deleted"
    answer = ask(net.load(tmp_path), "i-app", "1.1.1.1")
    assert (answer.disposition, answer.blocked_by) == ("no-route", "nat-1")


def test_a_detached_internet_gateway_routes_nothing(tmp_path):
    net = two_tier()
    net.files["InternetGateways"][0]["Attachments"] = []
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-web", "1.1.1.1").disposition == "no-route"
    inbound = ask(snapshot, "internet", "203.0.113.10", src_ip="8.8.8.8")
    assert (inbound.disposition, inbound.blocked_by) == ("no-route", "vpc-1")


def test_a_group_reference_does_not_match_traffic_by_public_address(tmp_path):
    """AWS: a referenced group admits its members by their private addresses, not their public ones."""
    net = two_tier()
    net.files["SecurityGroups"][1]["IpPermissions"].append(tcp(9000, groups=("sg-web",)))
    net.instance("i-app-public", "subnet-public", "vpc-1", "10.0.1.30", groups=("sg-app",), public="52.0.0.30")
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-web", "10.0.1.30", dst_port=9000).disposition == "accepted"
    by_public = ask(snapshot, "i-web", "52.0.0.30", dst_port=9000)
    assert (by_public.disposition, by_public.blocked_by) == ("denied-in", "sg-app")
    assert "igw-1" in by_public.hops and "internet" in by_public.hops


def peered() -> Net:
    """Three VPCs: 1 peers with 2, 2 with 3; vpc-1 routes vpc-3's CIDR through the 1-2 peering too."""
    return (Net().vpc("vpc-1", "10.1.0.0/16").vpc("vpc-2", "10.2.0.0/16").vpc("vpc-3", "10.3.0.0/16")
            .subnet("subnet-1", "vpc-1", "10.1.1.0/24").subnet("subnet-2", "vpc-2", "10.2.1.0/24")
            .subnet("subnet-3", "vpc-3", "10.3.1.0/24")
            .peering("pcx-12", "vpc-1", "vpc-2").peering("pcx-23", "vpc-2", "vpc-3")
            .route("rtb-main-vpc-1", "10.2.0.0/16", "pcx-12").route("rtb-main-vpc-1", "10.3.0.0/16", "pcx-12")
            .route("rtb-main-vpc-2", "10.3.0.0/16", "pcx-23")
            .security_group("sg-1", "vpc-1", ingress=(ANYTHING,)).security_group("sg-2", "vpc-2", ingress=(ANYTHING,))
            .security_group("sg-3", "vpc-3", ingress=(ANYTHING,))
            .instance("i-1", "subnet-1", "vpc-1", "10.1.1.10", groups=("sg-1",))
            .instance("i-2", "subnet-2", "vpc-2", "10.2.1.10", groups=("sg-2",))
            .instance("i-3", "subnet-3", "vpc-3", "10.3.1.10", groups=("sg-3",)))


def test_peering_delivers_into_the_peer_vpc(tmp_path):
    answer = ask(peered().load(tmp_path), "i-1", "10.2.1.10")
    assert (answer.disposition, answer.hops) == ("accepted", ("i-1", "subnet-1", "vpc-1", "pcx-12", "vpc-2",
                                                              "subnet-2", "i-2"))


def test_peering_is_not_transitive(tmp_path):
    snapshot = peered().load(tmp_path)
    answer = ask(snapshot, "i-1", "10.3.1.10")
    assert (answer.disposition, answer.blocked_by) == ("no-route", "pcx-12") and "transitive" in answer.reason
    assert ask(snapshot, "i-2", "10.3.1.10").disposition == "accepted"


def test_peering_that_is_not_active_routes_nothing(tmp_path):
    net = peered()
    net.files["VpcPeeringConnections"][0]["Status"]["Code"] = "pending-acceptance"
    answer = ask(net.load(tmp_path), "i-1", "10.2.1.10")
    assert (answer.disposition, answer.blocked_by) == ("no-route", "pcx-12")


def test_a_group_reference_across_a_peering(tmp_path):
    net = peered().route("rtb-main-vpc-3", "10.2.0.0/16", "pcx-23")
    net.files["SecurityGroups"][1]["IpPermissions"] = [tcp(5432, groups=("sg-1",))]
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-1", "10.2.1.10", dst_port=5432).disposition == "accepted"
    assert ask(snapshot, "i-3", "10.2.1.10", dst_port=5432).disposition == "denied-in"


def test_a_peer_vpc_outside_the_snapshot_is_where_the_packet_exits(tmp_path):
    net = peered()
    net.files["Vpcs"] = [v for v in net.files["Vpcs"] if v["VpcId"] != "vpc-2"]
    net.files["Subnets"] = [s for s in net.files["Subnets"] if s["VpcId"] != "vpc-2"]
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-1", "10.2.1.10").disposition == "exits-network"
    assert ask(snapshot, "i-1", "10.3.1.10").disposition == "no-route"  # still not transitive


def test_what_is_not_modelled_is_unknown_and_named(tmp_path):
    net = (two_tier().route("rtb-app", "172.16.0.0/12", "tgw-1")
           .interface("eni-nlb", "subnet-public", "vpc-1", "10.0.1.50", kind="network_load_balancer"))
    snapshot = net.load(tmp_path)
    transit = ask(snapshot, "i-app", "172.16.0.9")
    assert (transit.disposition, transit.hops[-1]) == ("unknown", "tgw-1")
    assert "the transit gateway tgw-1 is not in the snapshot" in transit.reason
    appliance = ask(net.route("rtb-app", "172.31.0.0/16", "eni-fw").load(tmp_path / "again"), "i-app", "172.31.0.9")
    assert "eni-fw, a network interface (an appliance), which is not modelled yet" in appliance.reason
    balancer = ask(snapshot, "i-app", "10.0.1.50")
    assert balancer.disposition == "unknown" and "network_load_balancer" in balancer.reason


def balanced() -> tuple:
    """An application load balancer in the public subnet listening on 443 (HTTPS) and 80, behind sg-web (443
    from anywhere, 22 from 198.51.100.0/24), and a network load balancer without security groups on UDP 53."""
    net = (two_tier().load_balancer("shop", "app", "vpc-1", ("HTTPS", 443), ("HTTP", 80))
           .interface("eni-alb", "subnet-public", "vpc-1", "10.0.1.60", groups=("sg-web",), public="52.16.0.60",
                      description="ELB app/shop/1")
           .load_balancer("dns", "net", "vpc-1", ("UDP", 53))
           .interface("eni-nlb", "subnet-public", "vpc-1", "10.0.1.61", kind="network_load_balancer",
                      description="ELB net/dns/1"))
    return net, "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop/1"


def test_a_load_balancer_refuses_what_no_listener_takes(tmp_path):
    net, alb = balanced()
    snapshot = net.load(tmp_path)
    heard = ask(snapshot, "i-app", "10.0.1.60", dst_port=443)
    assert (heard.disposition, heard.hops[-1]) == ("unknown", alb) and "fixed-response" in heard.reason
    unheard = ask(snapshot, "internet", "52.16.0.60", src_ip="198.51.100.7", dst_port=22)  # sg-web admits it
    assert (unheard.disposition, unheard.blocked_by, unheard.hops[-1]) == ("denied-in", alb, alb)
    refused = ask(snapshot, "i-app", "10.0.1.60", dst_port=22)  # sg-web admits 22 from 198.51.100.0/24 only
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "sg-web")
    udp = ask(snapshot, "i-app", "10.0.1.61", protocol=17, dst_port=53)
    assert udp.disposition == "unknown" and udp.hops[-1].endswith("loadbalancer/net/dns/1")
    tcp53 = ask(snapshot, "i-app", "10.0.1.61", protocol=6, dst_port=53)  # no security group, no TCP listener
    assert (tcp53.disposition, tcp53.blocked_by) == ("denied-in", tcp53.hops[-1])


def test_a_load_balancer_the_snapshot_lacks_or_a_classic_one_is_unknown(tmp_path):
    net, _ = balanced()
    net.interface("eni-elb", "subnet-public", "vpc-1", "10.0.1.62", groups=("sg-web",), description="ELB shop")
    snapshot = net.load(tmp_path)
    classic = ask(snapshot, "i-app", "10.0.1.62", dst_port=443)
    assert (classic.disposition, classic.hops[-1]) == ("unknown", "eni-elb")
    del net.files["LoadBalancerListeners"]
    listeners = ask(net.load(tmp_path / "without"), "i-app", "10.0.1.60", dst_port=443)
    assert listeners.disposition == "unknown" and "LoadBalancerListeners.json" in listeners.reason


def test_the_addresses_aws_reserves_are_unknown(tmp_path):
    snapshot = two_tier().load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.3.2", protocol=17, dst_port=53).disposition == "unknown"
    assert ask(snapshot, "i-app", "10.0.3.99").disposition == "no-destination"
    outside = ask(snapshot, "i-app", "10.0.9.9")  # in the VPC, in no subnet
    assert (outside.disposition, outside.hops[-1]) == ("no-destination", "vpc-1")


def test_the_source_destination_check(tmp_path):
    net = two_tier().interface("eni-router", "subnet-app", "vpc-1", "10.0.2.50", groups=("sg-app",),
                               source_dest_check=False)
    snapshot = net.load(tmp_path)
    spoofed = ask(snapshot, "i-app", "10.0.3.10", dst_port=5432, src_ip="10.0.2.99")
    assert (spoofed.disposition, spoofed.blocked_by) == ("denied-out", "i-app")
    # a router's interface forwards what it did not originate: the database sees 10.0.2.99, not a member
    forwarded = ask(snapshot, "eni-router", "10.0.3.10", dst_port=5432, src_ip="10.0.2.99")
    assert (forwarded.disposition, forwarded.blocked_by) == ("denied-in", "sg-db")


def test_an_instance_listed_only_by_describe_instances(tmp_path):
    net = two_tier()
    net.files["NetworkInterfaces"] = [i for i in net.files["NetworkInterfaces"] if i["NetworkInterfaceId"] != "eni-app"]
    answer = ask(net.load(tmp_path), "i-app", "10.0.3.10", dst_port=5432)
    assert answer.disposition == "accepted"
