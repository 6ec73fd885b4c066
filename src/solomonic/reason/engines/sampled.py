"""Polynomial equalities among a loop head's variables, read off concrete runs (the method of DIG:
Nguyen, Kapur, Weimer and Forrest, ICSE 2012).

Spacer's lemmas are linear, so an assertion that only a polynomial invariant implies (`2*x == y*y + y`
after `y++; x += y`) keeps it refining until the deadline. The invariant shows in the runs: gather the
states each loop head is reached in over random inputs, and the polynomials (up to degree 2 here) that
vanish on all of them are the null space of the matrix of their monomials' values, solved exactly over
the rationals. What comes out holds of the runs seen and no more: each equality is only a candidate,
which Houdini keeps where it is inductive, and a proof from them is re-checked like any other
(`certify/certificate.py`).
"""

from __future__ import annotations

import itertools
import math
import random

import z3

from solomonic.reason.engines.random_runs import small
from solomonic.reason.engines.termination.polynomial import null_space
from solomonic.reason.engines.termination.recursion import numeric
from solomonic.reason.ir import Function
from solomonic.reason.ir.interpret import run
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem

RUNS = 40  # random inputs tried
STEPS = 400  # interpreter steps a run may take
MAX_VARIABLES = 5  # at a head: more make too many monomials for the states a few runs give
MAX_STATES = 120  # rows of the matrix, at most
SMALL = 24  # inputs and nondeterministic values are drawn from [-SMALL, SMALL] (within the type)


def equalities(function: Function, system: TransitionSystem, enc: Encoder,
               seed: int = 0) -> dict[int, list[z3.BoolRef]]:
    """Candidate equalities by loop head, over `enc`'s constants for the head's variables; {} where the
    runs give too few states to tell."""
    heads = set(system.loop_heads)
    if not heads or any(not numeric(i.var) for i in function.inputs):
        return {}
    states: dict[int, set[tuple[int, ...]]] = {h: set() for h in heads}
    variables = {h: [v for v in system.params[h] if numeric(v)][:MAX_VARIABLES] for h in heads}
    rng = random.Random(seed)

    def observe(loc: int, env: dict) -> None:
        if loc in heads and len(states[loc]) < MAX_STATES:
            states[loc].add(tuple(int(env.get(v, 0)) for v in variables[loc]))

    for _ in range(RUNS):
        inputs = {i.var: small(i.var, rng, SMALL) for i in function.inputs}
        run(function, inputs, lambda _edge, _step, stmt: small(stmt.target, rng, SMALL), set(system.cutpoints), STEPS,
            observe)
    out: dict[int, list[z3.BoolRef]] = {}
    for head in heads:
        names = variables[head]
        monomials = [m for degree in range(3) for m in itertools.combinations_with_replacement(range(len(names)), degree)]
        rows = [[math.prod(state[i] for i in m) for m in monomials] for state in states[head]]
        if len(rows) < len(monomials) + 2:
            continue
        terms = [z3.Product(*[enc.constant(names[i].name, names[i].type) for i in m]) if m else z3.IntVal(1, enc.ctx)
                 for m in monomials]
        vectors = null_space(rows, len(monomials))
        out[head] = [z3.Sum(*[c * t for c, t in zip(vector, terms) if c]) == 0 for vector in vectors]
    return {h: facts for h, facts in out.items() if facts}


def nonlinear(fact: z3.ExprRef) -> bool:
    """Whether the fact multiplies two variables (what Spacer's linear lemmas cannot state)."""
    if z3.is_mul(fact) and sum(not z3.is_int_value(c) for c in fact.children()) >= 2:
        return True
    return any(nonlinear(c) for c in fact.children())


