"""Lexicographic linear ranking functions for the loops of a transition system, via Farkas' lemma.

Each loop head c gets, per level, a linear function f_c(x) = a_c·x + b_c. Level by level (Alias,
Darte, Feautrier and Gonnord, SAS 2010), one linear program asks that on every transition c -> d not yet
ranked, f_c is non-negative and f_c(x) - f_d(x') >= δ_τ with 0 <= δ_τ <= 1, and maximises Σ δ_τ; the
transitions with δ_τ > 0 decrease strictly and leave. A transition is one path (cube) of a block. The search stops when none is left (a proof) or
a level ranks nothing (no linear lexicographic argument). Each implication from a transition's cube is
turned into linear constraints by Farkas' lemma, so a level is one exact rational LP (Z3's Optimize).
For a single-path loop the first level is Podelski and Rybalchenko's complete method.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import z3

from solomonic.reason.engines.termination.linear import Cube


@dataclass
class Transition:
    """One path of a block between loop heads of the same loop: a cube over the source variables (by
    name) and the target variables (by name + "'"). Paths rank separately, so the two arms of a branch
    may decrease at different levels."""

    block: int  # the block's index in the system
    path: int  # the cube's index in the block
    src: int
    dst: int
    cube: Cube

    @property
    def key(self) -> tuple[int, int]:
        return self.block, self.path


@dataclass
class LinearFunction:
    coeffs: dict[str, Fraction]  # over a loop head's variables
    constant: Fraction

    def to_json(self) -> dict:
        return {"coefficients": {n: str(a) for n, a in self.coeffs.items()}, "constant": str(self.constant)}

    @staticmethod
    def from_json(d: dict) -> LinearFunction:
        return LinearFunction({n: Fraction(a) for n, a in d["coefficients"].items()}, Fraction(d["constant"]))

    def text(self) -> str:
        terms = []
        for name, a in sorted(self.coeffs.items()):
            if not a:
                continue
            sign = "-" if a < 0 else "+"
            magnitude = "" if abs(a) == 1 else f"{abs(a)}*"
            terms.append(f"{sign} {magnitude}{name}")
        if self.constant or not terms:
            terms.append(f"{'-' if self.constant < 0 else '+'} {abs(self.constant)}")
        text = " ".join(terms)
        return text[2:] if text.startswith("+ ") else "-" + text[2:]


@dataclass
class Ranking:
    """levels[k][c]: the level-k function at loop head c; decreases[block][k]: the least amount by which
    a path of the block that decreases strictly at level k does so."""

    levels: list[dict[int, LinearFunction]]
    decreases: dict[int, dict[int, Fraction]]


def ranking_json(r: Ranking) -> dict:
    return {"ranking": [{str(c): f.to_json() for c, f in level.items()} for level in r.levels],
            "decreases": {str(i): {str(k): str(d) for k, d in by_level.items()} for i, by_level in r.decreases.items()}}


def ranking_from_json(d: dict) -> Ranking:
    return Ranking([{int(c): LinearFunction.from_json(f) for c, f in level.items()} for level in d["ranking"]],
                   {int(b): {int(k): Fraction(x) for k, x in by_level.items()} for b, by_level in d["decreases"].items()})


PREFER_SMALL_S = 1.0  # looking for the ranking with the smallest coefficients among those found


def synthesise(transitions: list[Transition], variables: dict[int, list[str]], timeout_s: float,
               max_levels: int = 4) -> Ranking | None:
    """A lexicographic ranking for `transitions` (all inside one loop), or None."""
    remaining = list(transitions)
    levels: list[dict[int, LinearFunction]] = []
    decreases: dict[int, dict[int, Fraction]] = {}
    while remaining:
        if len(levels) == max_levels:
            return None
        found = _level(remaining, variables, timeout_s)
        if found is None:
            return None
        functions, deltas = found
        ranked = [t for t in remaining if deltas[t.key] > 0]
        if not ranked:
            return None
        for t in ranked:
            by_level = decreases.setdefault(t.block, {})
            by_level[len(levels)] = min(by_level.get(len(levels), deltas[t.key]), deltas[t.key])
        levels.append(functions)
        remaining = [t for t in remaining if deltas[t.key] == 0]
    return Ranking(levels, decreases)


@dataclass
class Multiphase:
    """f_0 .. f_{k-1} at a loop's single head (Leike and Heizmann's nested ranking function): every step
    lowers f_0 by at least 1, lowers f_i by at least 1 - f_{i-1}, and leaves f_{k-1} non-negative. Each
    f_i ends up negative for good in turn, after which the next one must fall, and the last cannot fall
    forever: the phases of x += y; y -= 1."""

    head: int
    phases: list[LinearFunction]


@dataclass
class Minimum:
    """min(f_0, .., f_{k-1}) at a loop's single head: every step leaves each f_i non-negative and ends
    with some f_j at least 1 below each f_i, so the least of them falls by 1 or more while it stays
    non-negative. Where a step lowers one quantity and forgets the other (q -= 1 and p = anything while
    q < p), no lexicographic order of linear functions ranks it, but the smaller of the two does."""

    head: int
    functions: list[LinearFunction]


def synthesise_multiphase(transitions: list[Transition], variables: dict[int, list[str]], timeout_s: float,
                          max_depth: int = 3) -> Multiphase | None:
    if len(variables) != 1:
        return None
    [head] = variables
    for depth in range(2, max_depth + 1):
        found = _multiphase(transitions, head, variables[head], depth, timeout_s)
        if found is not None:
            return found
    return None


def _multiphase(transitions: list[Transition], head: int, names: list[str], depth: int, timeout_s: float):
    ctx = z3.Context()
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", max(1, int(timeout_s * 1000)))
    coeff = [{v: z3.Real(f"a_{i}_{v}", ctx) for v in names} for i in range(depth)]
    const = [z3.Real(f"b_{i}", ctx) for i in range(depth)]
    farkas = _Farkas(solver, ctx)
    for t in transitions:
        for i in range(depth):
            # f_i(x') - f_i(x) - f_{i-1}(x) <= -1
            target = {v + "'": a for v, a in coeff[i].items()}
            for v, a in coeff[i].items():
                target[v] = -a
            bound = z3.RealVal(-1, ctx)
            if i > 0:
                for v, a in coeff[i - 1].items():
                    target[v] = target[v] - a
                bound = bound + const[i - 1]
            farkas.implies(t.cube, target, bound)
        farkas.implies(t.cube, {v: -a for v, a in coeff[-1].items()}, const[-1])  # f_{k-1}(x) >= 0
    if solver.check() != z3.sat:
        return None
    model = solver.model()
    return Multiphase(head, [LinearFunction({v: _value(model, a) for v, a in coeff[i].items()}, _value(model, const[i]))
                             for i in range(depth)])


class _Farkas:
    """Adds, for a cube A·v <= b and a target l·v <= m (l, m linear in the unknowns), the constraints
    λ >= 0, λ·A = l, λ·b <= m: Farkas' lemma, under which the cube implies the target."""

    def __init__(self, solver, ctx: z3.Context):
        self.solver, self.ctx, self.count = solver, ctx, 0

    def implies(self, cube: Cube, target: dict[str, z3.ArithRef], bound: z3.ArithRef) -> None:
        ctx = self.ctx
        lambdas = []
        for _ in cube:
            self.count += 1
            lam = z3.Real(f"lambda_{self.count}", ctx)
            self.solver.add(lam >= 0)
            lambdas.append(lam)
        combinations: dict[str, list[z3.ArithRef]] = {name: [] for name in target}
        for lam, ineq in zip(lambdas, cube):  # one pass over the cube: a loop's cubes run to 100 rows
            for name, a in ineq.coeffs:
                combinations.setdefault(name, []).append(lam * rational(a, ctx))
        zero = z3.RealVal(0, ctx)
        for name, terms in combinations.items():
            self.solver.add(z3.Sum([*terms, zero]) == target.get(name, zero))
        self.solver.add(z3.Sum([lam * rational(ineq.bound, ctx) for lam, ineq in zip(lambdas, cube)] + [zero]) <= bound)


