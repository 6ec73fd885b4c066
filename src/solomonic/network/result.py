"""What `solomonic network trace` answers, and its JSON form (the stable contract of issue 31).

`hops` lists, in order, the ids of the resources the packet passes: an instance (for its interface) or a
bare interface's `eni-` id, subnets, VPCs (their implied routers), gateways (`igw-`, `nat-`, `pcx-`, ...)
and `"internet"`. `blocked_by` names what dropped the packet (a security group, a network ACL, a gateway, a
route table of a subnet or a transit gateway, an interface whose source/destination check refuses it, a VPC
without an internet gateway for a public address it holds, `"internet"` for an address the internet does
not route), and is null when nothing did or the answer is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from solomonic.network.model import Flow

Disposition = Literal["accepted", "exits-network", "denied-in", "denied-out", "no-route", "no-destination",
                      "unknown"]
DELIVERED: tuple[Disposition, ...] = ("accepted", "exits-network")


@dataclass(frozen=True)
class Trace:
    """The fate of one packet, one way: its disposition, the resources it passed, what blocked it and why."""

    disposition: Disposition
    hops: tuple[str, ...]
    flow: Flow
    blocked_by: str | None
    reason: str
    warnings: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"disposition": self.disposition, "hops": list(self.hops), "flow": self.flow.to_json(),
                "blocked_by": self.blocked_by, "reason": self.reason, "warnings": list(self.warnings),
                "assumptions": list(self.assumptions)}
