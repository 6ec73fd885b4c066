"""Policy JSON text -> `model.Policy`, every element with its JSON pointer and line; bad input -> `PolicyError`.

Accepts the grammar of the IAM reference ("IAM JSON policy element reference", "Grammar of the IAM JSON policy
language"): `Statement` an object or a list of them; `Action`/`Resource` values a string or a list of strings;
`Principal` `"*"` or a map from `AWS`, `Service`, `Federated`, `CanonicalUser` to a string or a list; condition
values strings, numbers or booleans, alone or in a list (kept as strings, numbers as written: `5`, `1.50`).

Refuses, in one line `FILE: line N: /json/pointer: what is wrong`: JSON that does not parse (line and column),
duplicate keys (JSON allows them, AWS's parser does not keep both), unknown keys, a statement without
`Effect`, without or with both of `Action`/`NotAction`, with both `Resource`/`NotResource` or both
`Principal`/`NotPrincipal`, an identity policy statement naming a principal or no resource, a resource policy
statement naming no principal, an unknown condition operator, and a policy over AWS's size limits:

* IAM ("IAM and AWS STS quotas", *IAM object quotas*; "IAM does not count white space"): a managed policy at
  most 6,144 characters, inline policies at most 2,048 (user), 5,120 (group), 10,240 (role), a role trust
  policy 2,048 (4,096 on request). An identity policy may be attached as any of these; one longer than the
  largest, 10,240 characters without white space, is accepted nowhere.
* Resource policies, in bytes as written: S3 bucket policy 20 KB, SNS topic policy 30 KB, KMS key policy
  32 KB, Lambda function policy 20 KB. One over 32,768 bytes is accepted by none of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import json_source_map  # type: ignore[import-untyped]

from solomonic.errors import UserError
from solomonic.policy.model import Condition, Kind, Location, Policy, PrincipalEntry, Statement
from solomonic.policy.operators import parse_operator

IDENTITY_LIMIT = 10_240  # characters without white space: a role's inline policies, the largest identity policy
RESOURCE_LIMIT = 32_768  # bytes: a KMS key policy, the largest resource policy
VERSIONS = ("2012-10-17", "2008-10-17")
PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")
_TOP_KEYS = ("Version", "Id", "Statement")
_STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                   "NotResource", "Condition")


class PolicyError(UserError):
    """Bad policy input: the message names the file, the line and the JSON pointer of the element."""


class _Number(str):
    """A JSON number, kept as the text it was written as."""


class _Object(dict[str, object]):
    """A JSON object that remembers the keys written twice in it."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, object]]) -> _Object:
    made = _Object(pairs)
    if len(made) != len(pairs):
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        made.duplicates = tuple(repeated)
    return made


