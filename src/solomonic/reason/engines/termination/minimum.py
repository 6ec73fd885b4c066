"""A ranking by the least of two of a loop's quantities, where no lexicographic linear one exists.

`while (q > 0 && p > 0 && p != q) { if (q < p) { q--; p = *; } else { p--; q = *; } }`: each step
lowers the smaller variable and forgets the other, so neither variable, nor any order of linear
functions, ranks it; min(p, q) does. The candidates are the pairs of the head's scalars, each tried
with the independent check itself (check.check_minimum, one validity query per block), which is also
what confirms the certificate later: a candidate is kept only where that check holds.
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction

import z3

from solomonic.reason.certify import certificate
from solomonic.reason.engines.termination.check import check_minimum
from solomonic.reason.engines.termination.ranking import LinearFunction, Minimum
from solomonic.reason.symbolic.system import TransitionSystem

MAX_SCALARS = 6  # pairs tried: quadratic in the head's scalars


def synthesise_minimum(system: TransitionSystem, loop: set[int], scalars: list[str],
                       invariants: list[certificate.Invariant], timeout_s: float) -> Minimum | None:
    """min(x, y) for the first pair of scalars x, y of a one-head loop that the check confirms."""
    if len(loop) != 1 or len(scalars) > MAX_SCALARS:
        return None
    [head] = loop
    deadline = time.monotonic() + timeout_s
    ctx = z3.Context()  # one for every pair: a context costs more than the pair's queries
    for x, y in itertools.combinations(scalars, 2):
        if time.monotonic() >= deadline:
            return None
        found = Minimum(head, [LinearFunction({x: Fraction(1)}, Fraction(0)),
                               LinearFunction({y: Fraction(1)}, Fraction(0))])
        if check_minimum(system, loop, found, invariants, max(0.05, deadline - time.monotonic()), ctx) is None:
            return found
    return None
