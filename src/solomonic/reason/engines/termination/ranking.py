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
    widened: bool = False  # parts of the block's formula that do not bear on the new state were left out

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
    a path of the block that decreases strictly at level k does so. With `continuing`, it ranks only the
    steps after which the loop takes another (check.continues): the steps of an infinite run."""

    levels: list[dict[int, LinearFunction]]
    decreases: dict[int, dict[int, Fraction]]
    continuing: bool = False


def ranking_json(r: Ranking) -> dict:
    return {"ranking": [{str(c): f.to_json() for c, f in level.items()} for level in r.levels],
            "decreases": {str(i): {str(k): str(d) for k, d in by_level.items()} for i, by_level in r.decreases.items()},
            **({"continuing": True} if r.continuing else {})}


def ranking_from_json(d: dict) -> Ranking:
    return Ranking([{int(c): LinearFunction.from_json(f) for c, f in level.items()} for level in d["ranking"]],
                   {int(b): {int(k): Fraction(x) for k, x in by_level.items()} for b, by_level in d["decreases"].items()},
                   bool(d.get("continuing", False)))


PREFER_SMALL_S = 1.0  # looking for the ranking with the smallest coefficients among those found


def synthesise(transitions: list[Transition], variables: dict[int, list[str]], timeout_s: float,
               max_levels: int = 4, ctx: z3.Context | None = None) -> Ranking | None:
    """A lexicographic ranking for `transitions` (all inside one loop), or None. Each level's linear
    program in `ctx` (a fresh context when not given: a caller with several programs to solve passes
    one of its own for them all, as a context costs more to make than a small program takes)."""
    ctx = z3.Context() if ctx is None else ctx
    remaining = list(transitions)
    levels: list[dict[int, LinearFunction]] = []
    decreases: dict[int, dict[int, Fraction]] = {}
    while remaining:
        if len(levels) == max_levels:
            return None
        found = _level(remaining, variables, timeout_s, ctx)
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
                          max_depth: int = 3, ctx: z3.Context | None = None) -> Multiphase | None:
    """A multiphase ranking of 2 to `max_depth` phases for a loop with one head, or None; the linear
    programs in `ctx` (a fresh context when not given)."""
    if len(variables) != 1:
        return None
    [head] = variables
    ctx = z3.Context() if ctx is None else ctx
    for depth in range(2, max_depth + 1):
        found = _multiphase(transitions, head, variables[head], depth, timeout_s, ctx)
        if found is not None:
            return found
    return None


def _multiphase(transitions: list[Transition], head: int, names: list[str], depth: int, timeout_s: float,
                ctx: z3.Context):
    program = _Program()
    coeff = [{v: program.unknown(f"a_{i}_{j}") for j, v in enumerate(names)} for i in range(depth)]
    const = [program.unknown(f"b_{i}") for i in range(depth)]
    for t in transitions:
        for i in range(depth):
            # f_i(x') - f_i(x) - f_{i-1}(x) <= -1
            target = {v + "'": {a: ONE} for v, a in coeff[i].items()}
            for v, a in coeff[i].items():
                target[v] = {a: -ONE, **({coeff[i - 1][v]: -ONE} if i > 0 else {})}
            program.implies(t.cube, target, {"": -ONE, **({const[i - 1]: ONE} if i > 0 else {})})
        program.implies(t.cube, {v: {a: -ONE} for v, a in coeff[-1].items()}, {const[-1]: ONE})  # f_{k-1}(x) >= 0
    solver = z3.Solver(ctx=ctx)
    solver.set("timeout", max(1, int(timeout_s * 1000)))
    solver.from_string(program.text())
    if solver.check() != z3.sat:
        return None
    model = solver.model()
    return Multiphase(head, [LinearFunction({v: _value(model, a, ctx) for v, a in coeff[i].items()},
                                            _value(model, const[i], ctx)) for i in range(depth)])


ONE = Fraction(1)
Linear = dict[str, Fraction]  # Σ c·u over a program's unknowns by name; "" names the constant 1


class _Program:
    """A linear program over real unknowns, written as SMT-LIB text and handed to Z3 in one piece: made
    term by term through Z3's Python API, the programs of one proof took most of its time. The
    unknowns are named by position (a_0_3), never by the program's variables, whose names need not be
    SMT-LIB symbols."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    def unknown(self, name: str) -> str:
        self.lines.append(f"(declare-const {name} Real)")
        return name

    def add(self, constraint: str) -> None:
        self.lines.append(f"(assert {constraint})")

    def implies(self, cube: Cube, target: dict[str, Linear], bound: Linear) -> None:
        """For a cube A·v <= b and a target l·v <= m (l, m linear in the unknowns), the constraints
        λ >= 0, λ·A = l, λ·b <= m: Farkas' lemma, under which the cube implies the target."""
        lambdas = []
        for _ in cube:
            self.count += 1
            lambdas.append(self.unknown(f"lambda_{self.count}"))
            self.add(f"(>= {lambdas[-1]} 0.0)")
        combinations: dict[str, Linear] = {name: {} for name in target}
        for lam, ineq in zip(lambdas, cube):  # one pass over the cube: a loop's cubes run to 100 rows
            for name, a in ineq.coeffs:
                combinations.setdefault(name, {})[lam] = a
        for name, terms in combinations.items():
            self.add(_relation("=", _minus(terms, target.get(name, {}))))
        self.add(_relation("<=", _minus({lam: ineq.bound for lam, ineq in zip(lambdas, cube)}, bound)))

    def text(self) -> str:
        return "\n".join(self.lines)


