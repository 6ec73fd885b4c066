"""Re-check a yes from its certificate alone, in a fresh Z3 context, against each block's exact formula.

The invariants by certificate.check; each loop's ranking (lexicographic, multiphase, phased, or the
least of linear functions) step by step. The proof (proof.py) runs these checks on what it found before it makes a certificate, and
`solomonic recheck` runs check_certificate on a stored one. Apart, as it trusts nothing of the search:
a whole certificate is checked in one context made for it (making a Z3 context costs more than most
of a certificate's queries), each query in a fresh solver.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import z3

from solomonic.reason.certify import certificate
from solomonic.reason.engines import bmc
from solomonic.reason.engines.houdini import encode_block
from solomonic.reason.engines.termination.elements import named
from solomonic.reason.engines.termination.loops import find_loops
from solomonic.reason.engines.termination.ranking import (
    LinearFunction,
    Minimum,
    Multiphase,
    Ranking,
    ranking_from_json,
    rational,
)
from solomonic.reason.engines.termination.recursion import Fact, Unfolding, unfold
from solomonic.reason.engines.termination.summaries import with_summaries
from solomonic.reason.ir import Function, Var
from solomonic.reason.result import UNDEFINED_BEHAVIOUR
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import Block, TransitionSystem, build_system


def check_certificate(function: Function, cert: dict, timeout_s: float) -> str | None:
    """Re-check a yes from its certificate alone (for `solomonic recheck`): None if it holds."""
    ctx = z3.Context()
    ub = UNDEFINED_BEHAVIOUR if function.language == "c" else set()
    invariants = [certificate.Invariant.from_json(d) for d in cert.get("invariants", [])]
    if function.procedures:
        if cert.get("kind") == "bounded exploration":
            return "a bounded exploration does not cover recursion"
        facts = {name: [Fact.from_json(f) for f in cert.get("summaries", {}).get(name, [])]
                 for name in function.procedures}
        unfolding = unfold(function, facts)
        system = build_system(unfolding.function, ub, observe=unfolding.observed)
        invariants = _stating_summaries(system, unfolding, invariants, ctx)
    else:
        system = build_system(function, ub)
    if cert.get("kind") == "bounded exploration":
        return bmc.exhaustive(system, int(cert["depth"]), timeout_s, ["bv", "int"])[0]
    loops = {min(loop): loop for loop in find_loops(system)}
    if set(loops) != {int(loop["location"]) for loop in cert.get("loops", [])}:
        return "the certificate's loops are not the function's"
    problem, _ = certificate.check(system, invariants, timeout_s, ctx)
    if problem:
        return problem
    for loop in cert["loops"]:
        if "phases" in loop:
            regions = [(certificate.Invariant.from_json(p["region"]), ranking_from_json(p)) for p in loop["phases"]]
            problem = check_regions(system, loops[int(loop["location"])], regions, invariants, timeout_s, ctx)
            if problem:
                return problem
            continue
        if "minimum" in loop:
            head = int(loop["location"])
            found = Minimum(head, [LinearFunction.from_json(f) for f in loop["minimum"]])
            problem = check_minimum(system, loops[head], found, invariants, timeout_s, ctx)
            if problem:
                return problem
            continue
        if "multiphase" in loop:
            phases = [LinearFunction.from_json(f) for f in loop["multiphase"]]
            head = int(loop["location"])
            problem = check_multiphase(system, loops[head], Multiphase(head, phases), invariants, timeout_s, ctx)
            if problem:
                return problem
            continue
        problem = check_ranking(system, loops[int(loop["location"])], ranking_from_json(loop), invariants, timeout_s,
                                ctx=ctx)
        if problem:
            return problem
    return None


def _stating_summaries(system: TransitionSystem, unfolding: Unfolding,
                       invariants: list[certificate.Invariant], ctx: z3.Context) -> list[certificate.Invariant]:
    """The certificate's invariants, each procedure's return conjoined with the summary the unfolding
    assumes (a certificate cannot assume a summary without proving it)."""
    parsed = {inv.location: certificate.parse_invariant(inv, ctx)[0] for inv in invariants}
    stated = with_summaries(unfolding, parsed, Encoder("int", ctx))
    return [certificate.make_invariant(system, loc, f) for loc, f in stated.items()]


@dataclass
class _Step:
    """A block inside a loop, encoded exactly (int encoding) in a checker's own context."""

    index: int
    block: Block
    pre: dict[Var, z3.ExprRef]
    updates: dict[Var, z3.ExprRef]
    facts: list[z3.BoolRef]  # what holds when it is taken: the source invariant, its guard, type ranges

    def where(self, system: TransitionSystem) -> str:
        return f"on the path from the loop at line {system.function.cfg.lines[self.block.src]}"


