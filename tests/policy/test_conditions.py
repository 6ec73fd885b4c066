"""Condition operators: one test per family, the negated forms, missing keys, IfExists, Null, set operators."""

import pytest

from solomonic.policy.conditions import holds
from solomonic.policy.model import Condition, Location
from solomonic.policy.unsupported import Unsupported

HERE = Location("/Statement/0/Condition", 1)


def check(operator, key, values, context, *, variables=True):
    values = (values,) if isinstance(values, str) else tuple(values)
    return holds(Condition(operator, key, values, HERE), context, variables=variables)


def test_string_equals_is_exact_and_case_sensitive_with_values_ored():
    assert check("StringEquals", "aws:PrincipalOrgID", ["o-1", "o-2"], {"aws:PrincipalOrgID": "o-2"})
    assert not check("StringEquals", "aws:PrincipalOrgID", "o-1", {"aws:PrincipalOrgID": "O-1"})
    assert not check("StringEquals", "s3:prefix", "home/*", {"s3:prefix": "home/x"})  # no wildcards
    assert check("StringEquals", "s3:prefix", "home/*", {"s3:prefix": "home/*"})


def test_negated_string_operators_nor_the_values():
    assert check("StringNotEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], {"aws:SourceVpce": "vpce-3"})
    assert not check("StringNotEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], {"aws:SourceVpce": "vpce-2"})
    assert check("StringNotLike", "s3:prefix", ["a*", "b*"], {"s3:prefix": "c"})
    assert not check("StringNotLike", "s3:prefix", ["a*", "b*"], {"s3:prefix": "bx"})


def test_ignore_case_and_like():
    assert check("StringEqualsIgnoreCase", "aws:username", "Alice", {"aws:username": "aLICE"})
    assert not check("StringNotEqualsIgnoreCase", "aws:username", "Alice", {"aws:username": "alice"})
    assert check("StringLike", "s3:prefix", "home/?/*", {"s3:prefix": "home/a/docs"})
    assert not check("StringLike", "s3:prefix", "home/?/*", {"s3:prefix": "home/ab/docs"})
    assert not check("StringLike", "s3:prefix", "Home/*", {"s3:prefix": "home/x"})


def test_condition_keys_are_found_without_regard_to_case():
    assert check("StringEquals", "AWS:SourceVPCE", "vpce-1", {"aws:SourceVpce": "vpce-1"})
    with pytest.raises(Unsupported, match="twice"):
        check("StringEquals", "aws:SourceVpce", "v", {"aws:SourceVpce": "v", "AWS:SOURCEVPCE": "w"})


def test_a_missing_key_fails_positive_operators_and_satisfies_negated_ones():
    for operator in ("StringEquals", "StringLike", "NumericLessThan", "DateGreaterThan", "Bool", "IpAddress",
                     "ArnLike", "BinaryEquals"):
        assert not check(operator, "k:absent", "x", {})
    for operator in ("StringNotEquals", "StringNotLike", "StringNotEqualsIgnoreCase", "NumericNotEquals",
                     "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"):
        assert check(operator, "k:absent", "x", {})


def test_if_exists_is_true_when_absent_and_the_operator_when_present():
    assert check("StringEqualsIfExists", "ec2:InstanceType", "t3.micro", {})
    assert check("StringEqualsIfExists", "ec2:InstanceType", "t3.micro", {"ec2:InstanceType": "t3.micro"})
    assert not check("StringEqualsIfExists", "ec2:InstanceType", "t3.micro", {"ec2:InstanceType": "m5.large"})
    assert not check("StringNotEqualsIfExists", "ec2:InstanceType", "t3.micro", {"ec2:InstanceType": "t3.micro"})


def test_null_checks_presence():
    assert check("Null", "aws:TokenIssueTime", "true", {})
    assert not check("Null", "aws:TokenIssueTime", "true", {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"})
    assert check("Null", "aws:TokenIssueTime", "false", {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"})
    assert not check("Null", "aws:TokenIssueTime", "false", {})
    with pytest.raises(Unsupported):
        check("Null", "aws:TokenIssueTime", "maybe", {})


def test_numeric_compares_integers_and_decimals_exactly():
    assert check("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": "9"})
    assert not check("NumericLessThan", "s3:max-keys", "10", {"s3:max-keys": "10"})
    assert check("NumericLessThanEquals", "s3:max-keys", "10", {"s3:max-keys": "10.0"})
    assert check("NumericEquals", "k", "0.3", {"k": "0.30"})  # exact: no floating-point rounding
    assert check("NumericGreaterThan", "k", "0.1", {"k": "0.1000000000000000000001"})  # equal as floats
    assert check("NumericGreaterThanEquals", "k", "-5", {"k": "-4.5"})
    assert check("NumericNotEquals", "k", ["1", "2"], {"k": "3"})
    assert not check("NumericNotEquals", "k", ["1", "2"], {"k": "2"})
    with pytest.raises(Unsupported, match="not a number"):
        check("NumericEquals", "k", "ten", {"k": "10"})
    with pytest.raises(Unsupported):
        check("NumericEquals", "k", "1/2", {"k": "0.5"})


def test_dates_in_iso_8601_and_epoch_seconds():
    now = {"aws:CurrentTime": "2024-06-01T12:00:00Z"}
    assert check("DateLessThan", "aws:CurrentTime", "2024-06-01T12:00:01Z", now)
    assert not check("DateLessThan", "aws:CurrentTime", "2024-06-01T12:00:00Z", now)
    assert check("DateEquals", "aws:CurrentTime", "2024-06-01T14:00:00+02:00", now)  # time zones respected
    assert check("DateGreaterThanEquals", "aws:CurrentTime", "1717243200", now)  # the same instant, epoch
    assert check("DateNotEquals", "aws:CurrentTime", "1717243201", now)
    with pytest.raises(Unsupported, match="time zone"):
        check("DateLessThan", "aws:CurrentTime", "2024-06-01", now)


def test_bool():
    assert check("Bool", "aws:SecureTransport", "false", {"aws:SecureTransport": "false"})
    assert check("Bool", "aws:SecureTransport", "true", {"aws:SecureTransport": "TRUE"})
    assert not check("Bool", "aws:SecureTransport", "true", {"aws:SecureTransport": "false"})
    assert check("BoolIfExists", "aws:MultiFactorAuthPresent", "true", {})
    with pytest.raises(Unsupported):
        check("Bool", "aws:SecureTransport", "yes", {"aws:SecureTransport": "true"})


def test_binary_equals_compares_base64_bytes():
    assert check("BinaryEquals", "k", "QmluYXJ5", {"k": "QmluYXJ5"})
    assert not check("BinaryEquals", "k", "QmluYXJ5", {"k": "QmluYXJz"})
    with pytest.raises(Unsupported, match="base-64"):
        check("BinaryEquals", "k", "not base64!", {"k": "QmluYXJ5"})


def test_ip_addresses_in_cidr_blocks_v4_and_v6():
    assert check("IpAddress", "aws:SourceIp", "203.0.113.0/24", {"aws:SourceIp": "203.0.113.77"})
    assert not check("IpAddress", "aws:SourceIp", "203.0.113.0/24", {"aws:SourceIp": "203.0.114.1"})
    assert check("IpAddress", "aws:SourceIp", "203.0.113.5", {"aws:SourceIp": "203.0.113.5"})  # one address
    assert check("IpAddress", "aws:SourceIp", "2001:db8::/32", {"aws:SourceIp": "2001:db8:1::1"})
    assert not check("IpAddress", "aws:SourceIp", "2001:db8::/32", {"aws:SourceIp": "203.0.113.5"})
    assert check("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", "192.168.0.0/16"], {"aws:SourceIp": "8.8.8.8"})
    assert not check("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8", "192.168.0.0/16"],
                     {"aws:SourceIp": "192.168.1.1"})
    with pytest.raises(Unsupported):
        check("IpAddress", "aws:SourceIp", "10.0.0.0/8", {"aws:SourceIp": "localhost"})


def test_arn_operators_match_component_by_component():
    source = {"aws:SourceArn": "arn:aws:s3:::my-bucket"}
    assert check("ArnLike", "aws:SourceArn", "arn:aws:s3:::my-*", source)
    assert check("ArnEquals", "aws:SourceArn", "arn:aws:s3:::my-*", source)  # ArnEquals takes wildcards too
    assert not check("ArnLike", "aws:SourceArn", "arn:aws:s3:::other", source)
    assert check("ArnNotLike", "aws:SourceArn", "arn:aws:s3:::other", source)
    assert not check("ArnNotEquals", "aws:SourceArn", "arn:aws:s3:::my-bucket", source)
    assert not check("ArnLike", "aws:SourceArn", "arn:aws:sns:*:*:*", source)


def test_for_all_values_every_request_value_matches_some_policy_value():
    tags = ("env", "team")
    assert check("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team", "cost"], {"aws:TagKeys": tags})
    assert not check("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {"aws:TagKeys": tags})
    assert check("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {})  # vacuously, when absent
    assert check("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {"aws:TagKeys": ()})  # or empty
    assert check("ForAllValues:StringNotLike", "aws:TagKeys", ["aws*", "sys*"], {"aws:TagKeys": tags})
    assert not check("ForAllValues:StringNotLike", "aws:TagKeys", ["te*"], {"aws:TagKeys": tags})


def test_for_any_value_some_request_value_matches():
    tags = ("env", "team")
    assert check("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], {"aws:TagKeys": tags})
    assert not check("ForAnyValue:StringEquals", "aws:TagKeys", ["cost"], {"aws:TagKeys": tags})
    assert not check("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], {})  # false when absent
    assert not check("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], {"aws:TagKeys": ()})
    assert check("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", ["team"], {})
    assert check("ForAnyValue:StringNotEquals", "aws:TagKeys", ["env"], {"aws:TagKeys": tags})
    assert not check("ForAnyValue:StringNotEquals", "aws:TagKeys", ["env", "team"], {"aws:TagKeys": tags})
    # a single-valued key under a set operator is a set of one
    assert check("ForAnyValue:StringLike", "aws:username", ["a*"], {"aws:username": "alice"})


def test_a_multi_valued_key_without_a_set_operator_is_unsupported():
    with pytest.raises(Unsupported, match="ForAllValues: or ForAnyValue:"):
        check("StringEquals", "aws:TagKeys", "env", {"aws:TagKeys": ("env",)})


def test_policy_variables_in_condition_values():
    context = {"aws:username": "alice", "aws:PrincipalTag/team": "blue", "s3:prefix": "home/alice/docs"}
    assert check("StringLike", "s3:prefix", "home/${aws:username}/*", context)
    assert not check("StringLike", "s3:prefix", "home/${aws:username}/*", context, variables=False)
    assert check("StringEquals", "aws:PrincipalTag/team", "${aws:PrincipalTag/team}", context)
    # a variable with no value equals nothing; with a default, the default is the value
    assert not check("StringLike", "s3:prefix", "home/${aws:userid}/*", context)
    assert check("StringNotLike", "s3:prefix", "home/${aws:userid}/*", context)
    assert check("StringLike", "s3:prefix", "home/${aws:userid, 'alice'}/*", context)
    # numeric operators take no policy variables: the text stays literal, and is not a number
    with pytest.raises(Unsupported):
        check("NumericEquals", "k", "${aws:username}", {"k": "1", "aws:username": "1"})
