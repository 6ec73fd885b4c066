"""Does one condition (`{"operator": {"key": [values]}}`) hold for a request? The evaluator's condition logic.

Sources, all in the IAM reference:

* "Condition operators": a key absent from the request makes a positive operator false and a negated one
  (`StringNotEquals`, `StringNotLike`, `NumericNotEquals`, `DateNotEquals`, `NotIpAddress`, `ArnNotEquals`,
  `ArnNotLike`, ...IgnoreCase) true; `...IfExists` is true where the key is absent and otherwise the
  operator; `Null` `true` holds when the key is absent, `false` when present. Matching is per family:
  strings case-sensitive (`StringEqualsIgnoreCase` aside), wildcards only in `StringLike`/`StringNotLike`
  and the ARN operators; numbers compared as numbers (integers and decimals, compared exactly here as
  fractions); dates in ISO 8601 or as epoch seconds; `Bool` true/false; `BinaryEquals` base-64; `IpAddress`
  CIDR blocks, IPv4 and IPv6 ("a single IP address ... or a range of addresses in CIDR format"); `ArnEquals`
  and `ArnLike` the same: each of the six components matched on its own (`wildcard.arn_fieldwise_matches`).
* "Conditions with multiple context keys or values": several values of one key are ORed, and NORed for a
  negated operator (the request value matches none of them).
* "Set operators for multivalued context keys": `ForAllValues:` holds when every request value matches some
  policy value, and also when the key is absent or empty; `ForAnyValue:` when at least one does (false when
  absent). A negated operator under a set operator is negated value by value (`ForAllValues:StringNotLike`:
  no request value is like any policy value; `ForAnyValue:StringNotEquals`: some request value equals none).
  A single-valued key under a set operator is a set of one ("Single-valued vs. multivalued context keys"
  advises against the form, and gives it no other meaning).

A multi-valued request value under an operator without a set prefix is `Unsupported`: "multivalued context
keys require a condition set operator", and the reference gives the other form no meaning. So is a request
value the family cannot read (AWS builds those; the analysis leaves them out). A *policy* value the family
cannot read (a number that is not one, a date without a time zone, a CIDR block that is not one, `Bool` or
`Null` neither true nor false, an ARN value of fewer than six fields) has no documented meaning either, but
AWS still answers each comparison with it yes or no: each is an open case (`readings`) of the policy value and
the request value, decided under every reading.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from fractions import Fraction

from solomonic.policy import wildcard
from solomonic.policy.model import Condition, ContextValue
from solomonic.policy.operators import POSITIVE_OF, Operator, parse_operator
from solomonic.policy.readings import open_case
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.variables import lookup, substitute
from solomonic.policy.wildcard import Pattern

# families whose values may hold policy variables (reference: "Policy variables - Supported" per family)
_VARIABLE_FAMILIES = frozenset({"String", "Bool", "Arn"})
_WILDCARD_OPERATORS = frozenset({"StringLike", "ArnEquals", "ArnLike"})


def holds(condition: Condition, context: Mapping[str, ContextValue], *, variables: bool) -> bool:
    """Does `condition` hold for a request with this context? `variables`: the policy's Version substitutes
    policy variables. Raises `Unsupported` (module docstring)."""
    operator = parse_operator(condition.operator)
    value = lookup(context, condition.key)
    if operator.family == "Null":
        return _null(condition, value)
    if value is None:
        if operator.if_exists or operator.qualifier == "ForAllValues":
            return True
        return operator.negated and operator.qualifier is None
    if operator.qualifier is None:
        if isinstance(value, tuple):
            raise Unsupported(f"{condition.operator} on {condition.key!r}, which has several values in the "
                              "request: a multi-valued key needs ForAllValues: or ForAnyValue:")
        return _one_value(operator, condition, value, context, variables)
    values = value if isinstance(value, tuple) else (value,)
    each = (_one_value(operator, condition, item, context, variables) for item in values)
    return all(each) if operator.qualifier == "ForAllValues" else any(each)


def _null(condition: Condition, value: ContextValue | None) -> bool:
    """`Null`: "true" holds where the key is absent, "false" where it is present; several values are ORed. A
    value that is neither has no documented meaning: an open case of the value and the key's presence."""
    if value == ():
        raise Unsupported(f"Null on {condition.key!r}, present in the request with no values")
    absent = value is None
    return any(absent == (text.lower() == "true") if text.lower() in ("true", "false") else
               open_case(("Null", text, condition.key.lower(), absent),
                         f"Null on {condition.key!r} with the value {text!r}, neither true nor false, where the key "
                         f"is {'absent' if absent else 'present'}")
               for text in condition.values)


def _one_value(operator: Operator, condition: Condition, request_value: str,
               context: Mapping[str, ContextValue], variables: bool) -> bool:
    """One request value against all the policy values: OR for a positive operator, NOR for a negated one."""
    base = POSITIVE_OF.get(operator.base, operator.base)
    compare = _COMPARE[base]
    substitutes = variables and operator.family in _VARIABLE_FAMILIES
    matched = False
    for text in condition.values:
        pattern = substitute(text, context, variables=substitutes, wildcards=base in _WILDCARD_OPERATORS)
        if pattern is not None and compare(pattern, request_value, condition):
            matched = True
            break
    return not matched if operator.negated else matched


def _literal(pattern: Pattern) -> str:
    text = wildcard.literal(pattern)
    assert text is not None, "substitute(wildcards=False) leaves no wildcard"
    return text


