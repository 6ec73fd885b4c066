"""Re-check a yes from its certificate alone, in a fresh Z3 context, against each block's exact formula.

The invariants by certificate.check; each loop's ranking (lexicographic, multiphase, phased, or the
least of linear functions) step by step. The proof (proof.py) runs these checks on what it found before it makes a certificate, and
`solomonic recheck` runs check_certificate on a stored one. Apart, as it trusts nothing of the search:
a whole certificate is checked in one context made for it (making a Z3 context costs more than most
of a certificate's queries), each query in a fresh solver.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterator
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
from solomonic.reason.ir import BVType, Function, Var
from solomonic.reason.result import UNDEFINED_BEHAVIOUR
from solomonic.reason.symbolic.encode import Encoder, constants, converts_to_bits
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
class _Bits:
    """A step in bit-vector arithmetic: its state's terms and what holds when it is taken."""

    pre: dict[Var, z3.ExprRef]
    updates: dict[Var, z3.ExprRef]
    facts: list[z3.BoolRef]


@dataclass
class _Step:
    """A block inside a loop, encoded exactly (int encoding) in a checker's own context; where that
    formula turns integers into bit-vectors (a bitwise operation on variables), also exactly in
    bit-vector arithmetic (`bits`), in which the solver decides what it cannot decide mixed:
    `x | (x + 1) > x` by bit-blasting, in milliseconds, against no answer in minutes."""

    index: int
    block: Block
    pre: dict[Var, z3.ExprRef]
    updates: dict[Var, z3.ExprRef]
    facts: list[z3.BoolRef]  # what holds when it is taken: the source invariant, its guard, type ranges
    bits: _Bits | None = None

    def where(self, system: TransitionSystem) -> str:
        return f"on the path from the loop at line {system.function.cfg.lines[self.block.src]}"

    def violated(self, goal: Callable[[dict[Var, z3.ExprRef], dict[Var, z3.ExprRef]], z3.BoolRef],
                 ctx: z3.Context, deadline: float, *also: z3.BoolRef) -> z3.CheckSatResult:
        """Whether some step fails `goal(before, after)` (an integer formula over the state's terms):
        sat, unsat, or unknown. In bit-vector arithmetic first where the step has it (half the time
        left; its sat is as final as its unsat, both semantics being exact), else or then in integers."""
        if self.bits is not None and not also:
            status = _violated_in_bits(self.bits, goal, ctx, time.monotonic() + (deadline - time.monotonic()) / 2)
            if status != z3.unknown:
                return status
        return check_sat(ctx, deadline, *self.facts, *also, z3.Not(goal(self.pre, self.updates)))


def _violated_in_bits(bits: _Bits, goal: Callable[[dict[Var, z3.ExprRef], dict[Var, z3.ExprRef]], z3.BoolRef],
                      ctx: z3.Context, deadline: float) -> z3.CheckSatResult:
    """The goal stated over integer names of the state's machine words, restated exactly in wide
    bit-vector arithmetic (certificate.WideBV) at the step's bit-vector terms; unknown where the goal
    names what has no such form (an array element)."""
    scalars = [v for v in bits.pre if isinstance(v.type, BVType)]
    before = {v: z3.Int(v.name, ctx) for v in scalars}
    after = {v: z3.Int(v.name + "'", ctx) for v in scalars}
    words = {before[v].get_id(): (bits.pre[v], v.type) for v in scalars}
    words.update({after[v].get_id(): (bits.updates[v], v.type) for v in scalars if v in bits.updates})
    try:
        wide = certificate.WideBV(words).formula(goal(before, after))
    except (NotImplementedError, KeyError):
        return z3.unknown
    return check_sat(ctx, deadline, *bits.facts, z3.Not(wide))


def _steps(system: TransitionSystem, loop: set[int], invariants: list[certificate.Invariant],
           enc: Encoder, continuing: bool = False) -> Iterator[_Step]:
    """The loop's steps; with `continuing`, each only where the loop takes another step after it."""
    parsed = {inv.location: certificate.parse_invariant(inv, enc.ctx) for inv in invariants}
    wide: dict[int, tuple[z3.BoolRef, dict[str, z3.ExprRef]]] | None = None
    bv = Encoder("bv", enc.ctx)  # one for every step, so that each block is encoded in it once
    for i, block in enumerate(system.blocks):
        if block.src not in loop or block.dst not in loop:
            continue
        pre, guard, updates = encode_block(system, enc, block)
        formula, consts = parsed[block.src]
        pairs = [(consts[v.name], pre[v]) for v in system.params[block.src] if v.name in consts]
        invariant = z3.substitute(formula, *pairs) if pairs else formula
        step = _Step(i, block, pre, updates, [invariant, guard, *[enc.in_range(t, v.type) for v, t in pre.items()]])
        if continuing:
            step.facts.append(continues(system, enc, loop, block.dst, updates))
        if converts_to_bits([guard, *updates.values()]):
            wide = certificate.wide_forms(system, invariants, enc.ctx) if wide is None else wide
            step.bits = _in_bits(system, block, wide, bv) if wide is not None else None
            if step.bits is not None and continuing:
                step.bits.facts.append(continues(system, bv, loop, block.dst, step.bits.updates))
        yield step