def load(path: str, kind: Kind | None = None) -> Policy:
    """Read and parse the policy file `path` (see `parse`)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a byte order mark is encoding, not content
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path}: cannot read the policy: {error}") from None
    return parse(text, path, kind)


def parse(text: str, source: str, kind: Kind | None = None) -> Policy:
    """The policy `text` (read from `source`, named in messages). `kind` None infers it: any statement with
    `Principal` or `NotPrincipal` makes a resource policy."""
    characters = sum(1 for char in text if not char.isspace())
    if characters > RESOURCE_LIMIT:
        raise PolicyError(f"{source}: line 1: /: the policy has {characters} characters without white space, "
                          f"more than any AWS policy may have (a KMS key policy, the largest, {RESOURCE_LIMIT} bytes)")
    try:
        document = json.loads(text, object_pairs_hook=_object, parse_int=_Number, parse_float=_Number,
                              parse_constant=_reject_constant)
        reader = _Reader(source, json_source_map.calculate(text))
        reader.refuse_duplicates(document, "")
    except json.JSONDecodeError as error:
        raise PolicyError(f"{source}: line {error.lineno}: column {error.colno}: not valid JSON: {error.msg}") from None
    except ValueError as error:
        raise PolicyError(f"{source}: line 1: /: not valid JSON: {error}") from None
    except RecursionError:
        raise PolicyError(f"{source}: line 1: /: the JSON is nested too deeply to be a policy") from None
    policy = reader.policy(document, kind)
    _check_size(policy, text, source)
    return policy


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _check_size(policy: Policy, text: str, source: str) -> None:
    if policy.kind == "identity":
        characters = sum(1 for char in text if not char.isspace())
        if characters > IDENTITY_LIMIT:
            raise PolicyError(
                f"{source}: line 1: /: the identity policy has {characters} characters without white space; AWS "
                f"accepts at most {IDENTITY_LIMIT} (a role's inline policies; a managed policy at most 6,144)")
    else:
        size = len(text.encode("utf-8"))
        if size > RESOURCE_LIMIT:
            raise PolicyError(f"{source}: line 1: /: the resource policy has {size} bytes; AWS accepts at most "
                              f"{RESOURCE_LIMIT} (a KMS key policy; an S3 bucket policy at most 20 KB)")


def _escape(key: str) -> str:
    """One reference token of a JSON pointer (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


class _Reader:
    """Walks the parsed JSON, building the model; knows the file and each pointer's line for messages."""

    def __init__(self, source: str, lines: dict[str, json_source_map.Entry]) -> None:
        self.source = source
        self.lines = lines

    def entry(self, pointer: str) -> json_source_map.Entry | None:
        """The source map's entry for `pointer` (json_source_map writes its pointers unescaped)."""
        tokens = pointer.split("/")
        return self.lines.get("/".join(token.replace("~1", "/").replace("~0", "~") for token in tokens))

    def location(self, pointer: str) -> Location:
        entry = self.entry(pointer)
        return Location(pointer, entry.value_start.line + 1 if entry else 1)

    def error(self, pointer: str, what: str) -> PolicyError:
        entry = self.entry(pointer)
        line = (entry.key_start or entry.value_start).line + 1 if entry else 1
        return PolicyError(f"{self.source}: line {line}: {pointer or '/'}: {what}")

    def refuse_duplicates(self, value: object, pointer: str) -> None:
        if isinstance(value, _Object):
            if value.duplicates:
                key = value.duplicates[0]
                raise self.error(f"{pointer}/{_escape(key)}", f"the key {key!r} is written twice in one object")
            for key, item in value.items():
                self.refuse_duplicates(item, f"{pointer}/{_escape(key)}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.refuse_duplicates(item, f"{pointer}/{index}")

    def keys(self, value: dict[str, object], pointer: str, allowed: tuple[str, ...], what: str) -> None:
        for key in value:
            if key not in allowed:
                raise self.error(f"{pointer}/{_escape(key)}", f"unknown {what} key {key!r}; "
                                 f"the keys are {', '.join(allowed)}")

    def policy(self, document: object, kind: Kind | None) -> Policy:
        if not isinstance(document, dict):
            raise self.error("", "a policy is a JSON object with Version and Statement")
        self.keys(document, "", _TOP_KEYS, "policy")
        version = document.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.error("/Version", f"Version is {version!r}; AWS accepts {' or '.join(VERSIONS)}")
        version_text = str(version) if version is not None else None
        if "Statement" not in document:
            raise self.error("", "the policy has no Statement")
        raw = document["Statement"]
        if isinstance(raw, dict):
            found = [(raw, "/Statement")]
        elif isinstance(raw, list) and raw:
            found = [(item, f"/Statement/{index}") for index, item in enumerate(raw)]
        else:
            raise self.error("/Statement", "Statement is a statement object or a non-empty list of them")
        statements = tuple(self.statement(item, pointer) for item, pointer in found)
        inferred: Kind = "resource" if any(s.principals is not None for s in statements) else "identity"
        chosen = kind or inferred
        for statement in statements:
            self.fits_kind(statement, chosen)
        return Policy(statements, chosen, version_text, self.source)

    def fits_kind(self, statement: Statement, kind: Kind) -> None:
        pointer = statement.location.pointer
        if kind == "identity" and statement.principals is not None:
            element = "NotPrincipal" if statement.not_principal else "Principal"
            raise self.error(f"{pointer}/{element}", f"an identity policy names no {element} (it applies to the "
                             "identity it is attached to)")
        if kind == "identity" and statement.resources is None:
            raise self.error(pointer, "the statement has neither Resource nor NotResource (an identity policy "
                             "statement needs one)")
        if kind == "resource" and statement.principals is None:
            raise self.error(pointer, "the statement of a resource policy names neither Principal nor NotPrincipal")

    def statement(self, raw: object, pointer: str) -> Statement:
        if not isinstance(raw, dict):
            raise self.error(pointer, "a statement is a JSON object")
        self.keys(raw, pointer, _STATEMENT_KEYS, "statement")
        effect = raw.get("Effect")
        if effect not in ("Allow", "Deny"):
            raise self.error(f"{pointer}/Effect" if "Effect" in raw else pointer,
                             "Effect is missing" if effect is None else f"Effect is {effect!r}, not Allow or Deny")
        sid = raw.get("Sid")
        if sid is not None and (not isinstance(sid, str) or isinstance(sid, _Number)):
            raise self.error(f"{pointer}/Sid", "Sid is a string")
        actions, not_action = self.pair(raw, pointer, "Action", required=True, check=self.action)
        resources, not_resource = self.pair(raw, pointer, "Resource", required=False, check=None)
        principals, not_principal = self.principal_pair(raw, pointer)
        conditions = self.conditions(raw.get("Condition"), f"{pointer}/Condition") if "Condition" in raw else ()
        assert actions is not None
        return Statement(effect="Allow" if effect == "Allow" else "Deny", actions=actions, not_action=not_action,
                         resources=resources, not_resource=not_resource, principals=principals,
                         not_principal=not_principal, conditions=conditions, location=self.location(pointer),
                         sid=sid)

    def pair(self, raw: dict[str, object], pointer: str, name: str, *, required: bool,
             check: Callable[[str, str], None] | None) -> tuple[tuple[str, ...] | None, bool]:
        """`name` or `Not<name>`: its strings and whether it was the Not form."""
        has, has_not = name in raw, f"Not{name}" in raw
        if has and has_not:
            raise self.error(pointer, f"the statement has both {name} and Not{name}")
        if not has and not has_not:
            if required:
                raise self.error(pointer, f"the statement has neither {name} nor Not{name}")
            return None, False
        element = name if has else f"Not{name}"
        values = self.strings(raw[element], f"{pointer}/{element}", element)
        for index, value in enumerate(values):
            if check:
                check(value, f"{pointer}/{element}" + (f"/{index}" if isinstance(raw[element], list) else ""))
        return values, has_not

    def strings(self, value: object, pointer: str, element: str) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            raise self.error(pointer, f"{element} is an empty list")
        out: list[str] = []
        for index, item in enumerate(items):
            if not isinstance(item, str) or isinstance(item, _Number):
                where = f"{pointer}/{index}" if isinstance(value, list) else pointer
                raise self.error(where, f"{element} values are strings, not {_json_type(item)}")
            out.append(item)
        return tuple(out)

    def action(self, value: str, pointer: str) -> None:
        if value != "*" and ":" not in value:
            raise self.error(pointer, f"action {value!r} is not '*' or service:action (e.g. s3:GetObject)")

    def principal_pair(self, raw: dict[str, object],
                       pointer: str) -> tuple[tuple[PrincipalEntry, ...] | None, bool]:
        if "Principal" in raw and "NotPrincipal" in raw:
            raise self.error(pointer, "the statement has both Principal and NotPrincipal")
        element = "Principal" if "Principal" in raw else "NotPrincipal" if "NotPrincipal" in raw else None
        if element is None:
            return None, False
        value, where = raw[element], f"{pointer}/{element}"
        if value == "*" and not isinstance(value, _Number):
            return (PrincipalEntry("*", "*"),), element == "NotPrincipal"
        if not isinstance(value, dict) or not value:
            raise self.error(where, f'{element} is "*" or a map from {", ".join(PRINCIPAL_KINDS)} to principals')
        self.keys(value, where, PRINCIPAL_KINDS, element)
        entries = tuple(PrincipalEntry(kind, item) for kind, names in value.items()
                        for item in self.strings(names, f"{where}/{kind}", f"{element} {kind}"))
        return entries, element == "NotPrincipal"

    def conditions(self, raw: object, pointer: str) -> tuple[Condition, ...]:
        if not isinstance(raw, dict):
            raise self.error(pointer, "Condition is a map from condition operators to {key: values}")
        out: list[Condition] = []
        for operator, block in raw.items():
            where = f"{pointer}/{_escape(operator)}"
            try:
                parse_operator(operator)
            except ValueError as error:
                raise self.error(where, str(error)) from None
            if not isinstance(block, dict) or not block:
                raise self.error(where, f"{operator} takes a map from condition keys to values")
            for key, values in block.items():
                out.append(Condition(operator, key, self.condition_values(values, f"{where}/{_escape(key)}"),
                                     self.location(f"{where}/{_escape(key)}")))
        return tuple(out)

    def condition_values(self, raw: object, pointer: str) -> tuple[str, ...]:
        items = raw if isinstance(raw, list) else [raw]
        out: list[str] = []
        for index, item in enumerate(items):
            if isinstance(item, bool):
                out.append("true" if item else "false")
            elif isinstance(item, str):
                out.append(str(item))
            else:
                where = f"{pointer}/{index}" if isinstance(raw, list) else pointer
                raise self.error(where, f"a condition value is a string, number or boolean, not {_json_type(item)}")
        return tuple(out)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    for kind, name in ((_Number, "a number"), (bool, "a boolean"), (str, "a string"), (dict, "an object"),
                       (list, "a list")):
        if isinstance(value, kind):
            return name
    return "a value"
