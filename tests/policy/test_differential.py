"""Differential tests: on generated small policies and requests, the encoding and the concrete evaluator
decide alike, and every witness `compare` reports replays."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from solomonic.policy.analyse import compare
from solomonic.policy.evaluate import decide
from solomonic.policy.model import Request
from solomonic.policy.unsupported import Unsupported
from tests.policy.test_encode import Unrepresentable, allows, policy

ACTIONS = ["s3:GetObject", "s3:Get*", "s3:*", "*", "s3:?etObject", "iam:PassRole"]
RESOURCES = ["*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/x", "arn:aws:s3:::*", "arn:aws:s3:::b/${aws:username}"]
CONDITIONS = [
    {"StringEquals": {"aws:username": "alice"}}, {"StringNotEquals": {"aws:username": ["alice", "bob"]}},
    {"StringLike": {"s3:prefix": "home/*"}}, {"StringNotLikeIfExists": {"s3:prefix": "tmp/*"}},
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, {"NotIpAddress": {"aws:SourceIp": "10.1.0.0/16"}},
    {"NumericLessThan": {"s3:max-keys": "10"}}, {"Bool": {"aws:SecureTransport": "true"}},
    {"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}, {"Null": {"aws:username": "true"}},
    {"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"ForAllValues:StringLike": {"aws:TagKeys": "a*"}},
]
CONTEXT = {
    "aws:username": st.sampled_from(["alice", "bob", "carol"]),
    "s3:prefix": st.sampled_from(["home/x", "tmp/y", "other"]),
    "aws:SourceIp": st.sampled_from(["10.0.0.1", "10.1.2.3", "192.0.2.1", "2001:db8::1"]),
    "s3:max-keys": st.sampled_from(["3", "10", "12.5"]),
    "aws:SecureTransport": st.sampled_from(["true", "false"]),
    "aws:CurrentTime": st.sampled_from(["2023-05-01T00:00:00Z", "2025-05-01T00:00:00Z"]),
    "aws:TagKeys": st.lists(st.sampled_from(["a", "ab", "b", "c"]), min_size=1, max_size=3).map(tuple),
}


@st.composite
def statements(draw: st.DrawFn) -> dict:
    statement: dict = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    statement["NotAction" if draw(st.booleans()) and draw(st.booleans()) else "Action"] = \
        draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2, unique=True))
    statement["NotResource" if draw(st.integers(0, 4)) == 0 else "Resource"] = \
        draw(st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2, unique=True))
    conditions: dict = {}
    for condition in draw(st.lists(st.sampled_from(CONDITIONS), max_size=2)):
        for operator, body in condition.items():
            conditions.setdefault(operator, {}).update(body)
    if conditions:
        statement["Condition"] = conditions
    return statement


policies = st.lists(statements(), min_size=1, max_size=3).map(lambda s: policy(*s))


@st.composite
def requests(draw: st.DrawFn) -> Request:
    keys = draw(st.lists(st.sampled_from(sorted(CONTEXT)), unique=True, max_size=4))
    context = {key: draw(CONTEXT[key]) for key in keys}
    # a request as AWS builds it: aws:username is the name of the user who signs it, and a role has none
    principal = (f"arn:aws:iam::111122223333:user/{context['aws:username']}" if "aws:username" in context
                 else "arn:aws:iam::111122223333:role/app")
    return Request(principal, draw(st.sampled_from(["s3:GetObject", "s3:PutObject", "iam:PassRole", "s3:getobject"])),
                   draw(st.sampled_from(["arn:aws:s3:::b/x", "arn:aws:s3:::b/alice", "arn:aws:s3:::c/y", "*"])),
                   context)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies, requests())
def test_encoding_agrees_with_the_evaluator(p, request: Request) -> None:  # type: ignore[no-untyped-def]
    try:
        expected = decide(p, request).decision == "allow"
        encoded = allows(p, request)
    except (Unsupported, Unrepresentable):
        assume(False)
    assert encoded is expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies, policies)
def test_compare_witnesses_replay(a, b) -> None:  # type: ignore[no-untyped-def]
    comparison = compare(a, b, timeout_s=10)
    assert "not confirmed" not in comparison.reason
    if comparison.a_not_b is not None:
        assert decide(a, comparison.a_not_b).decision == "allow" != decide(b, comparison.a_not_b).decision
    if comparison.b_not_a is not None:
        assert decide(b, comparison.b_not_a).decision == "allow" != decide(a, comparison.b_not_a).decision
    if comparison.verdict == "equivalent":
        assert comparison.a_not_b is None and comparison.b_not_a is None
