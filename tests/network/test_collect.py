"""`solomonic network snapshot` against botocore's Stubber (no network): every page of a paginated call is
kept, the per-resource calls are gathered as the reader expects, customer-managed prefix lists get their
entries, a truncated transit gateway route list is left out (unknown, not partial), and what is written
reads back into the model. Skipped where botocore is not installed (it comes with the `network` extra)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from solomonic.cli import main
from solomonic.network import build, collect

boto3 = pytest.importorskip("boto3")
Stubber = pytest.importorskip("botocore.stub").Stubber

ALB = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188"
GROUP = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/app/73e2d6bc24d8a067"


def clients():
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1")
    return session.client("ec2"), session.client("elbv2")


def stub_account(ec2: Stubber, elbv2: Stubber, truncated: bool = False) -> None:
    """One VPC whose subnets come in two pages, a managed prefix list, a transit gateway route table and an
    ALB with one listener, its attributes and a target group with one target."""
    for operation, key in collect.EC2_CALLS:
        if operation == "describe_subnets":
            ec2.add_response(operation, {key: [{"SubnetId": "subnet-a", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}],
                                         "NextToken": "page-2"})
            ec2.add_response(operation, {key: [{"SubnetId": "subnet-b", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"}]},
                             {"NextToken": "page-2"})
        elif operation == "describe_vpcs":
            ec2.add_response(operation, {key: [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})
        elif operation == "describe_nat_gateways":
            ec2.add_response(operation, {key: [{"NatGatewayId": "nat-1", "SubnetId": "subnet-a", "VpcId": "vpc-1",
                                                "State": "available",
                                                "CreateTime": datetime(2026, 1, 2, tzinfo=timezone.utc)}]})
        elif operation == "describe_transit_gateway_route_tables":
            ec2.add_response(operation, {key: [{"TransitGatewayRouteTableId": "tgw-rtb-1",
                                                "TransitGatewayId": "tgw-1", "State": "available"}]})
        else:
            ec2.add_response(operation, {key: []})
    ec2.add_response("describe_prefix_lists", {"PrefixLists": [
        {"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.eu-west-1.s3", "Cidrs": ["52.218.0.0/17"]}]})
    ec2.add_response("describe_managed_prefix_lists", {"PrefixLists": [
        {"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.eu-west-1.s3", "OwnerId": "AWS"},
        {"PrefixListId": "pl-office", "PrefixListName": "office", "OwnerId": "111122223333"}]})
    ec2.add_response("get_managed_prefix_list_entries", {"Entries": [{"Cidr": "203.0.113.0/24"}]},
                     {"PrefixListId": "pl-office"})
    ec2.add_response("search_transit_gateway_routes", {
        "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "Type": "propagated", "State": "active"}],
        "AdditionalRoutesAvailable": truncated},
        {"TransitGatewayRouteTableId": "tgw-rtb-1", "Filters": collect.ROUTE_TYPES})
    ec2.add_response("get_transit_gateway_route_table_propagations", {"TransitGatewayRouteTablePropagations": []},
                     {"TransitGatewayRouteTableId": "tgw-rtb-1"})
    elbv2.add_response("describe_load_balancers", {"LoadBalancers": [
        {"LoadBalancerArn": ALB, "Type": "application", "VpcId": "vpc-1"}]})
    elbv2.add_response("describe_target_groups", {"TargetGroups": [
        {"TargetGroupArn": GROUP, "Protocol": "HTTP", "Port": 8080, "TargetType": "instance",
         "LoadBalancerArns": [ALB]}]})
    elbv2.add_response("describe_listeners", {"Listeners": [
        {"Protocol": "HTTPS", "Port": 443, "DefaultActions": [{"Type": "forward", "TargetGroupArn": GROUP}]}]},
        {"LoadBalancerArn": ALB})
    elbv2.add_response("describe_load_balancer_attributes", {"Attributes": [
        {"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}, {"LoadBalancerArn": ALB})
    elbv2.add_response("describe_target_health", {"TargetHealthDescriptions": [
        {"Target": {"Id": "i-1", "Port": 8080}, "TargetHealth": {"State": "healthy"}}]}, {"TargetGroupArn": GROUP})


def test_every_page_and_every_resource_is_written_as_the_reader_reads_it(tmp_path: Path):
    ec2, elbv2 = clients()
    warnings: list[str] = []
    with Stubber(ec2) as ec2_stub, Stubber(elbv2) as elb_stub:
        stub_account(ec2_stub, elb_stub)
        collect.write(tmp_path / "eu-west-1", collect.collect(ec2, elbv2, warnings.append))
        ec2_stub.assert_no_pending_responses()
        elb_stub.assert_no_pending_responses()
    assert warnings == []
    snapshot = build.load(str(tmp_path))
    assert set(snapshot.subnets) == {"subnet-a", "subnet-b"}  # both pages
    assert snapshot.prefix_lists["pl-office"].cidrs is not None and len(snapshot.prefix_lists) == 2
    assert snapshot.transit_route_tables["tgw-rtb-1"].routes is not None
    balancer = snapshot.load_balancers["app/web/50dc6c495c0c9188"]
    assert balancer.cross_zone is True and balancer.listeners[0].target_groups == (GROUP,)
    assert [target.id for target in snapshot.target_groups[GROUP].targets] == ["i-1"]
    nat = json.loads((tmp_path / "eu-west-1" / "NatGateways.json").read_text())["NatGateways"][0]
    assert nat["CreateTime"] == "2026-01-02T00:00:00+00:00"


def test_a_truncated_route_list_is_left_out_and_said(tmp_path: Path):
    ec2, elbv2 = clients()
    warnings: list[str] = []
    with Stubber(ec2) as ec2_stub, Stubber(elbv2) as elb_stub:
        stub_account(ec2_stub, elb_stub, truncated=True)
        collect.write(tmp_path, collect.collect(ec2, elbv2, warnings.append))
    assert len(warnings) == 1 and "tgw-rtb-1" in warnings[0]
    assert build.load(str(tmp_path)).transit_route_tables["tgw-rtb-1"].routes is None


def test_without_credentials_the_command_says_so_in_one_line(tmp_path: Path, monkeypatch, capsys):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["network", "snapshot", str(tmp_path / "out")]) == 2
    assert "give --region" in capsys.readouterr().err
    assert main(["network", "snapshot", str(tmp_path / "out"), "--profile", "nobody"]) == 2
    error = capsys.readouterr().err
    assert "nobody" in error and "Traceback" not in error and len(error.strip().splitlines()) == 1
