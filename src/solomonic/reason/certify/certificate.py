"""Safety certificates: an inductive invariant per loop head, checked from scratch.

An invariant is a formula over the mathematical values of the variables live at its loop head (the
integer a machine word stands for). The check uses a Z3 context of its own and plain validity queries,
one per block of the transition system, each in a fresh solver: invariant at the source and the block's transition imply the
invariant at the target (`true` at the entry, `false` at BAD and POISON). For C it runs on the
bit-vector encoding, with the invariant restated in bit-vector arithmetic wide enough to be exact, so it
is independent of the integer encoding Spacer worked with; invariants over arrays, or with operations
that have no exact wide form (div, mod), are checked in the integer encoding. A system whose blocks
themselves convert machine words to mathematical integers (a recursive function's summaries, facts over
the integers) is checked in the integer encoding first: in bit-vectors those conversions leave Z3 a mixed
problem it rarely decides (rec_counter1: 18 s undecided, against 0.1 s for the whole certificate as
integers). Both encodings are exact, so the order changes the time a check takes, never its verdict.
"""

from __future__ import annotations

import functools
import operator
import time
from dataclasses import dataclass

import z3

from solomonic.reason.ir import BOOL, App, ArrayType, BVType, Expr, IntType, Type, Var
from solomonic.reason.symbolic.encode import Encoder
from solomonic.reason.symbolic.printer import show_z3
from solomonic.reason.symbolic.system import BAD, POISON, TransitionSystem


@dataclass
class Invariant:
    location: int  # loop head
    line: int
    variables: list[tuple[str, str]]  # (name, sort: "Int" or an SMT-LIB array sort)
    smt2: str  # the formula, as an SMT-LIB term
    readable: str | z3.BoolRef  # the formula as people read it, or the formula to print when first read

    @property
    def text(self) -> str:
        """The formula, readable: printed on first reading, as a check states invariants (a recursive
        certificate's summaries) it never shows, and printing them cost half its re-check."""
        if not isinstance(self.readable, str):
            self.readable = show_z3(self.readable)
        return self.readable

    def __getstate__(self) -> dict:
        """Pickled as text (the engines' worker processes send invariants back): a Z3 term cannot be."""
        return {**self.__dict__, "readable": self.text}

    def to_json(self) -> dict:
        return {"line": self.line, "location": self.location, "invariant": self.text,
                "smt2": self.smt2, "variables": dict(self.variables)}

    @staticmethod
    def from_json(d: dict) -> Invariant:
        return Invariant(d["location"], d["line"], list(d["variables"].items()), d["smt2"], d["invariant"])


def int_sort_name(t: Type) -> str:
    if isinstance(t, ArrayType):
        return f"(Array {int_sort_name(t.index)} {int_sort_name(t.elem)})"
    return "Bool" if t == BOOL else "Int"


def make_invariant(system: TransitionSystem, loc: int, formula: z3.BoolRef) -> Invariant:
    variables = [(v.name, int_sort_name(v.type)) for v in system.params[loc]]
    return Invariant(loc, system.function.cfg.lines[loc], variables, formula.sexpr(), formula)


def parse_invariant(inv: Invariant, ctx: z3.Context) -> tuple[z3.BoolRef, dict[str, z3.ExprRef]]:
    decls = "".join(f"(declare-const {_quote(n)} {s})" for n, s in inv.variables)
    formula = z3.parse_smt2_string(f"{decls}(assert {inv.smt2})", ctx=ctx)[0]
    consts = {n: z3.Const(n, _sort(s, ctx)) for n, s in inv.variables}
    return formula, consts


def _sort(name: str, ctx: z3.Context) -> z3.SortRef:
    if name == "Int":
        return z3.IntSort(ctx)
    if name == "Bool":
        return z3.BoolSort(ctx)
    inner = name[len("(Array ") : -1]
    depth, split = 0, None
    for i, ch in enumerate(inner):
        depth += ch == "("
        depth -= ch == ")"
        if ch == " " and depth == 0:
            split = i
            break
    return z3.ArraySort(_sort(inner[:split], ctx), _sort(inner[split + 1 :], ctx))


