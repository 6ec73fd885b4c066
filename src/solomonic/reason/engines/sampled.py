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
from collections.abc import Callable

import z3
from z3 import z3core

from solomonic.reason.engines.random_runs import small
from solomonic.reason.engines.termination.polynomial import null_space
from solomonic.reason.engines.termination.recursion import numeric
from solomonic.reason.ir import Function, Havoc, Var
from solomonic.reason.ir.evaluate import Value
from solomonic.reason.ir.interpret import run
from solomonic.reason.symbolic.encode import Encoder, applications
from solomonic.reason.symbolic.system import TransitionSystem

RUNS = 40  # random inputs tried at first: most loops show their equalities in these
MORE_RUNS = 360  # at most this many more, in batches of RUNS with wider inputs, while the states grow
STEPS = 400  # interpreter steps a run may take
MAX_VARIABLES = 8  # at a head: degree 2 over 8 is 45 monomials, which MAX_STATES states decide
MAX_STATES = 120  # rows of the matrix, at most
SMALL = 24  # inputs and nondeterministic values are drawn from [-SMALL, SMALL] (within the type) at first
FLAGS = 0.25  # of the values drawn: 0, 1 or -1
WIDER = 8  # then from a range WIDER times as wide every RUNS runs
MIN_DISTINCT = 4  # values of a variable seen at a head before a congruence of them is a candidate


# by loop head: the states it was reached in, and the variables whose values they list
Observed = tuple[dict[int, set[tuple[int, ...]]], dict[int, list[Var]]]


