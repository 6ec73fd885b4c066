"""The symbolic request: z3 variables for who asks, for what, on which resource, with which context keys.

One `SymbolicRequest` stands for every request at once. Each context key the policies mention gets a
presence flag and a value of the sort its operators compare it as (Zelkova's typed request, FMCAD 2018):

    string, ARN, Bool  z3 String  (a Bool key holds "true" or "false" in any case, as the evaluator reads it)
    binary             z3 String  (canonical base-64: the evaluator compares decoded bytes)
    number             z3 Real    (decimals, compared exactly)
    date               z3 Int     (seconds since the epoch)
    ip                 a Bool "is IPv6" and a 128-bit vector (IPv4 in the low 32 bits)

A key compared under `ForAllValues:` / `ForAnyValue:` is a bounded set: a count and `bound` elements. The
bound is the number of classes its policy values cut the element space into (each literal value, plus
"none of them"; for `m` numbers or dates the values and the `m + 1` intervals around them; `2**m` where
wildcards, variables or CIDR blocks make classes overlap), so every combination of classes is a set the
solver can build; past `MAX_SET` elements (`MAX_EQUAL_SET` where the values are only compared for
equality) the bound is cut and `truncated` says so.

`universe` holds what every request satisfies: the documented shape of a principal and the keys AWS derives
from it (`aws:PrincipalArn` is the principal's ARN), and the values the concrete evaluator refuses as
unsupported. A "no difference" answer holds for every request in that universe; `analyse` reports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.encode_open import open_case
from solomonic.policy.encode_pieces import Piece
from solomonic.policy.model import (
    FEDERATED_SESSION_ACTIONS,
    SAML_ACTION,
    WEB_IDENTITY_ACTION,
    WEB_IDENTITY_PROVIDERS,
    Policy,
)
from solomonic.policy.operators import parse_operator
from solomonic.policy.unsupported import Unsupported

Sort = Literal["string", "bool", "binary", "number", "date", "ip"]
FAMILY_SORT: dict[str, Sort] = {"String": "string", "Arn": "string", "Bool": "bool", "Binary": "binary",
                                "Numeric": "number", "Date": "date", "IpAddress": "ip"}
MAX_SET = 5  # elements of a set whose classes overlap (wildcards, variables), or of numbers, dates, addresses
MAX_EQUAL_SET = 9  # elements of a set compared only for equality: one per value and one for "none of them"
# cost z3 little (kms:GrantOperations lists seven or eight operations), where eight elements under patterns
# with variables doubled a comparison's time
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
ACCOUNT_RE = z3.Loop(z3.Range("0", "9"), 12, 12)
# the name part of an identity provider's ARN (arn:PARTITION:iam::ACCOUNT:NAME): a federated principal, not an
# IAM identity of the account
PROVIDER_NAME = z3.Concat(z3.Union(z3.Re("saml-provider/"), z3.Re("oidc-provider/")), z3.Plus(strings.ANY_CHAR))
VARIABLE_VERSION = "2012-10-17"

# keys only an IAM principal (not an anonymous caller, not a service) carries (IAM reference, "AWS global
# condition context keys", *Properties of the principal*); aws:userid and aws:PrincipalType are left free:
# AWS sets them for anonymous callers too ("anonymous", "Anonymous")
IAM_PRINCIPAL_KEYS = ("aws:principalorgid", "aws:principalorgpaths", "aws:principaltag/", "aws:username",
                      "aws:multifactorauthpresent", "aws:multifactorauthage")

Value: TypeAlias = "z3.ExprRef | tuple[z3.BoolRef, z3.BitVecRef]"


@dataclass
class Key:
    """One context key: `name` as the policy first spells it, its sort, presence, and value(s)."""

    name: str
    sort: Sort
    present: z3.BoolRef
    values: list[Value]
    count: z3.ArithRef | None = None  # a set's number of elements; None for a single-valued key
    plain: bool = True  # compared without a set operator somewhere (the request then holds one value)

    @property
    def single(self) -> Value:
        return self.values[0]

    def members(self) -> list[tuple[z3.BoolRef, Value]]:
        """(is element i in the set, element i) for a set key."""
        assert self.count is not None
        return [(self.count > index, value) for index, value in enumerate(self.values)]


@dataclass
class _Usage:
    sorts: set[Sort] = field(default_factory=set)
    in_set: bool = False
    plain: bool = False
    arn: bool = False  # compared by an ARN operator
    in_wildcards: bool = False  # substituted as a variable where wildcards count
    variable: bool = False  # substituted as a policy variable somewhere
    constants: list[str] = field(default_factory=list)
    overlapping: bool = False
    spelling: str = ""
    # the regular expression each String or ARN policy value matches an element by, where no value embeds a
    # variable (None once one does): their combinations are the classes a set needs (`strings.classes`)
    matchers: dict[tuple[str, str], z3.ReRef] | None = field(default_factory=dict)


def _collect(policies: Iterable[Policy]) -> dict[str, _Usage]:
    usage: dict[str, _Usage] = {}

    def use(key: str) -> _Usage:
        entry = usage.setdefault(key.lower(), _Usage())
        entry.spelling = entry.spelling or key
        return entry

    for policy in policies:
        variables = policy.version == VARIABLE_VERSION
        for statement in policy.statements:
            for resource in (statement.resources or ()) if variables else ():
                for key in _variables(resource, True):
                    _variable_use(use(key), True)
            for condition in statement.conditions:
                try:
                    operator = parse_operator(condition.operator)
                except ValueError as error:
                    raise Unsupported(str(error)) from None
                entry = use(condition.key)
                if operator.family != "Null":
                    entry.sorts.add(FAMILY_SORT[operator.family])
                    entry.constants.extend(condition.values)
                    if operator.qualifier:
                        entry.in_set = True
                    else:
                        entry.plain = True
                wildcards = operator.base in ("StringLike", "StringNotLike") or operator.family == "Arn"
                if operator.family == "Arn":
                    entry.arn = True
                if variables and operator.family in ("String", "Arn", "Bool"):
                    for value in condition.values:
                        try:
                            pattern = strings.read(value, wildcards=wildcards)
                            keys, overlapping = pattern.variables, bool(pattern.variables) or pattern.literal is None
                        except Unsupported:  # a value the encoding does not model (`unmodelled`)
                            keys, overlapping = tuple(strings.variable_keys(value) or ()), True
                        entry.overlapping = entry.overlapping or overlapping
                        for key in keys:
                            _variable_use(use(key), wildcards)
                elif wildcards:
                    entry.overlapping = True
                if operator.qualifier and operator.family in ("String", "Arn"):
                    _add_matchers(entry, operator.base, condition.values, variables)
    return usage


def _variables(text: str, wildcards: bool) -> tuple[str, ...]:
    """The keys `text` reads as policy variables: as the encoding reads it, or, where it does not model the
    value (a default value: `unmodelled`), as `strings.variable_keys` finds them."""
    try:
        return strings.read(text, wildcards=wildcards).variables
    except Unsupported:
        return tuple(strings.variable_keys(text) or ())


def _add_matchers(entry: _Usage, base: str, values: Iterable[str], variables: bool) -> None:
    """Record the regular expression of each value as its operator matches an element (a negated operator
    matches by the same expression and negates the result)."""
    kind = ("arn" if base.startswith("Arn") else "like" if "Like" in base else
            "ignore-case" if "IgnoreCase" in base else "equals")
    for value in values:
        if entry.matchers is None:
            return
        try:
            pattern = strings.read(value, wildcards=kind in ("arn", "like"), variables=variables)
        except Unsupported:  # a value the encoding does not model (`unmodelled`) may tell any elements apart
            entry.matchers = None
            return
        if pattern.variables:
            entry.matchers = None
            return
        text = "".join(p.text for p in pattern.parts if p.kind == "text") if kind in ("equals", "ignore-case") else ""
        fields = strings.arn_fields_regex(pattern) if kind == "arn" else None
        if kind == "arn" and fields is None:  # an open case (`encode_open`): it may tell any elements apart
            entry.matchers = None
            return
        entry.matchers[(kind, value)] = (
            fields if fields is not None else
            strings.glob_regex(pattern, {}, star=strings.ANY_TEXT) if kind == "like" else
            strings.case_insensitive(text) if kind == "ignore-case" else z3.Re(text))


def _variable_use(entry: _Usage, wildcards: bool) -> None:
    entry.sorts.add("string")
    entry.plain = True
    entry.in_wildcards = entry.in_wildcards or wildcards
    entry.variable = True


class SymbolicRequest:
    """The request variables and the universe constraints, for the keys `policies` mention."""

    def __init__(self, policies: Iterable[Policy], extra_keys: Iterable[str] = ()) -> None:
        # the principal is a term over its parts, so that the solver never has to take an ARN apart
        self.anonymous, self.is_iam = z3.Bool("principal is anonymous"), z3.Bool("principal is IAM")
        self.partition, self.account = z3.String("principal partition"), z3.String("principal account")
        self.name, self.other = z3.String("principal name"), z3.String("principal (not IAM)")
        self.iam_arn = z3.Concat(z3.StringVal("arn:"), self.partition, z3.StringVal(":iam::"), self.account,
                                 z3.StringVal(":"), self.name)
        self.principal = z3.If(self.anonymous, z3.StringVal("*"), z3.If(self.is_iam, self.iam_arn, self.other))
        # an ARN of the IAM form names an IAM identity (a user, a role, a session, the root) or an identity
        # provider, whose name is `saml-provider/...` or `oidc-provider/...` (`_principal_shape`)
        self.is_provider = z3.Bool("principal is an identity provider")
        self.is_identity = z3.And(self.is_iam, z3.Not(self.is_provider))
        self.federated = z3.Or(self.is_provider, z3.And(
            z3.Not(self.anonymous), z3.Not(self.is_iam),
            z3.Or([self.other == z3.StringVal(domain) for domain in WEB_IDENTITY_PROVIDERS])))
        self.action = z3.String("action")  # lower case: AWS compares action names without regard to case
        self.resource = z3.String("resource")
        self.universe: list[z3.BoolRef] = []
        self.truncated: list[str] = []
        self.keys: dict[str, Key] = {}
        usage = _collect(policies)
        for name in extra_keys:
            usage.setdefault(name.lower(), _Usage(spelling=name))
        for lower, entry in sorted(usage.items()):
            self.keys[lower] = self._key(lower, entry)
        self._principal_shape()

    def key(self, name: str) -> Key:
        return self.keys[name.lower()]

    def _key(self, lower: str, entry: _Usage) -> Key:
        sorts = entry.sorts or {"string"}
        if len(sorts) > 1:
            raise Unsupported(f"condition key {entry.spelling!r} is compared as {' and as '.join(sorted(sorts))}")
        (sort,) = sorts
        present = z3.Bool(f"has {lower}")
        if not entry.in_set:
            key = Key(entry.spelling, sort, present, [_value(sort, lower)])
        else:
            if entry.plain and sort != "string":
                raise Unsupported(f"condition key {entry.spelling!r} is used both with and without a set operator")
            distinct = len(set(entry.constants))
            # the classes the policy values cut an element's space into: each value and "none of them" for
            # equalities; each value and the intervals between them for numbers and dates (`NumericLessThan`);
            # every combination where ranges or patterns overlap (CIDR blocks, wildcards, variables)
            # (for strings whose values embed no variable: the combinations some string realizes, counted)
            classes = (strings.classes(list(entry.matchers.values()), MAX_SET)
                       if entry.overlapping and sort == "string" and entry.matchers is not None else
                       2 ** distinct if entry.overlapping or sort == "ip" else
                       2 * distinct + 1 if sort in ("number", "date") else distinct + 1)
            limit = MAX_SET if entry.overlapping or sort != "string" else MAX_EQUAL_SET
            if classes > limit:
                self.truncated.append(f"{entry.spelling} (at most {limit} values)")
            bound = min(classes, limit)
            count = z3.Int(f"count {lower}")
            key = Key(entry.spelling, sort, present,
                      [_value(sort, f"{lower}[{i}]") for i in range(bound)], count, entry.plain)
            # a present set has at least one element (the evaluator refuses an empty one under Null); a key
            # also used without a set operator holds one value there (a list under a plain operator is refused)
            self.universe += [count >= 0, count <= bound, z3.Implies(present, count >= 1),
                              z3.Implies(z3.Not(present), count == 0)]
            if entry.plain:
                self.universe.append(z3.Implies(present, count == 1))
        for value in key.values:
            self.universe += _well_formed(sort, value, entry)
        return key

    def _principal_shape(self) -> None:
        """An IAM principal is `arn:PARTITION:iam::ACCOUNT:NAME`, an identity provider when NAME is
        `saml-provider/...` or `oidc-provider/...`; anyone else (a service, a web identity provider) is named by
        a string that is not `*` and has no `:`. The keys AWS derives from the principal agree with it:
        `aws:PrincipalArn` is an IAM identity's ARN, `aws:PrincipalAccount` its account, `aws:username` the
        last part of a user's name (`user/PATH/NAME`); a federated principal's call is unsigned and carries
        none of them (IAM reference, "AWS global condition context keys": "all signed requests"), and it sends
        only its assume-role call and the actions that call asks about (`federated_sends`): a policy that
        allows a SAML provider `sts:Assume*` allows its users nothing more than `sts:AssumeRoleWithSAML` does.

        Why a provider's name implies its shape and not the reverse: an identity whose name has a provider's
        shape (no real one has) is left in the universe, which only widens it, so every "no" still holds for
        the real requests; a witness never is one (`witness.Realism` names identities as the policies do,
        or `role/app`, and a provider only by a provider's name), and the evaluator would refuse it. The
        reverse implication ("an identity's name has no provider's shape", a negated membership over every
        principal name) multiplied the solver's work on the policies that test aws:PrincipalArn eightfold."""
        self.universe += [
            z3.Not(z3.And(self.anonymous, self.is_iam)),
            z3.Implies(self.is_provider, z3.And(self.is_iam, z3.InRe(self.name, PROVIDER_NAME))),
            z3.InRe(self.account, ACCOUNT_RE),
            z3.Or([self.partition == z3.StringVal(p) for p in PARTITIONS]),
            # a name is not empty, said as a regular constraint: a length beside the name's memberships sent z3
            # down a procedure that left an ArnNotLike role exemption undecided in 5 M units (12 000 so)
            z3.InRe(self.name, z3.Plus(strings.ANY_CHAR)),
            # a service, a federated provider's domain, a canonical user id: no ':' (every ARN is an IAM
            # principal's), which also keeps the other shapes apart; a regular membership is far cheaper for
            # z3 than the negated prefix test it replaces
            self.other != z3.StringVal("*"), z3.InRe(self.other, z3.Plus(strings.NOT_COLON)),
            self.federated_sends(),
        ]
        derived = {"aws:principalarn": self.iam_arn, "aws:principalaccount": self.account}
        for lower, key in self.keys.items():
            if lower in derived and key.count is None and key.sort == "string":
                # the key is the principal's own term, not a variable equated to it: z3 then matches patterns
                # against the ARN's parts instead of solving a word equation over the whole ARN
                # (its shape is the ARN's by construction; no further constraint is needed or cheap)
                key.present, key.values = self.is_identity, [derived[lower]]
            elif any(lower.startswith(prefix) for prefix in IAM_PRINCIPAL_KEYS):
                self.universe.append(z3.Implies(z3.Not(self.is_identity), z3.Not(key.present)))
        username = self.keys.get("aws:username")
        if username is not None and username.count is None and username.sort == "string":
            path = z3.String("principal user path")
            self.universe += [
                z3.InRe(path, z3.Option(z3.Concat(z3.Star(strings.NOT_COLON), z3.Re("/")))),
                z3.Implies(username.present,
                           self.name == z3.Concat(z3.StringVal("user/"), path, username.single))]


    def unmodelled(self, description: str, text: str, refused: Unsupported, *values: Value) -> z3.BoolRef:
        """A policy value the encoding does not model (`refused` says why: a policy variable with a default
        value, in a case-insensitive or Bool comparison, in an ARN value, ...) as an open case (`encode_open`)
        of the request values it can read: the compared `values` and every key its variables read, present or
        not, each element of a set. The concrete evaluator reads such values exactly, so a witness that holds
        whatever the predicate says is confirmed there. Raises `refused` where what the value reads is not
        known (a `${` of no documented form)."""
        keys = strings.variable_keys(text)
        if keys is None or any(name.lower() not in self.keys for name in keys):
            raise refused
        terms: list[z3.ExprRef] = []
        for value in values:
            terms += value if isinstance(value, tuple) else (value,)
        for name in keys:
            key = self.keys[name.lower()]
            terms += [key.present, *([key.count] if key.count is not None else [])]
            for value in key.values:
                terms += value if isinstance(value, tuple) else (value,)
        return open_case(description, *terms)

    def arn_pieces(self) -> list[tuple[z3.BoolRef, list[str | Piece]]]:
        """An IAM principal's ARN as constant text and variable pieces, one form per partition (which then is
        text): for `encode_pieces.glob_pieces`."""
        return [(self.partition == z3.StringVal(p),
                 [f"arn:{p}:iam::", Piece(self.account, digits=12), ":", Piece(self.name)]) for p in PARTITIONS]

    def federated_call(self) -> z3.BoolRef:
        """The request is the call a federated principal's users send to become a role session: a SAML
        provider's `sts:AssumeRoleWithSAML`, an OIDC or web identity provider's `sts:AssumeRoleWithWebIdentity`."""
        saml = z3.And(self.is_provider, z3.PrefixOf(z3.StringVal("saml-provider/"), self.name))
        action = z3.If(saml, z3.StringVal(SAML_ACTION.lower()), z3.StringVal(WEB_IDENTITY_ACTION.lower()))
        return z3.And(self.federated, self.action == action)

    def federated_sends(self) -> z3.BoolRef:
        """A federated principal is in a request only as that call's, or as one of the actions the same call
        asks the trust policy about (`model.FEDERATED_SESSION_ACTIONS`: session tags, a source identity)."""
        return z3.Implies(self.federated, z3.Or(self.federated_call(), *(
            self.action == z3.StringVal(action.lower()) for action in FEDERATED_SESSION_ACTIONS)))


def _value(sort: Sort, name: str) -> Value:
    if sort in ("string", "bool", "binary"):
        return z3.String(name)
    if sort == "number":
        return z3.Real(name)
    if sort == "date":
        return z3.Int(name)
    return (z3.Bool(f"{name} is IPv6"), z3.BitVec(name, 128))


def _well_formed(sort: Sort, value: Value, entry: _Usage) -> list[z3.BoolRef]:
    """What a value of this key must look like for the evaluator to read it (else it refuses the request)."""
    if sort == "bool":
        assert isinstance(value, z3.SeqRef)
        return [z3.InRe(value, z3.Union(strings.case_insensitive("true"), strings.case_insensitive("false")))]
    if sort == "binary":
        assert isinstance(value, z3.SeqRef)
        return [z3.InRe(value, BASE64)]
    if sort == "ip":
        assert isinstance(value, tuple)
        is_v6, bits = value
        return [z3.Implies(z3.Not(is_v6), z3.Extract(127, 32, bits) == 0)]
    if sort == "string":
        assert isinstance(value, z3.SeqRef)
        out = []
        if entry.arn:
            out.append(z3.InRe(value, strings.ARN_SHAPE))
        if entry.variable:  # the evaluator refuses an empty value there (substituted, or no value?)
            out.append(z3.Length(value) > 0)
        if entry.in_wildcards:
            out += [z3.Not(z3.Contains(value, z3.StringVal("*"))), z3.Not(z3.Contains(value, z3.StringVal("?")))]
        return out
    return []


_B64 = z3.Union(z3.Range("A", "Z"), z3.Range("a", "z"), z3.Range("0", "9"), z3.Re("+"), z3.Re("/"))
BASE64 = z3.Concat(z3.Star(z3.Loop(_B64, 4, 4)),
                   z3.Option(z3.Union(z3.Concat(z3.Loop(_B64, 2, 2), z3.Re("==")),
                                      z3.Concat(z3.Loop(_B64, 3, 3), z3.Re("=")))))
"""Canonical-looking base-64 (groups of four, padded); the encoding compares such strings as bytes."""
