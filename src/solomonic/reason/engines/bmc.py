"""Bounded model checking over the blocks of a transition system.

Step i of the unrolling takes one block: from cutpoint pc_i to pc_{i+1}, with its own copy of the
variables and of the nondeterministic values. The solver is incremental: each new depth adds one step.
At each depth three questions are asked: is BAD reached exactly here, is POISON, and can any execution
take this many steps at all. When none can, every execution has been explored: with no failure found,
that is a proof for programs whose loops are bounded. A model becomes inputs and a
nondeterministic-value oracle for the concrete interpreter.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Collection
from dataclasses import dataclass

import z3

from solomonic.reason.ir import BVType, Havoc, Var
from solomonic.reason.ir.evaluate import Value
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import BAD, POISON, TransitionSystem

SMALL = 1 << 12  # the values a counterexample is looked for among, where not among the tightest
WINDOWS = (16, SMALL)  # each value's bounds, tightest first
SHORTEST = (1, 4)  # before those, for the inputs a caller asks to keep short (a C pointer parameter's length)
CORE_ROUNDS = 6  # tries, each with the bounds the last one's unsat core named widened or dropped


@dataclass
class Counterexample:
    depth: int
    inputs: dict[Var, Value]
    nondet: dict[tuple[int, int], Value]  # (havoc edge index, step) -> value

    def oracle(self, edge_index: int, step: int, stmt: Havoc) -> Value:
        return self.nondet.get((edge_index, step), 0)


class Unroller:
    def __init__(self, system: TransitionSystem, mode: str = "bv"):
        self.system = system
        self.ctx = z3.Context()
        self.enc = Encoder(mode, self.ctx)
        self.solver = z3.Solver(ctx=self.ctx)
        self.variables = sorted({v for vs in system.params.values() for v in vs}, key=lambda v: v.name)
        self.location_code = {c: i for i, c in enumerate(system.cutpoints)}
        self.location_code[BAD] = len(system.cutpoints)
        self.location_code[POISON] = len(system.cutpoints) + 1
        self.steps: list[dict[Var, z3.ExprRef]] = [self._state(0)]
        self.nondets: list[dict[Var, z3.ExprRef]] = []
        self.flags: list[z3.BoolRef] = []  # small_counterexample's assumptions
        self.solver.add(self._pc(0) == self.location_code[system.entry])
        self.solver.add(*[self.enc.in_range(t, v.type) for v, t in self.steps[0].items()])

    def _state(self, i: int) -> dict[Var, z3.ExprRef]:
        return {v: self.enc.constant(f"{v.name}@{i}", v.type) for v in self.variables}

    def _pc(self, i: int) -> z3.ArithRef:
        return z3.Int(f"pc@{i}", self.ctx)

    @property
    def depth(self) -> int:
        return len(self.steps) - 1

    def extend(self) -> None:
        """Add the transition from step `depth` to `depth + 1`."""
        i = self.depth
        pre, post = self.steps[i], self._state(i + 1)
        nd = {nd: self.enc.constant(f"{nd.name}@{i}", nd.type) for nd in self.system.nondet_edges}
        choices = []
        for block in self.system.blocks:
            guard, updates = self.enc.block(block, pre, nd)
            frame = [post[v] == term for v, term in updates.items()]
            choices.append(z3.And(self._pc(i) == self.location_code[block.src], guard,
                                  self._pc(i + 1) == self.location_code[block.dst], *frame))
        self.solver.add(z3.Or(*choices) if choices else z3.BoolVal(False, self.ctx))
        self.steps.append(post)
        self.nondets.append(nd)

    def reaches(self, target: int, timeout_s: float) -> z3.CheckSatResult:
        """Is `target` (BAD or POISON) reached at exactly the current depth?"""
        self.solver.set("timeout", max(1, int(timeout_s * 1000)))
        return self.solver.check(self._pc(self.depth) == self.location_code[target])

    def exhausted(self, timeout_s: float) -> z3.CheckSatResult:
        """unsat when no execution takes `depth` steps: all of them ended earlier."""
        self.solver.set("timeout", max(1, int(timeout_s * 1000)))
        return self.solver.check()

    def small_counterexample(self, target: int, timeout_s: float, shortest: Collection[Var] = ()) -> Counterexample:
        """The counterexample `reaches(target)` found, with its inputs and nondeterministic values in
        [-16, 16] where they can be, else in [-SMALL, SMALL]: a witness a person can read and a real run
        can replay (`alloca(n)` of a few bytes, not of a gigabyte, which overflows the stack before the
        failure; a recursion on 16, not on 4096, which runs for ever); the inputs in `shortest` in
        [-1, 1], else [-4, 4], before those (an array of one element where that shows the failure, not
        of 16). Each bound is an assumption; one an unsat core names gives way to the next wider (the last
        is dropped), and the rest are tried again (at most CORE_ROUNDS times, within `timeout_s`); the
        model found first where none holds."""
        deadline = time.monotonic() + timeout_s
        first = self.solver.model()  # kept: a model outlives the queries after it
        at = self._pc(self.depth) == self.location_code[target]
        wider: dict[int, z3.BoolRef] = {}  # a tight bound's flag id -> its value's wider bound's flag
        bounds: dict[int, z3.BoolRef] = {}
        for step in (self.steps[0], *self.nondets):
            for v, t in step.items():
                if isinstance(v.type, BVType):
                    windows = (*SHORTEST, *WINDOWS) if step is self.steps[0] and v in shortest else WINDOWS
                    flags = [self._flag(self._within(t, v.type, w)) for w in windows]
                    wider.update((tight.get_id(), loose) for tight, loose in itertools.pairwise(flags))
                    bounds[flags[0].get_id()] = flags[0]
        for _ in range(CORE_ROUNDS):
            self.solver.set("timeout", max(1, int(1000 * (deadline - time.monotonic()))))
            answer = self.solver.check(at, *bounds.values())
            if answer == z3.sat:
                return self.counterexample()
            if answer != z3.unsat or not bounds or time.monotonic() >= deadline:
                break
            for flag in self.solver.unsat_core():
                bounds.pop(flag.get_id(), None)
                if flag.get_id() in wider:
                    loose = wider[flag.get_id()]
                    bounds[loose.get_id()] = loose
        return self.counterexample(first)

    def _flag(self, condition: z3.BoolRef) -> z3.BoolRef:
        """A fresh assumption that stands for `condition`."""
        flag = z3.Bool(f"small!{len(self.flags)}", self.ctx)
        self.flags.append(flag)
        self.solver.add(z3.Implies(flag, condition))
        return flag

    def _within(self, term: z3.ExprRef, t: BVType, window: int) -> z3.BoolRef:
        low, high = (self.enc.value(max(t.min, -window), t), self.enc.value(min(t.max, window), t))
        if self.enc.mode == "bv" and not t.signed:
            return z3.ULE(term, high)
        return z3.And(low <= term, term <= high)

    def counterexample(self, model: z3.ModelRef | None = None) -> Counterexample:
        """The inputs and nondeterministic values of `model` (the last query's where None)."""
        m = model if model is not None else self.solver.model()
        inputs = {v: self.enc.decode(m.eval(t, model_completion=True), v.type)
                  for v, t in self.steps[0].items()}
        nondet = {}
        for i, nd_env in enumerate(self.nondets):
            for nd, t in nd_env.items():
                nondet[(self.system.nondet_edges[nd], i)] = self.enc.decode(
                    m.eval(t, model_completion=True), nd.type)
        return Counterexample(self.depth, inputs, nondet)


def exhaustive(system: TransitionSystem, depth: int, timeout_s: float, modes: list[str]) -> tuple[str | None, str]:
    """Re-check a bounded proof from scratch: (None, encoding) if no execution reaches BAD or POISON and
    none takes `depth` steps, else (why not, encoding). Encodings are tried in order while undecided."""
    deadline = time.monotonic() + timeout_s
    problem = ""
    for i, mode in enumerate(modes):
        share = (deadline - time.monotonic()) * (0.6 if i + 1 < len(modes) else 1.0)
        status, problem = _exhaustive_in(mode, system, depth, max(0.05, share))
        if status != "undecided":
            return (None if status == "holds" else problem), mode
    return problem, modes[-1]


def _exhaustive_in(mode: str, system: TransitionSystem, depth: int, timeout_s: float) -> tuple[str, str]:
    deadline = time.monotonic() + timeout_s
    unroller = Unroller(system, mode)
    while unroller.depth < depth:
        unroller.extend()
        for target in (BAD, POISON):
            result = unroller.reaches(target, max(0.05, deadline - time.monotonic()))
            if result == z3.sat:
                return "fails", f"a failure is reached after {unroller.depth} steps"
            if result != z3.unsat:
                return "undecided", f"undecided after {unroller.depth} steps ({unroller.solver.reason_unknown()})"
    result = unroller.exhausted(max(0.05, deadline - time.monotonic()))
    if result == z3.sat:
        return "fails", f"some execution takes more than {depth} steps"
    if result != z3.unsat:
        return "undecided", f"undecided whether some execution takes more than {depth} steps"
    return "holds", ""
