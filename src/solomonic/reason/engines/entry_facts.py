"""Houdini again, over what it kept and the bounds that hold where each loop is entered.

The program's own comparisons (Houdini's atoms) miss the relations between variables that move
together: `x--; z--` from x <= 10^6 and z >= 1 keeps z - x >= 1 - 10^6, which is what shows `z - 1`
cannot overflow while x > 0. Those relations are read where each loop is entered: the octagonal bounds
(`octagon.entry_bounds`: x, x + y, x - y) and the bounds of the quadratic polynomials that no step changes
(`termination/polynomial.conserved_bounds`); Houdini then keeps those every step keeps. Shared by the
termination proof (its supporting invariants) and the safety analysis (a proof from the program's own
facts, tried before Spacer has refined its way to them), and re-checked like any invariant by both.
"""

from __future__ import annotations

import z3

from solomonic.reason.engines.houdini import houdini
from solomonic.reason.engines.octagon import entry_bounds
from solomonic.reason.engines.termination.polynomial import conserved_bounds
from solomonic.reason.symbolic.encode import Encoder, constants
from solomonic.reason.symbolic.system import TransitionSystem


def with_entry_bounds(system: TransitionSystem, enc: Encoder, loops: list[set[int]],
                      found: dict[int, list[z3.BoolRef]], bounds_s: float,
                      houdini_s: float) -> dict[int, list[z3.BoolRef]]:
    """Houdini's inductive subset of `found` (an inductive set) and the entry bounds, each kind of bound
    found within `bounds_s`, Houdini within `houdini_s`; `found` itself where there are no bounds or
    Houdini gives up."""
    bounds = entry_bounds(system, enc, loops, found, bounds_s)
    conserved = conserved_bounds(system, enc, loops, found, bounds_s)
    if not any(bounds.values()) and not any(conserved.values()):
        return found
    over = {id(b): set(constants(b)) for found_at in bounds.values() for b in found_at}
    widened = {c: [*found.get(c, []), *bounds.get(c, []), *conserved.get(c, []),
                   *_inner(system, c, loops, bounds, over)] for c in set(found) | set(bounds) | set(conserved)}
    again = houdini(system, enc, widened, houdini_s)
    return found if again is None else again


def _inner(system: TransitionSystem, head: int, loops: list[set[int]], bounds: dict[int, list[z3.BoolRef]],
           over: dict[int, set[str]]) -> list[z3.BoolRef]:
    """The bounds found at the heads of the loops around `head`'s that are over its variables too: a loop
    nested in another is entered from within it, so its entry bounds are read off the outer loop's first
    facts, which lack what the outer loop's own entry bounds add (bubble sort's `size - i >= 1`, set
    where the outer loop is entered and kept by the inner one, which never writes i). `over`: each
    bound's variables, by id."""
    names = {v.name for v in system.params[head]}
    outer = {min(loop) for loop in loops if head in loop and min(loop) != head}
    return [b for other in outer for b in bounds.get(other, []) if over[id(b)] <= names]
