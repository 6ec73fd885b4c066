"""The z3 encoding, one operator family at a time: for a concrete request, pinned into the symbolic one, the
encoding allows exactly when AWS's documented semantics (and the concrete evaluator) do."""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import datetime
from fractions import Fraction

import pytest
import z3

from solomonic.policy.document import parse
from solomonic.policy.encode import Encoder
from solomonic.policy.evaluate import decide
from solomonic.policy.model import Policy, Request
from solomonic.policy.variables import lookup

USER = "arn:aws:iam::111122223333:user/alice"


def policy(*statements: dict, version: str = "2012-10-17") -> Policy:
    return parse(json.dumps({"Version": version, "Statement": list(statements)}), "test.json")


class Unrepresentable(Exception):
    """A request whose set of values is larger than the encoding's bound for that key (each set with at most
    the bound's number of values stands for all the others: `encode_request`)."""


def pin(encoder: Encoder, request: Request) -> list[z3.BoolRef]:
    """Constraints that make the symbolic request equal `request`."""
    r = encoder.request
    out = [r.action == z3.StringVal(request.action.lower()), r.resource == z3.StringVal(request.resource)]
    iam = re.fullmatch(r"arn:([^:]+):iam::(\d{12}):(.+)", request.principal)
    if request.principal == "*":
        out += [r.anonymous, z3.Not(r.is_iam)]
    elif iam:
        # a provider's name is read as the provider, as AWS reads it (the universe also holds an identity
        # of that name, which no real request is: `encode_request`)
        out += [z3.Not(r.anonymous), r.is_iam, r.partition == z3.StringVal(iam[1]),
                r.account == z3.StringVal(iam[2]), r.name == z3.StringVal(iam[3]),
                r.is_provider == bool(re.match(r"(?:saml|oidc)-provider/.", iam[3]))]
    else:
        out += [z3.Not(r.anonymous), z3.Not(r.is_iam), r.other == z3.StringVal(request.principal)]
    for key in r.keys.values():
        value = lookup(request.context, key.name)
        if value is None:
            out.append(z3.Not(key.present))
            continue
        values = tuple(dict.fromkeys(value)) if isinstance(value, tuple) else (value,)  # a set: repeats count once
        if len(values) > len(key.values):
            raise Unrepresentable(f"{key.name} has {len(values)} values, the encoding's bound is {len(key.values)}")
        out.append(key.present)
        if key.count is not None:
            out.append(key.count == len(values))
        out += [_equals(key.sort, term, text) for term, text in zip(key.values, values)]
    return out


def _equals(sort: str, term: object, text: str) -> z3.BoolRef:
    if sort == "number":
        return term == z3.RealVal(str(Fraction(text)))
    if sort == "date":
        return term == int(datetime.fromisoformat(text).timestamp()) if not text.isdigit() else term == int(text)
    if sort == "ip":
        address = ipaddress.ip_address(text)
        is_v6, bits = term  # type: ignore[misc]
        return z3.And(is_v6 == (address.version == 6), bits == int(address))
    return term == z3.StringVal(text)


def allows(p: Policy, request: Request) -> bool:
    """The encoding's decision on one concrete request."""
    encoder = Encoder([p])
    encoded = encoder.encode(p)
    solver = z3.Solver()
    solver.add(*encoder.universe, *pin(encoder, request))
    if solver.check() != z3.sat:
        raise AssertionError(f"{request} is outside the encoding's universe")
    solver.add(encoded.allows)
    return solver.check() == z3.sat


def agree(p: Policy, request: Request, expected: bool) -> None:
    assert allows(p, request) is expected
    assert (decide(p, request).decision == "allow") is expected


def grant(condition: dict | None = None, **extra: object) -> dict:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", **extra}
    if condition:
        statement["Condition"] = condition
    return statement


def get(context: dict | None = None, action: str = "s3:GetObject", resource: str = "arn:aws:s3:::b/k") -> Request:
    return Request(USER, action, resource, context or {})


@pytest.mark.parametrize(("action", "expected"), [("s3:GetObject", True), ("S3:getobject", True),
                                                   ("s3:PutObject", False)])
def test_actions_are_case_insensitive(action: str, expected: bool) -> None:
    agree(policy(grant(Action="s3:Get*")), get(action=action), expected)


def test_not_action_and_not_resource() -> None:
    p = policy({"Effect": "Allow", "NotAction": "s3:Delete*", "NotResource": "arn:aws:s3:::secret/*"})
    agree(p, get(), True)
    agree(p, get(action="s3:DeleteObject"), False)
    agree(p, get(resource="arn:aws:s3:::secret/k"), False)


