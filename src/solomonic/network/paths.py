"""Every candidate path a packet can take from its source, each as the conjunction of what it must satisfy.

The symbolic walk of `reachable`: it starts at the source with a packet whose fields are z3 constants
(`encode.Packet`) and, wherever the path depends on the packet, follows each way the network can go — each
route a table can pick (longest prefix, see `encode.route_choices`), each subnet and interface that can hold
the destination, each public address the internet can deliver to — adding the condition of that way as a
*branch* step. What the packet must pass on the way (security groups, network ACLs, a source/destination
check, a NAT gateway's protocols) is a *filter* step, named after its component, so that an unsat core names
what blocks a path. A path ends `delivered` (at the goal), `dead` (somewhere else: no route, a blackhole, no
interface, another interface; `blocker` names it) or `unknown` (something not encoded: appliances,
a construct `encode` refuses). Virtual private gateways and gateway endpoints are `encode_exits`, transit
gateways `encode_transit`, load balancers `paths_balancers`.

The paths are finite: every hop is a resource, peering is not transitive, and a walk longer than `MAX_HOPS`
(a loop of routes) ends unknown. Where the destination is the question's own constant, the interfaces and
subnets that cannot hold any address the question allows are left out (`Goal.allows`): their branch could
only be unsatisfiable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import z3

from solomonic.network import encode, encode_exits, encode_transit, lookup, paths_balancers
from solomonic.network.destinations import Destinations, Goal
from solomonic.network.encode import Packet, Unencoded, address, within
from solomonic.network.model import (
    ICMP,
    TCP,
    UDP,
    Interface,
    RouteTable,
    Snapshot,
    Subnet,
)
from solomonic.network.steps import End, Path, State, Step

MAX_HOPS = 64


class Walk:
    """The candidate paths of one question; `source` is the sending interface, None for the internet."""

    def __init__(self, snapshot: Snapshot, packet: Packet, goal: Goal, source: Interface | str | None) -> None:
        self.snapshot, self.packet, self.goal, self.source = snapshot, packet, goal, source
        self.holders = lookup.Holders(snapshot)
        self.destinations = Destinations(snapshot, packet, goal)

    def walk_on(self, packet: Packet, goal: Goal) -> Walk:
        """A walk of another packet, to another goal, from the same source (a packet a node forwards)."""
        return Walk(self.snapshot, packet, goal, self.source)

    def paths(self, question: tuple[Step, ...]) -> Iterator[Path]:
        sender = self.source if isinstance(self.source, Interface) else None
        state = State(self.packet.src, self.packet.dst, sender, steps=question)
        if isinstance(self.source, str):
            yield from self.from_gateway(self.source, state)
        elif self.source is None:
            yield from self.internet(state)
        else:
            yield from self.send(self.source, state)

    def from_gateway(self, name: str, state: State) -> Iterator[Path]:
        """What enters through a gateway: from the internet through an internet gateway (to a public address
        it translates), or from the VPN side through a virtual private gateway (into its VPC)."""
        state = state.hop(name)
        if name.startswith("vgw-"):
            attached = sorted(self.snapshot.vpn_gateways[name].vpc_ids)
            if not attached:
                yield self.end(state, "dead", f"{name} is attached to no VPC", name)
                return
            yield from self.enter(name, attached[0], state)
            return
        gateway = self.snapshot.internet_gateways[name]
        held = []
        for value, holder in self.destinations.public(state.dst):
            owner = self.snapshot.interfaces[holder]
            private = owner.private_for(value)
            if private is None or owner.vpc_id not in gateway.vpc_ids:
                continue
            held.append(value)
            chosen = state.step("branch", owner.id, f"{value}", state.dst == address(value))
            yield from self.enter(name, owner.vpc_id, replace(chosen, dst=address(private)))
        yield self.end(state.step("branch", name, "no public address it translates",
                                  z3.Not(encode.one_of(state.dst, held))), "dead",
                       f"{name} translates only the public addresses of its VPC's interfaces", name)

    def feasible(self, state: State) -> bool:
        """Whether some packet the question allows takes the way `state` has come (its branches; what it
        must pass is left to the answer, which names the filters that block). A way none takes is not
        followed: its paths could only be unsatisfiable, and a routing loop would multiply them."""
        solver = z3.Solver()
        solver.add(*[step.formula for step in state.steps if step.kind != "filter"])
        return solver.check() != z3.unsat

    def end(self, state: State, end: End, reason: str, blocker: str | None = None) -> Path:
        return Path(self.source, state.hops, state.steps, end, reason, blocker)

    def reach(self, state: State, interface: Interface, why: str) -> Path:
        if self.goal.accepts(interface):
            return self.end(state, "delivered", why)
        return self.end(state, "dead", f"{why}, not the destination", interface.node)

    def send(self, source: Interface, state: State) -> Iterator[Path]:
        state = state.hop(source.node)
        own = encode.one_of(state.dst, source.private_ips)
        yield from self.leave_source(source, state.step("branch", source.node, "not its own address", z3.Not(own)))
        # last, so that a witness to a CIDR is a packet that leaves its source where one exists
        yield self.reach(state.step("branch", source.node, "its own address", own), source,
                         f"{source.node} holds the address itself")

    def leave_source(self, source: Interface, state: State) -> Iterator[Path]:
        if source.source_dest_check:
            state = state.step("filter", source.id, f"{source.id} sends only from its own addresses "
                                                    "(source/destination check)",
                               encode.one_of(state.src, source.private_ips))
        members = [(value, holder) for value, holder in self.holders.near(source.vpc_id).items()
                   if self.goal.allows(value)]  # the question's destination is still the packet's own
        try:
            egress = encode.security_group_rules(self.snapshot, source, self.packet, state.dst, ingress=False,
                                                 members=lambda g: [value for value, holder in members
                                                                    if g in holder.group_ids])
        except Unencoded as why:
            yield self.end(state, "unknown", str(why))
            return
        state = state.step("filter", _first(source.group_ids, source.id),
                           f"the egress rules of {_groups(source)} on {source.id}",
                           z3.Or([admits for _, admits in egress]), tuple(egress))
        yield from self.leave(self.snapshot.subnets.get(source.subnet_id), state)

    def leave(self, subnet: Subnet | None, state: State) -> Iterator[Path]:
        if subnet is None:
            yield self.end(state, "unknown", "the source's subnet is not in the snapshot")
            return
        if len(state.hops) > MAX_HOPS:
            yield self.end(state, "unknown", f"the path passes more than {MAX_HOPS} resources: the routes form a "
                                             "loop")
            return
        state = state.hop(subnet.id)
        inside = within(state.dst, subnet.cidr)
        yield from self.arrive(subnet, state.step("branch", subnet.id, f"inside {subnet.cidr}", inside))
        state = state.step("branch", subnet.id, f"outside {subnet.cidr}", z3.Not(inside))
        acl = lookup.network_acl(self.snapshot, subnet)
        if acl is None:
            yield self.end(state, "unknown", f"no network ACL of {subnet.id} is in the snapshot")
            return
        state = state.step("filter", acl.id, f"{acl.id} outbound from {subnet.id}",
                           encode.network_acl(acl, self.packet, state.dst, egress=True)).hop(subnet.vpc_id)
        table = lookup.route_table(self.snapshot, subnet)
        if table is None:
            yield self.end(state, "unknown", f"no route table of {subnet.id} is in the snapshot")
            return
        yield from self.route(table, subnet, state)

    def route(self, table: RouteTable, subnet: Subnet, state: State) -> Iterator[Path]:
        try:
            choices, tie = encode.route_choices(self.snapshot, table, state.dst)
        except Unencoded as why:
            yield self.end(state, "unknown", str(why))
            return
        yield self.end(state.step("branch", table.id, "routes of equal precedence tie", tie), "unknown",
                       f"routes of {table.id} of equal precedence send the address to different targets")
        for choice in choices:
            route = choice.route
            target = route.target if route is not None else ""
            picked = state.step("branch", table.id, f"{table.id} routes it to {target or 'nothing'}", choice.when)
            if not self.feasible(picked):
                continue
            if route is None or route.blackhole:
                what = "no route of" if route is None else "a blackhole route in"
                yield self.end(picked, "dead", f"{what} {table.id} holds it", table.id)
            elif target == "local":
                yield from self.deliver(subnet.vpc_id, picked)
            elif target.startswith("igw-"):
                yield from self.internet_gateway(target, subnet.vpc_id, picked)
            elif target.startswith("nat-"):
                yield from self.nat_gateway(target, subnet, picked)
            elif target.startswith("pcx-"):
                yield from self.peering(target, subnet.vpc_id, picked)
            elif target.startswith("tgw-"):
                yield from self.transit_gateway(target, subnet, picked)
            elif target.startswith(("vgw-", "vpce-")):
                outcomes = (encode_exits.vpn_gateway(self.snapshot, target, subnet.vpc_id, picked.dst)
                            if target.startswith("vgw-") else
                            [encode_exits.gateway_endpoint(self.snapshot, target, subnet.vpc_id)])
                for outcome in outcomes:
                    yield self.leaves(picked.hop(target).step("branch", target, outcome.reason, outcome.when),
                                      outcome.way, outcome.reason, outcome.blocker)
            else:
                yield self.end(picked.hop(target), "unknown", f"{table.id} routes it to {target}, which the "
                                                              "symbolic encoding does not model yet")

    def transit_gateway(self, name: str, subnet: Subnet, state: State) -> Iterator[Path]:
        """Into the transit gateway through its subnet in the source's zone (that ACL inbound), then each way
        its attachment's route table forwards (`encode_transit`)."""
        try:
            source, inside = encode_transit.entry(self.snapshot, name, subnet)
            forwards = encode_transit.forwards(self.snapshot, source, subnet.zone, state.dst)
        except Unencoded as why:
            yield self.end(state.hop(name), "unknown", str(why))
            return
        except LookupError as why:
            yield self.end(state.hop(name), "dead", str(why), name)
            return
        acl = lookup.network_acl(self.snapshot, inside)
        if acl is None:
            yield self.end(state.hop(inside.id), "unknown", f"no network ACL of {inside.id} is in the snapshot")
            return
        state = state.hop(inside.id).step("filter", acl.id, f"{acl.id} inbound into {inside.id}",
                                          encode.network_acl(acl, self.packet, state.src, egress=False)).hop(name)
        gateway = self.snapshot.transit_gateways[name]
        for forward in forwards:
            picked = state.step("branch", name, forward.reason, forward.when)
            if not self.feasible(picked):
                continue
            if forward.attachment is not None and forward.subnet is not None:
                references = (gateway.group_references and source.group_references
                              and forward.attachment.group_references)
                yield from self.leave(forward.subnet, picked if references else replace(picked, sender=None))
            else:
                yield self.leaves(picked, forward.way, forward.reason, forward.blocker)

    def leaves(self, state: State, way: str, reason: str, blocker: str | None) -> Path:
        """A path's end outside the snapshot ("exits": delivered where the question counts leaving)."""
        if way == "exits":
            return self.end(state, "delivered" if self.goal.exits else "dead", reason,
                            None if self.goal.exits else state.hops[-1])
        return self.end(state, "unknown" if way == "unknown" else "dead", reason, blocker)

    def deliver(self, vpc_id: str, state: State) -> Iterator[Path]:
        earlier: list[z3.BoolRef] = []
        for subnet in self.snapshot.subnets.values():
            if subnet.vpc_id != vpc_id or not self.destinations.may_hold(state.dst, subnet.cidr):
                continue
            inside = within(state.dst, subnet.cidr)
            chosen = state.step("branch", subnet.id, f"inside {subnet.cidr}", z3.And(inside, *map(z3.Not, earlier)))
            earlier.append(inside)
            if not self.feasible(chosen):
                continue
            chosen = chosen.hop(subnet.id)
            acl = lookup.network_acl(self.snapshot, subnet)
            if acl is None:
                yield self.end(chosen, "unknown", f"no network ACL of {subnet.id} is in the snapshot")
                continue
            yield from self.arrive(subnet, chosen.step(
                "filter", acl.id, f"{acl.id} inbound into {subnet.id}",
                encode.network_acl(acl, self.packet, chosen.src, egress=False)))
        yield self.end(state.step("branch", vpc_id, "in no subnet", z3.And([z3.Not(e) for e in earlier])), "dead",
                       f"no subnet of {vpc_id} holds it", vpc_id)

    def arrive(self, subnet: Subnet, state: State) -> Iterator[Path]:
        cidr = subnet.cidr
        reserved = [cidr.network_address + offset for offset in range(4)] + [cidr.broadcast_address]
        yield self.end(state.step("branch", subnet.id, "a reserved address", encode.one_of(state.dst, reserved)),
                       "unknown", f"the address is one of the five AWS reserves in {subnet.id}, not modelled")
        held = [(value, self.snapshot.interfaces[name]) for (vpc, value), name in self.destinations.private(subnet, state.dst)]
        held = [(value, interface) for value, interface in held
                if interface.subnet_id == subnet.id and value not in reserved]
        for value, interface in held:
            yield from self.interface(interface, state.step("branch", interface.id, f"{value}",
                                                            state.dst == address(value)))
        nobody = z3.Not(encode.one_of(state.dst, [value for value, _ in held] + reserved))
        yield self.end(state.step("branch", subnet.id, "held by no interface", nobody), "dead",
                       f"no network interface in {subnet.id} holds it", subnet.id)

    def interface(self, target: Interface, state: State) -> Iterator[Path]:
        if target.kind == "nat_gateway":
            yield self.end(state.hop(target.id), "dead", f"{target.id}, a NAT gateway's, accepts no connection",
                           target.id)
            return
        if target.description.startswith(paths_balancers.BALANCER_PREFIX):
            yield from paths_balancers.balancer(self, target, state)
            return
        endpoint = target.kind == "vpc_endpoint" and encode_exits.is_interface_endpoint(self.snapshot, target.id)
        if target.kind != "interface" and not endpoint:
            yield self.end(state.hop(target.id), "unknown", f"{target.id} is a {target.kind} interface, which is not "
                                                            "modelled by the symbolic encoding "
                                                            f"({target.description or 'no description'})")
            return
        sender = state.sender
        try:
            ingress = encode.security_group_rules(
                self.snapshot, target, self.packet, state.src, ingress=True,
                members=lambda g: sender.private_ips if sender is not None and g in sender.group_ids else ())
        except Unencoded as why:
            yield self.end(state.hop(target.node), "unknown", str(why))
            return
        state = state.hop(target.node).step("filter", _first(target.group_ids, target.id),
                                            f"the ingress rules of {_groups(target)} on {target.id}",
                                            z3.Or([admits for _, admits in ingress]), tuple(ingress))
        yield self.reach(state, target, f"{target.node} accepts it")

    def internet_gateway(self, name: str, vpc_id: str, state: State) -> Iterator[Path]:
        gateway = self.snapshot.internet_gateways.get(name)
        state = state.hop(name)
        if gateway is None:
            yield self.end(state, "unknown", f"the internet gateway {name} is not in the snapshot")
            return
        if vpc_id not in gateway.vpc_ids:
            yield self.end(state, "dead", f"{name} is not attached to {vpc_id}", name)
            return
        mapped = list(dict(reversed(state.sender.public_ips)).items()) if state.sender is not None else []
        for private, public in mapped:
            yield from self.internet(replace(state.step("branch", name, f"from {private}, translated to {public}",
                                                        state.src == address(private)), src=address(public)))
        yield self.end(state.step("branch", name, "a source without a public address",
                                  z3.Not(encode.one_of(state.src, [private for private, _ in mapped]))), "dead",
                       f"{name} has no public address to translate the source to", name)

    def internet(self, state: State) -> Iterator[Path]:
        state = state.hop("internet")
        yield self.end(state.step("branch", "internet", "not a public address", z3.Not(encode.public(state.dst))),
                       "dead", "the internet does not route a private address", "internet")
        state = state.step("branch", "internet", "a public address", encode.public(state.dst))
        held = []
        for value, name in self.destinations.public(state.dst):
            owner = self.snapshot.interfaces[name]
            private = owner.private_for(value)
            if private is None:
                continue
            held.append(value)
            chosen = state.step("branch", owner.id, f"{value}", state.dst == address(value))
            gateway = next((g for g in self.snapshot.internet_gateways.values() if owner.vpc_id in g.vpc_ids), None)
            if gateway is None:
                yield self.end(chosen, "dead", f"{owner.vpc_id} has no internet gateway", owner.vpc_id)
                continue
            yield from self.enter(gateway.id, owner.vpc_id, replace(chosen.hop(gateway.id), dst=address(private),
                                                                    sender=None))
        away = state.step("branch", "internet", "held by nothing in the snapshot",
                          z3.Not(encode.one_of(state.dst, held)))
        yield self.end(away, "delivered" if self.goal.exits else "dead", "it leaves the snapshot on the internet",
                       None if self.goal.exits else "internet")

    def enter(self, gateway: str, vpc_id: str, state: State) -> Iterator[Path]:
        """Into `vpc_id` through `gateway`: by the gateway's own route table where it has one (ingress
        routing: its local routes lead on, a missing or blackhole route drops, an appliance is unknown)."""
        state = state.hop(vpc_id)
        edge = next((t for t in self.snapshot.route_tables.values() if gateway in t.gateway_ids), None)
        if edge is None:
            yield from self.inside(gateway, vpc_id, state)
            return
        try:
            choices, tie = encode.route_choices(self.snapshot, edge, state.dst)
        except Unencoded as why:
            yield self.end(state, "unknown", str(why))
            return
        yield self.end(state.step("branch", edge.id, "routes of equal precedence tie", tie), "unknown",
                       f"routes of {edge.id} of equal precedence send the address to different targets")
        for choice in choices:
            route = choice.route
            picked = state.step("branch", edge.id, f"{edge.id} routes it to {route.target if route else 'nothing'}",
                                choice.when)
            if route is None or route.blackhole:
                yield self.end(picked, "dead", f"{edge.id}, the route table of {gateway}, has no active route to it",
                               edge.id)
            elif route.target == "local":
                yield from self.inside(gateway, vpc_id, picked)
            else:
                yield self.end(picked.hop(route.target), "unknown", f"{edge.id} routes what enters through {gateway} "
                                                                    f"to {route.target}, an appliance, not modelled")

    def inside(self, gateway: str, vpc_id: str, state: State) -> Iterator[Path]:
        vpc = self.snapshot.vpcs.get(vpc_id)
        if vpc is None:
            yield self.end(state, "unknown", f"{vpc_id}, behind {gateway}, is not in the snapshot")
            return
        inside = z3.Or([within(state.dst, cidr) for cidr in vpc.cidrs])
        yield self.end(state.step("branch", gateway, "outside its VPC", z3.Not(inside)), "dead",
                       f"{gateway} delivers only into {vpc_id}", gateway)
        yield from self.deliver(vpc_id, state.step("branch", gateway, "inside its VPC", inside))

    def nat_gateway(self, name: str, subnet: Subnet, state: State) -> Iterator[Path]:
        nat = self.snapshot.nat_gateways.get(name)
        home = self.snapshot.subnets.get(nat.subnet_id) if nat is not None else None
        if nat is None or home is None:
            yield self.end(state.hop(name), "unknown", f"the NAT gateway {name} or its subnet is not in the snapshot")
            return
        if home.id != subnet.id:
            acl = lookup.network_acl(self.snapshot, home)
            if acl is None:
                yield self.end(state.hop(home.id), "unknown", f"no network ACL of {home.id} is in the snapshot")
                return
            state = state.hop(home.id).step("filter", acl.id, f"{acl.id} inbound into {home.id}",
                                            encode.network_acl(acl, self.packet, state.src, egress=False))
        state = state.hop(name)
        if nat.state in ("deleted", "deleting", "failed"):
            yield self.end(state, "dead", f"{name} is {nat.state}: routes to it are blackholes", name)
            return
        if nat.state != "available" or nat.private_ip is None:
            yield self.end(state, "unknown", f"{name} is {nat.state} or has no private address in the snapshot")
            return
        protocols = z3.Or([self.packet.protocol == number for number in (TCP, UDP, ICMP)])
        state = state.step("filter", name, f"{name} forwards TCP, UDP and ICMP only", protocols)
        sender = self.snapshot.interfaces.get(nat.interface_id or nat.id)
        yield from self.leave(home, replace(state, src=address(nat.private_ip), sender=sender))

    def peering(self, name: str, vpc_id: str, state: State) -> Iterator[Path]:
        peering = self.snapshot.peerings.get(name)
        state = state.hop(name)
        if peering is None or vpc_id not in (peering.requester_vpc, peering.accepter_vpc):
            yield self.end(state, "unknown", f"the peering connection {name} of {vpc_id} is not in the snapshot")
            return
        if peering.status != "active":
            yield self.end(state, "dead", f"{name} is {peering.status}, not active", name)
            return
        peer, listed = ((peering.accepter_vpc, peering.accepter_cidrs) if vpc_id == peering.requester_vpc
                        else (peering.requester_vpc, peering.requester_cidrs))
        vpc = self.snapshot.vpcs.get(peer)
        cidrs = vpc.cidrs if vpc is not None else listed
        inside = z3.Or([within(state.dst, cidr) for cidr in cidrs])
        yield self.end(state.step("branch", name, f"outside {peer}", z3.Not(inside)), "dead",
                       f"{name} delivers only into {peer}: peering is not transitive", name)
        state = state.step("branch", name, f"inside {peer}", inside)
        if vpc is None:
            yield self.end(state, "delivered" if self.goal.exits else "dead",
                           f"{peer}, the peer of {name}, is not in the snapshot", None if self.goal.exits else name)
            return
        yield from self.deliver(peer, state.hop(peer))


def _first(names: tuple[str, ...], otherwise: str) -> str:
    return names[0] if names else otherwise


def _groups(interface: Interface) -> str:
    return ", ".join(interface.group_ids) or "no security group"
