"""Counterexamples from random runs: the interpreter on random inputs, while the solvers search.

Bounded model checking finds a violation at the depth it has unrolled to, and Spacer one its lemmas lead
to; neither is quick where the violation needs many loop iterations over values that are easy to hit
at random: an insertion sort that drops an element once five are out of order (SV-COMP's
insertion_sort-1-2) needs some 25 iterations, past what the unrolling reaches in a minute, and
almost any five random elements. So the analysis also runs the function (`ir/interpret.py`) on random
inputs for a short while: small values, where most programs' interesting cases are, the program's own
constants and their neighbours (a fuzzer's dictionary: `if (n > 65535) return` makes 65535 the value
that matters), the type's bounds and wider ranges, where overflows are.

A run draws each nondeterministic value once per (edge, step), the key bounded model checking names it
by, and keeps it, so the run *is* a `bmc.Counterexample`: the analysis confirms it as it confirms any
other, by the interpreter and then the real replay (C compiled with sanitizers, Python in a sandbox).
A run that ends elsewhere (an undefined behaviour first, the end, out of steps) says nothing, and
neither does finding none: the solvers go on.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from solomonic.reason.engines.bmc import Counterexample
from solomonic.reason.engines.termination.recursion import body_constants
from solomonic.reason.ir import BoolType, BVType, Function, Havoc, IntType, Var
from solomonic.reason.ir.evaluate import Value, default_value
from solomonic.reason.ir.interpret import run

STEPS = 4000  # interpreter steps a run may take: a few thousand loop iterations
SMALL = 16  # most draws are from [-SMALL, SMALL] (within the type)
WIDE = 1 << 16


def violation(function: Function, error_kinds: set[str], cutpoints: set[int], budget_s: float,
              seed: int = 0, unreal: str = "") -> Counterexample | None:
    """The first of the random runs within `budget_s` that ends in an event of `error_kinds`, as the
    counterexample bounded model checking would give for it; None if none does (or the function's
    inputs are not all numbers and truth values, which are all that is drawn). A run that reads a value
    whose origin starts with `unreal` is no counterexample (in a recursion's unfolding, the result of a
    step over a call: any value, which no real call need return)."""
    if not all(isinstance(i.var.type, (BVType, IntType, BoolType)) for i in function.inputs):
        return None
    deadline = time.monotonic() + budget_s
    rng = random.Random(seed)
    constants = dictionary(function)
    while time.monotonic() < deadline:
        inputs = {i.var: draw(i.var, rng, constants) for i in function.inputs}
        drawn: dict[tuple[int, int], Value] = {}
        trace = run(function, inputs, recording(rng, constants, drawn), cutpoints, STEPS)
        if trace.event is not None and trace.event.kind in error_kinds and \
                not (unreal and any(r.origin.startswith(unreal) for r in trace.reads)):
            return Counterexample(trace.cutpoints_passed, inputs, drawn)
    return None


def dictionary(function: Function) -> list[int]:
    """The program's constants, both signs, and their neighbours: what `draw` picks from besides small
    values and bounds (`if (n > 65535) return` makes 65535 the value that matters)."""
    return sorted({s * c + d for c in body_constants(function.cfg) for s in (1, -1) for d in (-1, 0, 1)})


def recording(rng: random.Random, constants: Sequence[int],
              drawn: dict[tuple[int, int], Value]) -> Callable[[int, int, Havoc], Value]:
    """A run's nondeterministic values, drawn as `draw` does once per (edge, step) and kept in `drawn`:
    the run is then a `bmc.Counterexample` of those values."""
    def nondet(edge: int, step: int, stmt: Havoc) -> Value:
        if (edge, step) not in drawn:
            drawn[edge, step] = draw(stmt.target, rng, constants)
        return drawn[edge, step]
    return nondet


def draw(v: Var, rng: random.Random, constants: Sequence[int] = ()) -> Value:
    """A value of v's type: most often a small one, else one of `constants`, a bound of the type (or a
    neighbour), a moderate one or any at all. Arrays and other values that are not numbers keep their
    default."""
    if not isinstance(v.type, (BVType, IntType)):
        return small(v, rng)
    low, high = _bounds(v)
    kind = rng.random()
    if kind < 0.45:
        value = rng.randint(-SMALL, SMALL)
    elif kind < 0.6 and constants:
        value = rng.choice(constants)
    elif kind < 0.7:
        value = rng.choice((low, low + 1, high - 1, high, 0, 1, -1))
    elif kind < 0.9:
        value = rng.randint(-WIDE, WIDE)
    else:
        value = rng.randint(low, high)
    return _within(v, value)


def small(v: Var, rng: random.Random, bound: int = SMALL) -> Value:
    """A value of v's type from [-bound, bound] (its absolute value where the type is unsigned), a truth
    value 0 or 1; arrays and other values that are not numbers keep their default (they are read, not
    drawn). The draws of sampled.py's runs, and the commonest of `draw`'s."""
    if isinstance(v.type, BoolType):
        return rng.randint(0, 1)
    if not isinstance(v.type, (BVType, IntType)):
        return default_value(v.type)
    return _within(v, rng.randint(-bound, bound))


def _bounds(v: Var) -> tuple[int, int]:
    return (v.type.min, v.type.max) if isinstance(v.type, BVType) else (-(1 << 64), 1 << 64)


def _within(v: Var, value: int) -> int:
    """`value` as one of v's type: its absolute value where the type is unsigned, then clamped to the range."""
    low, high = _bounds(v)
    return min(high, max(low, abs(value) if low == 0 else value))
