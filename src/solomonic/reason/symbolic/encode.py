"""Exact encodings of IR expressions as Z3 terms.

Two modes differ only for C machine integers (`BVType`):

- ``"bv"``: bit-vectors, the natural semantics. Used by bounded model checking and certificate checks.
- ``"int"``: mathematical integers in the type's range, with wrap-around written out as linear
  case splits or an explicit quotient. Spacer finds invariants over linear integer arithmetic far more
  readily than over bit-vectors (a counting loop: 14 ms as integers, no answer in 20 s as bit-vectors),
  so the Horn clauses handed to Spacer use this mode. The encoding is exact, not an abstraction.

Python's unbounded ints are `IntType` and encode as Z3 Ints in both modes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import z3
from z3 import z3core
from z3.z3 import _symbol2py, _to_expr_ref

from solomonic.reason.ir import BOOL, NO_SIGNED_WRAP, App, ArrayType, BVType, Const, Expr, IntType, Type, Var
from solomonic.reason.ir.evaluate import ArrayValue


class Encoder:
    def __init__(self, mode: str, ctx: z3.Context):
        assert mode in ("bv", "int")
        self.mode = mode
        self.ctx = ctx
        self.side: list[z3.BoolRef] = []  # definitions of auxiliary quotients (int mode)
        self._fresh = 0

    # ------------------------------------------------------------------------------------ sorts, values

    def sort(self, t: Type) -> z3.SortRef:
        if t == BOOL:
            return z3.BoolSort(self.ctx)
        if isinstance(t, IntType) or (isinstance(t, BVType) and self.mode == "int"):
            return z3.IntSort(self.ctx)
        if isinstance(t, BVType):
            return z3.BitVecSort(t.width, self.ctx)
        assert isinstance(t, ArrayType)
        return z3.ArraySort(self.sort(t.index), self.sort(t.elem))

    def constant(self, name: str, t: Type) -> z3.ExprRef:
        return z3.Const(name, self.sort(t))

    def fresh(self, prefix: str, t: Type) -> z3.ExprRef:
        self._fresh += 1
        return self.constant(f"{prefix}!{self._fresh}", t)

    def value(self, v: int, t: Type) -> z3.ExprRef:
        if t == BOOL:
            return z3.BoolVal(bool(v), self.ctx)
        if isinstance(t, BVType) and self.mode == "bv":
            return z3.BitVecVal(v, t.width, self.ctx)
        return z3.IntVal(v, self.ctx)

    def in_range(self, term: z3.ExprRef, t: Type) -> z3.BoolRef:
        """What the type guarantees about a term of it (int mode: the machine range)."""
        if isinstance(t, BVType) and self.mode == "int":
            return all_of([term >= t.min, term <= t.max], self.ctx)
        return z3.BoolVal(True, self.ctx)

    def as_int(self, term: z3.ExprRef, t: Type) -> z3.ExprRef:
        """The mathematical integer a term of type t stands for (used to state certificates)."""
        if isinstance(t, BVType) and self.mode == "bv":
            return z3.BV2Int(term, is_signed=t.signed)
        if t == BOOL:
            return z3.If(term, z3.IntVal(1, self.ctx), z3.IntVal(0, self.ctx))
        return term

    def decode(self, term: z3.ExprRef, t: Type) -> int | ArrayValue:
        """A model value (a numeral or array term) as the evaluator's Python value."""
        if t == BOOL:
            return int(z3.is_true(term))
        if isinstance(t, ArrayType):
            return self._decode_array(term, t)
        if isinstance(t, BVType) and self.mode == "bv":
            return t.wrap(term.as_long())
        value = term.as_long()
        return t.wrap(value) if isinstance(t, BVType) else value

    def _decode_array(self, term: z3.ExprRef, t: ArrayType) -> ArrayValue:
        entries: dict[int, int] = {}
        whole = term
        while z3.is_store(term):
            index, value = term.arg(1), term.arg(2)
            entries.setdefault(self.decode(index, t.index), self.decode(value, t.elem))
            term = term.arg(0)
        if z3.is_const_array(term):
            return ArrayValue(self.decode(term.arg(0), t.elem), tuple(sorted(entries.items())))

        def cell(index: int) -> int:  # e.g. a lambda: let Z3 evaluate the cell
            value = z3.simplify(z3.Select(whole, self.value(index, t.index)))
            return self.decode(value, t.elem) if z3.is_int_value(value) or z3.is_bv_value(value) else 0

        return ArrayValue(0, tuple(sorted(entries.items())), cell)

    # ------------------------------------------------------------------------------------------ blocks

    def block(self, block, src_env: Mapping[Var, z3.ExprRef], nondet_env: Mapping[Var, z3.ExprRef]):
        """A block's guard (with the type ranges of its nondeterministic values and any auxiliary
        definitions) and the terms of its updated variables."""
        env = {**src_env, **nondet_env}
        self.side = []
        memo: dict = {}
        guard = self.expr(block.guard, env, memo)
        updates = {v: self.expr(e, env, memo) for v, e in block.update.items()}
        ranges = [self.in_range(nondet_env[nd], nd.type) for nd in block.nondets]
        return all_of([guard, *ranges, *self.side], self.ctx), updates

    # ------------------------------------------------------------------------------------- expressions

    def expr(self, e: Expr, env: Mapping[Var, z3.ExprRef], memo: dict | None = None) -> z3.ExprRef:
        """The term for `e` where variables stand for `env`'s terms; share `memo` between
        expressions over the same `env` so that common subterms (and their auxiliaries) are encoded once."""
        memo = {} if memo is None else memo

        def go(x: Expr) -> z3.ExprRef:
            if isinstance(x, Var):
                return env[x]
            if isinstance(x, Const):
                return self.value(x.value, x.type)
            key = id(x)
            if key not in memo:
                memo[key] = self._app(x, go)
            return memo[key]

        return go(e)

    def _app(self, e: App, go) -> z3.ExprRef:
        op = e.op
        if op == "and":
            return all_of([go(a) for a in e.args], self.ctx)
        if op == "or":
            return any_of([go(a) for a in e.args], self.ctx)
        if op == "not":
            return z3.Not(go(e.args[0]))
        if op == "ite":
            return z3.If(go(e.args[0]), go(e.args[1]), go(e.args[2]))
        if op == "select":
            value = z3.Select(go(e.args[0]), go(e.args[1]))
            if self._machine_int(e.type):  # every element a program can hold is in its type's range
                self.side.append(self.in_range(value, e.type))
            return value
        if op == "store":
            return z3.Store(go(e.args[0]), go(e.args[1]), go(e.args[2]))
        if op == "constarray":
            return z3.K(self.sort(e.type.index), go(e.args[0]))
        if op == "cast":
            return self._cast(go(e.args[0]), e.args[0].type, e.type)
        operand_type = e.args[0].type
        args = [go(a) for a in e.args]
        exact = op in NO_SIGNED_WRAP
        op = NO_SIGNED_WRAP.get(op, op)
        if isinstance(operand_type, IntType) or (exact and self.mode == "int"):
            return self._int_op(op, args)
        if self.mode == "bv":
            return self._bv_op(op, args, operand_type)
        return self._wrapped_op(op, args, operand_type, e.args)

    def _machine_int(self, t: Type) -> bool:
        return isinstance(t, BVType) and self.mode == "int"

    # Python ints (and the exact arithmetic of int mode) -------------------------------------------------

    def _int_op(self, op: str, a: list[z3.ExprRef]) -> z3.ExprRef:
        if op in _COMPARE:
            return _COMPARE[op](a[0], a[1])
        if op == "add":
            return a[0] + a[1]
        if op == "sub":
            return a[0] - a[1]
        if op == "mul":
            return a[0] * a[1]
        if op == "neg":
            return -a[0]
        if op == "floordiv":
            return floor_div(a[0], a[1])
        if op == "floormod":
            return a[0] - a[1] * floor_div(a[0], a[1])
        if op == "div":
            return trunc_div(a[0], a[1])
        if op == "rem":
            return a[0] - a[1] * trunc_div(a[0], a[1])
        raise NotImplementedError(f"operator {op} on unbounded integers")

    # bit-vector mode -------------------------------------------------------------------------------------

    def _bv_op(self, op: str, a: list[z3.ExprRef], t: BVType) -> z3.ExprRef:
        s = t.signed
        if op in _COMPARE:
            if op in ("eq", "ne") or s:
                return _COMPARE[op](a[0], a[1])
            return _UNSIGNED_COMPARE[op](a[0], a[1])
        simple = {
            "add": lambda: a[0] + a[1],
            "sub": lambda: a[0] - a[1],
            "mul": lambda: a[0] * a[1],
            "neg": lambda: -a[0],
            "div": lambda: a[0] / a[1] if s else z3.UDiv(a[0], a[1]),
            "rem": lambda: z3.SRem(a[0], a[1]) if s else z3.URem(a[0], a[1]),
            "bitand": lambda: a[0] & a[1],
            "bitor": lambda: a[0] | a[1],
            "bitxor": lambda: a[0] ^ a[1],
            "bitnot": lambda: ~a[0],
            "shl": lambda: a[0] << a[1],
            "shr": lambda: a[0] >> a[1] if s else z3.LShR(a[0], a[1]),
            "noovf_add": lambda: z3.And(z3.BVAddNoOverflow(a[0], a[1], s), z3.BVAddNoUnderflow(a[0], a[1])),
            "noovf_sub": lambda: z3.And(z3.BVSubNoOverflow(a[0], a[1]), z3.BVSubNoUnderflow(a[0], a[1], s)),
            "noovf_mul": lambda: z3.And(z3.BVMulNoOverflow(a[0], a[1], s), z3.BVMulNoUnderflow(a[0], a[1])),
            "noovf_neg": lambda: z3.BVSNegNoOverflow(a[0]),
            "noovf_div": lambda: z3.BVSDivNoOverflow(a[0], a[1]) if s else z3.BoolVal(True, self.ctx),
            "noovf_shl": lambda: self._bv_shl_ok(a[0], a[1], t),
        }
        return simple[op]()

    def _bv_shl_ok(self, x: z3.ExprRef, n: z3.ExprRef, t: BVType) -> z3.BoolRef:
        if not t.signed:
            return z3.BoolVal(True, self.ctx)
        w = t.width
        wide_x, wide_n = z3.SignExt(w, x), z3.ZeroExt(w, n)
        shifted = wide_x << wide_n
        return z3.And(x >= 0, z3.ULT(n, w), shifted <= t.max)

    def _cast(self, x: z3.ExprRef, src: Type, dst: Type) -> z3.ExprRef:
        if dst == BOOL:
            return x if src == BOOL else x != self.value(0, src)
        if src == BOOL:
            return z3.If(x, self.value(1, dst), self.value(0, dst))
        if isinstance(dst, IntType):
            return self.as_int(x, src)
        assert isinstance(dst, BVType)
        if isinstance(src, IntType):
            return self._wrap(x, dst, None) if self.mode == "int" else z3.Int2BV(x, dst.width)
        assert isinstance(src, BVType)
        if self.mode == "int":
            return self._wrap(x, dst, (src.min, src.max))
        if dst.width == src.width:
            return x
        if dst.width < src.width:
            return z3.Extract(dst.width - 1, 0, x)
        extend = z3.SignExt if src.signed else z3.ZeroExt
        return extend(dst.width - src.width, x)

    # integer mode for machine integers ---------------------------------------------------------------------

    def _wrap(self, x: z3.ExprRef, t: BVType, bounds: tuple[int, int] | None) -> z3.ExprRef:
        """x reduced into t's range modulo 2**width; `bounds` are known bounds of x, if any."""
        m = 1 << t.width
        if bounds is not None:
            lo, hi = bounds
            if t.min <= lo and hi <= t.max:
                return x
            k_lo, k_hi = (lo - t.min) // m, (hi - t.min) // m
            if k_hi - k_lo <= 2:  # a few linear cases: the form Spacer handles best
                result = x - k_hi * m
                for k in range(k_hi - 1, k_lo - 1, -1):
                    result = z3.If(x < t.min + (k + 1) * m, x - k * m, result)
                return result
        q = self.fresh("wrapq", IntType())
        r = x - m * q
        self.side.append(z3.And(r >= t.min, r <= t.max))
        return r

    def _wrapped_op(self, op: str, a: list[z3.ExprRef], t: BVType, exprs: tuple[Expr, ...]) -> z3.ExprRef:
        lo, hi = t.min, t.max
        if op in _COMPARE:
            return _COMPARE[op](a[0], a[1])
        constant_shift = op not in ("shl", "noovf_shl") or _constant(exprs[1]) in range(t.width)
        if op in ("add", "sub", "neg", "mul", "shl") and constant_shift:
            exact, bounds = self._exact(op, a, t, exprs)
            return self._wrap(exact, t, bounds)
        if op in ("div", "rem"):
            q = trunc_div(a[0], a[1])
            if op == "rem":
                return a[0] - a[1] * q
            return self._wrap(q, t, (min(lo, -hi), max(hi, -lo)))
        if op.startswith("noovf_"):
            if op == "noovf_div":
                return z3.Not(z3.And(a[0] == lo, a[1] == -1)) if t.signed else z3.BoolVal(True, self.ctx)
            if op == "noovf_shl" and not t.signed:
                return z3.BoolVal(True, self.ctx)
            if not constant_shift:
                return self._bv_op(op, [z3.Int2BV(x, t.width) for x in a], t)
            exact, (least, most) = self._exact(op[len("noovf_"):], a, t, exprs)
            ok = z3.BoolVal(True, self.ctx) if lo <= least and most <= hi else z3.And(exact >= lo, exact <= hi)
            if op == "noovf_shl":
                ok = z3.And(a[0] >= 0, ok)
            return ok
        if op == "bitnot":
            return -a[0] - 1 if t.signed else hi - a[0]
        if op == "shr":
            amount = _constant(exprs[1])
            if amount is not None and 0 <= amount < t.width:
                return floor_div(a[0], z3.IntVal(1 << amount, self.ctx))
        if op == "bitand":
            for mask_index in (1, 0):
                mask = _constant(exprs[mask_index])
                if mask is not None and mask >= 0 and (mask + 1) & mask == 0 and mask < hi:
                    return self._wrap(a[1 - mask_index], BVType(mask.bit_length(), False), None)
            for mask_index in (1, 0):
                mask = _constant(exprs[mask_index])
                if mask is not None and 0 <= mask <= hi and len(runs := _bit_runs(mask)) <= MAX_MASK_RUNS:
                    # each run of the mask's bits, [low, low + n), keeps those bits of x: bit b of a two's
                    # complement x is (x div 2^b) mod 2 in floor division, for a negative x too
                    # (SMT-LIB's div and mod by a positive constant floor), so x & mask is linear
                    x = a[1 - mask_index]
                    return z3.Sum(z3.IntVal(0, self.ctx), *[(x / (1 << low)) % (1 << n) * (1 << low) for low, n in runs])
        # Bitwise operations in general: exact through bit-vectors (Spacer may then give up).
        bits = [z3.Int2BV(x, t.width) for x in a]
        return z3.BV2Int(self._bv_op(op, bits, t), is_signed=t.signed)

    def _exact(self, op: str, a: list[z3.ExprRef], t: BVType, exprs: tuple[Expr, ...]):
        """The unwrapped integer result and its bounds, from the operands' own bounds (`value_bounds`: an
        `int` widened to `long` ranges over `int`, so `(long)i * 300 + j` needs no wrap-around at all)."""
        bounds = exact_bounds(op, exprs)
        if op == "add":
            return a[0] + a[1], bounds
        if op == "sub":
            return a[0] - a[1], bounds
        if op == "neg":
            return -a[0], bounds
        if op == "shl":
            return a[0] * (1 << _constant(exprs[1])), bounds
        assert op == "mul"
        for i in (0, 1):
            c = _constant(exprs[i])
            if c is not None:
                return c * a[1 - i], bounds
        return a[0] * a[1], bounds


