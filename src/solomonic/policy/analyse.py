"""The questions `solomonic policy` answers: `compare` (does one policy allow a request the other does not) and
`check` (is a resource policy public or cross-account; what an identity policy over-grants, `findings`).

Each question is a satisfiability query over the symbolic request (`encode`), asked twice (Zelkova's
recipe, FMCAD 2018, with one step added for evidence):

1. over the universe of all requests (`SymbolicRequest.universe`): unsat means no request at all has the
   property, the "no" answers (`equivalent`, `public: false`) rest on this query and on the encoding alone;
2. if sat, again with `witness.Realism`: a real action, a resource of a type it takes, a plausible principal.
   If no real request has the property (only action names like `iam:pass`, which `iam:Pass*` matches and no
   catalogue action does, or resources of types no action of the same patterns takes: `rds:Reboot*` on a
   `db:` ARN, which only `rds:RebootDBInstance` takes), the answer is "none" for real requests, and the
   reason and assumptions say so.
   The request read from that model is replayed by the concrete evaluator (`evaluate.decide`) and checked
   to be one AWS builds (`well_formed`); only a request both confirm is reported. Where no well-formed
   request has the property (its ARN with exactly its type's fields, no part holding ':'), only
   `volume/vol-1:111122223333:x`-like ones, the answer is "none" among well-formed requests, the assumption
   stated (names that hold ':', an S3 object key, are left out). Where the search finds only requests no
   real caller sends and cannot prove there are no others in time, the answer is unknown, with the
   unrealistic request in the reason. A solver timeout, a construct `encode` refuses, or a witness the
   evaluator does not confirm (a bug, to be fixed) is unknown too, with the reason.

What "every request" means (`UNIVERSE`, reported as assumptions): the action is any ASCII string, the
resource and the context values any strings of their sorts, the principal anonymous (`*`), a service, or an
IAM principal by its ARN `arn:PARTITION:iam::ACCOUNT:NAME` (a role session stands for its role); the context
keys AWS derives from the principal agree with it; a federated principal is only in its users' assume-role
call and the session actions it asks about; request values the evaluator refuses (a list under a plain
operator) are left out. A case the IAM reference leaves open (`encode_open`) is no guess: "no" answers hold
under every reading of it, and a witness is one that every reading decides alike.
"""

from __future__ import annotations

from collections.abc import Callable

import z3

from solomonic.policy.access import check
from solomonic.policy.catalogue import catalogue
from solomonic.policy.encode import Encoder
from solomonic.policy.model import Policy, Request
from solomonic.policy.result import REAL_REQUESTS_ONLY, WELL_FORMED_REQUESTS_ONLY, CompareVerdict, Comparison
from solomonic.policy.solve import Deadline, Search, assumptions, expect, search
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.witness import Realism

__all__ = ["check", "compare"]


def compare(a: Policy, b: Policy, timeout_s: float = 10.0) -> Comparison:
    """Does `a` allow a request `b` does not (`a_not_b`), and the reverse (module docstring)?"""
    budget = Deadline(timeout_s)  # the first direction gets half of what the encoding leaves, the second the rest
    try:
        encoder = Encoder([a, b])
        encoded_a, encoded_b = encoder.encode(a), encoder.encode(b)
    except Unsupported as error:
        return Comparison("unknown", None, None, f"not modelled: {error}")
    extra = [encoder.request.is_identity] if a.kind == b.kind == "identity" else []
    realism = Realism(encoder, catalogue)

    def confirm(allowed_by: Policy, denied_by: Policy) -> Callable[[Request], str | None]:
        return lambda r: expect(allowed_by, r, True) or expect(denied_by, r, False)

    a_not_b = search(encoder, realism, z3.And(encoded_a.allows, z3.Not(encoded_b.allows)), extra, confirm(a, b),
                     budget.share(0.5), f"a request {a.source} allows and {b.source} does not")
    b_not_a = search(encoder, realism, z3.And(encoded_b.allows, z3.Not(encoded_a.allows)), extra, confirm(b, a),
                     budget, f"a request {b.source} allows and {a.source} does not")
    return _comparison(a_not_b, b_not_a, encoder)


def _comparison(a_not_b: Search, b_not_a: Search, encoder: Encoder) -> Comparison:
    real_only = [s.note for s in (a_not_b, b_not_a) if s.note]
    scoped = [s for s in (a_not_b, b_not_a) if s.scope]
    widest = max(scoped, key=lambda s: s.scope == "well-formed", default=None)  # well-formed implies real
    notes = (*assumptions(encoder), *((widest.assumption,) if widest else ()), *real_only)
    unknown = [s.reason for s in (a_not_b, b_not_a) if s.unknown]
    truncated = encoder.request.truncated
    if not unknown and truncated and (a_not_b.request is None or b_not_a.request is None):
        unknown.append(f"the multi-valued keys were explored with bounded sets: {', '.join(truncated)}; "
                       "a difference needing larger sets would be missed")
    if unknown:
        return Comparison("unknown", a_not_b.request, b_not_a.request, "; ".join(unknown), notes)
    verdicts: dict[tuple[bool, bool], CompareVerdict] = {
        (False, False): "equivalent", (True, False): "a-allows-more", (False, True): "b-allows-more",
        (True, True): "both-allow-more"}
    verdict = verdicts[(a_not_b.request is not None, b_not_a.request is not None)]
    reasons = {"equivalent": "no request is allowed by one and not the other",
               "a-allows-more": "the first allows a request the second does not, and not the reverse",
               "b-allows-more": "the second allows a request the first does not, and not the reverse",
               "both-allow-more": "each allows a request the other does not"}
    scope = {"": "", "real": REAL_REQUESTS_ONLY, "well-formed": WELL_FORMED_REQUESTS_ONLY}[widest.scope if widest else ""]
    reason = scope + reasons[verdict] + "".join(f"; {n}" for n in real_only)
    return Comparison(verdict, a_not_b.request, b_not_a.request, reason, notes)
