"""The answers `solomonic policy` gives, and their JSON form (the stable contract in the README).

Every witness request in an answer has been replayed by the concrete evaluator (`evaluate`) and found to
decide as the answer says; an answer whose witness could not be confirmed is unknown, with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from solomonic.policy.model import Kind, Location, Request

CompareVerdict = Literal["equivalent", "a-allows-more", "b-allows-more", "both-allow-more", "unknown"]


@dataclass(frozen=True)
class Finding:
    """One thing a user should look at: `code` is a stable identifier (`public-access`, `cross-account-access`,
    `pass-role-on-any-role`, `allow-not-action`, `full-admin`, ...), `message` says it in words (who, which actions,
    under which conditions), `location` the statement it comes from, `witness` a request that shows it."""

    code: str
    message: str
    location: Location | None = None
    witness: Request | None = None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message,
                "line": self.location.line if self.location else None,
                "pointer": self.location.pointer if self.location else None,
                "witness": self.witness.to_json() if self.witness else None}


@dataclass(frozen=True)
class CheckResult:
    """`solomonic policy check`: Access Analyzer's two questions for a resource policy (None = unknown, or not
    asked of an identity policy), and the findings. `conditions` names the condition keys that limit a grant
    (a grant to `*` limited by `aws:SourceIp` is not public, and says so)."""

    source: str
    kind: Kind
    public: bool | None
    public_witness: Request | None
    cross_account: bool | None
    cross_account_witness: Request | None
    findings: tuple[Finding, ...] = ()
    conditions: tuple[str, ...] = ()
    reason: str = ""  # why an answer is unknown, when one is
    assumptions: tuple[str, ...] = ()  # e.g. "the resource belongs to account 111122223333"

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "kind": self.kind, "public": self.public,
                "public_witness": self.public_witness.to_json() if self.public_witness else None,
                "cross_account": self.cross_account,
                "cross_account_witness": self.cross_account_witness.to_json() if self.cross_account_witness else None,
                "findings": [f.to_json() for f in self.findings], "conditions": list(self.conditions),
                "reason": self.reason, "assumptions": list(self.assumptions)}


REAL_REQUESTS_ONLY = "among requests with real actions on resources of types they take, "
"""How a comparison's reason starts when a "no difference" holds only for requests real callers send (a
difference exists for action names no catalogue action has): the text output puts it in the headline."""
WELL_FORMED_REQUESTS_ONLY = ("among well-formed requests (real actions on ARNs of types they take, no part of an "
                             "ARN holding ':'), ")
"""The same, where a "no difference" holds only for well-formed requests (a difference exists on ARNs whose
parts hold ':', `volume/vol-1:111122223333:x`); the assumptions say what that leaves out."""


@dataclass(frozen=True)
class Comparison:
    """`solomonic policy compare A B`: `a_not_b` is a request A allows and B does not, `b_not_a` the reverse;
    the verdict agrees with them (`a-allows-more` has `a_not_b` set and `b_not_a` None)."""

    verdict: CompareVerdict
    a_not_b: Request | None
    b_not_a: Request | None
    reason: str = ""
    assumptions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def real_requests_only(self) -> bool:
        """Does the answer hold among real (or well-formed) requests only (its assumptions say which)?"""
        return self.reason.startswith((REAL_REQUESTS_ONLY, WELL_FORMED_REQUESTS_ONLY))

    def to_json(self) -> dict[str, object]:
        return {"verdict": self.verdict, "a_not_b": self.a_not_b.to_json() if self.a_not_b else None,
                "b_not_a": self.b_not_a.to_json() if self.b_not_a else None, "reason": self.reason,
                "assumptions": list(self.assumptions)}
