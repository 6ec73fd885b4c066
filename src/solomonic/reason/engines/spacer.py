"""Safety proofs: the transition system as constrained Horn clauses, solved by Z3's Spacer.

One relation per loop head over its live variables; one clause per block; the query asks whether BAD
is derivable. Clauses use the exact integer encoding (see `encode.py`), where Spacer finds linear
invariants readily. On "unsafe" only the trace length is kept: the concrete counterexample comes from
bounded model checking at that depth, then a replay (research notes: Spacer's ground answers are empty
through the Python API).
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import z3

from solomonic.reason.engines.seeds import Seeds, seeds
from solomonic.reason.symbolic.encode import Encoder, constants
from solomonic.reason.symbolic.system import BAD, POISON, TransitionSystem

SEEDING_S, SEEDING_SHARE = 2.0, 0.25  # at most this long, and this share of the time left, for the seeds


@dataclass
class SpacerResult:
    status: str  # "safe" | "unsafe" | "unknown"
    invariants: dict[int, z3.BoolRef] | None = None  # loop head -> invariant over its parameters
    depth: int = 0  # unsafe: number of blocks on the counterexample
    reason: str = ""
    encoder: Encoder | None = None


def solve(system: TransitionSystem, timeout_s: float, with_poison: bool, mode: str = "int",
          enc: Encoder | None = None, seeded: Seeds | None = None) -> SpacerResult:
    """Is BAD (and, `with_poison`, POISON) unreachable? Blocks into POISON are dropped otherwise. `seeded`:
    facts already shown true of every run (seeds.py), over `enc`'s constants, that Spacer starts from; the
    invariants it returns then state the inductive set they came from too."""
    enc = enc or Encoder(mode, z3.Context())
    ctx = enc.ctx
    covers = seeded.invariants if seeded else {}
    support = seeded.inductive if seeded else {}
    fp = z3.Fixedpoint(ctx=ctx)
    fp.set(engine="spacer")
    fp.set("timeout", max(1, int(timeout_s * 1000)))
    fp.set("spacer.global", True)  # global guidance: finds relational invariants far from the bad states
    # Keep every loop-head relation so its invariant can be read back.
    fp.set("xform.slice", False)
    fp.set("xform.inline_linear", False)
    fp.set("xform.inline_eager", False)
    relations: dict[int, z3.FuncDeclRef] = {}
    for c in system.loop_heads:
        sorts = [enc.sort(v.type) for v in system.params[c]]
        relations[c] = z3.Function(f"loop_{c}", *sorts, z3.BoolSort(ctx))
        fp.register_relation(relations[c])
        if covers.get(c):  # a cover's variables are the relation's arguments, by position
            args = [(enc.constant(v.name, v.type), z3.Var(i, sort)) for i, (v, sort) in
                    enumerate(zip(system.params[c], sorts))]
            fp.add_cover(-1, relations[c], z3.substitute(z3.And(*covers[c], ctx), *args))
    bad = z3.Function("bad", z3.BoolSort(ctx))
    fp.register_relation(bad)

    for i, block in enumerate(system.blocks):
        if block.dst == POISON and not with_poison:
            continue
        src_env = {v: enc.constant(v.name, v.type) for v in system.params[block.src]}
        nd_env = {nd: enc.constant(nd.name, nd.type) for nd in block.nondets}
        guard, updates = enc.block(block, src_env, nd_env)
        body = [guard]
        if block.src in relations:
            body.append(relations[block.src](*src_env.values()))
        body += [enc.in_range(term, v.type) for v, term in src_env.items()]
        if block.dst in (BAD, POISON):
            head = bad()
        else:
            head = relations[block.dst](*[updates[v] for v in system.params[block.dst]])
        variables = [*src_env.values(), *nd_env.values()]
        variables += [x for x in _auxiliaries(guard, updates, variables)]
        for x in variables:
            fp.declare_var(x)
        fp.rule(head, z3.And(*body), name=f"block{i}")

    try:
        answer = fp.query(bad())
    except z3.Z3Exception as err:
        return SpacerResult("unknown", reason=f"Spacer failed: {err}")
    if answer == z3.unsat:
        invariants = {}
        for c, rel in relations.items():
            args = [enc.constant(v.name, v.type) for v in system.params[c]]
            cover = fp.get_cover_delta(-1, rel)
            invariant = z3.substitute_vars(cover, *args) if args else cover  # Var(i) is argument i
            foreign = set(constants(invariant)) - {str(a) for a in args}
            if foreign:  # a quantified lemma over Spacer's own variables: not a certificate we check
                return SpacerResult("unknown", reason=f"Spacer's invariant quantifies over {', '.join(sorted(foreign))}")
            # Spacer's lemmas may rest on the covers it was given, which rest on the rest of Houdini's set:
            # all of it belongs to the certificate (string-1's was rejected without it)
            invariants[c] = z3.And(invariant, *support[c]) if support.get(c) else invariant
        return SpacerResult("safe", invariants=invariants, encoder=enc)
    if answer == z3.sat:
        names = fp.get_rule_names_along_trace()
        depth = sum(1 for n in names if str(n).startswith("block"))
        return SpacerResult("unsafe", depth=depth)
    return SpacerResult("unknown", reason=fp.reason_unknown())


def _auxiliaries(guard, updates, known) -> list[z3.ExprRef]:
    """Auxiliary constants (wrap-around quotients) introduced by the encoder."""
    seen = {x.get_id() for x in known}
    out = []
    todo = [guard, *updates.values()]
    visited: set[int] = set()
    while todo:
        t = todo.pop()
        if t.get_id() in visited:
            continue
        visited.add(t.get_id())
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            if t.get_id() not in seen:
                seen.add(t.get_id())
                out.append(t)
        else:
            todo.extend(t.children())
    return out


class Race:
    """Spacer in a forked process beside the unrolling, so that each engine has a core. (Threads would
    share Z3's memory across contexts through Python's garbage collector: they crashed.) The child sends
    back plain data: invariants as SMT-LIB text, or a depth.

    `outcome` once known: ("safe", [Invariant]), ("violation", depth: BAD is reachable without undefined
    behaviour), ("undefined", depth: only POISON is reachable), or ("unknown", reason). With `seed`, or a
    proposer's `proposals` (by loop head), Spacer starts from Houdini's inductive facts (seeds.py), the
    proposals it keeps among them; `proposals_used` then says which of them the safe outcome's invariants
    rest on."""

    def __init__(self, system: TransitionSystem, with_poison: bool, deadline: float, seed: bool = False,
                 proposals: dict[int, list[str]] | None = None):
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_race, daemon=True,
                                        args=(system, with_poison, deadline, sender, seed, proposals or {}))
        self._process.start()
        sender.close()
        self.outcome: tuple[str, object] | None = None
        self.proposals_used: dict[str, Any] | None = None

    def poll(self, timeout: float = 0.0) -> tuple[str, object] | None:
        """The outcome, waiting up to `timeout` seconds for it."""
        if self.outcome is None and self._receiver.poll(timeout):
            try:
                self.outcome, self.proposals_used = self._receiver.recv()
            except (EOFError, OSError):
                self.outcome = ("unknown", "the Spacer process died")
        return self.outcome

    @property
    def decisive(self) -> bool:
        return self.poll() is not None and self.outcome[0] != "unknown"

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)
        self._receiver.close()


def _race(system: TransitionSystem, with_poison: bool, deadline: float, sender: Connection, seed: bool,
          proposals: dict[int, list[str]]) -> None:
    from solomonic.reason.certify.certificate import make_invariant

    def left() -> float:
        return max(0.05, deadline - time.monotonic())

    used = None
    try:
        enc = Encoder("int", z3.Context())
        found = seeds(system, enc, proposals, min(SEEDING_S, SEEDING_SHARE * left())) if seed or proposals \
            else Seeds()
        first = solve(system, left(), with_poison, enc=enc, seeded=found)
        if first.status == "safe":
            outcome = ("safe", [make_invariant(system, loc, f) for loc, f in sorted(first.invariants.items())])
            used = {"offered": found.offered, "used": found.used} if proposals else None
        elif first.status == "unsafe" and with_poison:
            errors_only = solve(system, left(), False, enc=enc, seeded=found)
            outcome = {"safe": ("undefined", first.depth), "unsafe": ("violation", errors_only.depth)}.get(
                errors_only.status, ("unknown", errors_only.reason))
        elif first.status == "unsafe":
            outcome = ("violation", first.depth)
        else:
            outcome = ("unknown", first.reason)
    except Exception as err:  # a Spacer failure is an unknown, never a lost analysis
        outcome = ("unknown", f"{type(err).__name__}: {err}")
    sender.send((outcome, used))
    sender.close()
