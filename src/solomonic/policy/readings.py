"""Cases the IAM reference leaves open, for the concrete evaluator: decided under every reading of them.

Some constructs have no documented meaning, yet AWS answers them with one yes or no: whether the `ArnLike`
value `arn:aws:iam::1111222233*` (fewer than the six fields the reference defines the operator by) matches an
ARN, whether the action pattern `*:Get*` (a wildcard in the service prefix) matches `s3:GetObject`, whether a
`Null` condition whose value is neither `true` nor `false` holds. Guessing that answer would make every
analysis built on it a guess. Refusing the construct outright (the evaluator's `Unsupported`) leaves unknown
even the requests whose decision does not depend on it.

So the helpers that meet such a case ask `open_case(case, message)` instead of raising: a *case* names the
construct and every value its answer may depend on (the policy's text and the request's value), so that
two questions with equal cases are the same question, answered alike under one reading. Outside `every`
the call raises `Open` (an `Unsupported`, so callers that cannot branch still refuse). `every` runs a
question under each reading of the cases it meets, branching lazily: a case the question never reaches,
or reaches only where another element already decided, costs nothing. A decision the same under every
reading is AWS's decision whatever AWS does there; one that differs is unknown, and says why.

Why a context variable and not a parameter: the cases sit deep in the matchers (`wildcard`, `conditions`),
below every element check of `evaluate`; passing a reading through each of them would thread a parameter
that all but a handful of leaves ignore. The variable is set only inside `every`, and reset on the way out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar

from solomonic.policy.unsupported import Unsupported

Case = tuple[Hashable, ...]
T = TypeVar("T")
MAX_READINGS = 64  # readings of one question; past it the question is refused (six independent open cases)
_READING: ContextVar[Mapping[Case, bool] | None] = ContextVar("reading", default=None)


class Open(Unsupported):
    """A case the documentation leaves open, met outside a reading (`every` branches on it)."""

    def __init__(self, case: Case, message: str) -> None:
        super().__init__(message)
        self.case = case
        self.message = message


def open_case(case: Case, message: str) -> bool:
    """The answer to `case` under the current reading; raises `Open` where no reading has chosen it yet."""
    reading = _READING.get()
    if reading is not None and case in reading:
        return reading[case]
    raise Open(case, message)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What a question gave under one reading: the answers chosen for the open cases it met, and its result."""

    reading: Mapping[Case, bool]
    result: T


def every(question: Callable[[], T]) -> tuple[list[Outcome[T]], dict[Case, str]]:
    """`question` asked under every reading of the open cases it meets (each answered yes and no), and what
    each case is, in words. Raises `Unsupported` when a question needs more than `MAX_READINGS` readings, and
    lets through any other `Unsupported` (a construct that is not an open yes-or-no case)."""
    outcomes: list[Outcome[T]] = []
    described: dict[Case, str] = {}
    pending: list[dict[Case, bool]] = [{}]
    while pending:
        reading = pending.pop()
        token = _READING.set(reading)
        try:
            outcomes.append(Outcome(reading, question()))
        except Open as met:
            described[met.case] = met.message
            if len(outcomes) + len(pending) + 2 > MAX_READINGS:
                raise Unsupported(f"more than {MAX_READINGS} readings of cases the IAM reference leaves open: "
                                  + "; ".join(described.values())) from None
            pending += [{**reading, met.case: answer} for answer in (True, False)]
        finally:
            _READING.reset(token)
    return outcomes, described