def _quote(name: str) -> str:
    return name if name.replace("_", "a").isalnum() and not name[0].isdigit() else f"|{name}|"


def wide_forms(system: TransitionSystem, invariants: list[Invariant],
               ctx: z3.Context) -> dict[int, tuple[z3.BoolRef, dict[str, z3.ExprRef]]] | None:
    """Each invariant restated in bit-vector arithmetic, over bit-vector constants named as the head's
    variables (to be substituted by each block's terms), keyed by loop head; None where the bit-vector
    check does not apply: a function without machine words (Python), with arrays, or an invariant with
    an operation that has no exact wide bit-vector form. Made once per check: every query at a head
    states the same formula, only at other terms."""
    if not _bit_vectors_apply(system):
        return None
    forms = {}
    for inv in invariants:
        formula, consts = parse_invariant(inv, ctx)
        by_name = {v.name: v for v in system.params[inv.location]}
        bits = {n: z3.BitVec(n, by_name[n].type.width, ctx) for n in consts}
        try:
            wide = WideBV({consts[n].get_id(): (bits[n], by_name[n].type) for n in consts}).formula(formula)
        except NotImplementedError:
            return None
        forms[inv.location] = wide, bits
    return forms


def _bit_vectors_apply(system: TransitionSystem) -> bool:
    """Whether the bit-vector check can apply at all: the state has machine words and no arrays."""
    variables = [v for vs in system.params.values() for v in vs]
    return any(isinstance(v.type, BVType) for v in variables) and not any(isinstance(v.type, ArrayType)
                                                                            for v in variables)