BOUNDS_DEPTH = 8  # how deep value_bounds looks into an expression; below, a value spans its type


def value_bounds(e: Expr, depth: int = BOUNDS_DEPTH) -> tuple[int, int]:
    """Bounds of a machine integer expression's value, from its constants, the ranges of narrower types
    it was converted from, and the arithmetic between them; at worst its type's range. Sound as the
    encoding is: every variable and array element holds a value in its type's range."""
    t = e.type
    assert isinstance(t, BVType)
    if isinstance(e, Const):
        return e.value, e.value
    if depth == 0 or not isinstance(e, App):
        return t.min, t.max
    op, args = NO_SIGNED_WRAP.get(e.op, e.op), e.args
    found: tuple[int, int] | None = None
    if op == "cast":
        src = args[0].type
        if src == BOOL:
            found = (0, 1)
        elif isinstance(src, BVType):
            found = value_bounds(args[0], depth - 1)
    elif op in ("add", "sub", "neg", "mul") or (op == "shl" and _constant(args[1]) in range(t.width)):
        found = exact_bounds(op, args, depth - 1)
    elif op == "ite":
        (lo1, hi1), (lo2, hi2) = value_bounds(args[1], depth - 1), value_bounds(args[2], depth - 1)
        found = (min(lo1, lo2), max(hi1, hi2))
    elif op in ("rem", "div", "shr", "bitand"):
        found = _bounds_by_constant(op, args, depth - 1)
    if found is None or found[0] < t.min or found[1] > t.max:
        return t.min, t.max
    return found


