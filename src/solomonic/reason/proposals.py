"""Candidate invariants from outside the reasoner (issue 28): what a proposer is, and how its text is read.

A proposer reads a loop as `describe_loop` prints it and answers with candidate invariants for the loop's
first head: SMT-LIB terms over the variables that head lists, joined by `SEPARATOR`. The reasoner treats
each term like an atom it read off the program itself: Houdini keeps it only if it is inductive, and
the certificate that states it is re-checked from scratch. So a proposer can cost time, never an answer;
a term that does not parse, or speaks of a name the head does not have, is dropped.

The interface lives here, and the learned implementation (a B'MOJO, torch) in `solomonic.bridge`, so
that the reasoner never loads a neural network library.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import z3

    from solomonic.reason.result import Result

# ";" starts a comment in SMT-LIB, so it can never be part of a term: the one safe separator
SEPARATOR = " ; "


class Proposer(Protocol):
    """Something that proposes candidate invariants for a loop."""

    @property
    def name(self) -> str:
        """Which proposer this is (its model's digest): answers found with its help are remembered apart."""
        ...

    def propose(self, loop: str, k: int) -> list[str]:
        """At most k proposals for the loop whose text is `loop`, each conjuncts joined by SEPARATOR."""
        ...

    def confirmed(self, result: Result, loops: Mapping[int, str]) -> None:
        """A yes whose certificate states some of the proposals (`result.details["proposals"]["used"]`)
        for the loops whose texts were `loops`, by head: what the proposer can learn from next."""
        ...


def used(result: Result) -> bool:
    """Whether the answer's certificate states any proposal."""
    return bool((result.details.get("proposals") or {}).get("used"))


def conjuncts(proposals: list[str]) -> list[str]:
    """The distinct conjuncts of the proposals, in the order first proposed."""
    out: list[str] = []
    for proposal in proposals:
        for part in proposal.split(SEPARATOR.strip()):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def parse(term: str, variables: Mapping[str, z3.ExprRef], ctx: z3.Context) -> z3.BoolRef | None:
    """The Boolean term over `variables` (by name), or None where it is not one."""
    import z3  # here: the commands that take a proposer load it before any solver is needed

    declarations = "".join(f"(declare-const {_quoted(name)} {v.sort().sexpr()})" for name, v in variables.items())
    try:
        [formula] = z3.parse_smt2_string(f"{declarations}(assert {term})", ctx=ctx)
    except (z3.Z3Exception, ValueError):
        return None
    return formula if z3.is_bool(formula) else None


def _quoted(name: str) -> str:
    return name if name.replace("_", "a").isalnum() and not name[0].isdigit() else f"|{name}|"
