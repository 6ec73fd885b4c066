"""A packet as z3 bit-vectors, and what security groups, network ACLs and route tables say about it.

This is the symbolic side of `solomonic.network`, written from AWS's documentation apart from the concrete
evaluator (`rules`, `routing`, `trace`), with which it shares only `model`: the two are checked against each
other (every witness is replayed by `trace`, and a differential test compares them on generated networks).

Every field is a bit-vector of its width on the wire: addresses 32 bits, ports 16, the protocol and ICMP type
and code 8. A rule's match is a formula over them:

* a security group admits a packet when any rule of any of its groups names its protocol (None: all), its
  destination port (TCP, UDP) or ICMP type and code (-1: any), and its peer by CIDR, prefix list or group
  (a group names the private addresses of the interfaces in it: `peers` says which interface holds each);
* a network ACL decides by its first matching rule in rule-number order, the default `*` rule denying;
* a route table picks, among the routes whose destination holds the address, the longest prefix, then
  static over prefix list over propagated; two tied routes with different targets are left undecided.

A construct this module cannot encode exactly (a prefix list without its CIDRs, a group not in the
snapshot) raises `Unencoded`, naming it; the question then becomes unknown on that path.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Generic, TypeVar

import z3

from solomonic.network.model import (
    ICMP,
    NOT_ROUTED_ON_INTERNET,
    TCP,
    UDP,
    AclEntry,
    Interface,
    NetworkAcl,
    PortRange,
    Route,
    RouteTable,
    SecurityGroupRule,
    Snapshot,
)


class Unencoded(Exception):
    """What decides the packet here is not encoded exactly; the message names it."""


@dataclass(frozen=True)
class Packet:
    """The fields of one packet as it leaves its source, as z3 constants."""

    src: z3.BitVecRef
    dst: z3.BitVecRef
    protocol: z3.BitVecRef
    src_port: z3.BitVecRef
    dst_port: z3.BitVecRef
    icmp_type: z3.BitVecRef
    icmp_code: z3.BitVecRef

    @staticmethod
    def fresh() -> Packet:
        return Packet(z3.BitVec("src", 32), z3.BitVec("dst", 32), z3.BitVec("protocol", 8),
                      z3.BitVec("src_port", 16), z3.BitVec("dst_port", 16), z3.BitVec("icmp_type", 8),
                      z3.BitVec("icmp_code", 8))


def address(value: IPv4Address) -> z3.BitVecRef:
    return z3.BitVecVal(int(value), 32)


def within(term: z3.BitVecRef, cidr: IPv4Network) -> z3.BoolRef:
    """`term` lies in `cidr`: its top `prefixlen` bits are the network's."""
    if cidr.prefixlen == 0:
        return z3.BoolVal(True)
    return z3.Extract(31, 32 - cidr.prefixlen, term) == (int(cidr.network_address) >> (32 - cidr.prefixlen))


def one_of(term: z3.BitVecRef, values: Iterable[IPv4Address]) -> z3.BoolRef:
    return z3.Or([term == address(value) for value in values])


_PUBLIC: dict[int, z3.BoolRef] = {}  # by the term's id: every path of a question asks it of one or two terms


def public(term: z3.BitVecRef) -> z3.BoolRef:
    """The internet routes `term`: it lies in none of the special-purpose blocks."""
    if term.get_id() not in _PUBLIC:  # the formula keeps the term alive, so its id names it alone
        _PUBLIC[term.get_id()] = z3.And([z3.Not(within(term, block)) for block in NOT_ROUTED_ON_INTERNET])
    return _PUBLIC[term.get_id()]


def _icmp(packet: Packet, type_code: PortRange) -> z3.BoolRef:
    if type_code.low == -1:
        return z3.BoolVal(True)
    same_type = packet.icmp_type == type_code.low
    return same_type if type_code.high == -1 else z3.And(same_type, packet.icmp_code == type_code.high)


def _ports(packet: Packet, ports: PortRange) -> z3.BoolRef:
    return z3.And(z3.UGE(packet.dst_port, ports.low), z3.ULE(packet.dst_port, ports.high))


def _service(packet: Packet, protocol: int | None, ports: PortRange | None, icmp: PortRange | None) -> z3.BoolRef:
    """The protocol and, where the protocol has them, the ports or ICMP type and code a rule names."""
    if protocol is None:
        return z3.BoolVal(True)
    same = packet.protocol == protocol
    if protocol in (TCP, UDP) and ports is not None:
        return z3.And(same, _ports(packet, ports))
    if protocol == ICMP and icmp is not None:
        return z3.And(same, _icmp(packet, icmp))
    return same


def prefix_list_cidrs(snapshot: Snapshot, name: str, where: str) -> tuple[IPv4Network, ...]:
    listed = snapshot.prefix_lists.get(name)
    if listed is None or listed.cidrs is None:
        raise Unencoded(f"{where}: the prefix list {name}'s CIDRs are not in the snapshot")
    return listed.cidrs