def exact_bounds(op: str, args: tuple[Expr, ...], depth: int = BOUNDS_DEPTH) -> tuple[int, int]:
    """Bounds of the mathematical result of add, sub, neg, mul or shl (by a constant) of `args`."""
    lo0, hi0 = value_bounds(args[0], depth)
    if op == "neg":
        return -hi0, -lo0
    if op == "shl":
        amount = _constant(args[1])
        assert amount is not None  # a shift by a constant (the callers' condition)
        return lo0 * (1 << amount), hi0 * (1 << amount)
    lo1, hi1 = value_bounds(args[1], depth)
    if op == "add":
        return lo0 + lo1, hi0 + hi1
    if op == "sub":
        return lo0 - hi1, hi0 - lo1
    assert op == "mul"
    corners = (lo0 * lo1, lo0 * hi1, hi0 * lo1, hi0 * hi1)
    return min(corners), max(corners)


def _truncated(x: int, c: int) -> int:
    """C's x / c for a positive c: rounded toward zero."""
    return x // c if x >= 0 else -(-x // c)


def _bounds_by_constant(op: str, args: tuple[Expr, ...], depth: int) -> tuple[int, int] | None:
    """Bounds of `x % c`, `x / c` (c > 0), `x >> c` and `x & c` (c >= 0) for a constant c."""
    c = _constant(args[1])
    if c is None and op == "bitand":
        args, c = args[::-1], _constant(args[0])
    if c is None or c < 0 or (c == 0 and op in ("rem", "div")):
        return None
    if op == "bitand":
        return 0, c
    lo, hi = value_bounds(args[0], depth)
    if op == "rem":
        return (0 if lo >= 0 else -(c - 1)), (0 if hi <= 0 else c - 1)
    if op == "div":  # truncation toward zero is monotonic
        return _truncated(lo, c), _truncated(hi, c)
    operand = args[0].type
    if not isinstance(operand, BVType) or c >= operand.width:
        return None
    return lo >> c, hi >> c


