"""Candidate invariants and Houdini: the largest inductive subset of atoms read off the program.

Atoms at a loop head are over the head's variables: the program's own comparisons (at the block's
source, or carried into its target through an invertible effect, or onward through blocks that leave
their variables alone, or as the program writes them), sign facts, the order of two scalars, and
facts about array elements.
"""

from __future__ import annotations

import itertools
import time
import weakref
from collections.abc import Callable

import z3

from solomonic.reason.certify.certificate import WideBV
from solomonic.reason.ir import (
    App,
    ArrayType,
    Assign,
    Assume,
    BoolType,
    BVType,
    Const,
    Expr,
    Havoc,
    Type,
    Var,
    free_vars,
    substitute,
)
from solomonic.reason.symbolic.encode import Encoder, all_of, constants, converts_to_bits
from solomonic.reason.symbolic.system import Block, TransitionSystem

TYPE_BOUNDS = {b for w in (8, 16, 32, 64) for b in (-(1 << (w - 1)), (1 << (w - 1)) - 1, (1 << w) - 1)}
MIRRORED = {z3.Z3_OP_LE: z3.Z3_OP_GE, z3.Z3_OP_GE: z3.Z3_OP_LE, z3.Z3_OP_LT: z3.Z3_OP_GT, z3.Z3_OP_GT: z3.Z3_OP_LT}
MAX_ORDERED = 8  # order facts x <= y only at heads with at most this many scalars (quadratic in them)
DEFINITION_DEPTH = 4  # variables assigned once, replaced by what they were assigned, this deep
MAX_TERMINATORS = 4  # constant cells whose indices bound the scalars (an array zeroed cell by cell has many)
MAX_CASES = 1  # conditions a loop's facts are split on (each triples the candidates at its head)
SPLIT_CHECK_MS = 200  # whether a head's facts decide a condition: a query each side


_CANDIDATES: weakref.WeakKeyDictionary[Encoder, dict[int, tuple]] = weakref.WeakKeyDictionary()


def candidates(system: TransitionSystem, enc: Encoder) -> dict[int, list[z3.BoolRef]]:
    """Candidate invariant atoms per loop head, over its variables. Kept per encoder and system (the
    system with them, so that its id is not reused): a termination proof and its lasso search both ask."""
    known = _CANDIDATES.setdefault(enc, {})
    if id(system) not in known:
        known[id(system)] = (system, _candidates(system, enc))
    return {c: list(atoms) for c, atoms in known[id(system)][1].items()}


def _candidates(system: TransitionSystem, enc: Encoder) -> dict[int, list[z3.BoolRef]]:
    out: dict[int, list[z3.BoolRef]] = {c: [] for c in system.loop_heads}
    seen: dict[int, set[str]] = {c: set() for c in system.loop_heads}

    def add(c: int, atom: z3.BoolRef) -> bool:
        key = atom.sexpr()
        if c in out and key not in seen[c]:
            seen[c].add(key)
            out[c].append(atom)
            return True
        return False

    names_in = _NamesIn()
    read_constants = {0}  # constants an array element is compared with
    kept_by: list[tuple[Block, set[str]]] = []  # each block between heads, and the names it leaves alone
    for block in system.blocks:
        _, guard, updates = encode_block(system, enc, block)
        atoms = [b for a in comparisons(guard) for b in _with_boundary(a)]
        read_constants |= {side.as_long() for a in atoms if any(z3.is_select(x) for x in a.children())
                           for side in a.children() if z3.is_int_value(side)}
        src_names = {v.name for v in system.params[block.src]}
        for a in atoms:
            if names_in(a) <= src_names:
                add(block.src, a)
                add(block.src, z3.Not(a))
        if block.dst in out:  # guard atoms restated over the target's names, where the block is invertible
            inverse = _inverse(updates, enc)
            dst_names = {v.name for v in system.params[block.dst]}
            for a in atoms:
                found = names_in.constants(a)
                if found and set(found) <= set(inverse):
                    pairs = [(t, inverse[n]) for n, t in found.items() if not inverse[n].eq(t)]
                    moved = z3.simplify(z3.substitute(a, *pairs)) if pairs else a
                    if names_in(moved) <= dst_names and not z3.is_true(moved):
                        add(block.dst, moved)
            if block.src in out:
                kept_by.append((block, _unchanged(updates)))
    _carry_onward(out, kept_by, add, names_in)
    written = _written_conditions(system, enc)
    defined = _definitions(system, enc)
    cells = _constant_cells(system)[:MAX_TERMINATORS]
    assigned = _assigned_constants(system)
    for c in system.loop_heads:
        names = {v.name for v in system.params[c]}
        for a in written:
            if names_in(a) <= names:
                add(c, a)
                add(c, z3.Not(a))
        for a in defined:
            if names_in(a) <= names:
                add(c, a)
        scalars = [enc.constant(v.name, v.type) for v in system.params[c]
                   if not isinstance(v.type, (ArrayType, BoolType))]
        for x in scalars:
            add(c, x >= 0)
            add(c, x >= 1)
            add(c, x <= 0)
            add(c, x != 0)
            if str(x) in assigned:  # a flag or a direction set to constants keeps between them
                add(c, x >= min(assigned[str(x)]))
                add(c, x <= max(assigned[str(x)]))
        if len(scalars) <= MAX_ORDERED:
            for x, y in itertools.permutations(scalars, 2):
                add(c, x <= y)
        for atom in _narrow_ranges(out[c], {v.name: v.type for v in system.params[c]}, names_in):
            add(c, atom)
        for atom in _element_facts(system, enc, c, read_constants):
            add(c, atom)
        for atom in _terminator_bounds(system, enc, c, cells, read_constants):
            add(c, atom)
    return out


