"""Where an application or network load balancer forwards what a listener takes: the concrete side (`trace`).

AWS's documentation, as the snapshot's files let it be followed:

* the listener for the packet's protocol and port forwards by its default action to its target groups (a
  weighted forward to each group of non-zero weight). An ALB's listener rules (describe-rules) are not in the
  snapshot: a request no rule matches takes the default action, which is stated as an assumption; a
  default action other than forward (redirect, fixed response) is answered unknown;
* the balancer picks one registered target by a flow hash: every target it may pick is a way the packet may
  go, and the packet is delivered when one of them accepts it (or it leaves the snapshot for an ip target
  outside it). Targets `unused` (in a zone the balancer does
  not serve, or a group it does not use) or `draining` (being deregistered) receive nothing; health is the
  targets' current status, not configuration, and a balancer whose targets are all unhealthy sends to all
  of them (fail open), so the others all count;
* the node that received the packet (the interface it was addressed to) sends to targets in its own zone,
  and to the other zones' only with cross-zone load balancing (always on for an ALB; an NLB's attribute
  `load_balancing.cross_zone.enabled`, false by default); a target group's own override is in
  describe-target-group-attributes, not in the snapshot, so the balancer's setting is stated as assumed;
* an instance target receives on its primary interface's primary private address, an ip target on its
  address; at the target's port (the group's where the registration names none);
* the packet leaves the node's interface through its security groups' egress rules (where the balancer has
  groups), with the node's own address as source for an ALB. An NLB preserves the client's address for UDP
  and TCP_UDP target groups; for TCP and TLS that is the group's `preserve_client_ip.enabled` attribute,
  which the snapshot lacks: both sources are followed, and an answer that depends on it is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address

from solomonic.network.model import Flow, Interface, Listener, LoadBalancer, Snapshot, Target, TargetGroup
from solomonic.network.result import Disposition
from solomonic.network.undecided import Undecided

SILENT = ("unused", "draining")  # target health states that receive no new connection
PRESERVED = ("UDP", "TCP_UDP")  # NLB target group protocols that always keep the client's address
RULES_ASSUMED = ("requests that no rule of {listener} matches take its default action (an application load "
                 "balancer's listener rules, describe-rules, are not in the snapshot)")
CROSS_ZONE_ASSUMED = ("{group} follows {balancer}'s cross-zone setting (a target group's own, in "
                      "describe-target-group-attributes, is not in the snapshot)")


@dataclass(frozen=True)
class Leg:
    """One target the balancer may pick: the packets it may send it (two where the snapshot does not say
    whether the client's address is preserved), or why the leg cannot be decided."""

    group: str
    target: str
    flows: tuple[Flow, ...] = ()
    undecided: str | None = None


@dataclass(frozen=True)
class Fate:
    """What became of a packet the balancer sent: as `trace` reports a whole walk."""

    disposition: Disposition
    hops: tuple[str, ...]
    blocked_by: str | None
    reason: str


def listener_for(balancer: LoadBalancer, flow: Flow) -> Listener | None:
    listeners = balancer.listeners or ()
    return next((one for one in listeners if one.protocol == flow.protocol and one.port == flow.dst_port), None)


def legs(snapshot: Snapshot, balancer: LoadBalancer, node: Interface, listener: Listener,
         flow: Flow) -> tuple[list[Leg], list[str]]:
    """Every target `balancer`'s node `node` may forward `flow` to, and the assumptions made."""
    name = f"{balancer.arn}'s listener on {listener.port}"
    if listener.action != "forward":
        raise Undecided(f"{name} answers by its default action {listener.action or '(none)'}, which is not "
                        "modelled")
    assumptions = [RULES_ASSUMED.format(listener=name)] if balancer.kind == "application" else []
    found: list[Leg] = []
    for arn in listener.target_groups:
        group = snapshot.target_groups.get(arn)
        if group is None or group.targets is None:
            found.append(Leg(arn, arn, undecided=f"the target group {arn} or its targets "
                                                 "(LoadBalancerTargetHealth.json) are not in the snapshot"))
            continue
        if group.target_type not in ("instance", "ip"):
            found.append(Leg(arn, arn, undecided=f"{arn} has {group.target_type} targets, which are not modelled"))
            continue
        for target in group.targets:
            if target.state not in SILENT:
                found.extend(_leg(snapshot, balancer, node, group, target, flow, assumptions))
    return found, assumptions


def _leg(snapshot: Snapshot, balancer: LoadBalancer, node: Interface, group: TargetGroup, target: Target,
         flow: Flow, assumptions: list[str]) -> list[Leg]:
    address, holder = _address(snapshot, node.vpc_id, group, target)
    if address is None:
        return [Leg(group.arn, target.id, undecided=f"{target.id}, a target of {group.arn}, has no address in the "
                                                    "snapshot")]
    if target.port < 0:
        return [Leg(group.arn, target.id, undecided=f"{group.arn} gives {target.id} no port")]
    if target.zone != "all":
        home = snapshot.subnets.get(node.subnet_id)
        there = snapshot.subnets.get(holder.subnet_id) if holder is not None else None
        if home is None or there is None or not home.zone or not there.zone:
            return [Leg(group.arn, target.id, undecided=f"the Availability Zone of {node.id} or of {target.id} is "
                                                        "not in the snapshot")]
        if home.zone != there.zone:
            cross = True if balancer.kind == "application" else balancer.cross_zone
            if cross is None:
                return [Leg(group.arn, target.id, undecided=f"{target.id} is in another zone than {node.id}, and "
                                                            f"{balancer.arn}'s attributes are not in the snapshot")]
            note = CROSS_ZONE_ASSUMED.format(group=group.arn, balancer=balancer.arn)
            if note not in assumptions:
                assumptions.append(note)
            if not cross:
                return []
    own = node.private_ips[0]
    sources = (own,) if balancer.kind == "application" else (
        (flow.src_ip,) if group.protocol_name in PRESERVED else (flow.src_ip, own))
    return [Leg(group.arn, target.id, tuple(Flow(source, address, flow.protocol, flow.src_port, target.port)
                                            for source in dict.fromkeys(sources)))]


def _address(snapshot: Snapshot, vpc_id: str, group: TargetGroup,
             target: Target) -> tuple[IPv4Address | None, Interface | None]:
    """Where a target receives: an instance's primary private address, or an ip target's; and its holder."""
    if group.target_type == "instance":
        names = snapshot.instances.get(target.id, ())
        primary = snapshot.interfaces.get(names[0]) if names else None
        if primary is None or not primary.private_ips:
            return None, None
        return primary.private_ips[0], primary
    try:
        address = IPv4Address(target.id)
    except ValueError:
        return None, None
    holder = snapshot.interfaces.get(snapshot.private_addresses.get((vpc_id, address), ""))
    return address, holder


def choose(balancer: LoadBalancer, found: list[Leg], fates: list[list[Fate]], before: tuple[str, ...],
           prefer: frozenset[str]) -> Fate:
    """The packet's fate when the balancer may pick any of `found` (`fates`: each leg's, one per source it
    may send from): delivered when some target accepts it, or it leaves the snapshot for one, whichever
    source is used (the first such leg, an accepting one before one that leaves, one ending at a node in
    `prefer` first); unknown when a leg is undecided or its fate depends on the source; else the first
    leg's fate, every target refusing."""
    if not found:
        return Fate("no-destination", before, balancer.arn, f"{balancer.arn} has no target it may forward to")
    decided: list[Fate | None] = []
    for leg, each in zip(found, fates, strict=True):
        same = len({fate.disposition for fate in each}) == 1
        decided.append(each[0] if leg.undecided is None and same else None)
    delivered = [(leg, fate) for leg, fate in zip(found, decided, strict=True)
                 if fate is not None and fate.disposition in ("accepted", "exits-network")]
    if delivered:  # accepted before leaving the snapshot (an ip target outside it), the question's first
        leg, fate = min(delivered, key=lambda pair: (pair[1].disposition != "accepted", pair[1].hops[-1] not in prefer))
        others = f" (of {len(found)} targets it may pick)" if len(found) > 1 else ""
        return Fate(fate.disposition, fate.hops, None, f"{balancer.arn} may forward it to {leg.target}{others}, "
                                                       f"{leg.group}: {fate.reason}")
    unknown = [(leg, each) for leg, each, fate in zip(found, fates, decided, strict=True) if fate is None]
    if unknown:
        leg, each = unknown[0]
        why = leg.undecided or (f"whether {balancer.arn} keeps the client's address for {leg.target} (the "
                                f"preserve_client_ip.enabled attribute of {leg.group}) is not in the snapshot: "
                                + "; ".join(f"from {flow.src_ip}, {fate.disposition}"
                                            for flow, fate in zip(leg.flows, each, strict=True)))
        return Fate("unknown", before, None, why)
    first = decided[0]
    assert first is not None
    return Fate(first.disposition, first.hops, first.blocked_by,
                f"no target {balancer.arn} may pick accepts it; {found[0].target}: {first.reason}")
