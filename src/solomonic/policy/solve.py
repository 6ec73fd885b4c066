"""One question as two satisfiability queries, and the replay of its witness (see `analyse` for the recipe).

`search` asks the query over every request (the universe), then, if it has a model, over realistic ones
(`witness.Realism`: a principal kind and a catalogue action fixed per try), and replays the request it reads
from the model with the concrete evaluator. `assumptions` says what "every request" means.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import z3

from solomonic.policy.encode import Encoder
from solomonic.policy.evaluate import decide
from solomonic.policy.model import Decision, Policy, Request
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.witness import Realism

ACTION_TRY_MS = 2000  # one realistic action on any resource of its types; most answer in well under 0.1 s
UNIVERSE_SHARE = 0.5  # of a question's time, for the query over every request
CONCRETE_TRY_MS = 1000  # one realistic action on one example resource: equalities, most answered in milliseconds
UNIVERSE = ("requests range over every action name (ASCII, compared without regard to case), every resource "
            "string, every value of each context key of the key's type, and every principal: anonymous, an IAM "
            "principal named by its ARN (a role session stands for its role), or another named by a string "
            "without ':' (a service, a federated provider, a canonical user)",
            "context keys AWS derives from the principal (aws:PrincipalArn, aws:PrincipalAccount, aws:username) "
            "agree with it; anonymous and service callers carry no principal keys (aws:PrincipalOrgID, tags)")


@dataclass(frozen=True)
class Search:
    """The outcome of one question: `request` a confirmed witness, or None with `reason` empty (no request has
    the property) or saying why the answer is unknown."""

    request: Request | None
    reason: str = ""
    note: str = ""  # a "no" that holds for real requests only: what the unreal ones were

    @property
    def unknown(self) -> bool:
        return self.request is None and bool(self.reason)


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def milliseconds(self) -> int:
        return max(1, int((self.end - time.monotonic()) * 1000))


def search(encoder: Encoder, realism: Realism, goal: z3.BoolRef, extra: list[z3.BoolRef],
           confirm: Callable[[Request], str | None], deadline: Deadline, what: str) -> Search:
    """Find a request satisfying `goal` (and `extra`, e.g. "the principal is anonymous"), realistic and confirmed
    by `confirm` (which returns None when the evaluator agrees, else what it decided instead)."""
    solver = z3.Solver()
    # the question over every request gets part of the time: where z3 cannot answer it, a realistic witness
    # (whose queries are mostly equalities) may still be found, and it needs no answer over every request
    solver.set("timeout", max(1, int(deadline.milliseconds() * UNIVERSE_SHARE)))
    solver.add(*encoder.universe, *extra, goal)
    verdict = solver.check()
    if verdict == z3.sat and _has_capital(solver.model(), encoder):
        solver.add(encoder.lower_case_action)
        verdict = solver.check()
    if verdict == z3.unsat:
        return Search(None)
    model = solver.model() if verdict == z3.sat else None
    found = _realistic(encoder, realism, goal, extra, model, deadline)
    if found is None:
        # no real request has the property: that needs no answer over every request, which may have timed out
        unrealistic = realism.request(model) if model is not None else None
        if _only_unreal_requests(encoder, realism, goal, extra, deadline):
            example = f", e.g. {unrealistic.action!r} on {unrealistic.resource!r}" if unrealistic else ""
            return Search(None, note=f"{what}: none with a real action on a resource of a type it takes (only "
                                     f"with action names no catalogue action behaves like, or resources of other "
                                     f"types{example})")
        if unrealistic is None:
            return Search(None, f"{what}: the solver gave no answer in time ({solver.reason_unknown()})")
        return Search(None, f"{what}: only requests no real caller sends were found (none with a catalogue action "
                            f"on a resource of a type it takes, plausible values, in time), e.g. action "
                            f"{unrealistic.action!r} on {unrealistic.resource!r} by {unrealistic.principal!r}")
    request = found
    try:
        mismatch = confirm(request)
    except Unsupported as error:
        return Search(None, f"{what}: the evaluator cannot replay the witness {request.to_json()}: {error}")
    if mismatch is not None:
        return Search(None, f"{what}: the witness {request.to_json()} was not confirmed by the evaluator "
                            f"({mismatch}); this is a bug in the encoding")
    return Search(request)


def _realistic(encoder: Encoder, realism: Realism, goal: z3.BoolRef, extra: list[z3.BoolRef],
               model: z3.ModelRef | None, deadline: Deadline) -> Request | None:
    """A realistic request with the property: a principal kind and an action fixed per try, the model's own
    (when there is one) first, and an example resource (then any of the action's resource types)."""
    kinds = realism.principal_kinds(model) if model is not None else ["iam", "anonymous", "other"]
    actions = realism.ordered(realism.request(model).action.lower() if model is not None else "")
    tries = ((kind, alternative, CONCRETE_TRY_MS if concrete else ACTION_TRY_MS)  # lazily: examples cost time
             for concrete in (True, False) for kind in kinds for action in actions
             for alternative in realism.action(action, concrete))
    for kind, alternative, limit in tries:
        if deadline.milliseconds() <= 1:
            break
        attempt = z3.Solver()  # a fresh solver: z3's incremental mode is much slower on strings
        attempt.set("timeout", min(deadline.milliseconds(), limit))
        attempt.add(*encoder.universe, *extra, goal, *realism.values(kind), *alternative)
        if attempt.check() == z3.sat:
            return realism.request(attempt.model())
    return None


def _only_unreal_requests(encoder: Encoder, realism: Realism, goal: z3.BoolRef, extra: list[z3.BoolRef],
                         deadline: Deadline) -> bool:
    """Is every request with the property one no real caller sends: its action one no catalogue action
    behaves like (`iam:pass`, which `iam:Pass*` matches and `iam:PassRole` does not), or its resource of a type
    no action of its signature takes (`rds:Reboot*` on a `db:` ARN, where only `rds:RebootDBInstance` takes
    one)? Then the answer for real requests is "none"."""
    solver = z3.Solver()
    solver.set("timeout", deadline.milliseconds())
    solver.add(*encoder.universe, *extra, goal, realism.real_request())
    return solver.check() == z3.unsat


def _has_capital(model: z3.ModelRef, encoder: Encoder) -> bool:
    action = model.eval(encoder.request.action, model_completion=True).as_string()
    return any("A" <= c <= "Z" for c in action)


def expect(policy: Policy, request: Request, allowed: bool) -> str | None:
    """None when the evaluator decides `request` as expected (allowed or not), else what it decided."""
    decision: Decision = decide(policy, request).decision
    if (decision == "allow") == allowed:
        return None
    return f"{policy.source} decides {decision}"


def assumptions(encoder: Encoder) -> tuple[str, ...]:
    notes = list(UNIVERSE)
    for text in dict.fromkeys(encoder.colon_readings):
        notes.append(f"resources on which the '?' or mid-segment '*' of {text!r} could cover a ':' are left out "
                     "(the IAM reference does not say whether it may)")
    return tuple(notes)