MAX_MASK_RUNS = 4  # runs of set bits in a constant mask that `&` is encoded linearly for, at most


def _constant(e: Expr) -> int | None:
    if isinstance(e, Const):
        return e.value
    if isinstance(e, App) and e.op == "cast" and isinstance(e.args[0], Const):
        return e.type.wrap(e.args[0].value) if isinstance(e.type, BVType) else e.args[0].value
    return None


def _bit_runs(mask: int) -> list[tuple[int, int]]:
    """The maximal runs of set bits of a non-negative mask, as (lowest bit, length)."""
    runs, low = [], 0
    while mask:
        while not mask & 1:
            mask, low = mask >> 1, low + 1
        n = (~mask & (mask + 1)).bit_length() - 1  # the run's length: trailing ones
        runs.append((low, n))
        mask, low = mask >> n, low + n
    return runs


def floor_div(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    """Python's a // b (SMT-LIB div is Euclidean: it floors only for positive divisors)."""
    return z3.If(b > 0, a / b, (-a) / (-b))


def trunc_div(a: z3.ArithRef, b: z3.ArithRef) -> z3.ArithRef:
    """C's a / b on integers: the quotient rounded toward zero. A constant divisor stays a constant
    (the form linear arithmetic and ranking synthesis take as exact)."""
    divisor = z3.simplify(b)
    if z3.is_int_value(divisor) and divisor.as_long() != 0:
        k = divisor.as_long()
        magnitude = z3.If(a >= 0, a, -a) / abs(k)
        return z3.If(a >= 0, magnitude, -magnitude) if k > 0 else z3.If(a >= 0, -magnitude, magnitude)
    magnitude = z3.If(a >= 0, a, -a) / z3.If(b >= 0, b, -b)
    return z3.If((a >= 0) == (b >= 0), magnitude, -magnitude)


_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}
_UNSIGNED_COMPARE = {"lt": z3.ULT, "le": z3.ULE, "gt": z3.UGT, "ge": z3.UGE}


