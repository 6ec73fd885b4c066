"""The C half of `bench soundness`: programs that stress C's integer rules, and gcc as their judge.

The writer puts small functions, fifty or so to a file, where a translation of C to logic is most easily
wrong: promotions and the usual arithmetic conversions across every integer type (`__int128` included),
literals whose type depends on their value, base and suffix, shifts by amounts near the width, division
and remainder of negatives, narrowing conversions and compound assignments, comparisons that mix signed
and unsigned, ternaries, bit-fields, layout queries (`sizeof`, `_Alignof`, `offsetof` of packed and
aligned structs), bounded loops and loops that end only for some inputs. A small interval analysis steers
most functions clear of undefined behaviour, so that a "yes" is possible at all; some are left risky.

Assertions and return conditions are written with holes. gcc fills them: the batch is first compiled as
a probe that prints each hole's value on every judged input, and then each hole becomes a bound that holds
on all of them (`e <= max`, `e == v` where only one value was seen) or, in one function of three, a
deliberately wrong one (`e <= max - 1`, `e == v + 1`). The tool is never told which.

The judge compiles the batch with `-fsanitize=undefined -fno-sanitize-recover` and a harness that runs
every function on boundary and random inputs, each in a forked child with a CPU-time bound (a crash,
abort or hang costs one input). A "yes" must hold on every run (no UBSan report at all, since the tool
answers yes only where no undefined behaviour is reachable; no failed assertion; no zero return; no run
past the bound, re-run with a long bound before it counts). A "no" must have a witness that the tool's
replay confirmed and that shows the violation here. Anything else is a disagreement.

Csmith's programs are judged the same way, one `assert` question each way about the checksum of their
globals (see `csmith_program`).
"""

from __future__ import annotations

