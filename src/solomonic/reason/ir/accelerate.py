"""Loop acceleration for strict concrete runs: a stretch of iterations that each add the same amount to
every variable, jumped in one step, landing exactly where running them one by one would.

A closed program's one execution (engines/execution.py) may count to 10^8 (`while (x < 100000000) x++;`,
two phases of different strides, a counter that bumps another every 1000 steps): at a million
interpreted steps a second that takes minutes, while the loop does the same thing each time round.

At a pass of a merge point with state s, where the previous pass had state s - d, the accelerator runs
the next iteration again in an algebra of values affine in the iteration number i: a + b*i, on the
hypothesis that the i-th pass from now has state s + i*d. Each operation either keeps values affine
exactly, noting the first i at which that stops (a breakpoint), or ends the attempt:

- sums, negations, products by a value constant in i, left shifts by a constant: exact over the
  integers; a machine type's wrap-around is exact while the value stays in one block of its range
  (breakpoint: where it leaves the block);
- division, remainder and right shift by a constant: where the divisor divides the dividend's step, the
  quotient is affine (for truncation, while the dividend stays on one side of zero); otherwise it is
  constant while the dividend stays in one block of the divisor (breakpoint: where the quotient changes;
  monotone, so found by galloping);
- a comparison of affine values is constant until the difference crosses its threshold (breakpoint:
  where its truth changes), and so is every test and branch built from comparisons;
- any operation whose operands are all constant in i: its value, by `evaluate` itself;
- anything else (a bitwise operation of a changing value, an array written or read at a changing
  index, a call, an event): not accelerated.

Every test on the way, including those of the edges not taken, keeps its truth up to the first
breakpoint K, so iterations 0..K-1 follow the same path. Where that path's end state is s + d + i*d
(exactly: each variable's a and b), induction on i shows that the i-th pass has state s + i*d for every
i <= K, and the run goes on from s + K*d, iteration K following whatever path it takes. The jump is the
interpreter's own semantics, not an approximation: the tests (tests/reason/test_accelerate.py) run
programs both ways and compare every value.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from solomonic.reason.ir.evaluate import ArrayValue, EvaluationError, Value, evaluate, trunc_div
from solomonic.reason.ir.nodes import NO_SIGNED_WRAP, App, Const, Expr, Var
from solomonic.reason.ir.program import Assign, Assume, Call, Cfg, Havoc
from solomonic.reason.ir.types import BOOL, ArrayType, BVType

NEVER = 1 << 62  # no breakpoint: more iterations than any run takes
MAX_STEPS = 512  # statements a stride may take and still be accelerated
MAX_PERIOD = 8  # iterations a stride may have
MAX_WAIT = 1024  # passes between attempts at a merge point where attempts keep failing

Affine = tuple[int, int]  # a + b*i


@dataclass(frozen=True)
class Jump:
    """`repeats` times a stride of passes of a merge point jumped (a stride: one iteration, or a few, as
    `i++; if (i % 3 == 0) j++;` repeats every third): the state after them, and what one stride does."""

    env: dict[Var, Value]
    repeats: int
    steps: int  # statements one stride executes
    cutpoints: int  # cutpoints one stride passes (its returns to the merge point among them)
    lines: list[int]  # one stride's source lines, consecutive repeats collapsed


class Accelerator:
    """Watches a strict run's passes of its merge points (interpret.run's `accelerator`) and returns a
    `Jump` where the stretch ahead is affine. A merge point is tried at its pass MAX_PERIOD + 1, with the
    states of the passes before it as the candidate previous ones (a stride of one pass, then of two, and
    so on); after a failed try it waits twice as long for the next (at most MAX_WAIT passes), after a
    jump MAX_PERIOD + 1 passes again."""

    def __init__(self, cfg: Cfg, cutpoints: set[int]):
        self.cfg, self.cutpoints = cfg, cutpoints
        self.succ = cfg.successors()
        self.passes: dict[int, int] = {}
        self.due: dict[int, int] = {}  # the pass of a merge point at which it is tried next
        self.wait: dict[int, int] = {}
        self.history: dict[int, deque[dict[Var, Value]]] = {}  # the states of the passes just before it

    def __call__(self, loc: int, env: dict[Var, Value]) -> Jump | None:
        n = self.passes[loc] = self.passes.get(loc, 0) + 1
        due = self.due.setdefault(loc, n + MAX_PERIOD)
        if n < due - MAX_PERIOD:
            return None
        if n < due:
            self.history.setdefault(loc, deque(maxlen=MAX_PERIOD)).append(dict(env))
            return None
        earlier = self.history.pop(loc, deque())
        jump = next((j for period in range(1, len(earlier) + 1)
                     if (j := self._try(loc, period, earlier[-period], env)) is not None), None)
        if jump is None:
            self.wait[loc] = min(MAX_WAIT, 2 * self.wait.get(loc, 1))
            self.due[loc] = n + self.wait[loc]
            return None
        self.history.clear()  # a state from before the jump is no earlier pass of any merge point
        self.due = {at: self.passes[at] + MAX_PERIOD + 1 for at in self.passes}
        self.wait.clear()
        return jump

    def _try(self, loc: int, period: int, previous: dict[Var, Value], now: dict[Var, Value]) -> Jump | None:
        """The jump where `period` passes from `previous` to `now` repeat, adding the same each time."""
        if previous.keys() != now.keys():
            return None
        slope: dict[Var, int] = {}
        for var, value in now.items():
            if isinstance(value, ArrayValue):
                if value != previous[var]:
                    return None
            else:
                slope[var] = value - previous[var]  # type: ignore[operator]
        if not any(slope.values()):  # the same state again: a cycle, not a stretch (execution.py's Brent)
            return None
        stretch = Stretch({v: (x, slope[v]) if isinstance(x, int) else x for v, x in now.items()})
        try:
            steps, cutpoints, lines = stretch.iterate(loc, period, self.cfg, self.succ, self.cutpoints)
        except (NotAffine, EvaluationError, KeyError):
            return None
        after = stretch.env
        if after.keys() != now.keys():
            return None
        for var, value in now.items():
            if after[var] != ((value + slope[var], slope[var]) if var in slope else value):  # type: ignore[operator]
                return None
        k = stretch.limit
        if not 2 <= k < NEVER:  # nothing to jump, or a stretch without end (only unbounded integers have one)
            return None
        moved = {v: x + k * slope[v] if v in slope else x for v, x in now.items()}  # type: ignore[operator]
        return Jump(moved, k, steps, cutpoints, lines)


class NotAffine(Exception):
    """The iteration does something the algebra does not follow exactly: no jump."""


class Stretch:
    """Values in the affine algebra: `env` maps each variable to its affine value (an array, unchanged,
    to itself); `limit` is the first breakpoint met so far. `iterate` runs one iteration."""

    def __init__(self, env: dict[Var, Affine | ArrayValue]):
        self.env = env
        self.limit = NEVER

    def iterate(self, start: int, period: int, cfg: Cfg, succ: dict, cutpoints: set[int]) -> tuple[int, int, list[int]]:
        """Run from `start` back to it `period` times, as interpret.run does: at each location the first
        edge whose assumption holds. Returns the statements executed, the cutpoints passed and the lines."""
        loc, steps, passed, returns = start, 0, 0, 0
        lines: list[int] = []
        while True:
            if loc in cfg.events or steps >= MAX_STEPS:
                raise NotAffine
            line = cfg.lines[loc]
            if line > 0 and (not lines or lines[-1] != line):
                lines.append(line)
            taken = None
            for edge in succ[loc]:
                if not isinstance(edge.stmt, Assume) or self.truth(edge.stmt.cond):
                    taken = edge
                    break
            if taken is None:
                raise NotAffine
            s = taken.stmt
            if isinstance(s, Assign):
                if isinstance(s.target.type, ArrayType):
                    raise NotAffine
                self.env[s.target] = self.value(s.value)
            elif isinstance(s, Havoc):  # a strict run's havoc: unset until written
                self.env.pop(s.target, None)
            elif isinstance(s, Call):
                raise NotAffine
            steps += 1
            loc = taken.dst
            if loc in cutpoints:
                passed += 1
            if loc == start:
                returns += 1
                if returns == period:
                    return steps, passed, lines

    def breaks(self, at: int) -> None:
        self.limit = min(self.limit, at)

    def truth(self, e: Expr) -> bool:
        return bool(self.constant(e))

    def constant(self, e: Expr) -> int:
        a, b = self.value(e)
        if b:
            raise NotAffine
        return a

    def value(self, e: Expr) -> Affine:
        if isinstance(e, Const):
            return e.value, 0
        if isinstance(e, Var):
            value = self.env[e]
            if isinstance(value, ArrayValue):
                raise NotAffine
            return value
        assert isinstance(e, App)
        op = NO_SIGNED_WRAP.get(e.op, e.op)
        if op == "ite":
            return self.value(e.args[1] if self.truth(e.args[0]) else e.args[2])
        if op == "and":  # left to right, stopping where evaluate's all() stops
            return int(all(self.truth(a) for a in e.args)), 0
        if op == "or":
            return int(any(self.truth(a) for a in e.args)), 0
        if op == "select":
            array = self.env[e.args[0]] if isinstance(e.args[0], Var) else None
            if not isinstance(array, ArrayValue):
                raise NotAffine
            return array.get(self.constant(e.args[1])), 0
        if op in ("store", "constarray"):
            raise NotAffine
        args = [self.value(a) for a in e.args]
        if not any(b for _, b in args):  # constant in i: the operation's own value
            result = evaluate(App(e.op, tuple(Const(a, x.type) for (a, _), x in zip(args, e.args)), e.type), {})
            assert isinstance(result, int)
            return result, 0
        rule = _RULES.get(op)
        if rule is None:
            raise NotAffine
        return rule(self, e, args)

    def fit(self, x: Affine, type_: object) -> Affine:
        """An exact integer value as the type holds it: a machine integer wraps, exactly while it stays
        in one block of the type's range; a bool is whether the value is not zero."""
        a, b = x
        if isinstance(type_, BVType):
            a = type_.wrap(a)
            self.breaks(first_change(a, b, type_.min, type_.max))
            return a, b
        if type_ == BOOL:
            self.breaks(first_change(a, b, 0, 0))
            return int(a != 0), 0
        return a, b

    def within(self, x: Affine, low: int | None, high: int | None) -> Affine:
        """Whether the value lies in [low, high], constant up to a breakpoint."""
        a, b = x
        self.breaks(first_change(a, b, low, high))
        return int((low is None or low <= a) and (high is None or a <= high)), 0

    def quotient(self, x: Affine, divide: Callable[[int], int]) -> int:
        """The quotient of `divide` (monotone in the dividend) at i = 0, noting where it changes."""
        a, b = x
        q = divide(a)
        self.breaks(first_true(lambda i: divide(a + b * i) != q))
        return q


