"""no: a reachable loop-head state from which the loop provably never leaves, confirmed by running it.

Bounded unrolling looks for a state that comes back unchanged, or that lies in a closed recurrent set
(recurrent_set); random runs still in a loop after many iterations offer the states past the unrolling's
depth (`long_runs`). The witness must keep the IR interpreter in the loop, and the real program (Python's
call, C's harness) must still be running when its time is up; through recursion, the program's own run
must repeat an activation (recursion.py). Apart from the proof (proof.py): a no is a run, not a certificate.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping

import z3

from solomonic.reason.engines.bmc import Counterexample, Unroller
from solomonic.reason.engines.houdini import candidates, conjunction, encode_block, essential
from solomonic.reason.engines.random_runs import dictionary, draw, recording
from solomonic.reason.engines.termination.loops import PROPERTY, LoopAnalysis
from solomonic.reason.engines.termination.recursion import (
    OwnLoopCycle,
    own_loop_cycle,
    program_values,
    repeated_activation,
)
from solomonic.reason.ir import BOOL, BoolType, BVType, Function, IntType, Procedure, Var
from solomonic.reason.ir.evaluate import Value, default_value
from solomonic.reason.ir.interpret import Trace, compress, repeating, run
from solomonic.reason.replay import replay_record, shown_inputs, shown_reads
from solomonic.reason.result import Result, Verdict, shown_call
from solomonic.reason.symbolic.encode import Encoder, constants
from solomonic.reason.symbolic.system import TransitionSystem

STAY_BLOCKS = 200  # loop iterations the interpreter must stay in a recurrent set or cycle
PROBE_STEPS, MAX_BITS = 64, 1 << 16  # the interpreter's first round of steps; the largest value it follows
STATES_PER_DEPTH = 3  # reached states (with different cubes) whose recurrent sets are tried at each depth
REPLAY_S = 2.0  # the real run must still be going after this long
FOLLOW_GRACE_S = 1.0  # past the search's deadline, for the interpreter to follow a lasso found just before it
RECURSION_VALUES = 100_000  # nondeterministic values a recursion witness's real run is given
BITS_SHARE = 0.3  # of a lasso search's time, for repeated states in bit-vector arithmetic where that decides
LONG_RUN_BLOCKS = 3000  # loop iterations a long run goes on for before the state it is in is looked at


class LassoSearch(LoopAnalysis):
    def lasso(self, budget_s: float, max_depth: int, states: int = STATES_PER_DEPTH) -> Result | str:
        """Unroll until a reachable loop-head state provably never leaves the loop; at each depth, the
        recurrent sets around up to `states` reached states (of different cubes) are tried."""
        if not self.loops:
            return ""
        deadline = min(self.deadline, time.monotonic() + budget_s)
        if self.converts_to_bits:
            in_bits = self.repeated_in_bits(time.monotonic() + BITS_SHARE * (deadline - time.monotonic()), max_depth)
            if in_bits is not None:
                return in_bits
        unroller = Unroller(self.system, "int")
        heads = {unroller.location_code[c]: c for loop in self.loops for c in loop}
        atoms = candidates(self.system, self.enc)
        strides = stride_atoms(self.system, self.enc, self.loops)
        failed: list[tuple[int, z3.BoolRef]] = []  # (head, cube) whose recurrent set search failed
        unconfirmed = ""  # why the last recurrent set found was not confirmed
        while unroller.depth < max_depth and time.monotonic() < deadline:
            unroller.extend()
            k = unroller.depth
            cycle = self.repeated(unroller, heads, deadline)
            if cycle is not None:
                return cycle
            # A closed recurrent set around a state reached here. The search depends only on which
            # atoms hold in the state (its cube), so a cube that failed is not tried again. The first
            # state of a depth is the solver's own choice; further ones must lie outside every cube
            # that failed, which drives the solver to other regions.
            at_head = z3.Or(*[unroller._pc(k) == code for code in heads], unroller.ctx)
            for attempt in range(states):
                unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
                tried = [z3.Not(z3.And(unroller._pc(k) == unroller.location_code[c], self._at(cube, c, unroller, k)))
                         for c, cube in failed] if attempt else []
                if time.monotonic() >= deadline or unroller.solver.check(at_head, *tried) != z3.sat:
                    break
                model = unroller.solver.model()
                c = heads[model.eval(unroller._pc(k)).as_long()]
                state = {v: _translate(model.eval(unroller.steps[k][v], model_completion=True), self.ctx)
                         for v in self.system.params[c]}
                literals = cube(self.enc, atoms.get(c, []), state)
                if any(c == d and conjunction(literals, self.ctx).eq(known) for d, known in failed):
                    continue
                recurrent = self._recurrent(c, literals, cube(self.enc, strides.get(c, []), state), deadline)
                if recurrent is None:
                    failed.append((c, conjunction(literals, self.ctx)))
                    continue
                recurrent, choice = recurrent
                unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
                inside = z3.And(unroller._pc(k) == unroller.location_code[c], self._at(recurrent, c, unroller, k))
                if unroller.solver.check(inside) == z3.sat:
                    confirmed = self.confirm_recurrent(unroller.counterexample(), c, recurrent, choice)
                    if isinstance(confirmed, Result):
                        return confirmed
                    failed.append((c, conjunction(literals, self.ctx)))  # another state may be confirmed
                    unconfirmed = confirmed
        return unconfirmed or f"no lasso found within {unroller.depth} loop iterations"

    def long_runs(self, budget_s: float) -> Result | str:
        """Non-termination that sets in late: a loop that counts to 1000 before it stops changing
        anything reaches its recurrent set past any depth the unrolling gets to. Random runs (small
        values, the program's constants and their neighbours, wide ones: random_runs.draw) that are
        still in a loop after LONG_RUN_BLOCKS iterations offer the state they are in then; the closed
        recurrent set around it (recurrent_set, from the atoms that state satisfies, so the state lies
        in it) is confirmed as the unrolling's are, by the interpreter staying and the real run going
        on. A run that ends, or whose state's atoms were tried already, says nothing."""
        function = self.function
        if not self.loops or function.procedures or \
                not all(isinstance(i.var.type, (BVType, IntType, BoolType)) for i in function.inputs):
            return ""
        deadline = min(self.deadline, time.monotonic() + budget_s)
        heads = {c for loop in self.loops for c in loop}
        cutpoints = set(self.system.cutpoints)
        atoms = candidates(self.system, self.enc)
        strides = stride_atoms(self.system, self.enc, self.loops)
        rng = random.Random(0)
        constants = dictionary(function)
        tried: set[tuple[int, str]] = set()
        unconfirmed = ""
        while time.monotonic() < deadline:
            inputs = {i.var: draw(i.var, rng, constants) for i in function.inputs}
            drawn: dict[tuple[int, int], Value] = {}
            passes = [0]  # cutpoints passed so far
            last: dict = {}  # the last loop-head state: "passed" (cutpoints then), "head", "env"

            def observe(loc: int, env: dict[Var, Value], passes=passes, last=last) -> None:
                passes[0] += 1
                if loc in heads:
                    last.update(passed=passes[0], head=loc, env=dict(env))

            trace = run(function, inputs, recording(rng, constants, drawn), cutpoints, 100 * LONG_RUN_BLOCKS, observe,
                        deadline=deadline)
            if trace.outcome == "time":  # the search's time is up (a run that fills an array is slow)
                break
            if trace.outcome != "steps" or not last:
                continue
            passed, head, env = last["passed"], last["head"], last["env"]
            values = [env.get(v) for v in self.system.params[head]]
            if not all(isinstance(x, int) for x in values):
                continue
            state = {v: (z3.BoolVal(bool(x), self.ctx) if isinstance(v.type, BoolType) else z3.IntVal(x, self.ctx))
                     for v, x in zip(self.system.params[head], values)}
            literals = cube(self.enc, atoms.get(head, []), state)
            key = (head, conjunction(literals, self.ctx).sexpr())
            if key in tried:
                continue
            tried.add(key)
            recurrent = self._recurrent(head, literals, cube(self.enc, strides.get(head, []), state), deadline)
            if recurrent is None:
                continue
            confirmed = self.confirm_recurrent(Counterexample(passed, inputs, drawn), head, *recurrent)
            if isinstance(confirmed, Result):
                return confirmed
            unconfirmed = confirmed
        return unconfirmed

    def _recurrent(self, head: int, literals: list[z3.BoolRef], residues: list[z3.BoolRef],
                   deadline: float) -> tuple[z3.BoolRef, dict[Var, int]] | None:
        """A closed recurrent set within the cube `literals`, or where there is none, within it and the
        residues (x % m) the state has: only where the set needs them, as it is wider without; else one
        under a fixed choice of the loop's nondeterministic values (chosen_recurrent_set). With the
        choice it holds under (none for the first two)."""
        recurrent = recurrent_set(self.system, self.enc, head, literals, max(0.05, deadline - time.monotonic()))
        if recurrent is None and residues:
            recurrent = recurrent_set(self.system, self.enc, head, literals + residues,
                                      max(0.05, deadline - time.monotonic()))
        if recurrent is None:
            return chosen_recurrent_set(self.system, self.enc, head, literals, max(0.05, deadline - time.monotonic()))
        return recurrent, {}

    def repeated(self, unroller: Unroller, heads: dict[int, int], deadline: float) -> Result | str | None:
        """A repeated state at the unrolling's last step k: the same head, the same live values, at
        some earlier step j; None where there is none (or the solver cannot tell in time)."""
        k = unroller.depth
        repeats = {j: z3.Or(*[z3.And(unroller._pc(j) == code, unroller._pc(k) == code,
                                     *[unroller.steps[j][v] == unroller.steps[k][v] for v in self.system.params[c]])
                              for code, c in heads.items()], unroller.ctx) for j in range(k)}
        unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
        if unroller.solver.check(z3.Or(*repeats.values(), unroller.ctx)) != z3.sat:
            return None
        model = unroller.solver.model()
        j = next(j for j, r in repeats.items() if z3.is_true(model.eval(r, model_completion=True)))
        return self.confirm_cycle(unroller.counterexample(), j, k)

    def repeated_in_bits(self, deadline: float, max_depth: int) -> Result | None:
        """A repeated state looked for in bit-vector arithmetic, for a loop whose integer encoding turns
        integers into bit-vectors (`x ^= 15`: the mixed theories decide no unrolling of it in seconds,
        bit-blasting all of them in milliseconds); the unrolling's model is a run, confirmed as any."""
        unroller = Unroller(self.system, "bv")
        heads = {unroller.location_code[c]: c for loop in self.loops for c in loop}
        while unroller.depth < max_depth and time.monotonic() < deadline:
            unroller.extend()
            cycle = self.repeated(unroller, heads, deadline)
            if isinstance(cycle, Result):
                return cycle
        return None

    def _at(self, formula: z3.BoolRef, head: int, unroller: Unroller, k: int) -> z3.BoolRef:
        """A formula over `head`'s variables, of the unrolling's state at step k."""
        return _into(formula, {v.name: unroller.steps[k][v] for v in self.system.params[head]}, unroller.ctx)

    def confirm_cycle(self, cex: Counterexample, j: int, k: int) -> Result | str:
        period = k - j

        def oracle(edge: int, step: int, stmt) -> int:
            if step >= k:
                step = j + (step - j) % period
            return cex.nondet.get((edge, step), 0)

        return self.confirm(cex, oracle, self.cycle_reason(j, period), {"cycle": [j, k]})

    def cycle_reason(self, j: int, period: int) -> str:
        """What a cycle from step j of `period` steps shows, in words (a loop's state comes back)."""
        iterations = f"{period} more loop iteration{'s' if period > 1 else ''}"
        return f"the state at step {j} comes back after {iterations}, unchanged"

    def confirm_recurrent(self, cex: Counterexample, head: int, recurrent: z3.BoolRef,
                          choice: dict[Var, int]) -> Result | str:
        """The witness of a closed recurrent set: the unrolling's run into it, then (a set that holds
        under a `choice` of the loop's nondeterministic values) those values at every later iteration."""
        from solomonic.reason.symbolic.printer import show_z3

        by_edge = {self.system.nondet_edges[n]: v for n, v in choice.items()}

        def oracle(edge: int, step: int, stmt) -> Value:
            if step >= cex.depth and edge in by_edge:
                return by_edge[edge]
            return cex.oracle(edge, step, stmt)

        edges = self.function.cfg.edges
        chosen = "; ".join(f"`{edges[e].stmt.origin}` at line {edges[e].line} gives {v}"  # type: ignore[union-attr]
                           for e, v in sorted(by_edge.items()))
        keeps = f"which every iteration keeps where {chosen}" if chosen else "which every iteration keeps"
        evidence = {"line": self.line(head), "formula": show_z3(recurrent), "smt2": recurrent.sexpr()}
        if chosen:
            evidence["choices"] = [{"edge": e, "line": edges[e].line, "origin": edges[e].stmt.origin,  # type: ignore[union-attr]
                                    "value": v} for e, v in sorted(by_edge.items())]
        return self.confirm(cex, oracle, f"it reaches the loop at line {self.line(head)} in a state "
                                         f"where {show_z3(recurrent)}, {keeps}", {"recurrent_set": evidence})

    def confirm(self, cex: Counterexample, oracle, why: str, evidence: dict) -> Result | str:
        function = self.function
        inputs = {i.var: cex.inputs.get(i.var, default_value(i.var.type)) for i in function.inputs}
        if self.unfolding is not None:
            return self.confirm_recursion(inputs, oracle, cex.depth)
        blocks = cex.depth + STAY_BLOCKS
        trace = follow(function, inputs, oracle, set(self.system.cutpoints), blocks, self.deadline + FOLLOW_GRACE_S)
        if isinstance(trace, str):
            return f"a lasso was found but the interpreter cannot follow it: {trace}"
        if trace.outcome != "steps" or trace.cutpoints_passed < blocks:
            return f"a lasso was found but the interpreter left it ({trace.event or trace.outcome})"
        outcome = self.replay(inputs, trace)
        shown = shown_inputs(function, inputs)
        witness = {"inputs": shown, "why": why, **evidence,
                   "nondet": shown_reads(trace.reads),
                   "path_text": compress(trace.lines),
                   "replay": replay_record(outcome.confirmed, outcome.observed)}
        call = shown_call(shown)
        if not outcome.confirmed:
            return f"a lasso was found but the real run did not confirm it ({outcome.observed})"
        return self.result(Verdict.NO, witness=witness, reproducer=outcome.reproducer,
                           reason=f"{function.name}({call}) never returns: {why}")

    def replay(self, inputs: dict[Var, Value], trace: Trace):
        """The real run on the witness's inputs (and, in C, the values the interpreter read): confirmed
        where it is still running when its time is up, or is seen to repeat a state or a call."""
        function = self.function
        if function.language == "python":
            from solomonic.reason.replay.python import call_arguments, replay

            return replay(function.file, function.name, call_arguments(function, inputs), PROPERTY, REPLAY_S)
        from solomonic.reason.replay.c import replay as replay_c

        return replay_c(function, inputs, trace, PROPERTY, REPLAY_S)

    def confirm_own_loop(self, inputs: Mapping[Var, Value], cycle: OwnLoopCycle) -> Result | str:
        """The program's own run came back to a state of the function's body, every call returned
        (`recursion.own_loop_cycle`); the real run, given the cycle's values again and again, must still
        be going when its time is up."""
        assert self.unfolding is not None
        program = self.unfolding.original
        first, second = cycle.passes
        why = f"every call it makes returns, and the loop at line {cycle.line} comes back to the same state " \
              f"(passes {first} and {second} through its loops" + \
              (", reading the same values again)" if cycle.end > cycle.start else ")")
        ran = replay_own_loop(program, inputs, cycle)
        if not ran.confirmed:
            return f"{why}, but the real run did not confirm it ({ran.observed})"
        shown = shown_inputs(program, inputs)
        witness = {"inputs": shown, "why": why, "own_loop": {"passes": [first, second], "line": cycle.line},
                   "nondet": shown_reads(cycle.trace.reads[:cycle.end]), "path_text": compress(cycle.trace.lines),
                   "replay": replay_record(True, ran.observed)}
        return self.result(Verdict.NO, witness=witness, reproducer=ran.reproducer,
                           reason=f"{program.name}({shown_call(shown)}) never returns: {why}")

    def confirm_recursion(self, inputs: dict[Var, int], oracle, depth: int) -> Result | str:
        """The program's own run must repeat an activation; then the real run must show it: C's does not
        return (its stack overflows, or it still runs), Python's calls the same function with the same
        arguments again while the first call is still active. CPython would stop that recursion with
        RecursionError, a resource limit like C's stack, not a way out of the function: it never returns.
        Where no call repeats, the function's own loop may come back to a state once the calls returned
        (`confirm_own_loop`)."""
        assert self.unfolding is not None
        program = self.unfolding.original
        steps = 100 * (depth + STAY_BLOCKS) + 100_000
        values = program_values(self.unfolding, inputs, oracle, set(self.system.cutpoints), steps)
        trace = repeated_activation(program, inputs, values, steps)
        if trace.outcome != "recursion" and (cycle := own_loop_cycle(program, inputs, values, steps)) is not None:
            return self.confirm_own_loop(inputs, cycle)
        if trace.outcome != "recursion":
            return f"a lasso through recursion was found but the program's calls did not repeat " \
                   f"({trace.event.message if trace.event else trace.outcome})"
        repeat = trace.repeat
        call = _shown_call(program.procedures[repeat.callee], repeat.args)
        why = f"`{call}` calls itself again with the same arguments" + \
              (f", {repeat.depth} calls deeper" if repeat.depth > 1 else "")
        if len(trace.reads) > repeat.reads:
            why += ", reading the same values again"
        shown = shown_inputs(program, inputs)
        if program.language == "python":
            from solomonic.reason.replay.python import call_arguments
            from solomonic.reason.replay.python import replay as replay_python

            ran = replay_python(program.file, program.name, call_arguments(program, inputs), PROPERTY, REPLAY_S)
            if not ran.confirmed or "called itself again" not in ran.observed:
                return f"{why} (found by running it), but the real run did not repeat the call ({ran.observed})"
            observed, reproducer = ran.observed, ran.reproducer
        else:
            from solomonic.reason.replay.c import replay

            reads = repeating(trace.reads, repeat.reads, RECURSION_VALUES)
            outcome = replay(program, inputs, Trace(lines=trace.lines, reads=reads), PROPERTY, REPLAY_S,
                             recursion=True)
            if not outcome.confirmed:
                return f"{why}, but the real run did not confirm it ({outcome.observed})"
            observed, reproducer = outcome.observed, outcome.reproducer
        witness = {"inputs": shown, "why": why,
                   "repeated_call": {"function": repeat.callee, "arguments": list(repeat.args), "depth": repeat.depth},
                   "nondet": shown_reads(trace.reads),
                   "path_text": compress(trace.lines),
                   "replay": replay_record(True, observed)}
        arguments = shown_call(shown)
        return self.result(Verdict.NO, witness=witness, reproducer=reproducer,
                           reason=f"{program.name}({arguments}) never returns: {why}")


def follow(function: Function, inputs: dict[Var, Value], oracle, cutpoints: set[int], blocks: int,
           deadline: float | None = None) -> Trace | str:
    """The IR interpreter's run for `blocks` loop iterations (at most 100 steps each), in rounds of
    growing length, each checked for values that grow beyond MAX_BITS: a recurrent set of `x = x * x`
    keeps every state, and the numbers double in length at each iteration, which no run can follow
    for long. Then why not. At `deadline` it stops (outcome "time"): following a long run's thousands
    of iterations over an array need not end within the question's time."""
    limit = 100 * blocks + 10_000
    steps = PROBE_STEPS
    while True:
        trace = run(function, inputs, oracle, cutpoints, max_steps=min(steps, limit), deadline=deadline)
        if trace.outcome != "steps" or trace.cutpoints_passed >= blocks or steps >= limit:
            return trace
        largest = max((abs(v).bit_length() for v in trace.env.values() if isinstance(v, int)), default=0)
        if largest > MAX_BITS:
            return f"its values grow beyond {MAX_BITS} bits within {trace.cutpoints_passed} loop iterations"
        steps *= 4


def cube(enc: Encoder, atoms: list[z3.BoolRef], state: dict[Var, z3.ExprRef]) -> list[z3.BoolRef]:
    """Each atom, or its negation, whichever holds in `state` (values of a head's variables)."""
    values = [(enc.constant(v.name, v.type), _translate(t, enc.ctx)) for v, t in state.items()]
    literals = []
    for a in atoms:
        truth = z3.simplify(z3.substitute(a, *values)) if values else z3.simplify(a)
        literals.append(a if z3.is_true(truth) else z3.Not(a))
    return literals


def stride_atoms(system: TransitionSystem, enc: Encoder, loops: list[set[int]]) -> dict[int, list[z3.BoolRef]]:
    """`x % m == 0` at a loop head where every step of the loop moves x by a multiple of m >= 2 (each arm
    of its new value's conditionals is x plus a constant): the residue is then kept, and a state whose
    residue the loop's exit needs but cannot have never leaves. `while (x != 0) x -= 2;` from an odd
    unsigned x (x - 2 wraps to x + 2^32 - 2, also even) runs forever in the set x % 2 != 0."""
    out: dict[int, list[z3.BoolRef]] = {}
    for loop in loops:
        steps: dict[Var, int] = {}  # the gcd of the constants each variable moves by
        moved: set[Var] = set()  # moved by something other than a constant somewhere
        for block in system.blocks:
            if block.src not in loop or block.dst not in loop:
                continue
            pre, _, updates = encode_block(system, enc, block)
            for v, t in updates.items():
                x = pre.get(v)
                if x is None or x.sort().kind() != z3.Z3_INT_SORT:
                    continue
                for arm in _arms(t):
                    d = z3.simplify(arm - x)
                    if z3.is_int_value(d):
                        steps[v] = math.gcd(steps.get(v, 0), abs(d.as_long()))
                    else:
                        moved.add(v)
        for head in loop:
            out[head] = [enc.constant(v.name, v.type) % m == 0 for v, m in steps.items()
                         if m >= 2 and v not in moved and v in system.params[head]]
    return out


def _arms(t: z3.ExprRef) -> list[z3.ExprRef]:
    """The values a term's conditionals choose between (the term itself where it has none)."""
    if z3.is_app_of(t, z3.Z3_OP_ITE):
        return [*_arms(t.arg(1)), *_arms(t.arg(2))]
    return [t]


def recurrent_set(system: TransitionSystem, enc: Encoder, head: int, literals: list[z3.BoolRef],
                  timeout_s: float, choice: dict[Var, int] | None = None) -> z3.BoolRef | None:
    """A closed recurrent set at `head` within the cube `literals`: a conjunction of some of them such
    that from it every block stays at `head` and keeps it, and some block is always enabled. With a
    `choice`, the loop's nondeterministic values are those constants at every iteration rather than
    any. None if none is found."""
    ctx = enc.ctx
    deadline = time.monotonic() + timeout_s
    blocks = [b for b in system.blocks if b.src == head]
    nd: dict[Var, z3.ExprRef] = {n: enc.constant(n.name, n.type) for b in blocks for n in b.nondets}
    fixed = [t == enc.value(choice[n], n.type) for n, t in nd.items() if n in choice] if choice else []
    pre = {v: enc.constant(v.name, v.type) for v in system.params[head]}
    ranges = [enc.in_range(t, v.type) for v, t in pre.items()] + [enc.in_range(t, n.type) for n, t in nd.items()]
    ranges += fixed
    encoded = [(b, *enc.block(b, pre, nd)) for b in blocks]

    def solver() -> z3.Solver:
        s = z3.Solver(ctx=ctx)
        s.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
        s.add(*ranges)
        return s

    while True:
        if time.monotonic() >= deadline:
            return None
        dropped = False
        for block, guard, updates in encoded:
            s = solver()
            s.add(*literals, guard)
            if block.dst != head:
                if s.check() != z3.unsat:
                    return None  # the loop can be left (or undefined behaviour reached) from this set
                continue
            pairs = [(pre[v], t) for v, t in updates.items() if v in pre]
            after = [z3.substitute(lit, *pairs) if pairs else lit for lit in literals]
            status = s.check(z3.Not(z3.And(*after, ctx)))
            if status == z3.unknown:
                return None
            if status == z3.sat:
                model = s.model()
                keep = [z3.is_true(model.eval(a, model_completion=True)) for a in after]
                literals = [lit for lit, k in zip(literals, keep) if k]
                dropped = True
                break
        if not dropped:
            break
    s = solver()  # some block is enabled for every nondeterministic choice: no exit, no blocking
    own = {t.get_id() for t in [*pre.values(), *nd.values()]}
    s.add(*literals, *[z3.Not(_enabled(g, own)) for _, g, _ in encoded])
    if s.check() != z3.unsat:
        return None
    return conjunction(essential(literals, ctx), ctx)


def chosen_recurrent_set(system: TransitionSystem, enc: Encoder, head: int, literals: list[z3.BoolRef],
                         timeout_s: float) -> tuple[z3.BoolRef, dict[Var, int]] | None:
    """Where the loop may be left by a nondeterministic value (`while (nondet()) x += 2`), a closed
    recurrent set under one choice of those values, the same at every iteration: the values of a state
    of the cube that stays in the loop, and the set recurrent_set finds with them fixed. A run that
    reads those values forever never leaves, and the real program is run on them. None where the loop
    reads no such value, or no set is found."""
    deadline = time.monotonic() + timeout_s
    blocks = [b for b in system.blocks if b.src == head]
    nondets = {n for b in blocks for n in b.nondets}
    if not nondets or not all(n.type == BOOL or isinstance(n.type, (BVType, IntType)) for n in nondets):
        return None
    nd = {n: enc.constant(n.name, n.type) for n in nondets}
    s = z3.Solver(ctx=enc.ctx)
    s.set("timeout", max(1, int(timeout_s * 500)))
    s.add(*literals, *[enc.in_range(enc.constant(v.name, v.type), v.type) for v in system.params[head]],
          *[enc.in_range(t, n.type) for n, t in nd.items()])
    s.add(z3.Or(*[encode_block(system, enc, b)[1] for b in blocks if b.dst == head], enc.ctx))
    if s.check() != z3.sat:
        return None
    model = s.model()
    choice = {n: _number(model.eval(t, model_completion=True), n.type) for n, t in nd.items()}
    found = recurrent_set(system, enc, head, literals, max(0.05, deadline - time.monotonic()), choice)
    return None if found is None else (found, choice)


def _number(value: z3.ExprRef, t) -> int:
    """A model's value of a scalar of type t as the interpreter holds it (a signed bit-vector's sign)."""
    if z3.is_bool(value):
        return int(z3.is_true(value))
    n = value.as_long()
    if isinstance(t, BVType) and t.signed and z3.is_bv(value) and n >= 1 << (t.width - 1):
        n -= 1 << t.width
    return n


def _enabled(guard: z3.BoolRef, own: set[int]) -> z3.BoolRef:
    """That a block's guard holds for some values of the encoding's own constants (a wrap-around's
    quotient: `c + 1 - 256q` in range), which are functions of the state, not choices of the program."""
    auxiliary = [c for c in constants(guard).values() if c.get_id() not in own]
    return z3.Exists(auxiliary, guard) if auxiliary else guard


def _translate(f: z3.ExprRef, ctx: z3.Context) -> z3.ExprRef:
    return f if f.ctx == ctx else f.translate(ctx)


def _into(formula: z3.BoolRef, env: dict[str, z3.ExprRef], ctx: z3.Context) -> z3.BoolRef:
    """The formula (over head variables by name, in its own context) over the terms of `env`."""
    f = _translate(formula, ctx)
    pairs = [(z3.Int(name, ctx), t) for name, t in env.items() if t.sort().kind() == z3.Z3_INT_SORT]
    pairs += [(z3.Bool(name, ctx), t) for name, t in env.items() if t.sort().kind() == z3.Z3_BOOL_SORT]
    return z3.substitute(f, *pairs) if pairs else f


def _shown_call(proc: Procedure, args: tuple) -> str:
    """A repeated call as its source shows it: `g(n=3)`, a pointer parameter by its offset and the
    memory it reaches by name (`g(p+0, q+1; same memory)`), not the variables that pass them."""
    shown = []
    for param, value in zip(proc.params, args):
        name = param.name.split(".", 1)[-1]
        if param in proc.memory:
            continue
        shown.append(f"{name.removesuffix('$offset')}+{value}" if name.endswith("$offset") else str(value))
    return f"{proc.name}({', '.join(shown)}{'; same memory' if proc.memory else ''})"


def replay_own_loop(program: Function, inputs: Mapping[Var, Value], cycle: OwnLoopCycle):
    """The real run of a program whose own loop comes back to a state once its calls returned: confirmed
    where it is still running when its time is up (C given the cycle's values again and again)."""
    if program.language == "python":
        from solomonic.reason.replay.python import call_arguments, replay

        return replay(program.file, program.name, call_arguments(program, dict(inputs)), PROPERTY, REPLAY_S)
    from solomonic.reason.replay.c import replay as replay_c

    reads = repeating(cycle.trace.reads[:cycle.end], cycle.start, RECURSION_VALUES)
    return replay_c(program, dict(inputs), Trace(lines=cycle.trace.lines, reads=reads), PROPERTY, REPLAY_S)