import glob
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 3  # of the writer and the judge: cached batches from another version are redone
CSMITH_VERSION = 1  # of the csmith adapter, likewise
SAMPLE_MS = 300  # CPU time per judged run; every terminating loop of the writer needs well under 1 ms
LONG_MS = 2000  # a run past SAMPLE_MS is run again with this before it counts as a hang
HANGS_BEFORE_SKIP = 3  # a function that hung this often keeps its first hangs and skips its other inputs
EXIT_TRUE, EXIT_FALSE, EXIT_ASSERT, EXIT_UBSAN = 10, 11, 97, 98
UBSAN_OPTIONS = f"halt_on_error=1:exitcode={EXIT_UBSAN}:print_stacktrace=0"
GCC = ["gcc", "-std=gnu11", "-O0", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all"]
OVERFLOW_MESSAGES = ("signed integer overflow", "negation of", "cannot be represented in type")
PROPERTIES = ("returns-true", "assert", "no-overflow", "terminates")
VIOLATION = {"returns-true": "false", "assert": "assert", "no-overflow": "overflow", "terminates": "timeout"}

# ---------------------------------------------------------------------------------------------- types


@dataclass(frozen=True)
class CType:
    name: str
    bits: int
    signed: bool
    rank: int

    @property
    def lo(self) -> int:
        return -(1 << (self.bits - 1)) if self.signed else 0

    @property
    def hi(self) -> int:
        return (1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1


def _types() -> dict[str, CType]:
    out = {"char": CType("char", 8, True, 1)}  # x86-64: plain char is signed
    ladder = [("signed char", 8), ("short", 16), ("int", 32), ("long", 64), ("long long", 64), ("__int128", 128)]
    for rank, (name, bits) in enumerate(ladder, start=1):
        unsigned = "unsigned " + name.removeprefix("signed ")
        out[name], out[unsigned] = CType(name, bits, True, rank), CType(unsigned, bits, False, rank)
    return out


TYPES = _types()  # LP64
INT = TYPES["int"]
SIZE_T = TYPES["unsigned long"]
PARAM_TYPES = [t for t in TYPES.values() if t.bits <= 64]
LOCAL_TYPES = list(TYPES.values())


def promote(t: CType) -> CType:
    return INT if t.rank < INT.rank else t


def common(a: CType, b: CType) -> CType:
    """The usual arithmetic conversions (C11 6.3.1.8) for LP64."""
    a, b = promote(a), promote(b)
    if a == b:
        return a
    if a.signed == b.signed:
        return a if a.rank >= b.rank else b
    unsigned, signed = (a, b) if not a.signed else (b, a)
    if unsigned.rank >= signed.rank:
        return unsigned
    if signed.bits > unsigned.bits:
        return signed
    return TYPES["unsigned " + signed.name]


def fit(lo: int, hi: int, t: CType) -> tuple[int, int]:
    """The interval after conversion to t: unchanged where it fits, else all of t (a wrap-around)."""
    return (lo, hi) if t.lo <= lo and hi <= t.hi else (t.lo, t.hi)


def literal_type(value: int, hexadecimal: bool, suffix: str) -> CType | None:
    """C11 6.4.4.1: the first type of the literal's list that holds its value."""
    suffix = suffix.upper()
    u, ll, long = "U" in suffix, "LL" in suffix, "L" in suffix
    if u:
        names = ["unsigned long long"] if ll else ["unsigned long", "unsigned long long"] if long else \
            ["unsigned int", "unsigned long", "unsigned long long"]
    elif hexadecimal:
        names = ["long long", "unsigned long long"] if ll else \
            ["long", "unsigned long", "long long", "unsigned long long"] if long else \
            ["int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long"]
    else:
        names = ["long long"] if ll else ["long", "long long"] if long else ["int", "long", "long long"]
    return next((TYPES[n] for n in names if TYPES[n].lo <= value <= TYPES[n].hi), None)


def value_text(value: int, t: CType) -> str:
    """A constant of type t, written so that no literal's own type gets in the way."""
    if value == -(1 << 63):
        return f"(({t.name})(-9223372036854775807LL - 1))"
    return f"(({t.name}){value}ULL)" if value >= 0 else f"(({t.name})({value}LL))"


# ---------------------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class E:
    """An expression's text, C type, and an interval of its values; `ub`: undefined behaviour is possible."""

    text: str
    t: CType
    lo: int
    hi: int
    ub: bool = False


@dataclass
class Hole:
    """An assertion or return condition over `expr`, whose bound gcc's values fill in."""

    id: int
    expr: E
    form: str  # "le" | "ge" | "range"
    seen: list[int] = field(default_factory=list)
    lie: bool = False

    def condition(self, rng: random.Random) -> str:
        e, t = f"({self.expr.text})", self.expr.t
        if not self.seen:  # never reached on a judged input: any bound is as good as another
            return f"({e} <= {value_text(rng.randint(-3, 3) if t.signed else rng.randint(0, 6), t)})"
        lo, hi = min(self.seen), max(self.seen)
        if lo == hi:  # one value: `!= v` is the lie that any wrong model of e believes
            other = value_text(lo + 1 if lo < t.hi else lo - 1, t)
            if self.form == "ge":
                return f"({e} {'==' if self.lie else '!='} {other})"
            return f"({e} {'!=' if self.lie else '=='} {value_text(lo, t)})"
        if self.form == "le":
            return f"({e} <= {value_text(hi - self.lie, t)})"
        if self.form == "ge":
            return f"({e} >= {value_text(lo + self.lie, t)})"
        return f"({e} >= {value_text(lo, t)} && {e} <= {value_text(hi - self.lie, t)})"

    def probe(self) -> str:
        return f"__probe({self.id}, ({self.expr.text}) < 0, (unsigned long long)({self.expr.text}))"


INTERESTING = sorted({0, 1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 33, 63, 64, 100, 127, 128, 200, 255, 256, 1000, 32767,
                      32768, 65535, 65536, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1})
SUFFIXES = ("", "", "", "u", "L", "UL", "LL", "ULL")


@dataclass
class Struct:
    """A struct type of the batch: for layout queries, or with bit-fields for a local."""

    name: str
    text: str
    fields: list[str]
    bitfields: dict[str, CType] = field(default_factory=dict)  # name -> the field as a narrow type


def write_structs(rng: random.Random) -> list[Struct]:
    out = []
    for k in range(3):
        names = [f"m{i}" for i in range(rng.randint(2, 4))]
        members = []
        for i, n in enumerate(names):
            t = rng.choice(["char", "short", "int", "long long", "unsigned char", "__int128"])
            extra = f" __attribute__((aligned({rng.choice([2, 4, 8, 16])})))" if rng.random() < 0.2 else ""
            array = f"[{rng.randint(1, 3)}]" if t == "char" and rng.random() < 0.4 else ""
            members.append(f"{t} {n}{array}{extra};")
            if i == 0 and rng.random() < 0.3:
                members.append("char pad_;")
        attribute = rng.choice(["", "", " __attribute__((packed))", f" __attribute__((aligned({rng.choice([8, 16, 32])})))"])
        out.append(Struct(f"L{k}", f"struct L{k} {{ {' '.join(members)} }}{attribute};", names))
    bits: dict[str, CType] = {}
    members = []
    for i in range(rng.randint(2, 4)):
        signed, width = rng.random() < 0.5, rng.choice([1, 3, 5, 7, 8, 12, 17, 31])
        members.append(f"{'signed' if signed else 'unsigned'} int b{i} : {width};")
        bits[f"b{i}"] = CType(f"{'signed' if signed else 'unsigned'}:{width}", width, signed, 3)
    out.append(Struct("B0", f"struct B0 {{ {' '.join(members)} }};", list(bits), bits))
    return out


class FunctionWriter:
    """Writes one function: text with hole markers `@N@`, and its holes."""

    def __init__(self, rng: random.Random, name: str, structs: list[Struct], next_hole: int):
        self.rng, self.name, self.structs = rng, name, structs
        self.risky = rng.random() < 0.2  # expressions that may overflow, divide by zero or shift too far
        self.holes: list[Hole] = []
        self.next_hole = next_hole
        self.fresh = 0
        self.params = [(f"p{i}", rng.choice(PARAM_TYPES)) for i in range(rng.randint(1, 3))]
        self.env: dict[str, tuple[CType, int, int]] = {n: (t, t.lo, t.hi) for n, t in self.params}
        self.bitfields: dict[str, CType] = {}  # "s0.b1" -> its field type
        self.frozen: set[str] = set()  # loop counters and bounds: never assigned

    # -- drawing
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def new_name(self, prefix: str) -> str:
        self.fresh += 1
        return f"{prefix}{self.fresh}"

    # -- expressions
    def leaf(self) -> E:
        r = self.rng.random()
        if r < 0.6:
            name = self.rng.choice(list(self.env))
            t, lo, hi = self.env[name]
            return E(name, t, lo, hi)
        if r < 0.97:  # layout queries are rarer than the rest: a front end may refuse a whole function for one
            return self.literal()
        return self.layout()

    def literal(self) -> E:
        value = self.rng.choice(INTERESTING)
        hexadecimal = self.chance(0.4)
        suffix = self.rng.choice(SUFFIXES)
        t = literal_type(value, hexadecimal, suffix)
        if t is None:  # no signed type holds it: make it unsigned
            suffix = "ULL"
            t = TYPES["unsigned long long"]
        text = (f"0x{value:X}" if hexadecimal else str(value)) + suffix
        return E(text, t, value, value)

    def layout(self) -> E:
        kind = self.rng.choice(["sizeof", "alignof", "struct", "struct", "offsetof", "sizeof-expr"])
        layouts = [s for s in self.structs if not s.bitfields]
        if kind == "sizeof":
            text = f"sizeof({self.rng.choice(LOCAL_TYPES).name})"
        elif kind == "alignof":
            text = f"_Alignof({self.rng.choice(LOCAL_TYPES).name})"
        elif kind == "struct":
            text = f"{self.rng.choice(['sizeof', '_Alignof'])}(struct {self.rng.choice(self.structs).name})"
        elif kind == "offsetof":
            s = self.rng.choice(layouts)
            text = f"offsetof(struct {s.name}, {self.rng.choice(s.fields)})"
        else:
            inner = self.raw(1).text
            text = f"sizeof(+{inner})" if inner in self.bitfields else f"sizeof({inner})"  # not of a bit-field
        return E(text, SIZE_T, 0, 1024)

    def expr(self, depth: int) -> E:
        """An expression, free of undefined behaviour as far as the intervals tell unless the function is risky."""
        for _ in range(6):
            e = self.raw(depth)
            if self.risky or not e.ub:
                return e
        return self.leaf()

    def raw(self, depth: int) -> E:
        if depth <= 0 or self.chance(0.25):
            return self.leaf()
        ops = ["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "cast", "cast", "cast", "cmp", "cmp", "?:",
               "~", "neg", "!", "&&", "||", "wide"]
        op = self.rng.choice(ops)
        if op == "wide":  # a product in 128 bits, its high part brought back to 64: wrong wherever __int128 is not
            t = self.rng.choice([TYPES["__int128"], TYPES["unsigned __int128"]])
            a, b = self.raw(depth - 1), self.raw(depth - 1)
            product = binary("*", E(f"(({t.name}) {a.text})", t, *fit(a.lo, a.hi, t), a.ub),
                             E(f"(({t.name}) {b.text})", t, *fit(b.lo, b.hi, t), b.ub))
            k = self.rng.choice([1, 32, 63, 64, 65, 100])
            high = binary(">>", product, E(str(k), INT, k, k))
            target = self.rng.choice([TYPES["long"], TYPES["unsigned long"], TYPES["long long"], TYPES["unsigned int"]])
            return E(f"(({target.name}) {high.text})", target, *fit(high.lo, high.hi, target), high.ub)
        if op == "cast":
            inner = self.raw(depth - 1)
            t = self.rng.choice(LOCAL_TYPES)
            return E(f"(({t.name}) {inner.text})", t, *fit(inner.lo, inner.hi, t), inner.ub)
        if op in ("~", "neg", "!"):
            return self.unary(op, self.raw(depth - 1))
        if op == "?:":
            c, a, b = self.raw(depth - 1), self.raw(depth - 1), self.raw(depth - 1)
            t = common(a.t, b.t)
            (alo, ahi), (blo, bhi) = fit(a.lo, a.hi, t), fit(b.lo, b.hi, t)
            return E(f"({c.text} ? {a.text} : {b.text})", t, min(alo, blo), max(ahi, bhi), c.ub or a.ub or b.ub)
        a = self.raw(depth - 1)
        if op in ("<<", ">>"):
            b = self.shift_amount(promote(a.t), depth - 1)
        elif op in ("/", "%") and not self.risky and self.chance(0.6):
            b = self.literal_divisor()
        else:
            b = self.raw(depth - 1)
        if op == "cmp":
            op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
        return binary(op, a, b)

    def shift_amount(self, t: CType, depth: int) -> E:
        r = self.rng.random()
        if r < 0.5:  # near the width: some are out of range
            value = self.rng.choice([0, 1, t.bits // 2, t.bits - 2, t.bits - 1, t.bits, t.bits + 1])
            return E(str(value), INT, value, value)
        if r < 0.8:  # a variable masked into range
            name = self.rng.choice(list(self.env))
            v = self.env[name]
            return binary("&", E(name, v[0], v[1], v[2]), E(str(t.bits - 1), INT, t.bits - 1, t.bits - 1))
        return self.raw(depth)

    def literal_divisor(self) -> E:
        value = self.rng.choice([1, 2, 3, 7, 8, 100, 255, 256, 65536])
        t = self.rng.choice([INT, TYPES["unsigned int"], TYPES["long"], TYPES["unsigned long"]])
        sign = -1 if t.signed and self.chance(0.4) else 1
        text = f"{'-' if sign < 0 else ''}{value}{'' if t == INT else {'unsigned int': 'u', 'long': 'L'}.get(t.name, 'UL')}"
        return E(f"({text})", t, sign * value, sign * value)

    def unary(self, op: str, a: E) -> E:
        t = promote(a.t)
        if op == "!":
            return E(f"(!{a.text})", INT, 0, 1, a.ub)
        if op == "~":
            lo, hi = (-a.hi - 1, -a.lo - 1) if t.signed else (t.hi - a.hi, t.hi - a.lo) if a.lo >= 0 else (t.lo, t.hi)
            return E(f"(~{a.text})", t, lo, hi, a.ub)
        if t.signed:
            return E(f"(-{a.text})", t, -a.hi, -a.lo, a.ub or a.lo <= t.lo) if a.lo > t.lo or self.risky \
                else E(f"(-{a.text})", t, t.lo, t.hi, True)
        lo, hi = (0, 0) if a.lo == a.hi == 0 else (t.hi + 1 - a.hi, t.hi + 1 - a.lo) if a.lo > 0 else (t.lo, t.hi)
        return E(f"(-{a.text})", t, lo, hi, a.ub)

    def condition(self, depth: int = 2) -> E:
        e = self.expr(depth)
        if self.chance(0.5):
            op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
            e = binary(op, e, self.expr(1))
            if e.ub and not self.risky:
                e = binary(op, self.leaf(), self.leaf())
        return e

    def hole(self) -> str:
        for _ in range(6):
            e = self.expr(2) if self.chance(0.7) else self.leaf()
            if e.t.bits <= 64 and (self.risky or not e.ub):
                break
        else:
            name = self.rng.choice(list(self.env))
            _, lo, hi = self.env[name]
            e = E(f"(long long) {name}", TYPES["long long"], *fit(lo, hi, TYPES["long long"]))
        h = Hole(self.next_hole, e, self.rng.choice(["le", "ge", "range"]))
        self.next_hole += 1
        self.holes.append(h)
        return f"@{h.id}@"

    def constant_fact(self) -> str:
        """An assertion about a constant expression: a literal's or a layout query's arithmetic."""
        e = self.layout() if self.chance(0.4) else self.literal()
        for _ in range(self.rng.randint(0, 2)):
            op = self.rng.choice(["+", "-", "*", "/", "%", ">>", "<<", "cast", "cmp", "?:"])
            if op == "cast":
                t = self.rng.choice(LOCAL_TYPES)
                e = E(f"(({t.name}) {e.text})", t, *fit(e.lo, e.hi, t), e.ub)
            elif op == "cmp":
                e = binary(self.rng.choice(["<", ">", "=="]), e, self.literal() if self.chance(0.5) else E("(-1)", INT, -1, -1))
            elif op == "?:":
                other = self.literal()
                t = common(e.t, other.t)
                e = E(f"(1 ? {e.text} : {other.text})", t, *fit(e.lo, e.hi, t), e.ub)
            elif op in ("<<", ">>"):
                e = binary(op, e, E(str(self.rng.randint(0, 3)), INT, 0, 3))
            else:
                e = binary(op, e, self.literal_divisor() if op in "/%" else self.literal())
        if e.t.bits > 64 or e.ub:
            e = E(f"(unsigned long long) sizeof(struct {self.rng.choice(self.structs).name})",
                  TYPES["unsigned long long"], 0, 1024)
        h = Hole(self.next_hole, e, self.rng.choice(["le", "ge"]))
        self.next_hole += 1
        self.holes.append(h)
        return f"@{h.id}@"

    # -- statements
    def assign(self, name: str, value: E) -> None:
        if name in self.bitfields:
            t = self.bitfields[name]
            self.env[name] = (INT, *fit(value.lo, value.hi, t))
        else:
            t = self.env[name][0]
            self.env[name] = (t, *fit(value.lo, value.hi, t))

    def block(self, depth: int, count: int) -> list[str]:
        lines: list[str] = []
        for _ in range(count):
            lines += self.statement(depth)
        return lines

    def statement(self, depth: int) -> list[str]:
        kinds = ["decl", "decl", "assign", "compound", "assert", "assert", "fact"]
        if depth < 2:
            kinds += ["if", "for"]
        if depth == 0:
            kinds += ["bitfields"] * (not self.bitfields and self.chance(0.3))
        if self.risky:
            kinds += ["overflow", "overflow"]
        kind = self.rng.choice(kinds)
        pad = "    " * (depth + 1)
        assignable = [n for n in self.env if n not in self.frozen and n not in dict(self.params)]
        if kind in ("assign", "compound") and not assignable:
            kind = "decl"
        if kind == "decl":
            t = self.rng.choice(LOCAL_TYPES)
            value = self.expr(2)
            name = self.new_name("v")
            self.env[name] = (t, *fit(value.lo, value.hi, t))
            return [f"{pad}{t.name} {name} = {value.text};"]
        if kind == "assign":
            name, value = self.rng.choice(assignable), self.expr(2)
            self.assign(name, value)
            return [f"{pad}{name} = {value.text};"]
        if kind == "compound":
            name = self.rng.choice([n for n in assignable if n not in self.bitfields] or assignable)
            t, lo, hi = self.env[name]
            for _ in range(4):
                op = self.rng.choice(["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^"])
                operand = self.shift_amount(promote(t), 1) if op in ("<<", ">>") else \
                    self.literal_divisor() if op in "/%" and not self.risky else self.expr(1)
                value = binary(op, E(name, t, lo, hi), operand)
                if self.risky or not value.ub:
                    self.assign(name, value)
                    return [f"{pad}{name} {op}= {operand.text};"]
            return []
        if kind == "assert":
            call = "assert" if self.chance(0.5) else "__VERIFIER_assert"
            return [f"{pad}{call}({self.hole()});"]
        if kind == "fact":
            return [f"{pad}assert({self.constant_fact()});"]
        if kind == "if":
            cond = self.condition()
            before = dict(self.env)
            then = self.block(depth + 1, self.rng.randint(1, 2))
            after_then, self.env = self.env, dict(before)
            other = self.block(depth + 1, self.rng.randint(0, 2))
            self.env = join(after_then, self.env, before)
            lines = [f"{pad}if ({cond.text}) {{", *then]
            return lines + ([f"{pad}}} else {{", *other] if other else []) + [f"{pad}}}"]
        if kind == "for":
            return self.for_loop(depth, pad)
        if kind == "bitfields":
            return self.bitfield_local(pad)
        return self.overflow(pad)

    def overflow(self, pad: str) -> list[str]:
        """Signed arithmetic that may overflow and can do nothing else undefined: for no-overflow's "no"."""
        t = self.rng.choice([INT, TYPES["long"], TYPES["long long"]])
        a, b = self.leaf(), self.leaf()
        name = self.new_name("v")
        self.env[name] = (t, t.lo, t.hi)
        op = self.rng.choice(["+", "-", "*"])
        return [f"{pad}{t.name} {name} = ({t.name}) {a.text} {op} ({t.name}) {b.text};"]

    def for_loop(self, depth: int, pad: str) -> list[str]:
        var = self.new_name("i")
        small = [n for n in dict(self.params)]
        if small and self.chance(0.4):
            p = self.rng.choice(small)
            bound_text, count = f"({p} & 7)", 7
        else:
            count = self.rng.randint(1, 8)
            bound_text = str(count)
        self.frozen.add(var)
        start = dict(self.env)
        self.env[var] = (INT, 0, max(0, count - 1))
        states, lines = [dict(start)], []
        for k in range(count):  # the body's intervals after each iteration, joined (the text comes from the first)
            if k == 0:
                lines = self.block(depth + 1, self.rng.randint(1, 3))
            else:
                self.replay_intervals(lines)
            states.append({n: v for n, v in self.env.items() if n in start})
        self.env = {n: v for n, v in self.env.items() if n in start}
        for s in states:
            self.env = join(self.env, s, start)
        self.frozen.discard(var)
        return [f"{pad}for (int {var} = 0; {var} < {bound_text}; {var}++) {{", *lines, f"{pad}}}"]

    def replay_intervals(self, lines: list[str]) -> None:
        """Widen every variable the loop body assigns to its type's range: the body runs again."""
        for line in lines:
            m = re.match(r"\s*(\w+(?:\.\w+)?)\s*[-+*/%&|^<>]*=[^=]", line)
            if m and m.group(1) in self.env and not line.lstrip().startswith(("for", "if")):
                t = self.env[m.group(1)][0]
                width = self.bitfields.get(m.group(1), t)
                self.env[m.group(1)] = (t, *fit(width.lo, width.hi, t))

    def bitfield_local(self, pad: str) -> list[str]:
        s = next(x for x in self.structs if x.bitfields)
        var = self.new_name("s")
        lines = [f"{pad}struct {s.name} {var};"]
        for name, t in s.bitfields.items():
            value = self.expr(1)
            self.bitfields[f"{var}.{name}"] = t
            self.env[f"{var}.{name}"] = (INT, *fit(value.lo, value.hi, t))
            lines.append(f"{pad}{var}.{name} = {value.text};")
        return lines

    def maybe_endless(self, pad: str) -> list[str]:
        """A loop that ends within a few hundred iterations for some inputs and never for others."""
        p, _ = self.rng.choice(self.params)
        u, acc = self.new_name("u"), self.new_name("a")
        pattern = self.rng.randrange(4)
        if pattern == 0:
            body = [f"{pad}unsigned char {u} = (unsigned char) {p};",
                    f"{pad}while ({u} != {2 * self.rng.randint(0, 5)}) {u} -= 2;"]
        elif pattern == 1:
            body = [f"{pad}unsigned {acc} = 0;",
                    f"{pad}for (unsigned char {u} = 0; {u} < ({p} & 511); {u}++) {acc} ^= {u};"]
        elif pattern == 2:
            body = [f"{pad}int {u} = (int) ({p} & 63);",
                    f"{pad}while ({u} != 0) {u} = ({u} + {self.rng.choice([2, 4, 6, 8, 12])}) % 64;"]
        else:
            body = [f"{pad}signed char {u} = (signed char) ({p} & 127);",
                    f"{pad}while ({u} > 0) {u} -= (signed char) ({p} & 3);"]
        return body

    def function(self) -> str:
        lines = self.block(0, self.rng.randint(2, 6))
        if self.chance(0.2):
            loop = self.maybe_endless("    ")
            lines = loop + lines if self.chance(0.5) else lines + loop
        ret = self.hole() if self.chance(0.7) else self.expr(2).text
        if self.holes and self.chance(1 / 3):
            self.rng.choice(self.holes).lie = True
        signature = ", ".join(f"{t.name} {n}" for n, t in self.params)
        return "\n".join([f"int {self.name}({signature})", "{", *lines, f"    return {ret};", "}"])


def join(a: dict, b: dict, keep: dict) -> dict:
    """Two states' intervals joined, for the variables that exist before the branch or loop."""
    out = {}
    for n in keep:
        ta, la, ha = a.get(n, keep[n])
        _, lb, hb = b.get(n, keep[n])
        out[n] = (ta, min(la, lb), max(ha, hb))
    return out


def binary(op: str, a: E, b: E) -> E:
    ub = a.ub or b.ub
    text = f"({a.text} {op} {b.text})"
    if op in ("<", "<=", ">", ">=", "==", "!=", "&&", "||"):
        return E(text, INT, 0, 1, ub)
    if op in ("<<", ">>"):
        t = promote(a.t)
        if b.lo < 0 or b.hi >= t.bits:
            ub = True
        slo, shi = max(0, b.lo), min(max(0, b.hi), t.bits - 1)
        if op == ">>":
            ends = [x >> s for x in (a.lo, a.hi) for s in (slo, shi)]
            return E(text, t, min(ends), max(ends), ub)
        if a.lo < 0 and t.signed:
            return E(text, t, t.lo, t.hi, True)
        if a.hi << shi > t.hi:
            return E(text, t, t.lo, t.hi, ub or t.signed)
        return E(text, t, a.lo << slo, a.hi << shi, ub)
    t = common(a.t, b.t)
    (alo, ahi), (blo, bhi) = fit(a.lo, a.hi, t), fit(b.lo, b.hi, t)
    if op in ("+", "-", "*"):
        if op == "+":
            lo, hi = alo + blo, ahi + bhi
        elif op == "-":
            lo, hi = alo - bhi, ahi - blo
        else:
            corners = [x * y for x in (alo, ahi) for y in (blo, bhi)]
            lo, hi = min(corners), max(corners)
        if t.signed and not (t.lo <= lo and hi <= t.hi):
            return E(text, t, t.lo, t.hi, True)
        return E(text, t, *fit(lo, hi, t), ub)
    if op in ("/", "%"):
        if blo <= 0 <= bhi:
            ub = True
        if t.signed and alo == t.lo and blo <= -1 <= bhi:
            ub = True
        m = max(abs(alo), abs(ahi))
        if op == "/":
            return E(text, t, *fit(-m if alo < 0 else 0, m, t), ub)
        bound = max(abs(blo), abs(bhi)) - 1
        return E(text, t, max(alo, -bound) if alo < 0 else 0, min(ahi, bound) if ahi > 0 else 0, ub)
    if alo >= 0 and blo >= 0:
        hi = min(ahi, bhi) if op == "&" else (1 << max(ahi, bhi).bit_length()) - 1
        return E(text, t, 0, hi, ub)
    return E(text, t, t.lo, t.hi, ub)


# ---------------------------------------------------------------------------------------------- batches

PRELUDE = "#include <assert.h>\n#include <stddef.h>\n\nvoid __VERIFIER_assert(int cond);\n"


@dataclass
class Function:
    name: str
    params: list[tuple[str, CType]]
    template: str  # with hole markers
    holes: list[Hole]

    def text(self, fill: Callable[[Hole], str]) -> str:
        by_id = {h.id: h for h in self.holes}
        return re.sub(r"@(\d+)@", lambda m: fill(by_id[int(m.group(1))]), self.template)


@dataclass
class Batch:
    seed: int
    index: int
    structs: list[Struct]
    functions: list[Function]

    def source(self, fill: Callable[[Hole], str], probe: bool = False) -> str:
        head = PRELUDE + ("static int __probe(int, int, unsigned long long);\n" if probe else "")
        parts = [head, *(s.text for s in self.structs), ""]
        parts += [f.text(fill) + "\n" for f in self.functions]
        return "\n".join(parts)

    def standalone(self, function: Function, fill: Callable[[Hole], str]) -> str:
        """One function with what it needs: the program text a disagreement is reported with."""
        return "\n".join([PRELUDE, *(s.text for s in self.structs), "", function.text(fill)]) + "\n"


def write_batch(seed: int, index: int, count: int) -> Batch:
    rng = random.Random(f"soundness-c:{seed}:{index}")
    structs = write_structs(rng)
    functions, next_hole = [], 0
    for k in range(count):
        w = FunctionWriter(rng, f"f{k}", structs, next_hole)
        template = w.function()
        next_hole = w.next_hole
        functions.append(Function(w.name, w.params, template, w.holes))
    return Batch(seed, index, structs, functions)


def boundary(t: CType) -> list[int]:
    values = {0, 1, t.lo, t.hi, t.hi - 1}
    if t.signed:
        values |= {-1, t.lo + 1}
    return sorted(values)


def inputs(function: Function, rng: random.Random, extra: int = 0) -> list[tuple[int, ...]]:
    """Boundary values of each parameter's type (all combinations, fewer for three parameters), then random."""
    types = [t for _, t in function.params]
    if len(types) <= 2:
        grid = [boundary(t) for t in types]
    else:
        grid = [sorted({0, t.lo, t.hi, -1 if t.signed else 1}) for t in types]
    rows = [()]
    for values in grid:
        rows = [(*r, v) for r in rows for v in values]
    for _ in range(10 + extra):
        rows.append(tuple(random_value(t, rng) for t in types))
    return list(dict.fromkeys(rows))


def random_value(t: CType, rng: random.Random) -> int:
    r = rng.random()
    if r < 0.4:
        return rng.randint(t.lo, t.hi)
    if r < 0.7:
        return rng.randint(max(t.lo, -20), min(t.hi, 20))
    k = rng.randrange(t.bits)
    return max(t.lo, min(t.hi, (1 << k) + rng.choice([-1, 0, 1]) * (1 if rng.random() < 0.5 else -1)))


# ----------------------------------------------------------------------------------------------- gcc


@dataclass
class Run:
    """What one run of one function on one input did."""

    outcome: str  # true | false | assert | overflow | ub | timeout | crash | skipped
    detail: str = ""
    probes: list[tuple[int, int]] = field(default_factory=list)  # (hole id, value) in order


def harness(program: Path, functions: list[Function], rows: list[tuple[int, tuple[int, ...]]]) -> str:
    width = max(1, max((len(f.params) for f in functions), default=1))
    calls = []
    for k, f in enumerate(functions):
        args = ", ".join(f"({t.name}) a[{i}]" for i, (_, t) in enumerate(f.params))
        calls.append(f"    case {k}: return {f.name}({args});")
    table = ",\n".join(f"  {{{', '.join(f'{v & (2**64 - 1)}ULL' for v in args) or '0'}}}" for _, args in rows)
    fail = f'{{ fputs("!assert\\n", stderr); _exit({EXIT_ASSERT}); }}'
    return "\n".join([
        "#include <signal.h>", "#include <stdio.h>", "#include <stdlib.h>", "#include <sys/time.h>",
        "#include <sys/wait.h>", "#include <unistd.h>",
        f'#include "{program.name}"',
        f"void __VERIFIER_assert(int cond) {{ if (!cond) {fail} }}",
        f"void __assert_fail(const char *a, const char *f, unsigned int l, const char *fn) {fail}",
        "static int __probe(int id, int negative, unsigned long long v) {",
        '  fprintf(stderr, "H %d %d %llu\\n", id, negative, v);',
        "  return 1;",
        "}",
        f"static const int FN[] = {{{', '.join(str(k) for k, _ in rows) or '0'}}};",
        f"static const unsigned long long ARGS[][{width}] = {{\n{table or '  {0}'}\n}};",
        "static int call(int f, const unsigned long long *a) {",
        "  switch (f) {", *calls, "  }", "  return 0;", "}",
        "int main(int argc, char **argv) {",
        "  long ms = atol(argv[1]), first = atol(argv[2]), last = atol(argv[3]);",
        f"  static int hangs[{max(1, len(functions))}];",
        "  for (long k = first; k < last; k++) {",
        f"    if (hangs[FN[k]] >= {HANGS_BEFORE_SKIP}) {{ fprintf(stderr, \"= %ld -2 0\\n\", k); continue; }}",
        '    fprintf(stderr, "@ %ld\\n", k);',
        "    pid_t pid = fork();",
        "    if (pid == 0) {",
        "      struct itimerval cpu = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};",
        "      setitimer(ITIMER_VIRTUAL, &cpu, 0);",
        "      alarm(5 + 20 * ms / 1000);",
        f"      _exit(call(FN[k], ARGS[k]) ? {EXIT_TRUE} : {EXIT_FALSE});",
        "    }",
        "    int status = 0;",
        "    waitpid(pid, &status, 0);",
        "    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;",
        "    if (sig == SIGVTALRM || sig == SIGALRM) hangs[FN[k]]++;",
        '    fprintf(stderr, "= %ld %d %d\\n", k, WIFEXITED(status) ? WEXITSTATUS(status) : -1, sig);',
        "  }",
        "  return 0;",
        "}",
    ]) + "\n"


def compile_harness(workdir: Path, stem: str, program: str, functions: list[Function],
                    rows: list[tuple[int, tuple[int, ...]]]) -> Path:
    src = workdir / f"{stem}.c"
    src.write_text(program)
    hsrc, exe = workdir / f"{stem}_harness.c", workdir / f"{stem}_harness"
    hsrc.write_text(harness(src, functions, rows))
    built = subprocess.run([*GCC, str(hsrc), "-o", str(exe)], capture_output=True, text=True, timeout=600)
    if built.returncode != 0:
        raise RuntimeError(f"gcc rejects the generated program:\n{built.stderr[-3000:]}")
    return exe


def run_rows(exe: Path, first: int, last: int, ms: int = SAMPLE_MS) -> list[Run]:
    """Run rows first..last-1 of the harness; one Run per row."""
    ran = subprocess.run([str(exe), str(ms), str(first), str(last)], capture_output=True, text=True,
                         errors="replace", stdin=subprocess.DEVNULL, timeout=3600,
                         env={**os.environ, "UBSAN_OPTIONS": UBSAN_OPTIONS})
    runs: list[Run] = []
    message, asserted, probes = "", False, []
    for line in ran.stderr.splitlines():
        if line.startswith("@ "):
            message, asserted, probes = "", False, []
        elif line.startswith("H "):
            _, hole, negative, value = line.split()
            probes.append((int(hole), int(value) - (1 << 64) * (negative == "1")))
        elif line.startswith("!assert"):
            asserted = True
        elif "runtime error:" in line and not message:
            message = line.split("runtime error:", 1)[1].strip()
        elif line.startswith("= "):
            code, sig = (int(x) for x in line.split()[2:4])
            runs.append(_outcome(code, sig, message, asserted, probes))
    if len(runs) != last - first:
        raise RuntimeError(f"the harness stopped early ({len(runs)} of {last - first} runs):\n{ran.stderr[-2000:]}")
    return runs


def _outcome(code: int, sig: int, message: str, asserted: bool, probes: list) -> Run:
    if code == -2:
        return Run("skipped")
    if message:
        kind = "overflow" if any(m in message for m in OVERFLOW_MESSAGES) else "ub"
        return Run(kind, message, probes)
    if asserted and code == EXIT_ASSERT:
        return Run("assert", "", probes)
    if code in (EXIT_TRUE, EXIT_FALSE):
        return Run("true" if code == EXIT_TRUE else "false", "", probes)
    if sig in (signal.SIGVTALRM, signal.SIGALRM):
        return Run("timeout", f"still running after the CPU bound (signal {sig})", probes)
    return Run("crash", f"exit {code}, signal {sig}", probes)


# ---------------------------------------------------------------------------------------------- judging


def judge(results: list, prop_runs: dict[str, list[tuple[tuple[int, ...], Run]]],
          witness_runs: dict[int, Run], names: dict[str, list[str]]) -> list[tuple[object, str]]:
    """The answers the runs contradict, each with the evidence: a list of (result, evidence).
    `witness_runs`: the run of each "no" answer's witness, by the answer's position in `results`."""
    wrong = []
    for position, r in enumerate(results):
        runs = prop_runs.get(r.function)
        if runs is None or r.verdict.value == "unknown":
            continue
        params = names[r.function]
        if r.verdict.value == "yes":
            bad = VIOLATION[r.property]
            for args, run in runs:
                if run.outcome in ("overflow", "ub", "crash") or run.outcome == bad:
                    wrong.append((r, f"yes, but on ({_shown(params, args)}) the run does {run.outcome}"
                                     + (f": {run.detail}" if run.detail else "")))
                    break
        else:
            replay = (r.witness or {}).get("replay", {})
            run = witness_runs.get(position)
            if replay.get("confirmed") is not True:
                wrong.append((r, f"no, but the tool's own replay did not confirm it: {replay}"))
            elif run is None:
                wrong.append((r, f"no, but the witness {(r.witness or {}).get('inputs')} is not a valid input"))
            elif run.outcome != VIOLATION[r.property]:
                wrong.append((r, f"no, but the witness {r.witness['inputs']} does {run.outcome}"
                                 + (f": {run.detail}" if run.detail else "")))
    return wrong


def _shown(params: list[str], args: tuple[int, ...]) -> str:
    return ", ".join(f"{n}={v}" for n, v in zip(params, args))


def witness_row(function: Function, witness: dict | None) -> tuple[int, ...] | None:
    """The witness's inputs as a row of the harness; None where one is missing or outside its type."""
    values = (witness or {}).get("inputs", {})
    row = []
    for name, t in function.params:
        v = values.get(name)
        if not isinstance(v, int) or not t.lo <= int(v) <= t.hi:
            return None
        row.append(int(v))
    return tuple(row)


def run_batch(seed: int, index: int, count: int, timeout_s: float, jobs: int, workdir: Path,
              on_result: Callable | None = None) -> dict:
    """Write, probe, ask and judge one batch. Returns {"answers": [...], "disagreements": [...]}."""
    from solomonic.reason.api import check

    batch = write_batch(seed, index, count)
    rng = random.Random(f"soundness-c-inputs:{seed}:{index}")
    rows = [(k, args) for k, f in enumerate(batch.functions) for args in inputs(f, rng)]
    extra = [(k, args) for k, f in enumerate(batch.functions) for args in inputs(f, rng, extra=6)[-16:]]
    stem = f"c_{seed}_{index}"
    try:
        exe = compile_harness(workdir, f"{stem}_probe", batch.source(Hole.probe, probe=True), batch.functions, rows)
    except RuntimeError as err:  # a writer's mistake: reported with the batch, and the campaign goes on
        return {"answers": [], "error": str(err)[:1000], "disagreements": []}
    for run in run_rows(exe, 0, len(rows)):
        for hole_id, value in run.probes:
            hole_by_id(batch, hole_id).seen.append(value)
    fill_rng = random.Random(f"soundness-c-fill:{seed}:{index}")
    fills = {h.id: h.condition(fill_rng) for f in batch.functions for h in f.holes}
    fill = lambda h: fills[h.id]  # noqa: E731
    program = workdir / f"{stem}.c"
    program.write_text(batch.source(fill))
    try:
        results = check(str(program), property="all", timeout=timeout_s, jobs=jobs, on_result=on_result)
    except Exception as err:  # the front end refused the whole file: every question is unknown
        return {"answers": [], "refused": f"{type(err).__name__}: {err}"[:300], "disagreements": []}
    by_name = {f.name: f for f in batch.functions}
    answers = [{"function": r.function, "property": r.property, "verdict": r.verdict.value,
                "reason": r.reason[:200], "seconds": r.seconds} for r in results]
    disagreements = [{"language": "c", "program": batch.standalone(by_name[r.function], fill),
                      "function": r.function, "property": r.property, "verdict": r.verdict.value,
                      "evidence": evidence, "reason": r.reason[:300], "witness": r.witness}
                     for r, evidence in verify(batch.functions, program, rows + extra, results, workdir)]
    near = [{"function": r.function, "property": r.property, "reason": r.reason[:300],
             "program": batch.standalone(by_name[r.function], fill)}
            for r in results if r.reason.startswith("counterexample not confirmed by replay") and r.function in by_name]
    return {"answers": answers, "disagreements": disagreements, "replay_rejected": near}


def verify(functions: list[Function], program: Path, rows: list[tuple[int, tuple[int, ...]]], results: list,
           workdir: Path) -> list[tuple[object, str]]:
    """Run the program on the rows and on every witness, and judge the answers: (result, evidence) for
    each that the runs contradict."""
    index = {f.name: k for k, f in enumerate(functions)}
    witness_keys, witness_rows = [], []
    for position, r in enumerate(results):
        if r.verdict.value == "no" and r.function in index:
            row = witness_row(functions[index[r.function]], r.witness)
            if row is not None:
                witness_keys.append(position)
                witness_rows.append((index[r.function], row))
    exe = compile_harness(workdir, program.stem + "_judge", program.read_text(), functions, rows + witness_rows)
    runs = run_rows(exe, 0, len(rows))
    witness_runs = {}
    for i, position in enumerate(witness_keys):  # a hang must outlast the long bound
        at = len(rows) + i
        patient = results[position].property == "terminates"
        witness_runs[position] = run_rows(exe, at, at + 1, LONG_MS if patient else SAMPLE_MS)[0]
    claimed = {index[r.function] for r in results
               if r.property == "terminates" and r.verdict.value == "yes" and r.function in index}
    for i, run in enumerate(runs):  # a hang that contradicts a yes is run again, patiently, before it counts
        if run.outcome == "timeout" and rows[i][0] in claimed:
            runs[i] = run_rows(exe, i, i + 1, LONG_MS)[0]
    prop_runs: dict[str, list] = {}
    for (k, args), run in zip(rows, runs):
        prop_runs.setdefault(functions[k].name, []).append((args, run))
    names = {f.name: [n for n, _ in f.params] for f in functions}
    return judge(results, prop_runs, witness_runs, names)


def hole_by_id(batch: Batch, hole_id: int) -> Hole:
    for f in batch.functions:
        for h in f.holes:
            if h.id == hole_id:
                return h
    raise KeyError(hole_id)


# --------------------------------------------------------------------------------------------- csmith

CSMITH_OPTIONS = ["--no-pointers", "--no-structs", "--no-unions", "--no-arrays", "--max-funcs", "3", "--no-volatiles",
                  "--no-bitfields", "--max-block-depth", "2", "--max-expr-complexity", "5"]
CSMITH_RUN_S = 10  # a program gcc's build runs longer than this is skipped: no question about it would end


def csmith_include() -> str | None:
    """csmith's runtime headers (csmith.h, safe_math.h), where the package put them."""
    if shutil.which("csmith") is None:
        return None
    found = [d for d in glob.glob("/usr/include/csmith*") + glob.glob("/usr/local/include/csmith*")
             if os.path.isfile(os.path.join(d, "csmith.h"))]
    return found[0] if found else None


# What csmith.h gives the generated code once `main` is replaced: the integer types and the safe_math
# wrappers (the real safe_math.h, found through -I; its float wrappers need fabs, declared as <math.h>
# does). csmith.h itself also pulls in <math.h> and platform_generic.h (a CRC table, printf), which only
# the replaced checksum used and whose float headers a front end need not parse. gcc compiles the same prelude, so the judge sees the very same program.
CSMITH_PRELUDE = """#include <float.h>
#include <limits.h>
#include <stdint.h>
double fabs(double);
float fabsf(float);
#define STATIC static
#define LOG_INDEX
#define LOG_EXEC
#define UNDEFINED(__val) (__val)
#define FUNC_NAME(x) (safe_##x)
#include "safe_math.h"
#undef FUNC_NAME
"""


def csmith_program(csmith_seed: int) -> str:
    """A csmith program with its `main` replaced: run the entry function, then fold the globals that
    csmith's checksum covers into one 64-bit FNV-1a-style hash, `h`, ended by `@CHECK@`. csmith's own
    checksum reads a CRC table through array indexing and prints it; the hash keeps to plain integers
    and is defined behaviour on every value."""
    with tempfile.TemporaryDirectory(prefix="solomonic-csmith-") as scratch:  # csmith writes platform.info
        made = subprocess.run(["csmith", "--seed", str(csmith_seed), *CSMITH_OPTIONS], capture_output=True,
                              text=True, timeout=120, check=True, cwd=scratch)
    text = made.stdout
    start = text.index("int main (int argc, char* argv[])")
    names = re.findall(r"transparent_crc\((\w+), \"", text[start:])
    body = ["int main(void)", "{", "    func_1();", "    unsigned long long h = 14695981039346656037ULL;"]
    body += [f"    h = (h ^ (unsigned long long) {n}) * 1099511628211ULL;" for n in names]
    body += ["    @CHECK@", "    return 0;", "}"]
    head = text[:start].replace('#include "csmith.h"', CSMITH_PRELUDE + "#include <assert.h>", 1)
    return head + "\n".join(body) + "\n"


def run_csmith(seed: int, index: int, timeout_s: float, jobs: int, workdir: Path,
               on_result: Callable | None = None) -> dict:
    """One csmith program, asked twice with `assert` on main: the hash gcc computed (must not be no) and
    that value plus one (must not be yes)."""
    from solomonic.reason.api import check

    include = csmith_include()
    assert include is not None
    csmith_seed = (seed * 1_000_003 + index) % (2**31)
    template = csmith_program(csmith_seed)
    stem = f"csmith_{seed}_{index}"
    probe = workdir / f"{stem}_probe.c"
    probe.write_text("#include <stdio.h>\n" + template.replace("@CHECK@", 'printf("H %llu\\n", h);'))
    first = _csmith_run(probe, include, workdir)
    if first.outcome != "true" or not first.detail.startswith("H "):
        return {"answers": [], "skipped": f"csmith seed {csmith_seed}: gcc's run does {first.outcome} {first.detail}"[:300],
                "disagreements": []}
    value = int(first.detail.split()[1])
    answers, disagreements = [], []
    for claim, expected in ((value, "assert holds"), ((value + 1) % 2**64, "assert fails")):
        path = workdir / f"{stem}_{'true' if claim == value else 'false'}.c"
        path.write_text(template.replace("@CHECK@", f"assert(h == {claim}ULL);"))
        try:
            [r] = check(str(path), function="main", property="assert", timeout=timeout_s, jobs=jobs,
                        include_dirs=[include], on_result=on_result)
        except Exception as err:
            answers.append({"function": "main", "property": "assert", "verdict": "unknown",
                            "reason": f"refused: {type(err).__name__}: {err}"[:200], "seconds": 0.0})
            continue
        answers.append({"function": "main", "property": "assert", "verdict": r.verdict.value,
                        "reason": r.reason[:200], "seconds": r.seconds})
        if r.verdict.value == "unknown":
            continue
        real = _csmith_run(path, include, workdir)
        if r.verdict.value == "yes":
            bad = real.outcome != "true"
            evidence = f"yes, but gcc's run does {real.outcome} {real.detail}".strip()
        else:
            confirmed = (r.witness or {}).get("replay", {}).get("confirmed") is True
            bad = real.outcome != "assert" or not confirmed
            evidence = f"no, but gcc's run does {real.outcome} (tool's replay confirmed: {confirmed})"
        if bad:
            disagreements.append({"language": "c (csmith)", "program": path.read_text(), "function": "main",
                                  "property": "assert", "verdict": r.verdict.value, "evidence": evidence,
                                  "reason": r.reason[:300], "csmith_seed": csmith_seed, "expected": expected})
    return {"answers": answers, "disagreements": disagreements, "csmith_seed": csmith_seed}


def _csmith_run(path: Path, include: str, workdir: Path) -> Run:
    exe = path.with_suffix("")
    built = subprocess.run([*GCC, f"-I{include}", str(path), "-o", str(exe)], capture_output=True, text=True,
                           timeout=300)
    if built.returncode != 0:
        return Run("crash", f"gcc: {built.stderr[-300:]}")
    try:
        ran = subprocess.run([str(exe)], capture_output=True, text=True, errors="replace", timeout=CSMITH_RUN_S,
                             stdin=subprocess.DEVNULL, env={**os.environ, "UBSAN_OPTIONS": UBSAN_OPTIONS})
    except subprocess.TimeoutExpired:
        return Run("timeout", f"still running after {CSMITH_RUN_S} s")
    ub = re.search(r"runtime error: (.*)", ran.stderr)
    if ub:
        message = ub.group(1).strip()
        return Run("overflow" if any(m in message for m in OVERFLOW_MESSAGES) else "ub", message)
    if ran.returncode == -6 and "Assertion" in ran.stderr:
        return Run("assert")
    if ran.returncode == 0:
        return Run("true", ran.stdout.strip())
    return Run("crash", f"exit {ran.returncode}")
