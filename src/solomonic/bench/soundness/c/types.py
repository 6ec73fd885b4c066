"""C's integer types as gcc has them on x86-64 (LP64), and an interval arithmetic over them.

The writer steers its functions clear of undefined behaviour with these intervals, and a wrong type here
would quietly make the holes' bounds meaningless, so the model is kept apart, small enough to check
against gcc's own idea of each type (the tests do, with `_Generic`).
"""

from __future__ import annotations

from dataclasses import dataclass


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