class WideBV:
    """An integer invariant over machine words, restated exactly in bit-vector arithmetic: every
    subterm is computed at a width its value range provably fits (interval analysis), so nothing wraps.
    Supports linear and polynomial arithmetic, division and remainder by a positive constant,
    comparisons, ite, Boolean structure, and the int encoding's bitwise operations (`BV2Int(Int2BV(x) &
    Int2BV(y))`: the bit-vector part kept, its integer operands and result restated)."""

    def __init__(self, variables: dict[int, tuple[z3.ExprRef, Type]]):
        self.variables = variables  # id of the integer constant -> (its bit-vector term, machine type)
        self.ranges: dict[int, tuple[int, int]] = {}

    def formula(self, f: z3.BoolRef) -> z3.BoolRef:
        width = 2
        for lo, hi in self._ranges(f):
            width = max(width, max(abs(lo), abs(hi)).bit_length() + 2)
        self.width = width
        return self._bool(f)

    def _ranges(self, f: z3.ExprRef):
        todo, seen = [f], set()
        while todo:
            t = todo.pop()
            if t.get_id() in seen:
                continue
            seen.add(t.get_id())
            todo.extend(t.children())
            if z3.is_int(t):
                yield self._range(t)

    def _range(self, t: z3.ExprRef) -> tuple[int, int]:
        key = t.get_id()
        if key in self.ranges:
            return self.ranges[key]
        if z3.is_int_value(t):
            r = (t.as_long(), t.as_long())
        elif z3.is_const(t):
            if key not in self.variables:
                raise NotImplementedError(f"unknown constant {t}")
            machine = self.variables[key][1]
            if not isinstance(machine, BVType):
                raise NotImplementedError(f"{t} is not a machine integer")
            r = (machine.min, machine.max)
        else:
            k = t.decl().kind()
            kids = [self._range(c) for c in t.children() if z3.is_int(c)]
            if k == z3.Z3_OP_ADD:
                r = (sum(lo for lo, _ in kids), sum(hi for _, hi in kids))
            elif k == z3.Z3_OP_SUB:
                r = (kids[0][0] - sum(hi for _, hi in kids[1:]), kids[0][1] - sum(lo for lo, _ in kids[1:]))
            elif k == z3.Z3_OP_UMINUS:
                r = (-kids[0][1], -kids[0][0])
            elif k == z3.Z3_OP_MUL:
                r = kids[0]
                for lo, hi in kids[1:]:
                    ends = [a * b for a in r for b in (lo, hi)]
                    r = (min(ends), max(ends))
            elif k == z3.Z3_OP_ITE:
                r = (min(kids[0][0], kids[1][0]), max(kids[0][1], kids[1][1]))
            elif k == z3.Z3_OP_BV2INT:
                r = (0, (1 << t.arg(0).size()) - 1)
            elif k in (z3.Z3_OP_IDIV, z3.Z3_OP_MOD) and _positive_constant(t.arg(1)):
                divisor = t.arg(1).as_long()
                r = (kids[0][0] // divisor, kids[0][1] // divisor) if k == z3.Z3_OP_IDIV else (0, divisor - 1)
            else:
                raise NotImplementedError(f"operator {t.decl().name()}")
        self.ranges[key] = r
        return r

    def _int(self, t: z3.ExprRef) -> z3.BitVecRef:
        w = self.width
        if z3.is_int_value(t):
            return z3.BitVecVal(t.as_long(), w, t.ctx)
        if z3.is_const(t):
            term, machine = self.variables[t.get_id()]
            extend = z3.SignExt if machine.signed else z3.ZeroExt
            return extend(w - machine.width, term)
        k = t.decl().kind()
        kids = t.children()
        if k == z3.Z3_OP_BV2INT:
            return z3.ZeroExt(w - kids[0].size(), self._bits(kids[0]))
        if k == z3.Z3_OP_ITE:
            return z3.If(self._bool(kids[0]), self._int(kids[1]), self._int(kids[2]))
        args = [self._int(c) for c in kids]
        if k == z3.Z3_OP_ADD:
            return functools.reduce(operator.add, args)
        if k == z3.Z3_OP_SUB:
            return functools.reduce(operator.sub, args)
        if k == z3.Z3_OP_UMINUS:
            return -args[0]
        if k == z3.Z3_OP_MUL:
            return functools.reduce(operator.mul, args)
        if k in (z3.Z3_OP_IDIV, z3.Z3_OP_MOD):  # by a positive constant (_range): SMT-LIB's floor division
            remainder = args[0] % args[1]  # bvsmod: the sign of the divisor, so in [0, divisor - 1]
            return remainder if k == z3.Z3_OP_MOD else (args[0] - remainder) / args[1]  # an exact quotient
        raise NotImplementedError(f"operator {t.decl().name()}")

    def _bits(self, t: z3.ExprRef) -> z3.BitVecRef:
        """A bit-vector term of the int encoding (its exact form of a bitwise operation): Int2BV(x) is
        the low bits of x's wide two's complement, bit-vector operations stay what they are."""
        if z3.is_bv_value(t):
            return t
        if z3.is_app_of(t, z3.Z3_OP_BV2INT) or not z3.is_app(t) or t.num_args() == 0:
            raise NotImplementedError(f"bit-vector term {t.decl().name() if z3.is_app(t) else t}")
        if z3.is_app_of(t, z3.Z3_OP_INT2BV):
            wide, w = self._int(t.arg(0)), t.size()
            return z3.Extract(w - 1, 0, wide) if self.width >= w else z3.SignExt(w - self.width, wide)
        if z3.is_app_of(t, z3.Z3_OP_ITE):
            return z3.If(self._bool(t.arg(0)), self._bits(t.arg(1)), self._bits(t.arg(2)))
        if t.decl().kind() not in _BIT_OPERATIONS:
            raise NotImplementedError(f"operator {t.decl().name()}")
        return t.decl()(*[self._bits(c) for c in t.children()])

    def _bool(self, f: z3.ExprRef) -> z3.BoolRef:
        if z3.is_true(f) or z3.is_false(f):
            return f
        k = f.decl().kind()
        if k == z3.Z3_OP_UNINTERPRETED:  # a Boolean variable
            return self.variables[f.get_id()][0]
        kids = f.children()
        if not kids and k in (z3.Z3_OP_AND, z3.Z3_OP_OR):  # the empty conjunction (an invariant of no conjuncts)
            return z3.BoolVal(k == z3.Z3_OP_AND, f.ctx)
        if k in (z3.Z3_OP_AND, z3.Z3_OP_OR, z3.Z3_OP_NOT, z3.Z3_OP_IMPLIES, z3.Z3_OP_XOR) or (
                k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT, z3.Z3_OP_ITE) and z3.is_bool(kids[-1])):
            sub = [self._bool(c) for c in kids]
            return {z3.Z3_OP_AND: lambda: z3.And(*sub), z3.Z3_OP_OR: lambda: z3.Or(*sub),
                    z3.Z3_OP_NOT: lambda: z3.Not(sub[0]), z3.Z3_OP_IMPLIES: lambda: z3.Implies(*sub),
                    z3.Z3_OP_XOR: lambda: z3.Xor(*sub), z3.Z3_OP_EQ: lambda: sub[0] == sub[1],
                    z3.Z3_OP_DISTINCT: lambda: z3.Distinct(*sub), z3.Z3_OP_ITE: lambda: z3.If(*sub)}[k]()
        compare = {z3.Z3_OP_LE: operator.le, z3.Z3_OP_LT: operator.lt, z3.Z3_OP_GE: operator.ge,
                   z3.Z3_OP_GT: operator.gt, z3.Z3_OP_EQ: operator.eq}
        if kids and z3.is_bv(kids[0]) and (k in _BIT_COMPARISONS or k in (z3.Z3_OP_EQ, z3.Z3_OP_DISTINCT)):
            return f.decl()(*[self._bits(c) for c in kids])
        if k in compare:
            return compare[k](self._int(kids[0]), self._int(kids[1]))
        if k == z3.Z3_OP_DISTINCT:
            return z3.Distinct(*[self._int(c) for c in kids])
        raise NotImplementedError(f"operator {f.decl().name()}")