def _narrow_ranges(atoms: list[z3.BoolRef], types: dict[str, Type], names_in: _NamesIn) -> list[z3.BoolRef]:
    """Where a head's atom compares a narrow machine integer with a wider one, the wider one against
    the narrow one's range: `for (c = 0; c < n; c++)` over an unsigned char never ends where n > 255,
    the closed recurrent set the lasso search needs (the atoms the program writes never say 255)."""
    found = []
    for atom in atoms:
        named = names_in.constants(atom)
        if len(named) != 2:
            continue
        for (narrow, _), (wide, term) in itertools.permutations(named.items(), 2):
            small, large = types.get(narrow), types.get(wide)
            if isinstance(small, BVType) and isinstance(large, BVType) and large.min <= small.min and \
                    small.max < large.max:
                found.append(term > small.max)
                if large.min < small.min:
                    found.append(term < small.min)
    return found


def split(system: TransitionSystem, enc: Encoder, found: dict[int, list[z3.BoolRef]]) -> dict[int, list[z3.BoolRef]]:
    """Per loop head, the comparisons a loop's body branches on whose variables no iteration changes
    (`if (y % 2 == 0) x += 2; else x++;`), then those its exits do (`if (flag) assert(a == b)` after
    the loop), and the head's facts `found` leave open: each splits the
    loop's executions into two that never meet, and what holds on one side (x is even where y is) the
    other breaks, so no fact of every run says it. At most MAX_CASES a head, in the order its blocks'
    guards come; a condition the facts decide (a pointer's null flag, 0 at every iteration) splits
    nothing."""
    out: dict[int, list[z3.BoolRef]] = {}
    names_in = _NamesIn()
    solver = z3.Solver(ctx=enc.ctx)
    solver.set("timeout", SPLIT_CHECK_MS)
    for c in system.loop_heads:
        body = [b for b in system.blocks if b.src == c and b.dst == c]
        if not body:
            continue
        kept = set.intersection(*(_unchanged(encode_block(system, enc, b)[2]) for b in body))
        facts = all_of(found.get(c, []), enc.ctx)
        chosen: dict[str, z3.BoolRef] = {}
        for b in [*body, *(b for b in system.blocks if b.src == c and b.dst != c)]:
            for a in comparisons(encode_block(system, enc, b)[1]):
                if len(chosen) < MAX_CASES and names_in(a) and names_in(a) <= kept and a.sexpr() not in chosen and \
                        all(solver.check(facts, side) == z3.sat for side in (a, z3.Not(a))):
                    chosen[a.sexpr()] = a
        if chosen:
            out[c] = list(chosen.values())
    return out