_BITWISE = {z3.Z3_OP_BAND: "and", z3.Z3_OP_BOR: "or", z3.Z3_OP_BXOR: "xor", z3.Z3_OP_BLSHR: "shr",
            z3.Z3_OP_BASHR: "shr"}
_SHIFTS = {z3.Z3_OP_BLSHR: False, z3.Z3_OP_BASHR: True}  # the reading each shift's result is taken in


def bitwise_operation(t: z3.ExprRef) -> tuple[str, z3.ExprRef, z3.ExprRef, int, bool] | None:
    """(operation, a, b, width, signed) where t is the int encoding's bitwise operation on two integers
    (`_wrapped_op`'s exact fallback): `BV2Int(op(Int2BV(a), Int2BV(b)))`, or for a signed result the
    `If(op(..) <s 0, BV2Int(op(..)) - 2^w, BV2Int(op(..)))` that `BV2Int(.., is_signed=True)` builds;
    None for any other term. The operation is "and", "or", "xor" or "shr"."""
    signed = z3.is_app_of(t, z3.Z3_OP_ITE) and z3.is_app_of(t.arg(0), z3.Z3_OP_SLT) and \
        z3.is_app_of(t.arg(2), z3.Z3_OP_BV2INT)
    unsigned = z3.is_app_of(t, z3.Z3_OP_BV2INT)
    if not (signed or unsigned):
        return None
    bits = t.arg(2).arg(0) if signed else t.arg(0)
    if signed and not (t.arg(0).arg(0).eq(bits) and z3.is_bv_value(t.arg(0).arg(1)) and t.arg(0).arg(1).as_long() == 0):
        return None
    if not (z3.is_app(bits) and bits.decl().kind() in _BITWISE and bits.num_args() == 2 and
            all(z3.is_app_of(x, z3.Z3_OP_INT2BV) for x in bits.children())):
        return None
    if _SHIFTS.get(bits.decl().kind(), signed) != signed:  # a logical shift read signed, or the converse
        return None
    return _BITWISE[bits.decl().kind()], bits.arg(0).arg(0), bits.arg(1).arg(0), bits.size(), signed


