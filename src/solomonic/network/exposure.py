"""`solomonic network exposure`: every network interface the internet can reach, on which protocols and ports.

For each interface that holds a public address (the only way in from the internet: an internet gateway
translates it to the holder's private address, and what it delivers goes to that holder alone) and is not a
NAT gateway's (which accepts no connection), the question is `reachable` from `internet` to its addresses,
asked once per *class* of packets:
TCP and UDP destination ports and the other protocols' numbers are cut into the intervals between every bound
a security-group rule or ACL entry of the snapshot names. Every constraint of the encoding compares a port (a
protocol) with such a bound only, so within one interval either every port is admitted along a path or none
is: one z3 query per interval and path decides the interval, and adjacent exposed intervals merge into the
ranges reported. Each interval's packet is replayed by `trace`; an interval is exposed only when `trace`
delivers it to the interface, and a path through what the encoding does not model whose packet `trace` does
not deliver leaves the interface's exposure partly unknown, saying why. A load balancer's interface is
exposed on what its listeners take and forward to a target that accepts it (listener ports are bounds
too); its targets, private, are reached through it and not listed apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Network
from itertools import pairwise

import z3

from solomonic.network.destinations import Goal
from solomonic.network.encode import Packet
from solomonic.network.model import ICMP, TCP, UDP, Interface, Origin, Snapshot
from solomonic.network.paths import Walk
from solomonic.network.reachable import Question, confirmed, constraints, flow, typical
from solomonic.network.result import Trace
from solomonic.network.steps import Path
from solomonic.network.trace import trace


@dataclass(frozen=True)
class Exposed:
    """The internet reaches the interface with `protocol` on ports `low`-`high` (None: a protocol without
    ports; for protocols other than TCP and UDP, `protocol`-`last` is a range of protocol numbers)."""

    protocol: int
    last: int
    low: int | None
    high: int | None
    witness: Trace
    rule: Origin | None  # the security-group rule that admits the witness at the interface

    def to_json(self) -> dict[str, object]:
        return {"protocol": self.protocol, "protocol_last": self.last, "ports": None if self.low is None else
                [self.low, self.high], "witness": self.witness.to_json(),
                "rule": None if self.rule is None else {"file": self.rule.file, "pointer": self.rule.pointer}}


@dataclass
class Finding:
    interface: Interface
    exposed: list[Exposed] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"interface": self.interface.id, "node": self.interface.node,
                "addresses": [str(a) for a in self.interface.private_ips]
                + [str(public) for _, public in self.interface.public_ips],
                "exposed": [e.to_json() for e in self.exposed], "unknown": self.unknown}


def exposure(snapshot: Snapshot) -> list[Finding]:
    """The interfaces the internet reaches (or may: unknown), each with what reaches it."""
    packet = Packet.fresh()
    classes = list(_classes(snapshot))
    findings = []
    for interface in snapshot.interfaces.values():
        if interface.kind == "nat_gateway" or not interface.private_ips or not interface.public_ips:
            continue  # the internet enters only by a public address, translated to its holder's private one
        finding = _finding(snapshot, packet, classes, interface)
        if finding.exposed or finding.unknown:
            findings.append(finding)
    return findings


Class = tuple[int, int, int | None, int | None]  # protocol, last protocol, low port, high port


def _finding(snapshot: Snapshot, packet: Packet, classes: list[Class], interface: Interface) -> Finding:
    held = [*interface.private_ips, *(public for _, public in interface.public_ips)]
    goal = Goal(tuple(IPv4Network(a) for a in dict.fromkeys(held)), interfaces=frozenset({interface.id}))
    question = Question((None,), goal)
    finding = Finding(interface)
    found: dict[Class, tuple[Trace, Origin | None]] = {}
    for path in Walk(snapshot, packet, goal, None).paths(constraints(snapshot, question, packet, None)):
        if path.end == "dead":
            continue
        solver = z3.Solver()
        solver.add(*[step.formula for step in path.steps])
        if solver.check() != z3.sat:
            continue
        for cls in classes:
            if cls in found:
                continue
            solver.push()
            solver.add(_within(packet, cls))
            if solver.check() == z3.sat:
                model = typical(solver, packet)
                replayed = trace(snapshot, None, flow(model, packet), frozenset({interface.node}))
                if confirmed(snapshot, goal, replayed):
                    found[cls] = (replayed, _admitting(snapshot, path, model, interface))
                elif path.reason not in finding.unknown:
                    finding.unknown.append(path.reason if path.end == "unknown" else
                                           f"a packet the encoding delivers is {replayed.disposition} in trace "
                                           f"({replayed.reason})")
            solver.pop()
    finding.exposed = _merged(sorted(found.items(), key=lambda item: item[0]))
    return finding


def _admitting(snapshot: Snapshot, path: Path, model: z3.ModelRef, interface: Interface) -> Origin | None:
    """The first ingress rule of the interface's security groups (for a load balancer's interface, its own,
    not its targets') that admits the model's packet."""
    own = {rule for name in interface.group_ids if name in snapshot.security_groups
           for rule in snapshot.security_groups[name].ingress}
    groups = [step for step in path.steps if step.rules and all(rule in own for rule, _ in step.rules)]
    if not groups:
        return None
    return next((rule.origin for rule, admits in groups[-1].rules
                 if z3.is_true(model.eval(admits, model_completion=True))), None)


def _within(packet: Packet, cls: Class) -> z3.BoolRef:
    protocol, last, low, high = cls
    if low is None or high is None:
        return z3.And(z3.UGE(packet.protocol, protocol), z3.ULE(packet.protocol, last))
    return z3.And(packet.protocol == protocol, z3.UGE(packet.dst_port, low), z3.ULE(packet.dst_port, high))


def _classes(snapshot: Snapshot) -> Iterator[Class]:
    """TCP and UDP port intervals, ICMP, and intervals of the other protocol numbers, cut at every bound a
    rule or a listener names."""
    ports = {0, 1, 65536}
    protocols = {0, 256, ICMP, ICMP + 1, TCP, TCP + 1, UDP, UDP + 1}
    for group in snapshot.security_groups.values():
        for rule in (*group.ingress, *group.egress):
            if rule.protocol is not None:
                protocols |= {rule.protocol, rule.protocol + 1}
            if rule.protocol in (TCP, UDP) and rule.ports is not None:
                ports |= {rule.ports.low, rule.ports.high + 1}
    for acl in snapshot.network_acls.values():
        for entry in acl.entries:
            if entry.protocol is not None:
                protocols |= {entry.protocol, entry.protocol + 1}
            if entry.ports is not None:
                ports |= {entry.ports.low, entry.ports.high + 1}
    for balancer in snapshot.load_balancers.values():
        ports |= {bound for listener in balancer.listeners or () for bound in (listener.port, listener.port + 1)}
    cuts = sorted(bound for bound in ports if 0 <= bound <= 65536)
    for protocol in (TCP, UDP):
        yield from ((protocol, protocol, low, high - 1) for low, high in pairwise(cuts))
    numbers = sorted(bound for bound in protocols if 0 <= bound <= 256)
    yield from ((low, high - 1, None, None) for low, high in pairwise(numbers)
                if low not in (TCP, UDP))


def _merged(found: list[tuple[Class, tuple[Trace, Origin | None]]]) -> list[Exposed]:
    """Adjacent intervals of one protocol (adjacent protocol numbers, for the others) as one range, with the
    first interval's witness and rule."""
    merged: list[Exposed] = []
    for (protocol, last, low, high), (witness, rule) in found:
        previous = merged[-1] if merged else None
        if previous is not None and low is not None and previous.protocol == protocol and previous.high == low - 1:
            merged[-1] = replace(previous, high=high)
        elif (previous is not None and low is None and previous.low is None and protocol != ICMP
              and previous.protocol != ICMP and previous.last == protocol - 1):
            merged[-1] = replace(previous, last=last)
        else:
            merged.append(Exposed(protocol, last, low, high, witness, rule))
    return merged
