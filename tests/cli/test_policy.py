"""`solomonic policy` as users meet it: the JSON contract of issue 23, text a person can act on, SARIF that
code scanning accepts, the exit statuses, and bad input as one line.

Most calls run `main` in this process (the engine is the same; a subprocess per call would triple the time);
the bad-input tests run the real command, where a traceback would show.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from solomonic.cli import main
from solomonic.errors import UserError
from solomonic.policy import document, evaluate
from solomonic.policy.model import Request
from tests.reason.test_sarif import oasis_schema, sarif_problems  # noqa: F401 (a fixture)

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "policy"
PUBLIC = CORPUS / "pairs" / "website-fix.old.json"
FIXED = CORPUS / "pairs" / "website-fix.new.json"
TLS = CORPUS / "s3" / "public-read-tls-only.json"
ACCOUNT = "111122223333"


def policy(capsys, *args: str) -> tuple[int, str]:
    status = main(["policy", *args])
    return status, capsys.readouterr().out


def request(raw: dict) -> Request:
    context = {k: tuple(v) if isinstance(v, list) else v for k, v in raw["context"].items()}
    return Request(raw["principal"], raw["action"], raw["resource"], context)


def decision(path: Path, raw: dict) -> str:
    return evaluate.decide(document.load(str(path)), request(raw)).decision


def test_compare_json_is_the_contract_and_its_witness_replays(capsys):
    status, out = policy(capsys, "compare", str(PUBLIC), str(FIXED), "--format", "json")
    answer = json.loads(out)
    assert status == 1
    assert {"verdict", "a_not_b", "b_not_a", "reason"} <= set(answer)
    assert answer["verdict"] == "a-allows-more" and answer["b_not_a"] is None
    witness = answer["a_not_b"]
    assert set(witness) == {"principal", "action", "resource", "context"}
    assert decision(PUBLIC, witness) == "allow" and decision(FIXED, witness) != "allow"


def test_compare_of_equivalent_policies_exits_0_and_says_so(capsys):
    pair = CORPUS / "pairs" / "reordered-statements"
    status, out = policy(capsys, "compare", f"{pair}.old.json", f"{pair}.new.json")
    assert status == 0
    assert "EQUIVALENT" in out


def test_compare_text_shows_the_request_and_each_side_s_decision(capsys):
    # a generous limit: the answer takes a fraction of a second, and a busy machine must not turn it unknown
    status, out = policy(capsys, "compare", str(PUBLIC), str(FIXED), "--timeout", "120")
    assert status == 1
    assert "(a-allows-more)" in out
    (line,) = [ln for ln in out.splitlines() if "OLD allows and NEW denies: " in ln]
    assert " s3:GetObject on arn:aws:s3:::www.example-shop.com/" in line
    assert "OLD: allowed by statement 'PublicReadGetObject' (line 4)" in out
    # NEW denies a request in one of two ways, and which one the solver's model picks is not part of the
    # contract: a request sent without TLS by its Deny statement, any other (not CloudFront's) implicitly.
    # The text must name the one that applies to the request it shows.
    if "aws:securetransport=false" in line.lower():
        assert "NEW: denied by statement 'DenyInsecureTransport' (line 18)" in out
    else:
        assert "NEW: implicitly denied (no statement allows it)" in out
    assert "assuming: " in out


def test_check_json_of_a_public_bucket(capsys):
    status, out = policy(capsys, "check", str(PUBLIC), "--account", ACCOUNT, "--format", "json")
    answer = json.loads(out)
    assert status == 1
    assert {"kind", "public", "public_witness", "cross_account", "cross_account_witness", "findings"} <= set(answer)
    assert (answer["kind"], answer["public"], answer["cross_account"]) == ("resource", True, True)
    assert answer["public_witness"]["principal"] == "*"
    assert decision(PUBLIC, answer["public_witness"]) == "allow"
    assert decision(PUBLIC, answer["cross_account_witness"]) == "allow"


def test_check_text_names_the_grant_its_statement_and_line(capsys):
    status, out = policy(capsys, "check", str(TLS), "--account", ACCOUNT)
    assert status == 1
    assert out.startswith(f"{TLS}: resource policy: PUBLIC")
    assert "PUBLIC: anyone can s3:GetObject arn:aws:s3:::www.example-shop.com/" in out
    assert "(statement 'PublicRead', line 4)" in out
    assert "request: anonymous s3:GetObject on arn:aws:s3:::www.example-shop.com/" in out


def test_check_of_a_fixed_bucket_exits_0_and_names_what_limits_the_grant(capsys):
    status, out = policy(capsys, "check", str(FIXED), "--account", ACCOUNT, "--format", "json")
    answer = json.loads(out)
    assert status == 0, answer
    assert answer["public"] is False and answer["public_witness"] is None
    assert answer["findings"] == []


def test_check_of_several_files_prints_a_list_in_order(capsys):
    status, out = policy(capsys, "check", str(FIXED), str(PUBLIC), "--account", ACCOUNT, "--format", "json")
    answers = json.loads(out)
    assert status == 1
    assert [a["source"] for a in answers] == [str(FIXED), str(PUBLIC)]


def test_check_of_an_identity_policy_reports_pass_role_on_any_role(capsys):
    path = CORPUS / "iam" / "passrole-star.json"
    status, out = policy(capsys, "check", str(path), "--format", "json")
    answer = json.loads(out)
    assert status == 1
    assert answer["kind"] == "identity" and answer["public"] is None
    assert "pass-role-on-any-role" in {f["code"] for f in answer["findings"]}


def test_sarif_of_check_is_valid_with_the_finding_at_its_statement(capsys, oasis_schema):  # noqa: F811
    from jsonschema import Draft4Validator

    status, out = policy(capsys, "check", str(TLS), str(FIXED), str(CORPUS / "iam" / "passrole-star.json"),
                         "--account", ACCOUNT, "--format", "sarif")
    log = json.loads(out)
    assert status == 1
    assert sarif_problems(log) == []
    assert [e.message for e in Draft4Validator(oasis_schema).iter_errors(log)] == []
    results = log["runs"][0]["results"]
    public = [r for r in results if r["ruleId"] == "public-access"]
    assert [(r["kind"], r["level"]) for r in public] == [("fail", "error"), ("pass", "none")]
    assert public[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert public[0]["properties"]["witness"]["principal"] == "*"
    assert any(r["ruleId"] == "pass-role-on-any-role" and r["kind"] == "fail" for r in results)


def test_every_sarif_result_of_check_carries_its_policy_s_assumptions(capsys, oasis_schema):  # noqa: F811
    from jsonschema import Draft4Validator

    files = [str(TLS), str(FIXED), str(CORPUS / "iam" / "passrole-star.json")]
    _, out = policy(capsys, "check", *files, "--account", ACCOUNT, "--format", "json")
    assumed = {Path(answer["source"]).name: answer["assumptions"] for answer in json.loads(out)}
    assert all(assumed.values())  # else this test shows nothing
    _, out = policy(capsys, "check", *files, "--account", ACCOUNT, "--format", "sarif")
    log = json.loads(out)
    assert sarif_problems(log) == []
    assert [e.message for e in Draft4Validator(oasis_schema).iter_errors(log)] == []
    results = log["runs"][0]["results"]
    assert {r["kind"] for r in results} >= {"pass", "fail"}
    for result in results:  # a pass ("no anonymous request is allowed") rests on them as much as a fail
        source = Path(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name
        assert result["properties"]["assumptions"] == assumed[source], (result["ruleId"], result["kind"])


def test_explain_names_the_deciding_statement(capsys):
    status, out = policy(capsys, "explain", str(TLS), "--action", "s3:GetObject",
                         "--resource", "arn:aws:s3:::www.example-shop.com/index.html",
                         "--context", "aws:SecureTransport=false")
    assert status == 0
    assert out.splitlines()[0].endswith("EXPLICIT DENY: anonymous s3:GetObject on "
                                        "arn:aws:s3:::www.example-shop.com/index.html with aws:SecureTransport=false")
    assert "decided by statement 'DenyInsecureTransport' (line 11)" in out


@pytest.mark.parametrize(("items", "expected"), [
    (["aws:TagKeys=Owner", "aws:TagKeys=Name"], "explicit-deny"),  # repeated: a set of two
    (['aws:TagKeys=["Name"]'], "allow"),  # a JSON list: a set of one
    (["aws:TagKeys=[]"], "allow"),  # the empty set
])
def test_explain_reads_multi_valued_context_keys(capsys, items, expected):
    path = CORPUS / "iam" / "deny-untag-protected.json"
    argv = ["explain", str(path), "--action", "ec2:CreateTags", "--principal",
            f"arn:aws:iam::{ACCOUNT}:user/bob", "--resource", f"arn:aws:ec2:eu-west-1:{ACCOUNT}:instance/i-0abc",
            "--format", "json"]
    for item in items:
        argv += ["--context", item]
    status, out = policy(capsys, *argv)
    answer = json.loads(out)
    assert status == 0
    assert answer["decision"] == expected
    assert isinstance(answer["request"]["context"]["aws:TagKeys"], list)


def test_explain_of_an_implicit_deny_says_no_statement_allows_it(capsys):
    status, out = policy(capsys, "explain", str(FIXED), "--action", "s3:PutObject",
                         "--resource", "arn:aws:s3:::www.example-shop.com/x", "--format", "json")
    assert status == 0
    assert json.loads(out)["decision"] == "implicit-deny" and json.loads(out)["deciding"] == []


def solomonic(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "solomonic", "policy", *args], capture_output=True, text=True,
                          timeout=120)


def assert_one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_bad_json_is_one_line_with_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}\n')
    for question in (["check", str(bad)], ["compare", str(bad), str(PUBLIC)]):
        assert_one_line_error(solomonic(*question), str(bad), "line 4")


def test_an_unknown_operator_is_one_line_with_its_json_path(tmp_path):
    bad = tmp_path / "operator.json"
    bad.write_text(json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEqualz": {"aws:SourceVpce": "vpce-1"}}}]}, indent=2))
    assert_one_line_error(solomonic("check", str(bad)), str(bad), "/Statement/0/Condition", "StringEqualz")


def test_a_bad_file_among_good_ones_is_reported_and_the_others_answered(tmp_path, capsys):
    missing = tmp_path / "missing.json"
    status = main(["policy", "check", str(FIXED), str(missing), "--account", ACCOUNT, "--format", "json"])
    captured = capsys.readouterr()
    assert status == 2
    assert str(missing) in captured.err
    assert [a["source"] for a in json.loads(captured.out)] == [str(FIXED)]


def test_an_identity_policy_needs_a_principal_to_explain(tmp_path):
    done = solomonic("explain", str(CORPUS / "iam" / "passrole-star.json"), "--action", "iam:PassRole",
                     "--resource", "*")
    assert_one_line_error(done, "--principal")


@pytest.mark.parametrize("item", ["aws:SourceIp", "=x", 'aws:TagKeys=["a", 1]', "aws:TagKeys=[oops"])
def test_a_malformed_context_item_is_refused(item):
    done = solomonic("explain", str(PUBLIC), "--action", "s3:GetObject", "--resource", "*", "--context", item)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--context" in done.stderr


def test_help_explains_each_question_with_an_example():
    for question, words in (("check", ["public", "cross-account", "example:", "exit status", "--account"]),
                            ("compare", ["a-allows-more", "example:", "exit status"]),
                            ("explain", ["--context", "multi-valued", "example:", "exit status"])):
        done = solomonic(question, "--help")
        assert done.returncode == 0
        for word in words:
            assert word in done.stdout, (question, word)


def test_an_equivalence_that_holds_for_real_requests_only_says_so_in_its_headline(capsys, tmp_path):
    # iam:Pass* adds only names no AWS action has (iam:PassRole is the one catalogue action it matches)
    for name, action in (("exact", "iam:PassRole"), ("wide", "iam:Pass*")):
        (tmp_path / f"{name}.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": action, "Resource": "*"}]}))
    status, out = policy(capsys, "compare", str(tmp_path / "exact.json"), str(tmp_path / "wide.json"),
                         "--timeout", "120")
    assert status == 0
    headline = out.splitlines()[0]
    assert "EQUIVALENT" in headline and "among requests real callers send" in headline
    assert "well-formed" not in headline
    assert "assuming: only requests real callers send count" in out and "names that hold ':'" not in out


def test_an_equivalence_that_holds_for_well_formed_requests_only_states_that_scope_in_its_headline(capsys,
                                                                                                   tmp_path):
    # `arn:aws:ec2:*:111122223333:*` (its first '*' ends a segment, so it reaches across ':') also matches
    # volume ARNs whose id holds ':'; on every well-formed instance or volume ARN the two policies agree
    owner = {"StringEquals": {"aws:ResourceTag/Owner": "${aws:username}"}}
    volumes = {"Effect": "Allow", "Action": "ec2:AttachVolume", "Resource": "arn:aws:ec2:*:111122223333:volume/*",
               "Condition": owner}
    for name, resource in (("old", "arn:aws:ec2:*:111122223333:instance/*"), ("new", "arn:aws:ec2:*:111122223333:*")):
        (tmp_path / f"{name}.json").write_text(json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "ec2:AttachVolume", "Resource": resource, "Condition": owner}, volumes]}))
    status, out = policy(capsys, "compare", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                         "--timeout", "120")
    assert status == 0
    headline = out.splitlines()[0]
    assert "EQUIVALENT" in headline and "among well-formed requests" in headline and "holding ':'" in headline
    assert "among requests real callers send" not in headline  # the narrower scope is the one the answer has
    assert "assuming: only requests real callers send count" in out and "names that hold ':'" in out
    status, out = policy(capsys, "compare", str(tmp_path / "old.json"), str(tmp_path / "new.json"),
                         "--timeout", "120", "--format", "json")
    answer = json.loads(out)
    assert answer["verdict"] == "equivalent" and answer["reason"].startswith("among well-formed requests")


def test_an_analysis_past_its_time_limit_is_given_up_and_its_errors_still_surface():
    from solomonic.cli import policy as cli

    assert cli.in_time(5, lambda: 7) == 7
    started = time.monotonic()
    assert cli.in_time(0.1, lambda: time.sleep(60)) is None  # given up GRACE_S after the limit
    assert time.monotonic() - started < 0.1 + cli.GRACE_S + 1

    def broken() -> None:
        raise UserError("a bad policy")

    with pytest.raises(UserError, match="a bad policy"):
        cli.in_time(5, broken)


def test_a_compare_past_its_time_limit_answers_unknown_in_time_and_exits():
    # an analysis that never returns (as z3 may, ignoring its interrupt): the command still answers
    script = ("import time, solomonic.policy.analyse as a; a.compare = lambda *_, **__: time.sleep(60); "
              "from solomonic.cli import main; raise SystemExit(main(__import__('sys').argv[1:]))")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script, "policy", "compare", str(PUBLIC), str(FIXED),
                           "--timeout", "0.5", "--format", "json"], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 30
    assert done.returncode == 2, done.stderr
    answer = json.loads(done.stdout)
    assert answer["verdict"] == "unknown" and "time limit (0.5 s)" in answer["reason"]
