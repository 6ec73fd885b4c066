"""Quantified invariants over arrays: what a loop that walks an array by its counter keeps of the cells
it has passed.

`for (i = 0; i < n; i++) b[i] = a[i];` keeps `forall k. 0 <= k < i -> b[k] == a[k]` at its head, and once
it has ended every later loop head may keep `forall k. 0 <= k < n -> b[k] == a[k]`: the fact that proves
`assert(b[x] == a[x])` in a check loop after it, whatever the contents of `a` and however long the
arrays (SV-COMP's array-examples and loop-acceleration: copy, fill, init-then-check, minimum). No
comparison of the program states it, no unrolling reaches 100 000 cells, and Spacer's lemmas are
quantifier-free.

Candidates are made of two parts:

- a *cell fact* `P(k)`, a statement about cell k: what a loop stores at its counter (`b[i] = a[i]` gives
  `b[k] == a[k]`, where the stored value reads no nondeterministic value; `b[n - 1 - i] = a[i]` gives
  `b[k] == a[n - 1 - k]`), and each comparison the program makes of a cell read at a variable index
  (`if (a[i] < m)`, `assert(a[x] >= m)` give `a[k] < m` and its negation);
- a *range* of cells a loop has passed: a loop whose blocks round it move a counter `i` by one (or some
  of them not at all: `if (x >= 0) b[n++] = x;`) from the constant every block into it sets (`lo`)
  covers `lo <= k < i` (`i < k <= lo` counting down) at every head where `i` lives, and, where every
  round moves it, `lo <= k < t` after the loop, for each `t` its exits compare `i` with.

Every cell fact over every range whose variables a head keeps is a candidate there; Houdini keeps the
inductive ones (`with_array_facts`), and a proof from them is re-checked from scratch like any other
(certify/certificate.py: z3 instantiates the quantifier at the cells each block reads).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from solomonic.reason.engines.houdini import TYPE_BOUNDS, assigned_constant, comparisons, encode_block
from solomonic.reason.ir import ArrayType, Assign, BoolType
from solomonic.reason.symbolic.encode import Encoder, constants
from solomonic.reason.symbolic.system import Block, TransitionSystem

QUERY_MS = 1000  # one candidate after one block: those that follow take milliseconds
STEP_MS = 200  # whether a round's guard fixes a counter's step
STEPS = ((1,), (-1,), (0, 1), (0, -1))  # a counter's steps round a loop, one way
MAX_FLAG_VALUES = 2  # the constants a flag is set to (each value multiplies a head's candidates)
BOUND_NAMES = ("k", "k_", "cell")  # the quantified index, the first no program variable is named


@dataclass(frozen=True)
class _Walk:
    """A loop whose rounds move `counter` by `step` (1 or -1), or some of them not at all (`b[n++] = x`
    where x >= 0), from `start`."""

    head: int
    counter: z3.ExprRef
    step: int
    start: int
    ends: tuple[z3.ExprRef, ...]  # what its exits compare the counter with, into a later loop
    places: tuple[tuple[int, z3.ExprRef], ...]  # (s, t) of each cell `s*i + t` its rounds read or write

    def passed(self, k: z3.ExprRef, upto: z3.ExprRef, place: tuple[int, z3.ExprRef]) -> z3.BoolRef:
        """The cells `s*p + t` of the positions p from the start to `upto` (left out)."""
        sign, t = place
        first, stop = z3.simplify(sign * self.start + t), z3.simplify(sign * upto + t)
        return z3.And(first <= k, k < stop) if sign * self.step > 0 else z3.And(stop < k, k <= first)


def with_array_facts(system: TransitionSystem, enc: Encoder, found: dict[int, list[z3.BoolRef]],
                     atoms: dict[int, list[z3.BoolRef]], timeout_s: float) -> dict[int, list[z3.BoolRef]]:
    """`found` (inductive facts without quantifiers) and the largest inductive subset of the quantified
    candidates `atoms` (`array_candidates`) beside them: a Houdini of their own, with `found` assumed at
    every head. Each query asks whether one candidate follows after one block: ground once its negation is skolemised, which z3
    answers by instantiating the hypotheses at the cells the block reads. One z3 does not show to follow
    is dropped: model-based instantiation is off, since only "unsat" keeps a candidate, and it can spend
    seconds building a model for a universal hypothesis."""
    deadline = time.monotonic() + timeout_s
    current = {head: list(facts) for head, facts in atoms.items()}
    changed = True
    while changed:
        changed = False
        for block in system.blocks:
            if not current.get(block.dst):
                continue
            _, guard, updates = encode_block(system, enc, block)
            pairs = [(enc.constant(v.name, v.type), t) for v, t in updates.items()]
            solver = z3.Solver(ctx=enc.ctx)
            solver.set("mbqi", False)
            solver.add(guard, *found.get(block.src, []), *current.get(block.src, []))
            kept = []
            for atom in current[block.dst]:
                left = deadline - time.monotonic()
                if left <= 0:
                    return found
                solver.set("timeout", max(1, int(min(QUERY_MS, left * 1000))))
                if solver.check(z3.Not(z3.substitute(atom, *pairs) if pairs else atom)) == z3.unsat:
                    kept.append(atom)
            if len(kept) < len(current[block.dst]):
                current[block.dst] = kept
                changed = True
    return {head: [*found.get(head, []), *_not_vacuous(enc, found.get(head, []), current.get(head, []))]
            for head in {*found, *current}}


def _not_vacuous(enc: Encoder, facts: list[z3.BoolRef], quantified: list[z3.BoolRef]) -> list[z3.BoolRef]:
    """The quantified facts whose range of cells the head's facts leave non-empty: over no cell (`b`
    still 0 before the loop that counts with it) a fact says nothing, and any fact holds."""
    solver = z3.Solver(ctx=enc.ctx)
    solver.set("timeout", STEP_MS)
    solver.add(*facts)
    kept = []
    for fact in quantified:
        if not z3.is_quantifier(fact):  # a companion (`_companions`)
            kept.append(fact)
            continue
        cell = z3.FreshInt("cell", enc.ctx)
        cells = fact.body().arg(0)  # Implies(range, fact), over the bound variable
        if solver.check(z3.substitute_vars(cells, cell)) != z3.unsat:
            kept.append(fact)
    return kept


def array_candidates(system: TransitionSystem, enc: Encoder) -> dict[int, list[z3.BoolRef]]:
    """Every cell fact over every range whose variables the head keeps, and their companions
    (`_companions`), by loop head."""
    if not any(isinstance(v.type, ArrayType) for vs in system.params.values() for v in vs):
        return {}
    taken = {v.name for v in system.function.variables}
    k = z3.Int(next(n for n in BOUND_NAMES if n not in taken), enc.ctx)
    walks = _walks(system, enc)
    cells = _cell_facts(system, enc, k)
    if not walks or not cells:
        return {}
    ranges = [w.passed(k, w.counter, at) for w in walks for at in w.places]  # open: wherever the counter lives on
    ranges += [w.passed(k, end, at) for w in walks for end in w.ends for at in w.places]  # closed: after the loop
    out: dict[int, list[z3.BoolRef]] = {}
    range_names = [set(constants(r)) - {str(k)} for r in ranges]  # each walked once, not per head and pair
    fact_names = [set(constants(f)) - {str(k)} for f in cells]
    for head in system.loop_heads:
        names = {v.name for v in system.params[head]}
        for cells_passed, in_range in zip(ranges, range_names):
            if in_range <= names:
                out.setdefault(head, []).extend(z3.ForAll([k], z3.Implies(cells_passed, fact))
                                                for fact, in_fact in zip(cells, fact_names) if in_fact <= names)
    companions = _companions(system, enc, walks)
    flagged = _flagged(system, enc, out)
    return {head: _distinct([*atoms, *flagged.get(head, []), *companions.get(head, [])]) for head, atoms in out.items()}


def _flagged(system: TransitionSystem, enc: Encoder, out: dict[int, list[z3.BoolRef]]) -> dict[int, list[z3.BoolRef]]:
    """Each quantified candidate behind each value of a flag (a scalar the program sets only to constants,
    at most MAX_FLAG_VALUES of them): `rv = 1; for (...) if (a[i] != b[i]) rv = 0;` keeps
    `rv == 1 -> forall k < i: a[k] == b[k]`, which holds of no run without the flag."""
    assigned = {name: values for name, values in _flag_values(system).items() if len(values) <= MAX_FLAG_VALUES}
    flagged: dict[int, list[z3.BoolRef]] = {}
    for head, atoms in out.items():
        flags = [(enc.constant(v.name, v.type), assigned[v.name]) for v in system.params[head] if v.name in assigned]
        flagged[head] = [z3.Implies(flag == value, atom) for flag, values in flags for value in sorted(values)
                         for atom in atoms]
    return flagged


def _flag_values(system: TransitionSystem) -> dict[str, set[int]]:
    """The scalars every assignment sets to a constant (a cast of one included), by name, with those
    constants: flags, not counters."""
    values: dict[str, set[int]] = {}
    others: set[str] = set()
    for edge in system.function.cfg.edges:
        if isinstance(edge.stmt, Assign) and not isinstance(edge.stmt.target.type, (ArrayType, BoolType)):
            value = assigned_constant(edge.stmt)
            if value is not None:
                values.setdefault(edge.stmt.target.name, set()).add(value)
            else:
                others.add(edge.stmt.target.name)
    return {name: found for name, found in values.items() if name not in others}


def _companions(system: TransitionSystem, enc: Encoder, walks: list[_Walk]) -> dict[int, list[z3.BoolRef]]:
    """Facts without quantifiers that hold only beside the quantified ones, and so join their Houdini
    rather than the scalar one: a walk's counter against each other scalar at its head (`i <= pos` in
    `while (a[i] != x) i++`, which holds because `forall k < i: a[k] != x` and `a[pos] == x`), and what a
    block outside any loop's rounds stores in a cell (`a[pos] = x`), wherever its variables live."""
    out: dict[int, list[z3.BoolRef]] = {}
    for w in walks:
        scalars = [enc.constant(v.name, v.type) for v in system.params[w.head]
                   if not isinstance(v.type, (ArrayType, BoolType)) and v.name != str(w.counter)]
        out.setdefault(w.head, []).extend(atom for v in scalars
                                          for atom in ((w.counter <= v, w.counter < v) if w.step > 0
                                                       else (w.counter >= v, w.counter > v)))
    stored = []
    for block in system.blocks:
        if block.src == block.dst:
            continue
        pre, _, updates = encode_block(system, enc, block)
        names = {v.name for v in pre}
        for var, term in updates.items():
            if isinstance(var.type, ArrayType) and z3.is_store(term) and \
                    set(constants(term.arg(1))) | set(constants(term.arg(2))) <= names:  # any array before
                stored.append(z3.Select(enc.constant(var.name, var.type), term.arg(1)) == term.arg(2))
    for head in system.loop_heads:
        names = {v.name for v in system.params[head]}
        out.setdefault(head, []).extend(f for f in stored if set(constants(f)) <= names)
    return out


