"""`check`: Access Analyzer's two questions for a resource policy, and over-grants in an identity policy.

*Public* (after S3's "The meaning of public" and IAM Access Analyzer's findings): an anonymous request
(principal `*`, no principal keys: unsigned requests carry none) is allowed while the keys that name a
caller's place hold an outsider's values: `aws:SourceIp` is an address outside every CIDR the policy names
(a CIDR shorter than /8, or /32 for IPv6, names no one's network and limits nothing), and `aws:SourceVpc`,
`aws:SourceVpce`, `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceOrgID`,
`s3:DataAccessPointArn`/`Account` and the KMS key id are absent or differ from every fixed value the policy
names (a value with a wildcard is matched by outsiders too: S3 counts only "fixed values"). Keys a caller
chooses freely (`aws:SecureTransport`, `aws:Referer`, `aws:UserAgent`, `s3:prefix`, ...) stay free.

*Cross-account* (Access Analyzer's external access): an IAM identity of an account other than the owner is
allowed, or a federated principal's users are: a SAML provider's `sts:AssumeRoleWithSAML`, an OIDC or web
identity provider's (Amazon Cognito, Google, ...) `sts:AssumeRoleWithWebIdentity`, with whatever provider
claims (`cognito-identity.amazonaws.com:aud`, `SAML:aud`) the policy's conditions accept. Access Analyzer
reports such a role trust as external access whatever account the provider was created in (its findings name
the principal `{"Federated": ...}`): a provider's users are no account's principals. Every context key is
free but those AWS derives from the principal. The owner is `account`, else the one account the policy's
resource ARNs name; with neither (an S3 bucket ARN names none) the answer is unknown and the reason asks for
it. A grant to a `CanonicalUser` keeps a "no" unknown: which account an S3 canonical user id names is not in
the policy.

`conditions` names the keys of both lists (and the principal keys: `aws:PrincipalOrgID`, ...) the policy's
conditions use: the ones that can make a grant non-public or limit it to an organisation.
"""

from __future__ import annotations

import functools
import ipaddress
import re

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.catalogue import catalogue
from solomonic.policy.encode import Encoded, Encoder
from solomonic.policy.evaluate import decide, federated
from solomonic.policy.model import Policy, Request, Statement
from solomonic.policy.result import CheckResult, Finding
from solomonic.policy.solve import Deadline, Search, assumptions, expect, search
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.witness import Realism

SOURCE_IP = "aws:sourceip"
FIXED_VALUE_KEYS = ("aws:sourcevpc", "aws:sourcevpce", "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
                    "aws:sourceorgid", "aws:sourceorgpaths", "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
                    "s3:x-amz-server-side-encryption-aws-kms-key-id")
ANONYMOUS_VALUES = {"aws:userid": "anonymous", "aws:principaltype": "Anonymous"}  # what AWS sets for them
SERVICE_KEYS = ("aws:principalservicename", "aws:principalservicenameslist", "aws:principalisawsservice")
PRINCIPAL_KEYS = ("aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
                  "aws:principaltag/", "aws:userid", "aws:username", "aws:principaltype")
ESCALATION = ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy",
              "iam:AttachRolePolicy", "iam:AttachGroupPolicy", "iam:PutUserPolicy", "iam:PutRolePolicy",
              "iam:PutGroupPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
              "iam:AddUserToGroup", "iam:UpdateAssumeRolePolicy")
_ACCOUNT = re.compile(r"\d{12}")


def check(policy: Policy, account: str | None = None, timeout_s: float = 10.0) -> CheckResult:
    """Public and cross-account for a resource policy, findings for an identity policy (module docstring)."""
    deadline = Deadline(timeout_s)
    try:
        encoder = Encoder([policy], extra_keys=())
        encoded = encoder.encode(policy)
    except Unsupported as error:
        return CheckResult(policy.source, policy.kind, None, None, None, None, reason=f"not modelled: {error}")
    if policy.kind == "identity":
        return _identity(policy, encoder, encoded, account, deadline)
    return _resource(policy, encoder, encoded, account, deadline)


