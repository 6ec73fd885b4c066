"""Security groups and network ACLs, each as AWS documents it, seen through whole traces."""

from __future__ import annotations

import pytest

from tests.network.snapshots import ANYTHING, Net, ask, entry, rule, tcp


def pair(app_ingress=(), app_egress=(ANYTHING,), db_ingress=(), db_egress=(ANYTHING,)) -> Net:
    """One VPC, an app subnet and a db subnet, one instance each, with the rules given."""
    return (Net().vpc("vpc-1", "10.0.0.0/16")
            .subnet("subnet-app", "vpc-1", "10.0.1.0/24").subnet("subnet-db", "vpc-1", "10.0.2.0/24")
            .security_group("sg-app", "vpc-1", ingress=app_ingress, egress=app_egress)
            .security_group("sg-db", "vpc-1", ingress=db_ingress, egress=db_egress)
            .instance("i-app", "subnet-app", "vpc-1", "10.0.1.10", groups=("sg-app",))
            .instance("i-app2", "subnet-app", "vpc-1", "10.0.1.11", groups=("sg-app",))
            .instance("i-db", "subnet-db", "vpc-1", "10.0.2.10", groups=("sg-db",)))


# security groups


def test_ingress_admits_the_port_range_and_cidr_it_names(tmp_path):
    snapshot = pair(db_ingress=(tcp((5432, 5433), "10.0.1.0/24"),)).load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5433).disposition == "accepted"
    refused = ask(snapshot, "i-app", "10.0.2.10", dst_port=5434)
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "sg-db")
    assert refused.hops == ("i-app", "subnet-app", "vpc-1", "subnet-db", "i-db")
    assert ask(snapshot, "i-app", "10.0.2.10", protocol=17, dst_port=5432).disposition == "denied-in"


def test_egress_is_checked_at_the_source(tmp_path):
    snapshot = pair(app_egress=(tcp(443, "0.0.0.0/0"),), db_ingress=(ANYTHING,)).load(tmp_path)
    refused = ask(snapshot, "i-app", "10.0.2.10", dst_port=5432)
    assert (refused.disposition, refused.blocked_by, refused.hops) == ("denied-out", "sg-app", ("i-app",))
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=443).disposition == "accepted"


def test_protocol_minus_one_and_protocol_numbers(tmp_path):
    snapshot = pair(db_ingress=(rule("-1", None, None, "10.0.1.10/32"), rule("50", None, None, "10.0.1.11/32"),
                                rule("6", 22, 22, "10.0.1.11/32"))).load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", protocol=47, dst_port=None).disposition == "accepted"
    assert ask(snapshot, "i-app2", "10.0.2.10", protocol=50, dst_port=None).disposition == "accepted"
    assert ask(snapshot, "i-app2", "10.0.2.10", dst_port=22).disposition == "accepted"  # "6" is tcp
    assert ask(snapshot, "i-app2", "10.0.2.10", dst_port=23).disposition == "denied-in"


@pytest.mark.parametrize(("low", "high", "icmp", "admitted"), [
    (-1, -1, (3, 4), True),  # every type
    (8, -1, (8, 0), True),  # echo request, every code
    (8, -1, (0, 0), False),
    (3, 4, (3, 4), True),  # one type and code
    (3, 4, (3, 1), False),
])
def test_icmp_rules_name_a_type_and_a_code(tmp_path, low, high, icmp, admitted):
    snapshot = pair(db_ingress=(rule("icmp", low, high, "10.0.0.0/16"),)).load(tmp_path)
    answer = ask(snapshot, "i-app", "10.0.2.10", protocol=1, icmp=icmp)
    assert answer.disposition == ("accepted" if admitted else "denied-in")


def test_a_group_reference_admits_the_members_of_the_group(tmp_path):
    net = pair(db_ingress=(tcp(5432, groups=("sg-app",)),)).security_group("sg-other", "vpc-1")
    net.instance("i-other", "subnet-app", "vpc-1", "10.0.1.12", groups=("sg-other",))
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432).disposition == "accepted"
    refused = ask(snapshot, "i-other", "10.0.2.10", dst_port=5432)  # same subnet, other group
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "sg-db")


def test_an_egress_group_reference_admits_traffic_to_the_members(tmp_path):
    snapshot = pair(app_egress=(tcp(5432, groups=("sg-db",)),), db_ingress=(ANYTHING,)).load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432).disposition == "accepted"
    assert ask(snapshot, "i-app", "10.0.1.11", dst_port=5432).disposition == "denied-out"  # not in sg-db


def test_any_group_of_an_interface_may_admit(tmp_path):
    net = pair(db_ingress=(tcp(5432, "10.0.1.10/32"),)).security_group("sg-ssh", "vpc-1", ingress=(tcp(22, "10.0.0.0/8"),))
    net.files["NetworkInterfaces"][-1]["Groups"].append({"GroupId": "sg-ssh"})
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=22).disposition == "accepted"
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432).disposition == "accepted"
    refused = ask(snapshot, "i-app", "10.0.2.10", dst_port=80)
    assert refused.blocked_by == "sg-db" and "sg-db, sg-ssh" in refused.reason