def _walks(system: TransitionSystem, enc: Encoder) -> list[_Walk]:
    """The loops that move a counter by one each time round, with its start and ends."""
    walks = []
    for head in system.loop_heads:
        steps: dict[str, set[int]] = {}
        rounds = [b for b in system.blocks if b.src == head and b.dst == head]
        for block in rounds:
            pre, guard, updates = encode_block(system, enc, block)
            before = {v.name: t for v, t in pre.items()}
            for var, term in updates.items():
                if var.name in before and term.sort().kind() == z3.Z3_INT_SORT:
                    steps.setdefault(var.name, set()).update(_steps(enc, guard, term - before[var.name]))
        for name, moves in steps.items():
            if moves not in map(set, STEPS):  # each round moves it one way by one, or leaves it
                continue
            counter = enc.constant(name, next(v.type for v in system.params[head] if v.name == name))
            step = sum(moves)
            ends = tuple(_ends(system, enc, head, name, step)) if 0 not in moves else ()
            places = tuple(_distinct_places([(sign, t) for b in rounds for part in _parts(system, enc, b)
                                             for at, sign, t in _cells(part) if at == name])) \
                or ((1, z3.IntVal(0, enc.ctx)),)
            walks += [_Walk(head, counter, step, start, ends, places) for start in _starts(system, enc, head, name)]
    return walks


