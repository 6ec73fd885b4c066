"""The symbolic walk through an application or network load balancer's interface (`paths.Walk.interface`,
through `steps.Walker`).

What reaches a node's interface passes its security groups (where the balancer has any) and must be for a
listener; each target the balancer may pick (`encode_balancers.ways`) is a branch of its own, and the packet
the node forwards there is a second packet with its own fields: its source the node's address or the
client's, its destination the target's address and port, its protocol the received one's, its source port
free. That packet is walked on from the node's subnet by a second `Walk` over it, which continues the path
(its steps and hops), so that one conjunction still says the whole way. A path ends delivered where the
target is the question's destination, or, when the question's destination is the balancer's own interface
(the address a client connects to), where any target accepts it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from ipaddress import IPv4Network

import z3

from solomonic.network import encode, encode_balancers
from solomonic.network.destinations import Goal
from solomonic.network.encode import Packet, Unencoded, address
from solomonic.network.model import Interface
from solomonic.network.steps import Path, State, Walker

BALANCER_PREFIX = "ELB "  # an application or network load balancer's interfaces: "ELB app/NAME/ID"


def balancer(walk: Walker, node: Interface, state: State) -> Iterator[Path]:
    key = node.description[len(BALANCER_PREFIX):]
    found = walk.snapshot.load_balancers.get(key)
    if found is None or found.kind not in ("application", "network"):
        yield walk.end(state.hop(node.id), "unknown", f"{node.id} belongs to {key}, not an application or network "
                                                      "load balancer in the snapshot")
        return
    state = state.hop(found.arn)
    sender = state.sender
    try:
        if node.group_ids:
            ingress = encode.security_group_rules(
                walk.snapshot, node, walk.packet, state.src, ingress=True,
                members=lambda g: sender.private_ips if sender is not None and g in sender.group_ids else ())
            state = state.step("filter", node.group_ids[0], f"the ingress rules of {', '.join(node.group_ids)} on "
                                                            f"{node.id}", z3.Or([admits for _, admits in ingress]),
                               tuple(ingress))
        ways = encode_balancers.ways(walk.snapshot, found, node, walk.packet)
    except Unencoded as why:
        yield walk.end(state, "unknown", str(why))
        return
    taken = [encode_balancers.listens(walk.packet, listener) for listener in found.listeners or ()]
    yield walk.end(state.step("branch", found.arn, "for no listener", z3.Not(z3.Or(taken))), "dead",
                   f"{found.arn} has no listener for it", found.arn)
    itself = walk.goal.accepts(node)
    for way in ways:
        picked = state.step("branch", found.arn, f"forwarded to {way.target} of {way.group}", way.when)
        if not walk.feasible(picked):
            continue
        if way.unknown is not None or way.address is None:
            yield walk.end(picked, "unknown", way.unknown or "no address")
            continue
        # asked for the balancer itself, any target that accepts (or, for an address, that the packet leaves
        # the snapshot for) delivers it; else only the question's own destination does
        goal = Goal((IPv4Network(way.address),), None if itself else walk.goal.interfaces,
                    None if itself else walk.goal.subnet, walk.goal.exits and itself)
        sources = [*([state.src] if way.from_client else []),
                   *([address(node.private_ips[0])] if way.from_node else [])]
        for source in sources:
            packet = Packet(source, address(way.address), walk.packet.protocol,
                            z3.BitVec(f"{found.key}>{way.target}:src_port", 16), z3.BitVecVal(way.port, 16),
                            walk.packet.icmp_type, walk.packet.icmp_code)
            yield from _forward(walk.walk_on(packet, goal), node,
                                replace(picked, src=source, dst=packet.dst, sender=node))


def _forward(walk: Walker, node: Interface, state: State) -> Iterator[Path]:
    """The node sends the forwarded packet: its groups' egress rules (where it has groups), then its subnet."""
    if node.group_ids:
        members = [(value, holder) for value, holder in walk.holders.near(node.vpc_id).items()
                   if walk.goal.allows(value)]
        try:
            egress = encode.security_group_rules(walk.snapshot, node, walk.packet, state.dst, ingress=False,
                                                 members=lambda g: [value for value, holder in members
                                                                    if g in holder.group_ids])
        except Unencoded as why:
            yield walk.end(state, "unknown", str(why))
            return
        state = state.step("filter", node.group_ids[0], f"the egress rules of {', '.join(node.group_ids)} on "
                                                        f"{node.id}", z3.Or([admits for _, admits in egress]),
                           tuple(egress))
    yield from walk.leave(walk.snapshot.subnets.get(node.subnet_id), state)