def _resource(policy: Policy, encoder: Encoder, encoded: Encoded, account: str | None,
              deadline: Deadline) -> CheckResult:
    realism = Realism(encoder, catalogue)
    request = encoder.request
    allowed = lambda r: expect(policy, r, True)  # noqa: E731 - the replay both questions share
    public = search(encoder, realism, encoded.allows, [request.anonymous, *_outsider(policy, encoder)], allowed,
                    deadline, "an anonymous request the policy allows")
    reasons = [public.reason] if public.unknown else []
    notes = list(assumptions(encoder))
    owner = account or _named_account(policy)
    cross: Search | None = None
    if owner is None:
        reasons.append("cross-account: the owning account is unknown (the resource ARNs name none, or several); "
                       "pass --account")
    else:
        if account is None:
            notes.append(f"the resource belongs to account {owner}, the one its ARNs name")
        outsider = z3.Or(z3.And(request.is_identity, request.account != z3.StringVal(owner)),
                         request.federated_call())
        cross = search(encoder, realism, encoded.allows, [z3.Not(request.anonymous), outsider], allowed, deadline,
                       f"a request from an account other than {owner}, or from a federated principal, the "
                       "policy allows")
        unaccounted = _unaccounted_principals(policy)
        if cross.request is None and not cross.unknown and unaccounted:
            cross = Search(None, f"cross-account: the policy allows {unaccounted[0]}")
        if cross.unknown:
            reasons.append(cross.reason)
    truncated = encoder.request.truncated
    if truncated:  # a "no" might need a larger set than the bound explored
        bound = f"the multi-valued keys were explored with bounded sets: {', '.join(truncated)}"
        if public.request is None and not public.unknown:
            public = Search(None, f"public: {bound}")
            reasons.append(public.reason)
        if cross is not None and cross.request is None and not cross.unknown:
            cross = Search(None, f"cross-account: {bound}")
            reasons.append(cross.reason)
    scoped = [s for s in (public, cross) if s is not None and s.scope]
    widest = max(scoped, key=lambda s: s.scope == "well-formed", default=None)  # well-formed implies real
    notes += [*((widest.assumption,) if widest else ()), *(s.note for s in scoped)]
    findings = []
    if public.request is not None:
        findings.append(_finding(policy, public.request, "public-access", "anyone (an anonymous request) is allowed"))
    if cross is not None and cross.request is not None:
        who = (f"the users of the federated principal {cross.request.principal} (outside account {owner}) are "
               "allowed" if federated(cross.request.principal) is not None else
               f"a principal of account {_account_of(cross.request)} (not {owner}) is allowed")
        findings.append(_finding(policy, cross.request, "cross-account-access", who))
    return CheckResult(policy.source, policy.kind,
                       None if public.unknown else public.request is not None, public.request,
                       None if cross is None or cross.unknown else cross.request is not None,
                       cross.request if cross is not None else None, tuple(findings),
                       _limiting_keys(policy), "; ".join(reasons), tuple(notes))


def _unaccounted_principals(policy: Policy) -> list[str]:
    """The principals the policy's Allow statements name that are outside the account, or may be, and that
    no request of the question stands for, in words: a `CanonicalUser` id names an account (or a CloudFront
    origin access identity) in S3's own naming, which nothing in the policy ties to one. So "no cross-account
    access" cannot be said of a policy that grants one anything."""
    return [f"{entry.value} (an S3 canonical user id, and which account it names is not known)"
            for s in policy.statements if s.effect == "Allow" and s.principals and not s.not_principal
            for entry in s.principals if entry.kind == "CanonicalUser"]


def _outsider(policy: Policy, encoder: Encoder) -> list[z3.BoolRef]:
    """The anonymous outsider: no service keys, a source address and fixed-value keys of no one the policy names."""
    out: list[z3.BoolRef] = []
    for lower, key in encoder.request.keys.items():
        constants = [v for s in policy.statements for c in s.conditions if c.key.lower() == lower for v in c.values]
        if lower in SERVICE_KEYS:
            out.append(z3.Not(key.present))
        elif lower in ANONYMOUS_VALUES and key.sort == "string" and key.count is None:
            out.append(z3.Implies(key.present, key.single == z3.StringVal(ANONYMOUS_VALUES[lower])))
        elif lower == SOURCE_IP and key.sort == "ip" and key.count is None:
            out.append(key.present)
            out += [z3.Not(_inside(key.single, text)) for text in constants if _restricts(text)]
        elif lower in FIXED_VALUE_KEYS and key.sort == "string":
            fixed = [text for text in constants if "*" not in text and "?" not in text and "${" not in text]
            for value in key.values:
                assert isinstance(value, z3.SeqRef)
                out += [z3.Implies(key.present, z3.Not(z3.InRe(value, strings.case_insensitive(text))))
                        for text in fixed]
    return out


def _restricts(text: str) -> bool:
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return False
    return network.prefixlen >= (8 if network.version == 4 else 32)