_BIT_OPERATIONS = {z3.Z3_OP_BAND, z3.Z3_OP_BOR, z3.Z3_OP_BXOR, z3.Z3_OP_BNOT, z3.Z3_OP_BSHL, z3.Z3_OP_BLSHR,
                   z3.Z3_OP_BASHR, z3.Z3_OP_BADD, z3.Z3_OP_BSUB, z3.Z3_OP_BMUL, z3.Z3_OP_BNEG,
                   z3.Z3_OP_EXTRACT, z3.Z3_OP_ZERO_EXT, z3.Z3_OP_SIGN_EXT, z3.Z3_OP_CONCAT}
_BIT_COMPARISONS = {z3.Z3_OP_SLT, z3.Z3_OP_SLEQ, z3.Z3_OP_SGT, z3.Z3_OP_SGEQ, z3.Z3_OP_ULT, z3.Z3_OP_ULEQ,
                    z3.Z3_OP_UGT, z3.Z3_OP_UGEQ}


def _positive_constant(t: z3.ExprRef) -> bool:
    return z3.is_int_value(t) and t.as_long() > 0


def check(system: TransitionSystem, invariants: list[Invariant], timeout_s: float,
          ctx: z3.Context | None = None) -> tuple[str | None, str]:
    """(None, semantics) if the invariants prove BAD and POISON unreachable, else (why not, semantics).
    Bit-vector semantics first where they apply, unless the system mixes machine words with integers
    (`mixes_integers`) or an invariant multiplies variables (`multiplies`); the other semantics only
    when the first could not decide (a failed check is final). Every query runs in `ctx`, a context of
    the check's own (fresh when not given; a caller checking a whole certificate passes one for all its
    parts): nothing of the engines' solvers is used, and one context per check rather than per encoding
    spares its creation."""
    ctx = z3.Context() if ctx is None else ctx
    deadline = time.monotonic() + timeout_s
    modes = ["int"]
    if _bit_vectors_apply(system):
        integers_first = mixes_integers(system) or any(multiplies(parse_invariant(inv, ctx)[0]) for inv in invariants)
        modes = ["int", "bv"] if integers_first else ["bv", "int"]
    problem, tried = "", "int"
    for i, mode in enumerate(modes):
        wide = wide_forms(system, invariants, ctx) if mode == "bv" else {}  # made only when used
        if wide is None:
            continue
        share = (deadline - time.monotonic()) * (0.6 if i + 1 < len(modes) else 1.0)
        status, problem = _check_in(mode, system, invariants, wide, ctx, max(0.05, share))
        if status != "undecided":
            return (None if status == "holds" else problem), SEMANTICS[mode]
        tried = mode
    return problem, SEMANTICS[tried]


SEMANTICS = {"bv": "bit-vector", "int": "integer"}


