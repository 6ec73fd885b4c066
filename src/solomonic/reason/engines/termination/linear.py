"""Transition formulas as unions of polyhedra, the form Farkas-based ranking synthesis works on.

A formula over integers (the int encoding of a block, its source invariant, its updates) is split
into cubes: conjunctions of inequalities  Σ a_i·v_i <= c  with rational coefficients. The cubes come
from the solver's models, each shrunk to the atoms it needs by an unsat core, so their union is the
formula. Integer if-then-else terms become variables defined case by case; terms that are not
linear (x*y, division by a variable, array reads) become fresh unconstrained variables: the cubes over-approximate the formula, so what ranks them ranks the block
(and the ranking is re-checked against the exact formula in any case).
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from fractions import Fraction

import z3

from solomonic.reason.symbolic.encode import bitwise_operation


@dataclass(frozen=True)
class Inequality:
    """Σ coeffs[name]·name <= bound."""

    coeffs: tuple[tuple[str, Fraction], ...]
    bound: Fraction


Cube = list[Inequality]


class NotLinear(Exception):
    pass


def linear(t: z3.ExprRef) -> tuple[dict[str, Fraction], Fraction]:
    """t as (coefficients by variable name, constant); raises NotLinear."""
    if z3.is_int_value(t) or z3.is_rational_value(t):
        return {}, Fraction(str(t.as_fraction() if z3.is_rational_value(t) else t.as_long()))
    if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
        return {str(t): Fraction(1)}, Fraction(0)
    kind = t.decl().kind() if z3.is_app(t) else None
    if kind in (z3.Z3_OP_ADD, z3.Z3_OP_SUB):
        parts = [linear(c) for c in t.children()]
        coeffs, const = dict(parts[0][0]), parts[0][1]
        sign = -1 if kind == z3.Z3_OP_SUB else 1
        for c, k in parts[1:]:
            for name, a in c.items():
                coeffs[name] = coeffs.get(name, Fraction(0)) + sign * a
            const += sign * k
        return coeffs, const
    if kind == z3.Z3_OP_UMINUS:
        c, k = linear(t.arg(0))
        return {n: -a for n, a in c.items()}, -k
    if kind == z3.Z3_OP_MUL:
        coeffs, const = {}, Fraction(1)
        for child in t.children():
            c, k = linear(child)
            if c and coeffs:
                raise NotLinear
            if c:
                coeffs = {n: a * const for n, a in c.items()}
                const = k * const
            else:
                coeffs = {n: a * k for n, a in coeffs.items()}
                const *= k
        return coeffs, const
    if kind == z3.Z3_OP_TO_REAL:
        return linear(t.arg(0))
    raise NotLinear


class _Abstraction:
    """Replaces non-linear integer terms by fresh variables; division and remainder by a positive
    constant k become a quotient q with k·q <= a <= k·q + k - 1 (exact, SMT-LIB's Euclidean division),
    and a quotient by a variable keeps its bounds (0 <= a div b <= a for b >= 1, at most a/2 for b >= 2).
    A product of two linear terms is expanded into monomials of degree two, each one variable for the
    whole formula: a square x·x is at least x and -x (integers), and b·(a div ±b) keeps what Euclidean
    division says of the remainder, 0 <= a - b·q <= |b| - 1 (Python's a % b, whose divisor is a variable),
    and b·(|a| div |b|) that |a| - |b|·q is one (C's a % b, truncated: `gcd` by remainders ranks by b)."""

    def __init__(self, ctx: z3.Context):
        self.ctx = ctx
        self.side: list[z3.BoolRef] = []
        self.memo: dict[int, z3.ExprRef] = {}
        self.count = 0
        self.monomials: dict[tuple[str, str], z3.ArithRef] = {}
        self.quotients: dict[str, tuple[z3.ArithRef, z3.ArithRef]] = {}  # q -> (a, b) of q = a div b
        self.absolute: dict[str, z3.ArithRef] = {}  # v -> x of v = (x >= 0 ? x : -x)

    def fresh(self) -> z3.ArithRef:
        self.count += 1
        return z3.Int(f"aux#{self.count}", self.ctx)  # '#' is in no C or Python name

    def term(self, t: z3.ExprRef) -> z3.ExprRef:
        key = t.get_id()
        if key in self.memo:
            return self.memo[key]
        result = self._term(t)
        self.memo[key] = result
        return result

    def _term(self, t: z3.ExprRef) -> z3.ExprRef:
        if not z3.is_app(t) or t.num_args() == 0:
            return t
        kind = t.decl().kind()
        bitwise = bitwise_operation(t)
        if bitwise is not None:
            op, a, b, width, signed = bitwise
            r = self.fresh()
            self.side += bitwise_bounds(op, self.term(a), self.term(b), r, width, signed)
            return r
        if kind == z3.Z3_OP_MUL and t.num_args() == 2 and t.sort().kind() == z3.Z3_INT_SORT:
            for i in (0, 1):  # x * (c ? y : z) is c ? x * y : x * z, so that each product is read alone
                other, arm = t.arg(1 - i), t.arg(i)
                if z3.is_app_of(arm, z3.Z3_OP_ITE):
                    return self.term(z3.If(arm.arg(0), other * arm.arg(1), other * arm.arg(2)))
        kids = [self.term(c) for c in t.children()]
        if t.sort().kind() == z3.Z3_INT_SORT and kind in (z3.Z3_OP_IDIV, z3.Z3_OP_MOD):
            divisor = kids[1]
            if z3.is_int_value(divisor) and divisor.as_long() > 0:
                k, q = divisor.as_long(), self.fresh()
                self.side += [k * q <= kids[0], kids[0] <= k * q + (k - 1)]
                return q if kind == z3.Z3_OP_IDIV else kids[0] - k * q
            q = self.fresh()
            if kind == z3.Z3_OP_IDIV:  # what division by a positive number keeps: a halves at least by 2
                a, b = kids
                self.side += [z3.Implies(z3.And(a >= 0, b >= 1), z3.And(q >= 0, q <= a)),
                              z3.Implies(z3.And(a >= 0, b >= 2), 2 * q <= a)]
                self.quotients[str(q)] = (a, b)
            return q
        if kind == z3.Z3_OP_ITE and t.sort().kind() == z3.Z3_INT_SORT:
            v = self.fresh()  # an integer if-then-else becomes a variable defined case by case
            self.side += [z3.Implies(kids[0], v == kids[1]), z3.Implies(z3.Not(kids[0]), v == kids[2])]
            if _absolute(kids):
                self.absolute[str(v)] = kids[1]
            return v
        if kind == z3.Z3_OP_ITE:
            return z3.If(*kids)
        if t.sort().kind() == z3.Z3_INT_SORT and kind not in (z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_UMINUS,
                                                              z3.Z3_OP_MUL):
            return self.fresh()  # array reads, uninterpreted functions, conversions
        rebuilt = t.decl()(*kids)
        if kind == z3.Z3_OP_MUL:
            try:
                linear(rebuilt)
            except NotLinear:
                return self.quadratic(kids) if len(kids) == 2 else self.fresh()
        return rebuilt

    def quadratic(self, kids: list[z3.ExprRef]) -> z3.ExprRef:
        """A product of two linear terms as a sum of monomials, each of degree two one variable."""
        try:
            (lc, lk), (rc, rk) = linear(kids[0]), linear(kids[1])
        except NotLinear:
            return self.fresh()
        named = {str(x): x for k in kids for x in _names(k)}
        total: z3.ArithRef = rational_term(lk * rk, self.ctx)
        for n, a in lc.items():
            total = total + rational_term(a * rk, self.ctx) * named[n]
        for n, a in rc.items():
            total = total + rational_term(a * lk, self.ctx) * named[n]
        for (n, a), (m, b) in itertools.product(lc.items(), rc.items()):
            total = total + rational_term(a * b, self.ctx) * self.monomial(named[n], named[m])
        return total

    def monomial(self, x: z3.ArithRef, y: z3.ArithRef) -> z3.ArithRef:
        key = (min(str(x), str(y)), max(str(x), str(y)))
        if key in self.monomials:
            return self.monomials[key]
        m = self.monomials[key] = self.fresh()
        if x.eq(y):  # for integers, x·x >= |x|
            self.side += [m >= x, m >= -x]
        for q, b in ((x, y), (y, x)):
            if str(q) not in self.quotients:
                continue
            a, divisor = self.quotients[str(q)]
            for sign in (1, -1):  # b·q with q = a div (±b): 0 <= a - (±b)·q <= |b| - 1 for b != 0
                if z3.simplify(divisor - sign * b).eq(z3.IntVal(0, self.ctx)):
                    r = a - sign * m
                    self.side += [z3.Implies(b != 0, r >= 0), z3.Implies(b > 0, r <= b - 1),
                                  z3.Implies(b < 0, r <= -b - 1)]
            absolute = self.absolute.get(str(divisor))
            if absolute is not None and absolute.eq(b):  # C's a % b: b·q with q = |a| div |b|, |b|·q = ±b·q
                self.side += [z3.Implies(b > 0, z3.And(a - m >= 0, a - m <= b - 1)),
                              z3.Implies(b < 0, z3.And(a + m >= 0, a + m <= -b - 1))]
        return m


def bitwise_bounds(op: str, a: z3.ArithRef, b: z3.ArithRef, r: z3.ArithRef, width: int,
                   signed: bool) -> list[z3.BoolRef]:
    """Linear facts of r = a op b on `width`-bit two's complement integers (op: and, or, xor, shr, its
    result read signed or not), each guarded by the operands lying in the type's range (the encoding
    keeps them there; a guard costs nothing where it holds). What the cubes keep of a bitwise step:
    `x & (x - 1)` is below x (popcount's loop), `x | (x + 1)` above it, `x & -x` at least 1 where x is
    not 0, `x >> n` at most x (half of it for n >= 1). Each fact is checked exhaustively on 8 bits by the tests."""
    low, high = (-(1 << (width - 1)), (1 << (width - 1)) - 1) if signed else (0, (1 << width) - 1)

    def within(x: z3.ArithRef) -> z3.BoolRef:
        return z3.And(x >= low, x <= high)

    both = z3.And(within(a), within(b))
    natural = z3.And(both, a >= 0, b >= 0)  # neither has the sign bit
    facts = [r >= low, r <= high]
    if op == "and":
        facts += [z3.Implies(z3.And(both, z3.Or(a >= 0, b < 0)), r <= a),
                  z3.Implies(z3.And(both, z3.Or(b >= 0, a < 0)), r <= b),
                  z3.Implies(z3.And(both, z3.Or(a >= 0, b >= 0)), r >= 0)]
        if z3.is_true(z3.simplify(a + b == 0)):  # x & -x, x's lowest set bit (a Fenwick tree's step)
            facts += [z3.Implies(z3.And(within(a), a != 0, a != low if signed else True), r >= 1)]
    elif op == "or":
        facts += [z3.Implies(natural, z3.And(r >= a, r >= b, r <= a + b))]
    elif op == "xor":
        facts += [z3.Implies(natural, z3.And(r >= 0, r <= a + b, r >= a - b, r >= b - a))]
    else:  # shr: logical for an unsigned result, arithmetic for a signed one; b is the shift amount
        shifted = z3.And(both, b >= 1)
        facts += [z3.Implies(z3.And(both, a >= 0), z3.And(r >= 0, r <= a)),
                  z3.Implies(z3.And(shifted, a >= 0), 2 * r <= a),
                  z3.Implies(z3.And(both, a < 0), z3.And(r >= a, r <= -1))]
    return facts


def _absolute(kids: list[z3.ExprRef]) -> bool:
    """Whether `If(c, x, y)` is x's absolute value: c is `x >= 0` (or `0 <= x`) and y is -x."""
    c, x, y = kids
    if not (z3.is_app_of(c, z3.Z3_OP_GE) or z3.is_app_of(c, z3.Z3_OP_LE)):
        return False
    left, right = (c.arg(0), c.arg(1)) if z3.is_app_of(c, z3.Z3_OP_GE) else (c.arg(1), c.arg(0))
    zero = z3.IntVal(0, c.ctx)
    return left.eq(x) and z3.simplify(right).eq(zero) and z3.simplify(x + y).eq(zero)


def _names(t: z3.ExprRef) -> list[z3.ArithRef]:
    if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
        return [t]
    return [x for c in t.children() for x in _names(c)] if z3.is_app(t) else []


def rational_term(a: Fraction, ctx: z3.Context) -> z3.ArithRef:
    """An integer constant where a is one (the cubes stay integer terms), else a rational one."""
    return z3.IntVal(a.numerator, ctx) if a.denominator == 1 else z3.RealVal(f"{a.numerator}/{a.denominator}", ctx)


def cubes(formula: z3.BoolRef, timeout_s: float, limit: int = 64, tighten: bool = False) -> list[Cube] | None:
    """The formula as a union of polyhedra (over-approximated where not linear); None if it takes more
    than `limit` cubes or the solver cannot decide. With `tighten`, each with the cuts its integer points
    satisfy (`tightened`: linear programs of their own, so only where the cubes without them rank nothing)."""
    ctx = formula.ctx
    deadline = time.monotonic() + timeout_s
    abstraction = _Abstraction(ctx)
    body = z3.And(abstraction.term(formula), *abstraction.side)
    atoms = _atoms(body)
    solver, negation = z3.Solver(ctx=ctx), z3.Solver(ctx=ctx)
    for s in (solver, negation):
        s.set("timeout", max(1, int(timeout_s * 1000)))
    solver.add(body)
    negation.add(z3.Not(body))
    result: list[Cube] = []
    rows: dict[int, tuple[z3.BoolRef, list[Inequality]]] = {}  # by literal: most recur in many cubes
    while len(result) <= limit:
        status = solver.check()
        if status == z3.unsat:
            return result
        if status != z3.sat:
            return None
        model = solver.model()
        literals = [_literal(a, model) for a in atoms]
        flags = [z3.Bool(f"lit!{i}", ctx) for i in range(len(literals))]
        negation.push()
        negation.add(*[z3.Implies(f, lit) for f, lit in zip(flags, literals)])
        implied = negation.check(*flags)
        core = {f.get_id() for f in negation.unsat_core()} if implied == z3.unsat else None
        negation.pop()
        if core is None:
            return None  # the literals should imply the formula; the solver could not show it
        needed = [lit for f, lit in zip(flags, literals) if f.get_id() in core]
        solver.add(z3.Not(z3.And(*needed, ctx)))
        for lit in needed:
            if lit.get_id() not in rows:
                rows[lit.get_id()] = (lit, _inequalities(lit))  # the literal kept, so that its id is not reused
        cube = [ineq for lit in needed for ineq in rows[lit.get_id()][1]]
        result.append(tightened(cube, ctx, deadline) if tighten else cube)
    return None


MAX_ROUNDED, ROUNDING_MS = 4, 200  # variables whose rational bounds are rounded, per cube; a program's time
MAX_DEFINITIONS = 16  # (variable, equality) pairs substituted into a cube's other inequalities, at most


def tightened(cube: Cube, ctx: z3.Context | None = None, deadline: float = math.inf) -> Cube:
    """The cube with cuts its integer points satisfy and its rational relaxation does not (ranking
    synthesis is a linear program over the rationals): a variable with a coefficient of 2 or more
    (a wrap-around's quotient) gets its least and greatest rational values rounded to integers; each
    equality that defines a variable (coefficient ±1) is substituted into the other inequalities; and
    an inequality whose integer coefficients share a divisor g has its bound rounded down to a multiple
    of g. `x & 1` is `x == 2q + 1`, and with `x >= 0` that is `q >= 0`, so `x >= 1` (`while (x & 1)
    x >>= 1` ranks by x, whose rational relaxation allows x = 0, q = -1/2); `s + 1` wrapped into an
    unsigned short that stays above 0 is `s + 1 - 65536q` with q in [-65534/65536, 65535/65536], so 0.
    The linear programs stop at `deadline`."""
    cube = cube + _rounded_bounds(cube, ctx, deadline)
    cuts = {cut for ineq in cube if (cut := _rounded(dict(ineq.coeffs), ineq.bound)) is not None}
    present = {(ineq.coeffs, ineq.bound) for ineq in cube}
    equalities = [ineq for ineq in cube if ineq.coeffs and ineq.coeffs[0][1] > 0 and  # one of each pair e <= c, -e <= -c
                  (tuple((n, -c) for n, c in ineq.coeffs), -ineq.bound) in present]
    definitions = [(name, a, ineq) for ineq in equalities for name, a in ineq.coeffs if abs(a) == 1]
    for name, a, definition in definitions[:MAX_DEFINITIONS]:  # a·name + rest <= bound, with equality
        for ineq in cube:
            b = dict(ineq.coeffs).get(name)
            if not b or ineq is definition:
                continue
            coeffs = dict(ineq.coeffs)
            for n, c in definition.coeffs:  # ineq - (b / a)·definition has no `name`
                coeffs[n] = coeffs.get(n, Fraction(0)) - b / a * c
            cut = _rounded({n: c for n, c in coeffs.items() if c}, ineq.bound - b / a * definition.bound)
            if cut is not None:
                cuts.add(cut)
    return cube + sorted(cuts, key=repr)


def _rounded_bounds(cube: Cube, ctx: z3.Context | None, deadline: float) -> Cube:
    """Integer bounds of the variables that have a coefficient of magnitude 2 or more, where their
    rational bounds over the cube are not integers (at most MAX_ROUNDED of them, two linear programs
    each)."""
    scaled = sorted({n for ineq in cube for n, a in ineq.coeffs if abs(a) >= 2})[:MAX_ROUNDED]
    if not scaled:
        return []
    ctx = z3.Context() if ctx is None else ctx
    names = {n for ineq in cube for n, _ in ineq.coeffs}
    reals = {n: z3.Real(f"round!{n}", ctx) for n in names}
    optimiser = z3.Optimize(ctx=ctx)
    optimiser.add(*[z3.Sum([rational_term(a, ctx) * reals[n] for n, a in ineq.coeffs]) <= rational_term(ineq.bound, ctx)
                    for ineq in cube if ineq.coeffs])
    cuts: Cube = []
    for name in scaled:
        for sign in (1, -1):  # the greatest value of name, then of -name
            left_s = deadline - time.monotonic()
            if left_s <= 0:
                return cuts
            optimiser.set("timeout", int(min(ROUNDING_MS, left_s * 1000)))
            optimiser.push()
            goal = optimiser.maximize(sign * reals[name])
            value = goal.value() if optimiser.check() == z3.sat else None
            optimiser.pop()
            if value is None or not z3.is_rational_value(value):
                continue  # unbounded, or undecided in time
            most = Fraction(value.numerator_as_long(), value.denominator_as_long())
            if most.denominator != 1:
                cuts.append(Inequality(((name, Fraction(sign)),), Fraction(math.floor(most))))
    return cuts


def _rounded(coeffs: dict[str, Fraction], bound: Fraction) -> Inequality | None:
    """Σ coeffs·v <= bound divided by its coefficients' common divisor, its bound rounded down, where
    that is stronger (integer coefficients only); else None."""
    if not coeffs or any(c.denominator != 1 for c in coeffs.values()):
        return None
    g = math.gcd(*(int(c) for c in coeffs.values()))
    if (bound / g).denominator == 1:
        return None
    return Inequality(tuple(sorted((n, c / g) for n, c in coeffs.items())), Fraction(math.floor(bound / g)))


def _atoms(f: z3.ExprRef) -> list[z3.BoolRef]:
    seen: dict[int, z3.BoolRef] = {}
    stack = [f]
    while stack:
        t = stack.pop()
        if not z3.is_bool(t):
            continue
        if z3.is_and(t) or z3.is_or(t) or z3.is_not(t) or z3.is_implies(t) or \
                (z3.is_eq(t) and z3.is_bool(t.arg(0))) or z3.is_app_of(t, z3.Z3_OP_ITE):
            stack.extend(t.children())
        elif z3.is_distinct(t) and t.num_args() == 2 and t.arg(0).sort().kind() == z3.Z3_INT_SORT:
            eq = t.arg(0) == t.arg(1)  # a != b is read as the equality it denies: a < b or a > b
            seen.setdefault(eq.get_id(), eq)
        elif not (z3.is_true(t) or z3.is_false(t)):
            seen.setdefault(t.get_id(), t)
    return list(seen.values())


def _literal(atom: z3.BoolRef, model: z3.ModelRef) -> z3.BoolRef:
    """The atom as the model has it; a false equality becomes the strict inequality the model takes."""
    if z3.is_true(model.eval(atom, model_completion=True)):
        return atom
    if z3.is_eq(atom) and atom.arg(0).sort().kind() == z3.Z3_INT_SORT:
        a, b = atom.arg(0), atom.arg(1)
        return a < b if model.eval(a < b, model_completion=True) else a > b
    return z3.Not(atom)


def _inequalities(lit: z3.BoolRef) -> list[Inequality]:
    """Integer literal -> inequalities (a strict one tightened by one); Boolean variables are dropped."""
    negated = z3.is_not(lit)
    atom = lit.arg(0) if negated else lit
    kind = atom.decl().kind()
    if kind not in (z3.Z3_OP_LE, z3.Z3_OP_LT, z3.Z3_OP_GE, z3.Z3_OP_GT, z3.Z3_OP_EQ) or \
            atom.arg(0).sort().kind() != z3.Z3_INT_SORT:
        return []
    try:
        lc, lk = linear(atom.arg(0))
        rc, rk = linear(atom.arg(1))
    except NotLinear:
        return []
    diff = {n: lc.get(n, Fraction(0)) - rc.get(n, Fraction(0)) for n in {*lc, *rc}}
    const = lk - rk  # atom: Σ diff·v + const  (op)  0

    def le(coeffs: dict[str, Fraction], bound: Fraction) -> Inequality:
        return Inequality(tuple(sorted((n, a) for n, a in coeffs.items() if a)), bound)

    neg = {n: -a for n, a in diff.items()}
    if kind == z3.Z3_OP_EQ:
        return [] if negated else [le(diff, -const), le(neg, const)]
    if kind in (z3.Z3_OP_GE, z3.Z3_OP_GT):  # flip to <=, <
        diff, neg, const = neg, diff, -const
        kind = z3.Z3_OP_LE if kind == z3.Z3_OP_GE else z3.Z3_OP_LT
    strict = kind == z3.Z3_OP_LT
    if negated:  # not (e <= 0) is e >= 1; not (e < 0) is e >= 0
        return [le(neg, const - (1 if not strict else 0))]
    return [le(diff, -const - (1 if strict else 0))]