def _steps(enc: Encoder, guard: z3.BoolRef, moved: z3.ExprRef) -> set[int]:
    """The steps a round may move a counter by (`moved`: its new value less the old), where the round's
    guard keeps them to one of STEPS: an unsigned counter's `i + 1` wraps only past its type's maximum,
    which a loop's `i < n` keeps it from; a branch that stores and counts (`b[n] = x; n++` or nothing)
    moves it by 0 or 1. Else {0}: not a counter."""
    step = z3.simplify(moved)
    if z3.is_int_value(step):
        return {step.as_long()}
    solver = z3.Solver(ctx=enc.ctx)
    solver.set("timeout", STEP_MS)
    solver.add(guard)
    for steps in STEPS:
        if solver.check(z3.And(*[moved != one for one in steps])) == z3.unsat:
            return set(steps)
    return {0}


def _starts(system: TransitionSystem, enc: Encoder, head: int, counter: str, seen: frozenset[int] = frozenset()) -> list[int]:
    """The constants the blocks into the loop set `counter` to (none where one sets it otherwise). A block
    from an earlier loop that leaves it alone, where that loop's rounds do too, passes on the constants
    that loop was entered with (`b = 0;` before a fill loop, then the loop that counts with b)."""
    starts: set[int] = set()
    for block in system.blocks:
        if block.dst != head or block.src == head:
            continue
        _, _, updates = encode_block(system, enc, block)
        value = next((z3.simplify(t) for v, t in updates.items() if v.name == counter), None)
        if value is not None and z3.is_int_value(value):
            starts.add(value.as_long())
        elif value is not None and str(value) == counter and block.src in system.loop_heads and \
                block.src not in seen and _kept_round(system, enc, block.src, counter):
            before = _starts(system, enc, block.src, counter, seen | {head})
            if not before:
                return []
            starts |= set(before)
        else:
            return []
    return sorted(starts)


