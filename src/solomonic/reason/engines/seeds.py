"""Inductive facts handed to Spacer before it searches: Houdini's, and a proposer's (issue 28).

Spacer finds the invariant a property needs by refining from the bad states backwards; facts that are
plain in the program (a counter stays below its bound, an index below a length) or that a proposer
guessed can cost it many refinements, and past the timeout. Houdini finds the largest inductive subset
of the program's atoms and the proposals in a few solver calls, so Spacer starts from that
(`Fixedpoint.add_cover` at level -1): on the SV-COMP termination folders' no-overflow tasks, seven that
ran past 10 s (string walks: cstrcmp, cstrcspn, cstrlen, cstrpbrk, cstrspn, strchr-2; Gothenburg_v2-1) are
proved in 1.6 to 6 s. For assertions Spacer alone did as well or better on the loops folder, so it starts
from Houdini's facts there only with a proposer (safety.py decides; docs/benchmarks.md, "Spacer seeded
with Houdini's facts").

Spacer treats a lemma it is given as a true invariant, without checking it: a wrong one would make it prove
what does not hold. So nothing reaches it unchecked. A proposer's terms, read over each loop head's
variables (`proposals.parse`), join the program's atoms, and only Houdini's inductive subset is handed
over: facts that hold where each loop is entered and that every block between loop heads keeps. The
invariants Spacer ends with are re-checked from scratch like any others (`certify/certificate.py`).

A proposal counts as used when it survived and the program's own surviving atoms do not already imply it:
then the proof had a fact the program did not offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import z3

from solomonic.reason.engines.houdini import candidates, houdini
from solomonic.reason.proposals import parse
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem


@dataclass
class Seeds:
    invariants: dict[int, list[z3.BoolRef]] = field(default_factory=dict)  # loop head -> the facts Spacer gets
    # loop head -> Houdini's whole inductive set: the facts above are true of every run but, some of their
    # support left out, need not be inductive alone; a certificate that rests on them states these too
    inductive: dict[int, list[z3.BoolRef]] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)  # the proposals among them the program does not imply
    offered: int = 0


def seeds(system: TransitionSystem, enc: Encoder, proposals: dict[int, list[str]], timeout_s: float) -> Seeds:
    """The inductive subset of the program's atoms and the proposals, by loop head ({} where Houdini ran
    out of time)."""
    offered = sum(len(terms) for terms in proposals.values())
    if not system.loop_heads:
        return Seeds(offered=offered)
    atoms = candidates(system, enc)
    proposed: dict[int, list[z3.BoolRef]] = {}
    for head, terms in proposals.items():
        if head not in atoms:
            continue
        variables = {v.name: enc.constant(v.name, v.type) for v in system.params[head]}
        known = {a.sexpr() for a in atoms[head]}
        parsed = (parse(term, variables, enc.ctx) for term in terms)
        proposed[head] = [f for f in parsed if f is not None and f.sexpr() not in known]
        atoms[head] = [*proposed[head], *atoms[head]]
    kept = houdini(system, enc, atoms, timeout_s)
    if kept is None:
        return Seeds(offered=offered)
    used = []
    for head, ps in proposed.items():
        mine = {p.sexpr() for p in ps}
        own = _implied_by([k for k in kept[head] if k.sexpr() not in mine], enc.ctx)  # the program's survivors
        used += [p.sexpr() for p in ps if any(p.eq(k) for k in kept[head]) and not own(p)]
    informative = {head: _beyond_ranges(system, enc, head, [f for f in facts if _linear(f)])
                   for head, facts in kept.items()}
    return Seeds(invariants={head: facts for head, facts in informative.items() if facts},
                 inductive={head: facts for head, facts in kept.items() if facts}, used=used, offered=offered)


COMPARISONS = {z3.Z3_OP_LE, z3.Z3_OP_GE, z3.Z3_OP_LT, z3.Z3_OP_GT, z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT, z3.Z3_OP_NOT}
LINEAR = {z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_UMINUS, z3.Z3_OP_ANUM, z3.Z3_OP_UNINTERPRETED}


def _linear(fact: z3.ExprRef) -> bool:
    """Whether the fact is a comparison of linear integer terms, the language of Spacer's own lemmas. Other
    covers (an if-then-else a C comparison's value leaves, an array element) sent Z3 5.4's Spacer into an
    internal assertion ("unreachable"; n.c11, proved bare in 0.02 s)."""
    kind = fact.decl().kind() if z3.is_app(fact) else None
    if kind in COMPARISONS:
        return all(_linear(child) if z3.is_bool(child) else _term(child) for child in fact.children())
    return False


def _term(term: z3.ExprRef) -> bool:
    if not z3.is_app(term) or not z3.is_int(term):
        return False
    kind = term.decl().kind()
    if kind == z3.Z3_OP_MUL:  # a coefficient times a term
        return any(z3.is_int_value(c) for c in term.children()) and all(_term(c) for c in term.children())
    return kind in LINEAR and all(_term(c) for c in term.children())


def _beyond_ranges(system: TransitionSystem, enc: Encoder, head: int, facts: list[z3.BoolRef]) -> list[z3.BoolRef]:
    """The facts less those the variables' types already imply (`a <= INT_MAX`, `2 != -1`): Spacer's clauses
    state the ranges, so such a cover tells it nothing, and it changed Spacer's search enough to lose a
    proof it found bare in 0.2 s (aviad, whose loop divides)."""
    ranges = _implied_by([enc.in_range(enc.constant(v.name, v.type), v.type) for v in system.params[head]], enc.ctx)
    return [fact for fact in facts if not ranges(fact)]


def _implied_by(premises: list[z3.BoolRef], ctx: z3.Context) -> Callable[[z3.BoolRef], bool]:
    """Whether a fact follows from the premises: one solver for all the facts asked (making one costs
    more than most of these checks)."""
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", 200)
    solver.add(*premises)
    return lambda fact: solver.check(z3.Not(fact)) == z3.unsat
