"""Polynomial equalities and congruences among a loop head's variables, read off concrete runs (the
method of DIG: Nguyen, Kapur, Weimer and Forrest, ICSE 2012; congruences as Daikon's modulus invariants).

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
from solomonic.reason.ir import Function, Var
from solomonic.reason.ir.interpret import run
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem

RUNS = 40  # random inputs tried
STEPS = 400  # interpreter steps a run may take
MAX_VARIABLES = 5  # at a head: more make too many monomials for the states a few runs give
MAX_STATES = 120  # rows of the matrix, at most
SMALL = 24  # inputs and nondeterministic values are drawn from [-SMALL, SMALL] (within the type)
MIN_DISTINCT = 4  # values of a variable seen at a head before a congruence of them is a candidate


def observed(function: Function, system: TransitionSystem,
             seed: int = 0) -> tuple[dict[int, set[tuple[int, ...]]], dict[int, list[Var]]]:
    """The states each loop head is reached in over random runs, by head, and the variables (at most
    MAX_VARIABLES numeric ones) whose values they list; ({}, {}) where an input is not a number."""
    heads = set(system.loop_heads)
    if not heads or any(not numeric(i.var) for i in function.inputs):
        return {}, {}
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
    return states, variables


def equalities(function: Function, system: TransitionSystem, enc: Encoder,
               seed: int = 0) -> dict[int, list[z3.BoolRef]]:
    """Candidate equalities by loop head, over `enc`'s constants for the head's variables; {} where the
    runs give too few states to tell."""
    states, variables = observed(function, system, seed)
    out: dict[int, list[z3.BoolRef]] = {}
    for head in states:
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


def congruences(function: Function, system: TransitionSystem, enc: Encoder,
                seed: int = 0) -> dict[int, list[z3.BoolRef]]:
    """Candidate congruences by loop head, `x % m == r`, read off the same runs (Granger's congruence
    domain, found as Daikon finds its modulus invariants): m is the gcd of the differences between the
    values x was seen with (at least MIN_DISTINCT of them), and each power of two that divides it. A
    counter that starts at 5 and steps by 8 keeps `x % 8 == 5`, which no comparison of the program
    states, and which `(x & 5) == 5` needs."""
    states, variables = observed(function, system, seed)
    out: dict[int, list[z3.BoolRef]] = {}
    for head, seen in states.items():
        for k, v in enumerate(variables[head]):
            values = sorted({state[k] for state in seen})
            if len(values) < MIN_DISTINCT:
                continue
            g = math.gcd(*(x - values[0] for x in values[1:]))
            moduli = {g} | {1 << e for e in range(1, g.bit_length()) if g % (1 << e) == 0}
            x = enc.constant(v.name, v.type)
            out.setdefault(head, []).extend(x % m == values[0] % m for m in sorted(moduli) if m >= 2)
    return {h: facts for h, facts in out.items() if facts}


def nonlinear(fact: z3.ExprRef) -> bool:
    """Whether the fact multiplies two variables (what Spacer's linear lemmas cannot state)."""
    if z3.is_mul(fact) and sum(not z3.is_int_value(c) for c in fact.children()) >= 2:
        return True
    return any(nonlinear(c) for c in fact.children())


