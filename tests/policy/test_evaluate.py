"""The concrete evaluator: AWS's single-policy logic, each element and its Not form, principals, variables."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solomonic.policy.document import parse
from solomonic.policy.evaluate import Evaluation, Unsupported, decide, matches
from solomonic.policy.model import Request

ACCOUNT = "111122223333"
OTHER = "444455556666"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
OBJECT = "arn:aws:s3:::bucket/report.csv"


def policy(*statements, version="2012-10-17", kind=None):
    return parse(json.dumps({"Version": version, "Statement": list(statements)}), "p.json", kind)


def request(action="s3:GetObject", resource=OBJECT, principal=ROLE, **context):
    return Request(principal, action, resource, {key.replace("__", ":"): value for key, value in context.items()})


def allow(**fields):
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*", **fields}


def deny(**fields):
    return {**allow(**fields), "Effect": "Deny"}


def test_allow_explicit_deny_and_implicit_deny():
    granted = decide(policy(allow()), request())
    assert granted == Evaluation("allow", (policy(allow()).statements[0],), granted.notes)
    assert decide(policy(allow()), request(action="s3:PutObject")).decision == "implicit-deny"
    both = policy(allow(Sid="A"), deny(Sid="D"))
    outcome = decide(both, request())
    assert outcome.decision == "explicit-deny" and [s.sid for s in outcome.deciding] == ["D"]
    assert decide(policy(deny()), request()).decision == "explicit-deny"
    nothing = decide(policy(deny()), request(action="s3:PutObject"))
    assert nothing.decision == "implicit-deny" and nothing.deciding == ()


def test_every_matching_allow_is_deciding_and_notes_name_each_statement():
    outcome = decide(policy(allow(Sid="One"), allow(Sid="Two", Action="s3:*"), allow(Sid="No", Action="ec2:*")),
                     request())
    assert [s.sid for s in outcome.deciding] == ["One", "Two"]
    assert len(outcome.notes) == 3
    assert outcome.notes[2].startswith("statement 2 'No' (Allow, line ")
    assert "does not match" in outcome.notes[2] and "s3:GetObject matches no Action value" in outcome.notes[2]


def test_action_names_are_case_insensitive_and_take_wildcards():
    assert decide(policy(allow(Action="S3:get*")), request(action="s3:GetObject")).decision == "allow"
    assert decide(policy(allow(Action="s3:Get?bject")), request()).decision == "allow"
    assert decide(policy(allow(Action="*")), request(action="ec2:RunInstances", resource=OBJECT)).decision == "allow"
    assert decide(policy(allow(Action="s3:List*")), request()).decision == "implicit-deny"


def test_not_action_matches_every_other_action():
    statement = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    assert decide(policy(statement), request(action="s3:GetObject")).decision == "allow"
    assert decide(policy(statement), request(action="IAM:CreateUser")).decision == "implicit-deny"


def test_resources_are_case_sensitive_and_not_resource_is_the_complement():
    assert decide(policy(allow()), request(resource="arn:aws:s3:::Bucket/x")).decision == "implicit-deny"
    statement = {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::public/*"]}
    mixed = policy(allow(Resource="*"), statement)
    assert decide(mixed, request(resource="arn:aws:s3:::public/a")).decision == "allow"
    assert decide(mixed, request(resource="arn:aws:s3:::private/a")).decision == "explicit-deny"


def resource_policy(principal, *, negated=False, effect="Allow"):
    element = "NotPrincipal" if negated else "Principal"
    return policy({"Effect": effect, element: principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"})


@pytest.mark.parametrize("everyone", ["*", {"AWS": "*"}])
def test_everyone_includes_the_anonymous_principal(everyone):
    for principal in ("*", ROLE, f"arn:aws:iam::{OTHER}:root", "s3.amazonaws.com"):
        assert decide(resource_policy(everyone), request(principal=principal)).decision == "allow"


@pytest.mark.parametrize("account", [ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root"])
def test_an_account_is_every_principal_of_that_account(account):
    granted = resource_policy({"AWS": account})
    for principal in (ROLE, f"arn:aws:iam::{ACCOUNT}:user/bob", f"arn:aws:iam::{ACCOUNT}:root",
                      f"arn:aws:sts::{ACCOUNT}:assumed-role/app/session"):
        assert decide(granted, request(principal=principal)).decision == "allow"
    for principal in ("*", f"arn:aws:iam::{OTHER}:role/app", "s3.amazonaws.com"):
        assert decide(granted, request(principal=principal)).decision == "implicit-deny"


def test_a_role_arn_is_that_role_and_a_service_is_that_service():
    granted = resource_policy({"AWS": ROLE, "Service": "cloudtrail.amazonaws.com"})
    assert decide(granted, request(principal=ROLE)).decision == "allow"
    assert decide(granted, request(principal=f"arn:aws:iam::{ACCOUNT}:role/other")).decision == "implicit-deny"
    assert decide(granted, request(principal=f"arn:aws:iam::{ACCOUNT}:root")).decision == "implicit-deny"
    assert decide(granted, request(principal="cloudtrail.amazonaws.com")).decision == "allow"
    assert decide(granted, request(principal="*")).decision == "implicit-deny"


def test_not_principal_matches_everyone_not_named():
    denied = policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"},
                    {"Effect": "Deny", "NotPrincipal": {"AWS": ACCOUNT}, "Action": "s3:*",
                     "Resource": "arn:aws:s3:::bucket/*"})
    assert decide(denied, request(principal=ROLE)).decision == "allow"
    assert decide(denied, request(principal="*")).decision == "explicit-deny"
    assert decide(denied, request(principal=f"arn:aws:iam::{OTHER}:root")).decision == "explicit-deny"


def test_principals_the_evaluator_does_not_model_are_unsupported():
    with pytest.raises(Unsupported, match="wildcard inside a principal"):
        decide(resource_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:role/*"}), request())
    with pytest.raises(Unsupported, match="role session"):
        decide(resource_policy({"AWS": ROLE}), request(principal=f"arn:aws:sts::{ACCOUNT}:assumed-role/app/s"))


def test_a_statement_without_principal_applies_to_the_identity_and_without_resource_to_any_resource():
    trust = policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    assert decide(trust, request(action="sts:AssumeRole", resource=ROLE, principal="ec2.amazonaws.com")).decision == "allow"
    assert decide(policy(allow()), request(principal=f"arn:aws:iam::{OTHER}:user/x")).decision == "allow"


def test_policy_variables_in_resources_need_version_2012_10_17():
    home = allow(Resource="arn:aws:s3:::bucket/home/${aws:username}/*")
    mine = request(resource="arn:aws:s3:::bucket/home/alice/notes", aws__username="alice")
    assert decide(policy(home), mine).decision == "allow"
    assert decide(policy(home), request(resource="arn:aws:s3:::bucket/home/bob/x", aws__username="alice")
                  ).decision == "implicit-deny"
    literal = request(resource="arn:aws:s3:::bucket/home/${aws:username}/x", aws__username="alice")
    assert decide(policy(home, version="2008-10-17"), mine).decision == "implicit-deny"
    assert decide(policy(home, version="2008-10-17"), literal).decision == "allow"


def test_a_variable_with_no_value_matches_no_resource_unless_it_has_a_default():
    home = allow(Resource="arn:aws:s3:::bucket/home/${aws:username}/*")
    assert decide(policy(home), request(resource="arn:aws:s3:::bucket/home//x")).decision == "implicit-deny"
    fallback = allow(Resource="arn:aws:s3:::bucket/home/${aws:username, 'shared'}/*")
    assert decide(policy(fallback), request(resource="arn:aws:s3:::bucket/home/shared/x")).decision == "allow"
    excluded = {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::bucket/home/${aws:username}/*"}
    assert decide(policy(allow(), excluded), request()).decision == "explicit-deny"


def test_escapes_are_literal_characters():
    starred = allow(Resource="arn:aws:s3:::bucket/${*}")
    assert decide(policy(starred), request(resource="arn:aws:s3:::bucket/*")).decision == "allow"
    assert decide(policy(starred), request(resource="arn:aws:s3:::bucket/x")).decision == "implicit-deny"
    dollars = allow(Resource="arn:aws:s3:::bucket/${$}{x}${?}")
    assert decide(policy(dollars), request(resource="arn:aws:s3:::bucket/${x}?")).decision == "allow"


def test_variables_the_evaluator_does_not_model_are_unsupported():
    with pytest.raises(Unsupported, match="multi-valued"):
        decide(policy(allow(Resource="arn:aws:s3:::bucket/${aws:TagKeys}")), request(aws__TagKeys=("a",)))
    with pytest.raises(Unsupported, match="wildcard"):
        decide(policy(allow(Resource="arn:aws:s3:::bucket/${aws:PrincipalTag/p}")),
               Request(ROLE, "s3:GetObject", OBJECT, {"aws:PrincipalTag/p": "*"}))
    with pytest.raises(Unsupported, match="documented form"):
        decide(policy(allow(Resource="arn:aws:s3:::bucket/${aws:username")), request())


def test_conditions_and_together():
    guarded = allow(Condition={"Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})
    assert decide(policy(guarded), request(aws__SecureTransport="true", aws__SourceIp="10.1.1.1")).decision == "allow"
    assert decide(policy(guarded), request(aws__SecureTransport="true", aws__SourceIp="11.1.1.1")
                  ).decision == "implicit-deny"
    assert decide(policy(guarded), request(aws__SourceIp="10.1.1.1")).decision == "implicit-deny"


def test_unsupported_only_where_the_decision_depends_on_it():
    odd = {"StringEquals": {"aws:TagKeys": "x"}}  # a multi-valued key without a set operator
    tags = {"aws:TagKeys": ("x",)}
    # a Deny that matches decides, whatever an unmodelled Allow holds
    decided = policy(allow(Condition=odd), deny())
    assert decide(decided, Request(ROLE, "s3:GetObject", OBJECT, tags)).decision == "explicit-deny"
    # a statement with a failing element does not match, whatever its unmodelled element
    assert decide(policy(allow(Action="ec2:*", Condition=odd)), Request(ROLE, "s3:GetObject", OBJECT, tags)
                  ).decision == "implicit-deny"
    # an unmodelled Deny makes an Allow unknown
    with pytest.raises(Unsupported, match="ForAllValues"):
        decide(policy(allow(), deny(Condition=odd)), Request(ROLE, "s3:GetObject", OBJECT, tags))
    # and an unmodelled Allow an implicit deny
    with pytest.raises(Unsupported):
        decide(policy(allow(Condition=odd)), Request(ROLE, "s3:GetObject", OBJECT, tags))
    assert "not modelled" in decide(decided, Request(ROLE, "s3:GetObject", OBJECT, tags)).notes[0]


ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:*", "s3:Get*", "ec2:*", "*"]
RESOURCES = ["*", "arn:aws:s3:::a/*", "arn:aws:s3:::b/*", "arn:aws:s3:::a/x"]
PRINCIPALS = ["*", ACCOUNT, OTHER, ROLE, f"arn:aws:iam::{OTHER}:root"]
REQUEST_ACTIONS = ["s3:GetObject", "s3:putobject", "ec2:RunInstances"]
REQUEST_RESOURCES = ["arn:aws:s3:::a/x", "arn:aws:s3:::b/y", "arn:aws:s3:::c"]
REQUEST_PRINCIPALS = ["*", ROLE, f"arn:aws:iam::{OTHER}:role/r", "s3.amazonaws.com"]


@given(st.sampled_from(["Action", "Resource", "Principal"]), st.lists(st.sampled_from(ACTIONS), min_size=1),
       st.lists(st.sampled_from(RESOURCES), min_size=1), st.lists(st.sampled_from(PRINCIPALS), min_size=1),
       st.sampled_from(REQUEST_ACTIONS), st.sampled_from(REQUEST_RESOURCES), st.sampled_from(REQUEST_PRINCIPALS))
def test_each_not_form_matches_exactly_the_requests_its_positive_form_does_not(
        element, actions, resources, principals, action, resource, principal):
    fields = {"Effect": "Allow", "Action": actions, "Resource": resources, "Principal": {"AWS": principals}}
    plain = policy(fields)
    flipped = dict(fields)
    flipped[f"Not{element}"] = flipped.pop(element)
    negated = policy(flipped)
    probe = Request(principal, action, resource)
    parts = [(plain, plain.statements[0]), (negated, negated.statements[0])]
    others = {"Action": _action_hit(actions, action), "Resource": _resource_hit(resources, resource),
              "Principal": _principal_hit(principals, principal)}
    rest = all(hit for name, hit in others.items() if name != element)
    assert matches(parts[0][1], probe, parts[0][0]) == (rest and others[element])
    assert matches(parts[1][1], probe, parts[1][0]) == (rest and not others[element])


def _action_hit(patterns, action):
    return any(p == "*" or p.lower() == action.lower() or (p.endswith("*") and action.lower().startswith(p[:-1].lower()))
               for p in patterns)


def _resource_hit(patterns, resource):
    return any(p == "*" or p == resource or (p.endswith("*") and resource.startswith(p[:-1])) for p in patterns)


def _principal_hit(patterns, principal):
    def one(p):
        if p == "*":
            return True
        if p.isdigit():
            return principal.startswith(("arn:aws:iam::" + p + ":", "arn:aws:sts::" + p + ":"))
        if p.endswith(":root"):
            return principal.startswith(p[: -len("root")])
        return p == principal
    return any(one(p) for p in patterns)


OPERATORS = ["StringEquals", "StringNotLike", "StringLikeIfExists", "ForAnyValue:StringEquals",
             "ForAllValues:StringNotEquals", "NumericLessThan", "DateGreaterThan", "Bool", "IpAddress",
             "NotIpAddress", "ArnLike", "Null", "BinaryEquals"]
KEYS = ["aws:SourceIp", "aws:username", "aws:TagKeys", "aws:CurrentTime", "s3:max-keys"]
VALUES = ["10.0.0.0/8", "alice", "a*", "3", "2024-01-01T00:00:00Z", "true", "arn:aws:s3:::a", "QmluYXJ5",
          "${aws:username}", "${aws:userid, 'x'}", "${*}"]
CONTEXT_VALUES = st.one_of(st.sampled_from(["10.1.1.1", "alice", "ab", "2", "2025-01-01T00:00:00Z", "true",
                                            "arn:aws:s3:::a", "QmluYXJ5", "x"]),
                           st.lists(st.sampled_from(["a", "ab", "x"]), max_size=3).map(tuple))
statements = st.fixed_dictionaries({
    "Effect": st.sampled_from(["Allow", "Deny"]),
    "Action": st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2),
    "Resource": st.lists(st.sampled_from([*RESOURCES, "arn:aws:s3:::${aws:username}/*"]), min_size=1, max_size=2),
    "Condition": st.dictionaries(st.sampled_from(OPERATORS),
                                 st.dictionaries(st.sampled_from(KEYS), st.lists(st.sampled_from(VALUES), max_size=2),
                                                 min_size=1, max_size=2), max_size=2),
})
requests = st.builds(Request, st.just(ROLE), st.sampled_from(REQUEST_ACTIONS),
                     st.sampled_from([*REQUEST_RESOURCES, "arn:aws:s3:::alice/x"]),
                     st.dictionaries(st.sampled_from(KEYS), CONTEXT_VALUES, max_size=4))


def outcome(statements_, probe):
    try:
        return decide(policy(*statements_), probe).decision
    except Unsupported:
        return None


@given(st.lists(statements, min_size=1, max_size=3), statements, requests)
def test_a_deny_never_grants_and_an_allow_never_takes_away(base, extra, probe):
    before = outcome(base, probe)
    after = outcome([*base, extra], probe)
    if before is None or after is None:
        return
    if extra["Effect"] == "Deny":
        assert after == before or after == "explicit-deny"
    else:
        assert after == before or (before == "implicit-deny" and after == "allow")


def test_an_identity_policy_never_applies_to_an_anonymous_request():
    outcome = decide(policy(allow()), request(principal="*"))
    assert outcome.decision == "implicit-deny" and "anonymous" in outcome.notes[0]


def test_a_malformed_escape_is_not_read_as_a_variable():
    with pytest.raises(Unsupported, match="documented form"):
        decide(policy(allow(Resource="arn:aws:s3:::bucket/${ * }")), request())


def test_the_evaluator_is_independent_of_the_encoding():
    """The oracle loads neither z3 nor the encoding: a witness it confirms is confirmed independently."""
    import subprocess
    import sys

    code = ("import sys; import solomonic.policy.evaluate, solomonic.policy.document, solomonic.policy.catalogue; "
            "loaded = [m for m in sys.modules if m == 'z3' or m.startswith(('z3.', 'solomonic.policy.encode'))]; "
            "print(loaded)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_variable_whose_key_is_present_but_empty_is_unsupported():
    with pytest.raises(Unsupported, match="empty value"):
        decide(policy(allow(Resource="arn:aws:s3:::bucket/home/${aws:username}/*")),
               request(resource="arn:aws:s3:::bucket/home//x", aws__username=""))


def test_a_wildcard_in_the_service_prefix_is_unsupported_where_it_decides():
    with pytest.raises(Unsupported, match="service prefix"):
        decide(policy(allow(Action="s3*:GetObject")), request())
    assert decide(policy(allow(Action=["*:Get*", "s3:GetObject"])), request()).decision == "allow"
