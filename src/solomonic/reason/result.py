"""What the reasoner answers: a verdict per (function, property), with its evidence."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


class Verdict(str, enum.Enum):
    YES = "yes"  # the property holds; `certificate` proves it
    NO = "no"  # the property is violated; `witness` shows it, replayed for real
    UNKNOWN = "unknown"  # the essay's "don't know"; `reason` says why


# property -> the event kinds that violate it
PROPERTY_ERRORS: dict[str, set[str]] = {
    "assert": {"assert", "exception"},
    "no-overflow": {"overflow"},
    "returns-true": {"return-false"},
}
# "terminates" is not about reaching an event: ranking functions prove it, lassos refute it (termination.py)
PROPERTIES = (*PROPERTY_ERRORS, "terminates")
# C undefined behaviour: an execution that reaches it witnesses nothing but no-overflow, so where it
# cannot be excluded the answer is unknown.
UNDEFINED_BEHAVIOUR = {"overflow", "ub"}

SVCOMP_PROPERTIES = {"unreach-call": "assert", "no-overflow": "no-overflow", "termination": "terminates"}


@dataclass
class Result:
    file: str
    function: str
    property: str
    verdict: Verdict
    reason: str = ""
    certificate: dict[str, Any] | None = None
    witness: dict[str, Any] | None = None
    reproducer: str | None = None
    seconds: float = 0.0
    line: int = 0
    language: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    # What the answer rests on beyond the source ("x: int" for an unannotated parameter); every output
    # format states it.
    assumptions: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["verdict"] = self.verdict.value
        return d

    @staticmethod
    def from_json(d: dict[str, Any]) -> Result:
        fields = {k: d[k] for k in Result.__dataclass_fields__ if k in d}
        fields["verdict"] = Verdict(d["verdict"])
        return Result(**fields)


def shown_call(inputs: Mapping[str, Any]) -> str:
    """A witness's inputs (replay.shown_inputs) as a call's arguments in messages: `s='x', n=3`, each value
    as the language writes it, so a str is quoted and its control characters escaped."""
    return ", ".join(f"{name}={value!r}" for name, value in inputs.items())