def _sum(s: Stretch, e: App, args: list[Affine]) -> Affine:
    (a, b), (c, d) = args
    sign = -1 if NO_SIGNED_WRAP.get(e.op, e.op) == "sub" else 1
    return s.fit((a + sign * c, b + sign * d), e.type)


def _product(x: Affine, y: Affine) -> Affine:
    (a, b), (c, d) = x, y
    if b and d:  # quadratic in i
        raise NotAffine
    return a * c, a * d + b * c


def _divide(s: Stretch, e: App, args: list[Affine]) -> Affine:
    op = NO_SIGNED_WRAP.get(e.op, e.op)
    x, (m, slope) = args
    if slope:
        raise NotAffine
    if op == "shr":
        if m < 0 or (isinstance(e.type, BVType) and m >= e.type.width):
            raise NotAffine  # evaluate's error at i = 0 is the run's
        op, m = "floordiv", 1 << m
    if m == 0:
        raise NotAffine
    floor = op in ("floordiv", "floormod")
    a, b = x
    if b % m == 0:  # the quotient moves by b / m each time: exactly for floor division, and for truncation
        if not floor:  # (floor's mirror image below zero) while the dividend stays on one side of zero
            low, high = (0, None) if a > 0 or (a == 0 and b > 0) else (None, 0)
            s.breaks(first_change(a, b, low, high))
        quotient = (a // m if floor else trunc_div(a, m), b // m)
    else:
        quotient = (s.quotient(x, (lambda n: n // m) if floor else (lambda n: trunc_div(n, m))), 0)
    if op in ("div", "floordiv"):
        return s.fit(quotient, e.type)
    return s.fit((a - m * quotient[0], b - m * quotient[1]), e.type)  # the remainder


def _shift_left(s: Stretch, e: App, args: list[Affine]) -> Affine:
    (a, b), (n, slope) = args
    if slope or n < 0 or (isinstance(e.type, BVType) and n >= e.type.width):
        raise NotAffine
    return s.fit((a << n, b << n), e.type)


# Truth of a comparison: the difference of its operands in an interval.
_INTERVAL = {"lt": (None, -1), "le": (None, 0), "gt": (1, None), "ge": (0, None), "eq": (0, 0)}


def _compare(s: Stretch, e: App, args: list[Affine]) -> Affine:
    (a, b), (c, d) = args
    op = NO_SIGNED_WRAP.get(e.op, e.op)
    low, high = _INTERVAL["eq" if op == "ne" else op]
    inside, _ = s.within((a - c, b - d), low, high)
    return (1 - inside if op == "ne" else inside), 0


def _no_overflow(s: Stretch, e: App, args: list[Affine]) -> Affine:
    """The `noovf_*` tests, as evaluate's `_no_overflow` defines them: the exact result in the operand
    type's range."""
    t = e.args[0].type
    if not isinstance(t, BVType):
        return 1, 0
    op = e.op
    if op == "noovf_neg":
        (a, b), = args
        exact = (-a, -b)
    elif op in ("noovf_add", "noovf_sub"):
        (a, b), (c, d) = args
        exact = (a + c, b + d) if op == "noovf_add" else (a - c, b - d)
    elif op == "noovf_mul":
        exact = _product(*args)
    elif op == "noovf_div":
        (divisor, slope) = args[1]
        if slope:
            raise NotAffine
        if divisor != -1:  # no quotient but INT_MIN / -1 leaves the range; a division by 0 is no overflow
            return 1, 0
        a, b = args[0]
        exact = (-a, -b)
    else:
        raise NotAffine
    return s.within(exact, t.min, t.max)


_RULES: dict[str, Callable[[Stretch, App, list[Affine]], Affine]] = {
    "add": _sum,
    "sub": _sum,
    "mul": lambda s, e, args: s.fit(_product(*args), e.type),
    "neg": lambda s, e, args: s.fit((-args[0][0], -args[0][1]), e.type),
    "bitnot": lambda s, e, args: s.fit((-args[0][0] - 1, -args[0][1]), e.type),  # ~x == -x - 1
    "cast": lambda s, e, args: s.fit(args[0], e.type),
    "div": _divide, "rem": _divide, "floordiv": _divide, "floormod": _divide, "shr": _divide,
    "shl": _shift_left,
    "eq": _compare, "ne": _compare, "lt": _compare, "le": _compare, "gt": _compare, "ge": _compare,
    "noovf_add": _no_overflow, "noovf_sub": _no_overflow, "noovf_mul": _no_overflow,
    "noovf_neg": _no_overflow, "noovf_div": _no_overflow,
}


def first_change(a: int, b: int, low: int | None, high: int | None) -> int:
    """The least i >= 1 at which whether a + b*i lies in [low, high] (None: unbounded) differs from
    whether a does; NEVER where it never does."""
    def inside(x: int) -> bool:
        return (low is None or low <= x) and (high is None or x <= high)

    if b == 0:
        return NEVER
    if inside(a):
        if b > 0:
            return NEVER if high is None else (high - a) // b + 1
        return NEVER if low is None else (a - low) // -b + 1
    if b > 0 and low is not None and a < low:
        i = -((a - low) // b)  # ceil((low - a) / b)
    elif b < 0 and high is not None and a > high:
        i = -((high - a) // -b)  # ceil((a - high) / -b)
    else:
        return NEVER
    return i if inside(a + b * i) else NEVER  # it may step over the interval


def first_true(pred: Callable[[int], bool]) -> int:
    """The least i in [1, NEVER) where a monotone predicate (false, then true for ever) holds; NEVER
    where it never does: doubling, then bisecting."""
    if not pred(NEVER - 1):
        return NEVER
    high = 1
    while not pred(high):
        high *= 2
    low = high // 2  # pred(low) is false (or low is 0)
    while high - low > 1:
        mid = (low + high) // 2
        if pred(mid):
            high = mid
        else:
            low = mid
    return high