def _peer(snapshot: Snapshot, rule: SecurityGroupRule, peer: z3.BitVecRef,
          members: Callable[[str], Iterable[IPv4Address]]) -> z3.BoolRef:
    cidrs = list(rule.cidrs)
    for name in rule.prefix_lists:
        cidrs += prefix_list_cidrs(snapshot, name, str(rule.origin))
    held = [member for group in rule.group_ids for member in members(group)]
    return z3.Or([within(peer, cidr) for cidr in cidrs] + [peer == address(member) for member in held])


def security_group_rules(snapshot: Snapshot, interface: Interface, packet: Packet, peer: z3.BitVecRef,
                         ingress: bool, members: Callable[[str], Iterable[IPv4Address]]
                         ) -> list[tuple[SecurityGroupRule, z3.BoolRef]]:
    """Each rule of `interface`'s groups with the packets it admits (`peer`: the source arriving, the
    destination leaving); `members(group)` gives the private addresses by which a reference to `group`
    matches the peer here. The groups admit a packet when any rule does."""
    admitted = []
    for name in interface.group_ids:
        group = snapshot.security_groups.get(name)
        if group is None:
            raise Unencoded(f"{interface.id} is in the security group {name}, which is not in the snapshot")
        for rule in group.ingress if ingress else group.egress:
            icmp = rule.ports if rule.protocol == ICMP else None
            admitted.append((rule, z3.And(_service(packet, rule.protocol, rule.ports, icmp),
                                          _peer(snapshot, rule, peer, members))))
    return admitted


def network_acl(acl: NetworkAcl, packet: Packet, peer: z3.BitVecRef, egress: bool) -> z3.BoolRef:
    """`acl` allows the packet in its direction: the first rule (by number) that matches decides."""
    decision: z3.BoolRef = z3.BoolVal(False)  # the `*` rule
    chosen: list[AclEntry] = sorted((e for e in acl.entries if e.egress == egress and e.cidr is not None),
                                    key=lambda e: e.number)
    for entry in reversed(chosen):
        assert entry.cidr is not None
        matches = z3.And(within(peer, entry.cidr), _service(packet, entry.protocol, entry.ports, entry.icmp))
        decision = z3.If(matches, z3.BoolVal(entry.allow), decision)
    return z3.simplify(decision)


R = TypeVar("R")


@dataclass(frozen=True)
class Choice(Generic[R]):
    """What a route table does with the addresses `when` holds: forward by `route` (None: no route holds
    them)."""

    route: R | None
    when: z3.BoolRef


def longest_prefix(items: list[tuple[int, Hashable, IPv4Network, R]],
                   dst: z3.BitVecRef) -> tuple[list[Choice[R]], z3.BoolRef]:
    """Longest-prefix match over `items` (rank among routes of one length, lower first; what the route
    does, by which routes that do the same are one choice; a CIDR it matches by; the route): each choice with
    the condition "this route matches and no route of longer prefix, or of the same length and lower rank,
    does", including no route; and the condition under which routes of equal precedence that do different
    things tie (undecided)."""
    matches = [within(dst, cidr) for _, _, cidr, _ in items]
    keys = [(-cidr.prefixlen, rank) for rank, _, cidr, _ in items]
    wins: dict[Hashable, tuple[R, list[z3.BoolRef]]] = {}
    ties = []
    for index, (_, does, _, route) in enumerate(items):
        better = [matches[j] for j, key in enumerate(keys) if key < keys[index]]
        rivals = [matches[j] for j, key in enumerate(keys) if key == keys[index] and items[j][1] != does]
        best = z3.And(matches[index], *[z3.Not(m) for m in better])
        wins.setdefault(does, (route, []))[1].append(z3.And(best, *[z3.Not(r) for r in rivals]))
        if rivals:
            ties.append(z3.And(best, z3.Or(rivals)))
    choices: list[Choice[R]] = [Choice(route, z3.Or(conditions)) for route, conditions in wins.values()]
    choices.append(Choice(None, z3.And([z3.Not(m) for m in matches])))
    return choices, z3.Or(ties)


def _rank(route: Route) -> int:
    if route.propagated:
        return 2
    return 1 if route.prefix_list is not None else 0


def route_choices(snapshot: Snapshot, table: RouteTable, dst: z3.BitVecRef) -> tuple[list[Choice[Route]], z3.BoolRef]:
    """Each distinct way a subnet's `table` forwards `dst` (static over prefix list over propagated between
    routes of one length; routes grouped by target and blackhole), and when routes tie."""
    items: list[tuple[int, Hashable, IPv4Network, Route]] = []
    for route in table.routes:
        cidrs = ((route.destination,) if route.destination is not None
                 else prefix_list_cidrs(snapshot, route.prefix_list or "", str(route.origin)))
        items += [(_rank(route), (route.target, route.blackhole), cidr, route) for cidr in cidrs]
    return longest_prefix(items, dst)
