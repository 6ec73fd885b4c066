"""C's integer types under a data model, with the promotions and conversions gcc applies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from solomonic.reason.ir import BVType

DATA_MODELS = ("ILP32", "LP64")

# canonical name -> (conversion rank, width under ILP32, width under LP64, signed). gcc offers the
# 128-bit types only on 64-bit targets (`gcc -m32` rejects `__int128`): None under ILP32.
_TABLE: dict[str, tuple[int, int | None, int, bool]] = {
    "_Bool": (0, 1, 1, False),
    "char": (1, 8, 8, True),  # plain char is signed on x86 with gcc
    "signed char": (1, 8, 8, True),
    "unsigned char": (1, 8, 8, False),
    "short": (2, 16, 16, True),
    "unsigned short": (2, 16, 16, False),
    "int": (3, 32, 32, True),
    "unsigned int": (3, 32, 32, False),
    "long": (4, 32, 64, True),
    "unsigned long": (4, 32, 64, False),
    "long long": (5, 64, 64, True),
    "unsigned long long": (5, 64, 64, False),
    "__int128": (6, None, 128, True),
    "unsigned __int128": (6, None, 128, False),
}
# _Alignof(type) as gcc computes it (C11's ABI alignment, which is what struct members get): i386's
# System V ABI aligns 8-byte integers to 4, where gcc's own __alignof__ says 8 (its preferred alignment).
_ALIGN_ILP32 = {"long long": 4, "unsigned long long": 4}
MODEL_DEPENDENT = {"long", "unsigned long"}
STORAGE_BYTES = {"_Bool": 1}  # sizeof where it differs from width / 8


@dataclass(frozen=True)
class CInt:
    """A C integer type: its canonical name and its bit-vector under the data model."""

    name: str
    bv: BVType

    @property
    def rank(self) -> int:
        return _TABLE[self.name][0]

    @property
    def signed(self) -> bool:
        return self.bv.signed

    @property
    def size(self) -> int:
        return STORAGE_BYTES.get(self.name, self.bv.width // 8)


class CTypes:
    def __init__(self, data_model: str):
        assert data_model in DATA_MODELS
        self.data_model = data_model
        self.pointer_bytes = 4 if data_model == "ILP32" else 8

    def _width(self, name: str) -> int | None:
        _, w32, w64, _ = _TABLE[name]
        return w32 if self.data_model == "ILP32" else w64

    def get(self, name: str) -> CInt:
        width = self._width(name)
        if width is None:
            raise KeyError(f"{name} does not exist under {self.data_model}")
        return CInt(name, BVType(width, _TABLE[name][3], name))

    def available(self, name: str) -> bool:
        return self._width(name) is not None

    def alignment(self, t: CInt) -> int:
        """_Alignof(t) for an integer type, as gcc computes it under this data model."""
        if self.data_model == "ILP32":
            return _ALIGN_ILP32.get(t.name, t.size)
        return t.size

    @property
    def int(self) -> CInt:
        return self.get("int")

    @property
    def size_t(self) -> CInt:
        return self.get("unsigned int" if self.data_model == "ILP32" else "unsigned long")

    @property
    def index(self) -> BVType:
        """The type array indices are computed in (wide enough for any index of any integer type)."""
        return BVType(64, True, "array index")

    def promote(self, t: CInt) -> CInt:
        """Integer promotion: types of lower rank than int become int (all their values fit)."""
        return self.int if t.rank < 3 else t

    def common(self, a: CInt, b: CInt) -> CInt:
        """The usual arithmetic conversions on two promoted operands (C11 6.3.1.8)."""
        a, b = self.promote(a), self.promote(b)
        if a.name == b.name:
            return a
        if a.signed == b.signed:
            return a if a.rank >= b.rank else b
        unsigned, signed = (a, b) if not a.signed else (b, a)
        if unsigned.rank >= signed.rank:
            return unsigned
        if signed.bv.width > unsigned.bv.width:
            return signed
        return self.get("unsigned " + signed.name)

    def canonical(self, names: list[str]) -> str | None:
        """['unsigned'] -> 'unsigned int', ['long', 'int'] -> 'long', ... None if not an integer type."""
        words = [w for w in names if w not in ("const", "volatile", "register", "auto", "extern", "static",
                                               "inline", "restrict")]
        signed = "unsigned" not in words
        explicit_signed = "signed" in words
        core = [w for w in words if w not in ("signed", "unsigned", "int")]
        if core == ["_Bool"] and len(words) == 1:
            return "_Bool"
        if core == ["char"]:
            return "char" if signed and not explicit_signed else ("signed char" if signed else "unsigned char")
        if not core:
            base = "int" if words else None
        elif core == ["short"]:
            base = "short"
        elif core == ["long"]:
            base = "long"
        elif core == ["long", "long"]:
            base = "long long"
        elif core == ["__int128"]:
            base = "__int128"
        else:
            return None
        if base is None:
            return None
        return base if signed else "unsigned " + base


def integer_literal(text: str, types: CTypes) -> tuple[int, CInt]:
    """The value and type of a C integer constant (C11 6.4.4.1): the first type in the list for its
    suffix and base that can represent it."""
    s = text.lower()
    suffix = ""
    while s and s[-1] in "ul":
        suffix = s[-1] + suffix
        s = s[:-1]
    s = s.replace("'", "")
    if s.startswith("0x"):
        value, decimal = int(s[2:], 16), False
    elif s.startswith("0b"):
        value, decimal = int(s[2:], 2), False
    elif len(s) > 1 and s.startswith("0"):
        value, decimal = int(s, 8), False
    elif len(s) > 20:  # past 2**64 (and past the digits Python's int() converts from decimal)
        raise ValueError(f"integer constant {text[:20]}... ({len(s)} digits) is too large for any integer type")
    else:
        value, decimal = int(s), True
    unsigned = "u" in suffix
    longs = suffix.count("l")
    order = ["int", "long", "long long"][longs:]
    candidates = []
    for base in order:
        if not unsigned:
            candidates.append(base)
        if unsigned or not decimal:
            candidates.append("unsigned " + base)
    for name in candidates:
        t = types.get(name)
        if t.bv.min <= value <= t.bv.max:
            return value, t
    raise ValueError(f"integer constant {text} is too large for any integer type")


_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8, "f": 12, "v": 11,
            "?": 63}


def char_literal(text: str) -> int:
    """The int value of a character constant such as 'a', '\\n', '\\x41' or '\\101' (plain char is signed)."""
    if not text.startswith("'"):
        raise ValueError(f"wide or Unicode character constant {text}")
    body = text[1:-1]
    if body.startswith("\\"):
        rest = body[1:]
        if rest[:1] == "x":
            value = int(rest[1:], 16)
        elif rest[:1].isdigit():
            if not re.fullmatch(r"[0-7]{1,3}", rest):  # '\0377' is '\037' then '7': two characters
                raise ValueError(f"multi-character or invalid octal constant {text}")
            value = int(rest, 8)
        elif rest in _ESCAPES:
            value = _ESCAPES[rest]
        else:
            raise ValueError(f"unknown escape in {text}")
    elif len(body) == 1 and ord(body) < 128:
        value = ord(body)
    else:
        raise ValueError(f"multi-character or non-ASCII constant {text}")
    if value > 255:  # gcc truncates an escape past a char's range, with a warning; not modelled
        raise ValueError(f"escape sequence out of range in {text}")
    return value - 256 if value >= 128 else value


def string_literal(text: str) -> list[int]:
    """The characters of a string literal such as "a\\n" (pycparser's value for a run of adjacent
    literals keeps a boundary, `"\\1" "2"`, where joining them would change an escape), its
    terminating null character last, as plain char values (signed)."""
    if not text.startswith('"'):
        raise ValueError(f"wide or Unicode string literal {text}")
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    if "??" in text:  # a trigraph, which -std=c11 replaces before anything else
        raise ValueError(f"possible trigraph in {text}")
    out = []
    for body in parts:
        k = 0
        while k < len(body):
            if body[k] != "\\":
                if ord(body[k]) >= 128:
                    raise ValueError(f"non-ASCII character in {text}")
                out.append(ord(body[k]))
                k += 1
                continue
            hexadecimal = re.match(r"x([0-9a-fA-F]+)", body[k + 1:])
            octal = re.match(r"[0-7]{1,3}", body[k + 1:])
            if hexadecimal:
                value, k = int(hexadecimal.group(1), 16), k + 1 + len(hexadecimal.group())
            elif octal:
                value, k = int(octal.group(), 8), k + 1 + len(octal.group())
            elif body[k + 1:k + 2] in _ESCAPES:
                value, k = _ESCAPES[body[k + 1]], k + 2
            else:
                raise ValueError(f"unknown escape in {text}")
            if value > 255:
                raise ValueError(f"escape sequence out of range in {text}")
            out.append(value)
    return [v - 256 if v >= 128 else v for v in [*out, 0]]
