"""One question as two satisfiability queries, and the replay of its witness (see `analyse` for the recipe).

`search` asks the query over every request (the universe), then, if it has a model, over realistic ones
(`witness.Realism`: a principal kind and a catalogue action fixed per try), and replays the request it reads
from the model with the concrete evaluator, and checks it is a request AWS builds (`well_formed`, the same
facts stated without z3). `assumptions` says what "every request" means; a "no" that holds only among real
or well-formed requests says so by its `Search.scope`. Each query is decided by `portfolio.decide`
(equivalent forms, deterministic resource slices, the deadline enforced).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import z3

from solomonic.policy import encode_open, well_formed
from solomonic.policy.encode import Encoder
from solomonic.policy.evaluate import allowed as evaluate_allowed
from solomonic.policy.evaluate import decide as evaluate
from solomonic.policy.model import Policy, Request
from solomonic.policy.portfolio import SLICES, Deadline, Outcome, decide
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.witness import Realism

__all__ = ["REAL_ONLY", "WELL_FORMED_ONLY", "Deadline", "Search", "assumptions", "expect", "search"]

ACTION_TRY = (100_000, 1_000_000)  # z3 resource slices for one realistic action on any resource of its types
UNIVERSE_SHARE = 0.5  # of a question's time, for the query over every request
EARLY_SHARE = 0.25  # of what is left, for realistic tries where the smaller slices leave that query undecided
CONCRETE_TRY = (50_000, 500_000)  # one realistic action on one example resource: equalities, most answered at once
UNIVERSE = ("requests range over every action name (ASCII, compared without regard to case), every resource "
            "string, every value of each context key of the key's type, and every principal: anonymous, an IAM "
            "principal named by its ARN (a role session stands for its role; a saml-provider/ or oidc-provider/ "
            "name is an identity provider, standing for its federated users), or another named by a string "
            "without ':' (a service, a web identity provider, a canonical user)",
            "context keys AWS derives from the principal (aws:PrincipalArn, aws:PrincipalAccount, aws:username) "
            "agree with it; anonymous, service and federated callers carry no principal keys (aws:PrincipalOrgID, "
            "tags); a federated principal (an identity provider, a web identity domain) sends only its users' "
            "assume-role call (sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity) and the sts:TagSession and "
            "sts:SetSourceIdentity that call asks about")


REAL_ONLY = ("only requests real callers send count: a catalogue action on a resource of a type it takes, by "
             "a principal named as AWS names it (an IAM identity never as an identity provider)")
WELL_FORMED_ONLY = (f"{REAL_ONLY}; and each resource is an ARN with exactly its type's fields: every ${{...}} part "
                    "of the type's ARN template non-empty and without ':' (names that hold ':', an S3 object key "
                    "or a Lambda function's version qualifier, are left out)")
Scope = Literal["", "real", "well-formed"]


@dataclass(frozen=True)
class Search:
    """The outcome of one question: `request` a confirmed witness, or None with `reason` empty (no request has
    the property, or none within `scope`, which `note` then explains) or saying why the answer is unknown."""

    request: Request | None
    reason: str = ""
    note: str = ""  # a "no" that holds within `scope` only: what the requests outside it were
    scope: Scope = ""  # "real": among requests real callers send (REAL_ONLY); "well-formed": WELL_FORMED_ONLY

    @property
    def assumption(self) -> str:
        """What the answer assumes of the requests, where it holds within a scope only."""
        return {"": "", "real": REAL_ONLY, "well-formed": WELL_FORMED_ONLY}[self.scope]

    @property
    def unknown(self) -> bool:
        return self.request is None and bool(self.reason)


def search(encoder: Encoder, realism: Realism, goal: z3.BoolRef, extra: list[z3.BoolRef],
           confirm: Callable[[Request], str | None], deadline: Deadline, what: str) -> Search:
    """Find a request satisfying `goal` (and `extra`, e.g. "the principal is anonymous"), realistic and confirmed
    by `confirm` (which returns None when the evaluator agrees, else what it decided instead)."""
    query = [*encoder.universe, *extra, goal]
    read = encode_open.cases([goal])
    # a witness must differ under every reading of the open cases: `robust` asks for one that does
    witness_query = [*encoder.universe, *extra, encode_open.robust(goal)] if read else query
    found = _found(encoder, realism, query, witness_query, read, deadline, what)
    if isinstance(found, Search):
        return found
    return _confirmed(found, confirm, realism, what)


def _found(encoder: Encoder, realism: Realism, query: list[z3.BoolRef], witness_query: list[z3.BoolRef],
           read: list[str], deadline: Deadline, what: str) -> Request | Search:
    """A realistic request with the property (unconfirmed yet), or the answer when there is none to confirm;
    `read` are the open cases the property reads (`witness_query` is then its robust form).

    The question over every request gets part of the time: where z3 cannot answer it, a realistic witness
    (whose queries are mostly equalities) may still be found, and it needs no answer over every request. So
    its largest slice waits until realistic tries have had a share: a KMS key policy widened to a second
    principal left z3 undecided over every request for 3.9 s of CPU, where the first realistic try took 0.07."""
    universe = decide(query, deadline.share(UNIVERSE_SHARE), SLICES[:-1])
    if universe.verdict == z3.unknown:
        early = _try(realism, witness_query, ["iam", "anonymous", "other"], realism.ordered(""),
                     deadline.share(EARLY_SHARE))
        if early is not None:
            return early
        universe = decide(query, deadline.share(UNIVERSE_SHARE), SLICES[-1:])
    if universe.verdict == z3.sat and _has_capital(universe.model, encoder) \
            and not _holds_lowered(universe.model, query, encoder):
        universe = decide([*query, encoder.lower_case_action], deadline.share(UNIVERSE_SHARE))
    if universe.verdict == z3.unsat:
        return Search(None)
    model = universe.model
    if read:
        either = decide(witness_query, deadline.share(UNIVERSE_SHARE))
        if either.verdict == z3.unsat:
            return Search(None, f"{what}: only under some readings of open cases (" + "; ".join(read)
                                + ": the IAM reference leaves them open, or the encoding does not model them "
                                "exactly), so the answer depends on how AWS reads them")
        model = either.model or model
    found, unreal = _realistic(realism, query, witness_query, model, deadline)
    if found is not None:
        return found
    none = _none_realistic(realism, query, universe, unreal, deadline, what)
    if none.unknown and read:
        return Search(None, f"{none.reason}; a witness must hold under every reading of the open cases ("
                            + "; ".join(read) + ")")
    return none


def _confirmed(found: Request, confirm: Callable[[Request], str | None], realism: Realism, what: str) -> Search:
    """`found` as the answer once the evaluator confirms it and it is a request AWS builds."""
    try:
        mismatch = confirm(found)
    except Unsupported as error:
        return Search(None, f"{what}: the evaluator cannot replay the witness {found.to_json()}: {error}")
    if mismatch is not None:
        return Search(None, f"{what}: the witness {found.to_json()} was not confirmed by the evaluator "
                            f"({mismatch}); this is a bug in the encoding")
    ill_formed = well_formed.problem(found, realism.catalogue)  # type: ignore[arg-type]
    if ill_formed is not None:
        return Search(None, f"{what}: the witness {found.to_json()} is not a request AWS builds ({ill_formed}); "
                            "this is a bug in the witness search")
    return Search(found)


def _none_realistic(realism: Realism, query: list[z3.BoolRef], universe: Outcome, unreal: bool | Request | None,
                    deadline: Deadline, what: str) -> Search:
    """No realistic request was found in time. If none exists (`unreal` is True: a proof, which needs no
    answer over every request), the answer for real requests is "none" (scope "real"). Else, if no well-formed request has the
    property (its ARN with exactly its template's fields), the policies differ only on ARNs such as
    `volume/vol-1:111122223333:x`, which a `*` that ends a segment reaches across ':': the answer is "none"
    among well-formed requests (scope "well-formed"), and the assumption says that names holding ':' (an S3
    object key) are left out. Otherwise unknown, with an example: a request with a real action on a resource
    of a type it takes where one exists."""
    if unreal is True:
        example = realism.request(universe.model) if universe.model is not None else None
        shown = f", e.g. {example.action!r} on {example.resource!r} by {example.principal!r}" if example else ""
        return Search(None, note=f"{what}: none with a real action on a resource of a type it takes (only "
                                 f"with action names no catalogue action behaves like, resources of other "
                                 f"types, or principals not named as AWS names them{shown})", scope="real")
    if isinstance(unreal, Request):
        if _none_well_formed(realism, query, deadline):
            return Search(None, note=f"{what}: none among well-formed requests (a real action on an ARN of a "
                                     f"type it takes, each part of the ARN non-empty and without ':'); only with "
                                     f"ARNs whose parts hold ':', e.g. action {unreal.action!r} on "
                                     f"{unreal.resource!r}", scope="well-formed")
        example = unreal
    else:
        example = realism.request(universe.model) if universe.model is not None else None
    if example is None:
        return Search(None, f"{what}: the solver gave no answer ({universe.reason})")
    return Search(None, f"{what}: only requests no real caller sends were found (none with a catalogue action "
                        f"on a resource of a type it takes, plausible values, in time), e.g. action "
                        f"{example.action!r} on {example.resource!r} by {example.principal!r}")


def _realistic(realism: Realism, query: list[z3.BoolRef], witness_query: list[z3.BoolRef],
               model: z3.ModelRef | None, deadline: Deadline) -> tuple[Request | None, bool | Request | None]:
    """A realistic request with the property: a principal kind and an action fixed per try, the model's own
    (when there is one) first, and an example resource (then any of the action's resource types); the
    candidate actions of the policies' services first. Where none of them has the property, whether any real
    request has it (`_unreal_only`, returned second) is asked before the actions of every other service are
    tried (`Realism.widened`): where none has (a Deny on `ec2:Run*` differs from one on `ec2:RunInstances`
    only on names like `ec2:run`), those hundreds of tries could only fail. The witness is sought with
    `witness_query` (the property under every reading of the open cases), the proof asked of `query`."""
    kinds = realism.principal_kinds(model) if model is not None else ["iam", "anonymous", "other"]
    first = realism.ordered(realism.request(model).action.lower() if model is not None else "")
    found = _try(realism, witness_query, kinds, first, deadline)
    if found is not None:
        return found, None
    unreal = _unreal_only(realism, query, deadline)
    if unreal is True:
        return None, unreal
    return _try(realism, witness_query, kinds, realism.widened(deadline), deadline), unreal


def _try(realism: Realism, query: list[z3.BoolRef], kinds: list[str], actions: list[str],
         deadline: Deadline) -> Request | None:
    """Each try first with the small slice of its kind; those it leaves undecided again, after all the
    others, with the large one: one hard try (a set key compared with a policy variable) must not hold up
    the easy ones behind it (3 s each, of a 10 s question). A try the small slice leaves undecided is asked
    again at once with fewer context keys (`Realism.lighter`): a difference often shows without them
    (a dropped condition on a tag), and with no values to choose z3 decides it in a fraction of the slice
    it could not finish (an ABAC tag equality with a policy variable: 0.01 s, against 0.5 M units)."""
    possible: dict[tuple[str, str], bool] = {}

    def may_have(kind: str, action: str) -> bool:
        """Could a request of this principal kind and action have the property, on any resource? Where
        not, none of the action's example resources is tried (where a Deny on `ec2:Run*` differs only on
        names like `ec2:run`, each of the policies' EC2 actions is ruled out at once, not per example)."""
        if (kind, action) not in possible:
            alone = decide([*query, *realism.values(kind), realism.encoder.request.action == z3.StringVal(action)],
                           deadline, CONCRETE_TRY[:1])
            possible[(kind, action)] = alone.verdict != z3.unsat
        return possible[(kind, action)]

    tries = ((kind, alternative, CONCRETE_TRY if concrete else ACTION_TRY)  # lazily: examples cost time
             for concrete in (True, False) for kind in kinds for action in actions
             if realism.may_be_granted(action) and may_have(kind, action)
             for alternative in realism.action(action, concrete))
    undecided: list[tuple[str, list[z3.BoolRef], tuple[int, ...]]] = []
    for round_tries, slice_index in ((tries, 0), (undecided, 1)):
        for kind, alternative, slices in round_tries:
            if deadline.expired:
                return None
            attempt = decide([*query, *realism.values(kind), *alternative], deadline, slices[slice_index:][:1])
            if attempt.verdict == z3.sat:
                assert attempt.model is not None
                return realism.request(attempt.model)
            if attempt.verdict == z3.unknown and slice_index == 0:
                for lighter in realism.lighter():
                    bare = decide([*query, *realism.values(kind), *alternative, *lighter], deadline, slices[:1])
                    if bare.verdict == z3.sat:
                        assert bare.model is not None
                        return realism.request(bare.model)
                undecided.append((kind, alternative, slices))
    return None


def _unreal_only(realism: Realism, query: list[z3.BoolRef], deadline: Deadline) -> bool | Request | None:
    """Is every request with the property one no real caller sends: its action one no catalogue action
    behaves like (`iam:pass`, which `iam:Pass*` matches and `iam:PassRole` does not), or its resource of a type
    no action of its signature takes (`rds:Reboot*` on a `db:` ARN, where only `rds:RebootDBInstance` takes
    one)? True then (the answer for real requests is "none"); a request with a real action on a resource of
    a type it takes where one exists; None when undecided."""
    real = realism.real_request(deadline)
    if real is None:
        return None
    outcome = decide([*query, real], deadline)
    if outcome.verdict == z3.unsat:
        return True
    return realism.request(outcome.model) if outcome.model is not None else None


def _none_well_formed(realism: Realism, query: list[z3.BoolRef], deadline: Deadline) -> bool:
    """Does no request with the property have a real action on a well-formed ARN of a type it takes
    (`Realism.real_request(well_formed=True)`)?"""
    real = realism.real_request(deadline, well_formed=True)
    return real is not None and decide([*query, real], deadline).verdict == z3.unsat


def _has_capital(model: z3.ModelRef, encoder: Encoder) -> bool:
    action = model.eval(encoder.request.action, model_completion=True).as_string()
    return any("A" <= c <= "Z" for c in action)


def _holds_lowered(model: z3.ModelRef, query: list[z3.BoolRef], encoder: Encoder) -> bool:
    """Does the model, its action written in lower case and every other value kept, still satisfy `query`?
    Then a request with a lower-case action has the property, and the query need not be asked again with
    `lower_case_action` (a regular constraint on the action that cost z3 a second where the policies compare
    the action with many patterns: a KMS key policy against its NotAction mutant)."""
    action = encoder.request.action
    lowered = z3.StringVal(model.eval(action, model_completion=True).as_string().lower())
    return z3.is_true(model.eval(z3.substitute(z3.And(*query), (action, lowered)), model_completion=True))


def expect(policy: Policy, request: Request, allowed: bool) -> str | None:
    """None when the evaluator decides `request` as expected (allowed or not) under every reading of the
    cases the IAM reference leaves open, else what it decided."""
    if evaluate_allowed(policy, request) == allowed:
        return None
    return f"{policy.source} decides {evaluate(policy, request).decision}"


def assumptions(encoder: Encoder) -> tuple[str, ...]:
    notes = list(UNIVERSE)
    for case in encoder.open_cases:
        notes.append(f"{case} has no documented meaning (or none the encoding models exactly): every answer "
                     "holds under each reading of it, a 'no' under all of them and a witness decided alike by all")
    return tuple(notes)
