"""What a recursive program's procedures return: summaries for its unfolding (recursion.py).

Houdini keeps the strongest candidate facts that every return keeps; the unfolding's steps over calls
assume them, and each procedure's return invariant states them, so that checking the invariants proves
them. The certificate shows each summary less the facts the others imply.
"""

from __future__ import annotations

import time

import z3

from solomonic.reason.engines.houdini import candidates, houdini
from solomonic.reason.engines.termination.recursion import Fact, Unfolding, candidate_facts, unfold
from solomonic.reason.engines.termination.tabulate import tabulated_facts
from solomonic.reason.ir import Function
from solomonic.reason.result import UNDEFINED_BEHAVIOUR
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem, build_system

TABULATE_S = 0.5  # concrete runs for the tabulated facts (tabulate.py)


def summarised(function: Function, deadline: float) -> Unfolding:
    """The unfolding whose steps over calls assume the strongest summaries Houdini keeps: assume the
    candidate facts, drop those that some return breaks, again until none is dropped. Out of time, the
    unfolding assumes nothing of a call's result (still sound, only weaker). The candidates are linear
    bounds (recursion.py) and, where the program confines an argument to a few values, the result for
    each of them, found by running the procedure (tabulate.py).

    The other candidate atoms are read once, off the first round's graph, whose calls assume every
    candidate fact: later rounds' graphs differ from it only in assuming fewer (the locations and
    variables are the same), and reading the atoms again off each took most of the time (37 of 45 s
    over seven rounds of MutualRecursion_1b). Not off the graph whose calls assume nothing: the facts
    restated at a procedure's loop heads (rec_counter1's res >= a - 1 after its call) come from the
    assumptions. Where there are tables, off the graph that assumes the linear facts alone: the tables'
    comparisons, restated at every location, doubled the candidates' time and Houdini's (Fibonacci01-2).
    Houdini checks whatever it is given against the round's own graph, and the proof reads the
    candidates of the final one afresh."""
    ub = UNDEFINED_BEHAVIOUR if function.language == "c" else set()
    tabulated = tabulated_facts(function, min(deadline, time.monotonic() + TABULATE_S))
    linear = {name: candidate_facts(proc) for name, proc in function.procedures.items()}
    facts = {name: linear[name] + tabulated.get(name, []) for name in linear}
    enc = Encoder("int", z3.Context())
    others: dict[int, list[z3.BoolRef]] | None = None
    while any(facts.values()):
        unfolding = unfold(function, facts)
        system = build_system(unfolding.function, ub, observe=unfolding.observed)
        if others is None:  # not off the tables' graph: their atoms are only restated at the returns
            others = candidates(build_system(unfold(function, linear).function, ub, observe=unfolding.observed),
                                enc) if tabulated else candidates(system, enc)
        atoms = {c: list(found) for c, found in others.items()}
        for name, loc in unfolding.returns.items():
            atoms[loc] = summary_atoms(unfolding, name, enc) + atoms.get(loc, [])
        encoded = {name: atoms[unfolding.returns[name]][:len(fs)] for name, fs in facts.items()}
        found = houdini(system, enc, atoms, max(0.05, deadline - time.monotonic()))
        if found is None:
            break
        kept = {name: [f for f, a in zip(facts[name], encoded[name])
                       if any(a.eq(b) for b in found[unfolding.returns[name]])] for name in facts}
        if kept == facts:  # the same graph as Houdini's, so that the same candidates come out of it again
            unfolding.tabulated = {name: [f for f in fs if f in tabulated.get(name, [])] for name, fs in facts.items()}
            return unfolding
        facts = kept
    return unfold(function, {})


def essential_facts(unfolding: Unfolding, name: str) -> list[Fact]:
    """The summary's facts less those the others imply: the same summary, as a person would write it."""
    facts = unfolding.summaries.get(name, [])
    enc = Encoder("int", z3.Context())
    atoms = summary_atoms(unfolding, name, enc)
    keep = list(range(len(facts)))
    for i in reversed(range(len(facts))):
        others = [atoms[j] for j in keep if j != i]
        solver = z3.Solver(ctx=enc.ctx)
        solver.set("timeout", 200)
        solver.add(*others, z3.Not(atoms[i]))
        if solver.check() == z3.unsat:
            keep.remove(i)
    return [facts[i] for i in keep]


def summary_atoms(unfolding: Unfolding, name: str, enc: Encoder) -> list[z3.BoolRef]:
    variables = unfolding.summary_variables(name)
    env = {v: enc.constant(v.name, v.type) for v in variables.values()}
    return [enc.expr(f.expr(variables), env) for f in unfolding.summaries.get(name, [])]


def candidates_with_summaries(system: TransitionSystem, enc: Encoder, unfolding: Unfolding | None) -> dict[int, list[z3.BoolRef]]:
    """Candidate invariant atoms; at each procedure's return, its summary's facts first. Where the
    summaries have tables, the other atoms are read off the unfolding whose calls assume the rest
    alone (its locations and variables are the same): restated at every location, a table's
    comparisons (`n == 17`, `result == 1597`) made Houdini's candidates several times as many, and
    none of them holds at a loop head (Fibonacci01-2: 58 facts)."""
    if unfolding is not None and any(unfolding.tabulated.values()):
        ub = UNDEFINED_BEHAVIOUR if unfolding.original.language == "c" else set()
        plain = unfold(unfolding.original, unfolding.plain()).function
        atoms = candidates(build_system(plain, ub, observe=unfolding.observed), enc)
    else:
        atoms = candidates(system, enc)
    for name, loc in (unfolding.returns if unfolding else {}).items():
        atoms[loc] = summary_atoms(unfolding, name, enc) + atoms[loc]
    return atoms


def with_summaries(unfolding: Unfolding, invariants: dict[int, z3.BoolRef], enc: Encoder) -> dict[int, z3.BoolRef]:
    out = dict(invariants)
    for name, loc in unfolding.returns.items():
        out[loc] = z3.And(out.get(loc, z3.BoolVal(True, enc.ctx)), *summary_atoms(unfolding, name, enc))
    return out
