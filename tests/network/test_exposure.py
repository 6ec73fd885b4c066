"""`solomonic network exposure`: what the internet reaches, merged into ranges, each with a witness `trace`
delivers; and against `trace` on hypothesis-written networks, nothing delivered from the internet is missing."""

from __future__ import annotations

import json
from ipaddress import IPv4Address, IPv4Network

from hypothesis import HealthCheck, given, settings

from solomonic.cli import main
from solomonic.network.exposure import exposure
from solomonic.network.model import Flow
from solomonic.network.trace import trace
from tests.network.snapshots import balancer_arn, entry, open_entries, rule, tcp, two_tier
from tests.network.test_properties import networks


def ranges(findings) -> dict[str, list[tuple]]:
    return {f.interface.node: [(e.protocol, e.last, e.low, e.high) for e in f.exposed] for f in findings}


def test_the_web_server_only_and_its_ports_merged():
    findings = exposure(two_tier().build())
    assert ranges(findings) == {"i-web": [(6, 6, 22, 22), (6, 6, 443, 443)]}
    for exposed in findings[0].exposed:
        assert exposed.witness.disposition == "accepted" and exposed.witness.hops[-1] == "i-web"
    ssh = findings[0].exposed[0].witness.flow
    assert ssh.src_ip in IPv4Network("198.51.100.0/24")


def test_an_acl_deny_cuts_a_range_the_group_opens():
    net = two_tier().security_group("sg-open", "vpc-1", ingress=(rule("tcp", 0, 65535, "0.0.0.0/0"),
                                                                rule("udp", 53, 53, "0.0.0.0/0")))
    net.acl("acl-public", "vpc-1", entry(50, "deny", "0.0.0.0/0", False, "6", ports=(1000, 2000)),
            *open_entries(), subnets=("subnet-public",))
    net.instance("i-open", "subnet-public", "vpc-1", "10.0.1.20", groups=("sg-open",), public="203.0.113.20")
    assert ranges(exposure(net.build()))["i-open"] == [(6, 6, 1, 999), (6, 6, 2001, 65535), (17, 17, 53, 53)]


def test_all_protocols_open_shows_icmp_and_the_other_numbers():
    net = two_tier().security_group("sg-any", "vpc-1", ingress=(rule("-1", None, None, "0.0.0.0/0"),))
    net.instance("i-any", "subnet-public", "vpc-1", "10.0.1.30", groups=("sg-any",), public="203.0.113.30")
    found = ranges(exposure(net.build()))["i-any"]
    assert (6, 6, 1, 65535) in found and (17, 17, 1, 65535) in found and (1, 1, None, None) in found
    assert (0, 0, None, None) in found and (18, 255, None, None) in found


def test_the_command_line(capsys, tmp_path):
    snapshot = str(two_tier().write(tmp_path / "snap"))
    assert main(["network", "exposure", snapshot, "--format", "json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert [f["node"] for f in answer["exposed"]] == ["i-web"]
    assert [e["ports"] for e in answer["exposed"][0]["exposed"]] == [[22, 22], [443, 443]]
    assert main(["network", "exposure", snapshot]) == 1
    assert "i-web (eni-" in capsys.readouterr().out
    closed = two_tier()
    for group in closed.files["SecurityGroups"]:
        group["IpPermissions"] = [] if group["GroupId"] == "sg-web" else group["IpPermissions"]
    assert main(["network", "exposure", str(closed.write(tmp_path / "closed"))]) == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_every_packet_trace_delivers_from_the_internet_is_within_an_exposed_range(net):
    snapshot = net.build()
    findings = {f.interface.id: f for f in exposure(snapshot)}
    for finding in findings.values():
        for exposed in finding.exposed:
            assert exposed.witness.disposition == "accepted"
    for interface in snapshot.interfaces.values():
        for _, public in interface.public_ips:
            for protocol, port in ((6, 22), (6, 80), (6, 443), (6, 5432), (17, 53), (1, None)):
                packet = Flow(IPv4Address("8.8.4.4"), public, protocol, 40000 if port else None, port,
                              *((8, 0) if protocol == 1 else (None, None)))
                fate = trace(snapshot, None, packet)
                if fate.disposition != "accepted" or fate.hops[-1] != interface.node:
                    continue
                finding = findings.get(interface.id)
                assert finding is not None, (interface.id, packet)
                assert finding.unknown or any(
                    e.protocol <= protocol <= e.last and (e.low is None or e.low <= port <= e.high)
                    for e in finding.exposed), (packet, finding.exposed)


def test_sarif_points_at_the_rule_that_admits_each_range(capsys, tmp_path):
    snapshot = two_tier().write(tmp_path / "snap")
    assert main(["network", "exposure", str(snapshot), "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["internet-exposure"] * 2
    groups = json.loads((snapshot / "SecurityGroups.json").read_text())["SecurityGroups"]
    for result, port in zip(results, (22, 443)):
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"].endswith("SecurityGroups.json")
        _, _, index, key, position = location["logicalLocations"][0]["fullyQualifiedName"].split("/")
        rule = groups[int(index)][key][int(position)]
        assert rule["FromPort"] <= port <= rule["ToPort"] and f"tcp/{port}" in result["message"]["text"]


def test_a_public_load_balancer_is_exposed_where_a_target_accepts_what_its_listener_forwards():
    """The ALB forwards 443 to i-app on 8080 (sg-app admits it from the balancer's group): exposed on 443;
    its listener on 80 answers by a fixed response, which is not modelled: partly unknown, naming it. A NAT
    gateway's interface, which accepts nothing, is left out."""
    net = two_tier().security_group("sg-alb", "vpc-1", ingress=(rule("tcp", 80, 443, "0.0.0.0/0"),))
    app = next(group for group in net.files["SecurityGroups"] if group["GroupId"] == "sg-app")
    app["IpPermissions"].append(tcp(8080, groups=("sg-alb",)))
    net.load_balancer("web", "app", "vpc-1", ("HTTPS", 443, "app"), ("HTTP", 80))
    net.target_group("app", "HTTP", 8080, balancer_arn("app", "web"), "i-app")
    net.interface("eni-alb", "subnet-public", "vpc-1", "10.0.1.30", groups=("sg-alb",), public="203.0.113.30",
                  description="ELB app/web/1")
    findings = {f.interface.id: f for f in exposure(net.build())}
    assert set(findings) == {"eni-web", "eni-alb"}
    assert [(e.protocol, e.low, e.high) for e in findings["eni-alb"].exposed] == [(6, 443, 443)]
    assert findings["eni-alb"].exposed[0].witness.hops[-1] == "i-app"
    alb = next(index for index, group in enumerate(net.files["SecurityGroups"]) if group["GroupId"] == "sg-alb")
    assert findings["eni-alb"].exposed[0].rule.pointer == f"/SecurityGroups/{alb}/IpPermissions/0"  # its own rule
    assert "fixed-response" in findings["eni-alb"].unknown[0]
