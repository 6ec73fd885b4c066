"""Where a load balancer's listener forwards, for the symbolic walk: each target the balancer may pick, with the
condition on the packet it received under which it goes there, written from AWS's documentation apart from
the concrete side (`balancers`, which `trace` uses) so that the two can be checked against each other.

A listener takes the packets of its IP protocol addressed to its port; its default action forwards them to
its target groups (non-zero weight; an ALB's listener rules are not in the snapshot: `trace` states that it
follows the default action). The balancer chooses among the targets by a flow hash, so each target is a way
of its own: a registered target that is neither `unused` nor `draining`, in the receiving node's zone or, with
cross-zone load balancing (always for an ALB, an NLB's `load_balancing.cross_zone.enabled` attribute), in
any. The forwarded packet goes to the target's address (an instance's primary private address) and port,
from the node's address (ALB), or from the client's address (an NLB, always for UDP and TCP_UDP groups;
for TCP and TLS both, since the group's `preserve_client_ip.enabled` is not in the snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

import z3

from solomonic.network.encode import Packet, Unencoded
from solomonic.network.model import Interface, Listener, LoadBalancer, Snapshot

_RECEIVE_NOTHING = frozenset({"unused", "draining"})


@dataclass(frozen=True)
class Way:
    """One target a listener's packet may be forwarded to: `when` the packet is one the listener takes,
    the target's `address` and `port`, and whether the node's address (`from_node`) and the client's
    (`from_client`) may be the forwarded packet's source; `unknown` names what is not encoded."""

    group: str
    target: str
    when: z3.BoolRef
    address: IPv4Address | None = None
    port: int = 0
    from_node: bool = False
    from_client: bool = False
    unknown: str | None = None


def listens(packet: Packet, listener: Listener) -> z3.BoolRef:
    return z3.And(packet.protocol == listener.protocol, packet.dst_port == listener.port)


def ways(snapshot: Snapshot, balancer: LoadBalancer, node: Interface, packet: Packet) -> list[Way]:
    """Every way a packet `balancer`'s node `node` takes may be forwarded."""
    if balancer.listeners is None:
        raise Unencoded(f"the listeners of {balancer.arn} are not in the snapshot")
    found = []
    for listener in balancer.listeners:
        when = listens(packet, listener)
        if listener.action != "forward":
            found.append(Way(balancer.arn, balancer.arn, when, unknown=f"{balancer.arn}'s listener on "
                             f"{listener.port} answers by {listener.action or 'no action'}, not modelled"))
        for arn in listener.target_groups:
            found.extend(_group_ways(snapshot, balancer, node, arn, when))
    return found


def _group_ways(snapshot: Snapshot, balancer: LoadBalancer, node: Interface, arn: str,
                when: z3.BoolRef) -> list[Way]:
    group = snapshot.target_groups.get(arn)
    if group is None or group.targets is None or group.target_type not in ("instance", "ip"):
        return [Way(arn, arn, when, unknown=f"the target group {arn}, its targets or their type is not modelled")]
    here = snapshot.subnets[node.subnet_id].zone if node.subnet_id in snapshot.subnets else ""
    network = balancer.kind == "network"
    found = []
    for target in group.targets:
        if target.state in _RECEIVE_NOTHING:
            continue
        if group.target_type == "instance":
            interfaces = [snapshot.interfaces[name] for name in snapshot.instances.get(target.id, ())
                          if name in snapshot.interfaces]
            holder = min(interfaces, key=lambda i: i.device_index or 0, default=None)
            address = holder.private_ips[0] if holder is not None and holder.private_ips else None
        else:
            try:
                address = IPv4Address(target.id)
            except ValueError:
                address = None
            holder = snapshot.interfaces.get(snapshot.private_addresses.get((node.vpc_id, address), "")) \
                if address is not None else None
        if address is None or target.port < 0:
            found.append(Way(arn, target.id, when, unknown=f"{target.id} of {arn} has no address or port"))
            continue
        if target.zone != "all":
            there = snapshot.subnets[holder.subnet_id].zone if holder and holder.subnet_id in snapshot.subnets else ""
            if not here or not there:
                found.append(Way(arn, target.id, when, unknown=f"the zone of {node.id} or {target.id} is unknown"))
                continue
            cross = balancer.cross_zone if network else True
            if here != there and cross is None:
                found.append(Way(arn, target.id, when, unknown=f"{balancer.arn}'s cross-zone setting is unknown"))
                continue
            if here != there and not cross:
                continue
        client_only = network and group.protocol_name in ("UDP", "TCP_UDP")
        found.append(Way(arn, target.id, when, address, target.port, from_node=not client_only,
                         from_client=network))
    return found
