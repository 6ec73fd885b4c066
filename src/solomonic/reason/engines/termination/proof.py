"""yes: supporting invariants, then a ranking argument per loop, both re-checked before a certificate is made.

The invariants are Houdini's over atoms read off the program (at a procedure's return, its summary first)
and, for C, the safety engine's, with which undefined behaviour is unreachable; where the safety engine
instead exhausts every execution, a fresh exhaustive unrolling gives the yes. Each loop then gets a
lexicographic linear ranking (ranking.py) over the cubes of its steps (linear.py), else a multiphase one,
else phases: regions of a one-head loop's states that the steps pass through in order, each with its own
ranking. Apart from the lasso search (lasso.py): the two share only the loops (loops.py).
"""

from __future__ import annotations

import functools
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import z3

from solomonic.reason.certify import certificate
from solomonic.reason.engines import bmc
from solomonic.reason.engines.array_facts import array_candidates, with_array_facts
from solomonic.reason.engines.entry_facts import with_entry_bounds
from solomonic.reason.engines.houdini import comparisons, conjunction, encode_block, essential, houdini
from solomonic.reason.engines.safety import Options
from solomonic.reason.engines.safety import analyse as safety
from solomonic.reason.engines.termination.check import (
    check_minimum,
    check_multiphase,
    check_ranking,
    check_regions,
    check_sat,
    continues,
)
from solomonic.reason.engines.termination.elements import ELEMENT, elements_read, named
from solomonic.reason.engines.termination.linear import cubes
from solomonic.reason.engines.termination.loops import LoopAnalysis
from solomonic.reason.engines.termination.minimum import synthesise_minimum
from solomonic.reason.engines.termination.ranking import (
    Minimum,
    Multiphase,
    Ranking,
    Transition,
    ranking_json,
    synthesise,
    synthesise_multiphase,
)
from solomonic.reason.engines.termination.recursion import unfold
from solomonic.reason.engines.termination.summaries import (
    candidates_with_summaries,
    essential_facts,
    with_summaries,
)
from solomonic.reason.ir import ArrayType, BoolType, Var
from solomonic.reason.proposals import parse
from solomonic.reason.result import Result, Verdict
from solomonic.reason.symbolic.encode import constants
from solomonic.reason.symbolic.system import BAD, TransitionSystem, build_system

INTEGRAL_S = 3.0  # for the rankings of cubes with their integer cuts (rank_integral), which solve more programs
# depths and budget of a bounded yes (explored): a few iterations, then a 32- and a 64-bit word's bits
# one per iteration (`x <<= 1` until 0, `x &= x - 1`), past which unrolling in integers rarely decides
EXPLORE_STEPS, EXPLORE_S, EXPLORE_SHARE, EXPLORE_INT_DEPTH = (8, 16, 34, 66), 1.0, 0.2, 16
# octagonal bounds at the loops' entries, then Houdini over them, before the safety engine is asked
ENTRY_BOUNDS_S, ENTRY_BOUNDS_SHARE, BOUNDS_HOUDINI_S, BOUNDS_HOUDINI_SHARE = 2.0, 0.1, 6.0, 0.25
# showing undefined behaviour unreachable with Houdini's invariants, before the safety engine: at least 2 s,
# more with a longer limit (under load, 2 s ran out on an unfolding whose check takes 1 s when idle)
UB_CHECK_S, UB_CHECK_SHARE, POLYNOMIAL_UB_CHECK_S = 2.0, 0.1, 10.0
MINIMUM_S = 2.0  # pairs of scalars tried for a ranking by the least of two
# the bounds of 8- to 64-bit integers, signed and unsigned
MACHINE_BOUNDS = {b for w in (8, 16, 32, 64) for b in (2 ** (w - 1) - 1, 2 ** (w - 1), 2 ** w - 1)}
QUICK_RANK_S = 1.0  # the quick stage's search for lexicographic or multiphase rankings, all loops together
MAX_PHASE_ATOMS = 4  # a loop's states split by 3 of its guard's conditions and its branches': 16 cells at most