def _steps(system: TransitionSystem, loop: set[int], invariants: list[certificate.Invariant],
           enc: Encoder) -> Iterator[_Step]:
    parsed = {inv.location: certificate.parse_invariant(inv, enc.ctx) for inv in invariants}
    for i, block in enumerate(system.blocks):
        if block.src not in loop or block.dst not in loop:
            continue
        pre, guard, updates = encode_block(system, enc, block)
        formula, consts = parsed[block.src]
        pairs = [(consts[v.name], pre[v]) for v in system.params[block.src] if v.name in consts]
        invariant = z3.substitute(formula, *pairs) if pairs else formula
        yield _Step(i, block, pre, updates, [invariant, guard, *[enc.in_range(t, v.type) for v, t in pre.items()]])


def check_sat(ctx: z3.Context, deadline: float, *facts: z3.BoolRef) -> z3.CheckSatResult:
    s = z3.Solver(ctx=ctx)
    s.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
    s.add(*facts)
    return s.check()


def _problem(status: z3.CheckSatResult, step: _Step, system: TransitionSystem) -> str | None:
    if status == z3.unsat:
        return None
    return f"{'fails' if status == z3.sat else 'undecided'} {step.where(system)}"


def check_ranking(system: TransitionSystem, loop: set[int], ranking: Ranking,
                  invariants: list[certificate.Invariant], timeout_s: float,
                  region: certificate.Invariant | None = None, ctx: z3.Context | None = None) -> str | None:
    """Independent check in `ctx` (a fresh context when not given), against each block's exact formula
    (int encoding): every step decreases lexicographically, at one of the levels the block claims: the
    ranking there is non-negative and drops by the claimed amount, and at the levels before it does not
    grow. With a region, only the steps that start and end in it."""
    ctx = z3.Context() if ctx is None else ctx
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        src, dst = step.block.src, step.block.dst
        scale = [_denominators([level[src], level[dst]]) for level in ranking.levels]
        before = [_apply(level[src], step.pre, ctx, d) for level, d in zip(ranking.levels, scale)]
        after = [_apply(level[dst], step.updates, ctx, d) for level, d in zip(ranking.levels, scale)]
        options = [z3.And(*[before[j] >= after[j] for j in range(k)], before[k] >= 0,
                          _at_least(before[k] - after[k], drop * scale[k], ctx))
                   for k, drop in sorted(ranking.decreases.get(step.index, {}).items())]  # none: infeasible
        inside = [_holds(region, step.pre, ctx), _holds(region, step.updates, ctx)] if region is not None else []
        problem = _problem(check_sat(ctx, deadline, *step.facts, *inside, z3.Not(z3.Or(*options, ctx))), step, system)
        if problem:
            return problem
    return None


def check_multiphase(system: TransitionSystem, loop: set[int], found: Multiphase,
                     invariants: list[certificate.Invariant], timeout_s: float,
                     ctx: z3.Context | None = None) -> str | None:
    """Independent check of a multiphase ranking against each block's exact formula (int encoding), in
    `ctx` (a fresh context when not given)."""
    ctx = z3.Context() if ctx is None else ctx
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        if step.block.src != found.head or step.block.dst != found.head:
            return "a multiphase ranking is for a loop with one head"
        d = _denominators(found.phases)  # every phase times d: the goals scale by d
        before = [_apply(f, step.pre, ctx, d) for f in found.phases]
        after = [_apply(f, step.updates, ctx, d) for f in found.phases]
        goals = [before[0] - after[0] >= d, before[-1] >= 0]
        goals += [before[i] - after[i] + before[i - 1] >= d for i in range(1, len(found.phases))]
        problem = _problem(check_sat(ctx, deadline, *step.facts, z3.Not(z3.And(*goals))), step, system)
        if problem:
            return problem
    return None


