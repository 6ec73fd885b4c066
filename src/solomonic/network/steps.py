"""What a candidate path of the symbolic walk (`paths.Walk`) is made of, and what a module that walks part of
the way for it (`paths_balancers`) may ask of the walk: the steps (a branch taken, a filter passed, each a
formula over the packet), the state of a walk under way, the path it ends in, and `Walker`, the walk's face
to such a module, so that it needs no import of `paths`, which calls it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import z3

from solomonic.network import lookup
from solomonic.network.destinations import Goal
from solomonic.network.encode import Packet
from solomonic.network.model import Interface, SecurityGroupRule, Snapshot, Subnet

Kind = Literal["question", "branch", "filter"]
End = Literal["delivered", "dead", "unknown"]


@dataclass(frozen=True)
class Step:
    """One condition of a path: `component` is the resource whose constraint it is; a security groups' step
    keeps each rule with what it admits (`rules`), so that a finding can point at the rule a packet used."""

    kind: Kind
    component: str
    text: str
    formula: z3.BoolRef
    rules: tuple[tuple[SecurityGroupRule, z3.BoolRef], ...] = ()


@dataclass(frozen=True)
class Path:
    source: Interface | str | None
    hops: tuple[str, ...]
    steps: tuple[Step, ...]
    end: End
    reason: str
    blocker: str | None = None


@dataclass(frozen=True)
class State:
    src: z3.BitVecRef
    dst: z3.BitVecRef
    sender: Interface | None
    hops: tuple[str, ...] = ()
    steps: tuple[Step, ...] = field(default=())

    def hop(self, node: str) -> State:
        return replace(self, hops=(*self.hops, node))

    def step(self, kind: Kind, component: str, text: str, formula: z3.BoolRef,
             rules: tuple[tuple[SecurityGroupRule, z3.BoolRef], ...] = ()) -> State:
        return replace(self, steps=(*self.steps, Step(kind, component, text, formula, rules)))


class Walker(Protocol):
    """What `paths.Walk` offers a module that walks part of a path for it."""

    snapshot: Snapshot
    packet: Packet
    goal: Goal
    source: Interface | str | None
    holders: lookup.Holders

    def end(self, state: State, end: End, reason: str, blocker: str | None = None) -> Path: ...

    def feasible(self, state: State) -> bool: ...

    def leave(self, subnet: Subnet | None, state: State) -> Iterator[Path]: ...

    def walk_on(self, packet: Packet, goal: Goal) -> Walker:
        """A walk of another packet, to another goal, from the same source (a packet a node forwards)."""
        ...
