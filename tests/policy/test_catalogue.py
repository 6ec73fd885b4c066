"""The action catalogue: real action names for a pattern, the ARNs an action takes, condition key types."""

import time

import pytest

from solomonic.policy.catalogue import GLOBAL_KEYS, Catalogue, catalogue


def test_catalogue_is_read_once():
    assert catalogue() is catalogue()


def test_actions_for_a_pattern_are_real_names_matched_without_regard_to_case():
    found = catalogue().actions("S3:getobject*")
    assert "s3:GetObject" in found and "s3:GetObjectAcl" in found
    assert all(name.startswith("s3:GetObject") for name in found)
    assert catalogue().actions("iam:PassRole") == ["iam:PassRole"]
    assert catalogue().actions("s3:GetObjec?") == ["s3:GetObject"]
    assert catalogue().actions("nosuchservice:*") == []
    assert catalogue().actions("s3:NoSuchAction") == []


def test_a_wildcard_service_searches_every_service():
    everything = catalogue().actions("*")
    assert len(everything) > 10_000 and "ec2:RunInstances" in everything
    gets = catalogue().actions("*:GetObject")
    assert "s3:GetObject" in gets and all(name.split(":")[1] == "GetObject" for name in gets)


def test_exists_and_services():
    assert catalogue().exists("s3:getobject") and not catalogue().exists("s3:GetObjects")
    services = catalogue().services()
    assert {"s3", "ec2", "iam", "kms", "lambda", "sts"} <= set(services)


def test_resource_arns():
    arns = catalogue().resource_arns("s3:GetObject")
    assert "arn:${Partition}:s3:::${BucketName}/${ObjectName}" in arns
    assert catalogue().resource_arns("iam:PassRole") == ["arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"]
    assert catalogue().resource_arns("ec2:DescribeInstances") == ["*"]  # no resource type
    assert catalogue().resource_arns("s3:NoSuchAction") == []


@pytest.mark.parametrize(("key", "kind"), [
    ("aws:SourceIp", "IPAddress"), ("AWS:SOURCEIP", "IPAddress"), ("aws:PrincipalOrgID", "String"),
    ("aws:SecureTransport", "Bool"), ("aws:CurrentTime", "Date"), ("aws:MultiFactorAuthAge", "Numeric"),
    ("aws:SourceArn", "ARN"), ("aws:TagKeys", "ArrayOfString"), ("aws:PrincipalTag/team", "String"),
    ("aws:RequestTag/cost-center", "String"), ("s3:prefix", "String"), ("s3:ExistingObjectTag/k", "String"),
    ("ec2:ResourceTag/Name", "String"), ("kms:ViaService", "String"),
])
def test_condition_key_types(key, kind):
    assert catalogue().condition_key_type(key) == kind


def test_unknown_condition_keys_have_no_type():
    assert catalogue().condition_key_type("aws:NoSuchKey") is None
    assert catalogue().condition_key_type("aws:PrincipalTag/") is None  # a tag key is needed
    assert catalogue().condition_key_type("nosuchservice:key") is None


def test_the_global_table_only_names_global_keys_with_documented_types():
    kinds = {"String", "ARN", "Bool", "Date", "Numeric", "IPAddress", "ArrayOfString"}
    assert set(GLOBAL_KEYS.values()) <= kinds


def test_a_catalogue_from_a_small_data_set():
    data = {"demo": {"prefix": "demo", "privileges": {"DoIt": {"resource_types": {"thing": {}, "": {}}}},
                     "privileges_lower_name": {"doit": "DoIt"},
                     "resources": {"thing": {"arn": "arn:${Partition}:demo:::thing/${Name}"}},
                     "conditions": {"demo:Tag/${TagKey}": {"type": "String"}, "demo:Count": {"type": "Numeric"}}},
            "policy_sentry_schema_version": "v1"}
    small = Catalogue(data)
    assert small.services() == ["demo"] and small.actions("demo:*") == ["demo:DoIt"]
    assert small.resource_arns("DEMO:doit") == ["arn:${Partition}:demo:::thing/${Name}"]
    assert small.condition_key_type("demo:tag/x") == "String" and small.condition_key_type("demo:count") == "Numeric"


def test_loading_takes_well_under_a_second():
    start = time.perf_counter()
    Catalogue.load().resource_arns("s3:GetObject")
    assert time.perf_counter() - start < 2.0  # about 0.3 s on an idle machine; the host may be shared
