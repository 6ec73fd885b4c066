"""Condition blocks as z3 formulas over a `SymbolicRequest`.

The semantics, from the IAM reference "IAM JSON policy elements: Condition operators" and "Set operators
for multivalued context keys" (the same pages the evaluator's `conditions` cites; the code is written apart):

* a key absent from the request makes a positive operator false and a negated one (`StringNotEquals`,
  `NotIpAddress`, ...) true; `...IfExists` holds where the key is absent; `Null` `true` means absent;
* several values of one key are ORed, and NORed for a negated operator;
* `ForAnyValue:` holds when some element of the request's set matches (false when the key is absent),
  `ForAllValues:` when every element does (true when absent); a negated operator is negated element-wise;
* a policy value holding a variable whose key is absent matches nothing ("there is no equal or like value").

Numbers are reals, dates integer epoch seconds, IP ranges bit masks, `BinaryEquals` a comparison of decoded
bytes, `Bool` a case-insensitive true/false. A policy value the family cannot read, or that the reference
gives no meaning (`Null` or `Bool` neither true nor false, an ARN value of fewer than six fields), and a date
with fractions of a second (the request's dates are whole seconds here), is an open case (`encode_open`).
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from datetime import datetime, timezone
from fractions import Fraction

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.encode_open import open_case
from solomonic.policy.encode_pieces import glob_pieces
from solomonic.policy.encode_request import Key, SymbolicRequest, Value
from solomonic.policy.model import Condition
from solomonic.policy.operators import POSITIVE_OF, Operator, parse_operator
from solomonic.policy.unsupported import Unsupported

_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def condition_holds(condition: Condition, request: SymbolicRequest, variables: bool) -> z3.BoolRef:
    """The formula: `condition` holds for the request. `variables`: the policy's Version substitutes them."""
    operator = parse_operator(condition.operator)
    key = request.key(condition.key)
    if operator.family == "Null":
        return _null(condition, key)
    matcher = _Matcher(operator, condition, request, variables)
    if operator.qualifier is None:
        return z3.If(key.present, matcher.one(key.single), z3.BoolVal(operator.negated or operator.if_exists))
    members = key.members()
    if operator.qualifier == "ForAnyValue":
        some = z3.Or([z3.And(inside, matcher.one(value)) for inside, value in members])
        return z3.If(key.present, some, z3.BoolVal(operator.if_exists))
    return z3.Implies(key.present, z3.And([z3.Implies(inside, matcher.one(value)) for inside, value in members]))


def _null(condition: Condition, key: Key) -> z3.BoolRef:
    wanted = []
    for text in condition.values:
        if text.lower() not in ("true", "false"):  # no documented meaning: an open case of the key's presence
            wanted.append(open_case(f"Null {text!r} on {condition.key.lower()!r}", key.present))
        else:
            wanted.append(z3.Not(key.present) if text.lower() == "true" else key.present)
    return z3.Or(wanted)


