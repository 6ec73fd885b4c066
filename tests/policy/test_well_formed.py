"""Requests AWS builds (issue 23): a federated principal is only in its users' calls, a difference that shows
only on requests AWS never builds is a definite answer under a stated assumption (for ARNs whose parts hold
':', `test_search_limits`), and every witness is checked against the facts again without z3
(`well_formed`)."""

from __future__ import annotations

from solomonic.policy.analyse import compare
from solomonic.policy.catalogue import catalogue
from solomonic.policy.evaluate import decide
from solomonic.policy.model import FEDERATED_SESSION_ACTIONS, Request
from solomonic.policy.result import Comparison
from solomonic.policy.solve import REAL_ONLY
from solomonic.policy.well_formed import problem
from tests.policy.test_encode import allows, policy

OWNER = "111122223333"
ROLE = f"arn:aws:iam::{OWNER}:role/web"
SAML = f"arn:aws:iam::{OWNER}:saml-provider/Okta"
OIDC = f"arn:aws:iam::{OWNER}:oidc-provider/token.actions.githubusercontent.com"


def trust(principal: str, **element: object) -> dict:
    return {"Effect": "Allow", "Principal": {"Federated": principal}, **element}


def witnesses(comparison: Comparison) -> list[Request]:
    return [w for w in (comparison.a_not_b, comparison.b_not_a) if w is not None]


def test_a_federated_principal_sends_only_its_calls() -> None:
    p = policy(trust(SAML, Action="sts:*"))
    for action in ("sts:AssumeRoleWithSAML", *FEDERATED_SESSION_ACTIONS):
        assert allows(p, Request(SAML, action, ROLE))
        assert problem(Request(SAML, action, ROLE), catalogue()) is None
    other = Request(SAML, "sts:AssumeRole", ROLE)
    assert decide(p, other).decision == "allow"  # the evaluator decides it; the request is not one AWS builds
    assert "sends only sts:AssumeRoleWithSAML" in (problem(other, catalogue()) or "")
    try:
        allows(p, other)
    except AssertionError as error:
        assert "outside the encoding's universe" in str(error)
    else:
        raise AssertionError("a SAML provider's sts:AssumeRole is in the universe")


def test_widening_a_federated_trust_to_what_its_users_never_send_changes_nothing() -> None:
    old = policy(trust(OIDC, Action="sts:AssumeRoleWithWebIdentity"))
    comparison = compare(old, policy(trust(OIDC, Action="sts:AssumeRole*")))
    assert comparison.verdict == "equivalent" and comparison.real_requests_only
    assert REAL_ONLY in comparison.assumptions
    assert any("sts:TagSession" in a for a in comparison.assumptions)


def test_widening_to_sts_star_grants_the_session_actions_a_federated_call_asks_about() -> None:
    old = policy(trust(SAML, Action="sts:AssumeRoleWithSAML"))
    comparison = compare(old, policy(trust(SAML, Action="sts:*")))
    assert comparison.verdict == "b-allows-more" and comparison.b_not_a is not None
    assert comparison.b_not_a.principal == SAML and comparison.b_not_a.action in FEDERATED_SESSION_ACTIONS


def test_not_action_on_a_federated_trust_allows_tag_session() -> None:
    old = policy(trust(OIDC, Action="sts:AssumeRoleWithWebIdentity"))
    comparison = compare(old, policy(trust(OIDC, NotAction="sts:AssumeRoleWithWebIdentity")))
    assert comparison.verdict == "both-allow-more"
    assert comparison.b_not_a is not None and comparison.b_not_a.action in FEDERATED_SESSION_ACTIONS
    for witness in witnesses(comparison):
        assert problem(witness, catalogue()) is None


def test_not_action_beside_a_grant_on_every_resource_is_shown_on_the_named_key() -> None:
    """The complement of a NotAction is shown by an action that takes the resource the statement names (a
    KMS key), not by the first actions by name that take `*`."""
    key = f"arn:aws:kms:eu-west-1:{OWNER}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    via = {"StringEquals": {"aws:CalledViaFirst": "athena.amazonaws.com"}}
    data = {"Effect": "Allow", "Action": ["s3:GetObject", "glue:GetTable"], "Resource": "*"}
    old = policy(data, {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key, "Condition": via})
    new = policy(data, {"Effect": "Allow", "NotAction": "kms:Decrypt", "Resource": key, "Condition": via})
    comparison = compare(old, new)
    assert comparison.verdict == "both-allow-more", comparison.reason
    assert comparison.b_not_a is not None and comparison.b_not_a.resource == key
    assert comparison.b_not_a.action.startswith("kms:")


def test_the_checker_names_what_aws_never_builds() -> None:
    bucket = "arn:aws:s3:::reports"
    assert problem(Request(ROLE, "s3:ListBucket", bucket), catalogue()) is None
    assert problem(Request(ROLE, "s3:GetObject", f"{bucket}/2024/q1.csv"), catalogue()) is None
    assert "not an action" in (problem(Request(ROLE, "s3:Get", bucket), catalogue()) or "")
    assert "not an ARN of a type" in (problem(Request(ROLE, "s3:GetObject", bucket), catalogue()) or "")
    assert "not an ARN of a type" in (problem(Request(ROLE, "s3:ListBucket", f"{bucket}/x"), catalogue()) or "")
    assert problem(Request(ROLE, "s3:ListAllMyBuckets", "*"), catalogue()) is None
    assert problem(Request("cognito-identity.amazonaws.com", "sts:AssumeRoleWithSAML", ROLE), catalogue())