def _kept_round(system: TransitionSystem, enc: Encoder, head: int, name: str) -> bool:
    """Whether every round of the loop leaves `name` alone."""
    for block in system.blocks:
        if block.src == head == block.dst:
            _, _, updates = encode_block(system, enc, block)
            if any(v.name == name and str(t) != name for v, t in updates.items()):
                return False
    return True


def _ends(system: TransitionSystem, enc: Encoder, head: int, counter: str, step: int) -> list[z3.ExprRef]:
    """What the loop's exits into a later loop compare its counter with (terms over other variables):
    where it has ended, the counter has reached one of them. An exit straight to an error needs no
    closed fact: the open one holds there."""
    ends = []
    for block in system.blocks:
        if block.src != head or block.dst == head or block.dst not in system.loop_heads:
            continue
        _, guard, _ = encode_block(system, enc, block)
        for atom in comparisons(guard):
            left, right = atom.children()
            for mine, other in ((left, right), (right, left)):
                if z3.is_const(mine) and str(mine) == counter and counter not in constants(other):
                    ends += [other, z3.simplify(other + step)]  # left at `other` (i < n) or one past it (i <= n)
    return _distinct(ends)


def _cell_facts(system: TransitionSystem, enc: Encoder, k: z3.ExprRef) -> list[z3.BoolRef]:
    """Statements about cell `k`: what a loop round stores at a cell `i + t` (`i` a variable, `t` a term
    without it: a pointer's offset, or 0), and each comparison of a cell read at such an index (and its
    negation), with `i` read as `k - t`: the cell itself is `k`, which z3 instantiates at the cells the
    blocks read."""
    facts = []
    for block in system.blocks:
        pre, guard, updates = encode_block(system, enc, block)
        names = {v.name: v for v in pre}
        if block.src == block.dst:
            for var, term in updates.items():
                if isinstance(var.type, ArrayType) and z3.is_store(term):
                    base, index, value = term.children()
                    if str(base) == var.name and set(constants(value)) <= set(names):
                        for name, sign, shift in _cells(index, whole=True):
                            if name not in names:  # a nondeterministic index (`a[nondet()] = 0`): no counter
                                continue
                            at = enc.constant(name, names[name].type)
                            facts.append(z3.Select(base, k) == z3.simplify(z3.substitute(value, (at, sign * (k - shift)))))
        for atom in comparisons(guard):
            if not set(constants(atom)) <= set(names) or any(z3.is_int_value(side) and side.as_long() in TYPE_BOUNDS
                                                             for side in atom.children()):
                continue  # a nondeterministic value read on the way; a cell's type range, which every read states
            for name, sign, shift in _cells(atom):
                read = z3.simplify(z3.substitute(atom, (enc.constant(name, names[name].type), sign * (k - shift))))
                facts += [read, z3.Not(read)]
    return _distinct(facts)


def _parts(system: TransitionSystem, enc: Encoder, block: Block) -> list[z3.ExprRef]:
    """A round's guard and new values: where its cells are read and written."""
    _, guard, updates = encode_block(system, enc, block)
    return [guard, *updates.values()]


def _cells(term: z3.ExprRef, whole: bool = False) -> list[tuple[str, int, z3.ExprRef]]:
    """(i, s, t) for each cell `s*i + t` the term reads or writes (with `whole`, the term is itself an
    index): `i` a variable, s 1 or -1 (`b[n - 1 - i]` counts down the cells as i counts up) and `t` a
    term without i."""
    indices, stack, seen = ([term] if whole else []), ([] if whole else [term]), set()
    while stack:
        t = stack.pop()
        if t.get_id() in seen:
            continue
        seen.add(t.get_id())
        if z3.is_select(t) or z3.is_store(t):
            indices.append(t.arg(1))
        stack.extend(t.children())
    found = []
    for index in _distinct(indices):
        for name, variable in constants(index).items():
            if variable.sort().kind() == z3.Z3_INT_SORT:
                for sign in (1, -1):
                    shift = z3.simplify(index - sign * variable)
                    if name not in constants(shift):
                        found.append((name, sign, shift))
    return found


def _distinct_places(places: list[tuple[int, z3.ExprRef]]) -> list[tuple[int, z3.ExprRef]]:
    seen: dict[tuple[int, str], tuple[int, z3.ExprRef]] = {}
    for sign, t in places:
        seen.setdefault((sign, t.sexpr()), (sign, t))
    return list(seen.values())


def _distinct(terms: list) -> list:
    seen: dict[str, z3.ExprRef] = {}
    for t in terms:
        seen.setdefault(t.sexpr(), t)
    return list(seen.values())