@dataclass
class Kept:
    """What the proof finds that does not depend on how far it goes: Houdini's invariants (None if it
    ran out of time) and whether they exclude undefined behaviour; where they do, the invariants the
    proof states, and under them each loop's transitions and ranking, by the loop's first head."""

    found: dict[int, list[z3.BoolRef]] | None
    excluded: bool
    invariants: dict[int, z3.BoolRef] | None = None
    transitions: dict[tuple[int, bool], list[Transition]] = field(default_factory=dict)  # by head, widened
    rankings: dict[int, Ranking | Multiphase | Phases | Minimum] = field(default_factory=dict)


@dataclass
class Phases:
    """Regions of a one-head loop's states in the order steps move through them, each with the
    ranking of the steps that stay inside it."""

    head: int
    regions: list[tuple[z3.BoolRef, Ranking]]


class Proof(LoopAnalysis):
    kept: Kept | None = None  # set by the first call of invariants

    @functools.cached_property
    def confirmed(self) -> dict[str, str]:
        """The invariants certificate.check confirmed (their JSON), with the semantics it used."""
        return {}

    def prove(self, quick: bool = False) -> Result | str:
        """yes with a re-checked certificate, else why not. With `quick`, only what a loop that plainly
        terminates needs, before any lasso search: Houdini's invariants where they exclude undefined
        behaviour by themselves (no safety engine), and a lexicographic or multiphase ranking found
        within QUICK_RANK_S. What it finds is kept (self.kept), so the full proof goes on from there."""
        invariants = self.invariants(quick)
        if isinstance(invariants, (str, Result)):
            return invariants
        rankings: dict[int, Ranking | Multiphase | Phases | Minimum] = {}
        checked = [certificate.make_invariant(self.system, c, invariants[c]) for c in self.system.loop_heads]
        with self.within(QUICK_RANK_S if quick else None):
            for loop in self.loops:
                ranking = self.rank(loop, invariants, checked, quick)
                if not isinstance(ranking, (Ranking, Multiphase, Phases, Minimum)):
                    return ranking
                rankings[min(loop)] = ranking
        problem, semantics = self.check_invariants(checked, self.left())
        if problem:
            return f"supporting invariants not confirmed: {problem}"
        for loop in self.loops:
            found = rankings[min(loop)]
            if isinstance(found, Phases):
                regions = [(certificate.make_invariant(self.system, found.head, g), r) for g, r in found.regions]
                problem = check_regions(self.system, loop, regions, checked, self.left(), self.checker)
            elif isinstance(found, Minimum):
                problem = check_minimum(self.system, loop, found, checked, self.left(), self.checker)
            elif isinstance(found, Multiphase):
                problem = check_multiphase(self.system, loop, found, checked, self.left(), self.checker)
            else:
                problem = check_ranking(self.system, loop, found, checked, self.left(), ctx=self.checker)
            if problem:
                return f"ranking function not confirmed: {problem}"
        details = {"proposals": self.proposals_used(invariants)} if self.proposals else {}
        return self.result(Verdict.YES, certificate=self.certificate(rankings, checked, semantics), details=details)

    def rank(self, loop: set[int], invariants: dict[int, z3.BoolRef], checked: list[certificate.Invariant],
             quick: bool) -> Ranking | Multiphase | Phases | Minimum | Result | str:
        """The loop's ranking argument under the invariants: lexicographic, else multiphase, else (not
        `quick`) phased, else the least of two, else a bounded exploration's yes, else why not. Under the
        invariants the quick stage used, what it found (transitions, a ranking) is taken up again."""
        head = min(loop)
        kept = self.kept if self.kept is not None and invariants is self.kept.invariants else Kept(None, False)
        if head in kept.rankings:
            return kept.rankings[head]
        variables = {c: self.ranked_variables(c) for c in loop}
        ranking: Ranking | Multiphase | Phases | Minimum | None = None
        for widened in (True, False):  # the widened steps first: fewer cubes, most often the same ranking
            transitions = kept.transitions.get((head, widened)) or self.transitions(loop, invariants, widen=widened)
            if transitions is None:
                return f"the loop at line {self.line(head)} is not linear enough to rank"
            kept.transitions[head, widened] = transitions
            ranking = synthesise(transitions, variables, self.left(), ctx=self.lp) or \
                synthesise_multiphase(transitions, variables, self.left(), ctx=self.lp)
            if ranking is not None or not any(t.widened for t in transitions):
                break
        if ranking is None and not quick:
            ranking = self.phases(loop, invariants) or \
                synthesise_minimum(self.system, loop, variables[head], checked, min(MINIMUM_S, self.left()))
        if ranking is None and not quick and transitions is not None and _scaled(transitions):
            with self.within(INTEGRAL_S):
                ranking = self.rank_integral(loop, invariants, variables)
        if ranking is None:
            return (None if quick else self.explored()) or "no linear ranking argument (lexicographic, " \
                f"multiphase, phased or least of two) for the loop at line {self.line(head)}"
        kept.rankings[head] = ranking
        return ranking

    def rank_integral(self, loop: set[int], invariants: dict[int, z3.BoolRef],
                      variables: dict[int, list[str]]) -> Ranking | Multiphase | None:
        """A ranking of the steps as cubes with their integer cuts (`while (x & 1) x >>= 1`: x >= 1 is
        a cut), else a lexicographic ranking of the steps after which the loop takes another, where
        the loop has a step after which it cannot (a wrap-around to the value that ends it: `for
        (unsigned char c = 1; c != 0; c++)`); the steps of an infinite run are all such steps."""
        transitions = self.transitions(loop, invariants, tighten=True)
        ranking = None if transitions is None else synthesise(transitions, variables, self.left(), ctx=self.lp) or \
            synthesise_multiphase(transitions, variables, self.left(), ctx=self.lp)
        if ranking is not None:
            return ranking
        transitions = self.transitions(loop, invariants, continuing=True, tighten=True)
        continuing = None if transitions is None else synthesise(transitions, variables, self.left(), ctx=self.lp)
        if continuing is not None:
            continuing.continuing = True
        return continuing

    def invariants(self, quick: bool = False) -> dict[int, z3.BoolRef] | Result | str:
        """Per loop head: the inductive subset of candidate atoms, and for C the invariants with which
        the safety engine shows undefined behaviour unreachable (without that, no execution can be
        vouched for; not `quick`). Where the safety engine proves it by exhausting every execution,
        that bounds every execution too: the answer is yes at once."""
        if self.kept is None:
            self.kept = self.houdini_invariants()
        found, excluded = self.kept.found, self.kept.excluded
        if not excluded:
            if quick:
                return "undefined behaviour not excluded by the program's own facts"
            answer = safety(self.function, "no-overflow", Options(timeout_s=max(0.5, 0.7 * self.left()),
                                                                  facts_proof=False))
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
        if self.kept.invariants is None:
            self.kept.invariants = self.with_summaries({c: conjunction(found[c], self.ctx)
                                                        for c in self.system.loop_heads})
        return self.kept.invariants

    def houdini_invariants(self) -> Kept:
        """Houdini's invariants (None if it ran out of time), each head's less what the rest imply, and
        whether they show undefined behaviour unreachable, by themselves or with the bounds that hold
        where each loop is entered."""
        found = houdini(self.system, self.enc, self.candidates(), self.left())
        if found is not None:
            found = {c: essential(kept, self.ctx) for c, kept in found.items()}
        excluded = not any(b.dst == BAD for b in self.system.blocks)  # nothing undefined to exclude
        if not excluded and found is not None:
            excluded = self.ub_unreachable_with(found)
            if not excluded:
                found = {c: essential(kept, self.ctx) for c, kept in self.with_entry_bounds(found).items()}
                excluded = self.ub_unreachable_with(found)
            cells = array_candidates(self.system, self.enc) if not excluded else {}
            if cells:  # what the loops keep of an array's cells: a search's reads in bounds (array_facts.py)
                found = with_array_facts(self.system, self.enc, found, cells, self.left() / 3)
                excluded = self.ub_unreachable_with(found)
        return Kept(found, excluded)

    @functools.cached_property
    def lp(self) -> z3.Context:
        """The context of the ranking searches' linear programs, one for them all."""
        return z3.Context()

    @functools.cached_property
    def checker(self) -> z3.Context:
        """The context of the checks of what the proof found (the invariants, each ranking): apart from
        the search's, one for all of them."""
        return z3.Context()

    def check_invariants(self, invariants: list[certificate.Invariant], timeout_s: float) -> tuple[str | None, str]:
        """certificate.check of the invariants, in the checker's context; the same invariants confirmed
        once are not checked again: the check that shows undefined behaviour unreachable with Houdini's
        invariants is the certificate's own, and most often those are the proof's final invariants."""
        key = json.dumps([inv.to_json() for inv in invariants], sort_keys=True)
        if key in self.confirmed:
            return None, self.confirmed[key]
        problem, semantics = certificate.check(self.system, invariants, timeout_s, self.checker)
        if problem is None:
            self.confirmed[key] = semantics
        return problem, semantics

    def candidates(self) -> dict[int, list[z3.BoolRef]]:
        """Houdini's candidate atoms per loop head: those read off the program and, before them, a
        proposer's that are new (each costs a check; only the inductive survive, and the certificate
        that states them is re-checked like any other)."""
        atoms = candidates_with_summaries(self.system, self.enc, self.unfolding)
        for head, terms in self.proposals.items():
            if head not in atoms:
                continue
            variables = {v.name: self.enc.constant(v.name, v.type) for v in self.system.params[head]}
            known = {a.sexpr() for a in atoms[head]}
            new = [f for f in (parse(t, variables, self.ctx) for t in terms) if f is not None and f.sexpr() not in known]
            self.proposed[head] = new
            atoms[head] = [*new, *atoms[head]]
        return atoms

    def proposals_used(self, invariants: dict[int, z3.BoolRef]) -> dict[str, Any]:
        """How many proposals there were and which the proof's invariants state (the proposer's successes)."""
        def stated(f: z3.ExprRef) -> list[z3.ExprRef]:
            return [x for child in f.children() for x in stated(child)] if z3.is_and(f) else [f]

        used = [p.sexpr() for c, proposed in self.proposed.items() for p in proposed
                if any(p.eq(x) for x in stated(invariants[c]))]
        return {"offered": sum(len(p) for p in self.proposals.values()), "used": used}

    def with_entry_bounds(self, found: dict[int, list[z3.BoolRef]]) -> dict[int, list[z3.BoolRef]]:
        """Houdini again, over what it kept and the bounds that hold where each loop is entered: the
        octagonal ones (octagon.py), relations between variables that move together, and those of the
        quadratic polynomials that no step changes (polynomial.py), which exclude overflow where the
        program's own comparisons do not. What it kept before (the largest inductive subset of the
        first candidates) where this round gives up."""
        return with_entry_bounds(self.system, self.enc, self.loops, found,
                                 min(ENTRY_BOUNDS_S, ENTRY_BOUNDS_SHARE * self.left()),
                                 min(BOUNDS_HOUDINI_S, BOUNDS_HOUDINI_SHARE * self.left()))

    def with_summaries(self, invariants: dict[int, z3.BoolRef]) -> dict[int, z3.BoolRef]:
        """Each procedure's return invariant states its summary, so that checking the invariants proves
        what the steps over calls assume."""
        return with_summaries(self.unfolding, invariants, self.enc) if self.unfolding else invariants

    def explored(self) -> Result | None:
        """yes where every execution ends within a few steps, though no linear function ranks its loop:
        `while x % 10 != 0: x += 3` meets a multiple of 10 within 9 iterations from any x. Exhaustive
        unrolling, deepened while each depth shows only that some execution is longer, within a small
        budget; the bound found is re-checked from scratch (bounded). Not through recursion: the
        unfolding's steps over calls assume summaries, which a bounded exploration does not prove."""
        if self.unfolding is not None:
            return None
        deadline = time.monotonic() + min(EXPLORE_S, EXPLORE_SHARE * self.left())
        for depth in EXPLORE_STEPS:
            # bit-vectors past a few iterations: 34 unrolled `x << 1` are 0.1 s there, undecided in 10 s
            # in integers (each a product taken modulo 2^32)
            mode = "bv" if self.converts_to_bits or depth > EXPLORE_INT_DEPTH else "int"
            problem, _ = bmc.exhaustive(self.system, depth, max(0.05, deadline - time.monotonic()), [mode])
            if problem is None:
                found = self.bounded(depth, mode)
                return found if isinstance(found, Result) else None
            if "takes more than" not in problem or time.monotonic() >= deadline:
                return None  # undecided, or a failure on the way
        return None

    def bounded(self, depth: int, first: str | None = None) -> Result | str:
        """yes where no execution takes `depth` steps or fails on the way, re-checked from scratch in the
        encoding `first` (the one that found it), else bit-vectors first where the program converts to them."""
        first = first or ("bv" if self.converts_to_bits else "int")
        problem, mode = bmc.exhaustive(self.system, depth, self.left(), [first, "int" if first == "bv" else "bv"])
        if problem is not None:
            return f"bounded proof not confirmed: {problem}"
        return self.result(Verdict.YES, certificate={
            "kind": "bounded exploration", "depth": depth, "invariants": [], "loops": [],
            "summary": f"every execution ends within {depth - 1} loop iterations, none with undefined behaviour; "
                       "re-checked from scratch",
            "checked_in": certificate.SEMANTICS[mode]})

    def ub_unreachable_with(self, found: dict[int, list[z3.BoolRef]]) -> bool:
        """Whether the invariants show undefined behaviour unreachable (the certificate's own check);
        at least 10 s for polynomial invariants, of which the integer encoding, tried first, gets 60 %:
        their non-linear queries took 1.6 s under load 12, where linear ones take milliseconds."""
        conjunctions = {c: conjunction(found[c], self.ctx) for c in self.system.loop_heads}
        invariants = [certificate.make_invariant(self.system, c, f) for c, f in conjunctions.items()]
        floor = POLYNOMIAL_UB_CHECK_S if any(certificate.multiplies(f) for f in conjunctions.values()) else UB_CHECK_S
        problem, _ = self.check_invariants(invariants, min(self.left(), max(floor, UB_CHECK_SHARE * self.left())))
        return problem is None

    def transitions(self, loop: set[int], invariants: dict[int, z3.BoolRef],
                    region: z3.BoolRef | None = None, widen: bool = False,
                    continuing: bool = False, tighten: bool = False) -> list[Transition] | None:
        """The loop's steps as cubes over the variables before (by name) and after (name + "'"). With
        `widen`, the steps of the unfolding whose calls assume the summaries less their tables
        (`untabulated`): a wider relation, so a ranking of it ranks the steps (and is checked against
        the exact ones in any case), where a table's `n == k -> result == v` split one step into as
        many cubes as it has entries (Fibonacci01-2: 46), though a descent never reads the result.
        With `continuing`, only the steps after which the loop takes another (check.continues); with
        `tighten`, the cubes with their integer cuts (linear.tightened)."""
        system = self.untabulated if widen and self.untabulated is not None else self.system
        out = []
        for i, block in enumerate(system.blocks):
            if block.src not in loop or block.dst not in loop:
                continue
            pre, guard, updates = encode_block(system, self.enc, block)
            post = [self.enc.constant(v.name + "'", v.type) == t for v, t in updates.items()
                    if not isinstance(v.type, ArrayType)]
            ranges = [self.enc.in_range(t, v.type) for v, t in pre.items()]
            before, after = self.elements(block.src, pre), self.elements(block.dst, updates)
            post += [z3.Int(name, self.ctx) == t for name, t in before.items()]
            post += [z3.Int(name + "'", self.ctx) == t for name, t in after.items()]
            formula = z3.And(_unquantified(invariants[block.src]), guard, *ranges, *post)
            if region is not None:  # only the steps that start and end in the region
                formula = z3.And(formula, region, _at(region, pre, updates))
            if continuing:
                formula = z3.And(formula, continues(system, self.enc, loop, block.dst, updates))
            split = cubes(formula, self.left(), tighten=tighten)
            if split is None:
                return None
            out += [Transition(i, j, block.src, block.dst, cube, system is not self.system)
                    for j, cube in enumerate(split)]
        return out

    @functools.cached_property
    def untabulated(self) -> TransitionSystem | None:
        """The unfolding whose calls assume the summaries less their tabulated facts, where there are
        such facts: the same locations, variables and blocks in the same order (checked), each block
        allowing what the exact one does and more."""
        if self.unfolding is None or not any(self.unfolding.tabulated.values()):
            return None
        plain = unfold(self.unfolding.original, self.unfolding.plain())
        system = build_system(plain.function, self.ub, observe=plain.observed)
        same = system.params == self.system.params and len(system.blocks) == len(self.system.blocks) and \
            all((a.src, a.dst) == (b.src, b.dst) for a, b in zip(system.blocks, self.system.blocks))
        return system if same else None

    def phases(self, loop: set[int], invariants: dict[int, z3.BoolRef]) -> Phases | None:
        """For a loop with one head: regions of its states, the cells of its own branch conditions,
        ordered so that no step goes back to an earlier one, each with a ranking of the steps that stay
        in it (while x != 0: x > 0 ? x-- : x++ runs down in x > 0 or up in x < 0, never both)."""
        if len(loop) != 1:
            return None
        [head] = loop
        pre = {v: self.enc.constant(v.name, v.type) for v in self.system.params[head]}
        names = {v.name for v in pre}
        steps, atoms, found = [], [], []
        for block in self.system.blocks:
            if block.src == head and block.dst == head:
                _, guard, updates = encode_block(self.system, self.enc, block)
                steps.append((guard, updates))
                atoms += [a for a in _sides(comparisons(guard)) if set(constants(a)) <= names and not range_check(a)
                          and not any(a.eq(b) for b in atoms)]  # the guard's, even where every step has it:
                found += [a for t in updates.values() for a in _branch_conditions(t)]  # a region leaves then
        found += [x > 0 for v, x in pre.items() if not isinstance(v.type, (ArrayType, BoolType))
                  and all(z3.eq(updates.get(v, x), x) for _, updates in steps)]  # a sign no step changes
        ranges = [self.enc.in_range(t, v.type) for v, t in pre.items()]

        def possible(*facts) -> bool:  # undecided counts as possible
            deadline = time.monotonic() + min(self.left(), 1.0)
            return check_sat(self.ctx, deadline, invariants[head], *ranges, *facts) != z3.unsat

        plain = atoms[:3]
        atoms = list(plain)
        for a in found:  # and those that tell apart the states from which a step is taken
            if len(atoms) >= MAX_PHASE_ATOMS:
                break
            if set(constants(a)) <= names and not range_check(a) and not any(a.eq(b) for b in atoms) and \
                    any(possible(guard, a) for guard, _ in steps) and any(possible(guard, z3.Not(a)) for guard, _ in steps):
                atoms.append(a)
        for tried in ([atoms, plain] if len(atoms) != len(plain) else [plain]):  # finer cells may cycle
            found_phases = self.ordered_regions(loop, invariants, tried, steps, pre, possible) if tried else None
            if found_phases is not None:
                return found_phases
        return None

    def ordered_regions(self, loop: set[int], invariants: dict[int, z3.BoolRef], atoms: list[z3.BoolRef],
                        steps: list, pre: dict[Var, z3.ExprRef], possible) -> Phases | None:
        [head] = loop
        cells = [z3.And(*[a if bit else z3.Not(a) for a, bit in zip(atoms, bits)])
                 for bits in itertools.product([True, False], repeat=len(atoms))]
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
            ranking = synthesise(transitions, {head: self.ranked_variables(head)}, self.left(), ctx=self.lp) if transitions \
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
                                               for name in elements_read(b, set(scalars))})
        return self.ranked[c]

    def elements(self, c: int, terms: dict[Var, z3.ExprRef]) -> dict[str, z3.ExprRef]:
        """The array elements ranked at head c, over `terms` (its variables' values)."""
        names = self.ranked_variables(c)
        env = named(terms, names)
        return {name: env[name] for name in names if ELEMENT.fullmatch(name) and name in env}

    def certificate(self, rankings: dict[int, Ranking | Multiphase | Phases | Minimum],
                    invariants: list[certificate.Invariant], semantics: str) -> dict:
        loops: list[dict[str, Any]] = []
        for head, ranking in rankings.items():
            if isinstance(ranking, Phases):
                phases = [(certificate.make_invariant(self.system, head, g), r) for g, r in ranking.regions]
                loops.append({"line": self.line(head), "location": head,
                              "phases": [{"region": g.to_json(), **ranking_json(r)} for g, r in phases],
                              "ranking_text": [f"in {g.text}: " + (" then ".join(
                                  f"({f.text()})" for level in r.levels for f in level.values()) or "no step stays")
                                  for g, r in phases]})
                continue
            if isinstance(ranking, Minimum):
                loops.append({"line": self.line(head), "location": head,
                              "minimum": [f.to_json() for f in ranking.functions],
                              "ranking_text": [f.text() for f in ranking.functions]})
                continue
            if isinstance(ranking, Multiphase):
                loops.append({"line": self.line(head), "location": head,
                              "multiphase": [f.to_json() for f in ranking.phases],
                              "ranking_text": [f.text() for f in ranking.phases]})
                continue
            loops.append({
                "line": self.line(head), "location": head,
                **ranking_json(ranking),
                "ranking_text": [" | ".join(f"line {self.line(c)}: {f.text()}" if len(level) > 1 else f.text()
                                            for c, f in level.items()) for level in ranking.levels],
            })
        kinds = {"multiphase" if isinstance(r, Multiphase) else "phased" if isinstance(r, Phases)
                 else "least-of-linear" if isinstance(r, Minimum)
                 else "lexicographic" if len(r.levels) > 1 else "linear" for r in rankings.values()}
        kind = " and ".join(sorted(kinds))
        summary = "no loops: every execution leaves" if not loops else "; ".join(
            f"loop at line {loop['line']}: " + (
                "phases " + ", then ".join(f"({t})" for t in loop["ranking_text"]) if "multiphase" in loop else
                "ranking the least of " + ", ".join(f"({t})" for t in loop["ranking_text"]) if "minimum" in loop else
                "regions in order: " + "; ".join(loop["ranking_text"]) if "phases" in loop else
                "ranking " + " then ".join(f"({t})" for t in loop["ranking_text"]) + (
                    " over each step after which it goes on" if loop.get("continuing") else "")
                if loop["ranking_text"] else "no step can repeat")
            for loop in loops)
        out = {"kind": f"{kind} ranking functions" if loops else "no loop", "summary": summary,
               "loops": loops, "invariants": [inv.to_json() for inv in invariants], "checked_in": semantics}
        if self.unfolding is not None:
            facts = self.unfolding.summaries
            out["summaries"] = {name: [f.to_json() for f in fs] for name, fs in facts.items()}
            out["summary_text"] = {name: " and ".join(f.text() for f in essential_facts(self.unfolding, name))
                                   or "nothing" for name in facts}
            out["summary"] = "recursion unfolded into loops over the procedures' entries; " + summary + "".join(
                f"; {name}() returns {text}" for name, text in out["summary_text"].items() if text != "nothing")
        return out