def _minus(a: Linear, b: Linear) -> Linear:
    out = dict(a)
    for u, c in b.items():
        out[u] = out.get(u, Fraction(0)) - c
    return out


def _relation(op: str, form: Linear) -> str:
    """`form op 0`, its constant moved to the right."""
    terms = [u if c == 1 else f"(* {_numeral(c)} {u})" for u, c in form.items() if u and c]
    left = "0.0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"
    return f"({op} {left} {_numeral(-form.get('', Fraction(0)))})"


def _numeral(c: Fraction) -> str:
    magnitude = f"{abs(c.numerator)}.0" if c.denominator == 1 else f"(/ {abs(c.numerator)}.0 {c.denominator}.0)"
    return f"(- {magnitude})" if c < 0 else magnitude


def _value(model: z3.ModelRef, x: z3.ArithRef | str, ctx: z3.Context | None = None) -> Fraction:
    v = model.eval(z3.Real(x, ctx) if isinstance(x, str) else x, model_completion=True)
    return Fraction(v.numerator_as_long(), v.denominator_as_long())


def _level(transitions: list[Transition], variables: dict[int, list[str]], timeout_s: float, ctx: z3.Context):
    program = _Program()
    heads = sorted(variables)  # every head of the loop gets a function at every level
    coeff = {c: {v: program.unknown(f"a_{c}_{j}") for j, v in enumerate(variables[c])} for c in heads}
    const = {c: program.unknown(f"b_{c}") for c in heads}
    delta = {t.key: program.unknown(f"delta_{t.block}_{t.path}") for t in transitions}
    for t in transitions:
        d = delta[t.key]
        program.add(f"(<= 0.0 {d} 1.0)")
        # bounded: -f_src(x) <= 0, i.e. Σ -a·x <= b_src
        program.implies(t.cube, {v: {a: -ONE} for v, a in coeff[t.src].items()}, {const[t.src]: ONE})
        # decrease: f_dst(x') - f_src(x) <= -δ
        target = {v: {a: -ONE} for v, a in coeff[t.src].items()}
        for v, a in coeff[t.dst].items():
            target[v + "'"] = {a: ONE}
        program.implies(t.cube, target, _minus({const[t.src]: ONE, d: -ONE}, {const[t.dst]: ONE}))
    opt = z3.Optimize(ctx=ctx)
    opt.set("timeout", max(1, int(timeout_s * 1000)))
    opt.from_string(program.text() + f"\n(maximize (+ 0.0 {' '.join(delta.values())}))")
    if opt.check() != z3.sat:
        return None
    model = opt.model()
    ranked = [d for d in delta.values() if _value(model, d, ctx) > 0]
    # the same steps ranked, by the smallest coefficients if that is found soon (absolute values make
    # the linear program a mixed one, which took 11 s where the program itself took 2)
    opt.add(*[z3.Real(d, ctx) > 0 for d in ranked])
    _prefer_small(opt, [z3.Real(a, ctx) for c in heads for a in coeff[c].values()],
                  [z3.Real(b, ctx) for b in const.values()])
    opt.set("timeout", max(1, int(min(timeout_s, PREFER_SMALL_S) * 1000)))
    if opt.check() == z3.sat:
        model = opt.model()
    functions = {c: LinearFunction({v: _value(model, a, ctx) for v, a in coeff[c].items()}, _value(model, const[c], ctx))
                 for c in heads}
    return functions, {i: _value(model, d, ctx) for i, d in delta.items()}


def _prefer_small(opt: z3.Optimize, coefficients: list[z3.ArithRef], constants: list[z3.ArithRef]) -> None:
    """Among the rankings that decrease the most steps, those with the smallest coefficients, then
    the smallest constants: n - i rather than 2147483647*n - 2147483648*i + 4611686014132420612."""
    for terms in (coefficients, constants):
        if terms:
            sizes = [z3.If(t >= 0, t, -t) for t in terms]
            opt.minimize(z3.Sum(sizes) if len(sizes) > 1 else sizes[0])


def rational(a: Fraction, ctx: z3.Context) -> z3.ArithRef:
    return z3.RealVal(f"{a.numerator}/{a.denominator}", ctx)