def _inside(value: object, text: str) -> z3.BoolRef:
    assert isinstance(value, tuple)
    is_v6, bits = value
    network = ipaddress.ip_network(text.strip(), strict=False)
    family = is_v6 if network.version == 6 else z3.Not(is_v6)
    return z3.And(family, bits & z3.BitVecVal(int(network.netmask), 128) == int(network.network_address))


def _named_account(policy: Policy) -> str | None:
    accounts = {fields[4] for s in policy.statements for r in (s.resources or ()) if not s.not_resource
                for fields in [r.split(":")] if len(fields) > 5 and _ACCOUNT.fullmatch(fields[4])}
    return accounts.pop() if len(accounts) == 1 else None


def _limiting_keys(policy: Policy) -> tuple[str, ...]:
    names = dict.fromkeys(c.key for s in policy.statements for c in s.conditions
                          if c.key.lower() in (SOURCE_IP, *FIXED_VALUE_KEYS)
                          or any(c.key.lower().startswith(p) for p in PRINCIPAL_KEYS))
    return tuple(names)


def _account_of(request: Request) -> str:
    fields = request.principal.split(":")
    return fields[4] if len(fields) > 4 else "?"


def _finding(policy: Policy, request: Request, code: str, message: str) -> Finding:
    deciding = decide(policy, request).deciding
    location = deciding[0].location if deciding else None
    return Finding(code, f"{message}: {request.action} on {request.resource}", location, request)


def _identity(policy: Policy, encoder: Encoder, encoded: Encoded, account: str | None,
              deadline: Deadline) -> CheckResult:
    request = encoder.request
    extra = [request.is_identity, z3.Not(request.anonymous)]
    if account is not None:
        extra.append(request.account == z3.StringVal(account))
    realism = Realism(encoder, catalogue, also=("iam:PassRole", *ESCALATION))
    findings: list[Finding] = []
    reasons: list[str] = []
    scoped: list[Search] = []  # no finding among real or well-formed requests only: the answer assumes so
    for statement, applies in zip(policy.statements, encoded.applies):
        if statement.effect != "Allow":
            continue
        for code, message, goal in _over_grants(statement, request.action):
            found = search(encoder, realism, z3.And(encoded.allows, applies, goal), extra,
                           functools.partial(_decided_by, policy, statement), deadline,
                           f"{code} (line {statement.location.line})")
            if found.request is not None:
                findings.append(Finding(code, f"{message}: e.g. {found.request.action} on {found.request.resource}",
                                        statement.location, found.request))
            elif found.unknown:
                reasons.append(found.reason)
            elif found.scope:
                scoped.append(found)
    widest = max(scoped, key=lambda s: s.scope == "well-formed", default=None)  # well-formed implies real
    notes = (*assumptions(encoder), *((widest.assumption,) if widest else ()), *(s.note for s in scoped))
    return CheckResult(policy.source, policy.kind, None, None, None, None, tuple(findings),
                       _limiting_keys(policy), "; ".join(reasons), notes)


def _over_grants(statement: Statement, action: z3.SeqRef) -> list[tuple[str, str, z3.BoolRef]]:
    """The over-grants this Allow statement's text suggests, each with the request property that shows it."""
    out: list[tuple[str, str, z3.BoolRef]] = []
    every_resource = statement.resources is not None and not statement.not_resource and "*" in statement.resources
    if not statement.not_action and every_resource and any(a in ("*", "*:*") for a in statement.actions):
        out.append(("full-admin", "the statement allows every action on every resource", z3.BoolVal(True)))
    if not statement.not_action and every_resource:
        out.append(("pass-role-on-any-role", "the statement allows iam:PassRole on every role",
                    action == z3.StringVal("iam:passrole")))
        out.append(("privilege-escalation", "the statement allows an action that can grant its caller more "
                    "permissions, on every resource", z3.Or([action == z3.StringVal(a.lower()) for a in ESCALATION])))
    if statement.not_action:
        out.append(("allow-not-action", "Allow with NotAction allows every action it does not list",
                    z3.BoolVal(True)))
    if statement.not_resource:
        out.append(("allow-not-resource", "Allow with NotResource allows every resource it does not list",
                    z3.BoolVal(True)))
    return out


def _decided_by(policy: Policy, statement: Statement, request: Request) -> str | None:
    evaluation = decide(policy, request)
    if evaluation.decision == "allow" and statement in evaluation.deciding:
        return None
    return f"{policy.source} decides {evaluation.decision} by other statements"
