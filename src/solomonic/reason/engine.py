"""One question, one answer: does `property` hold for `function`? yes / no / unknown, with evidence.

The order of work: a short bounded search for a shallow counterexample; then Spacer for a proof;
if Spacer finds the property violated, bounded model checking at the depth it reports gives the
concrete inputs. Nothing is reported unconfirmed: a proof's invariants are re-checked from scratch
(`certificate.py`), a counterexample is run through the interpreter and then replayed for real
(Python in a subprocess, C compiled with sanitizers). Whatever cannot be confirmed is unknown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from solomonic.reason import bmc, certificate, spacer
from solomonic.reason.interpret import compress, run
from solomonic.reason.ir import Function
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.system import BAD, POISON, TransitionSystem, build_system

QUICK_SEARCH_SHARE = 0.15  # of the time budget, spent first unrolling: shallow bugs, small bounded loops
QUICK_SEARCH_DEPTH = 10  # blocks; deeper unrolling waits until Spacer has had its turn
SPACER_SHARE = 0.6  # of what is left then, for Spacer; the rest goes back to unrolling
CONFIRM_S = 1.5  # past the deadline, to confirm an answer found just before it (see isolate.GRACE_S)


@dataclass
class Options:
    timeout_s: float = 10.0
    replay_timeout_s: float = 10.0


def applies(function: Function, prop: str) -> str | None:
    """None if the property applies to the function, else why not."""
    if prop == "no-overflow" and function.language != "c":
        return "no-overflow concerns C machine integers; Python ints do not overflow"
    if prop == "returns-true" and not function.returns_value:
        return f"{function.name} returns no value"
    return None


def analyse(function: Function, prop: str, options: Options) -> Result:
    start = time.monotonic()
    deadline = start + options.timeout_s
    result = _Analysis(function, prop, options, deadline).run()
    result.seconds = round(time.monotonic() - start, 4)
    return result


class _Analysis:
    def __init__(self, function: Function, prop: str, options: Options, deadline: float):
        self.function = function
        self.prop = prop
        self.options = options
        self.deadline = deadline
        errors = PROPERTY_ERRORS[prop]
        self.poison_kinds = UNDEFINED_BEHAVIOUR - errors if function.language == "c" else set()
        self.error_kinds = errors
        self.system: TransitionSystem | None = None
        self.unroller: bmc.Unroller | None = None
        self.checked_depth = 0  # every depth up to this one: BAD (and POISON) unreachable
        self.undecided = ""  # why the solver could not decide the next depth, if it could not
        self.poison_example: str | None = None  # undefined behaviour seen on some path

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
        self.unroller = bmc.Unroller(self.system)

        # 1. Unroll a little: shallow counterexamples, and proofs for small bounded loops.
        quick = time.monotonic() + QUICK_SEARCH_SHARE * self.options.timeout_s
        answer = self.unroll(min(quick, self.deadline), QUICK_SEARCH_DEPTH)
        if answer is not None:
            return answer

        # 2. Spacer, for a proof with invariants, or the depth of a counterexample.
        spacer_deadline = time.monotonic() + SPACER_SHARE * _left(self.deadline)
        proof = spacer.solve(self.system, _left(spacer_deadline), with_poison=True)
        if proof.status == "safe":
            return self.certify(proof)
        if proof.status == "unsafe":
            if self.poison_kinds:
                errors_only = spacer.solve(self.system, _left(spacer_deadline), with_poison=False)
                if errors_only.status == "safe":
                    return self.undefined_behaviour(proof.depth)
                if errors_only.status == "unsafe":
                    return self.refute_at(errors_only.depth)
                proof = errors_only
            else:
                return self.refute_at(proof.depth)

        # 3. Back to unrolling until the time is up.
        answer = self.unroll(self.deadline)
        if answer is not None:
            return answer
        if self.poison_example:
            return self.result(Verdict.UNKNOWN, reason=f"possible undefined behaviour {self.poison_example}: "
                                                         "the property cannot be decided past it")
        depth = self.checked_depth - 1
        if time.monotonic() >= self.deadline:
            why = f"timeout after {self.options.timeout_s:g} s"
        elif proof.reason in ("", "ok", "unknown"):
            why = "Spacer found no invariant"
        else:
            why = f"Spacer gave up ({proof.reason})"
        searched = f"no counterexample within {depth} loop iterations" if depth > 0 else "no counterexample found"
        if self.undecided:
            searched += f"; the solver could not decide the next unrolling ({self.undecided})"
        return self.result(Verdict.UNKNOWN, reason=f"{why}; {searched}")

    def unroll(self, until: float, max_depth: int = 1 << 30) -> Result | None:
        """Deepen the unrolling until `until`: a confirmed counterexample or a bounded proof ends it.
        A depth counts as checked only when its queries came back unsat; an undecided one is retried
        at the next call, never skipped (a bounded proof needs every depth below it)."""
        u = self.unroller
        while time.monotonic() < until:
            if u.depth == self.checked_depth:
                if u.depth >= max_depth:
                    return None
                u.extend()
            result = u.reaches(BAD, _left(until))
            if result == z3.sat:
                return self.refute(u.counterexample())
            if result != z3.unsat:
                self.undecided = _unwrap(u.solver.reason_unknown())
                return None
            if self.poison_kinds and self.poison_example is None:
                result = u.reaches(POISON, _left(until))
                if result == z3.sat:
                    self.poison_example = self.describe_poison(u.counterexample())
                elif result != z3.unsat:
                    self.undecided = _unwrap(u.solver.reason_unknown())
                    return None
            self.undecided = ""
            self.checked_depth = u.depth
            if u.exhausted(_left(until)) == z3.unsat:
                return self.bounded_proof(u.depth)
        return None

    def bounded_proof(self, depth: int) -> Result:
        if self.poison_example is not None:
            return self.result(Verdict.UNKNOWN, reason=f"possible undefined behaviour {self.poison_example}: "
                                                         "the property cannot be decided past it")
        # C: first the integer encoding, independent of the bit-vector one that found the proof.
        modes = ["int", "bv"] if self.function.language == "c" else ["int"]
        problem, mode = bmc.exhaustive(self.system, depth, _left(self.deadline) + CONFIRM_S, modes)
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

    def certify(self, proof) -> Result:
        system = self.system
        invariants = [certificate.make_invariant(system, loc, f) for loc, f in sorted(proof.invariants.items())]
        problem, semantics = certificate.check(system, invariants, _left(self.deadline) + CONFIRM_S)
        if problem is not None:
            return self.result(Verdict.UNKNOWN, reason=f"proof not confirmed: {problem}")
        summary = "an inductive invariant at every loop head, re-checked" if invariants else \
            "every path checked (no loops), re-checked"
        return self.result(Verdict.YES, certificate={
            "kind": "inductive invariants",
            "summary": summary,
            "checked": f"{semantics} semantics",
            "invariants": [inv.to_json() for inv in invariants]})

    def refute_at(self, depth: int) -> Result:
        """Spacer says a failure is reachable through `depth` blocks: find the inputs by unrolling."""
        u = bmc.Unroller(self.system)
        while u.depth < depth + 1 and time.monotonic() < self.deadline:
            u.extend()
            if u.depth >= max(1, depth - 1) and u.reaches(BAD, _left(self.deadline)) == z3.sat:
                return self.refute(u.counterexample())
        return self.result(Verdict.UNKNOWN, reason=f"Spacer reports a violation after {depth} steps, but no "
                                                     "concrete input was found in time")

    def replay_budget(self) -> float:
        return min(self.options.replay_timeout_s, _left(self.deadline) + CONFIRM_S)

    def inputs(self, cex: bmc.Counterexample) -> dict:
        return {i.var: cex.inputs.get(i.var, 0) for i in self.function.inputs}

    def refute(self, cex: bmc.Counterexample) -> Result:
        function, prop = self.function, self.prop
        inputs = self.inputs(cex)
        trace = run(function, inputs, cex.oracle, set(self.system.cutpoints))
        if trace.event is None or trace.event.kind not in self.error_kinds:
            return self.result(Verdict.UNKNOWN, reason=f"counterexample rejected by the interpreter ({trace.outcome})")
        if function.language == "python":
            from solomonic.reason.replay_python import replay

            args = [bool(inputs[i.var]) if i.source_type == "bool" else inputs[i.var] for i in function.inputs]
            outcome = replay(function.file, function.name, args, prop, self.replay_budget())
        else:
            from solomonic.reason.replay_c import replay

            outcome = replay(function, inputs, trace, prop, self.replay_budget())
        witness = {
            "inputs": {i.display: _show_input(inputs[i.var], i.source_type) for i in function.inputs},
            "nondet": [{"origin": r.origin, "type": r.type, "value": r.value, "line": r.line} for r in trace.reads],
            "event": {"kind": trace.event.kind, "line": trace.event.line, "message": trace.event.message},
            "path": trace.lines,
            "path_text": compress(trace.lines),
            "replay": {"confirmed": outcome.confirmed, "observed": outcome.observed},
        }
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
        shown = ", ".join(f"{i.display}={inputs[i.var]}" for i in self.function.inputs)
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


def _show_input(value, source_type: str):
    return bool(value) if source_type == "bool" else value
