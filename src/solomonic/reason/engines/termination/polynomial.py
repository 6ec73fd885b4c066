"""Quadratic candidates: polynomials of a loop's scalars that no step changes, bounded where the loop is entered.

`while (x >= 0) { x = x + y; y = y - 1; }` from x, y <= 65534 runs x up to about y*y/2; whether `x + y`
overflows depends on the input, and no linear fact decides it. Its steps keep 2x + y*y + y unchanged,
so that quantity stays below its greatest value at the loop's entry, and with the guard x >= 0 that
bounds x + y below INT_MAX. Such conserved quantities are found as a linear algebra problem: a
polynomial q = sum c_m * m over the monomials m of degree at most 2 of the head's scalars is kept by a
step f where q(f(s)) - q(s) = 0, one linear equation in the c_m for each concrete state s the step
starts from (and each choice of its nondeterministic values). States come from the solver (the step's
guard with the head's scalars and the step's choices fixed at random); the equations' null space, by
exact Gaussian elimination over the rationals, gives every candidate q. Bounds at the entry are those
of the monomials over the box of the scalars' values entering the loop (each scalar's least and
greatest value under the facts known there, octagon.py), so they are sound but may be loose.

Nothing here is trusted: `q <= hi` and `q >= lo` are candidates, Houdini keeps those that every step
keeps, and the certificate check proves them again from scratch.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from fractions import Fraction

import z3

from solomonic.reason.engines.houdini import encode_block
from solomonic.reason.engines.octagon import extremes
from solomonic.reason.ir import ArrayType, BoolType, BVType
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem

MAX_SCALARS = 5  # 20 monomials of degree at most 2
MAX_KEPT = 4  # conserved polynomials per loop: each bound a non-linear candidate, slower to check
EXTRA_SAMPLES, SAMPLE_TRIES = 3, 8  # equations sought beyond one per unknown, per step; states tried per equation
SAMPLE_RANGE = 40  # scalars and choices drawn from [-40, 40]: most guards hold for some of them
SEED = 25  # the states tried are fixed, so that runs repeat


def conserved_bounds(system: TransitionSystem, enc: Encoder, loops: list[set[int]],
                     facts: dict[int, list[z3.BoolRef]], timeout_s: float) -> dict[int, list[z3.BoolRef]]:
    """Per one-head loop: `q <= hi` and `q >= lo` for each quadratic polynomial q of its scalars that
    every step keeps, with the bounds q takes over the states entering the loop (`facts` known at the
    entering blocks' sources). Only polynomials of the variables a step changes (those of the others
    are constants, which the octagonal bounds state), and only bounds tighter than the types give."""
    deadline = time.monotonic() + timeout_s
    out: dict[int, list[z3.BoolRef]] = {}
    for loop in loops:
        if len(loop) != 1:
            continue
        [head] = loop
        scalars = {enc.constant(v.name, v.type): v for v in system.params[head]
                   if not isinstance(v.type, (ArrayType, BoolType))}
        steps = [(b, *encode_block(system, enc, b)) for b in system.blocks if b.src == head and b.dst == head]
        changed = {str(x) for x, v in scalars.items() for _, _, _, updates in steps if not updates.get(v, x).eq(x)}
        if not steps or not changed or len(scalars) > MAX_SCALARS:
            continue
        monomials = [m for m in [*scalars, *(x * y for x, y in itertools.combinations_with_replacement(scalars, 2))]
                     if {str(x) for x in _factors(m)} & changed]
        kept = _kept_polynomials(enc, list(scalars), steps, monomials, deadline)[:MAX_KEPT]
        box = _entry_box(system, enc, head, list(scalars), facts, deadline) if kept else None
        if box is None:
            continue
        machine = all(isinstance(v.type, BVType) for v in scalars.values())
        typed = [(v.type.min, v.type.max) for v in scalars.values() if isinstance(v.type, BVType)]
        atoms = []
        for coefficients in kept:
            q = z3.Sum([c * m for c, m in zip(coefficients, monomials) if c])
            low, high = _interval(coefficients, monomials, list(scalars), box)
            type_low, type_high = _interval(coefficients, monomials, list(scalars), typed) if machine \
                else (-math.inf, math.inf)
            atoms += [q <= high] if high < type_high else []
            atoms += [q >= low] if low > type_low else []
        if atoms:
            out[head] = atoms
    return out


def _factors(monomial: z3.ExprRef) -> list[z3.ExprRef]:
    return list(monomial.children()) if z3.is_mul(monomial) else [monomial]


def _kept_polynomials(enc: Encoder, scalars: list[z3.ExprRef], steps: list, monomials: list[z3.ExprRef],
                      deadline: float) -> list[list[int]]:
    """The integer coefficient vectors (a basis) of the polynomials over `monomials` that every step
    from the head back to it keeps on the sampled states; [] where a step cannot be sampled."""
    rng = random.Random(SEED)
    rows: list[list[int]] = []
    names = {str(x) for x in scalars}
    for block, pre, guard, updates in steps:
        values = [updates.get(v, t) for v, t in pre.items() if str(t) in names]
        if len(values) != len(scalars):
            return []
        choices = [enc.constant(v.name, v.type) for v in block.nondets if not isinstance(v.type, (ArrayType, BoolType))]
        wanted = len(monomials) + EXTRA_SAMPLES
        found = 0
        for _ in range(wanted * SAMPLE_TRIES):
            if found >= wanted or time.monotonic() > deadline:
                break
            solver = z3.Solver(ctx=enc.ctx)
            solver.set("timeout", 200)
            solver.add(guard, *(x == rng.randint(-SAMPLE_RANGE, SAMPLE_RANGE) for x in [*scalars, *choices]))
            if solver.check() != z3.sat:
                continue
            model = solver.model()
            before = [model.eval(m, model_completion=True) for m in monomials]
            after_env = [(x, model.eval(v, model_completion=True)) for x, v in zip(scalars, values)]
            after = [model.eval(z3.substitute(m, *after_env), model_completion=True) for m in monomials]
            if not all(z3.is_int_value(t) for t in [*before, *after]):
                return []
            rows.append([a.as_long() - b.as_long() for a, b in zip(after, before)])
            found += 1
        if found < len(monomials):
            return []
    return null_space(rows, len(monomials))


def null_space(rows: list[list[int]], n: int) -> list[list[int]]:
    """A basis of {c : row . c = 0 for every row}, each vector scaled to coprime integers: the reduced row
    echelon form's, computed without fractions (each row combination divided by its entries' gcd), which
    is many times faster than Fraction arithmetic on the hundred-row matrices of sampled.py."""
    matrix = [list(row) for row in rows]
    pivots: list[int] = []
    for col in range(n):
        r = len(pivots)
        found = next((i for i in range(r, len(matrix)) if matrix[i][col]), None)
        if found is None:
            continue
        matrix[r], matrix[found] = matrix[found], matrix[r]
        pivot_row, pivot = matrix[r], matrix[r][col]
        for i, row in enumerate(matrix):
            if i != r and row[col]:
                factor = row[col]
                combined = [a * pivot - factor * b for a, b in zip(row, pivot_row)]
                divisor = math.gcd(*combined)
                matrix[i] = [x // divisor for x in combined] if divisor > 1 else combined
        pivots.append(col)
    basis = []
    for free in (c for c in range(n) if c not in pivots):
        vector = [Fraction(0)] * n
        vector[free] = Fraction(1)
        for k, col in enumerate(pivots):
            vector[col] = Fraction(-matrix[k][free], matrix[k][col])
        scale = math.lcm(*(x.denominator for x in vector))
        ints = [int(x * scale) for x in vector]
        divisor = math.gcd(*ints)
        basis.append([x // divisor for x in ints])
    return basis


def _entry_box(system: TransitionSystem, enc: Encoder, head: int, scalars: list[z3.ExprRef],
               facts: dict[int, list[z3.BoolRef]], deadline: float) -> list[tuple[int, int]] | None:
    """Each scalar's least and greatest value over the states entering the head from elsewhere (its
    type's bounds where the entry leaves it unbounded); None where the solver gives up."""
    names = [str(x) for x in scalars]
    types = {v.name: v.type for v in system.params[head]}
    box: list[tuple[int, int]] | None = None
    for block in system.blocks:
        if block.dst != head or block.src == head:
            continue
        pre, guard, updates = encode_block(system, enc, block)
        values = {v.name: t for v, t in updates.items()}
        terms = [values.get(n, enc.constant(n, types[n])) for n in names]
        ranges = [enc.in_range(t, v.type) for v, t in pre.items()]
        found = extremes(z3.And(guard, *ranges, *facts.get(block.src, []), enc.ctx), terms, deadline)
        if found is None:
            return None
        if not found:
            continue  # no state enters this way
        here: list[tuple[int, int]] = []
        for bound, name in zip(found, names):
            t = types[name]
            if bound is None and isinstance(t, BVType):
                bound = (t.min, t.max)
            if bound is None:
                return None  # an unbounded integer
            here.append(bound)
        box = here if box is None else [(min(a[0], b[0]), max(a[1], b[1])) for a, b in zip(box, here)]
    return box


def _interval(coefficients: list[int], monomials: list[z3.ExprRef], scalars: list[z3.ExprRef],
              box: list[tuple[int, int]]) -> tuple[int, int]:
    """The least and greatest value of sum c_m * m over the box, by interval arithmetic per monomial."""
    at = {str(x): b for x, b in zip(scalars, box)}
    low = high = 0
    for c, m in zip(coefficients, monomials):
        if not c:
            continue
        if z3.is_mul(m):
            (a0, a1), (b0, b1) = at[str(m.arg(0))], at[str(m.arg(1))]
            products = [a0 * b0, a0 * b1, a1 * b0, a1 * b1]
            m_low, m_high = min(products), max(products)
            if m.arg(0).eq(m.arg(1)) and a0 <= 0 <= a1:
                m_low = 0  # a square
        else:
            m_low, m_high = at[str(m)]
        low += min(c * m_low, c * m_high)
        high += max(c * m_low, c * m_high)
    return low, high
