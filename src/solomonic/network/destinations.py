"""What a question's destination may be, for the symbolic walk (`paths`): the goal the question sets, and the
addresses of the snapshot the destination term can stand for — every one the question allows, or the one a
translation (an internet gateway's, a NAT's) has fixed. Leaving out the addresses no allowed packet can have
keeps the walk from following branches that could only be unsatisfiable.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

import z3

from solomonic.network.encode import Packet
from solomonic.network.model import Interface, Snapshot, Subnet


@dataclass(frozen=True)
class Goal:
    """Where the question wants the packet: `destinations` bound its destination address; `interfaces` (ids)
    or `subnet` say which interfaces count, None any; `exits` whether leaving the snapshot (to the internet,
    a peer outside it) counts."""

    destinations: tuple[IPv4Network, ...]
    interfaces: frozenset[str] | None = None
    subnet: str | None = None
    exits: bool = False

    def allows(self, value: IPv4Address) -> bool:
        return any(value in cidr for cidr in self.destinations)

    def overlaps(self, cidr: IPv4Network) -> bool:
        return any(cidr.overlaps(wanted) for wanted in self.destinations)

    def accepts(self, interface: Interface) -> bool:
        return ((self.interfaces is None or interface.id in self.interfaces)
                and (self.subnet is None or interface.subnet_id == self.subnet))


class Destinations:
    """The snapshot's addresses the destination of one question's packet may be."""

    def __init__(self, snapshot: Snapshot, packet: Packet, goal: Goal) -> None:
        self.snapshot, self.packet, self.goal = snapshot, packet, goal

    def public(self, dst: z3.BitVecRef) -> list[tuple[IPv4Address, str]]:
        """The public addresses of the snapshot `dst` may be, with their holders: all those the question
        allows (looked up one by one where it allows few), or the one a translation fixed."""
        held = fixed(dst)
        if held is not None or (dst is self.packet.dst and sum(c.num_addresses for c in self.goal.destinations) <= 256):
            wanted = [held] if held is not None else [a for cidr in self.goal.destinations for a in cidr]
            return [(value, self.snapshot.public_addresses[value]) for value in wanted
                    if value in self.snapshot.public_addresses]
        return [(value, name) for value, name in self.snapshot.public_addresses.items()
                if dst is not self.packet.dst or self.goal.allows(value)]

    def may_hold(self, dst: z3.BitVecRef, cidr: IPv4Network) -> bool:
        """Whether `dst` may lie in `cidr` (a subnet worth walking into)."""
        held = fixed(dst)
        if held is not None:
            return held in cidr
        return dst is not self.packet.dst or self.goal.overlaps(cidr)

    def private(self, subnet: Subnet, dst: z3.BitVecRef) -> list[tuple[tuple[str, IPv4Address], str]]:
        """The private addresses of `subnet` `dst` may be, with the interfaces holding them."""
        held = fixed(dst)
        if held is not None:
            key = (subnet.vpc_id, held)
            return [(key, self.snapshot.private_addresses[key])] if key in self.snapshot.private_addresses else []
        question = dst is self.packet.dst
        return [((vpc, value), name) for (vpc, value), name in self.snapshot.private_addresses.items()
                if vpc == subnet.vpc_id and value in subnet.cidr and (not question or self.goal.allows(value))]


def fixed(term: z3.BitVecRef) -> IPv4Address | None:
    """The address `term` stands for when the walk has made it a constant (a translation)."""
    return IPv4Address(term.as_long()) if z3.is_bv_value(term) else None