def all_of(terms: Sequence[z3.BoolRef], ctx: z3.Context) -> z3.BoolRef:
    """`z3.And(*terms, ctx)`, the same term, without z3.And's coercion of each argument: a sort check
    through Python objects that made up most of the cost of a large conjunction (a block's guard, the
    atoms of Houdini's query), a tenth of a question's time in the encodings and Houdini."""
    made = _connective(z3core.Z3_mk_and, terms, ctx)
    return made if made is not None else z3.And(*terms, ctx)


def any_of(terms: Sequence[z3.BoolRef], ctx: z3.Context) -> z3.BoolRef:
    """`z3.Or(*terms, ctx)`, the same term, built as `all_of` builds a conjunction."""
    made = _connective(z3core.Z3_mk_or, terms, ctx)
    return made if made is not None else z3.Or(*terms, ctx)


def _connective(make: Callable, terms: Sequence[z3.BoolRef], ctx: z3.Context) -> z3.BoolRef | None:
    """`make` (Z3_mk_and, Z3_mk_or) applied to the terms, where each is a Boolean term of `ctx`; None
    for anything else (a Python bool, another context), which z3's own functions convert or refuse."""
    if not all(isinstance(t, z3.BoolRef) and t.ctx is ctx for t in terms):
        return None
    asts = (z3.Ast * len(terms))(*[t.as_ast() for t in terms])
    return z3.BoolRef(make(ctx.ref(), len(terms), asts), ctx)