class _Matcher:
    """One request value against all the policy values of a condition: OR, or NOR when negated."""

    def __init__(self, operator: Operator, condition: Condition, request: SymbolicRequest, variables: bool):
        self.operator = operator
        self.base = POSITIVE_OF.get(operator.base, operator.base)
        self.condition = condition
        self.request = request
        self.variables = variables and operator.family in ("String", "Arn", "Bool")

    def one(self, value: Value) -> z3.BoolRef:
        if self.operator.family == "Arn" and isinstance(value, z3.SeqRef) and value.eq(self.request.iam_arn):
            matched = self._principal_arn()
        else:
            matched = z3.Or([self._value(value, text) for text in self.condition.values])
        return z3.Not(matched) if self.operator.negated else matched

    def _principal_arn(self) -> z3.BoolRef:
        """aws:PrincipalArn (`arn:PARTITION:iam::ACCOUNT:NAME`, its fields known apart: the partition and the
        account hold no ':') against the condition's ARN values, each field matched on its own. Values that
        agree on every field but the name (`arn:aws:iam::*:role/a`, `arn:aws:iam::*:role/b*`) become one
        membership of the name in the union of theirs: exact, and z3 decides one membership where a
        disjunction of memberships of one string, negated in the other policy, went undecided (a service
        control policy exempting two roles by ArnNotLike, one value mutated: no answer in 5 million units)."""
        request = self.request
        groups: dict[tuple[str, ...], tuple[list[z3.ReRef], list[z3.ReRef]]] = {}
        open_values: list[z3.BoolRef] = []
        for text in self.condition.values:
            try:
                fields = strings.arn_field_regexes(strings.read(text, variables=self.variables))
            except Unsupported as refused:  # a policy variable in the value: `unmodelled`
                open_values.append(request.unmodelled(f"{self.base} {text!r}", text if self.variables else "",
                                                      refused, request.iam_arn))
                continue
            if fields is None:
                open_values.append(self._open_arn(text, request.iam_arn))
                continue
            key = tuple(field.sexpr() for field in fields[:5])
            groups.setdefault(key, (fields[:5], []))[1].append(fields[5])
        parts = [z3.StringVal("arn"), request.partition, z3.StringVal("iam"), z3.StringVal(""), request.account]
        return z3.Or([z3.And(*(z3.InRe(term, field) for term, field in zip(parts, fields)),
                             z3.InRe(request.name, names[0] if len(names) == 1 else z3.Union(*names)))
                      for fields, names in groups.values()] + open_values)

    def _open_arn(self, text: str, value: z3.SeqRef) -> z3.BoolRef:
        """An ARN operator's value of fewer than six fields (or the request's, which the universe leaves out)
        against `value`: no documented meaning, an open case (`encode_open`)."""
        return open_case(f"{self.base} {text!r}", value)

    def _value(self, value: Value, text: str) -> z3.BoolRef:
        """`value` against the policy value `text`; a policy value the encoding does not model (a policy variable
        with a default value, or in a comparison it does not take variables apart in) an open case of what it
        reads (`SymbolicRequest.unmodelled`)."""
        try:
            return self._against(value, text)
        except Unsupported as refused:
            return self.request.unmodelled(f"{self.base} {text!r}", text if self.variables else "", refused, value)

    def _against(self, value: Value, text: str) -> z3.BoolRef:
        family = self.operator.family
        if family in ("String", "Arn", "Bool"):
            assert isinstance(value, z3.SeqRef)
            return self._string(value, text)
        try:
            if family == "Numeric":
                return _ordered(self.base, value, _number(text, self.condition))
            if family == "Date":
                return _ordered(self.base, value, _date(text, self.condition))
            if family == "Binary":
                assert isinstance(value, z3.SeqRef)
                return z3.InRe(value, _base64_encodings(text, self.condition))
            assert isinstance(value, tuple)
            return _in_network(value, text, self.condition)
        except Unsupported:
            # a value the family cannot read (or a date the encoding cannot count in whole seconds): an open
            # case of the request's value, which the evaluator reads under every reading too
            return open_case(f"{self.base} {text!r}", *(value if isinstance(value, tuple) else (value,)))

    def _string(self, value: z3.SeqRef, text: str) -> z3.BoolRef:
        wildcards = self.base in ("StringLike", "ArnEquals", "ArnLike")
        pattern = strings.read(text, wildcards=wildcards, variables=self.variables)
        needed = [self.request.key(k).present for k in pattern.variables]
        terms = {k: self.request.key(k).single for k in pattern.variables}
        for k in pattern.variables:
            if self.request.key(k).count is not None or self.request.key(k).sort != "string":
                raise Unsupported(f"{text!r}: the key {k!r} used as a policy variable is not a single string")
        if self.base == "Bool":
            if pattern.variables:
                raise Unsupported(f"Bool on {self.condition.key!r} with a policy variable {text!r}")
            if text.lower() not in ("true", "false"):  # no documented meaning: an open case of the value
                return open_case(f"Bool {text!r}", value)
            return z3.InRe(value, strings.case_insensitive(text.lower()))
        if self.operator.family == "Arn":  # (aws:PrincipalArn is matched field by field: `_principal_arn`)
            fields = strings.arn_fields_regex(pattern)
            return z3.InRe(value, fields) if fields is not None else self._open_arn(text, value)
        ignore_case = self.base == "StringEqualsIgnoreCase"
        exact = strings.term(pattern, terms) if not ignore_case else None
        if exact is not None:
            return z3.And(*needed, value == exact)
        if value.eq(self.request.iam_arn) and not ignore_case and not pattern.variables:
            # the principal's ARN against a glob, taken apart at its pieces (`encode_pieces`: as one membership
            # of the concatenation, z3 gave no answer)
            return z3.Or([z3.And(known, glob_pieces(pattern, pieces)) for known, pieces in self.request.arn_pieces()])
        return z3.And(*needed, z3.InRe(value, strings.glob_regex(pattern, terms, ignore_case=ignore_case,
                                                                 star=strings.ANY_TEXT)))


