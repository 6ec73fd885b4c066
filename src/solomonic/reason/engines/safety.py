"""Safety: can an error event (a failed assertion, undefined behaviour, a false return) be reached?

Two engines work at once, each on a core: bounded model checking unrolls the loops (shallow
counterexamples; proofs for bounded programs, once every execution is exhausted) while Spacer, in a
thread, looks for inductive invariants. The first decisive answer wins; if Spacer finds the property
violated, unrolling to the depth it reports gives the concrete inputs. Nothing is reported unconfirmed: a proof's invariants are re-checked from scratch
(`certify/certificate.py`), a counterexample is run through the interpreter and then replayed for real
(Python in a subprocess, C compiled with sanitizers). Whatever cannot be confirmed is unknown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import z3

from solomonic.reason.certify import certificate
from solomonic.reason.engines import bmc, concrete, execution, spacer
from solomonic.reason.engines.array_facts import array_candidates, with_array_facts
from solomonic.reason.engines.entry_facts import with_entry_bounds
from solomonic.reason.engines.houdini import candidates, converts, encode_block, houdini, split
from solomonic.reason.engines.random_runs import violation
from solomonic.reason.engines.sampled import Observed, congruences, equalities, nonlinear, observed
from solomonic.reason.engines.termination.loops import find_loops
from solomonic.reason.engines.termination.recursion import CHOSEN_BY_UNFOLDING, SUMMARY_BROKEN, Fact, unfold
from solomonic.reason.ir import LENGTH, Function
from solomonic.reason.ir.evaluate import default_value
from solomonic.reason.ir.interpret import Trace, compress, run
from solomonic.reason.replay import replay_record, shown_inputs, shown_reads
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.system import BAD, POISON, TransitionSystem, build_system

if TYPE_CHECKING:
    from solomonic.reason.replay.c import Replay as ReplayC
    from solomonic.reason.replay.python import Replay as ReplayPython

FIRST_SLICE_S = 0.5  # doubled each time a query at the same depth runs out of it
CONFIRM_S = 1.5  # past the deadline, to confirm an answer found just before it (see isolate.GRACE_S)
SUMMARY_MIN_S = 1.0  # time left that is worth finding summaries for a recursion the plain unfolding left open
# for Houdini, and again for checking the proof, where polynomial equalities are tried (sampled.py): a
# small share of the question's time, which the other engines get back when the equalities do not prove it
SAMPLED_SHARE, SAMPLED_MAX_S = 0.15, 2.0
PLAIN_SHARE = 0.4  # of a recursion's time, for the unfolding that assumes nothing of a call's result
SUMMARY_SHARE = 0.5  # of the time left, for finding them (Houdini's rounds; weaker summaries leave the question open)
# once a question has not been decided this long (most are decided sooner, and pay nothing for them):
# random runs (random_runs.py), for a share of the question's time, at most RANDOM_RUNS_MAX_S; then a proof
# from the program's own facts and its loops' entry bounds (`facts_proof`), at most FACTS_MAX_S
OPEN_FOR_S, RANDOM_RUNS_SHARE, RANDOM_RUNS_MAX_S, FACTS_SHARE, FACTS_MAX_S = 1.0, 0.1, 1.0, 0.5, 5.0
MAX_PATH = 5000  # a witness's path keeps its first and last this many lines (a run may take millions of steps)


@dataclass
class Options:
    timeout_s: float = 10.0
    replay_timeout_s: float = 10.0
    # a proposer's candidate invariants (SMT-LIB terms) by loop head: Houdini's candidates in a termination
    # proof, Spacer's first lemmas where Houdini keeps them (seeds.py)
    proposals: dict[int, list[str]] = field(default_factory=dict)
    # the proof from the program's own facts and entry bounds (`facts_proof`): off for a caller that has
    # tried those facts already (the termination proof, before it asks whether undefined behaviour is reachable)
    facts_proof: bool = True


def analyse(function: Function, prop: str, options: Options) -> Result:
    """Whether no execution of `function` reaches an error event of `prop` (not "terminates").

    A function with recursive procedures is analysed as its unfolding (`call_free`), which reaches every
    error the program reaches: a proof of it is a proof of the program, and a counterexample, which may
    assume a result no call returns, stands only on a real run (the replay), as every counterexample does."""
    start = time.monotonic()
    result = concrete.around(function, prop, options.timeout_s,
                              _Analysis(function, prop, options, start + options.timeout_s).one_execution,
                              lambda seconds: _searched(function, prop, replace(options, timeout_s=seconds)))
    result.seconds = round(time.monotonic() - start, 4)
    return result


def _searched(function: Function, prop: str, options: Options) -> Result:
    """The engines' answer: Spacer and the unrolling, random runs and the facts proof (`_Analysis`), over
    the unfolding of a recursion and then with its summaries."""
    start = time.monotonic()
    deadline = start + options.timeout_s
    # a recursion keeps time for its summaries: without them a loop over a call's result may run the
    # unrolling into the deadline (rec_counter1: `while (res > 0) res--` on any result)
    plain = replace(options, timeout_s=PLAIN_SHARE * options.timeout_s) if function.procedures else options
    result = _Analysis(call_free(function), prop, plain, start + plain.timeout_s).run()
    if function.procedures and result.verdict == Verdict.UNKNOWN and deadline - time.monotonic() > SUMMARY_MIN_S:
        result = _with_summaries(function, prop, options, deadline) or result
    elif function.procedures and result.certificate is not None:
        result.certificate["summary"] += ("; the recursion unfolded: each call either descends into its "
                                          "callee or returns any value")
    return result


def _with_summaries(function: Function, prop: str, options: Options, deadline: float) -> Result | None:
    """Where the unfolding that assumes nothing of a call's result leaves the question open (an overflow
    on a result no call returns, `n * fact(n - 1)`): the procedures' summaries (termination/summaries.py,
    Houdini's facts at their returns) assumed at each step over a call, and proved in the same analysis,
    a return that breaks its summary being an error of its own. None if there are none, or no answer."""
    from solomonic.reason.engines.termination.summaries import essential_facts, summarised

    now = time.monotonic()
    unfolding = summarised(function, now + SUMMARY_SHARE * (deadline - now))
    # less the facts the others imply: the same summaries (and graph), as a person would write them
    facts = {name: essential for name in unfolding.summaries if (essential := essential_facts(unfolding, name))}
    if not facts:
        return None
    result = _Analysis(call_free(function, facts), prop, options, deadline).run()
    if result.verdict == Verdict.UNKNOWN:
        return None
    if result.certificate is not None:
        assumed = "; ".join(f"{name}() returns {' and '.join(f.text() for f in fs)}" for name, fs in sorted(facts.items()))
        result.certificate["summary"] += (f"; the recursion unfolded, each call either descending into its callee "
                                          f"or returning a result its summary allows, proved at every return: {assumed}")
        result.certificate["summaries"] = {name: [f.to_json() for f in fs] for name, fs in facts.items()}
    return result


def call_free(function: Function, summaries: dict[str, list[Fact]] | None = None) -> Function:
    """`function` itself, or where it has recursive procedures their unfolding whose steps over a call
    assume nothing of its result (recursion.py). Every execution's prefix up to an error is a path of the
    unfolding: the calls it has made that returned are steps over them (the result any value; a procedure
    touches no global and no memory, so nothing else of the caller changes), and the activation the error
    happens in is reached by descending through the calls still running. So no error reachable in the
    program is unreachable in the unfolding. The unfolding's locations are the same each time it is built:
    a certificate names them, and the re-check (evidence.py) builds it again.

    With `summaries`, a step over a call assumes its callee's, and a return that breaks its own is an
    error (`SUMMARY_BROKEN`): proved unreachable with the rest, the summaries hold of every activation
    that returns (by induction on the order of the returns), so the unfolding still reaches every error."""
    if not function.procedures:
        return function
    return unfold(function, summaries or {}, check_summaries=True).function


def error_kinds(prop: str) -> set[str]:
    """The events that violate `prop` in a safety analysis's graph: the property's own, and a return that
    breaks its summary (only a graph that checks summaries has one: `call_free`)."""
    return PROPERTY_ERRORS[prop] | {SUMMARY_BROKEN}


class _Analysis:
    def __init__(self, function: Function, prop: str, options: Options, deadline: float):
        self.function = function
        self.prop = prop
        self.options = options
        self.deadline = deadline
        self.error_kinds = error_kinds(prop)
        self.poison_kinds = UNDEFINED_BEHAVIOUR - self.error_kinds if function.language == "c" else set()
        self.system: TransitionSystem | None = None
        self.unroller: bmc.Unroller | None = None
        self.checked_depth = 0  # every depth up to this one: BAD (and POISON) unreachable
        self.undecided = ""  # why the solver could not decide the next depth, if it could not
        self.slice_s = FIRST_SLICE_S  # a query's time before Spacer's progress is looked at again
        self.poison_example: str | None = None  # undefined behaviour seen on some path
        self._runs: Observed | None = None  # the loop heads' states over sampled.py's runs, made once
        # a C pointer parameter's number of elements: a witness's arrays as short as its failure allows
        self.lengths = {i.var for i in function.inputs if i.kind == LENGTH}

    def result(self, verdict: Verdict, **kw) -> Result:
        f = self.function
        return Result(f.file, f.name, self.prop, verdict, line=f.line, language=f.language, **kw)

    def run(self) -> Result:
        kinds = {ev.kind for ev in self.function.cfg.events.values()}
        if not kinds & (self.error_kinds | self.poison_kinds):
            return self.result(Verdict.YES, certificate={
                "kind": "no failure point",
                "summary": f"{self.function.name} contains no operation that could violate {self.prop}",
                "invariants": []})
        self.system = build_system(self.function, self.error_kinds, self.poison_kinds)
        polynomial = self.sampled_proof(self.system)
        if polynomial is not None:
            return polynomial
        self.unroller = bmc.Unroller(self.system)
        # no-overflow: the program's own comparisons bound what overflows, and Houdini's facts from them took
        # five string walks from past 10 s to 2 s; for assertions Spacer alone did as well or better
        # (docs/benchmarks.md, "Spacer seeded with Houdini's facts")
        race = spacer.Race(self.system, bool(self.poison_kinds), self.deadline, seed=self.prop == "no-overflow",
                           proposals=self.options.proposals)
        try:
            result = self.explore(race)
        finally:
            race.cancel()
        if race.proposals_used is not None and result.verdict == Verdict.YES and \
                (result.certificate or {}).get("kind") == "inductive invariants":
            result.details = {**result.details, "proposals": race.proposals_used}
        return result

    def one_execution(self, trace: Trace) -> Result | None:
        """The answer a closed function's run to its end gives (execution.py): one of the property's
        errors confirmed as any counterexample, else execution.answer's (None: no real run to confirm it)."""
        if execution.ending(trace) in self.error_kinds:
            return self.confirm_failure({}, trace)
        return execution.answer(self.function, self.prop, trace, self.replay_budget())

    def runs(self) -> Observed:
        """The loop heads' states over sampled.py's random runs: the equalities and congruences of the
        sampled proof and of both rounds of the facts proof are all read off these, run once."""
        if self._runs is None:
            assert self.system is not None
            self._runs = observed(self.function, self.system)
        return self._runs

    def sampled_proof(self, system: TransitionSystem) -> Result | None:
        """Where concrete runs show polynomial equalities at the loop heads (sampled.py), those Houdini
        finds inductive with the program's own atoms may prove the property by themselves: Spacer's
        lemmas are linear. Tried where an error's guard multiplies variables (whose own atoms may be the
        invariant, beyond the runs' degree 2: ps4's `4*x == y*y*y*y + 2*y*y*y + y*y`), and for no-overflow
        wherever the runs show an equality that is not linear (`x + y` cannot overflow only because y
        is `3*n*n + 3*n + 1` of a counter n the input bounds: the termination proof's question on
        nla-style loops; sampled.equalities leaves out the products of linear ones, which say nothing
        new). None unless they prove it, re-checked."""
        if not system.loop_heads:
            return None
        enc = Encoder("int", z3.Context())
        guarded = any(block.dst == BAD and nonlinear(encode_block(system, enc, block)[1]) for block in system.blocks)
        if self.prop != "no-overflow" and not guarded:
            return None
        found = equalities(self.runs(), enc)
        if not guarded and not any(nonlinear(fact) for facts in found.values() for fact in facts):
            return None
        atoms = candidates(system, enc)
        for head, facts in found.items():
            atoms[head] = [*facts, *atoms.get(head, [])]
        budget = min(SAMPLED_MAX_S, SAMPLED_SHARE * self.options.timeout_s, _left(self.deadline))
        kept = houdini(system, enc, atoms, budget)
        if kept is None:
            return None
        # where a product survived Houdini, its check is a proof more often than not, and the slowest
        # part: twice the share (cohen's division: 0.7 s alone, 1.4 s at a load of 7 on 2 cores)
        products = {fact.sexpr() for facts in found.values() for fact in facts if nonlinear(fact)}
        inductive = any(fact.sexpr() in products for facts in kept.values() for fact in facts)
        return self.proved_by(kept, enc, min(2 * budget if inductive else budget, _left(self.deadline)))

    def explore(self, race: spacer.Race) -> Result:
        """Unroll while Spacer searches for invariants, with a burst of random runs and a proof from the
        program's own facts once the question has been open a while; the first decisive answer is
        confirmed."""
        open_at, tried = time.monotonic() + OPEN_FOR_S, False
        while time.monotonic() < self.deadline:
            if race.decisive:
                return self.conclude(race.outcome)
            if not tried and time.monotonic() >= open_at:
                tried = True
                found = self.random_runs() or (self.facts_proof() if self.options.facts_proof else None)
                if found is not None:
                    return found
            answer = self.unroll_one()
            if isinstance(answer, Result):
                return answer
            if answer == "stuck" and not race.decisive:
                race.poll(timeout=_left(self.deadline))  # unrolling cannot go on: Spacer is the hope
                if not race.decisive:
                    break
        if race.decisive:
            return self.conclude(race.outcome)
        if self.poison_example:
            return self.result(Verdict.UNKNOWN, reason=f"possible undefined behaviour {self.poison_example}: "
                                                         "the property cannot be decided past it")
        depth = self.checked_depth - 1
        reason = race.outcome[1] if race.outcome else ""
        if time.monotonic() >= self.deadline:
            why = f"timeout after {self.options.timeout_s:g} s"
        elif reason in ("", "ok", "unknown"):
            why = "Spacer found no invariant"
        else:
            why = f"Spacer gave up ({reason})"
        searched = f"no counterexample within {depth} loop iterations" if depth > 0 else "no counterexample found"
        if self.undecided:
            searched += f"; the solver could not decide the next unrolling ({self.undecided})"
        return self.result(Verdict.UNKNOWN, reason=f"{why}; {searched}")

    def random_runs(self) -> Result | None:
        """A no from a random run that reaches an error (random_runs.py), confirmed as any other
        counterexample; None if none does in its time, or the replay does not confirm it."""
        assert self.system is not None
        budget = min(RANDOM_RUNS_MAX_S, RANDOM_RUNS_SHARE * self.options.timeout_s, _left(self.deadline))
        cex = violation(self.function, self.error_kinds, set(self.system.cutpoints), budget,
                        unreal=CHOSEN_BY_UNFOLDING)
        if cex is None:
            return None
        refuted = self.refute(cex)
        return refuted if refuted.verdict == Verdict.NO else None

    def facts_proof(self) -> Result | None:
        """A yes from the program's own facts: Houdini's inductive subset of its comparisons and of the
        congruences and equalities its runs show (sampled.py: a counter stepping by 8 from 5; k == i for
        two counters that step together, which no comparison states), with the
        bounds that hold where each loop is entered (entry_facts.py), where that already excludes every
        error, re-checked. Spacer refines towards such facts from the errors backwards, at times past
        the deadline (trex01-2: `z - 1` safe only by z - x >= 1 - 10^6, which the octagonal bounds give at
        once). Where they do not, the same again with each fact on each side of a condition no
        iteration changes and those facts leave open (`split`). None otherwise."""
        system = self.system
        assert system is not None
        if not system.loop_heads:
            return None
        budget = min(FACTS_MAX_S, FACTS_SHARE * self.options.timeout_s, _left(self.deadline))
        deadline = time.monotonic() + budget
        enc = Encoder("int", z3.Context())
        atoms = candidates(system, enc)
        for head, facts in congruences(self.runs(), enc).items():
            atoms[head] = [*atoms.get(head, []), *facts]
        for head, facts in equalities(self.runs(), enc, degree=1).items():  # products: sampled_proof
            atoms[head] = [*facts, *atoms.get(head, [])]
        found = houdini(system, enc, atoms, _left(deadline) / 4)
        if found is None:
            return None
        cells = array_candidates(system, enc)  # what the loops keep of an array's cells (array_facts.py)
        # first beside Houdini's facts alone: an init-then-check needs no entry bounds, which cost seconds
        proved = self.proved_by(with_array_facts(system, enc, found, cells, _left(deadline) / 2), enc,
                                _left(deadline) / 2) if cells else None
        if proved is not None:
            return proved
        found = with_entry_bounds(system, enc, find_loops(system), found, _left(deadline) / 3, _left(deadline) / 3)
        proved = self.proved_by(found, enc, _left(deadline) / (2 if cells else 1))
        if proved is None and cells:
            proved = self.proved_by(with_array_facts(system, enc, found, cells, _left(deadline) / 2), enc,
                                    _left(deadline))
        cases = {} if proved is not None else split(system, enc, found)
        if not cases:
            return proved
        deadline = min(self.deadline, time.monotonic() + budget / 2)  # the second round's own, shorter
        for head, conditions in cases.items():  # each candidate on each side of the condition
            atoms[head] = [*found[head], *atoms[head], *(z3.Implies(side, a) for case in conditions
                                                         for side in (case, z3.Not(case)) for a in atoms[head])]
        for head, facts in [*congruences(self.runs(), enc, cases=cases).items(),
                            *equalities(self.runs(), enc, cases=cases).items()]:
            atoms[head] = [*atoms.get(head, []), *facts]
        again = houdini(system, enc, atoms, _left(deadline) / 2)
        return None if again is None else self.proved_by(again, enc, _left(deadline))

    def proved_by(self, facts: dict[int, list[z3.BoolRef]], enc: Encoder, timeout_s: float) -> Result | None:
        """The yes that `facts` give as the invariants at the loop heads (their conjunction, over `enc`'s
        constants), where certificate.check confirms them within `timeout_s`; None otherwise."""
        system = self.system
        assert system is not None
        invariants = [certificate.make_invariant(system, head, z3.And(*facts[head], enc.ctx) if facts.get(head)
                                                 else z3.BoolVal(True, enc.ctx))
                      for head in system.loop_heads]
        problem, semantics = certificate.check(system, invariants, timeout_s)
        return self.proved(invariants, semantics) if problem is None else None

    def conclude(self, outcome: tuple[str, object]) -> Result:
        kind, value = outcome
        if kind == "safe":
            return self.certify(value)  # type: ignore[arg-type]
        if kind == "violation":
            return self.refute_at(value)
        return self.undefined_behaviour(value)

    def unroll_one(self) -> Result | str | None:
        """One more depth of unrolling: a confirmed counterexample or a bounded proof ends the analysis;
        "stuck" when the solver cannot decide this depth. A depth counts as checked only when its
        queries came back unsat; an undecided one is retried, never skipped (a bounded proof needs
        every depth below it)."""
        u = self.unroller
        if u.depth == self.checked_depth:
            u.extend()
            self.slice_s = FIRST_SLICE_S
        for target in (BAD, POISON):
            if target == POISON and (not self.poison_kinds or self.poison_example is not None):
                continue
            result = u.reaches(target, min(self.slice_s, _left(self.deadline)))
            if result == z3.sat and target == BAD:
                return self.refute(u.small_counterexample(BAD, min(self.slice_s, _left(self.deadline)), self.lengths))
            if result == z3.sat:
                self.poison_example = self.describe_poison(u.small_counterexample(
                    POISON, min(self.slice_s, _left(self.deadline)), self.lengths))
            elif result != z3.unsat:
                reason = _unwrap(u.solver.reason_unknown())
                if reason in ("timeout", "canceled"):  # out of this slice: retry with a longer one
                    self.slice_s *= 2
                    return None
                self.undecided = reason
                return "stuck"
        self.undecided = ""
        self.checked_depth = u.depth
        if u.exhausted(min(self.slice_s, _left(self.deadline))) == z3.unsat:
            return self.bounded_proof(u.depth)
        return None

    def bounded_proof(self, depth: int) -> Result:
        if self.poison_example is not None:
            return self.result(Verdict.UNKNOWN, reason=f"possible undefined behaviour {self.poison_example}: "
                                                         "the property cannot be decided past it")
        system = self.system
        assert system is not None
        # C: first the integer encoding, independent of the bit-vector one that found the proof, unless it
        # converts to bit-vectors, where it decides little
        modes = ["int"] if self.function.language != "c" else \
            ["bv", "int"] if converts(system, Encoder("int", z3.Context())) else ["int", "bv"]
        problem, mode = bmc.exhaustive(system, depth, _left(self.deadline) + CONFIRM_S, modes)
        if problem is not None:
            return self.result(Verdict.UNKNOWN, reason=f"bounded proof not confirmed: {problem}")
        iterations = depth - 1
        extent = f"every execution ends within {iterations} loop iteration{'s' * (iterations != 1)}; all " \
            if self.system.loop_heads else "no loops: every path "
        return self.result(Verdict.YES, certificate={
            "kind": "bounded exploration",
            "summary": f"{extent}checked, none fails; re-checked from scratch",
            "checked": f"{certificate.SEMANTICS[mode]} semantics",
            "depth": depth,
            "invariants": []})

    def certify(self, invariants: list[certificate.Invariant]) -> Result:
        system = self.system
        problem, semantics = certificate.check(system, invariants, _left(self.deadline) + CONFIRM_S)
        if problem is not None:
            return self.result(Verdict.UNKNOWN, reason=f"proof not confirmed: {problem}")
        return self.proved(invariants, semantics)

    def proved(self, invariants: list[certificate.Invariant], semantics: str) -> Result:
        """The yes that `invariants`, re-checked under `semantics`, give."""
        summary = "an inductive invariant at every loop head, re-checked" if invariants else \
            "every path checked (no loops), re-checked"
        return self.result(Verdict.YES, certificate={
            "kind": "inductive invariants",
            "summary": summary,
            "checked": f"{semantics} semantics",
            "invariants": [inv.to_json() for inv in invariants]})

    def refute_at(self, depth: int) -> Result:
        """Spacer says a failure is reachable through `depth` blocks: find the inputs by unrolling, with
        CONFIRM_S past the deadline, as every confirmation of an answer found just before it has (under
        load Spacer's report came at the deadline, and a no a quiet run gives became an unknown)."""
        u = bmc.Unroller(self.system)
        until = self.deadline + CONFIRM_S
        while u.depth < depth + 1 and time.monotonic() < until:
            u.extend()
            left = max(0.05, until - time.monotonic())
            if u.depth >= max(1, depth - 1) and u.reaches(BAD, left) == z3.sat:
                return self.refute(u.small_counterexample(BAD, max(0.05, until - time.monotonic()), self.lengths))
        return self.result(Verdict.UNKNOWN, reason=f"Spacer reports a violation after {depth} steps, but no "
                                                     "concrete input was found in time")

    def replay_budget(self) -> float:
        return min(self.options.replay_timeout_s, _left(self.deadline) + CONFIRM_S)

    def inputs(self, cex: bmc.Counterexample) -> dict:
        return {i.var: cex.inputs.get(i.var, default_value(i.var.type)) for i in self.function.inputs}

    def refute(self, cex: bmc.Counterexample) -> Result:
        inputs = self.inputs(cex)
        trace = run(self.function, inputs, cex.oracle, set(self.system.cutpoints))
        if trace.event is None or trace.event.kind not in self.error_kinds:
            return self.result(Verdict.UNKNOWN, reason=f"counterexample rejected by the interpreter ({trace.outcome})")
        return self.confirm_failure(inputs, trace)

    def confirm_failure(self, inputs: dict, trace: Trace) -> Result:
        """The no that the interpreter's run to an error gives, where the real program's run fails too."""
        function, prop = self.function, self.prop
        assert trace.event is not None
        if trace.event.kind == SUMMARY_BROKEN:  # Houdini kept it, so only a path the solver got wrong
            return self.result(Verdict.UNKNOWN, reason=f"a summary is not proved: {trace.event.message}")
        outcome: ReplayC | ReplayPython
        if function.language == "python":
            from solomonic.reason.replay.python import call_arguments
            from solomonic.reason.replay.python import replay as replay_python

            outcome = replay_python(function.file, function.name, call_arguments(function, inputs), prop,
                                    self.replay_budget())
        else:
            from solomonic.reason.replay.c import replay as replay_c

            outcome = replay_c(function, inputs, trace, prop, self.replay_budget())
        witness = {
            "inputs": shown_inputs(function, inputs),
            "nondet": shown_reads(r for r in trace.reads if not r.origin.startswith(CHOSEN_BY_UNFOLDING)),
            "event": {"kind": trace.event.kind, "line": trace.event.line, "message": trace.event.message},
            "path": trace.lines[:MAX_PATH] + trace.lines[-MAX_PATH:] if len(trace.lines) > 2 * MAX_PATH
            else trace.lines,
            "path_text": compress(trace.lines, strides=trace.strides),
            "replay": replay_record(outcome.confirmed, outcome.observed),
        }
        if trace.strides:
            witness["path_note"] = (f"{sum(s.repeats for s in trace.strides)} strides of loops (an iteration, or a "
                                    "few that repeat) were run at once (ir/accelerate.py): the path does not list "
                                    "their lines")
        if not outcome.confirmed:
            return self.result(Verdict.UNKNOWN, witness=witness, reproducer=outcome.reproducer,
                               reason=f"counterexample not confirmed by replay: {outcome.observed}")
        return self.result(Verdict.NO, witness=witness, reproducer=outcome.reproducer,
                           reason=f"line {trace.event.line}: {trace.event.message}")

    def describe_poison(self, cex: bmc.Counterexample) -> str:
        inputs = self.inputs(cex)
        trace = run(self.function, inputs, cex.oracle, set(self.system.cutpoints))
        if trace.event is None:
            return "on some path"
        shown = ", ".join(f"{name}={value}" for name, value in shown_inputs(self.function, inputs).items())
        return f"at line {trace.event.line} ({trace.event.message}" + (f", e.g. {shown})" if shown else ")")

    def undefined_behaviour(self, depth: int) -> Result:
        """Failures are unreachable without undefined behaviour, but it can happen: say where."""
        if self.poison_example is None:
            u = bmc.Unroller(self.system)
            while u.depth < depth + 1 and time.monotonic() < self.deadline:
                u.extend()
                if u.depth >= max(1, depth - 1) and u.reaches(POISON, _left(self.deadline)) == z3.sat:
                    self.poison_example = self.describe_poison(u.counterexample())
                    break
        where = self.poison_example or "on some path"
        return self.result(Verdict.UNKNOWN,
                           reason=f"possible undefined behaviour {where}: the property cannot be decided past it")


def _left(deadline: float) -> float:
    return max(0.05, deadline - time.monotonic())


def _unwrap(reason: str) -> str:
    """Z3 writes some reasons in parentheses: "(incomplete (theory arithmetic))"."""
    return reason[1:-1] if reason.startswith("(") and reason.endswith(")") else reason
