"""The IR's types: mathematical integers, booleans, C machine integers (bit-vectors) and arrays."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IntType:
    """Unbounded mathematical integers (Python's int)."""

    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True)
class BoolType:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class BVType:
    """A C integer type: `width` bits, two's complement when `signed`."""

    width: int
    signed: bool
    c_name: str = field(default="", compare=False)

    @property
    def min(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    @property
    def max(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    def wrap(self, value: int) -> int:
        """Reduce an integer modulo 2**width into this type's range (gcc's conversion rule)."""
        value &= (1 << self.width) - 1
        if self.signed and value >= 1 << (self.width - 1):
            value -= 1 << self.width
        return value

    def __str__(self) -> str:
        return self.c_name or f"{'' if self.signed else 'u'}int{self.width}"


@dataclass(frozen=True)
class ArrayType:
    """An array value: a total map from `index` to `elem` (bounds are checked by explicit events)."""

    index: Type
    elem: Type

    def __str__(self) -> str:
        return f"{self.elem}[]"


Type = IntType | BoolType | BVType | ArrayType
INT = IntType()
BOOL = BoolType()
