"""What an AWS access policy says, as data: the parsed form every part of `solomonic.policy` shares.

The parser (`document`) builds it from JSON, keeping each element's JSON path and line so that findings
and errors can point at them. The concrete evaluator (`evaluate`) and the z3 encoding (`encode`) read it
independently; a witness request found by the encoding is replayed by the evaluator, so the two must never
share matching code, only these types.

Values are kept as the policy writes them (case, wildcards, policy variables); normalisation belongs to
the semantics that reads them, because AWS's rules differ by element (action names are case-insensitive,
ARNs are not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Effect = Literal["Allow", "Deny"]
Kind = Literal["resource", "identity"]
ContextValue = str | tuple[str, ...]  # a single-valued key, or a multi-valued one (a set of strings)


@dataclass(frozen=True)
class Location:
    """Where an element sits in its file: a JSON pointer (RFC 6901, e.g. `/Statement/0/Condition`) and a line."""

    pointer: str
    line: int


@dataclass(frozen=True)
class PrincipalEntry:
    """One value of a `Principal` or `NotPrincipal` element.

    `kind` is the map key (`AWS`, `Service`, `Federated`, `CanonicalUser`), or `*` for the bare `"Principal": "*"`;
    `value` is one of its values as written (`*`, an account id, an ARN, a service name)."""

    kind: str
    value: str


@dataclass(frozen=True)
class Condition:
    """One key of one operator of a `Condition` block: `{"operator": {"key": [values]}}`.

    `operator` is as written, prefixes and suffix included (`ForAnyValue:StringLikeIfExists`); `values` are the
    values as strings (JSON `true` becomes `"true"`, the number 5 becomes `"5"`), in the order written."""

    operator: str
    key: str
    values: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Statement:
    """One statement. An absent element is None; `not_*` says the element was written as `NotAction`,
    `NotResource` or `NotPrincipal`."""

    effect: Effect
    actions: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...] | None
    not_resource: bool
    principals: tuple[PrincipalEntry, ...] | None
    not_principal: bool
    conditions: tuple[Condition, ...]
    location: Location
    sid: str | None = None


@dataclass(frozen=True)
class Policy:
    """A whole policy document. `version` is `Version` as written (policy variables are only substituted under
    `2012-10-17`); `kind` is inferred (any statement with `Principal`/`NotPrincipal` makes a resource policy)
    unless the user chose it."""

    statements: tuple[Statement, ...]
    kind: Kind
    version: str | None
    source: str  # the file it came from, for messages


@dataclass(frozen=True)
class Request:
    """One concrete request: who asks, for what action, on which resource, with which context keys.

    `principal` is `"*"` for an anonymous request, else an ARN (`arn:aws:iam::111122223333:role/app`, an account
    root `arn:aws:iam::111122223333:root`), a service principal (`s3.amazonaws.com`) or a federated principal:
    an identity provider's ARN (`arn:aws:iam::111122223333:saml-provider/Okta`, `...:oidc-provider/URL`) or a
    web identity provider's domain (`WEB_IDENTITY_PROVIDERS`), standing for its users. Context keys are as AWS
    names them (`aws:SourceIp`); a key absent from `context` is absent from the request."""

    principal: str
    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The REQUEST object of the JSON contract (README, `solomonic policy --format json`)."""
        return {"principal": self.principal, "action": self.action, "resource": self.resource,
                "context": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.context.items()}}


Decision = Literal["allow", "explicit-deny", "implicit-deny"]

# Federated principals that are named by a domain rather than an IAM identity provider's ARN (IAM reference,
# "AWS JSON policy elements: Principal", *Federated user principals*: Amazon Cognito and the web identity
# providers Login with Amazon, Facebook and Google); any other OIDC or SAML provider is named by its ARN.
WEB_IDENTITY_PROVIDERS = ("cognito-identity.amazonaws.com", "www.amazon.com", "graph.facebook.com",
                          "accounts.google.com")
# what a federated principal's users send: the one STS call that turns the provider's token or assertion into
# a role session (STS API reference: AssumeRoleWithSAML, AssumeRoleWithWebIdentity, both unsigned requests)
SAML_ACTION, WEB_IDENTITY_ACTION = "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"
# the other actions a role's trust policy is asked about in that call, with the federated principal: passing
# session tags and setting a source identity (IAM reference, "Passing session tags in AWS STS" and "Monitor
# and control actions taken with assumed roles": the trust policy must allow `sts:TagSession`,
# `sts:SetSourceIdentity` for the provider). No other request context names a federated principal: its users
# are role sessions once the call succeeds.
FEDERATED_SESSION_ACTIONS = ("sts:TagSession", "sts:SetSourceIdentity")