def _written_conditions(system: TransitionSystem, enc: Encoder) -> list[z3.BoolRef]:
    """The comparisons the program writes, over its variables by name: an assertion's `sn == 2 * x`
    is a candidate at a loop head even where no block's guard states it over that head's values."""
    written: list[App] = []
    stack = [e.stmt.cond if isinstance(e.stmt, Assume) else e.stmt.value for e in system.function.cfg.edges
             if isinstance(e.stmt, (Assume, Assign))]
    while stack:
        e = stack.pop()
        if isinstance(e, App):
            if e.op in ("eq", "ne", "lt", "le", "gt", "ge"):
                written.append(e)
            stack.extend(e.args)
    out = []
    for e in dict.fromkeys(written):  # each once: a condition is written again in every copy of a block
        env = {v: enc.constant(v.name, v.type) for v in free_vars(e)}
        for a in comparisons(enc.expr(e, env)):
            out += _with_boundary(a)
    return out


def _definitions(system: TransitionSystem, enc: Encoder) -> list[z3.BoolRef]:
    """`v == e` for each assignment `v = e` of a scalar from other scalars, where a variable of e assigned
    once in the whole function stands for what it was assigned (an inlined call's parameter is its
    argument): where nothing changes them after, it holds at the heads that follow (a callee's `n` is the
    caller's `j - start + 1` all through the callee's loop, and the bounds on one are bounds on the other)."""
    assignments: dict[Var, list[Expr | None]] = {}  # None: a havoc, a value chosen anew
    for e in system.function.cfg.edges:
        if isinstance(e.stmt, (Assign, Havoc)):
            assignments.setdefault(e.stmt.target, []).append(e.stmt.value if isinstance(e.stmt, Assign) else None)

    def scalar(v: Var) -> bool:
        return not isinstance(v.type, (ArrayType, BoolType))

    def resolved(value: Expr, depth: int) -> Expr:
        once: dict[Var, Expr] = {}
        for v in free_vars(value):
            only = assignments.get(v, [])
            if len(only) == 1 and (x := only[0]) is not None and scalar(v) and all(scalar(u) for u in free_vars(x)):
                once[v] = x
        return value if not once or depth == 0 else resolved(substitute(value, once), depth - 1)

    out = []
    for target, values in assignments.items():
        for value in values:
            if value is None or not scalar(target):
                continue
            value = resolved(value, DEFINITION_DEPTH)
            used = free_vars(value)
            if isinstance(value, Const) or target in used or not all(scalar(v) for v in used):
                continue
            env = {v: enc.constant(v.name, v.type) for v in used | {target}}
            out.append(env[target] == enc.expr(value, env))
    return out


def _terminator_bounds(system: TransitionSystem, enc: Encoder, head: int, cells: list[tuple[str, int, int]],
                       values: set[int]) -> list[z3.BoolRef]:
    """For each of `cells` (`_constant_cells`) whose constant the program compares elements with (a
    terminator, `A[8] = 0`, that a scan `while (s[i] != 0) i++` stops at): the cell's value, and each
    scalar at the head at or before the cell (`i <= 8`, `i <= 7`), what the scan's bounds rest on."""
    arrays = {v.name: v for v in system.params[head] if isinstance(v.type, ArrayType)}
    scalars = [enc.constant(v.name, v.type) for v in system.params[head]
               if not isinstance(v.type, (ArrayType, BoolType))]
    out = []
    for name, index, value in cells:
        if name in arrays and value in values:
            out.append(z3.Select(enc.constant(name, arrays[name].type), index) == value)
            out += [bound for x in scalars for bound in (x <= index, x <= index - 1)]
    return out


def _constant_cells(system: TransitionSystem) -> list[tuple[str, int, int]]:
    """(array, index, value) of each store of a constant (perhaps cast) at a constant index."""
    out: list[tuple[str, int, int]] = []
    for e in system.function.cfg.edges:
        stmt = e.stmt
        if not (isinstance(stmt, Assign) and isinstance(stmt.target.type, ArrayType) and isinstance(stmt.value, App)
                and stmt.value.op == "store"):
            continue
        _, index, value = stmt.value.args
        if isinstance(value, App) and value.op == "cast":
            value = value.args[0]
        if isinstance(index, Const) and isinstance(value, Const) and (stmt.target.name, index.value, value.value) not in out:
            out.append((stmt.target.name, index.value, value.value))
    return out


def _assigned_constants(system: TransitionSystem) -> dict[str, set[int]]:
    """The constants the program assigns to each variable, by name."""
    out: dict[str, set[int]] = {}
    for e in system.function.cfg.edges:
        if isinstance(e.stmt, Assign) and (value := assigned_constant(e.stmt)) is not None:
            out.setdefault(e.stmt.target.name, set()).add(value)
    return out


