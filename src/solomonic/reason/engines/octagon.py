"""Octagonal candidates: the bounds of x, x + y and x - y over the states that enter a loop.

Houdini's atoms are the program's own comparisons. A loop whose variables move together keeps a
relation the program never writes: `while (x >= 0 || y >= 0) { x--; y--; }` entered with x and y in
[-N, N] keeps -2N <= x - y <= 2N, and only with it does the guard bound both (x >= -2N - 1 where
y >= 0), which is what shows that `x - 1` cannot overflow. Such bounds are read where the loop is
entered: for every block that enters a loop head from outside the head's loop, the least and greatest
value of each octagonal term of the head's scalars after the block (one Optimize query, each
objective on its own), under the facts already known at the block's source. A term bounded on every
entering block gives two candidates; Houdini keeps those that every step keeps, and the certificate
check (certify/certificate.py) confirms them from scratch like any other invariant.
"""

from __future__ import annotations

import itertools
import math
import time

import z3

from solomonic.reason.engines.houdini import encode_block
from solomonic.reason.ir import ArrayType, BoolType, BVType, Type
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem

MAX_SCALARS = 8  # pairs of scalars per head: quadratic in them, as Houdini's order facts
MAX_RATES = 8  # terms x - c*y per head


def entry_bounds(system: TransitionSystem, enc: Encoder, loops: list[set[int]],
                 facts: dict[int, list[z3.BoolRef]], timeout_s: float) -> dict[int, list[z3.BoolRef]]:
    """Per loop head: `t <= hi` and `t >= lo` for each octagonal term t of its scalars that is bounded
    on every block entering the head from outside its loop (the entry's facts are `facts`)."""
    deadline = time.monotonic() + timeout_s
    loop_of = {c: frozenset(loop) for loop in loops for c in loop}
    out: dict[int, list[z3.BoolRef]] = {}
    for head in system.loop_heads:
        entering = [b for b in system.blocks if b.dst == head and b.src not in loop_of.get(head, {head})]
        scalars = [v for v in system.params[head] if not isinstance(v.type, (ArrayType, BoolType))]
        # a variable that holds one constant wherever the loop is entered and that no step changes (a
        # pointer's offset and null flag, over alloca'd scalars) is that constant: its terms bound
        # nothing the others' do not, and they crowd the pairs out past MAX_SCALARS
        fixed = _fixed(system, enc, loop_of.get(head, frozenset({head})), head, entering, scalars)
        scalars = [v for v in scalars if v not in fixed]
        if not entering or not scalars or len(scalars) > MAX_SCALARS:
            continue
        names = [enc.constant(v.name, v.type) for v in scalars]
        paced = rates(system, enc, loop_of.get(head, frozenset({head})), head, scalars, facts, deadline)
        bounds: list[tuple[int, int] | None] | None = None
        for block in entering:
            pre, guard, updates = encode_block(system, enc, block)
            values = [updates.get(v, enc.constant(v.name, v.type)) for v in scalars]
            ranges = [enc.in_range(t, v.type) for v, t in pre.items()]
            found = extremes(z3.And(guard, *ranges, *facts.get(block.src, []), enc.ctx),
                             [*_terms(values), *(values[x] - c * values[y] for x, y, c in paced)], deadline)
            if found is None:
                bounds = None
                break
            if not found:  # no state enters this way
                continue
            bounds = found if bounds is None else [_hull(a, b) for a, b in zip(bounds, found)]
        if bounds is None:
            continue
        ranges = [_type_range(v.type) for v in scalars]
        typed = [*_terms(ranges), *(_minus(ranges[x], (c * ranges[y][0], c * ranges[y][1])) for x, y, c in paced)]
        atoms = []
        for term, bound, (low, high) in zip([*_terms(names), *(names[x] - c * names[y] for x, y, c in paced)],
                                            bounds, typed):
            if bound is not None:
                atoms += [term >= bound[0]] if bound[0] > low else []
                atoms += [term <= bound[1]] if bound[1] < high else []
        out[head] = [*atoms, *(enc.constant(v.name, v.type) == value for v, value in fixed.items())]
    return out


