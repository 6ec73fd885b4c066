"""`solomonic network trace` as users meet it: the JSON contract of issue 31, the text, the exit statuses,
and bad input as one line.

Most calls run `main` in this process; the bad-input tests run the real command, where a traceback would show.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from solomonic.cli import main
from tests.network.snapshots import two_tier


@pytest.fixture
def snapshot(tmp_path):
    return str(two_tier().write(tmp_path / "snap"))


def trace(capsys, snapshot, *args: str) -> tuple[int, str]:
    status = main(["network", "trace", snapshot, *args])
    return status, capsys.readouterr().out


def test_the_json_contract(capsys, snapshot):
    status, out = trace(capsys, snapshot, "--from", "i-app", "--to", "10.0.3.10", "--dst-port", "5432",
                        "--format", "json")
    answer = json.loads(out)
    assert status == 1
    assert {"disposition", "hops", "flow", "blocked_by", "reason", "warnings", "assumptions"} == set(answer)
    assert answer["disposition"] == "accepted" and answer["blocked_by"] is None
    assert answer["hops"] == ["i-app", "subnet-app", "vpc-1", "subnet-db", "eni-db"]
    assert answer["flow"] == {"src_ip": "10.0.2.10", "dst_ip": "10.0.3.10", "protocol": 6, "src_port": 49152,
                              "dst_port": 5432, "icmp_type": None, "icmp_code": None}
    assert answer["assumptions"] == ["the source port is 49152 (none was given)"]
    assert isinstance(answer["reason"], str) and answer["warnings"] == []


def test_icmp_and_other_protocols_have_no_ports(capsys, snapshot):
    _, out = trace(capsys, snapshot, "--from", "i-app", "--to", "10.0.3.10", "--protocol", "icmp", "--format", "json")
    flow = json.loads(out)["flow"]
    assert (flow["protocol"], flow["icmp_type"], flow["icmp_code"], flow["dst_port"]) == (1, 8, 0, None)
    _, out = trace(capsys, snapshot, "--from", "i-app", "--to", "10.0.3.10", "--protocol", "47", "--format", "json")
    assert json.loads(out)["flow"]["protocol"] == 47 and json.loads(out)["assumptions"] == []


def test_exit_statuses(capsys, snapshot):
    assert trace(capsys, snapshot, "--from", "i-app", "--to", "1.1.1.1", "--dst-port", "443")[0] == 1  # exits
    assert trace(capsys, snapshot, "--from", "i-web", "--to", "10.0.3.10", "--dst-port", "5432")[0] == 0  # denied
    assert trace(capsys, snapshot, "--from", "i-app", "--to", "10.0.3.2", "--dst-port", "53")[0] == 2  # unknown


def test_the_text_names_the_path_and_what_blocks(capsys, snapshot):
    status, out = trace(capsys, snapshot, "--from", "i-web", "--to", "10.0.3.10", "--dst-port", "5432",
                        "--src-port", "40000")
    assert status == 0
    assert out.splitlines() == [
        "i-web: tcp 10.0.1.10:40000 -> 10.0.3.10:5432: DENIED-IN",
        "  path: i-web > subnet-public > vpc-1 > subnet-db > eni-db",
        "  blocked by: sg-db",
        "  why: no ingress rule of sg-db on eni-db admits tcp/5432 from 10.0.1.10 to 10.0.3.10"]


def test_the_text_of_a_delivery(capsys, snapshot):
    status, out = trace(capsys, snapshot, "--from", "i-web", "--to", "10.0.2.10", "--dst-port", "8080",
                        "--src-port", "40000")
    assert status == 1
    assert out.splitlines() == [
        "i-web: tcp 10.0.1.10:40000 -> 10.0.2.10:8080: ACCEPTED",
        "  path: i-web > subnet-public > vpc-1 > subnet-app > i-app",
        "  why: i-app's interface eni-app accepts tcp/8080 from 10.0.1.10 to 10.0.2.10"]


def test_warnings_go_to_standard_error(capsys, snapshot, tmp_path):
    (tmp_path / "snap" / "Volumes.json").write_text("{}")
    main(["network", "trace", snapshot, "--from", "i-app", "--to", "1.1.1.1", "--dst-port", "443", "--format", "json"])
    captured = capsys.readouterr()
    assert "Volumes.json: not a response" in captured.err and json.loads(captured.out)["warnings"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "solomonic", "network", "trace", *args], capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "internet", "--to", "203.0.113.10", "--dst-port", "443"), "--from internet needs --src-ip"),
    (("--from", "internet", "--src-ip", "10.1.1.1", "--to", "203.0.113.10", "--dst-port", "443"),
     "--src-ip 10.1.1.1: not a public address"),
    (("--from", "i-absent", "--to", "10.0.3.10", "--dst-port", "443"), "--from i-absent: no such instance"),
    (("--from", "subnet-app", "--to", "10.0.3.10", "--dst-port", "443"), "a trace starts at an instance"),
    (("--from", "i-app", "--to", "10.0.3.10"), "a TCP or UDP packet needs --dst-port"),
    (("--from", "i-app", "--to", "10.0.3.10", "--protocol", "icmp", "--dst-port", "1"), "belong to --protocol tcp"),
    (("--from", "i-app", "--to", "10.0.3.10", "--protocol", "gre"), "not an IP protocol"),
    (("--from", "i-app", "--to", "10.0.3.300", "--dst-port", "1"), "not an IPv4 address: 10.0.3.300"),
    (("--from", "i-app", "--to", "10.0.3.10", "--dst-port", "65536"), "not a port (0-65535): 65536"),
])
def test_bad_questions_are_one_line_and_exit_2(snapshot, args, message):
    done = run(snapshot, *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_bad_snapshot_is_one_line_naming_file_and_pointer(snapshot, tmp_path):
    (tmp_path / "snap" / "Subnets.json").write_text(json.dumps(
        {"Subnets": [{"SubnetId": "subnet-x", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/8/8"}]}))
    done = run(snapshot, "--from", "i-app", "--to", "10.0.3.10", "--dst-port", "443")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("solomonic: error: ") and len(done.stderr.strip().splitlines()) == 1
    assert "Subnets.json: /Subnets/0/CidrBlock: not an IPv4 CIDR: '10.0.0.0/8/8'" in done.stderr
