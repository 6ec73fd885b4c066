"""The random C writer: one batch of functions with holes, determined by (seed, index) alone.

A running campaign's cache depends on every batch being written the same, draw for draw: the writer is
kept apart from the judge so that a change to how answers are judged cannot touch what is written.
"""

from __future__ import annotations

import random
import re

from solomonic.bench.soundness.c.program import Batch, Function, Hole, Struct, StructArgument
from solomonic.bench.soundness.c.types import (
    INT,
    LOCAL_TYPES,
    PARAM_TYPES,
    SIZE_T,
    TYPES,
    CType,
    E,
    binary,
    common,
    fit,
    literal_type,
    promote,
)

INTERESTING = sorted({0, 1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 33, 63, 64, 100, 127, 128, 200, 255, 256, 1000, 32767,
                      32768, 65535, 65536, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1})
SUFFIXES = ("", "", "", "u", "L", "UL", "LL", "ULL")


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
    inner = {f"m{i}": rng.choice(LOCAL_TYPES) for i in range(rng.randint(1, 3))}
    out.append(Struct("P0", f"struct P0 {{ {' '.join(f'{t.name} {n};' for n, t in inner.items())} }};", list(inner),
                      scalars=inner, initialisers=len(inner)))
    outer_type, cells = rng.choice(LOCAL_TYPES), rng.randint(1, 3)
    outer = {**{f"in.{n}": t for n, t in inner.items()}, "z": outer_type}
    out.append(Struct("P1", f"struct P1 {{ struct P0 in; unsigned char cells[{cells}]; {outer_type.name} z; }};",
                      ["in", "cells", "z"], scalars=outer, initialisers=len(inner) + cells + 1))
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
        self.argument: StructArgument | None = None
        s = next(x for x in structs if x.name == "P0")
        # a struct parameter last, its members read and written as variables are (a harness's row holds
        # 64 bits a value, so not a struct with a 128-bit member)
        if rng.random() < 0.25 and all(t.bits <= 64 for t in s.scalars.values()):
            by_pointer = rng.random() < 0.6
            members = [(f"q{'->' if by_pointer else '.'}{m}", t) for m, t in s.scalars.items()]
            self.argument = StructArgument("q", s.name, by_pointer, members)
            self.env.update({n: (t, t.lo, t.hi) for n, t in members})
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
            kinds += ["struct"] * self.chance(0.5)
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
        if kind == "struct":
            return self.struct_local(pad)
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
            m = re.match(r"\s*(\w+(?:\[\d+\])?(?:(?:\.|->)\w+)*)\s*[-+*/%&|^<>]*=[^=]", line)
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

    def struct_local(self, pad: str) -> list[str]:
        """A struct of integers initialised (in braces, with braces elided, by designators or by a copy),
        then copied, its members read and written as variables are."""
        s = self.rng.choice([x for x in self.structs if x.scalars])
        var = self.new_name("s")
        form = self.rng.choice(["list", "list", "designated", "none"])
        if form == "list":
            values = [self.expr(1) for _ in range(self.rng.randint(1, s.initialisers))]
            cells = [m for m in s.scalars] if s.name == "P0" else \
                [*[m for m in s.scalars if m.startswith("in.")], *["cell"] * (s.initialisers - len(s.scalars)), "z"]
            lines = [f"{pad}struct {s.name} {var} = {{ {', '.join(v.text for v in values)} }};"]
            given = dict(zip(cells, values))
            for m, t in s.scalars.items():  # the members no value reaches are zero (C11 6.7.9p21)
                v = given.get(m)
                self.env[f"{var}.{m}"] = (t, *fit(v.lo, v.hi, t)) if v is not None else (t, 0, 0)
        elif form == "designated":
            m = self.rng.choice(list(s.scalars))
            value = self.expr(1)
            inner = m.split(".")
            text = f".{inner[0]} = {{ .{inner[1]} = {value.text} }}" if len(inner) == 2 else f".{m} = {value.text}"
            lines = [f"{pad}struct {s.name} {var} = {{ {text} }};"]
            for n, t in s.scalars.items():
                self.env[f"{var}.{n}"] = (t, *fit(value.lo, value.hi, t)) if n == m else (t, 0, 0)
        else:
            lines = [f"{pad}struct {s.name} {var};"]
            for n, t in s.scalars.items():
                value = self.expr(1)
                lines.append(f"{pad}{var}.{n} = {value.text};")
                self.env[f"{var}.{n}"] = (t, *fit(value.lo, value.hi, t))
        if s.name == "P0" and self.chance(0.4):  # an array of them, each element's members set, one copied
            array, count = self.new_name("s"), self.rng.randint(1, 3)
            zeroed = self.chance(0.5)
            lines.append(f"{pad}struct P0 {array}[{count}]{' = {0}' if zeroed else ''};")
            for k in range(count):
                for n, t in s.scalars.items():
                    if zeroed and self.chance(0.5):
                        self.env[f"{array}[{k}].{n}"] = (t, 0, 0)
                        continue
                    value = self.expr(1)
                    lines.append(f"{pad}{array}[{k}].{n} = {value.text};")
                    self.env[f"{array}[{k}].{n}"] = (t, *fit(value.lo, value.hi, t))
            k = self.rng.randrange(count)
            lines.append(f"{pad}{array}[{k}] = {var};")
            for n in s.scalars:
                self.env[f"{array}[{k}].{n}"] = self.env[f"{var}.{n}"]
        if self.chance(0.6):  # a copy, which the function then changes apart from the original
            copy = self.new_name("s")
            lines.append(f"{pad}struct {s.name} {copy} = {var};" if self.chance(0.5) else
                         f"{pad}struct {s.name} {copy}; {copy} = {var};")
            for n in s.scalars:
                self.env[f"{copy}.{n}"] = self.env[f"{var}.{n}"]
            m = self.rng.choice(list(s.scalars))
            value = self.expr(1)
            self.assign(f"{copy}.{m}", value)
            lines.append(f"{pad}{copy}.{m} = {value.text};")
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
        signature = ", ".join([*(f"{t.name} {n}" for n, t in self.params),
                               *([self.argument.declaration] if self.argument else [])])
        return "\n".join([f"int {self.name}({signature})", "{", *lines, f"    return {ret};", "}"])


def join(a: dict, b: dict, keep: dict) -> dict:
    """Two states' intervals joined, for the variables that exist before the branch or loop."""
    out = {}
    for n in keep:
        ta, la, ha = a.get(n, keep[n])
        _, lb, hb = b.get(n, keep[n])
        out[n] = (ta, min(la, lb), max(ha, hb))
    return out

def write_batch(seed: int, index: int, count: int) -> Batch:
    rng = random.Random(f"soundness-c:{seed}:{index}")
    structs = write_structs(rng)
    functions, next_hole = [], 0
    for k in range(count):
        w = FunctionWriter(rng, f"f{k}", structs, next_hole)
        template = w.function()
        next_hole = w.next_hole
        functions.append(Function(w.name, w.params, template, w.holes, w.argument))
    return Batch(seed, index, structs, functions)