def _fixed(system: TransitionSystem, enc: Encoder, loop: frozenset[int], head: int, entering: list,
           scalars: list) -> dict:
    """The scalars each entering block sets to the same numeral and no block of the loop changes, with
    that numeral."""
    inside = [b for b in system.blocks if b.src in loop and b.dst in loop]
    changed = {v for b in inside for v, t in encode_block(system, enc, b)[2].items()
               if not t.eq(enc.constant(v.name, v.type))}
    on_entry = [encode_block(system, enc, b)[2] for b in entering]
    found: dict = {}
    for v in scalars:
        if v in changed:
            continue
        values = [updates.get(v) for updates in on_entry]
        if values and all(t is not None and z3.is_int_value(t) for t in values) and \
                len({t.as_long() for t in values}) == 1:
            found[v] = values[0]
    return found


def rates(system: TransitionSystem, enc: Encoder, loop: frozenset[int], head: int, scalars: list,
          facts: dict[int, list[z3.BoolRef]], deadline: float) -> list[tuple[int, int, int]]:
    """(x, y, c) for a scalar x that no step of the head's own loop (head back to head) moves by more
    than c (or less than -c, as a negative c), where y moves by exactly 1 at each: `x - c*y` is then
    kept below (above) its value on entry. `sum += byte` over `i++` keeps sum - 255*i <= 0, which no
    octagonal term states. Only c beyond 1 in size: sums and differences cover the rest."""
    body = [b for b in system.blocks if b.src == head and b.dst == head]
    if not body or len(body) != sum(1 for b in system.blocks if b.src in loop and b.dst in loop):
        return []  # an inner loop on the way: a step is not one block
    moves: list[tuple[int, int] | None] | None = None
    for block in body:
        pre, guard, updates = encode_block(system, enc, block)
        steps = [updates.get(v, pre[v]) - pre[v] for v in scalars]
        ranges = [enc.in_range(t, v.type) for v, t in pre.items()]
        found = extremes(z3.And(guard, *ranges, *facts.get(head, []), enc.ctx), steps, deadline)
        if not found:
            return []
        moves = found if moves is None else [_hull(a, b) for a, b in zip(moves, found)]
    assert moves is not None
    counters = [y for y, m in enumerate(moves) if m == (1, 1)]
    out = []
    for x, m in enumerate(moves):
        if m is None or x in counters:
            continue
        for c in {m[1], m[0]} - {-1, 0, 1}:
            out += [(x, y, c) for y in counters]
    return out[:MAX_RATES]


def _terms(values: list) -> list:
    """x for each value, then x + y and x - y for each pair, in a fixed order. Over terms, or over
    the (least, greatest) ranges of values, whose sums and differences are ranges again."""
    pairs = list(itertools.combinations(values, 2))
    return [*values, *(_plus(x, y) for x, y in pairs), *(_minus(x, y) for x, y in pairs)]


def _type_range(t: Type) -> tuple[float, float]:
    return (t.min, t.max) if isinstance(t, BVType) else (-math.inf, math.inf)


def _plus(x, y):
    return (x[0] + y[0], x[1] + y[1]) if isinstance(x, tuple) else x + y


def _minus(x, y):
    return (x[0] - y[1], x[1] - y[0]) if isinstance(x, tuple) else x - y


def extremes(formula: z3.BoolRef, terms: list[z3.ArithRef], deadline: float) -> list[tuple[int, int] | None] | None:
    """The least and greatest value of each term where the formula holds (None for a term unbounded
    either way); [] where the formula is unsatisfiable, None where the solver gives up."""
    opt = z3.Optimize(ctx=formula.ctx)
    opt.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
    opt.set(priority="box")
    opt.add(formula)
    handles = [(opt.minimize(t), opt.maximize(t)) for t in terms]
    status = opt.check()
    if status == z3.unsat:
        return []
    if status != z3.sat:
        return None
    out: list[tuple[int, int] | None] = []
    for low, high in handles:
        lo, hi = low.value(), high.value()
        out.append((lo.as_long(), hi.as_long()) if z3.is_int_value(lo) and z3.is_int_value(hi) else None)
    return out


def _hull(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    return None if a is None or b is None else (min(a[0], b[0]), max(a[1], b[1]))
