"""The names of the condition operators: their families, the negated ones, and the `IfExists` / set forms.

Syntax only (what `document` accepts and what the evaluator and the encoding dispatch on), after the IAM
reference "IAM JSON policy elements: Condition operators" and "Single-valued vs. multivalued context keys"
(the set operators `ForAllValues:` and `ForAnyValue:`). Operator names are read without regard to case;
`parse_operator` returns the documented spelling.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

Qualifier = Literal["ForAllValues", "ForAnyValue"]

# family -> its operators, as the reference spells them
FAMILIES: dict[str, tuple[str, ...]] = {
    "String": ("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
               "StringLike", "StringNotLike"),
    "Numeric": ("NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                "NumericGreaterThan", "NumericGreaterThanEquals"),
    "Date": ("DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan",
             "DateGreaterThanEquals"),
    "Bool": ("Bool",),
    "Binary": ("BinaryEquals",),
    "IpAddress": ("IpAddress", "NotIpAddress"),
    "Arn": ("ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"),
    "Null": ("Null",),
}

# "negated matching condition operators": a key absent from the request satisfies them, and several values of
# one key are combined with NOR (reference, "Evaluation logic for negated matching condition operators")
NEGATED = frozenset({"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "NumericNotEquals",
                     "DateNotEquals", "NotIpAddress", "ArnNotEquals", "ArnNotLike"})

# the positive operator a negated one negates, value by value
POSITIVE_OF = {"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
               "StringNotLike": "StringLike", "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals",
               "NotIpAddress": "IpAddress", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike"}

_BY_LOWER = {name.lower(): (family, name) for family, names in FAMILIES.items() for name in names}
_QUALIFIERS: dict[str, Qualifier] = {"forallvalues": "ForAllValues", "foranyvalue": "ForAnyValue"}

KNOWN = ("String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress, Arn*, Null, each (but Null) "
         "with an IfExists suffix and a ForAllValues: or ForAnyValue: prefix")


@dataclass(frozen=True)
class Operator:
    """A parsed operator name: `ForAnyValue:StringLikeIfExists` is qualifier ForAnyValue, base StringLike,
    if_exists True."""

    qualifier: Qualifier | None
    base: str
    family: str
    if_exists: bool

    @property
    def negated(self) -> bool:
        return self.base in NEGATED

    @property
    def name(self) -> str:
        prefix = f"{self.qualifier}:" if self.qualifier else ""
        return f"{prefix}{self.base}{'IfExists' if self.if_exists else ''}"


@functools.lru_cache(maxsize=1024)
def parse_operator(text: str) -> Operator:
    """The operator `text` names; ValueError (saying which operators exist) when it names none."""
    qualifier: Qualifier | None = None
    rest = text
    if ":" in text:
        head, rest = text.split(":", 1)
        if head.lower() not in _QUALIFIERS:
            raise ValueError(f"unknown condition operator {text!r}; the prefixes are ForAllValues: and "
                             f"ForAnyValue:, the operators {KNOWN}")
        qualifier = _QUALIFIERS[head.lower()]
    lower = rest.lower()
    if_exists = lower.endswith("ifexists") and lower not in _BY_LOWER
    if if_exists:
        lower = lower[: -len("ifexists")]
    if lower not in _BY_LOWER:
        raise ValueError(f"unknown condition operator {text!r}; the operators are {KNOWN}")
    family, base = _BY_LOWER[lower]
    if family == "Null" and (if_exists or qualifier):
        raise ValueError(f"condition operator {text!r}: Null takes neither IfExists nor a set prefix")
    return Operator(qualifier, base, family, if_exists)