def _at(region: z3.BoolRef, pre: dict[Var, z3.ExprRef], updates: dict[Var, z3.ExprRef]) -> z3.BoolRef:
    """A formula over a head's variables, after a step: at the step's new values."""
    pairs = [(pre[v], updates[v]) for v in pre if v in updates]
    return z3.substitute(region, *pairs) if pairs else region


def _scaled(transitions: list[Transition]) -> bool:
    """Whether a cube has a variable with a coefficient of magnitude 2 or more (a wrap-around's
    quotient, a remainder's): where integer cuts can add what the rational relaxation lost."""
    return any(abs(a) >= 2 for t in transitions for ineq in t.cube for _, a in ineq.coeffs)


def _sides(atoms: list[z3.BoolRef]) -> list[z3.BoolRef]:
    """The atoms, each equality of two integer terms followed by its strict side, a < b: a guard
    a != b leaves the states on either side, which the phases tell apart (`while (i != n) i++` over
    unsigned i runs up in i > n to the wrap, then up in i < n)."""
    out = []
    for a in atoms:
        out.append(a)
        if z3.is_eq(a) and a.arg(0).sort().kind() == z3.Z3_INT_SORT and not z3.is_int_value(a.arg(1)):
            out.append(a.arg(0) < a.arg(1))
    return out


