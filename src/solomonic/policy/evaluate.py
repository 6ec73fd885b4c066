"""The concrete evaluator: one request against one policy -> allow, explicit deny or implicit deny.

The independent oracle of `solomonic.policy`: every witness the z3 encoding finds is replayed here before it
is reported, so this module shares nothing with `encode` but `model` (and it never imports z3).

AWS's documented logic for a single policy (IAM reference, "Policy evaluation logic" and "Determining whether
a request is allowed or denied within an account"): a request is denied by default; an explicit `Deny` in a
matching statement overrides any `Allow`; otherwise a matching `Allow` allows it; otherwise it stays denied
(implicit deny). A statement matches when each of its elements does:

* `Action` / `NotAction`: the request's action matches one of the patterns / none of them; wildcards `*`,
  `?`, without regard to case ("IAM JSON policy elements: Action"). The reference puts wildcards in the
  action name (`s3:Get*`) or writes `*` alone; a wildcard in the service prefix (`*:Get*`) is an open case
  (`readings`) of the pattern and the action.
* `Resource` / `NotResource`: the ARN matches one / none (`wildcard.resource_matches`; policy variables
  substituted, `variables`). A statement without either (a role trust policy) applies to any resource.
* `Principal` / `NotPrincipal` ("AWS JSON policy elements: Principal"): `"*"` and `{"AWS": "*"}` are every
  principal, the anonymous one included; an account (`123456789012` or `arn:aws:iam::123456789012:root`)
  is every IAM identity of that account (its users, roles and their sessions; not an identity provider
  created in it, whose users are federated principals, granted only by `Federated`); an IAM user or role ARN
  is that principal; `Service`, `Federated` and `CanonicalUser` values name the principal they are
  (`federated` tells a federated principal by its name). `NotPrincipal` matches every principal that none of its
  values matches. The reference allows `*` in `Principal` only as the whole value ("you cannot use a wildcard
  to match part of a principal name or ARN"); a partial wildcard is an open case of the value and the
  principal. A role session (`arn:aws:sts::...:assumed-role/...`) against a role ARN, which AWS matches by
  rules not modelled here, raises `Unsupported`. A statement without either (an identity policy) applies to the identity the policy is attached to:
  the request's principal, which cannot be the anonymous one.
* `Condition`: every condition holds (`conditions.holds`).

Where an element is not modelled exactly the evaluator raises `Unsupported`, but only when the answer depends
on it: a statement one of whose elements fails does not match, whatever its other elements; a matching Deny
decides whatever the other statements hold. Where the reference leaves a yes-or-no case open (`readings`),
the decision is the one every reading of it gives, and `Unsupported` where readings disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from solomonic.policy import readings, wildcard
from solomonic.policy.conditions import holds
from solomonic.policy.model import (
    SAML_ACTION,
    WEB_IDENTITY_ACTION,
    WEB_IDENTITY_PROVIDERS,
    Decision,
    Effect,
    Policy,
    PrincipalEntry,
    Request,
    Statement,
)
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.variables import VARIABLE_VERSION, substitute

__all__ = ["Evaluation", "Unsupported", "allowed", "decide", "federated", "matches"]

_ACCOUNT = re.compile(r"\d{12}")
_ROOT = re.compile(r"arn:[^:]+:iam::(?P<account>\d{12}):root")
_PRINCIPAL_ARN = re.compile(r"arn:[^:]+:(?:iam|sts)::(?P<account>\d{12}):.+")
_PROVIDER_ARN = re.compile(r"arn:[^:]+:iam::\d{12}:(?P<kind>saml|oidc)-provider/.+", re.DOTALL)
T = TypeVar("T")  # an element's value: an action pattern, a Principal entry
_PRECEDENCE: tuple[tuple[Effect, Decision], ...] = (("Deny", "explicit-deny"), ("Allow", "allow"))


@dataclass(frozen=True)
class Evaluation:
    """The decision, the statements that made it (the matching Deny statements, else the matching Allow
    statements, else none) and one note per statement saying why it did or did not match."""

    decision: Decision
    deciding: tuple[Statement, ...]
    notes: tuple[str, ...]


def decide(policy: Policy, request: Request) -> Evaluation:
    """The policy's decision on `request` (module docstring). Raises `Unsupported` when a statement the
    decision depends on uses a construct not modelled exactly. A case the IAM reference leaves open
    (`readings`) is decided under every reading of it: the decision is returned when every reading gives
    the same one (its notes then name the cases), else `Unsupported` says which cases it depends on."""
    outcomes, cases = readings.every(lambda: _decide(policy, request))
    decisions = {outcome.result.decision for outcome in outcomes}
    if len(decisions) > 1:
        raise Unsupported(f"the decision on {request.action} depends on cases the IAM reference leaves open ("
                          + "; ".join(cases.values()) + "): " + ", ".join(sorted(decisions))
                          + " under different readings")
    first = outcomes[0].result
    if not cases:
        return first
    return Evaluation(first.decision, first.deciding, (*first.notes, *(
        f"the same decision under every reading of a case the IAM reference leaves open: {text}"
        for text in cases.values())))


def allowed(policy: Policy, request: Request) -> bool:
    """Is `request` allowed under every reading of the open cases it meets (True), denied under every one
    (False)? A question about access needs no more: an explicit deny under one reading and an implicit one
    under another still deny. Raises `Unsupported` where readings disagree, or as `decide` does."""
    outcomes, cases = readings.every(lambda: _decide(policy, request).decision == "allow")
    answers = {outcome.result for outcome in outcomes}
    if len(answers) > 1:
        raise Unsupported(f"whether {request.action} is allowed depends on cases the IAM reference leaves open ("
                          + "; ".join(cases.values()) + ")")
    return answers.pop()


def _decide(policy: Policy, request: Request) -> Evaluation:
    """`decide` under the current reading of the open cases."""
    outcomes: list[tuple[Statement, bool | Unsupported]] = []
    notes: list[str] = []
    for index, statement in enumerate(policy.statements):
        name = _name(statement, index)
        try:
            matched, why = _match(statement, request, policy)
        except Unsupported as error:
            outcomes.append((statement, error))
            notes.append(f"{name}: not modelled: {error}")
            continue
        outcomes.append((statement, matched))
        notes.append(f"{name}: {'matches' if matched else 'does not match'}: {why}")
    for effect, decision in _PRECEDENCE:
        mine = [(statement, outcome) for statement, outcome in outcomes if statement.effect == effect]
        deciding = tuple(statement for statement, outcome in mine if outcome is True)
        if deciding:
            return Evaluation(decision, deciding, tuple(notes))
        unknown = next((outcome for _, outcome in mine if isinstance(outcome, Unsupported)), None)
        if unknown is not None:
            raise unknown
    return Evaluation("implicit-deny", (), tuple(notes))


def matches(statement: Statement, request: Request, policy: Policy) -> bool:
    """Does `statement` (of `policy`) apply to `request`? Raises `Unsupported` as `decide` does."""
    return _match(statement, request, policy)[0]


def _name(statement: Statement, index: int) -> str:
    sid = f" {statement.sid!r}" if statement.sid else ""
    return f"statement {index}{sid} ({statement.effect}, line {statement.location.line})"


def _match(statement: Statement, request: Request, policy: Policy) -> tuple[bool, str]:
    """Whether the statement matches, and why (the elements that fail, else all of them in words)."""
    failed: list[str] = []
    passed: list[str] = []
    unsupported: Unsupported | None = None
    for check in (_action, _resource, _principal, _conditions):
        try:
            ok, why = check(statement, request, policy)
        except Unsupported as error:
            unsupported = unsupported or error
            continue
        (passed if ok else failed).append(why)
    if failed:
        return False, "; ".join(failed)
    if unsupported is not None:
        raise unsupported
    return True, "; ".join(passed)


def _action(statement: Statement, request: Request, _: Policy) -> tuple[bool, str]:
    def matches(pattern: str) -> bool:
        service = pattern.partition(":")[0]
        if pattern != "*" and ("*" in service or "?" in service):
            return readings.open_case(("Action", pattern.lower(), request.action.lower()),
                                      f"the action pattern {pattern!r}, a wildcard in the service prefix (the "
                                      "reference shows wildcards in the action name, or '*' alone)")
        return wildcard.matches(wildcard.tokens(pattern), request.action, ignore_case=True)

    hit = _first_match(statement.actions, matches)
    return _decided("Action", statement.not_action, request.action, None if hit is None else repr(hit))


def _resource(statement: Statement, request: Request, policy: Policy) -> tuple[bool, str]:
    if statement.resources is None:
        return True, "no Resource element (any resource)"
    variables = policy.version == VARIABLE_VERSION
    hit = None
    unsupported: Unsupported | None = None
    for text in statement.resources:  # like _first_match, except that a substitution refused is final
        pattern = substitute(text, request.context, variables=variables, wildcards=True)
        if pattern is None:
            continue  # a policy variable with no value: equal to and like no ARN
        try:
            if _resource_matches(text, pattern, request.resource):
                hit = text
                break
        except Unsupported as error:
            unsupported = unsupported or error
    if hit is None and unsupported is not None:
        raise unsupported
    return _decided("Resource", statement.not_resource, request.resource, None if hit is None else repr(hit))


def _resource_matches(text: str, pattern: wildcard.Pattern, arn: str) -> bool:
    matched = wildcard.resource_matches(pattern, arn)
    if matched is not None:
        return matched
    return readings.open_case(("Resource", wildcard.text_of(pattern), arn),
                              f"whether the wildcard in the Resource {text!r} may cover a ':' (the IAM reference "
                              "only says so of a '*' that ends a segment)")


def _principal(statement: Statement, request: Request, _: Policy) -> tuple[bool, str]:
    if statement.principals is None:
        if request.principal == "*":
            return False, "an anonymous request has no identity an identity policy could be attached to"
        return True, "no Principal element (the identity the policy is attached to)"
    hit = _first_match(statement.principals, lambda entry: _principal_matches(entry, request.principal))
    who = "anonymous" if request.principal == "*" else request.principal
    return _decided("Principal", statement.not_principal, who,
                    None if hit is None else f"{hit.kind} {hit.value!r}")


def _first_match(values: Iterable[T], matches: Callable[[T], bool]) -> T | None:
    """The first value that matches the request. A value the evaluator cannot decide (`Unsupported`)
    matters only when no other value matches: one match decides the element whatever the others say."""
    unsupported: Unsupported | None = None
    for value in values:
        try:
            if matches(value):
                return value
        except Unsupported as error:
            unsupported = unsupported or error
    if unsupported is not None:
        raise unsupported
    return None


def _decided(element: str, negated: bool, subject: str, hit: str | None) -> tuple[bool, str]:
    """Whether `Element` (or `NotElement`, when negated) matches, given the value that matched `subject`
    (None: none did), and why, in words."""
    if negated:
        return hit is None, (f"{subject} is not in Not{element}" if hit is None
                             else f"{subject} is excluded by Not{element} {hit}")
    return hit is not None, (f"{subject} matches {element} {hit}" if hit is not None
                             else f"{subject} matches no {element} value")


def _principal_matches(entry: PrincipalEntry, principal: str) -> bool:
    """Does one `Principal` value name the request's principal (module docstring)?"""
    if entry.kind == "*" or (entry.kind == "AWS" and entry.value == "*"):
        return True
    if "*" in entry.value or "?" in entry.value:
        return readings.open_case(("Principal", entry.kind, entry.value, principal),
                                  f"Principal {entry.kind} {entry.value!r}, a wildcard inside a principal (the "
                                  "reference allows '*' only as the whole value)")
    if entry.kind != "AWS":
        return entry.value == principal
    account = entry.value if _ACCOUNT.fullmatch(entry.value) else None
    root = _ROOT.fullmatch(entry.value)
    if root:
        account = root["account"]
    if account is not None:
        request_arn = _PRINCIPAL_ARN.fullmatch(principal)
        return request_arn is not None and request_arn["account"] == account and federated(principal) is None
    if ":assumed-role/" in principal and ":role/" in entry.value:
        raise Unsupported(f"whether the role session {principal!r} is the role {entry.value!r} (AWS matches "
                          "sessions of a role named in Principal by rules not modelled here)")
    return entry.value == principal


def federated(principal: str) -> str | None:
    """The one action a federated principal's users send (`sts:AssumeRoleWithSAML` for a SAML provider's ARN,
    `sts:AssumeRoleWithWebIdentity` for an OIDC provider's ARN or a web identity provider's domain), or None
    when `principal` is not a federated one."""
    provider = _PROVIDER_ARN.fullmatch(principal)
    if provider is not None:
        return SAML_ACTION if provider["kind"] == "saml" else WEB_IDENTITY_ACTION
    return WEB_IDENTITY_ACTION if principal in WEB_IDENTITY_PROVIDERS else None


def _conditions(statement: Statement, request: Request, policy: Policy) -> tuple[bool, str]:
    if not statement.conditions:
        return True, "no Condition"
    variables = policy.version == VARIABLE_VERSION
    unsupported: Unsupported | None = None
    for condition in statement.conditions:
        try:
            if not holds(condition, request.context, variables=variables):
                return False, f"condition {condition.operator} on {condition.key} does not hold"
        except Unsupported as error:
            unsupported = unsupported or error
    if unsupported is not None:
        raise unsupported
    return True, "every condition holds"
