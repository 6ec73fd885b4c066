"""Does every execution leave the function? yes with a ranking argument, no with a lasso, else unknown.

The function's cutpoint system (system.py, with C's undefined behaviour as BAD) is read as integers
(encode.py's exact "int" mode). Its loops are the strongly connected components of the loop heads.

- yes: supporting invariants (Houdini over atoms read off the program, houdini.py, and for C the
  invariants with which the safety engine, Spacer racing bounded model checking, shows undefined
  behaviour unreachable), then a lexicographic linear ranking function per loop (ranking.py) over
  the loop's scalars and the array elements it reads (a[k], a[3]). Where
  the safety engine instead exhausts every execution, that bounds them all: yes by bounded exploration. Both are re-checked from scratch: the invariants by
  certificate.check, the ranking block by block against the exact transition formula.
- no: bounded unrolling looks for a lasso, a reachable loop-head state from which the loop provably
  never leaves: either the state comes back unchanged (a repeated state), or it lies in a closed
  recurrent set (a conjunction of the program's conditions that every step from it keeps and none
  leaves). The witness runs through the IR interpreter, which must stay in the loop, and is replayed
  for real: the program must still be running when its time is up.
- recursion: the program's recursive procedures are unfolded into one graph (recursion.py) in which
  a recursive cycle is a loop over the procedures' entries; summaries of what a procedure returns,
  inferred by Houdini at its return, are proved along with the other invariants and named in the
  certificate. Non-termination through recursion is not searched for.
- unknown otherwise, with the reason.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction

import z3

from solomonic.reason.certify import certificate
from solomonic.reason.engines import bmc
from solomonic.reason.engines.bmc import Counterexample, Unroller
from solomonic.reason.engines.houdini import (
    candidates,
    comparisons,
    conjunction,
    encode_block,
    essential,
    houdini,
)
from solomonic.reason.engines.safety import Options
from solomonic.reason.engines.safety import analyse as safety
from solomonic.reason.engines.termination.linear import cubes
from solomonic.reason.engines.termination.ranking import (
    LinearFunction,
    Multiphase,
    Ranking,
    Transition,
    rational,
    synthesise,
    synthesise_multiphase,
)
from solomonic.reason.engines.termination.recursion import (
    Fact,
    Unfolding,
    candidate_facts,
    repeated_activation,
    unfold,
)
from solomonic.reason.ir import App, ArrayType, BoolType, Const, Function, Var
from solomonic.reason.ir.interpret import Trace, compress, run
from solomonic.reason.result import UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.encode import Encoder, constants
from solomonic.reason.symbolic.system import BAD, Block, TransitionSystem, build_system

PROPERTY = "terminates"
STAY_BLOCKS = 200  # loop iterations the interpreter must stay in a recurrent set or cycle
ELEMENT = re.compile(r"(.+)\[(.+)\]")  # an array element a ranking names: a[i], a[3]
NUMBER = re.compile(r"-?\d+")
REPLAY_S = 2.0  # the real run must still be going after this long
RECURSION_VALUES = 100_000  # nondeterministic values a recursion witness's real run is given


@dataclass
class Phases:
    """Regions of a one-head loop's states in the order steps move through them, each with the
    ranking of the steps that stay inside it."""

    head: int
    regions: list[tuple[z3.BoolRef, Ranking]]


def analyse(function: Function, timeout_s: float) -> Result:
    start = time.monotonic()
    deadline = start + timeout_s
    if function.procedures:
        unfolding = summarised(function, start + 0.3 * timeout_s)
        result = _Termination(unfolding.function, deadline, unfolding).run()
    else:
        result = _Termination(function, deadline).run()
    result.seconds = round(time.monotonic() - start, 4)
    return result


def summarised(function: Function, deadline: float) -> Unfolding:
    """The unfolding whose steps over calls assume the strongest summaries Houdini keeps: assume the
    candidate facts, drop those that some return breaks, again until none is dropped. Out of time, the
    unfolding assumes nothing of a call's result (still sound, only weaker)."""
    ub = UNDEFINED_BEHAVIOUR if function.language == "c" else set()
    facts = {name: candidate_facts(proc) for name, proc in function.procedures.items()}
    while any(facts.values()):
        unfolding = unfold(function, facts)
        system = build_system(unfolding.function, ub, observe=unfolding.observed)
        enc = Encoder("int", z3.Context())
        atoms = _candidates(system, enc, unfolding)
        encoded = {name: atoms[unfolding.returns[name]][:len(fs)] for name, fs in facts.items()}
        found = houdini(system, enc, atoms, max(0.05, deadline - time.monotonic()))
        if found is None:
            break
        kept = {name: [f for f, a in zip(facts[name], encoded[name])
                       if any(a.eq(b) for b in found[unfolding.returns[name]])] for name in facts}
        if kept == facts:  # the same graph as Houdini's, so that the same candidates come out of it again
            return unfolding
        facts = kept
    return unfold(function, {})


def _essential_facts(unfolding: Unfolding, name: str) -> list[Fact]:
    """The summary's facts less those the others imply: the same summary, as a person would write it."""
    facts = unfolding.summaries.get(name, [])
    enc = Encoder("int", z3.Context())
    atoms = summary_atoms(unfolding, name, enc)
    keep = list(range(len(facts)))
    for i in reversed(range(len(facts))):
        others = [atoms[j] for j in keep if j != i]
        solver = z3.Solver(ctx=enc.ctx)
        solver.set("timeout", 200)
        solver.add(*others, z3.Not(atoms[i]))
        if solver.check() == z3.unsat:
            keep.remove(i)
    return [facts[i] for i in keep]


