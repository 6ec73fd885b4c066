"""A function's loops, read as integers: what the proof (proof.py) and the lasso search (lasso.py) share.

The function's cutpoint system, its Z3 context and exact integer encoding, its loops (strongly connected
sets of loop heads) and its deadline, with the way a verdict is reported. Apart, so that the two searches
depend on it and not on each other; the certificate re-check (check.py) finds the loops the same way.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Iterator, Mapping, Sequence

import z3

from solomonic.reason.engines.houdini import converts
from solomonic.reason.engines.termination.recursion import Unfolding
from solomonic.reason.ir import Function
from solomonic.reason.result import UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.describe import describe_loop
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import TransitionSystem, build_system

PROPERTY = "terminates"


class LoopAnalysis:
    """One function's termination analysis: its system, its loops, the time left, the result it gives."""

    def __init__(self, function: Function, deadline: float, unfolding: Unfolding | None = None,
                 proposals: Mapping[int, Sequence[str]] | None = None):
        self.function = function
        self.deadline = deadline
        self.unfolding = unfolding
        self.proposals = proposals or {}  # a proposer's candidate invariants (SMT-LIB), by loop head
        self.ub = UNDEFINED_BEHAVIOUR if function.language == "c" else set()
        self.system: TransitionSystem = build_system(function, self.ub,
                                                     observe=unfolding.observed if unfolding else None)
        self.ctx = z3.Context()
        self.enc = Encoder("int", self.ctx)
        self.loops = find_loops(self.system)
        self.ranked: dict[int, list[str]] = {}  # ranked_variables, by loop head
        self.proposed: dict[int, list[z3.BoolRef]] = {}  # the proposals read as new candidate atoms, by head

    def result(self, verdict: Verdict, **kw) -> Result:
        f = self.function
        return Result(f.file, f.name, PROPERTY, verdict, line=f.line, language=f.language, **kw)

    def left(self) -> float:
        return max(0.05, self.deadline - time.monotonic())

    @contextlib.contextmanager
    def within(self, seconds: float | None) -> Iterator[None]:
        """The deadline brought forward to `seconds` from now for the block (None: left as it is), then
        restored: a stage that should give up early where the rest of the analysis would go on."""
        saved = self.deadline
        if seconds is not None:
            self.deadline = min(saved, time.monotonic() + seconds)
        try:
            yield
        finally:
            self.deadline = saved

    def line(self, c: int) -> int:
        return self.function.cfg.lines[c]

    @functools.cached_property
    def converts_to_bits(self) -> bool:
        """Whether a block's integer encoding turns integers into bit-vectors (houdini.converts)."""
        return converts(self.system, self.enc)


def described(function: Function) -> dict[int, str]:
    """The text of each loop of the function as a proposer reads it (describe_loop), by each of the loop's
    heads: its proposals go to every head they can be read at, since an outer loop's invariant often needs
    a companion at the inner head (`k >= 10*i` at the outer, `k >= 10*i + j` at the inner). None for a
    recursive function, whose loops are those of an unfolding made later."""
    if function.procedures:
        return {}
    system = build_system(function, UNDEFINED_BEHAVIOUR if function.language == "c" else set())
    return {head: text for loop in find_loops(system) for text in [describe_loop(system, loop)]
            for head in sorted(loop & set(system.loop_heads))}


def find_loops(system: TransitionSystem) -> list[set[int]]:
    """Strongly connected sets of loop heads joined by blocks (Tarjan), in the order of their heads."""
    succ: dict[int, set[int]] = {c: set() for c in system.cutpoints}
    for b in system.blocks:
        if b.dst in succ:
            succ[b.src].add(b.dst)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    out: list[set[int]] = []

    def visit(v: int) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(succ[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1 or v in succ[v]:
                out.append(component)

    for c in system.cutpoints:
        if c not in index:
            visit(c)
    return sorted(out, key=min)