def continues(system: TransitionSystem, enc: Encoder, loop: set[int], head: int,
              state: dict[Var, z3.ExprRef]) -> z3.BoolRef:
    """That the loop takes another step from `head` in `state`: some block from there that stays in
    the loop has its guard hold, for some nondeterministic values of its own (fresh constants). Every
    step of an infinite run is followed by another, so a ranking of the steps that are is a proof of
    termination: `while (s != 0) s++` over an unsigned short ranks by 65535 - s once the step that
    wraps 65535 to 0, after which the loop ends, is left out."""
    options = []
    for block in system.blocks:
        if block.src != head or block.dst not in loop:
            continue
        pre, guard, _ = encode_block(system, enc, block)
        own = {t.get_id() for t in pre.values()}
        # every other constant of the guard, its nondeterministic values and the encoding's own (a
        # wrap-around's quotient), is the next step's: renamed, so that none is the step's before it
        renamed = {c.get_id(): (c, z3.Const(f"{name}'then", c.sort())) for name, c in constants(guard).items()
                   if c.get_id() not in own}
        pairs = [(pre[v], state[v]) for v in pre if v in state] + list(renamed.values())
        ranges = [enc.in_range(renamed[c.get_id()][1], n.type) for n in block.nondets
                  if (c := enc.constant(n.name, n.type)).get_id() in renamed]
        options.append(z3.And(z3.substitute(guard, *pairs) if pairs else guard, *ranges))
    return z3.Or(*options, enc.ctx)


def _in_bits(system: TransitionSystem, block: Block, wide: dict[int, tuple[z3.BoolRef, dict[str, z3.ExprRef]]],
             bv: Encoder) -> _Bits | None:
    """The block in bit-vector arithmetic (`bv`) with its source's invariant restated there; None where
    that restatement is missing."""
    if block.src not in wide:
        return None
    pre, guard, updates = encode_block(system, bv, block)
    formula, bits = wide[block.src]
    pairs = [(bits[v.name], pre[v]) for v in system.params[block.src] if v.name in bits]
    return _Bits(pre, updates, [z3.substitute(formula, *pairs) if pairs else formula, guard])


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
    grow. With a region, only the steps that start and end in it; for a `continuing` ranking, only the
    steps after which the loop goes on (`continues`)."""
    ctx = z3.Context() if ctx is None else ctx
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx), ranking.continuing):
        inside = [_holds(region, step.pre, ctx), _holds(region, step.updates, ctx)] if region is not None else []
        descends = functools.partial(_lexicographic_descent, ranking, step, ctx)
        problem = _problem(step.violated(descends, ctx, deadline, *inside), step, system)
        if problem:
            return problem
    return None


def _lexicographic_descent(ranking: Ranking, step: _Step, ctx: z3.Context, pre: dict[Var, z3.ExprRef],
                           post: dict[Var, z3.ExprRef]) -> z3.BoolRef:
    """The step from `pre` to `post` decreases at one of the levels its block claims (none: it is
    infeasible), each level scaled to integer coefficients."""
    src, dst = step.block.src, step.block.dst
    scale = [_denominators([level[src], level[dst]]) for level in ranking.levels]
    before = [_apply(level[src], pre, ctx, d) for level, d in zip(ranking.levels, scale)]
    after = [_apply(level[dst], post, ctx, d) for level, d in zip(ranking.levels, scale)]
    return z3.Or(*[z3.And(*[before[j] >= after[j] for j in range(k)], before[k] >= 0,
                          _at_least(before[k] - after[k], drop * scale[k], ctx))
                   for k, drop in sorted(ranking.decreases.get(step.index, {}).items())], ctx)


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
        problem = _problem(step.violated(functools.partial(_multiphase_descent, found, ctx), ctx, deadline), step,
                           system)
        if problem:
            return problem
    return None


def _multiphase_descent(found: Multiphase, ctx: z3.Context, pre: dict[Var, z3.ExprRef],
                        post: dict[Var, z3.ExprRef]) -> z3.BoolRef:
    d = _denominators(found.phases)  # every phase times d: the goals scale by d
    before = [_apply(f, pre, ctx, d) for f in found.phases]
    after = [_apply(f, post, ctx, d) for f in found.phases]
    goals = [before[0] - after[0] >= d, before[-1] >= 0]
    goals += [before[i] - after[i] + before[i - 1] >= d for i in range(1, len(found.phases))]
    return z3.And(*goals)


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
        problem = _problem(step.violated(functools.partial(_least_descent, found, ctx), ctx, deadline), step, system)
        if problem:
            return problem
    return None


def _least_descent(found: Minimum, ctx: z3.Context, pre: dict[Var, z3.ExprRef],
                   post: dict[Var, z3.ExprRef]) -> z3.BoolRef:
    names = {name for f in found.functions for name, a in f.coeffs.items() if a}
    if not names <= named(pre, names).keys() or not names <= named(post, names).keys():
        return z3.BoolVal(False, ctx)  # a function of what the step's state does not hold ranks nothing
    d = _denominators(found.functions)
    before = [_apply(f, pre, ctx, d) for f in found.functions]
    after = [_apply(f, post, ctx, d) for f in found.functions]
    return z3.And(*[b >= 0 for b in before], *[z3.Or(*[b - a >= 1 for a in after], ctx) for b in before])


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
