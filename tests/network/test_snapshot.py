"""Reading a snapshot directory: the three layouts, files the engine does not read, and bad input as one
line naming the file and the JSON pointer."""

from __future__ import annotations

import json

import pytest

from solomonic.network import build
from solomonic.network.snapshot import SnapshotError
from tests.network.snapshots import ask, two_tier


def test_flat_region_and_account_layouts_read_the_same(tmp_path):
    net = two_tier()
    flat = net.load(tmp_path / "flat")
    keys = sorted(net.files)
    half = len(keys) // 2
    layered = tmp_path / "layered"
    for index, key in enumerate(keys):  # half in a region folder, half under accounts/ACCOUNT/REGION
        folder = layered / "eu-west-1" if index < half else layered / "accounts" / "111122223333" / "eu-west-1"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{key}.json").write_text(json.dumps({key: net.files[key]}))
    read = build.load(str(layered))
    assert set(read.interfaces) == set(flat.interfaces) and read.instances == flat.instances
    assert set(read.route_tables) == set(flat.route_tables) and set(read.network_acls) == set(flat.network_acls)
    assert ask(read, "i-app", "10.0.3.10", dst_port=5432).hops == ask(flat, "i-app", "10.0.3.10", dst_port=5432).hops
    assert read.warnings == ()


def test_a_resource_seen_from_two_accounts_is_read_once(tmp_path):
    net = two_tier().vpc("vpc-2", "10.9.0.0/16").peering("pcx-1", "vpc-1", "vpc-2")
    net.write(tmp_path / "accounts" / "111122223333" / "eu-west-1")
    other = tmp_path / "accounts" / "444455556666" / "eu-west-1"  # the peer's account sees the same peering
    other.mkdir(parents=True)
    for key in ("VpcPeeringConnections", "Subnets"):  # and the subnets shared with it
        (other / f"{key}.json").write_text(json.dumps({key: net.files[key]}))
    snapshot = build.load(str(tmp_path))
    assert list(snapshot.peerings) == ["pcx-1"] and snapshot.peerings["pcx-1"].origin.file.endswith(
        "accounts/111122223333/eu-west-1/VpcPeeringConnections.json")


def test_missing_files_mean_no_such_resources(tmp_path):
    (tmp_path / "Vpcs.json").write_text(json.dumps({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}))
    snapshot = build.load(str(tmp_path))
    assert list(snapshot.vpcs) == ["vpc-1"] and snapshot.subnets == {} and snapshot.present == {"Vpcs"}


