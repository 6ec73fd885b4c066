"""The z3 encoding of a policy: a formula over a symbolic request that holds exactly when the policy allows it.

AWS's documented logic for one policy (IAM reference, "Policy evaluation logic"): an explicit Deny in a
matching statement wins, else a matching Allow allows, else the request is implicitly denied. A statement
matches when its action, resource, principal and every condition do (`statement_applies`). Zelkova (Backes
et al., FMCAD 2018) reads policies the same way; questions are then satisfiability queries over the request
(`analyse`): "A allows and B does not" has a model exactly when some request tells the two apart.

Elements, after the IAM reference pages the concrete evaluator (`evaluate`) cites; the code is written apart
and only `model` is shared, so that a witness found here is believed once the evaluator replays it:

* `Action` / `NotAction`: glob without regard to case: patterns are read in lower case, and so is the request's
  action (`lower_case_action`, asserted by `solve.search` where a model would otherwise use a capital). A
  wildcard in the service prefix (`*:Get*`) has no documented meaning: an open case (`encode_open`).
* `Resource` / `NotResource`: `encode_strings.resource_regexes`; a statement without either applies to any
  resource. Where the two readings of a `?` or a mid-segment `*` (within the segment, or across ':') differ
  on the request's resource, the match is an open case (`encode_open`).
* `Principal` / `NotPrincipal`: `*` and `{"AWS": "*"}` everyone (the anonymous caller too); an account id or
  its `:root` ARN every IAM identity of that account (not an identity provider created in it: its users are
  federated principals); any other value the principal it names. A wildcard
  inside a value is an open case (AWS allows `*` only whole). No element: the identity the policy is attached to.
* `Condition`: `encode_conditions`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.encode_conditions import condition_holds
from solomonic.policy.encode_open import cases as open_cases
from solomonic.policy.encode_open import open_case
from solomonic.policy.encode_request import VARIABLE_VERSION, SymbolicRequest
from solomonic.policy.model import Policy, PrincipalEntry, Statement
from solomonic.policy.unsupported import Unsupported

_ACCOUNT = re.compile(r"\d{12}")
_ROOT = re.compile(r"arn:[^:]+:iam::(\d{12}):root")
_IAM_ARN = re.compile(r"arn:([^:]+):iam::([^:]*):(.+)", re.DOTALL)
_LOWER_ASCII = z3.Star(z3.Diff(strings.ANY_CHAR, z3.Range("A", "Z")))


@dataclass
class Encoded:
    """A policy's formulas: `allows` (the decision is allow), `denies` (some Deny statement matches) and one
    `applies` formula per statement, in order."""

    policy: Policy
    allows: z3.BoolRef
    denies: z3.BoolRef
    applies: list[z3.BoolRef]


class Encoder:
    """Encodes policies over one shared `SymbolicRequest`, so that several can be compared."""

    def __init__(self, policies: Iterable[Policy], extra_keys: Iterable[str] = ()) -> None:
        self.policies = tuple(policies)
        self.request = SymbolicRequest(self.policies, extra_keys)
        # the action is compared in lower case: a request's action has no capital letter. Kept out of the
        # universe (`search` adds it only when a model needs it): the regular constraint can cost z3 seconds,
        # and a "no" over all actions holds a fortiori over lower-case ones
        self.lower_case_action = z3.InRe(self.request.action, _LOWER_ASCII)
        self.open_cases: dict[str, None] = {}  # the open cases (`encode_open`) the encoded policies read

    @property
    def universe(self) -> list[z3.BoolRef]:
        return self.request.universe

    def encode(self, policy: Policy) -> Encoded:
        variables = policy.version == VARIABLE_VERSION
        applies = [self.statement_applies(statement, variables) for statement in policy.statements]
        allow = [a for a, s in zip(applies, policy.statements) if s.effect == "Allow"]
        deny = [a for a, s in zip(applies, policy.statements) if s.effect == "Deny"]
        denies = z3.Or(deny) if deny else z3.BoolVal(False)
        allows = z3.And(z3.Or(allow), z3.Not(denies)) if allow else z3.BoolVal(False)
        self.open_cases.update(dict.fromkeys(open_cases(applies)))
        return Encoded(policy, allows, denies, applies)

    def statement_applies(self, statement: Statement, variables: bool) -> z3.BoolRef:
        request = self.request
        parts = [self._action(statement), self._resource(statement, variables), self._principal(statement)]
        parts += [condition_holds(condition, request, variables) for condition in statement.conditions]
        return z3.And(parts)

    def _action(self, statement: Statement) -> z3.BoolRef:
        hits = []
        for text in statement.actions:
            service = text.partition(":")[0]
            if text != "*" and ("*" in service or "?" in service):  # no documented meaning (`encode_open`)
                hits.append(open_case(f"Action {text.lower()!r}", self.request.action))
                continue
            pattern = strings.read(text.lower(), variables=False)
            literal = pattern.literal
            hits.append(self.request.action == z3.StringVal(literal) if literal is not None
                        else z3.InRe(self.request.action, strings.glob_regex(pattern, {})))
        hit = z3.Or(hits)
        return z3.Not(hit) if statement.not_action else hit

    def _resource(self, statement: Statement, variables: bool) -> z3.BoolRef:
        if statement.resources is None:
            return z3.BoolVal(True)
        hits = []
        for text in statement.resources:
            try:
                hits.append(self._resource_value(text, variables))
            except Unsupported as refused:  # a value the encoding does not model: an open case of what it reads
                hits.append(self.request.unmodelled(f"Resource {text!r}", text if variables else "", refused,
                                                    self.request.resource))
        hit = z3.Or(hits)
        return z3.Not(hit) if statement.not_resource else hit

    def _resource_value(self, text: str, variables: bool) -> z3.BoolRef:
        """The request's resource matches the `Resource` value `text`."""
        pattern = strings.read(text, variables=variables)
        keys = [self.request.key(k) for k in pattern.variables]
        for key in keys:
            if key.count is not None or key.sort != "string":
                raise Unsupported(f"Resource {text!r}: the key {key.name!r} used as a policy variable is not "
                                  "a single string")
        terms = {k: self.request.key(k).single for k in pattern.variables}
        exact = strings.term(pattern, terms)
        if exact is not None:
            return z3.And(*(key.present for key in keys), self.request.resource == exact)
        within, anything = strings.resource_regexes(pattern, terms)
        matched = z3.InRe(self.request.resource, within)
        if anything is not None:  # where the readings differ, an open case (`encode_open`)
            matched = z3.Or(matched, z3.And(z3.InRe(self.request.resource, anything), open_case(
                f"Resource {text!r} across ':'", self.request.resource, *terms.values())))
        return z3.And(*(key.present for key in keys), matched)

    def _principal(self, statement: Statement) -> z3.BoolRef:
        if statement.principals is None:
            return z3.BoolVal(True)
        hit = z3.Or([self._principal_entry(entry) for entry in statement.principals])
        return z3.Not(hit) if statement.not_principal else hit

    def _principal_entry(self, entry: PrincipalEntry) -> z3.BoolRef:
        request = self.request
        if entry.kind == "*" or (entry.kind == "AWS" and entry.value == "*"):
            return z3.BoolVal(True)
        if "*" in entry.value or "?" in entry.value:  # AWS allows '*' only whole: an open case (`encode_open`)
            return open_case(f"Principal {entry.kind} {entry.value!r}", request.principal)
        if entry.kind == "AWS":
            root = _ROOT.fullmatch(entry.value)
            account = entry.value if _ACCOUNT.fullmatch(entry.value) else root.group(1) if root else None
            if account is not None:
                return z3.And(request.is_identity, request.account == z3.StringVal(account))
        # the principal equals the value: compared part by part (an IAM ARN's parts are unique: the partition
        # and the account hold no ':'), which spares the solver a word equation over the whole ARN
        iam = _IAM_ARN.fullmatch(entry.value)
        if iam:
            return z3.And(request.is_iam, request.partition == z3.StringVal(iam[1]),
                          request.account == z3.StringVal(iam[2]), request.name == z3.StringVal(iam[3]))
        if ":" in entry.value:
            return z3.BoolVal(False)  # no principal of the universe (`SymbolicRequest._principal_shape`)
        return z3.And(z3.Not(request.anonymous), z3.Not(request.is_iam), request.other == z3.StringVal(entry.value))
