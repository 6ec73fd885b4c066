"""Closed recurrent sets, checked from scratch: a state in the set can never leave the loop.

A recurrent set is a formula at one loop head such that from every state in it (1) every block that
can run goes back to the same head, into the set again, and (2) some block can always run, whatever
the nondeterministic values are (no path out through a return, an exception or an assumption). Then
a run that reaches the set stays in it for ever. A set may hold under a choice of the loop's
nondeterministic values, the same at every iteration (`while (nondet()) x += 2`): (1) and (2) with
those values fixed, so that a run that reads them for ever stays. The check parses the formula from its SMT-LIB text
into a fresh Z3 context and encodes the blocks anew, so it shares nothing with the search that found
the set (the lasso search's solvers), only the transition system both read off the program.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import z3

from solomonic.reason.certify.certificate import Invariant, parse_invariant
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem


def not_closed(system: TransitionSystem, recurrent: Invariant, timeout_s: float,
               choice: Mapping[int, int] | None = None) -> str | None:
    """None if the set is closed at its head, else why not (a block that leaves it or the loop, a
    state from which no block can run, or a query Z3 could not decide in time). `choice`: the values
    of the nondeterministic reads by their edge, fixed."""
    deadline = time.monotonic() + timeout_s
    head = recurrent.location
    enc = Encoder("int", z3.Context())
    formula, consts = parse_invariant(recurrent, enc.ctx)
    pre = {v: consts[v.name] if v.name in consts else enc.constant(v.name, v.type) for v in system.params[head]}
    blocks = [b for b in system.blocks if b.src == head]
    nondet = {n: enc.constant(n.name, n.type) for b in blocks for n in b.nondets}
    typed = [enc.in_range(t, v.type) for v, t in [*pre.items(), *nondet.items()]]
    typed += [t == enc.value(choice[system.nondet_edges[n]], n.type) for n, t in nondet.items()
              if choice and system.nondet_edges[n] in choice]
    guards, definitions = [], []
    for block in blocks:
        guard, updates = enc.block(block, pre, nondet)
        guards.append(guard)
        definitions += enc.side  # auxiliary quotients: definitions any values satisfy
        query = [formula, *typed, guard]
        if block.dst != head:
            if _holds(enc.ctx, query, deadline) is not True:
                return f"the block to location {block.dst} may run from the set"
            continue
        after = z3.substitute(formula, *[(t, updates[v]) for v, t in pre.items() if v in updates])
        if _holds(enc.ctx, [*query, z3.Not(after)], deadline) is not True:
            return f"a block from location {head} back to it may leave the set"
    if _holds(enc.ctx, [formula, *typed, *definitions, *[z3.Not(g) for g in guards]], deadline) is not True:
        return "from some state of the set no block runs (the loop is left, or the run blocked)"
    return None


def _holds(ctx: z3.Context, conjuncts: list[z3.BoolRef], deadline: float) -> bool | None:
    """True if the conjunction is unsatisfiable (the property checked holds), None if undecided."""
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
    solver.add(*conjuncts)
    status = solver.check()
    return True if status == z3.unsat else None if status == z3.unknown else False
