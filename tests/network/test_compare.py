"""`network compare` on mutations of the benchmark snapshots: a dropped route, a widened security group, a
network ACL deny inserted before an allow (issue 31's mutations), each found in the right direction with a
witness that `trace` delivers in one snapshot and not in the other; a snapshot against itself is
equivalent; the command line's JSON contract and exit statuses; bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from solomonic.cli import main
from solomonic.errors import UserError
from solomonic.network import build
from solomonic.network.compare import compare
from solomonic.network.model import Snapshot

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "network"
NAT = CORPUS / "public-private-nat"


def mutated(tmp_path: Path, name: str, change: Callable[[dict[str, dict]], None]) -> Path:
    """A copy of public-private-nat with `change` applied to its responses (by top-level key)."""
    folder = tmp_path / name
    shutil.copytree(NAT, folder)
    responses = {path.stem: json.loads(path.read_text()) for path in folder.glob("*.json")}
    change(responses)
    for key, response in responses.items():
        (folder / f"{key}.json").write_text(json.dumps(response))
    return folder


def _find(items: list[dict], key: str, name: str) -> dict:
    return next(item for item in items if item[key] == name)


def drop_nat_route(responses: dict[str, dict]) -> None:
    table = _find(responses["RouteTables"]["RouteTables"], "RouteTableId", "rtb-0app")
    table["Routes"] = [route for route in table["Routes"] if route.get("DestinationCidrBlock") != "0.0.0.0/0"]


def widen_ssh(responses: dict[str, dict]) -> None:
    group = _find(responses["SecurityGroups"]["SecurityGroups"], "GroupId", "sg-0web")
    next(rule for rule in group["IpPermissions"] if rule.get("FromPort") == 22)["IpRanges"] = [
        {"CidrIp": "0.0.0.0/0"}]


def deny_https_first(responses: dict[str, dict]) -> None:
    acl = responses["NetworkAcls"]["NetworkAcls"][0]
    acl["Entries"].insert(0, {"RuleNumber": 50, "RuleAction": "deny", "CidrBlock": "0.0.0.0/0", "Egress": False,
                              "Protocol": "6", "PortRange": {"From": 443, "To": 443}})


def load(folder: Path) -> Snapshot:
    return build.load(str(folder))


def test_a_snapshot_delivers_what_itself_delivers():
    snapshot = load(NAT)
    result = compare(snapshot, snapshot, None, None)
    assert (result.verdict, result.a_not_b, result.b_not_a) == ("equivalent", None, None)
    assert result.questions == 3  # i-0web, i-0app, eni-0db from the internet


def test_a_dropped_route_delivers_less(tmp_path):
    result = compare(load(NAT), load(mutated(tmp_path, "dropped", drop_nat_route)), "i-0app", "93.184.216.0/24")
    assert result.verdict == "a-delivers-more" and result.b_not_a is None
    assert result.a_not_b is not None
    assert result.a_not_b.delivered.disposition == "exits-network"
    assert "nat-0shop" in result.a_not_b.delivered.hops
    assert result.a_not_b.elsewhere.disposition == "no-route"


def test_a_widened_group_delivers_more_and_only_on_its_port(tmp_path):
    result = compare(load(NAT), load(mutated(tmp_path, "widened", widen_ssh)), None, "i-0web")
    assert result.verdict == "b-delivers-more" and result.a_not_b is None and result.b_not_a is not None
    flow = result.b_not_a.delivered.flow
    assert (flow.protocol, flow.dst_port) == (6, 22)
    assert not str(flow.src_ip).startswith("192.0.2.")  # the old rule admitted those already
    assert (result.b_not_a.elsewhere.disposition, result.b_not_a.elsewhere.blocked_by) == ("denied-in", "sg-0web")


def test_a_deny_before_the_allow_delivers_less(tmp_path):
    result = compare(load(NAT), load(mutated(tmp_path, "denied", deny_https_first)), None, "i-0web",
                     protocol=6)
    assert result.verdict == "a-delivers-more" and result.a_not_b is not None
    assert result.a_not_b.delivered.flow.dst_port == 443
    assert result.a_not_b.elsewhere.blocked_by == "acl-default-vpc-0shop"


def test_two_changes_differ_both_ways(tmp_path):
    def both(responses: dict[str, dict]) -> None:
        widen_ssh(responses)
        deny_https_first(responses)

    result = compare(load(NAT), load(mutated(tmp_path, "both", both)), "internet", "i-0web")
    assert result.verdict == "both-deliver-more"
    assert result.a_not_b is not None and result.b_not_a is not None
    assert (result.a_not_b.delivered.flow.dst_port, result.b_not_a.delivered.flow.dst_port) == (443, 22)


def test_a_port_the_change_does_not_touch_is_equivalent(tmp_path):
    result = compare(load(NAT), load(mutated(tmp_path, "widened", widen_ssh)), None, "i-0web",
                     protocol=6, dst_ports=(80, 443))
    assert result.verdict == "equivalent"


def test_the_command_line_prints_the_contract(tmp_path, capsys):
    new = mutated(tmp_path, "widened", widen_ssh)
    status = main(["network", "compare", str(NAT), str(new), "--to", "i-0web", "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert status == 1
    assert answer["verdict"] == "b-delivers-more" and answer["a_not_b"] is None
    assert answer["b_not_a"]["disposition"] == "accepted" and answer["b_not_a"]["hops"][-1] == "i-0web"
    assert answer["b_not_a_other"]["disposition"] == "denied-in" and isinstance(answer["reason"], str)
    assert main(["network", "compare", str(NAT), str(NAT), "--to", "i-0web"]) == 0
    assert "EQUIVALENT" in capsys.readouterr().out


def test_a_destination_missing_from_one_snapshot_is_bad_input(tmp_path):
    def remove_web(responses: dict[str, dict]) -> None:
        responses["Reservations"]["Reservations"] = [
            r for r in responses["Reservations"]["Reservations"] if r["Instances"][0]["InstanceId"] != "i-0web"]
        responses["NetworkInterfaces"]["NetworkInterfaces"] = [
            n for n in responses["NetworkInterfaces"]["NetworkInterfaces"] if n["NetworkInterfaceId"] != "eni-0web"]

    new = load(mutated(tmp_path, "gone", remove_web))
    with pytest.raises(UserError, match="NEW: --to i-0web"):
        compare(load(NAT), new, None, "i-0web")
    result = compare(load(NAT), new, None, None)  # without --to: compared where both have it, and said
    assert result.verdict == "equivalent" and any("i-0web" in warning for warning in result.warnings)


def test_compare_from_a_gateway_or_a_subnet():
    """What enters through the internet gateway, and what the app subnet's hosts send, compared as reachable
    asks them: the widened SSH rule and the dropped NAT route are found from there too."""
    old = build.load(str(NAT))
    widened = compare(old, build.load(str(CORPUS / "pairs" / "ssh-widened")), "igw-0shop", "i-0web")
    assert widened.verdict == "b-delivers-more" and widened.b_not_a.delivered.hops[0] == "igw-0shop"
    assert widened.b_not_a.elsewhere.blocked_by == "sg-0web"
    dropped = compare(old, build.load(str(CORPUS / "pairs" / "nat-route-dropped")), "subnet-0app", "93.184.216.0/24")
    assert dropped.verdict == "a-delivers-more" and dropped.a_not_b.delivered.hops[0] == "i-0app"
    assert (dropped.a_not_b.elsewhere.disposition, dropped.a_not_b.elsewhere.blocked_by) == ("no-route", "rtb-0app")
