"""check and compare on typical policies: every witness is replayed by the concrete evaluator."""

from __future__ import annotations

from solomonic.policy.analyse import check, compare
from solomonic.policy.evaluate import decide
from solomonic.policy.model import Policy
from tests.policy.test_encode import grant, policy

BUCKET = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}


def test_public_read_is_public_with_an_anonymous_witness() -> None:
    result = check(policy(BUCKET))
    assert result.public is True
    assert result.public_witness is not None and result.public_witness.principal == "*"
    assert decide(policy(BUCKET), result.public_witness).decision == "allow"
    assert result.cross_account is None and "--account" in result.reason


def test_source_ip_and_org_conditions_make_a_grant_non_public_and_are_named() -> None:
    for key, operator, value in [("aws:SourceIp", "IpAddress", "203.0.113.0/24"),
                                 ("aws:PrincipalOrgID", "StringEquals", "o-abc123"),
                                 ("aws:SourceVpce", "StringEquals", "vpce-1a2b")]:
        result = check(policy({**BUCKET, "Condition": {operator: {key: value}}}))
        assert result.public is False, key
        assert key in result.conditions


def test_a_negated_ip_condition_stays_public() -> None:
    result = check(policy({**BUCKET, "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}))
    assert result.public is True


def test_cross_account_role_grant() -> None:
    p = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/reader"},
                "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:q"})
    result = check(p)
    assert result.public is False and result.cross_account is True
    assert result.cross_account_witness is not None
    assert result.cross_account_witness.principal == "arn:aws:iam::444455556666:role/reader"
    assert check(p, account="444455556666").cross_account is False


def test_a_grant_to_a_canonical_user_leaves_cross_account_access_unknown() -> None:
    """A canonical user id names an account in S3's own naming: which one, the policy does not say."""
    canonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    result = check(policy({**BUCKET, "Principal": {"CanonicalUser": canonical}}), account="111122223333")
    assert result.public is False and result.cross_account is None
    assert canonical in result.reason and "canonical user" in result.reason
    denied = check(policy({**BUCKET, "Effect": "Deny", "Principal": {"CanonicalUser": canonical}}),
                   account="111122223333")
    assert denied.cross_account is False


def test_identity_findings_carry_real_principals_and_locations() -> None:
    p = policy({"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*"},
               {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    result = check(p)
    codes = {f.code: f for f in result.findings}
    assert {"pass-role-on-any-role", "allow-not-action"} <= set(codes)
    for finding in result.findings:
        assert finding.witness is not None and finding.witness.principal.startswith("arn:aws:iam::")
        assert decide(p, finding.witness).decision == "allow"
    assert codes["allow-not-action"].location == p.statements[1].location
    assert "full-admin" in {f.code for f in check(policy({"Effect": "Allow", "Action": "*", "Resource": "*"})).findings}


def _replayed(a, b, comparison) -> None:  # type: ignore[no-untyped-def]
    if comparison.a_not_b is not None:
        assert decide(a, comparison.a_not_b).decision == "allow" != decide(b, comparison.a_not_b).decision
    if comparison.b_not_a is not None:
        assert decide(b, comparison.b_not_a).decision == "allow" != decide(a, comparison.b_not_a).decision


def test_compare_on_mutants() -> None:
    original = policy(grant({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    mutants = {
        "b-allows-more": [policy(grant({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, Action="s3:Get*")),
                          policy(grant())],
        "both-allow-more": [policy({"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                                    "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}})],
        "a-allows-more": [policy({**grant({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}), "Effect": "Deny"})],
        "equivalent": [policy(grant({"IpAddress": {"aws:SourceIp": ["10.0.0.0/9", "10.128.0.0/9"]}}))],
    }
    for verdict, policies in mutants.items():
        for mutant in policies:
            comparison = compare(original, mutant)
            assert comparison.verdict == verdict, (verdict, comparison.reason)
            _replayed(original, mutant, comparison)
            assert (comparison.a_not_b is not None) == (verdict in ("a-allows-more", "both-allow-more"))
            assert (comparison.b_not_a is not None) == (verdict in ("b-allows-more", "both-allow-more"))


def test_a_difference_only_on_unreal_actions_is_said_and_not_a_witness() -> None:
    # iam:Pass* and iam:PassRole differ only on names such as iam:pass, which no catalogue action is
    exact, wide = policy(grant(Action="iam:PassRole", Resource="*")), policy(grant(Action="iam:Pass*", Resource="*"))
    comparison = compare(exact, wide)
    assert comparison.verdict == "equivalent" and comparison.b_not_a is None
    assert "real actions" in comparison.reason and any("catalogue" in a for a in comparison.assumptions)
    assert compare(exact, policy(grant(Action="iam:*", Resource="*"))).verdict == "b-allows-more"


def test_a_difference_only_on_resources_of_other_types_is_said_and_not_a_witness() -> None:
    # rds:Reboot* adds RebootDBCluster and RebootDBShardGroup, which take cluster: and shard-group: ARNs, not db:
    db = "arn:aws:rds:eu-west-1:111122223333:db:orders-*"
    exact = policy(grant(Action="rds:RebootDBInstance", Resource=db))
    comparison = compare(exact, policy(grant(Action="rds:Reboot*", Resource=db)))
    assert comparison.verdict == "equivalent", comparison.reason
    assert "resources of types they take" in comparison.reason
    # a cluster ARN among the resources: RebootDBCluster is a real difference, with a witness
    wider = compare(exact, policy(grant(Action="rds:Reboot*", Resource=[db, db.replace(":db:", ":cluster:")])))
    assert wider.verdict == "b-allows-more" and wider.b_not_a is not None
    assert wider.b_not_a.action == "rds:RebootDBCluster"


def test_escaped_wildcard_is_a_literal_character() -> None:
    literal = policy(grant(Resource="arn:aws:s3:::b/${*}"))
    result = compare(literal, policy(grant(Resource="arn:aws:s3:::b/*")))
    assert result.verdict == "b-allows-more"
    assert result.b_not_a is not None and result.b_not_a.resource != "arn:aws:s3:::b/*"


def test_a_numeric_set_gets_an_element_per_interval() -> None:
    # three elements are needed (below, at and above 10) though the policy names one number: a bound of
    # "each value and none of them" (2) would make the grant look empty, and the pair equivalent
    all_three = {f"ForAnyValue:Numeric{op}": {"ec2:Counts": "10"} for op in ("LessThan", "Equals", "GreaterThan")}
    comparison = compare(policy(grant(all_three)), policy(grant(Action="s3:PutObject")))
    assert comparison.verdict in ("a-allows-more", "both-allow-more"), comparison.reason
    assert comparison.a_not_b is not None and len(comparison.a_not_b.context["ec2:Counts"]) == 3


def test_a_principal_pattern_and_its_neighbour_part_on_a_name_the_policy_gives() -> None:
    # role/data-admin-* and role/data-admin-*x differ on role/data-admin- (the star as nothing)
    def deny_except(pattern: str) -> Policy:
        return policy({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:DeleteObject",
                       "Resource": "arn:aws:s3:::b/*"},
                      {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/*",
                       "Condition": {"ArnNotLike": {"aws:PrincipalArn": pattern}}})
    comparison = compare(deny_except("arn:aws:iam::111122223333:role/data-admin-*"),
                         deny_except("arn:aws:iam::111122223333:role/data-admin-*x"))
    assert comparison.verdict == "a-allows-more", comparison.reason
    assert comparison.a_not_b is not None and comparison.a_not_b.principal.endswith(":role/data-admin-")