def assigned_constant(stmt: Assign) -> int | None:
    """The constant (or cast of one) an assignment gives a scalar; None for any other value or target."""
    if isinstance(stmt.target.type, (ArrayType, BoolType)):
        return None
    value = stmt.value
    if isinstance(value, App) and value.op == "cast" and isinstance(value.args[0], Const):
        value = value.args[0]
    return value.value if isinstance(value, Const) else None


class _NamesIn:
    """The variables of a term (`constants`: by name), remembered per term: the candidates are asked about
    the same atoms again and again (every head, every block, every round of carrying), and each walk of a
    large term (an unfolding's conditional results) is slow. The terms are kept, so that an id is never
    reused for another term while it is remembered."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[z3.ExprRef, dict[str, z3.ExprRef], frozenset[str]]] = {}

    def _entry(self, term: z3.ExprRef) -> tuple[z3.ExprRef, dict[str, z3.ExprRef], frozenset[str]]:
        key = term.get_id()
        if key not in self.known:
            found = constants(term)
            self.known[key] = (term, found, frozenset(found))
        return self.known[key]

    def __call__(self, term: z3.ExprRef) -> frozenset[str]:
        return self._entry(term)[2]

    def constants(self, term: z3.ExprRef) -> dict[str, z3.ExprRef]:
        return self._entry(term)[1]


def _carry_onward(out: dict[int, list[z3.BoolRef]], kept_by: list[tuple[Block, set[str]]], add,
                  names_in: _NamesIn) -> None:
    """Atoms at a head hold, unchanged, at the next head where the block between leaves their
    variables alone: a check made once before a loop (a string's terminator) is a candidate at every
    later loop. Repeated until nothing new is carried."""
    carried = True
    while carried:
        carried = False
        for block, kept in kept_by:
            for a in list(out[block.src]):
                if names_in(a) <= kept:
                    carried |= add(block.dst, a)


def _with_boundary(atom: z3.BoolRef) -> list[z3.BoolRef]:
    """A strict comparison with a constant, and its non-strict form: `x < 10` in a loop's guard gives
    `x <= 10`, the value on leaving it. The type range of an array element read is left out: every
    read states it anyway."""
    kind = atom.decl().kind()
    left, right = atom.arg(0), atom.arg(1)
    if kind == z3.Z3_OP_EQ and z3.is_int_value(left) != z3.is_int_value(right):
        term, value = (right, left) if z3.is_int_value(left) else (left, right)
        if not z3.is_select(term):  # x != c in a loop's guard: x stays on one side of c
            return [atom, term <= value, term >= value]
    if kind not in (z3.Z3_OP_LE, z3.Z3_OP_LT, z3.Z3_OP_GE, z3.Z3_OP_GT):
        return [atom]
    if not z3.is_int_value(right):  # c < x is x > c
        left, right, kind = right, left, MIRRORED[kind]
    if not z3.is_int_value(right) or z3.is_int_value(left):
        return [atom]
    if z3.is_select(left) and right.as_long() in TYPE_BOUNDS:
        return []
    if kind == z3.Z3_OP_LT:
        return [atom, left <= right]
    if kind == z3.Z3_OP_GT:
        return [atom, left >= right]
    return [atom]


def _element_facts(system: TransitionSystem, enc: Encoder, head: int, values: set[int]) -> list[z3.BoolRef]:
    """a[x] == v, a[x - 1] == v and their negations for each array a and index-typed x at the head, v a
    constant the program compares an element with: the terminator a string loop runs up to
    (a[size - 1] == 0), the character an inner loop started from (a[i] != 0)."""
    arrays = [v for v in system.params[head] if isinstance(v.type, ArrayType)]
    out = []
    for a in arrays:
        indices = [enc.constant(v.name, v.type) for v in system.params[head] if v.type == a.type.index]
        for x in indices:
            for at in (x, x - 1):
                for value in sorted(values):
                    element = z3.Select(enc.constant(a.name, a.type), at)
                    out += [element == value, element != value]
    return out


def _unchanged(updates: dict[Var, z3.ExprRef]) -> set[str]:
    """The names a block leaves alone (x' = x)."""
    return {v.name for v, t in updates.items() if z3.is_const(t) and str(t) == v.name}


def _inverse(updates: dict[Var, z3.ExprRef], enc: Encoder) -> dict[str, z3.ExprRef]:
    """Source names the block's effect lets one recover from the target's values: a value copied into a
    variable (x' = y, or a fresh input), or a variable moved by a term of variables it leaves alone
    (x' = x + e gives x = x' - e). The strongest postcondition of a guard atom, restated over these."""
    after = {v.name: t for v, t in updates.items()}
    stable = _unchanged(updates)
    inverse: dict[str, z3.ExprRef] = {}
    for v, t in updates.items():
        target = enc.constant(v.name, v.type)
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            inverse.setdefault(str(t), target)
        elif t.sort().kind() == z3.Z3_INT_SORT and v.name in after:
            step = z3.simplify(t - target)  # over source names: x + e - x = e
            names = set(constants(step))
            if v.name not in names and names <= stable:
                inverse.setdefault(v.name, target - step)
    return inverse


def comparisons(f: z3.ExprRef) -> list[z3.BoolRef]:
    """The integer comparisons in a formula's boolean structure (x != y as the equality it denies)."""
    found, stack, seen = [], [f], set()
    while stack:
        t = stack.pop()
        if not z3.is_app(t) or t.get_id() in seen:
            continue
        seen.add(t.get_id())
        kind = t.decl().kind()
        if kind in (z3.Z3_OP_LE, z3.Z3_OP_LT, z3.Z3_OP_GE, z3.Z3_OP_GT) or \
                (kind == z3.Z3_OP_EQ and t.arg(0).sort().kind() == z3.Z3_INT_SORT):
            found.append(t)
        elif kind == z3.Z3_OP_DISTINCT and t.num_args() == 2 and t.arg(0).sort().kind() == z3.Z3_INT_SORT:
            found.append(t.arg(0) == t.arg(1))
        elif z3.is_bool(t):
            stack.extend(t.children())
    return found


def houdini(system: TransitionSystem, enc: Encoder, atoms: dict[int, list[z3.BoolRef]],
            timeout_s: float) -> dict[int, list[z3.BoolRef]] | None:
    """The largest subset of the atoms that is inductive (Houdini): drop what an entering block breaks.
    One solver per block for the whole run, the block asserted once and the source's atoms of each
    visit pushed and popped: a solver costs more to make than most of its queries take, and each atom's
    value after the block is computed once."""
    deadline = time.monotonic() + timeout_s
    current = {c: list(a) for c, a in atoms.items()}
    converting = {a.get_id() for found in atoms.values() for a in found if converts_to_bits([a])} \
        if enc.mode == "int" else set()  # the atoms that turn integers into bit-vectors, walked once
    encoded: list[tuple[Block, z3.Solver, Callable[[z3.BoolRef], z3.BoolRef],
                        Callable[[z3.BoolRef], z3.BoolRef], dict[int, tuple]]] = []
    for block in system.blocks:
        if block.dst not in current:
            continue
        pre, guard, updates = encode_block(system, enc, block)
        solver = z3.Solver(ctx=enc.ctx)
        sources, targets = current.get(block.src, []), current[block.dst]
        converts = enc.mode == "int" and (converts_to_bits([guard, *updates.values()]) or any(
            a.get_id() in converting for a in [*sources, *targets]))
        in_bits = _in_bits(system, enc, block, sources, targets) if converts else None
        if in_bits is not None:
            guard, before, moved_by = in_bits
        else:
            solver.add(*[enc.in_range(t, v.type) for v, t in pre.items()])
            before, moved_by = _identity, _substitution([(enc.constant(v.name, v.type), t) for v, t in updates.items()])
        solver.add(guard)
        encoded.append((block, solver, before, moved_by, {}))
    changed = True
    while changed:
        changed = False
        for block, solver, before, moved_by, moved in encoded:
            targets = current[block.dst]
            if not targets:
                continue
            after = []
            for a in targets:
                if a.get_id() not in moved:
                    moved[a.get_id()] = (a, moved_by(a))  # the atom kept alive
                after.append(moved[a.get_id()][1])
            solver.push()
            solver.add(*[before(a) for a in current.get(block.src, [])])
            try:
                while after:
                    solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
                    status = solver.check(z3.Not(all_of(after, enc.ctx)))
                    if status == z3.unsat:
                        break
                    if status != z3.sat:
                        return None
                    model = solver.model()
                    keep = [z3.is_true(model.eval(a, model_completion=True)) for a in after]
                    targets = [a for a, k in zip(targets, keep) if k]
                    after = [a for a, k in zip(after, keep) if k]
                    changed = True
            finally:
                solver.pop()
            current[block.dst] = targets
    return current


def _identity(atom: z3.BoolRef) -> z3.BoolRef:
    return atom


def _substitution(pairs: list[tuple[z3.ExprRef, z3.ExprRef]]) -> Callable[[z3.BoolRef], z3.BoolRef]:
    return lambda atom: z3.substitute(atom, *pairs) if pairs else atom


def _in_bits(system: TransitionSystem, enc: Encoder, block: Block, sources: list[z3.BoolRef],
             targets: list[z3.BoolRef]) -> tuple[z3.BoolRef, Callable, Callable] | None:
    """A block whose integer formula or atoms turn integers into bit-vectors (a bitwise operation of
    two variables), in bit-vector arithmetic: its guard, the atoms at its source at the state before it
    and those at its target at the state after it, each restated exactly in wide bit-vectors
    (certificate.WideBV). The solver decides such a block's queries by bit-blasting where the mixed
    theories leave it undecided (`x &= ~m`: no answer in 30 s). None where an atom has no exact
    restatement."""
    pre, guard, updates = encode_block(system, Encoder("bv", enc.ctx), block)

    def restated(atoms: list[z3.BoolRef], state: dict[Var, z3.ExprRef]) -> dict[int, z3.BoolRef]:
        words = {enc.constant(v.name, v.type).get_id(): (t, v.type) for v, t in state.items()}
        return {a.get_id(): WideBV(words).formula(a) for a in atoms}

    try:  # each atom once: Houdini only drops atoms, so every later query asks about these
        before, after = restated(sources, pre), restated(targets, updates)
    except NotImplementedError:
        return None
    return guard, lambda a: before[a.get_id()], lambda a: after[a.get_id()]


def essential(literals: list[z3.BoolRef], ctx: z3.Context) -> list[z3.BoolRef]:
    """The literals less those the others imply: the same set, written as a person would. One solver,
    each literal behind an indicator that the queries assume, at most 200 ms a query."""
    if len(literals) < 2:
        return list(literals)
    solver = z3.Solver(ctx=ctx)
    flags = [z3.Bool(f"essential!{i}", ctx) for i in range(len(literals))]
    solver.add(*[z3.Implies(f, lit) for f, lit in zip(flags, literals)])
    solver.set("timeout", 200)
    kept = list(range(len(literals)))
    for i in reversed(range(len(literals))):
        others = [flags[j] for j in kept if j != i]
        if solver.check(*others, z3.Not(literals[i])) == z3.unsat:
            kept.remove(i)
    return [literals[i] for i in kept]


_ENCODED: weakref.WeakKeyDictionary[Encoder, dict[int, tuple]] = weakref.WeakKeyDictionary()


def encode_block(system: TransitionSystem, enc: Encoder, block: Block):
    """A block over its source's variables (by name) and its own nondeterministic values: those
    variables, its guard, and the new values it gives. Kept per encoder and block (the block itself
    with it, so that its id is not reused): the candidates, Houdini, the rankings and the lasso search
    each ask for the same blocks, and encoding a large block is slow."""
    known = _ENCODED.setdefault(enc, {})
    if id(block) not in known:
        pre = {v: enc.constant(v.name, v.type) for v in system.params[block.src]}
        guard, updates = enc.block(block, pre, {n: enc.constant(n.name, n.type) for n in block.nondets})
        known[id(block)] = (block, pre, guard, updates)
    _, pre, guard, updates = known[id(block)]
    return dict(pre), guard, dict(updates)


def converts(system: TransitionSystem, enc: Encoder) -> bool:
    """Whether a block's integer encoding (`enc`, in int mode) turns integers into bit-vectors (a
    bitwise operation of variables): then bit-vector arithmetic decides first what the solver decides
    slowly mixed, if at all (popcount's 34 unrolled steps: undecided in 10 s, 0.3 s in bit-vectors)."""
    return any(converts_to_bits([guard, *updates.values()])
               for _, guard, updates in (encode_block(system, enc, b) for b in system.blocks))


def conjunction(literals: list[z3.BoolRef], ctx: z3.Context) -> z3.BoolRef:
    return all_of(literals, ctx) if literals else z3.BoolVal(True, ctx)