def _string_equals(pattern: Pattern, value: str, _: Condition) -> bool:
    return _literal(pattern) == value


def _string_equals_ignore_case(pattern: Pattern, value: str, _: Condition) -> bool:
    return _literal(pattern).lower() == value.lower()


def _string_like(pattern: Pattern, value: str, _: Condition) -> bool:
    return wildcard.matches(pattern, value)


def _arn_like(pattern: Pattern, value: str, condition: Condition) -> bool:
    matched = wildcard.arn_fieldwise_matches(pattern, value)
    if matched is not None:
        return matched
    base = _base(condition)
    return open_case((base, wildcard.text_of(pattern), value),
                     f"{base} {wildcard.text_of(pattern)!r} against {value!r}, not both ARNs of six ':'-separated "
                     "fields (the IAM reference defines the ARN operators field by field only)")


def _number(text: str, condition: Condition, side: str) -> Fraction:
    try:
        number = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise Unsupported(f"{condition.operator} on {condition.key!r}: the {side} value {text!r} is not a "
                          "number") from None
    if "/" in text or "_" in text:
        raise Unsupported(f"{condition.operator} on {condition.key!r}: the {side} value {text!r} is not a "
                          "decimal number")
    return number


def _date(text: str, condition: Condition, side: str) -> Fraction:
    """Seconds since the epoch, exactly: an ISO 8601 date-time with a time zone, or an integer epoch time."""
    stripped = text.strip()
    if stripped.lstrip("-").isdigit():
        return Fraction(int(stripped))
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Unsupported(f"{condition.operator} on {condition.key!r}: the {side} value {text!r} is not an ISO "
                          "8601 date-time with a time zone or epoch seconds")
    delta = moment - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return Fraction(delta.days * 86_400 + delta.seconds) + Fraction(delta.microseconds, 1_000_000)


def _ordered(read: Callable[[str, Condition, str], Fraction],
             relation: Callable[[Fraction, Fraction], bool]) -> Callable[[Pattern, str, Condition], bool]:
    """A Numeric or Date operator: `relation(request value, policy value)` over exact numbers. A policy value
    the family cannot read is an open case of that value and the request's number (a request value it cannot
    read stays refused: AWS builds the request, and the analysis leaves such values out)."""
    def compare(pattern: Pattern, value: str, condition: Condition) -> bool:
        number = read(value, condition, "request")
        try:
            bound = read(_literal(pattern), condition, "policy")
        except Unsupported as unreadable:
            return open_case((_base(condition), _literal(pattern), number), str(unreadable))
        return relation(number, bound)
    return compare


def _base(condition: Condition) -> str:
    """The condition's positive operator without prefix or suffix (`ArnNotLikeIfExists` -> `ArnLike`): an open
    case is one of the positive operator, which the negated one negates."""
    base = parse_operator(condition.operator).base
    return POSITIVE_OF.get(base, base)


def _bool(pattern: Pattern, value: str, condition: Condition) -> bool:
    policy, request = _literal(pattern).lower(), value.lower()
    if request not in ("true", "false"):
        raise Unsupported(f"Bool on {condition.key!r}: the request value {value!r} is neither true nor false")
    if policy not in ("true", "false"):
        return open_case(("Bool", _literal(pattern), request),
                         f"Bool on {condition.key!r} with the value {_literal(pattern)!r}, neither true nor false")
    return policy == request


def _binary(pattern: Pattern, value: str, condition: Condition) -> bool:
    try:
        request = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise Unsupported(f"BinaryEquals on {condition.key!r}: the request value is not base-64") from None
    try:
        return base64.b64decode(_literal(pattern), validate=True) == request
    except binascii.Error:
        return open_case(("BinaryEquals", _literal(pattern), request),
                         f"BinaryEquals on {condition.key!r} with the value {_literal(pattern)!r}, not base-64")


def _ip_address(pattern: Pattern, value: str, condition: Condition) -> bool:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        raise Unsupported(f"IpAddress on {condition.key!r}: the request value {value!r} is not an IP "
                          "address") from None
    try:
        network = ipaddress.ip_network(_literal(pattern).strip(), strict=False)
    except ValueError:
        return open_case(("IpAddress", _literal(pattern), address),
                         f"IpAddress on {condition.key!r} with the value {_literal(pattern)!r}, not a CIDR block")
    return address.version == network.version and address in network


_COMPARE: dict[str, Callable[[Pattern, str, Condition], bool]] = {
    "StringEquals": _string_equals,
    "StringEqualsIgnoreCase": _string_equals_ignore_case,
    "StringLike": _string_like,
    "NumericEquals": _ordered(_number, lambda a, b: a == b),
    "NumericLessThan": _ordered(_number, lambda a, b: a < b),
    "NumericLessThanEquals": _ordered(_number, lambda a, b: a <= b),
    "NumericGreaterThan": _ordered(_number, lambda a, b: a > b),
    "NumericGreaterThanEquals": _ordered(_number, lambda a, b: a >= b),
    "DateEquals": _ordered(_date, lambda a, b: a == b),
    "DateLessThan": _ordered(_date, lambda a, b: a < b),
    "DateLessThanEquals": _ordered(_date, lambda a, b: a <= b),
    "DateGreaterThan": _ordered(_date, lambda a, b: a > b),
    "DateGreaterThanEquals": _ordered(_date, lambda a, b: a >= b),
    "Bool": _bool,
    "BinaryEquals": _binary,
    "IpAddress": _ip_address,
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
}
