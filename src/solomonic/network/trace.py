"""The concrete evaluator: the fate of one packet, one way, and every resource it passes (issue 31's `trace`).

This is the independent oracle of `solomonic.network`: the z3 encoding of the questions over all packets
(`reachable`, `exposure`, `compare`, to come) will share nothing with it but `model`, and every witness it
finds will be replayed here before it is reported. It never imports z3.

The walk follows AWS's documentation, one resource at a time:

* leaving an interface: its source/destination check (on by default: a packet whose source is not one of
  the interface's addresses is dropped), then its security groups' egress rules (`rules`);
* leaving a subnet: a destination inside the same subnet is delivered without the subnet's ACL or route
  table; otherwise the subnet's network ACL (outbound), then the VPC's router picks a route (`routing`);
* `local`: the subnet of the VPC holding the destination, its network ACL (inbound), the interface holding
  the address, its security groups' ingress rules;
* an internet gateway (attached to the VPC) translates the private source to the public or Elastic IP
  mapped to it, and refuses a source that has none; on the internet, a non-public destination is dropped
  (no-route), a public address held by an interface in the snapshot comes back in through its VPC's
  internet gateway (translated to the private address; security-group references no longer match, as AWS
  documents for traffic by public address), and any other public address leaves the snapshot
  (exits-network);
* a NAT gateway (available) is entered through its subnet's ACL, gives the packet its own private address
  as source and forwards it by its own subnet's routes; a packet addressed to a NAT gateway is refused;
* a VPC peering connection (active) delivers only into the peer VPC's own CIDRs, never onwards: peering is
  not transitive;
* a transit gateway is entered through its interface in the source's Availability Zone (that subnet's ACL
  inbound), routes by the attachment's route table, and hands the packet into a VPC through its interface
  subnet there, routed by that subnet's table, or out to a VPN, Direct Connect or peered gateway (`transit`);
* a virtual private gateway (attached) and a gateway endpoint hand the packet to a network outside the
  snapshot, a VPN connection whose routes cover it or an AWS service (`exits`);
* a packet that enters through an internet or virtual private gateway is routed by the gateway's own route
  table where it has one (ingress routing), else delivered into the gateway's VPC, never onwards;
* at a load balancer's interface, its security groups and then its listeners decide: a packet no listener
  takes is refused (denied-in); what one takes is forwarded to a target the balancer picks by a flow hash,
  so the walk forks, one walk per target it may pick (`balancers`), and the packet is accepted when some
  target accepts it (its hops are that target's), else it has the first target's fate;
* an interface endpoint's interface accepts, for its service, what its security groups admit;
* whatever else a route or a destination names (Gateway Load Balancer endpoints, appliances, also
  where an internet gateway's own route table sends what enters) is not modelled yet: unknown, naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from ipaddress import IPv4Address
from typing import NoReturn

from solomonic.network import balancers, exits, routing, rules, transit
from solomonic.network.model import ICMP, INTERNET, TCP, UDP, Flow, Interface, Snapshot, Subnet, is_public
from solomonic.network.result import Disposition, Trace
from solomonic.network.undecided import Undecided

LOAD_BALANCER_PREFIX = "ELB "  # how AWS describes a load balancer's interfaces: "ELB app/NAME/ID"
AWS_DEFAULT_RULE = 32767  # the number describe-network-acls gives the `*` rule
MAX_HOPS = 64  # more resources than any path of a VPC passes: the routes form a loop
NAT_PROTOCOLS = (TCP, UDP, ICMP)  # "NAT gateways support the following protocols: TCP, UDP, and ICMP"
_GONE = ("deleted", "deleting", "failed")  # a NAT gateway in these states: "routes to it are blackholes"
_TARGET_KINDS = {"eni-": "a network interface (an appliance)", "i-": "an instance (an appliance)",
                 "eigw-": "an egress-only internet gateway (IPv6)", "cagw-": "a carrier gateway",
                 "lgw-": "a local gateway", "arn:": "a Cloud WAN core network"}


@dataclass
class _Stop(Exception):
    """The packet's fate, decided somewhere along the walk."""

    disposition: Disposition
    blocked_by: str | None
    reason: str