def test_prefix_list_rules_and_a_missing_list(tmp_path):
    snapshot = pair(db_ingress=(tcp(5432, prefix_lists=("pl-app",)),)).prefix_list("pl-app", "10.0.1.10/32").load(
        tmp_path / "with")
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432).disposition == "accepted"
    assert ask(snapshot, "i-app2", "10.0.2.10", dst_port=5432).disposition == "denied-in"
    missing = pair(db_ingress=(tcp(5432, prefix_lists=("pl-app",)), tcp(22, "10.0.0.0/8"))).load(tmp_path / "without")
    unknown = ask(missing, "i-app", "10.0.2.10", dst_port=5432)
    assert unknown.disposition == "unknown" and "pl-app" in unknown.reason
    # another rule admits the packet: the missing list does not matter
    assert ask(missing, "i-app", "10.0.2.10", dst_port=22).disposition == "accepted"


def test_a_group_missing_from_the_snapshot_makes_a_refusal_unknown(tmp_path):
    net = pair(db_ingress=(tcp(22, "10.0.0.0/8"),))
    net.files["NetworkInterfaces"][-1]["Groups"].append({"GroupId": "sg-elsewhere"})
    snapshot = net.load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=22).disposition == "accepted"
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432).disposition == "unknown"


# network ACLs


def acl_on_db(*entries: dict) -> Net:
    return pair(db_ingress=(ANYTHING,)).acl("acl-db", "vpc-1", *entries, subnets=("subnet-db",))


def test_acl_rules_are_evaluated_in_rule_number_order(tmp_path):
    deny_first = acl_on_db(entry(200, "allow", "0.0.0.0/0", False), entry(100, "deny", "10.0.1.10/32", False),
                           entry(100, "allow", "0.0.0.0/0", True)).load(tmp_path / "deny-first")
    refused = ask(deny_first, "i-app", "10.0.2.10", dst_port=5432)
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "acl-db") and "rule 100" in refused.reason
    assert ask(deny_first, "i-app2", "10.0.2.10", dst_port=5432).disposition == "accepted"
    allow_first = acl_on_db(entry(100, "allow", "0.0.0.0/0", False), entry(200, "deny", "10.0.1.10/32", False),
                            entry(100, "allow", "0.0.0.0/0", True)).load(tmp_path / "allow-first")
    assert ask(allow_first, "i-app", "10.0.2.10", dst_port=5432).disposition == "accepted"


def test_no_matching_acl_rule_denies(tmp_path):
    snapshot = acl_on_db(entry(100, "allow", "10.0.1.11/32", False), entry(100, "allow", "0.0.0.0/0", True)).load(
        tmp_path)
    refused = ask(snapshot, "i-app", "10.0.2.10", dst_port=5432)
    assert refused.disposition == "denied-in" and "the rule *" in refused.reason


def test_acl_port_ranges_are_destination_ports_and_protocols_count(tmp_path):
    snapshot = acl_on_db(entry(100, "allow", "0.0.0.0/0", False, "6", ports=(5432, 5432)),
                         entry(100, "allow", "0.0.0.0/0", True)).load(tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432, src_port=5432).disposition == "accepted"
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5433, src_port=5432).disposition == "denied-in"
    assert ask(snapshot, "i-app", "10.0.2.10", protocol=17, dst_port=5432).disposition == "denied-in"


def test_the_acl_of_the_source_subnet_is_checked_outbound(tmp_path):
    net = pair(db_ingress=(ANYTHING,)).acl("acl-app", "vpc-1", entry(100, "allow", "0.0.0.0/0", False),
                                           entry(100, "deny", "10.0.2.0/24", True),
                                           entry(110, "allow", "0.0.0.0/0", True), subnets=("subnet-app",))
    refused = ask(net.load(tmp_path), "i-app", "10.0.2.10", dst_port=5432)
    assert (refused.disposition, refused.blocked_by, refused.hops) == ("denied-out", "acl-app", ("i-app", "subnet-app"))


def test_traffic_within_one_subnet_does_not_cross_its_acl(tmp_path):
    net = pair(app_ingress=(ANYTHING,)).acl("acl-app", "vpc-1", entry(100, "deny", "0.0.0.0/0", False),
                                            entry(100, "deny", "0.0.0.0/0", True), subnets=("subnet-app",))
    answer = ask(net.load(tmp_path), "i-app", "10.0.1.11", dst_port=22)
    assert (answer.disposition, answer.hops) == ("accepted", ("i-app", "subnet-app", "i-app2"))


def test_a_subnet_without_an_association_uses_the_default_acl(tmp_path):
    net = pair(db_ingress=(ANYTHING,))
    default = net.files["NetworkAcls"][0]
    default["Entries"] = [entry(100, "deny", "0.0.0.0/0", False), entry(100, "allow", "0.0.0.0/0", True)]
    refused = ask(net.load(tmp_path), "i-app", "10.0.2.10", dst_port=5432)
    assert (refused.disposition, refused.blocked_by) == ("denied-in", "acl-default-vpc-1")


def test_an_ipv6_acl_entry_never_matches_an_ipv4_packet(tmp_path):
    v6 = {"RuleNumber": 50, "RuleAction": "deny", "Ipv6CidrBlock": "::/0", "Egress": False, "Protocol": "-1"}
    snapshot = acl_on_db(v6, entry(100, "allow", "0.0.0.0/0", False), entry(100, "allow", "0.0.0.0/0", True)).load(
        tmp_path)
    assert ask(snapshot, "i-app", "10.0.2.10", dst_port=5432).disposition == "accepted"