def summary_atoms(unfolding: Unfolding, name: str, enc: Encoder) -> list[z3.BoolRef]:
    variables = unfolding.summary_variables(name)
    env = {v: enc.constant(v.name, v.type) for v in variables.values()}
    return [enc.expr(f.expr(variables), env) for f in unfolding.summaries.get(name, [])]


class _Termination:
    def __init__(self, function: Function, deadline: float, unfolding: Unfolding | None = None):
        self.function = function
        self.deadline = deadline
        self.unfolding = unfolding
        self.ub = UNDEFINED_BEHAVIOUR if function.language == "c" else set()
        self.system: TransitionSystem = build_system(function, self.ub,
                                                     observe=unfolding.observed if unfolding else None)
        self.ctx = z3.Context()
        self.enc = Encoder("int", self.ctx)
        self.loops = _loops(self.system)
        self.ranked: dict[int, list[str]] = {}  # ranked_variables, by loop head

    def result(self, verdict: Verdict, **kw) -> Result:
        f = self.function
        return Result(f.file, f.name, PROPERTY, verdict, line=f.line, language=f.language, **kw)

    def left(self) -> float:
        return max(0.05, self.deadline - time.monotonic())

    # ------------------------------------------------------------------------------------------ run

    def run(self) -> Result:
        if self.unfolding is not None:
            proof = self.prove()
            if isinstance(proof, Result):
                return proof
            witness = self.lasso(self.left(), max_depth=64)
            if isinstance(witness, Result):
                return witness
            timeout = ["timeout"] if time.monotonic() >= self.deadline else []
            return self.result(Verdict.UNKNOWN, reason="; ".join([*timeout, proof, *([witness] if witness else [])]))
        reasons = []
        witness = self.lasso(max(0.05, min(self.left() * 0.25, 2.0)), max_depth=8)
        if isinstance(witness, Result):
            return witness
        proof = self.prove()
        if isinstance(proof, Result):
            return proof
        reasons.append(proof)
        witness = self.lasso(self.left(), max_depth=64)
        if isinstance(witness, Result):
            return witness
        if witness:
            reasons.append(witness)
        if time.monotonic() >= self.deadline:
            reasons.insert(0, "timeout")
        return self.result(Verdict.UNKNOWN, reason="; ".join(reasons))

    # ---------------------------------------------------------------------------------------- proofs

    def prove(self) -> Result | str:
        invariants = self.invariants()
        if isinstance(invariants, (str, Result)):
            return invariants
        rankings: dict[int, Ranking | Multiphase | Phases] = {}
        for loop in self.loops:
            transitions = self.transitions(loop, invariants)
            if transitions is None:
                return f"the loop at line {self.line(min(loop))} is not linear enough to rank"
            variables = {c: self.ranked_variables(c) for c in loop}
            ranking = synthesise(transitions, variables, self.left()) or \
                synthesise_multiphase(transitions, variables, self.left()) or \
                self.phases(loop, invariants)
            if ranking is None:
                return f"no linear ranking argument (lexicographic, multiphase or phased) for the loop at line " \
                       f"{self.line(min(loop))}"
            rankings[min(loop)] = ranking
        checked = [certificate.make_invariant(self.system, c, invariants[c]) for c in self.system.loop_heads]
        problem, semantics = certificate.check(self.system, checked, self.left())
        if problem:
            return f"supporting invariants not confirmed: {problem}"
        for loop in self.loops:
            found = rankings[min(loop)]
            if isinstance(found, Phases):
                regions = [(certificate.make_invariant(self.system, found.head, g), r) for g, r in found.regions]
                problem = check_regions(self.system, loop, regions, checked, self.left())
            else:
                check = check_multiphase if isinstance(found, Multiphase) else check_ranking
                problem = check(self.system, loop, found, checked, self.left())
            if problem:
                return f"ranking function not confirmed: {problem}"
        return self.result(Verdict.YES, certificate=self.certificate(rankings, checked, semantics))

    def invariants(self) -> dict[int, z3.BoolRef] | Result | str:
        """Per loop head: the inductive subset of candidate atoms, and for C the invariants with which
        the safety engine shows undefined behaviour unreachable (without that, no execution can be
        vouched for). Where the safety engine proves it by exhausting every execution, that bounds
        every execution too: the answer is yes at once."""
        found = houdini(self.system, self.enc, _candidates(self.system, self.enc, self.unfolding), self.left())
        if found is not None:
            found = {c: essential(atoms, self.ctx) for c, atoms in found.items()}
        may_be_undefined = any(b.dst == BAD for b in self.system.blocks)
        if may_be_undefined and (found is None or not self.ub_unreachable_with(found)):
            answer = safety(self.function, "no-overflow", Options(timeout_s=max(0.5, 0.7 * self.left())))
            cert = answer.certificate or {}
            if answer.verdict == Verdict.NO:
                return f"undefined behaviour is reachable ({answer.reason}), so termination cannot be vouched for"
            if answer.verdict != Verdict.YES:
                return f"undefined behaviour not excluded ({answer.reason})"
            if cert.get("kind") == "bounded exploration":
                if self.unfolding is not None:  # its steps over calls assume summaries it does not check
                    return "undefined behaviour not excluded (only by exploring the unfolding, which assumes " \
                           "the summaries unproved)"
                return self.bounded(int(cert["depth"]))
            proved = {d["location"]: certificate.parse_invariant(certificate.Invariant.from_json(d), self.ctx)[0]
                      for d in cert.get("invariants", [])}
            return self.with_summaries({c: z3.And(proved.get(c, z3.BoolVal(True, self.ctx)),
                                                  *(found or {}).get(c, [])) for c in self.system.loop_heads})
        if found is None:
            return "no supporting invariant could be checked in time"
        return self.with_summaries({c: conjunction(found[c], self.ctx) for c in self.system.loop_heads})

    def with_summaries(self, invariants: dict[int, z3.BoolRef]) -> dict[int, z3.BoolRef]:
        """Each procedure's return invariant states its summary, so that checking the invariants proves
        what the steps over calls assume."""
        return _with_summaries(self.unfolding, invariants, self.enc) if self.unfolding else invariants

    def bounded(self, depth: int) -> Result | str:
        problem, mode = bmc.exhaustive(self.system, depth, self.left(), ["int", "bv"])
        if problem is not None:
            return f"bounded proof not confirmed: {problem}"
        return self.result(Verdict.YES, certificate={
            "kind": "bounded exploration", "depth": depth, "invariants": [], "loops": [],
            "summary": f"every execution ends within {depth - 1} loop iterations, none with undefined behaviour; "
                       "re-checked from scratch",
            "checked_in": certificate.SEMANTICS[mode]})

    def ub_unreachable_with(self, found: dict[int, list[z3.BoolRef]]) -> bool:
        invariants = [certificate.make_invariant(self.system, c, conjunction(found[c], self.ctx))
                      for c in self.system.loop_heads]
        problem, _ = certificate.check(self.system, invariants, min(self.left(), 2.0))
        return problem is None

    def transitions(self, loop: set[int], invariants: dict[int, z3.BoolRef],
                    region: z3.BoolRef | None = None) -> list[Transition] | None:
        out = []
        for i, block in enumerate(self.system.blocks):
            if block.src not in loop or block.dst not in loop:
                continue
            pre, guard, updates = encode_block(self.system, self.enc, block)
            post = [self.enc.constant(v.name + "'", v.type) == t for v, t in updates.items()
                    if not isinstance(v.type, ArrayType)]
            ranges = [self.enc.in_range(t, v.type) for v, t in pre.items()]
            before, after = self.elements(block.src, pre), self.elements(block.dst, updates)
            post += [z3.Int(name, self.ctx) == t for name, t in before.items()]
            post += [z3.Int(name + "'", self.ctx) == t for name, t in after.items()]
            formula = z3.And(invariants[block.src], guard, *ranges, *post)
            if region is not None:  # only the steps that start and end in the region
                formula = z3.And(formula, region, _at(region, pre, updates))
            split = cubes(formula, self.left())
            if split is None:
                return None
            out += [Transition(i, j, block.src, block.dst, cube) for j, cube in enumerate(split)]
        return out

    def phases(self, loop: set[int], invariants: dict[int, z3.BoolRef]) -> Phases | None:
        """For a loop with one head: regions of its states, the cells of its own branch conditions,
        ordered so that no step goes back to an earlier one, each with a ranking of the steps that stay
        in it (while x != 0: x > 0 ? x-- : x++ runs down in x > 0 or up in x < 0, never both)."""
        if len(loop) != 1:
            return None
        [head] = loop
        pre = {v: self.enc.constant(v.name, v.type) for v in self.system.params[head]}
        names = {v.name for v in pre}
        steps, atoms = [], []
        for block in self.system.blocks:
            if block.src == head and block.dst == head:
                _, guard, updates = encode_block(self.system, self.enc, block)
                steps.append((guard, updates))
                atoms += [a for a in comparisons(guard) if set(constants(a)) <= names
                          and not any(a.eq(b) for b in atoms)]
        if not atoms:
            return None
        ranges = [self.enc.in_range(t, v.type) for v, t in pre.items()]

        def possible(*facts) -> bool:  # undecided counts as possible
            deadline = time.monotonic() + min(self.left(), 1.0)
            return _possible(self.ctx, deadline, invariants[head], *ranges, *facts) != z3.unsat

        cells = [z3.And(*[a if bit else z3.Not(a) for a, bit in zip(atoms[:3], bits)])
                 for bits in itertools.product([True, False], repeat=min(3, len(atoms)))]
        cells = [g for g in cells if any(possible(g, guard) for guard, _ in steps)]
        later = {i: {j for j in range(len(cells)) if j != i and any(
            possible(cells[i], guard, _at(cells[j], pre, updates)) for guard, updates in steps)}
            for i in range(len(cells))}
        order = _topological(later)
        if order is None:
            return None
        regions = []
        for i in order:
            transitions = self.transitions(loop, invariants, cells[i])
            if transitions is None:
                return None
            ranking = synthesise(transitions, {head: self.ranked_variables(head)}, self.left()) if transitions \
                else Ranking([], {})
            if ranking is None:
                return None
            regions.append((essential_cell(cells[i], self.ctx), ranking))
        return Phases(head, regions)

    def ranked_variables(self, c: int) -> list[str]:
        """A head's scalars, and the array elements `a[i]` the blocks leaving it read (i a scalar or a
        number): a loop may run down an element (while (a[k] >= 0) a[k]--)."""
        if c not in self.ranked:
            scalars = [v.name for v in self.system.params[c] if not isinstance(v.type, (ArrayType, BoolType))]
            self.ranked[c] = scalars + sorted({name for b in self.system.blocks if b.src == c
                                               for name in _elements_read(b, set(scalars))})
        return self.ranked[c]

    def elements(self, c: int, terms: dict[Var, z3.ExprRef]) -> dict[str, z3.ExprRef]:
        """The array elements ranked at head c, over `terms` (its variables' values)."""
        names = self.ranked_variables(c)
        env = _named(terms, names)
        return {name: env[name] for name in names if ELEMENT.fullmatch(name) and name in env}

    def line(self, c: int) -> int:
        return self.function.cfg.lines[c]

    def certificate(self, rankings: dict[int, Ranking | Multiphase | Phases],
                    invariants: list[certificate.Invariant], semantics: str) -> dict:
        loops = []
        for head, ranking in rankings.items():
            if isinstance(ranking, Phases):
                phases = [(certificate.make_invariant(self.system, head, g), r) for g, r in ranking.regions]
                loops.append({"line": self.line(head), "location": head,
                              "phases": [{"region": g.to_json(), **_ranking_json(r)} for g, r in phases],
                              "ranking_text": [f"in {g.text}: " + (" then ".join(
                                  f"({f.text()})" for level in r.levels for f in level.values()) or "no step stays")
                                  for g, r in phases]})
                continue
            if isinstance(ranking, Multiphase):
                loops.append({"line": self.line(head), "location": head,
                              "multiphase": [f.to_json() for f in ranking.phases],
                              "ranking_text": [f.text() for f in ranking.phases]})
                continue
            loops.append({
                "line": self.line(head), "location": head,
                **_ranking_json(ranking),
                "ranking_text": [" | ".join(f"line {self.line(c)}: {f.text()}" if len(level) > 1 else f.text()
                                            for c, f in level.items()) for level in ranking.levels],
            })
        kinds = {"multiphase" if isinstance(r, Multiphase) else "phased" if isinstance(r, Phases)
                 else "lexicographic" if len(r.levels) > 1 else "linear" for r in rankings.values()}
        kind = " and ".join(sorted(kinds))
        summary = "no loops: every execution leaves" if not loops else "; ".join(
            f"loop at line {loop['line']}: " + (
                "phases " + ", then ".join(f"({t})" for t in loop["ranking_text"]) if "multiphase" in loop else
                "regions in order: " + "; ".join(loop["ranking_text"]) if "phases" in loop else
                "ranking " + " then ".join(f"({t})" for t in loop["ranking_text"]) if loop["ranking_text"] else
                "no step can repeat")
            for loop in loops)
        out = {"kind": f"{kind} ranking functions" if loops else "no loop", "summary": summary,
               "loops": loops, "invariants": [inv.to_json() for inv in invariants], "checked_in": semantics}
        if self.unfolding is not None:
            facts = self.unfolding.summaries
            out["summaries"] = {name: [f.to_json() for f in fs] for name, fs in facts.items()}
            out["summary_text"] = {name: " and ".join(f.text() for f in _essential_facts(self.unfolding, name))
                                   or "nothing" for name in facts}
            out["summary"] = "recursion unfolded into loops over the procedures' entries; " + summary + "".join(
                f"; {name}() returns {text}" for name, text in out["summary_text"].items() if text != "nothing")
        return out

    # ------------------------------------------------------------------------------- non-termination

    def lasso(self, budget_s: float, max_depth: int) -> Result | str:
        """Unroll until a reachable loop-head state provably never leaves the loop."""
        if not self.loops:
            return ""
        deadline = min(self.deadline, time.monotonic() + budget_s)
        unroller = Unroller(self.system, "int")
        heads = {unroller.location_code[c]: c for loop in self.loops for c in loop}
        atoms = candidates(self.system, self.enc)
        while unroller.depth < max_depth and time.monotonic() < deadline:
            unroller.extend()
            k = unroller.depth
            # A repeated state: the same head, the same live values, at some earlier step j.
            repeats = {j: z3.Or(*[z3.And(unroller._pc(j) == code, unroller._pc(k) == code,
                                         *[unroller.steps[j][v] == unroller.steps[k][v]
                                           for v in self.system.params[c]])
                                  for code, c in heads.items()], unroller.ctx) for j in range(k)}
            unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
            if unroller.solver.check(z3.Or(*repeats.values(), unroller.ctx)) == z3.sat:
                model = unroller.solver.model()
                j = next(j for j, r in repeats.items() if z3.is_true(model.eval(r, model_completion=True)))
                return self.confirm_cycle(unroller.counterexample(), j, k)
            unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
            at_head = z3.Or(*[unroller._pc(k) == code for code in heads], unroller.ctx)
            if unroller.solver.check(at_head) != z3.sat:
                continue
            model = unroller.solver.model()
            c = heads[model.eval(unroller._pc(k)).as_long()]
            state = {v: _translate(model.eval(unroller.steps[k][v], model_completion=True), self.ctx)
                     for v in self.system.params[c]}
            recurrent = recurrent_set(self.system, self.enc, c, state, atoms.get(c, []),
                                      max(0.05, deadline - time.monotonic()))
            if recurrent is None:
                continue
            unroller.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
            inside = _into(recurrent, {v.name: unroller.steps[k][v] for v in self.system.params[c]}, unroller.ctx)
            if unroller.solver.check(z3.And(unroller._pc(k) == unroller.location_code[c], inside)) == z3.sat:
                return self.confirm_recurrent(unroller.counterexample(), c, recurrent)
        return f"no lasso found within {unroller.depth} loop iterations"

    def confirm_cycle(self, cex: Counterexample, j: int, k: int) -> Result | str:
        period = k - j

        def oracle(edge: int, step: int, stmt) -> int:
            if step >= k:
                step = j + (step - j) % period
            return cex.nondet.get((edge, step), 0)

        return self.confirm(cex, oracle, f"the state at step {j} comes back after {period} more "
                                         f"loop iteration{'s' if period > 1 else ''}, unchanged", {"cycle": [j, k]})

    def confirm_recurrent(self, cex: Counterexample, head: int, recurrent: z3.BoolRef) -> Result | str:
        from solomonic.reason.symbolic.printer import show_z3

        return self.confirm(cex, cex.oracle, f"it reaches the loop at line {self.line(head)} in a state "
                                             f"where {show_z3(recurrent)}, which every iteration keeps",
                            {"recurrent_set": {"line": self.line(head), "formula": show_z3(recurrent),
                                               "smt2": recurrent.sexpr()}})

    def confirm(self, cex: Counterexample, oracle, why: str, evidence: dict) -> Result | str:
        function = self.function
        inputs = {i.var: cex.inputs.get(i.var, 0) for i in function.inputs}
        if self.unfolding is not None:
            return self.confirm_recursion(inputs, oracle, cex.depth)
        blocks = cex.depth + STAY_BLOCKS
        trace = run(function, inputs, oracle, set(self.system.cutpoints), max_steps=100 * blocks + 10_000)
        if trace.outcome != "steps" or trace.cutpoints_passed < blocks:
            return f"a lasso was found but the interpreter left it ({trace.event or trace.outcome})"
        if function.language == "python":
            from solomonic.reason.replay.python import replay

            args = [bool(inputs[i.var]) if i.source_type == "bool" else inputs[i.var] for i in function.inputs]
            outcome = replay(function.file, function.name, args, PROPERTY, REPLAY_S)
        else:
            from solomonic.reason.replay.c import replay

            outcome = replay(function, inputs, trace, PROPERTY, REPLAY_S)
        shown = {i.display: inputs[i.var] for i in function.inputs}
        witness = {"inputs": shown, "why": why, **evidence,
                   "nondet": [{"origin": r.origin, "type": r.type, "value": r.value, "line": r.line}
                              for r in trace.reads],
                   "path_text": compress(trace.lines),
                   "replay": {"confirmed": outcome.confirmed, "observed": outcome.observed}}
        call = ", ".join(f"{n}={v}" for n, v in shown.items())
        if not outcome.confirmed:
            return f"a lasso was found but the real run did not confirm it ({outcome.observed})"
        return self.result(Verdict.NO, witness=witness, reproducer=outcome.reproducer,
                           reason=f"{function.name}({call}) never returns: {why}")


    def confirm_recursion(self, inputs: dict[Var, int], oracle, depth: int) -> Result | str:
        """The program's own run must repeat an activation; then C's real run must not return (its stack
        overflows, or it still runs), while Python's stops it with RecursionError: control returns."""
        program = self.unfolding.original
        trace = repeated_activation(self.unfolding, inputs, oracle, set(self.system.cutpoints),
                                    max_steps=100 * (depth + STAY_BLOCKS) + 100_000)
        if trace.outcome != "recursion":
            return f"a lasso through recursion was found but the program's calls did not repeat " \
                   f"({trace.event.message if trace.event else trace.outcome})"
        repeat = trace.repeat
        call = f"{repeat.callee}({', '.join(map(str, repeat.args))})"
        why = f"`{call}` calls itself again with the same arguments" + \
              (f", {repeat.depth} calls deeper" if repeat.depth > 1 else "")
        if len(trace.reads) > repeat.reads:
            why += ", reading the same values again"
        shown = {i.display: inputs[i.var] for i in program.inputs}
        if program.language == "python":
            return f"{why} (found by running it), but Python stops an unending recursion with RecursionError, " \
                   "which returns control to the caller"
        from solomonic.reason.replay.c import replay

        cycle = trace.reads[repeat.reads:]
        reads = trace.reads[:repeat.reads] + cycle * (RECURSION_VALUES // max(1, len(cycle)) if cycle else 0)
        outcome = replay(program, inputs, Trace(lines=trace.lines, reads=reads), PROPERTY, REPLAY_S, recursion=True)
        if not outcome.confirmed:
            return f"{why}, but the real run did not confirm it ({outcome.observed})"
        witness = {"inputs": shown, "why": why,
                   "repeated_call": {"function": repeat.callee, "arguments": list(repeat.args), "depth": repeat.depth},
                   "nondet": [{"origin": r.origin, "type": r.type, "value": r.value, "line": r.line}
                              for r in trace.reads],
                   "path_text": compress(trace.lines),
                   "replay": {"confirmed": outcome.confirmed, "observed": outcome.observed}}
        arguments = ", ".join(f"{n}={v}" for n, v in shown.items())
        return self.result(Verdict.NO, witness=witness, reproducer=outcome.reproducer,
                           reason=f"{program.name}({arguments}) never returns: {why}")


def check_certificate(function: Function, cert: dict, timeout_s: float) -> str | None:
    """Re-check a yes from its certificate alone (for `solomonic recheck`): None if it holds."""
    ub = UNDEFINED_BEHAVIOUR if function.language == "c" else set()
    invariants = [certificate.Invariant.from_json(d) for d in cert.get("invariants", [])]
    if function.procedures:
        if cert.get("kind") == "bounded exploration":
            return "a bounded exploration does not cover recursion"
        facts = {name: [Fact.from_json(f) for f in cert.get("summaries", {}).get(name, [])]
                 for name in function.procedures}
        unfolding = unfold(function, facts)
        system = build_system(unfolding.function, ub, observe=unfolding.observed)
        invariants = _stating_summaries(system, unfolding, invariants)
    else:
        system = build_system(function, ub)
    if cert.get("kind") == "bounded exploration":
        return bmc.exhaustive(system, int(cert["depth"]), timeout_s, ["bv", "int"])[0]
    loops = {min(loop): loop for loop in _loops(system)}
    if set(loops) != {int(loop["location"]) for loop in cert.get("loops", [])}:
        return "the certificate's loops are not the function's"
    problem, _ = certificate.check(system, invariants, timeout_s)
    if problem:
        return problem
    for loop in cert["loops"]:
        if "phases" in loop:
            regions = [(certificate.Invariant.from_json(p["region"]), _ranking_from_json(p)) for p in loop["phases"]]
            problem = check_regions(system, loops[int(loop["location"])], regions, invariants, timeout_s)
            if problem:
                return problem
            continue
        if "multiphase" in loop:
            phases = [LinearFunction.from_json(f) for f in loop["multiphase"]]
            head = int(loop["location"])
            problem = check_multiphase(system, loops[head], Multiphase(head, phases), invariants, timeout_s)
            if problem:
                return problem
            continue
        problem = check_ranking(system, loops[int(loop["location"])], _ranking_from_json(loop), invariants, timeout_s)
        if problem:
            return problem
    return None


# ------------------------------------------------------------------------------------ building blocks


def _candidates(system: TransitionSystem, enc: Encoder, unfolding: Unfolding | None) -> dict[int, list[z3.BoolRef]]:
    """Candidate invariant atoms; at each procedure's return, its summary's facts first."""
    atoms = candidates(system, enc)
    for name, loc in (unfolding.returns if unfolding else {}).items():
        atoms[loc] = summary_atoms(unfolding, name, enc) + atoms[loc]
    return atoms


def _with_summaries(unfolding: Unfolding, invariants: dict[int, z3.BoolRef], enc: Encoder) -> dict[int, z3.BoolRef]:
    out = dict(invariants)
    for name, loc in unfolding.returns.items():
        out[loc] = z3.And(out.get(loc, z3.BoolVal(True, enc.ctx)), *summary_atoms(unfolding, name, enc))
    return out


def _stating_summaries(system: TransitionSystem, unfolding: Unfolding,
                       invariants: list[certificate.Invariant]) -> list[certificate.Invariant]:
    """The certificate's invariants, each procedure's return conjoined with the summary the unfolding
    assumes (a certificate cannot assume a summary without proving it)."""
    ctx = z3.Context()
    parsed = {inv.location: certificate.parse_invariant(inv, ctx)[0] for inv in invariants}
    stated = _with_summaries(unfolding, parsed, Encoder("int", ctx))
    return [certificate.make_invariant(system, loc, f) for loc, f in stated.items()]


def _loops(system: TransitionSystem) -> list[set[int]]:
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


def recurrent_set(system: TransitionSystem, enc: Encoder, head: int, state: dict[Var, z3.ExprRef],
                  atoms: list[z3.BoolRef], timeout_s: float) -> z3.BoolRef | None:
    """A closed recurrent set at `head` containing `state`: a conjunction of the atoms (or their
    negations) true there, such that from it every block stays at `head` and keeps it, and some block
    is always enabled. None if none is found."""
    ctx = enc.ctx
    deadline = time.monotonic() + timeout_s
    values = [(enc.constant(v.name, v.type), _translate(t, ctx)) for v, t in state.items()]
    literals = []
    for a in atoms:
        truth = z3.simplify(z3.substitute(a, *values)) if values else z3.simplify(a)
        literals.append(a if z3.is_true(truth) else z3.Not(a))
    blocks = [b for b in system.blocks if b.src == head]
    nd: dict[Var, z3.ExprRef] = {n: enc.constant(n.name, n.type) for b in blocks for n in b.nondets}
    pre = {v: enc.constant(v.name, v.type) for v in system.params[head]}
    ranges = [enc.in_range(t, v.type) for v, t in pre.items()] + [enc.in_range(t, n.type) for n, t in nd.items()]
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
    s.add(*literals, *[z3.Not(g) for _, g, _ in encoded])
    if s.check() != z3.unsat:
        return None
    return conjunction(essential(literals, ctx), ctx)


@dataclass
class _Step:
    """A block inside a loop, encoded exactly (int encoding) in a checker's own context."""

    index: int
    block: Block
    pre: dict[Var, z3.ExprRef]
    updates: dict[Var, z3.ExprRef]
    facts: list[z3.BoolRef]  # what holds when it is taken: the source invariant, its guard, type ranges

    def where(self, system: TransitionSystem) -> str:
        return f"on the path from the loop at line {system.function.cfg.lines[self.block.src]}"


def _steps(system: TransitionSystem, loop: set[int], invariants: list[certificate.Invariant],
           enc: Encoder) -> Iterator[_Step]:
    parsed = {inv.location: certificate.parse_invariant(inv, enc.ctx) for inv in invariants}
    for i, block in enumerate(system.blocks):
        if block.src not in loop or block.dst not in loop:
            continue
        pre, guard, updates = encode_block(system, enc, block)
        formula, consts = parsed[block.src]
        pairs = [(consts[v.name], pre[v]) for v in system.params[block.src] if v.name in consts]
        invariant = z3.substitute(formula, *pairs) if pairs else formula
        yield _Step(i, block, pre, updates, [invariant, guard, *[enc.in_range(t, v.type) for v, t in pre.items()]])


def _possible(ctx: z3.Context, deadline: float, *facts: z3.BoolRef) -> z3.CheckSatResult:
    s = z3.Solver(ctx=ctx)
    s.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
    s.add(*facts)
    return s.check()


def _problem(status: z3.CheckSatResult, step: _Step, system: TransitionSystem) -> str | None:
    if status == z3.unsat:
        return None
    return f"{'fails' if status == z3.sat else 'undecided'} {step.where(system)}"


def check_ranking(system: TransitionSystem, loop: set[int], ranking: Ranking,
                  invariants: list[certificate.Invariant], timeout_s: float,
                  region: certificate.Invariant | None = None) -> str | None:
    """Independent check in a fresh context, against each block's exact formula (int encoding): every
    step decreases lexicographically, at one of the levels the block claims: the ranking there is
    non-negative and drops by the claimed amount, and at the levels before it does not grow. With a
    region, only the steps that start and end in it."""
    ctx = z3.Context()
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        src, dst = step.block.src, step.block.dst
        before = [_apply(level[src], step.pre, ctx) for level in ranking.levels]
        after = [_apply(level[dst], step.updates, ctx) for level in ranking.levels]
        options = [z3.And(*[before[j] >= after[j] for j in range(k)], before[k] >= 0,
                          before[k] - after[k] >= rational(drop, ctx))
                   for k, drop in sorted(ranking.decreases.get(step.index, {}).items())]  # none: infeasible
        inside = [_holds(region, step.pre, ctx), _holds(region, step.updates, ctx)] if region is not None else []
        problem = _problem(_possible(ctx, deadline, *step.facts, *inside, z3.Not(z3.Or(*options, ctx))), step, system)
        if problem:
            return problem
    return None


def check_multiphase(system: TransitionSystem, loop: set[int], found: Multiphase,
                     invariants: list[certificate.Invariant], timeout_s: float) -> str | None:
    """Independent check of a multiphase ranking against each block's exact formula (int encoding)."""
    ctx = z3.Context()
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        if step.block.src != found.head or step.block.dst != found.head:
            return "a multiphase ranking is for a loop with one head"
        before = [_apply(f, step.pre, ctx) for f in found.phases]
        after = [_apply(f, step.updates, ctx) for f in found.phases]
        goals = [before[0] - after[0] >= 1, before[-1] >= 0]
        goals += [before[i] - after[i] + before[i - 1] >= 1 for i in range(1, len(found.phases))]
        problem = _problem(_possible(ctx, deadline, *step.facts, z3.Not(z3.And(*goals))), step, system)
        if problem:
            return problem
    return None


def check_regions(system: TransitionSystem, loop: set[int], regions: list[tuple[certificate.Invariant, Ranking]],
                  invariants: list[certificate.Invariant], timeout_s: float) -> str | None:
    """Independent check of a phased argument: every step of the loop starts in some region, no step
    goes back to an earlier region, and within each region a ranking holds."""
    ctx = z3.Context()
    deadline = time.monotonic() + timeout_s
    for step in _steps(system, loop, invariants, Encoder("int", ctx)):
        if step.block.src != step.block.dst:
            return "phases are for a loop with one head"
        queries = [("a step starts outside every region",
                    z3.Not(z3.Or(*[_holds(r, step.pre, ctx) for r, _ in regions], ctx)))]
        queries += [(f"a step goes back from region {a + 1} to region {b + 1}",
                     z3.And(_holds(regions[a][0], step.pre, ctx), _holds(regions[b][0], step.updates, ctx)))
                    for a in range(len(regions)) for b in range(a)]
        for what, query in queries:
            if _possible(ctx, deadline, *step.facts, query) != z3.unsat:
                return f"{what} {step.where(system)}"
    for region, ranking in regions:
        problem = check_ranking(system, loop, ranking, invariants, max(0.05, deadline - time.monotonic()), region)
        if problem:
            return f"in the region {region.text}: {problem}"
    return None


def _ranking_json(r: Ranking) -> dict:
    return {"ranking": [{str(c): f.to_json() for c, f in level.items()} for level in r.levels],
            "decreases": {str(i): {str(k): str(d) for k, d in by_level.items()} for i, by_level in r.decreases.items()}}


def _ranking_from_json(d: dict) -> Ranking:
    return Ranking([{int(c): LinearFunction.from_json(f) for c, f in level.items()} for level in d["ranking"]],
                   {int(b): {int(k): Fraction(x) for k, x in by_level.items()} for b, by_level in d["decreases"].items()})


def _at(region: z3.BoolRef, pre: dict[Var, z3.ExprRef], updates: dict[Var, z3.ExprRef]) -> z3.BoolRef:
    """A formula over a head's variables, after a step: at the step's new values."""
    pairs = [(pre[v], updates[v]) for v in pre if v in updates]
    return z3.substitute(region, *pairs) if pairs else region


def _topological(later: dict[int, set[int]]) -> list[int] | None:
    """An order in which every edge goes forward, or None if the edges make a cycle."""
    order, state = [], {}

    def visit(i: int) -> bool:
        if state.get(i) == 1:
            return False
        if state.get(i) == 2:
            return True
        state[i] = 1
        if not all(visit(j) for j in later[i]):
            return False
        state[i] = 2
        order.append(i)
        return True

    if not all(visit(i) for i in sorted(later)):
        return None
    return order[::-1]


def essential_cell(cell: z3.BoolRef, ctx: z3.Context) -> z3.BoolRef:
    return conjunction(essential(list(cell.children()) if z3.is_and(cell) else [cell], ctx), ctx)


def _holds(region: certificate.Invariant, env: dict[Var, z3.ExprRef], ctx: z3.Context) -> z3.BoolRef:
    """The region's formula (over a head's variables by name) at the state `env` gives."""
    formula, consts = certificate.parse_invariant(region, ctx)
    pairs = [(consts[v.name], t) for v, t in env.items() if v.name in consts]
    return z3.substitute(formula, *pairs) if pairs else formula


def _apply(f: LinearFunction, terms: dict[Var, z3.ExprRef], ctx: z3.Context) -> z3.ArithRef:
    env = _named(terms, f.coeffs)
    summands = [rational(a, ctx) * z3.ToReal(env[name]) for name, a in f.coeffs.items() if a]
    return z3.Sum([*summands, rational(f.constant, ctx)])


def _named(terms: dict[Var, z3.ExprRef], names) -> dict[str, z3.ExprRef]:
    """Terms by the names a ranking uses: a head's variables, and array elements `a[i]` (i a variable
    or a number) over them."""
    env = {v.name: t for v, t in terms.items()}
    for name in names:
        element = ELEMENT.fullmatch(name)
        if name in env or element is None or element[1] not in env or not z3.is_array(env[element[1]]):
            continue
        array, index = env[element[1]], element[2]
        at = env[index] if index in env else z3.IntVal(int(index), array.ctx) if NUMBER.fullmatch(index) else None
        if at is not None:
            env[name] = _read(array, at)
    return env


def _read(array: z3.ExprRef, index: z3.ExprRef) -> z3.ExprRef:
    """array[index], with reads pushed through the branches and stores of a block's array update, so
    that a step's new element is a term of the old ones (a[k] - 1 after a[k]--), not a fresh value."""
    if z3.is_app_of(array, z3.Z3_OP_ITE):
        return z3.If(array.arg(0), _read(array.arg(1), index), _read(array.arg(2), index))
    if z3.is_app_of(index, z3.Z3_OP_ITE):
        return z3.If(index.arg(0), _read(array, index.arg(1)), _read(array, index.arg(2)))
    if z3.is_store(array):
        same = z3.simplify(array.arg(1) == index)
        if z3.is_true(same):
            return array.arg(2)
        rest = _read(array.arg(0), index)
        return rest if z3.is_false(same) else z3.If(same, array.arg(2), rest)
    return z3.Select(array, index)


def _elements_read(block: Block, scalars: set[str]) -> set[str]:
    """Names `a[i]` of the elements a block's guard reads with a scalar or a constant index."""
    found, stack = set(), [block.guard]
    while stack:
        e = stack.pop()
        if isinstance(e, App):
            if e.op == "select" and isinstance(e.args[0], Var):
                index = e.args[1]
                while isinstance(index, App) and index.op == "cast":  # a widening: the same number
                    index = index.args[0]
                if isinstance(index, Const):
                    found.add(f"{e.args[0].name}[{index.value}]")
                elif isinstance(index, Var) and index.name in scalars:
                    found.add(f"{e.args[0].name}[{index.name}]")
            stack.extend(e.args)
    return found


def _translate(f: z3.ExprRef, ctx: z3.Context) -> z3.ExprRef:
    return f if f.ctx == ctx else f.translate(ctx)


def _into(formula: z3.BoolRef, env: dict[str, z3.ExprRef], ctx: z3.Context) -> z3.BoolRef:
    """The formula (over head variables by name, in its own context) over the terms of `env`."""
    f = _translate(formula, ctx)
    pairs = [(z3.Int(name, ctx), t) for name, t in env.items() if t.sort().kind() == z3.Z3_INT_SORT]
    pairs += [(z3.Bool(name, ctx), t) for name, t in env.items() if t.sort().kind() == z3.Z3_BOOL_SORT]
    return z3.substitute(f, *pairs) if pairs else f