def trace(snapshot: Snapshot, source: Interface | str | None, flow: Flow, prefer: frozenset[str] = frozenset()) -> Trace:
    """Where `flow` goes when `source` sends it: an interface, a gateway by id (what enters through an
    internet or virtual private gateway, what a NAT gateway sends), or None, a host on the internet. Where a
    load balancer may pick one of several targets that accept the packet, the path shown ends at the first
    one registered, or at one of the nodes in `prefer` (a question's destination) where it may pick that."""
    walk = _Walk(snapshot, prefer)
    try:
        if source is None:
            walk.internet(flow)
        elif isinstance(source, str):
            walk.from_gateway(source, flow)
        else:
            walk.send(source, flow)
    except _Stop as stop:
        return Trace(stop.disposition, tuple(walk.hops), flow, stop.blocked_by, stop.reason, snapshot.warnings,
                     tuple(walk.assumptions))
    except Undecided as why:
        return Trace("unknown", tuple(walk.hops), flow, None, str(why), snapshot.warnings, tuple(walk.assumptions))


class _Walk:
    def __init__(self, snapshot: Snapshot, prefer: frozenset[str] = frozenset()) -> None:
        self.snapshot, self.prefer = snapshot, prefer
        self.hops: list[str] = []
        self.assumptions: list[str] = []  # what a load balancer's forwarding was decided by, unseen

    def hop(self, node: str) -> None:
        self.hops.append(node)
        if len(self.hops) > MAX_HOPS:
            raise Undecided(f"the path passes more than {MAX_HOPS} resources: the routes form a loop")

    def subnet(self, name: str) -> Subnet:
        subnet = self.snapshot.subnets.get(name)
        if subnet is None:
            raise Undecided(f"{name} is not in the snapshot")
        return subnet

    def send(self, source: Interface, flow: Flow) -> NoReturn:
        self.hop(source.node)
        if flow.dst_ip in source.private_ips:
            raise _Stop("accepted", None, f"{flow.dst_ip} is {source.node}'s own address: it never leaves it")
        if flow.src_ip not in source.private_ips and source.source_dest_check:
            raise _Stop("denied-out", source.node,
                        f"{flow.src_ip} is not an address of {source.id}, whose source/destination check drops "
                        "packets it did not originate")
        peer = self.holder(source.vpc_id, flow.dst_ip)
        group = rules.security_groups_block(self.snapshot, source, flow, ingress=False, peer=peer)
        if group is not None:
            raise _Stop("denied-out", group, f"no egress rule of {', '.join(source.group_ids) or 'any group'} on "
                                             f"{source.id} admits {_describe(flow)}")
        self.leave(self.subnet(source.subnet_id), flow, source)

    def leave(self, subnet: Subnet, flow: Flow, sender: Interface | None) -> NoReturn:
        """`flow` leaves `sender` in `subnet`: delivered within the subnet, or routed by its route table."""
        self.hop(subnet.id)
        if flow.dst_ip in subnet.cidr:
            self.arrive(subnet, flow, sender)
        self.acl(subnet, flow, egress=True)
        self.hop(subnet.vpc_id)
        table = routing.route_table(self.snapshot, subnet)
        route = routing.best_route(self.snapshot, table, flow.dst_ip)
        if route is None:
            raise _Stop("no-route", table.id, f"no route of {table.id} holds {flow.dst_ip}")
        if route.blackhole:
            raise _Stop("no-route", table.id, f"the route of {table.id} that holds {flow.dst_ip} is a blackhole "
                                              f"(its target {route.target} is gone)")
        target = route.target
        if target == "local":
            self.deliver(subnet.vpc_id, flow, sender)
        elif target.startswith("igw-"):
            self.internet_gateway(target, subnet.vpc_id, flow, sender)
        elif target.startswith("nat-"):
            self.nat_gateway(target, subnet, flow)
        elif target.startswith("pcx-"):
            self.peering(target, subnet.vpc_id, flow, sender)
        elif target.startswith("tgw-"):
            self.transit_gateway(target, subnet, flow, sender)
        elif target.startswith("vgw-"):
            self.vpn_gateway(target, subnet.vpc_id, flow)
        elif target.startswith("vpce-"):
            self.endpoint(target, subnet.vpc_id)
        kind = next((what for prefix, what in _TARGET_KINDS.items() if target.startswith(prefix)), "a target")
        self.hop(target)
        raise Undecided(f"{table.id} routes {flow.dst_ip} to {target}, {kind}, which is not modelled yet")

    def acl(self, subnet: Subnet, flow: Flow, egress: bool) -> None:
        acl = rules.network_acl(self.snapshot, subnet)
        entry = rules.acl_decides(acl, flow, egress)
        if entry is None or not entry.allow:
            rule = f"rule {entry.number}" if entry is not None and entry.number != AWS_DEFAULT_RULE else "the rule *"
            way = "out of" if egress else "into"
            raise _Stop("denied-out" if egress else "denied-in", acl.id,
                        f"{acl.id} {rule} denies {_describe(flow)} {way} {subnet.id}")

    def deliver(self, vpc_id: str, flow: Flow, sender: Interface | None) -> NoReturn:
        """Into the subnet of `vpc_id` that holds the destination, through its network ACL."""
        subnet = next((s for s in self.snapshot.subnets.values() if s.vpc_id == vpc_id and flow.dst_ip in s.cidr),
                      None)
        if subnet is None:
            raise _Stop("no-destination", None, f"no subnet of {vpc_id} holds {flow.dst_ip}")
        self.hop(subnet.id)
        self.acl(subnet, flow, egress=False)
        self.arrive(subnet, flow, sender)

    def arrive(self, subnet: Subnet, flow: Flow, sender: Interface | None) -> NoReturn:
        """At the interface of `subnet` that holds the destination: its security groups decide."""
        cidr, address = subnet.cidr, flow.dst_ip
        if address in (cidr.network_address, cidr.network_address + 1, cidr.network_address + 2,
                       cidr.network_address + 3, cidr.broadcast_address):
            raise Undecided(f"{address} is one of the five addresses AWS reserves in {subnet.id} (network, VPC "
                            "router, DNS, future use, broadcast), which are not modelled")
        target = self.snapshot.interfaces.get(self.snapshot.private_addresses.get((subnet.vpc_id, address), ""))
        if target is None or target.subnet_id != subnet.id:
            raise _Stop("no-destination", None, f"no network interface in {subnet.id} holds {address}")
        if target.kind == "nat_gateway":
            nat = next((n.id for n in self.snapshot.nat_gateways.values() if (n.interface_id or n.id) == target.id),
                       target.id)
            self.hop(nat)
            raise _Stop("denied-in", nat, f"{nat} accepts no connection addressed to it; it only forwards "
                                          "connections its subnets start")
        if target.description.startswith(LOAD_BALANCER_PREFIX):
            self.load_balancer(target, flow, sender)
        service = exits.interface_endpoint(self.snapshot, target).service if target.kind == "vpc_endpoint" else None
        if target.kind != "interface" and service is None:
            self.hop(target.id)
            raise Undecided(f"{target.id} is a {target.kind} interface ({target.description or 'no description'}): "
                            "what it does with a packet is not modelled yet")
        self.hop(target.node)
        group = rules.security_groups_block(self.snapshot, target, flow, ingress=True, peer=sender)
        if group is not None:
            raise _Stop("denied-in", group, f"no ingress rule of {', '.join(target.group_ids) or 'any group'} on "
                                            f"{target.id} admits {_describe(flow)}")
        named = f"{target.instance_id}'s interface {target.id}" if target.instance_id else target.id
        raise _Stop("accepted", None, f"{named} accepts {_describe(flow)}" + (f" for {service}" if service else ""))

    def load_balancer(self, interface: Interface, flow: Flow, sender: Interface | None) -> NoReturn:
        """At an interface of a load balancer: its security groups (if it has any), then its listeners. A
        packet no listener takes is refused; what a listener takes goes to each target the balancer may
        pick (`balancers`), each walked on its own: delivered when one accepts it."""
        key = interface.description[len(LOAD_BALANCER_PREFIX):]
        balancer = self.snapshot.load_balancers.get(key)
        self.hop(balancer.arn if balancer is not None else interface.id)
        if balancer is None or balancer.kind not in ("application", "network"):
            raise Undecided(f"{interface.id} belongs to the load balancer {key}, which is not in the snapshot or "
                            "not an application or network load balancer")
        if interface.group_ids:
            group = rules.security_groups_block(self.snapshot, interface, flow, ingress=True, peer=sender)
            if group is not None:
                raise _Stop("denied-in", group, f"no ingress rule of {', '.join(interface.group_ids)} on "
                                                f"{interface.id} admits {_describe(flow)}")
        if balancer.listeners is None:
            raise Undecided(f"the listeners of {balancer.arn} are not in the snapshot (LoadBalancerListeners.json)")
        listener = balancers.listener_for(balancer, flow)
        if listener is None:
            raise _Stop("denied-in", balancer.arn, f"{balancer.arn} has no listener for {_describe(flow)}")
        found, assumptions = balancers.legs(self.snapshot, balancer, interface, listener, flow)
        self.assumptions.extend(a for a in assumptions if a not in self.assumptions)
        fates = [[self.forwarded(interface, sent) for sent in leg.flows] for leg in found]
        fate = balancers.choose(balancer, found, fates, tuple(self.hops), self.prefer)
        self.hops[:] = fate.hops
        if fate.disposition == "unknown":
            raise Undecided(fate.reason)
        raise _Stop(fate.disposition, fate.blocked_by, fate.reason)

    def forwarded(self, node: Interface, flow: Flow) -> balancers.Fate:
        """The fate of `flow` as the balancer's node `node` sends it to a target, walked apart from the packet
        the balancer received."""
        walk = _Walk(self.snapshot, self.prefer)
        walk.hops = list(self.hops)
        try:
            if node.group_ids:
                group = rules.security_groups_block(self.snapshot, node, flow, ingress=False,
                                                    peer=self.holder(node.vpc_id, flow.dst_ip))
                if group is not None:
                    raise _Stop("denied-out", group, f"no egress rule of {', '.join(node.group_ids)} on {node.id} "
                                                     f"admits {_describe(flow)}")
            walk.leave(self.subnet(node.subnet_id), flow, node)
        except _Stop as stop:
            return balancers.Fate(stop.disposition, tuple(walk.hops), stop.blocked_by, stop.reason)
        except Undecided as why:
            return balancers.Fate("unknown", tuple(walk.hops), None, str(why))
        finally:
            self.assumptions.extend(a for a in walk.assumptions if a not in self.assumptions)

    def holder(self, vpc_id: str, address: IPv4Address) -> Interface | None:
        """The interface that holds `address` privately, in `vpc_id` or a VPC peered with it (where security
        group references reach)."""
        vpcs = {vpc_id}
        for peering in self.snapshot.peerings.values():
            if peering.status == "active" and vpc_id in (peering.requester_vpc, peering.accepter_vpc):
                vpcs |= {peering.requester_vpc, peering.accepter_vpc}
        return next((self.snapshot.interfaces[self.snapshot.private_addresses[(vpc, address)]] for vpc in sorted(vpcs)
                     if (vpc, address) in self.snapshot.private_addresses), None)

    def internet_gateway(self, name: str, vpc_id: str, flow: Flow, sender: Interface | None) -> NoReturn:
        gateway = self.snapshot.internet_gateways.get(name)
        self.hop(name)
        if gateway is None:
            raise Undecided(f"the internet gateway {name} is not in the snapshot")
        if vpc_id not in gateway.vpc_ids:
            raise _Stop("no-route", name, f"{name} is not attached to {vpc_id}")
        public = sender.public_for(flow.src_ip) if sender is not None else None
        if public is None:
            raise _Stop("denied-out", name, f"{flow.src_ip} has no public IPv4 address for {name} to translate "
                                            "it to")
        self.internet(replace(flow, src_ip=public))

    def internet(self, flow: Flow) -> NoReturn:
        """On the internet: dropped, delivered back into the snapshot by a public address, or gone."""
        self.hop(INTERNET)
        if not is_public(flow.dst_ip):
            raise _Stop("no-route", INTERNET, f"{flow.dst_ip} is not a public address: the internet does not "
                                              "route it")
        owner = self.snapshot.interfaces.get(self.snapshot.public_addresses.get(flow.dst_ip, ""))
        private = owner.private_for(flow.dst_ip) if owner is not None else None
        if owner is None or private is None:
            raise _Stop("exits-network", None, f"nothing in the snapshot holds {flow.dst_ip}: the packet stays on "
                                               "the internet")
        gateway = next((g for g in self.snapshot.internet_gateways.values() if owner.vpc_id in g.vpc_ids), None)
        if gateway is None:
            raise _Stop("no-route", owner.vpc_id, f"{flow.dst_ip} belongs to {owner.id}, but {owner.vpc_id} has no "
                                                  "internet gateway attached")
        self.hop(gateway.id)
        self.enter(gateway.id, owner.vpc_id, replace(flow, dst_ip=private))

    def enter(self, gateway: str, vpc_id: str, flow: Flow) -> NoReturn:
        """Into `vpc_id` through `gateway`: routed by the gateway's own route table where it has one (ingress
        routing), else by the VPC's local routes; a gateway delivers only into its VPC, never onwards."""
        self.hop(vpc_id)
        edge = next((t for t in self.snapshot.route_tables.values() if gateway in t.gateway_ids), None)
        if edge is not None:
            route = routing.best_route(self.snapshot, edge, flow.dst_ip)
            if route is None or route.blackhole:
                raise _Stop("no-route", edge.id, f"{edge.id}, the route table of {gateway}, has no active route "
                                                 f"to {flow.dst_ip}")
            if route.target != "local":
                self.hop(route.target)
                raise Undecided(f"{edge.id} routes what enters through {gateway} for {flow.dst_ip} to "
                                f"{route.target}, an appliance, which is not modelled yet")
        vpc = self.snapshot.vpcs.get(vpc_id)
        if vpc is None:
            raise Undecided(f"{vpc_id}, behind {gateway}, is not in the snapshot")
        if not any(flow.dst_ip in cidr for cidr in vpc.cidrs):
            raise _Stop("no-route", gateway, f"{gateway} delivers only into {vpc_id}, which does not hold "
                                             f"{flow.dst_ip}: a gateway is not a transit")
        self.deliver(vpc_id, flow, None)

    def from_gateway(self, name: str, flow: Flow) -> NoReturn:
        """What enters the snapshot at a gateway: from the internet through an internet gateway (to a public
        address it translates), from a VPN through a virtual private gateway, or sent by a NAT gateway."""
        self.hop(name)
        if name.startswith("nat-"):
            nat = self.snapshot.nat_gateways[name]
            if nat.state != "available":
                raise Undecided(f"{name} is {nat.state}, not available")
            self.leave(self.subnet(nat.subnet_id), flow, self.snapshot.interfaces.get(nat.interface_id or nat.id))
        if name.startswith("vgw-"):
            attached = sorted(self.snapshot.vpn_gateways[name].vpc_ids)
            if not attached:
                raise _Stop("no-route", name, f"{name} is attached to no VPC")
            self.enter(name, attached[0], flow)
        gateway = self.snapshot.internet_gateways[name]
        owner = self.snapshot.interfaces.get(self.snapshot.public_addresses.get(flow.dst_ip, ""))
        private = owner.private_for(flow.dst_ip) if owner is not None else None
        if owner is None or private is None or owner.vpc_id not in gateway.vpc_ids:
            raise _Stop("no-route", name, f"{flow.dst_ip} is no public address {name} translates")
        self.enter(name, owner.vpc_id, replace(flow, dst_ip=private))

    def nat_gateway(self, name: str, subnet: Subnet, flow: Flow) -> NoReturn:
        """Through the NAT gateway `name`, from `subnet`: its own address becomes the source."""
        nat = self.snapshot.nat_gateways.get(name)
        if nat is None:
            self.hop(name)
            raise Undecided(f"the NAT gateway {name} is not in the snapshot")
        home = self.subnet(nat.subnet_id)
        if home.id != subnet.id:
            self.hop(home.id)
            self.acl(home, flow, egress=False)
        self.hop(name)
        if nat.state in _GONE:
            raise _Stop("no-route", name, f"{name} is {nat.state}: routes to it are blackholes")
        if nat.state != "available":
            raise Undecided(f"{name} is {nat.state}, not available")
        if flow.protocol not in NAT_PROTOCOLS:
            raise _Stop("denied-in", name, f"{name} forwards TCP, UDP and ICMP only, not protocol {flow.protocol}")
        if nat.private_ip is None:
            raise Undecided(f"the snapshot gives no private address of {name}")
        interface = self.snapshot.interfaces.get(nat.interface_id or nat.id)
        self.leave(home, replace(flow, src_ip=nat.private_ip), interface)

    def peering(self, name: str, vpc_id: str, flow: Flow, sender: Interface | None) -> NoReturn:
        peering = self.snapshot.peerings.get(name)
        self.hop(name)
        if peering is None:
            raise Undecided(f"the peering connection {name} is not in the snapshot")
        if peering.status != "active":
            raise _Stop("no-route", name, f"{name} is {peering.status}, not active")
        if vpc_id == peering.requester_vpc:
            peer, listed = peering.accepter_vpc, peering.accepter_cidrs
        elif vpc_id == peering.accepter_vpc:
            peer, listed = peering.requester_vpc, peering.requester_cidrs
        else:
            raise Undecided(f"{name} does not connect {vpc_id}, whose route table names it")
        vpc = self.snapshot.vpcs.get(peer)
        cidrs = vpc.cidrs if vpc is not None else listed
        if not any(flow.dst_ip in cidr for cidr in cidrs):
            raise _Stop("no-route", name, f"{flow.dst_ip} is not in {peer} ({', '.join(map(str, cidrs))}): a peering "
                                          "connection is not transitive")
        if vpc is None:
            raise _Stop("exits-network", None, f"{peer}, the peer of {name}, is not in the snapshot")
        self.hop(peer)
        self.deliver(peer, flow, sender)

    def transit_gateway(self, name: str, subnet: Subnet, flow: Flow, sender: Interface | None) -> NoReturn:
        """Through the transit gateway `name`, from `subnet` (`transit` decides each step)."""
        gateway = self.snapshot.transit_gateways.get(name)
        if gateway is None:
            self.hop(name)
            raise Undecided(f"the transit gateway {name} is not in the snapshot")
        if gateway.state != "available":
            self.hop(name)
            raise Undecided(f"{name} is {gateway.state}, not available")
        source = transit.vpc_attachment(self.snapshot, name, subnet.vpc_id)
        entry = transit.zone_subnet(self.snapshot, source, subnet.zone) if source is not None else None
        if source is None or entry is None:
            self.hop(name)
            raise _Stop("no-route", name, f"{name} has no attachment to {subnet.vpc_id} with a subnet in "
                                          f"{subnet.zone or 'its Availability Zone'}")
        self.hop(entry.id)
        self.acl(entry, flow, egress=False)
        self.hop(name)
        table = self.snapshot.transit_route_tables.get(source.route_table_id or "")
        if table is None:
            raise Undecided(f"the route table of {source.id} is not in the snapshot")
        route = transit.best_route(self.snapshot, table, flow.dst_ip)
        if route is None:
            raise _Stop("no-route", table.id, f"no route of {table.id} holds {flow.dst_ip}")
        if route.blackhole:
            raise _Stop("no-route", table.id, f"the route of {table.id} that holds {flow.dst_ip} is a blackhole")
        if len(set(route.attachment_ids)) != 1:
            raise Undecided(f"{table.id} spreads {flow.dst_ip} over {len(route.attachment_ids)} attachments (ECMP)")
        target = self.snapshot.transit_attachments.get(route.attachment_ids[0])
        if target is None or target.state != "available":
            raise Undecided(f"{route.attachment_ids[0]}, where {table.id} sends {flow.dst_ip}, is not an "
                            "available attachment in the snapshot")
        if target.resource_type in ("vpn", "direct-connect-gateway") or (
                target.resource_type == "peering" and target.resource_id not in self.snapshot.transit_gateways):
            raise _Stop("exits-network", None, f"{table.id} sends {flow.dst_ip} to {target.id}, the "
                                               f"{target.resource_type} attachment {target.resource_id}")
        if target.resource_type != "vpc":
            raise Undecided(f"{target.id} is a {target.resource_type} attachment, which is not modelled yet")
        exit_subnet = transit.exit_subnet(self.snapshot, target, subnet.zone)
        references = gateway.group_references and source.group_references and target.group_references
        self.leave(exit_subnet, flow, sender if references else None)

    def vpn_gateway(self, name: str, vpc_id: str, flow: Flow) -> NoReturn:
        gateway = self.snapshot.vpn_gateways.get(name)
        self.hop(name)
        if gateway is None:
            raise Undecided(f"the virtual private gateway {name} is not in the snapshot")
        if vpc_id not in gateway.vpc_ids:
            raise _Stop("no-route", name, f"{name} is not attached to {vpc_id}")
        reason = exits.through_vpn(self.snapshot, gateway, flow.dst_ip)
        if reason is None:
            raise _Stop("no-route", name, f"no VPN connection of {name} has a route to {flow.dst_ip}")
        raise _Stop("exits-network", None, reason)

    def endpoint(self, name: str, vpc_id: str) -> NoReturn:
        endpoint = self.snapshot.endpoints.get(name)
        self.hop(name)
        if endpoint is None:
            raise Undecided(f"the VPC endpoint {name} is not in the snapshot")
        raise _Stop("exits-network", None, exits.through_endpoint(endpoint, vpc_id))


def _describe(flow: Flow) -> str:
    if flow.dst_port is not None:
        return f"{_protocol(flow.protocol)}/{flow.dst_port} from {flow.src_ip} to {flow.dst_ip}"
    if flow.icmp_type is not None:
        return f"icmp type {flow.icmp_type} code {flow.icmp_code} from {flow.src_ip} to {flow.dst_ip}"
    return f"protocol {flow.protocol} from {flow.src_ip} to {flow.dst_ip}"


def _protocol(number: int) -> str:
    return {6: "tcp", 17: "udp", 1: "icmp"}.get(number, str(number))