def observed(function: Function, system: TransitionSystem, seed: int = 0) -> Observed:
    """The states each loop head is reached in over random runs, by head, and the variables (at most
    MAX_VARIABLES numeric ones) whose values they list; ({}, {}) where an input is not a number.

    Why more runs, with wider inputs, where a head has few states: a division loop guarded by
    `assume(x >= 0 && y >= 1)` runs a few times on inputs from [-24, 24], and a handful of states make
    coincidences look like equalities (`x == q + r` while q and r are 0 and x) and leave the true ones
    (`b == y*a`) undetermined among the monomials of six variables."""
    heads = set(system.loop_heads)
    if not heads or any(not numeric(i.var) for i in function.inputs):
        return {}, {}
    states: dict[int, set[tuple[int, ...]]] = {h: set() for h in heads}
    variables = {h: [v for v in system.params[h] if numeric(v)][:MAX_VARIABLES] for h in heads}
    rng = random.Random(seed)

    def observe(loc: int, env: dict) -> None:
        if loc in heads and len(states[loc]) < MAX_STATES:
            states[loc].add(tuple(int(env.get(v, 0)) for v in variables[loc]))

    before: list[int] = []  # the states by head when the batch began
    for attempt in range(RUNS + MORE_RUNS):
        if attempt % RUNS == 0:  # a batch: stop where every head has its fill, or the last batch added none
            counts = [len(seen) for seen in states.values()]
            if attempt and (min(counts) >= MAX_STATES or counts == before):
                break
            before = counts
        bound = SMALL * WIDER ** (attempt // RUNS)
        inputs = {i.var: _value(i.var, rng, bound) for i in function.inputs}
        run(function, inputs, _drawing(rng, bound), set(system.cutpoints), STEPS, observe)
    return states, variables


def _drawing(rng: random.Random, bound: int) -> Callable[[int, int, Havoc], Value]:
    """The values a run's nondeterministic reads get, as its inputs (`_value`)."""
    return lambda _edge, _step, stmt: _value(stmt.target, rng, bound)


def _value(v: Var, rng: random.Random, bound: int) -> Value:
    """One of 0, 1 and -1 a quarter of the time, else one from [-bound, bound] (within v's type): a flag
    read once (`if (flag) i = 0; else i = 1;`) is 0 in one run of 49 on [-24, 24] alone, and each side
    of it needs states of its own (`equalities(cases=)`)."""
    return small(v, rng, 1 if rng.random() < FLAGS else bound)


def equalities(runs: Observed, enc: Encoder, cases: dict[int, list[z3.BoolRef]] | None = None,
               degree: int = 2) -> dict[int, list[z3.BoolRef]]:
    """Candidate equalities by loop head, over `enc`'s constants for the head's variables, from the
    states of `runs` (`observed`: one set of runs serves every question asked of them); {} where the
    runs give too few states to tell. The linear ones first; then those of degree 2 over the variables
    they leave free (`eliminated`): over all of them, the null space would also hold every linear
    equality times each variable, which says nothing new and looks non-linear. Of those, the ones with
    the fewest products (`y == 3*n*n + 3*n + 1`, `3*x == 1 + 2*n - y + n*y`): a basis vector with more
    (`y*y - 9*n*x + ...`) follows from them more often than not, or holds only of the states seen, and
    each product makes Houdini's queries non-linear: with one such more, cohencu's took 7.6 s instead of
    0.2 s, and a triangle's sum (`2*s == 2*i*n - i*i + 2*j - i`) timed out beside a seven-product one.
    `degree` 1 for the linear ones alone.

    With `cases` (by head: conditions no iteration changes, houdini.split), instead the equalities of
    the runs on each side of each, as implications: where a flag read once makes a loop step i by 2
    from 0 and j with it, and otherwise from 1 and j by 1, `flag != 0 -> j == i + 1` holds of every run
    and no equality over all of them does."""
    states, variables = runs
    out: dict[int, list[z3.BoolRef]] = {}
    for head, seen in states.items():
        names = [enc.constant(v.name, v.type) for v in variables[head]]
        if cases is None:
            out[head] = _equalities(seen, names, enc.ctx, degree)
            continue
        out[head] = [z3.Implies(side, fact) for case in cases.get(head, []) for side in (case, z3.Not(case))
                     for fact in _equalities(_satisfying(seen, names, side, enc.ctx), names, enc.ctx, degree)]
    return {h: facts for h, facts in out.items() if facts}


def _equalities(seen: set[tuple[int, ...]], names: list[z3.ArithRef], ctx: z3.Context,
                degree: int) -> list[z3.BoolRef]:
    """The equalities of degree 1, then 2 up to `degree`, that hold on every state `seen` (equalities' rules)."""
    terms = {(): z3.IntVal(1, ctx)} | {(i,): x for i, x in enumerate(names)}
    linear = _vanishing(seen, [(), *((i,) for i in range(len(names)))])
    if linear is None:
        return []
    free = [i for i in range(len(names)) if i not in eliminated(linear)]
    quadratic = (_vanishing(seen, [(), *((i,) for i in free), *itertools.combinations_with_replacement(free, 2)])
                 if degree >= 2 else None) or []
    fewest = min((_products(m, v) for m, v in quadratic), default=0)
    facts = []
    for monomials, vector in [*linear, *((m, v) for m, v in quadratic if _products(m, v) == fewest)]:
        product = [terms[m] if m in terms else z3.Product(*[terms[(i,)] for i in m]) for m in monomials]
        facts.append(z3.Sum(*[c * t for c, t in zip(vector, product) if c]) == 0)
    return facts


def _satisfying(seen: set[tuple[int, ...]], names: list[z3.ArithRef], condition: z3.BoolRef,
                ctx: z3.Context) -> set[tuple[int, ...]]:
    """The states in which `condition` (over `names`) holds."""
    return {s for s in seen if z3.is_true(z3.simplify(z3.substitute(
        condition, *[(x, z3.IntVal(value, ctx)) for x, value in zip(names, s)])))}


Monomial = tuple[int, ...]  # indices of the variables multiplied, () the constant 1


def _products(monomials: list[Monomial], vector: list[int]) -> int:
    """How many products of variables a combination weighs."""
    return sum(1 for m, c in zip(monomials, vector) if c and len(m) > 1)


def _vanishing(states: set[tuple[int, ...]], monomials: list[Monomial]) -> list[tuple[list[Monomial], list[int]]] | None:
    """The combinations of the monomials that vanish on every state (a basis), each with the monomials
    it weighs; None where there are too few states to tell."""
    rows = [[math.prod(state[i] for i in m) for m in monomials] for state in states]
    if len(rows) < len(monomials) + 2:
        return None
    return [(monomials, vector) for vector in null_space(rows, len(monomials))]


def eliminated(linear: list[tuple[list[Monomial], list[int]]]) -> set[int]:
    """Variables the linear equalities define, one each: null_space gives each basis vector a column
    no other vector uses, so each equality states its variable in terms of those not eliminated."""
    out: set[int] = set()
    for k, (monomials, vector) in enumerate(linear):
        others = [w for j, (_, w) in enumerate(linear) if j != k]
        own = [m for col, m in enumerate(monomials) if m and vector[col] and not any(w[col] for w in others)]
        if own:
            out.add(own[-1][0])
    return out


def congruences(runs: Observed, enc: Encoder,
                cases: dict[int, list[z3.BoolRef]] | None = None) -> dict[int, list[z3.BoolRef]]:
    """Candidate congruences by loop head, `x % m == r`, read off the same runs (`observed`) (Granger's congruence
    domain, found as Daikon finds its modulus invariants): m is the gcd of the differences between the
    values x was seen with (at least MIN_DISTINCT of them), and each power of two that divides it. A
    counter that starts at 5 and steps by 8 keeps `x % 8 == 5`, which no comparison of the program
    states, and which `(x & 5) == 5` needs. With `cases` (by head: conditions no iteration changes,
    houdini.split), also the congruences of the runs on each side of each, as implications."""
    states, variables = runs
    out: dict[int, list[z3.BoolRef]] = {}
    for head, seen in states.items():
        names = [enc.constant(v.name, v.type) for v in variables[head]]
        out[head] = _moduli(seen, names)
        for case in (cases or {}).get(head, []):  # `x % 2 == 0` only where `y % 2 == 0`: as an implication
            for side in (case, z3.Not(case)):
                part = _satisfying(seen, names, side, enc.ctx)
                out[head] += [z3.Implies(side, fact) for fact in _moduli(part, names)]
    return {h: facts for h, facts in out.items() if facts}


def _moduli(seen: set[tuple[int, ...]] | list[tuple[int, ...]], names: list[z3.ArithRef]) -> list[z3.BoolRef]:
    """`x % m == r` for each variable seen with at least MIN_DISTINCT values, m their common stride or a
    power of two that divides it."""
    out: list[z3.BoolRef] = []
    for k, x in enumerate(names):
        values = sorted({state[k] for state in seen})
        if len(values) < MIN_DISTINCT:
            continue
        g = math.gcd(*(v - values[0] for v in values[1:]))
        moduli = {g} | {1 << e for e in range(1, g.bit_length()) if g % (1 << e) == 0}
        out.extend(x % m == values[0] % m for m in sorted(moduli) if m >= 2)
    return out


def nonlinear(fact: z3.ExprRef) -> bool:
    """Whether the fact multiplies two variables (what Spacer's linear lemmas cannot state)."""
    c = fact.ctx.ref()

    def integer_value(arg) -> bool:  # z3.is_int_value: a numeral of sort Int
        return z3core.Z3_get_ast_kind(c, arg) == z3.Z3_NUMERAL_AST and \
            z3core.Z3_get_sort_kind(c, z3core.Z3_get_sort(c, arg)) == z3.Z3_INT_SORT

    return any(kind == z3.Z3_OP_MUL and sum(
        not integer_value(z3core.Z3_get_app_arg(c, app, i)) for i in range(z3core.Z3_get_app_num_args(c, app))) >= 2
        for kind, app in applications(fact))