def _branch_conditions(t: z3.ExprRef) -> list[z3.BoolRef]:
    """The comparisons that choose between the arms of a term's conditional expressions (x += 1 if
    x < y else -1; abs(x); Python's % by a variable, whose sign follows the divisor's)."""
    found, stack, seen = [], [t], set()
    while stack:
        e = stack.pop()
        if not z3.is_app(e) or e.get_id() in seen:
            continue
        seen.add(e.get_id())
        if z3.is_app_of(e, z3.Z3_OP_ITE):
            found += comparisons(e.arg(0))
        stack.extend(e.children())
    return found


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


def range_check(atom: z3.BoolRef) -> bool:
    """A comparison with a machine integer's bound (C's overflow checks in a step's guard: x - 1 >= INT_MIN):
    it tells apart no phases of a loop, and three of them would crowd out the conditions that do."""
    return any(z3.is_int_value(side) and abs(side.as_long()) in MACHINE_BOUNDS for side in atom.children())


def essential_cell(cell: z3.BoolRef, ctx: z3.Context) -> z3.BoolRef:
    return conjunction(essential(list(cell.children()) if z3.is_and(cell) else [cell], ctx), ctx)


def _unquantified(invariant: z3.BoolRef) -> z3.BoolRef:
    """The invariant less its conjuncts with a quantifier (array facts, flagged ones too): the steps are
    split into linear cubes, which the facts about cells beside them do not change (their scalar
    companions stay), and the ranking found is checked under the whole invariant."""
    conjuncts = invariant.children() if z3.is_and(invariant) else [invariant]
    return z3.And(*[c for c in conjuncts if not _quantifies(c)], invariant.ctx)


def _quantifies(term: z3.ExprRef) -> bool:
    stack = [term]
    while stack:
        t = stack.pop()
        if z3.is_quantifier(t):
            return True
        stack.extend(t.children())
    return False