def multiplies(formula: z3.ExprRef) -> bool:
    """Whether a formula multiplies two variables (a conserved quantity such as 2x + y*y + y): restated
    in bit-vectors, each such product is a multiplier circuit twice a word wide, which Z3 did not decide
    in 18 s on 2Nested-1's loop, where the integer encoding decides in 0.04 s. Both encodings are exact
    and a failure in the first is final, so the order changes the time, never the verdict."""
    seen: set[int] = set()
    todo = [formula]
    while todo:
        e = todo.pop()
        if e.get_id() in seen:
            continue
        seen.add(e.get_id())
        # a factor that simplifies to a numeral is a coefficient: Spacer writes -x as (* (- 1) x)
        if z3.is_mul(e) and sum(not z3.is_int_value(z3.simplify(a)) for a in e.children()) >= 2:
            return True
        todo.extend(e.children())
    return False


def mixes_integers(system: TransitionSystem) -> bool:
    """Whether a block converts between a machine word and a mathematical integer (in C, a recursive
    function's summaries are facts over the integers, assumed where each call returns). Read off the
    system, never off a certificate, so what a stored certificate says cannot choose how it is checked."""
    seen: set[int] = set()
    todo: list[Expr] = [e for block in system.blocks for e in (block.guard, *block.update.values())]
    while todo:
        e = todo.pop()
        if not isinstance(e, App) or id(e) in seen:
            continue
        seen.add(id(e))
        if e.op == "cast" and {type(e.type), type(e.args[0].type)} == {BVType, IntType}:
            return True
        todo.extend(e.args)
    return False


def _check_in(mode: str, system: TransitionSystem, invariants: list[Invariant],
              wide: dict[int, tuple[z3.BoolRef, dict[str, z3.ExprRef]]], ctx: z3.Context,
              timeout_s: float) -> tuple[str, str]:
    """One fresh solver per block's query: the queries share the context's terms, never a solver."""
    enc = Encoder(mode, ctx)
    by_location = {inv.location: inv for inv in invariants}
    missing = [c for c in system.loop_heads if c not in by_location]
    if missing:
        return "fails", f"no invariant for the loop at line {system.function.cfg.lines[missing[0]]}"
    stated = wide if mode == "bv" else {c: parse_invariant(inv, ctx) for c, inv in by_location.items()}

    def holds_at(loc: int, env: dict[Var, z3.ExprRef]) -> z3.BoolRef:
        if loc in (BAD, POISON):
            return z3.BoolVal(False, ctx)
        if loc == system.entry:
            return z3.BoolVal(True, ctx)
        formula, consts = stated[loc]
        pairs = [(consts[v.name], env[v]) for v in system.params[loc]]
        return z3.substitute(formula, *pairs) if pairs else formula

    # A polynomial invariant's step is its own polynomial again, written otherwise ((y - 1)*(y - 1) for
    # y*y): as sums of monomials the two cancel (2Nested-1's step: 0.001 s, against 2 s without).
    polynomial = mode == "int" and any(multiplies(formula) for formula, _ in stated.values())
    deadline = time.monotonic() + timeout_s
    for block in system.blocks:
        src_env = {v: enc.constant(v.name, v.type) for v in system.params[block.src]}
        nd_env = {nd: enc.constant(nd.name, nd.type) for nd in block.nondets}
        guard, updates = enc.block(block, src_env, nd_env)
        ranges = [enc.in_range(t, v.type) for v, t in src_env.items()]
        solver = z3.Solver(ctx=ctx)
        solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
        query = [holds_at(block.src, src_env), *ranges, guard, z3.Not(holds_at(block.dst, updates))]
        solver.add(*([z3.simplify(q, som=True) for q in query] if polynomial else query))
        result = solver.check()
        if result != z3.unsat:
            lines = system.function.cfg.lines
            where = "a failure" if block.dst in (BAD, POISON) else f"the loop at line {lines[block.dst]}"
            path = f"on the path from line {lines[block.src]} to {where}"
            if result == z3.sat:
                return "fails", f"invariant check fails {path}"
            return "undecided", f"invariant check undecided ({solver.reason_unknown()}) {path}"
    return "holds", ""