def converts_to_bits(terms: list[z3.ExprRef]) -> bool:
    """Whether an int-mode term turns an integer into a bit-vector (`_wrapped_op`'s exact form of a
    bitwise operation on variables), which leaves the solver's mixed theories slow."""
    return any(kind == z3.Z3_OP_INT2BV for term in terms for kind, _ in applications(term, quantified=False))


def constants(term: z3.ExprRef) -> dict[str, z3.ExprRef]:
    """The uninterpreted constants of a term, by name, a quantified array fact's (engines/array_facts.py)
    among them. (z3util.get_vars prints every subterm to tell them apart, which took minutes on a string
    loop's blocks.)"""
    ctx = term.ctx
    c = ctx.ref()
    found: dict[str, z3.ExprRef] = {}
    for kind, app in applications(term):
        if kind == z3.Z3_OP_UNINTERPRETED and z3core.Z3_get_app_num_args(c, app) == 0:
            found[_symbol2py(ctx, z3core.Z3_get_decl_name(c, z3core.Z3_get_app_decl(c, app)))] = \
                _to_expr_ref(z3core.Z3_app_to_ast(c, app), ctx)
    return found


def applications(term: z3.ExprRef, quantified: bool = True) -> Iterator[tuple[int, Any]]:
    """Each distinct application in `term`, once, as (its declaration's kind, the application), the
    bodies of quantifiers included where `quantified`: the walk the analyses make of every term they
    ask about (its variables, whether it converts to bit-vectors, whether it multiplies them). Through
    Z3's C API, not its Python objects, each of which costs a reference count, a finaliser and several
    calls: walking an unfolding's blocks that way took a third of a recursive program's question. The
    applications are Z3's own pointers, valid while `term` is."""
    c = term.ctx.ref()
    stack, seen = [term.as_ast()], set()
    while stack:
        ast = stack.pop()
        key = z3core.Z3_get_ast_id(c, ast)
        if key in seen:
            continue
        seen.add(key)
        kind = z3core.Z3_get_ast_kind(c, ast)
        if kind == z3.Z3_APP_AST or kind == z3.Z3_NUMERAL_AST:
            app = z3core.Z3_to_app(c, ast)
            yield z3core.Z3_get_decl_kind(c, z3core.Z3_get_app_decl(c, app)), app
            stack.extend(z3core.Z3_get_app_arg(c, app, i) for i in range(z3core.Z3_get_app_num_args(c, app)))
        elif kind == z3.Z3_QUANTIFIER_AST and quantified:
            stack.append(z3core.Z3_get_quantifier_body(c, ast))