def _ordered(base: str, value: Value, constant: Fraction | int) -> z3.BoolRef:
    assert isinstance(value, z3.ArithRef)
    bound = z3.RealVal(str(constant)) if isinstance(constant, Fraction) else z3.IntVal(constant)
    relation = base.removeprefix("Numeric").removeprefix("Date")
    return {"Equals": value == bound, "LessThan": value < bound, "LessThanEquals": value <= bound,
            "GreaterThan": value > bound, "GreaterThanEquals": value >= bound}[relation]


def _number(text: str, condition: Condition) -> Fraction:
    try:
        if "/" in text or "_" in text:
            raise ValueError(text)
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise Unsupported(f"{condition.operator} on {condition.key!r}: {text!r} is not a decimal number") from None


def _date(text: str, condition: Condition) -> int:
    """Epoch seconds of an ISO 8601 date-time with a time zone, or of an integer epoch time."""
    stripped = text.strip()
    if stripped.lstrip("-").isdigit():
        return int(stripped)
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Unsupported(f"{condition.operator} on {condition.key!r}: {text!r} is not an ISO 8601 date-time with "
                          "a time zone or epoch seconds")
    if moment.microsecond:
        raise Unsupported(f"{condition.operator} on {condition.key!r}: {text!r} has fractions of a second")
    return int((moment - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds())


def _in_network(value: tuple[z3.BoolRef, z3.BitVecRef], text: str, condition: Condition) -> z3.BoolRef:
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise Unsupported(f"{condition.operator} on {condition.key!r}: {text!r} is not a CIDR block") from None
    is_v6, bits = value
    width = network.max_prefixlen
    mask = z3.BitVecVal(int(network.netmask), 128)
    net = z3.BitVecVal(int(network.network_address), 128)
    family = is_v6 if width == 128 else z3.Not(is_v6)
    return z3.And(family, bits & mask == net)


def _base64_encodings(text: str, condition: Condition) -> z3.ReRef:
    """Every base-64 text that decodes (as the evaluator decodes, `validate=True`) to the bytes `text` does:
    the canonical text, with any value in the unused low bits of the last character before `=` padding."""
    try:
        canonical = base64.b64encode(base64.b64decode(text, validate=True)).decode()
    except binascii.Error:
        raise Unsupported(f"BinaryEquals on {condition.key!r}: {text!r} is not base-64") from None
    padding = len(canonical) - len(canonical.rstrip("="))
    if not padding:
        return z3.Re(canonical)
    head, last = canonical[: -padding - 1], canonical[-padding - 1]
    unused = 4 if padding == 2 else 2
    index = _B64_ALPHABET.index(last)
    variants = [z3.Re(_B64_ALPHABET[(index >> unused << unused) + low]) for low in range(2 ** unused)]
    return z3.Concat(z3.Re(head), z3.Union(*variants), z3.Re("=" * padding))