def check_minimum(system: TransitionSystem, loop: set[int], found: Minimum,
                  invariants: list[certificate.Invariant], timeout_s: float,
                  ctx: z3.Context | None = None) -> str | None:
    """Independent check of a ranking by the least of linear functions against each block's exact
    formula (int encoding), in `ctx` (a fresh context when not given): every f_i non-negative before
    the step, and for each f_i some f_j after it lower by at least 1 (scaled to integer coefficients,
    by at least 1 on that scale: an integer that falls and stays non-negative falls finitely often)."""
    ctx = z3.Context() if ctx is None else ctx
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        if step.block.src != found.head or step.block.dst != found.head:
            return "a ranking by the least of functions is for a loop with one head"
        d = _denominators(found.functions)
        before = [_apply(f, step.pre, ctx, d) for f in found.functions]
        after = [_apply(f, step.updates, ctx, d) for f in found.functions]
        goals = [b >= 0 for b in before] + [z3.Or(*[b - a >= 1 for a in after], ctx) for b in before]
        problem = _problem(check_sat(ctx, deadline, *step.facts, z3.Not(z3.And(*goals))), step, system)
        if problem:
            return problem
    return None


def check_regions(system: TransitionSystem, loop: set[int], regions: list[tuple[certificate.Invariant, Ranking]],
                  invariants: list[certificate.Invariant], timeout_s: float,
                  ctx: z3.Context | None = None) -> str | None:
    """Independent check of a phased argument, in `ctx` (a fresh context when not given): every step of
    the loop starts in some region, no step goes back to an earlier region, and within each region a
    ranking holds."""
    ctx = z3.Context() if ctx is None else ctx
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        if step.block.src != step.block.dst:
            return "phases are for a loop with one head"
        queries = [("a step starts outside every region",
                    z3.Not(z3.Or(*[_holds(r, step.pre, ctx) for r, _ in regions], ctx)))]
        queries += [(f"a step goes back from region {a + 1} to region {b + 1}",
                     z3.And(_holds(regions[a][0], step.pre, ctx), _holds(regions[b][0], step.updates, ctx)))
                    for a in range(len(regions)) for b in range(a)]
        for what, query in queries:
            if check_sat(ctx, deadline, *step.facts, query) != z3.unsat:
                return f"{what} {step.where(system)}"
    for region, ranking in regions:
        problem = check_ranking(system, loop, ranking, invariants, max(0.05, deadline - time.monotonic()), region,
                                ctx)
        if problem:
            return f"in the region {region.text}: {problem}"
    return None


def _holds(region: certificate.Invariant, env: dict[Var, z3.ExprRef], ctx: z3.Context) -> z3.BoolRef:
    """The region's formula (over a head's variables by name) at the state `env` gives."""
    formula, consts = certificate.parse_invariant(region, ctx)
    pairs = [(consts[v.name], t) for v, t in env.items() if v.name in consts]
    return z3.substitute(formula, *pairs) if pairs else formula


def _apply(f: LinearFunction, terms: dict[Var, z3.ExprRef], ctx: z3.Context, scale: int = 1) -> z3.ArithRef:
    """scale·f at the state `terms`: an integer term where scale·f has integer coefficients and the
    variables are integers (mixing rationals into non-linear integer facts can leave the solver
    undecided: (i + 1)*(i + 1) <= n against n/3 - i), else a real one."""
    env = named(terms, f.coeffs)
    used = {name: a * scale for name, a in f.coeffs.items() if a}
    constant = f.constant * scale
    if all(a.denominator == 1 for a in used.values()) and constant.denominator == 1 and \
            all(env[name].sort().kind() == z3.Z3_INT_SORT for name in used):
        return z3.Sum([*[z3.IntVal(a.numerator, ctx) * env[name] for name, a in used.items()],
                       z3.IntVal(constant.numerator, ctx)])
    summands = [rational(a, ctx) * z3.ToReal(env[name]) for name, a in used.items()]
    return z3.Sum([*summands, rational(constant, ctx)])


def _denominators(functions: list[LinearFunction]) -> int:
    """The least common multiple of the functions' denominators: scaled by it, they are integral."""
    d = 1
    for f in functions:
        for a in [*f.coeffs.values(), f.constant]:
            d = d * a.denominator // math.gcd(d, a.denominator)
    return d


def _at_least(t: z3.ArithRef, bound: Fraction, ctx: z3.Context) -> z3.BoolRef:
    """t >= bound; for an integer term, t >= ceil(bound), the same thing."""
    if t.sort().kind() == z3.Z3_INT_SORT:
        return t >= z3.IntVal(math.ceil(bound), ctx)
    return t >= rational(bound, ctx)