def test_unknown_files_and_keys_are_warnings(tmp_path):
    net = two_tier()
    net.write(tmp_path)
    (tmp_path / "Volumes.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("hello")
    subnets = json.loads((tmp_path / "Subnets.json").read_text())
    (tmp_path / "Subnets.json").write_text(json.dumps({**subnets, "NextToken": "abc", "ResponseMetadata": {}}))
    warnings = build.load(str(tmp_path)).warnings
    assert any("Volumes.json: not a response the network engine reads" in w for w in warnings)
    assert any("notes.txt: not a response" in w for w in warnings)
    assert any("Subnets.json: /NextToken: the response is one page" in w for w in warnings)
    assert any("Subnets.json: /ResponseMetadata: a key the network engine does not read" in w for w in warnings)


def test_a_route_to_a_gateway_whose_file_is_missing_is_a_warning_and_its_paths_unknown(tmp_path):
    net = two_tier()
    del net.files["InternetGateways"]
    snapshot = net.load(tmp_path)
    assert any("RouteTables.json: /RouteTables/1/Routes/1: the route to igw-1: InternetGateways.json is missing" in w
               for w in snapshot.warnings)
    assert ask(snapshot, "i-web", "1.1.1.1").disposition == "unknown"
    assert ask(snapshot, "i-app", "10.0.3.10", dst_port=5432).disposition == "accepted"  # no gateway on the path


def test_responses_no_question_reads_yet_are_known_files(tmp_path):
    net = two_tier()
    net.files["TargetGroups"] = [{"TargetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1"}]
    net.files["CustomerGateways"] = [{"CustomerGatewayId": "cgw-1", "IpAddress": "198.51.100.1"}]
    assert net.load(tmp_path).warnings == ()


def write(tmp_path, key: str, text: str):
    (tmp_path / f"{key}.json").write_text(text)
    return str(tmp_path)


@pytest.mark.parametrize(("key", "text", "message"), [
    ("Vpcs", '{"Vpcs": [', "Vpcs.json: line 1: column 11: not valid JSON"),
    ("Vpcs", '{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": NaN}]}', "Vpcs.json: /: not valid JSON: NaN"),
    ("Vpcs", '{"Subnets": []}', "Vpcs.json: /: expected an object with the key 'Vpcs'"),
    ("Vpcs", '{"Vpcs": {}}', "Vpcs.json: /Vpcs: expected a list, found dict"),
    ("Vpcs", '{"Vpcs": ["vpc-1"]}', "Vpcs.json: /Vpcs/0: expected an object, found str"),
    ("Vpcs", '{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]}',
     "Vpcs.json: /Vpcs/0/CidrBlock: not an IPv4 CIDR: '10.0.0.0/33'"),
    ("Subnets", '{"Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.0.0/24"}]}',
     "Subnets.json: /Subnets/0: the required field 'VpcId' is missing"),
    ("Vpcs", '{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]}',
     "Vpcs.json: /Vpcs/1: vpc-1 is described twice, differently (also at"),
    ("SecurityGroups", '{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": '
                       '[{"IpProtocol": "tcp", "FromPort": 22, "IpRanges": []}]}]}',
     "SecurityGroups.json: /SecurityGroups/0/IpPermissions/0/ToPort: a TCP or UDP rule needs FromPort and ToPort"),
    ("SecurityGroups", '{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": '
                       '[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.300/32"}]}]}]}',
     "SecurityGroups.json: /SecurityGroups/0/IpPermissions/0/IpRanges/0/CidrIp: not an IPv4 CIDR"),
    ("NetworkAcls", '{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [{"RuleNumber": 1, '
                    '"RuleAction": "maybe", "Egress": false, "Protocol": "-1", "CidrBlock": "0.0.0.0/0"}]}]}',
     "NetworkAcls.json: /NetworkAcls/0/Entries/0/RuleAction: expected allow or deny, found 'maybe'"),
    ("RouteTables", '{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": '
                    '[{"DestinationCidrBlock": "0.0.0.0/0"}]}]}',
     "RouteTables.json: /RouteTables/0/Routes/0: a route needs a target"),
    ("NetworkInterfaces", '{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", '
                          '"VpcId": "vpc-1", "PrivateIpAddress": "10.0.0.x"}]}',
     "NetworkInterfaces.json: /NetworkInterfaces/0/PrivateIpAddress: not an IPv4 address: '10.0.0.x'"),
])
def test_bad_input_names_the_file_and_the_pointer(tmp_path, key, text, message):
    with pytest.raises(SnapshotError) as raised:
        build.load(write(tmp_path, key, text))
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_a_folder_that_is_not_there(tmp_path):
    with pytest.raises(SnapshotError, match="not a snapshot directory"):
        build.load(str(tmp_path / "absent"))


def test_what_no_ipv4_packet_meets_is_left_out_with_a_warning(tmp_path):
    net = two_tier()
    net.files["Subnets"].append({"SubnetId": "subnet-v6", "VpcId": "vpc-1", "Ipv6Native": True,
                                 "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2001:db8::/64"}]})
    net.files["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-v6", "SubnetId": "subnet-v6", "VpcId": "vpc-1",
                                           "Ipv6Addresses": [{"Ipv6Address": "2001:db8::5"}], "Groups": []})
    snapshot = net.load(tmp_path)
    assert "subnet-v6" not in snapshot.subnets and snapshot.interfaces["eni-v6"].private_ips == ()
    assert any("subnet-v6 is IPv6-only" in warning for warning in snapshot.warnings)
    assert ask(snapshot, "i-app", "10.0.3.10", dst_port=5432).disposition == "accepted"


def test_an_association_being_undone_is_not_in_effect(tmp_path):
    net = two_tier()
    app_table = next(t for t in net.files["RouteTables"] if t["RouteTableId"] == "rtb-app")
    app_table["Associations"][0]["AssociationState"] = {"State": "disassociating"}
    answer = ask(net.load(tmp_path), "i-app", "1.1.1.1")  # the main table: the local route only
    assert (answer.disposition, answer.blocked_by) == ("no-route", "rtb-main-vpc-1")


def test_a_managed_prefix_list_without_its_entries_makes_its_decisions_unknown(tmp_path):
    net = two_tier()
    net.files["PrefixLists"] = [{"PrefixListId": "pl-corp", "PrefixListName": "corp", "MaxEntries": 10}]
    net.files["SecurityGroups"][2]["IpPermissions"].append(
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "PrefixListIds": [{"PrefixListId": "pl-corp"}]})
    answer = ask(net.load(tmp_path), "i-web", "10.0.3.10", dst_port=22)
    assert answer.disposition == "unknown" and "pl-corp, whose CIDRs are not in the snapshot" in answer.reason