def _value(model: z3.ModelRef, x: z3.ArithRef) -> Fraction:
    v = model.eval(x, model_completion=True)
    return Fraction(v.numerator_as_long(), v.denominator_as_long())


def _level(transitions: list[Transition], variables: dict[int, list[str]], timeout_s: float):
    ctx = z3.Context()
    opt = z3.Optimize(ctx=ctx)
    opt.set("timeout", max(1, int(timeout_s * 1000)))
    heads = sorted(variables)  # every head of the loop gets a function at every level
    coeff = {c: {v: z3.Real(f"a_{c}_{v}", ctx) for v in variables[c]} for c in heads}
    const = {c: z3.Real(f"b_{c}", ctx) for c in heads}
    delta = {t.key: z3.Real(f"delta_{t.block}_{t.path}", ctx) for t in transitions}
    farkas = _Farkas(opt, ctx)

    for t in transitions:
        opt.add(delta[t.key] >= 0, delta[t.key] <= 1)
        # bounded: -f_src(x) <= 0, i.e. Σ -a·x <= b_src
        farkas.implies(t.cube, {v: -a for v, a in coeff[t.src].items()}, const[t.src])
        # decrease: f_dst(x') - f_src(x) <= -δ
        target = {v: -a for v, a in coeff[t.src].items()}
        for v, a in coeff[t.dst].items():
            target[v + "'"] = target.get(v + "'", z3.RealVal(0, ctx)) + a
        farkas.implies(t.cube, target, const[t.src] - const[t.dst] - delta[t.key])
    opt.maximize(z3.Sum(list(delta.values())))
    if opt.check() != z3.sat:
        return None
    model = opt.model()
    ranked = [d for d in delta.values() if _value(model, d) > 0]
    # the same steps ranked, by the smallest coefficients if that is found soon (absolute values make
    # the linear program a mixed one, which took 11 s where the program itself took 2)
    opt.add(*[d > 0 for d in ranked])
    _prefer_small(opt, [a for c in heads for a in coeff[c].values()], list(const.values()))
    opt.set("timeout", max(1, int(min(timeout_s, PREFER_SMALL_S) * 1000)))
    if opt.check() == z3.sat:
        model = opt.model()
    functions = {c: LinearFunction({v: _value(model, a) for v, a in coeff[c].items()}, _value(model, const[c]))
                 for c in heads}
    return functions, {i: _value(model, d) for i, d in delta.items()}


def _prefer_small(opt: z3.Optimize, coefficients: list[z3.ArithRef], constants: list[z3.ArithRef]) -> None:
    """Among the rankings that decrease the most steps, those with the smallest coefficients, then
    the smallest constants: n - i rather than 2147483647*n - 2147483648*i + 4611686014132420612."""
    for terms in (coefficients, constants):
        if terms:
            sizes = [z3.If(t >= 0, t, -t) for t in terms]
            opt.minimize(z3.Sum(sizes) if len(sizes) > 1 else sizes[0])


def rational(a: Fraction, ctx: z3.Context) -> z3.ArithRef:
    return z3.RealVal(f"{a.numerator}/{a.denominator}", ctx)