@pytest.mark.parametrize(("pattern", "resource", "expected"), [
    ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", True), ("arn:aws:s3:::b/*", "arn:aws:s3:::B/x", False),
    ("arn:aws:ec2:*", "arn:aws:ec2:us-east-1:111122223333:instance/i-1", True),
    ("arn:aws:s3:::b/?", "arn:aws:s3:::b/xy", False)])
def test_resource_wildcards_are_case_sensitive(pattern: str, resource: str, expected: bool) -> None:
    agree(policy(grant(Resource=pattern)), get(resource=resource), expected)


def test_deny_wins() -> None:
    p = policy(grant(), {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b/private/*"})
    agree(p, get(resource="arn:aws:s3:::b/public"), True)
    agree(p, get(resource="arn:aws:s3:::b/private/x"), False)


def test_policy_variables_and_escapes() -> None:
    p = policy(grant(Resource="arn:aws:s3:::b/${aws:username}/${*}"))
    agree(p, get({"aws:username": "alice"}, resource="arn:aws:s3:::b/alice/*"), True)
    agree(p, get({"aws:username": "alice"}, resource="arn:aws:s3:::b/alice/x"), False)
    agree(p, get(resource="arn:aws:s3:::b/alice/*"), False)  # no value: the resource matches nothing
    old = policy(grant(Resource="arn:aws:s3:::b/${aws:username}"), version="2008-10-17")
    agree(old, get({"aws:username": "alice"}, resource="arn:aws:s3:::b/${aws:username}"), True)


@pytest.mark.parametrize(("condition", "context", "expected"), [
    ({"StringEquals": {"s3:prefix": ["a", "b"]}}, {"s3:prefix": "b"}, True),
    ({"StringEquals": {"s3:prefix": "a"}}, {}, False),
    ({"StringNotEquals": {"s3:prefix": ["a", "b"]}}, {"s3:prefix": "b"}, False),
    ({"StringNotEquals": {"s3:prefix": "a"}}, {}, True),
    ({"StringEqualsIgnoreCase": {"s3:prefix": "Home"}}, {"s3:prefix": "hOME"}, True),
    ({"StringLike": {"s3:prefix": "home/*"}}, {"s3:prefix": "home/x"}, True),
    ({"StringNotLike": {"s3:prefix": "home/*"}}, {"s3:prefix": "home/x"}, False),
    ({"StringEqualsIfExists": {"s3:prefix": "a"}}, {}, True),
    ({"StringEqualsIfExists": {"s3:prefix": "a"}}, {"s3:prefix": "c"}, False),
    ({"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}}, {"aws:PrincipalTag/team": "alice",
                                                                    "aws:username": "alice"}, True),
    ({"NumericLessThan": {"s3:max-keys": "10"}}, {"s3:max-keys": "9.5"}, True),
    ({"NumericGreaterThanEquals": {"s3:max-keys": "10"}}, {"s3:max-keys": "9"}, False),
    ({"NumericNotEquals": {"s3:max-keys": "10"}}, {}, True),
    ({"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}, {"aws:CurrentTime": "2024-06-01T00:00:00Z"}, True),
    ({"DateLessThan": {"aws:CurrentTime": "1700000000"}}, {"aws:CurrentTime": "2024-06-01T00:00:00Z"}, False),
    ({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "false"}, False),
    ({"Bool": {"aws:SecureTransport": "TRUE"}}, {"aws:SecureTransport": "true"}, True),
    ({"BinaryEquals": {"s3:k": "QUJD"}}, {"s3:k": "QUJD"}, True),
    ({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}, {"aws:SourceIp": "2001:db8::1"}, True),
    ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, {"aws:SourceIp": "11.0.0.1"}, False),
    ({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, {"aws:SourceIp": "11.0.0.1"}, True),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}},
     {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}, True),
    ({"ArnNotEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}},
     {"aws:SourceArn": "arn:aws:sns:us-east-1:444455556666:topic"}, True),
    ({"Null": {"aws:username": "true"}}, {}, True),
    ({"Null": {"aws:username": "false"}}, {}, False),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ("c", "b")}, True),
    ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {}, False),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ("a", "c")}, False),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {}, True),
    ({"ForAllValues:StringNotLike": {"aws:TagKeys": ["x*"]}}, {"aws:TagKeys": ("a", "b")}, True),
])
def test_condition_operators(condition: dict, context: dict, expected: bool) -> None:
    agree(policy(grant(condition)), get(context), expected)


def test_principals() -> None:
    p = policy({"Effect": "Allow", "Principal": {"AWS": ["444455556666", "arn:aws:iam::111122223333:role/r"],
                                                 "Service": "lambda.amazonaws.com"},
                "Action": "sqs:SendMessage", "Resource": "*"})
    for principal, expected in [("arn:aws:iam::444455556666:user/bob", True), ("arn:aws:iam::111122223333:role/r", True),
                                ("arn:aws:iam::111122223333:role/s", False), ("lambda.amazonaws.com", True),
                                ("*", False)]:
        agree(p, Request(principal, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q"), expected)
    anyone = policy({"Effect": "Allow", "NotPrincipal": {"AWS": "444455556666"}, "Action": "*", "Resource": "*"})
    agree(anyone, Request("*", "s3:GetObject", "arn:aws:s3:::b/k"), True)
    agree(anyone, Request("arn:aws:iam::444455556666:root", "s3:GetObject", "arn:aws:s3:::b/k"), False)


@pytest.mark.parametrize(("pattern", "principal", "expected"), [
    ("arn:aws:iam::*:role/audit", "arn:aws:iam::444455556666:role/audit", True),
    ("arn:aws:iam::*:role/audit", "arn:aws:iam::444455556666:role/audit-x", False),
    ("arn:aws:iam::4444*:role/*", "arn:aws:iam::444455556666:role/path/x", True),
    ("arn:aws:iam::4444*:role/*", "arn:aws:iam::111122223333:role/x", False),
    ("arn:aws*:iam::*:user/a:b*", "arn:aws-cn:iam::444455556666:user/a:bc", True),
    ("arn:*:i?m:*:*:*", "arn:aws:iam::444455556666:root", True),  # the empty region field: "*" matches it
    ("arn:*:i?m:?*:*:*", "arn:aws:iam::444455556666:root", False),
])
def test_arn_like_on_the_principal_arn_matches_field_by_field(pattern: str, principal: str, expected: bool) -> None:
    # aws:PrincipalArn is matched over the principal's parts (partition, account, name), not as one string
    p = policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Resource": "*",
                "Condition": {"ArnLike": {"aws:PrincipalArn": pattern}}})
    agree(p, Request(principal, "sts:AssumeRole", "*", {"aws:PrincipalArn": principal}), expected)
