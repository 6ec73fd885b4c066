"""Federated principals (issue 23): a role trusting an identity provider is external access, shown by the call
the provider's users send, and an account's root names its IAM identities, never a provider created in it."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solomonic.policy.analyse import check, compare
from solomonic.policy.evaluate import decide, federated
from solomonic.policy.model import FEDERATED_SESSION_ACTIONS, Request
from tests.policy.test_encode import agree, policy

OWNER = "111122223333"
ROLE = f"arn:aws:iam::{OWNER}:role/web"
SAML = f"arn:aws:iam::{OWNER}:saml-provider/Okta"
OIDC = f"arn:aws:iam::{OWNER}:oidc-provider/token.actions.githubusercontent.com"
AUD = "eu-west-1:12345678-dead-beef-cafe-123456789012"


def trust(principal: dict, action: str | list[str] = "sts:AssumeRoleWithWebIdentity", **extra: object) -> dict:
    return {"Effect": "Allow", "Principal": principal, "Action": action, **extra}


def test_a_cognito_trust_is_external_access_with_the_audience_it_names() -> None:
    p = policy(trust({"Federated": "cognito-identity.amazonaws.com"},
                     Condition={"StringEquals": {"cognito-identity.amazonaws.com:aud": AUD}}))
    result = check(p, account=OWNER)
    assert result.public is False and result.cross_account is True and not result.reason
    witness = result.cross_account_witness
    assert witness is not None and witness.principal == "cognito-identity.amazonaws.com"
    assert witness.action == "sts:AssumeRoleWithWebIdentity"
    assert witness.context["cognito-identity.amazonaws.com:aud"] == AUD
    assert decide(p, witness).decision == "allow"
    (finding,) = result.findings
    assert finding.code == "cross-account-access" and "federated principal" in finding.message


def test_a_saml_provider_of_the_owner_account_is_external_access_by_assume_role_with_saml() -> None:
    p = policy(trust({"Federated": SAML}, ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                     Condition={"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}))
    result = check(p, account=OWNER)
    witness = result.cross_account_witness
    assert result.cross_account is True and witness is not None
    assert (witness.principal, witness.action) == (SAML, "sts:AssumeRoleWithSAML")
    assert witness.context == {"SAML:aud": "https://signin.aws.amazon.com/saml"}


def test_a_federated_grant_every_call_of_which_is_denied_is_no_external_access() -> None:
    aud = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
    denied = policy(trust({"Federated": OIDC}, Condition={"StringEquals": aud}),
                    {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRoleWith*",
                     "Condition": {"StringEquals": aud}})
    result = check(denied, account=OWNER)
    assert result.cross_account is False and not result.reason


def test_a_federated_grant_conditioned_on_a_principal_key_allows_no_federated_call() -> None:
    """AssumeRoleWithWebIdentity is unsigned: it carries no aws:PrincipalAccount, so this grant is dead."""
    p = policy(trust({"Federated": "accounts.google.com"},
                     Condition={"StringEquals": {"aws:PrincipalAccount": OWNER}}))
    result = check(p, account=OWNER)
    assert result.cross_account is False and not result.reason


def test_an_account_root_grant_names_no_identity_provider_of_the_account() -> None:
    root = trust({"AWS": f"arn:aws:iam::{OWNER}:root"}, ["sts:AssumeRole", "sts:AssumeRoleWithSAML"])
    with_saml = {**root, "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root", "Federated": SAML}}
    saml_call = Request(SAML, "sts:AssumeRoleWithSAML", ROLE)
    agree(policy(root), saml_call, False)
    agree(policy(with_saml), saml_call, True)
    agree(policy(root), Request(f"arn:aws:iam::{OWNER}:role/admin", "sts:AssumeRole", ROLE), True)
    comparison = compare(policy(root), policy(with_saml))
    assert comparison.verdict == "b-allows-more" and comparison.b_not_a is not None
    assert comparison.b_not_a.principal == SAML and comparison.b_not_a.action == "sts:AssumeRoleWithSAML"


def test_the_evaluator_tells_federated_principals_by_name() -> None:
    assert federated(SAML) == "sts:AssumeRoleWithSAML"
    assert federated(OIDC) == federated("www.amazon.com") == "sts:AssumeRoleWithWebIdentity"
    assert federated(ROLE) is None and federated("lambda.amazonaws.com") is None and federated("*") is None


def test_a_canonical_user_grant_stays_unknown_beside_a_federated_one() -> None:
    canonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    p = policy({"Effect": "Allow", "Principal": {"CanonicalUser": canonical}, "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*"})
    result = check(p, account=OWNER)
    assert result.cross_account is None and canonical in result.reason


PRINCIPALS = [{"AWS": OWNER}, {"AWS": f"arn:aws:iam::{OWNER}:root"}, {"AWS": "444455556666"}, {"AWS": ROLE},
              {"Federated": SAML}, {"Federated": OIDC}, {"Federated": "cognito-identity.amazonaws.com"},
              {"Service": "lambda.amazonaws.com"}, "*"]
CALLERS = [SAML, OIDC, "cognito-identity.amazonaws.com", "accounts.google.com", ROLE,
           f"arn:aws:iam::{OWNER}:user/alice", "arn:aws:iam::444455556666:role/x", "lambda.amazonaws.com", "*"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PRINCIPALS), st.booleans(), st.booleans()), min_size=1, max_size=3),
       st.sampled_from(CALLERS), st.sampled_from(["sts:AssumeRole", "sts:AssumeRoleWithSAML",
                                                   "sts:AssumeRoleWithWebIdentity", "sts:TagSession"]))
def test_encoding_and_evaluator_agree_on_principals(statements, caller, action) -> None:  # type: ignore[no-untyped-def]
    # a federated principal is only in its users' calls (the encoding's universe leaves the others out)
    assume(federated(caller) is None or action in (federated(caller), *FEDERATED_SESSION_ACTIONS))
    p = policy(*({"Effect": "Deny" if deny else "Allow", "NotPrincipal" if negated and principal != "*"
                  else "Principal": principal, "Action": "sts:*"} for principal, deny, negated in statements))
    request = Request(caller, action, ROLE)
    agree(p, request, decide(p, request).decision == "allow")
