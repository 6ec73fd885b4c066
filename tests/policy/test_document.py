"""The policy parser: the forms AWS accepts, and one clear line (file, line, JSON pointer) for what it refuses."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solomonic.errors import UserError
from solomonic.policy.document import IDENTITY_LIMIT, RESOURCE_LIMIT, PolicyError, load, parse
from solomonic.policy.model import PrincipalEntry


def policy_text(*statements, version="2012-10-17"):
    document = {"Version": version, "Statement": list(statements)} if version else {"Statement": list(statements)}
    return json.dumps(document, indent=2)


BUCKET_READ = {"Sid": "Read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
               "Resource": "arn:aws:s3:::bucket/*"}


def test_a_bucket_policy_is_a_resource_policy_with_its_lines_and_pointers():
    policy = parse(policy_text(BUCKET_READ, {**BUCKET_READ, "Sid": "Two", "Effect": "Deny"}), "bucket.json")
    assert policy.kind == "resource" and policy.version == "2012-10-17" and policy.source == "bucket.json"
    first, second = policy.statements
    assert first.actions == ("s3:GetObject",) and first.resources == ("arn:aws:s3:::bucket/*",)
    assert first.principals == (PrincipalEntry("*", "*"),) and not first.not_principal
    assert first.location.pointer == "/Statement/0" and first.location.line == 4
    assert second.location.pointer == "/Statement/1" and second.effect == "Deny" and second.sid == "Two"


def test_single_values_lists_and_a_statement_object():
    text = json.dumps({"Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                                     "NotResource": "arn:aws:s3:::secret/*"}})
    policy = parse(text, "p.json")
    (statement,) = policy.statements
    assert policy.kind == "identity" and policy.version is None
    assert statement.actions == ("s3:GetObject", "s3:PutObject")
    assert statement.not_resource and statement.resources == ("arn:aws:s3:::secret/*",)
    assert statement.location.pointer == "/Statement" and statement.principals is None


def test_principal_maps_of_every_kind():
    principal = {"AWS": ["111122223333", "arn:aws:iam::444455556666:role/app"], "Service": "ec2.amazonaws.com",
                 "Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "79a59df900b949e5"}
    policy = parse(policy_text({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}), "t.json")
    entries = policy.statements[0].principals
    assert entries == (PrincipalEntry("AWS", "111122223333"),
                       PrincipalEntry("AWS", "arn:aws:iam::444455556666:role/app"),
                       PrincipalEntry("Service", "ec2.amazonaws.com"),
                       PrincipalEntry("Federated", "cognito-identity.amazonaws.com"),
                       PrincipalEntry("CanonicalUser", "79a59df900b949e5"))
    assert policy.kind == "resource" and policy.statements[0].resources is None  # a trust policy has no Resource


def test_condition_values_become_strings_as_written():
    condition = {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": False},
                 "ForAnyValue:StringLike": {"aws:TagKeys": ["team*", "env"]}, "NumericEquals": {"k": 1.50}}
    text = policy_text({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": condition})
    text = text.replace("1.5", "1.50")
    conditions = parse(text, "c.json").statements[0].conditions
    assert [(c.operator, c.key, c.values) for c in conditions] == [
        ("NumericLessThan", "s3:max-keys", ("10",)), ("Bool", "aws:SecureTransport", ("false",)),
        ("ForAnyValue:StringLike", "aws:TagKeys", ("team*", "env")), ("NumericEquals", "k", ("1.50",))]
    assert all(type(value) is str for c in conditions for value in c.values)
    assert conditions[0].location.pointer == "/Statement/0/Condition/NumericLessThan/s3:max-keys"


def test_a_pointer_escapes_slash_and_tilde():
    condition = {"StringEquals": {"aws:PrincipalTag/team~x": "blue"}}
    text = policy_text({"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": condition})
    (only,) = parse(text, "c.json").statements[0].conditions
    assert only.location.pointer == "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team~0x"
    assert only.location.line == 10  # the line of "aws:PrincipalTag/team~x": "blue"


def refused(text, kind=None):
    with pytest.raises(PolicyError) as caught:
        parse(text, "bad.json", kind)
    assert isinstance(caught.value, UserError)
    message = str(caught.value)
    assert message.startswith("bad.json: line ") and "\n" not in message
    return message


def test_bad_json_names_line_and_column():
    assert refused('{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}').startswith(
        "bad.json: line 3: column 24: not valid JSON")
    assert "not valid JSON" in refused('{"Statement": NaN}')


def test_missing_effect_names_the_statement():
    message = refused(policy_text({"Action": "s3:*", "Resource": "*"}))
    assert message == "bad.json: line 4: /Statement/0: Effect is missing"


def test_an_effect_other_than_allow_or_deny():
    assert "/Statement/0/Effect: Effect is 'allow'" in refused(policy_text({**BUCKET_READ, "Effect": "allow"}))


def test_action_and_not_action_together():
    message = refused(policy_text({**BUCKET_READ, "NotAction": "s3:PutObject"}))
    assert message.endswith("/Statement/0: the statement has both Action and NotAction")


def test_neither_action_nor_not_action():
    statement = {key: value for key, value in BUCKET_READ.items() if key != "Action"}
    assert "neither Action nor NotAction" in refused(policy_text(statement))


def test_unknown_keys_at_each_level():
    assert "/Statment: unknown policy key 'Statment'" in refused('{"Statment": []}')
    assert "/Statement/0/Actions: unknown statement key 'Actions'" in refused(
        policy_text({**BUCKET_READ, "Actions": "s3:*"}))
    assert "/Statement/0/Principal/User: unknown Principal key 'User'" in refused(
        policy_text({**BUCKET_READ, "Principal": {"User": "bob"}}))


def test_an_unknown_condition_operator_lists_the_families():
    message = refused(policy_text({**BUCKET_READ, "Condition": {"StringEqualz": {"aws:SourceVpce": "vpce-1"}}}))
    assert "/Statement/0/Condition/StringEqualz: unknown condition operator 'StringEqualz'" in message
    for family in ("String*", "Numeric*", "Date*", "Bool", "BinaryEquals", "IpAddress/NotIpAddress", "Arn*",
                   "Null", "IfExists", "ForAllValues:", "ForAnyValue:"):
        assert family in message
    assert "unknown condition operator 'ForSomeValues:StringLike'" in refused(
        policy_text({**BUCKET_READ, "Condition": {"ForSomeValues:StringLike": {"k": "v"}}}))
    assert "Null takes neither IfExists" in refused(
        policy_text({**BUCKET_READ, "Condition": {"NullIfExists": {"k": "true"}}}))


def test_operator_names_are_read_without_regard_to_case_and_kept_as_written():
    text = policy_text({**BUCKET_READ, "Condition": {"forAnyValue:stringlikeifexists": {"k": "v"}}})
    assert parse(text, "p.json").statements[0].conditions[0].operator == "forAnyValue:stringlikeifexists"


def test_duplicate_keys_are_refused():
    text = '{"Statement": {"Effect": "Allow",\n "Action": "s3:*", "Resource": "*", "Effect": "Deny"}}'
    assert "/Statement/Effect: the key 'Effect' is written twice" in refused(text)


def test_principals_must_fit_the_kind():
    identity = {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
    assert "neither Principal nor NotPrincipal" in refused(policy_text(BUCKET_READ, identity))
    assert "/Statement/0/Principal: an identity policy names no Principal" in refused(
        policy_text(BUCKET_READ), kind="identity")
    assert "neither Resource nor NotResource" in refused(policy_text({"Effect": "Allow", "Action": "s3:*"}))


def test_wrong_value_types():
    assert "/Statement/0/Action: Action values are strings, not a number" in refused(
        policy_text({**BUCKET_READ, "Action": 5}))
    assert "/Statement/0/Resource/1: Resource values are strings, not an object" in refused(
        policy_text({**BUCKET_READ, "Resource": ["arn:aws:s3:::b", {}]}))
    assert "Action is an empty list" in refused(policy_text({**BUCKET_READ, "Action": []}))
    assert "a condition value is a string, number or boolean, not null" in refused(
        policy_text({**BUCKET_READ, "Condition": {"StringEquals": {"k": None}}}))
    assert "not '*' or service:action" in refused(policy_text({**BUCKET_READ, "Action": "GetObject"}))
    assert "Version is '2012-10-18'" in refused(policy_text(BUCKET_READ, version="2012-10-18"))
    assert "Statement is a statement object or a non-empty list" in refused('{"Statement": []}')


def statements_of_size(count):
    return [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{index:05d}/*"}
            for index in range(count)]


def test_the_identity_size_limit_counts_characters_without_white_space():
    small = json.dumps({"Version": "2012-10-17", "Statement": statements_of_size(80)}, indent=8)
    assert len(small) > IDENTITY_LIMIT  # white space does not count
    assert parse(small, "p.json").kind == "identity"
    big = json.dumps({"Version": "2012-10-17", "Statement": statements_of_size(150)})
    message = refused(big)
    assert message.startswith("bad.json: line 1: /: the identity policy has") and f"at most {IDENTITY_LIMIT}" in message
    assert "managed policy at most 6,144" in message


def test_the_resource_size_limit_and_the_limit_of_every_policy():
    statements = [{**statement, "Principal": "*"} for statement in statements_of_size(400)]
    text = json.dumps({"Version": "2012-10-17", "Statement": statements})
    assert "more than any AWS policy may have" in refused(text)
    fits = json.dumps({"Version": "2012-10-17", "Statement": statements[:250]})
    assert parse(fits, "p.json").kind == "resource"
    padded = json.dumps({"Version": "2012-10-17", "Statement": statements[:250]}, indent=4)
    assert len(padded.encode()) > RESOURCE_LIMIT
    assert f"the resource policy has {len(padded.encode())} bytes" in refused(padded)


def test_load_reads_a_file_and_names_it(tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(policy_text(BUCKET_READ))
    assert load(str(path)).source == str(path)
    with pytest.raises(PolicyError, match="cannot read the policy"):
        load(str(tmp_path / "missing.json"))


def test_deep_nesting_is_refused_in_one_line():
    assert "nested too deeply" in refused("[" * 5000 + "]" * 5000)
    assert "nested too deeply" in refused('{"a":' * 900 + "1" + "}" * 900)


def test_a_byte_order_mark_is_read_as_encoding(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + policy_text(BUCKET_READ).encode())
    assert load(str(path)).kind == "resource"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["*", "Allow", "Deny", "s3:GetObject", "arn:aws:s3:::b/*", "2012-10-17", "StringLike", ""]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["Version", "Statement", "Effect", "Action", "NotAction", "Resource", "Principal", "AWS",
                         "Condition", "StringEquals", "Null", "aws:SourceIp", "Sid", "x"]), children, max_size=4),
    max_leaves=12)


@given(json_values)
def test_any_json_is_a_policy_or_one_line_of_error(value):
    try:
        parse(json.dumps(value), "fuzz.json")
    except PolicyError as error:
        assert str(error).startswith("fuzz.json: line ") and "\n" not in str(error)


@given(st.text(max_size=60))
def test_any_text_is_a_policy_or_one_line_of_error(text):
    try:
        parse(text, "fuzz.json")
    except PolicyError as error:
        assert str(error).startswith("fuzz.json: line ")
