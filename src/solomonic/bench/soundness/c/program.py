"""A batch's program: functions written as templates with holes, and the source text they make.

The writer makes these; the probe that fills the holes, the harness and the judge read them, and so need
none of the writer's drawing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from solomonic.bench.soundness.c.types import CType, E, value_text


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


@dataclass
class Struct:
    """A struct type of the batch: for layout queries, with bit-fields for a local, or of integers (and an
    array, and a nested struct) for a local whose members the function reads and writes."""

    name: str
    text: str
    fields: list[str]
    bitfields: dict[str, CType] = field(default_factory=dict)  # name -> the field as a narrow type
    scalars: dict[str, CType] = field(default_factory=dict)  # "m0", "in.m1" -> the type of that member
    initialisers: int = 0  # how many values a brace-elided initialiser of it takes


PRELUDE = "#include <assert.h>\n#include <stddef.h>\n\nvoid __VERIFIER_assert(int cond);\n"


@dataclass
class StructArgument:
    """A function's last parameter, a struct of the batch passed by value or by pointer: the harness sets
    its members from a row's last values, which the tool's witness names by access path (`q->m0`)."""

    name: str
    struct: str
    by_pointer: bool
    members: list[tuple[str, CType]]  # ("q->m0", its type), as the witness shows them

    @property
    def declaration(self) -> str:
        return f"struct {self.struct} {'*' if self.by_pointer else ''}{self.name}"


@dataclass
class Function:
    name: str
    params: list[tuple[str, CType]]
    template: str  # with hole markers
    holes: list[Hole]
    argument: StructArgument | None = None

    @property
    def inputs(self) -> list[tuple[str, CType]]:
        """What a row of the harness gives, in order: the scalar parameters, then the struct's members."""
        return [*self.params, *(self.argument.members if self.argument else [])]

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

