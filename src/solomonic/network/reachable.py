"""`solomonic network reachable`: can any packet the question allows get from a source to a destination?

Every candidate path (`paths.Walk`) is a conjunction of named constraints on one symbolic packet. The answer:

* **reachable** when z3 finds a packet for a path that ends at the destination *and* the concrete evaluator
  (`trace`), written apart from this encoding, delivers that packet there; a path that ends unknown (a
  resource the encoding does not model) is tried the same way, so a packet `trace` delivers through it still
  counts. A witness `trace` does not confirm is never reported: the answer becomes unknown, saying so.
* **unreachable** only when z3 proves every path to the destination and every unknown path unsatisfiable;
  `blocked_by` then names, per candidate path, the components in an unsat core of its constraints (the
  question's own constraints are left out of the names), and each dead end (no route, a blackhole, no
  interface holding the address, a gateway not attached) with, where no allowed packet even reaches it, the
  components that stop them before it: every candidate path is accounted for.
* **unknown** otherwise, with the reason.

The packet is a real one: its source is an address the source holds (or a public one, from the internet),
TCP and UDP source ports are ephemeral (1024-65535) and destination ports are not 0 unless asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

import z3

from solomonic.errors import UserError
from solomonic.network import encode
from solomonic.network.destinations import Goal
from solomonic.network.encode import Packet, within
from solomonic.network.model import ICMP, INTERNET, TCP, UDP, Flow, Interface, PortRange, Snapshot, is_public
from solomonic.network.paths import Walk
from solomonic.network.result import Trace
from solomonic.network.steps import Path, Step
from solomonic.network.trace import trace


@dataclass(frozen=True)
class Question:
    """The packets a question ranges over: `sources` are the sending interfaces (None: the internet; a
    gateway's id: what enters through it)."""

    sources: tuple[Interface | str | None, ...]
    goal: Goal
    src_ip: IPv4Address | None = None
    protocol: int | None = None
    dst_ports: tuple[int, int] | None = None


@dataclass(frozen=True)
class Blocked:
    """Why one candidate path delivers nothing: the components that block it, and in words."""

    path: tuple[str, ...]
    components: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"path": list(self.path), "components": list(self.components), "reason": self.reason}


@dataclass(frozen=True)
class Answer:
    verdict: str
    witness: Trace | None
    blocked_by: tuple[Blocked, ...]
    reason: str
    paths: int
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"verdict": self.verdict, "witness": self.witness.to_json() if self.witness is not None else None,
                "blocked_by": [blocked.to_json() for blocked in self.blocked_by], "reason": self.reason,
                "paths": self.paths, "warnings": list(self.warnings)}


def sources(snapshot: Snapshot, node: str, src_ip: IPv4Address | None) -> tuple[Interface | None, ...]:
    """The interfaces that may send the packet (None: the internet)."""
    if node == INTERNET:
        if src_ip is not None and not is_public(src_ip):
            raise UserError(f"--src-ip {src_ip}: not a public address, so no packet from the internet has it")
        return (None,)
    if node.startswith("i-") and node in snapshot.instances:
        own = [snapshot.interfaces[name] for name in snapshot.instances[node]]
    elif node.startswith("eni-") and node in snapshot.interfaces:
        own = [snapshot.interfaces[node]]
    else:
        raise UserError(f"--from {node}: no such instance (i-...) or network interface (eni-...) in "
                        f"{snapshot.source}; reachable starts at one of those or at internet")
    if src_ip is not None:
        holding = [interface for interface in own if src_ip in interface.private_ips]
        return tuple(holding or own[:1])  # as trace picks the interface that sends
    addressed: list[Interface | None] = [interface for interface in own if interface.private_ips]
    if not addressed:
        raise UserError(f"--from {node}: the snapshot gives it no IPv4 address; give --src-ip")
    return tuple(addressed)


def senders(snapshot: Snapshot, node: str, src_ip: IPv4Address | None) -> tuple[Interface | str | None, ...]:
    """`sources`, and what `reachable` also starts from: a gateway the packets enter through (an internet
    gateway, from every public address; a virtual private gateway, from every address outside its VPCs) and
    a subnet (every interface in it that sends as a host does)."""
    if node.startswith(("igw-", "vgw-")):
        known = snapshot.internet_gateways if node.startswith("igw-") else snapshot.vpn_gateways
        if node not in known:
            raise UserError(f"--from {node}: no such gateway in {snapshot.source}")
        if node.startswith("igw-") and src_ip is not None and not is_public(src_ip):
            raise UserError(f"--src-ip {src_ip}: not a public address, so no packet from the internet has it")
        return (node,)
    if not node.startswith("subnet-"):
        return sources(snapshot, node, src_ip)
    if node not in snapshot.subnets:
        raise UserError(f"--from {node}: no such subnet in {snapshot.source}")
    hosts = [i for i in snapshot.interfaces.values()
             if i.subnet_id == node and i.kind == "interface" and i.private_ips
             and (src_ip is None or src_ip in i.private_ips)]
    if not hosts:
        held = f" holds {src_ip}" if src_ip is not None else " has an IPv4 address"
        raise UserError(f"--from {node}: no network interface in it{held}")
    return tuple(hosts)


def goal(snapshot: Snapshot, text: str) -> Goal:
    """Where the packet must arrive: a node's addresses, a subnet's CIDR, or an address or CIDR."""
    if text.startswith(("i-", "eni-")):
        names = snapshot.instances.get(text) if text.startswith("i-") else (
            (text,) if text in snapshot.interfaces else None)
        if not names:
            raise UserError(f"--to {text}: no such instance or network interface in {snapshot.source}")
        held = [value for name in names for interface in [snapshot.interfaces[name]]
                for value in (*interface.private_ips, *(public for _, public in interface.public_ips))]
        if not held:
            raise UserError(f"--to {text}: the snapshot gives it no IPv4 address")
        held += [value for node in _fronting(snapshot, text, held)
                 for value in (*node.private_ips, *(public for _, public in node.public_ips))]
        return Goal(tuple(IPv4Network(value) for value in dict.fromkeys(held)), interfaces=frozenset(names))
    if text.startswith("subnet-"):
        subnet = snapshot.subnets.get(text)
        if subnet is None:
            raise UserError(f"--to {text}: no such subnet in {snapshot.source}")
        return Goal((subnet.cidr,), subnet=text)
    try:
        return Goal((IPv4Network(text),), exits=True)
    except ValueError:
        raise UserError(f"--to {text}: not an instance, network interface, subnet, IPv4 address or CIDR "
                        "(host bits must be zero)") from None


def _fronting(snapshot: Snapshot, target: str, held: list[IPv4Address]) -> list[Interface]:
    """The interfaces of the load balancers with a target group that registers `target` (an instance by its
    id, an interface by an address it holds): a packet addressed to one of them may be forwarded to it."""
    ids = {target, *map(str, held)}
    arns = {arn for group in snapshot.target_groups.values() if any(t.id in ids for t in group.targets or ())
            for arn in group.balancer_arns}
    keys = {balancer.key for balancer in snapshot.load_balancers.values() if balancer.arn in arns}
    return [node for node in snapshot.interfaces.values()
            if node.description.startswith("ELB ") and node.description[4:] in keys]


def constraints(snapshot: Snapshot, question: Question, packet: Packet,
                source: Interface | str | None) -> tuple[Step, ...]:
    """What the question says about the packet, as steps no blocker is named after."""
    if question.src_ip is not None:
        src = packet.src == encode.address(question.src_ip)
    elif source is None or (isinstance(source, str) and source.startswith("igw-")):
        src = encode.public(packet.src)
    elif isinstance(source, str):  # from the VPN side: any address outside the VPCs the gateway serves
        src = z3.Not(z3.Or([within(packet.src, cidr) for cidr in _served(snapshot, source)]))
    else:
        src = encode.one_of(packet.src, source.private_ips)
    dst = z3.Or([within(packet.dst, cidr) for cidr in question.goal.destinations])
    tcp_or_udp = z3.Or(packet.protocol == TCP, packet.protocol == UDP)
    if question.protocol is not None:
        protocol = packet.protocol == question.protocol
    else:
        protocol = tcp_or_udp if question.dst_ports is not None else z3.BoolVal(True)
    low, high = question.dst_ports or (1, 65535)
    ports = z3.Implies(tcp_or_udp, z3.And(z3.UGE(packet.dst_port, low), z3.ULE(packet.dst_port, high),
                                          z3.UGE(packet.src_port, 1024)))
    return tuple(Step("question", "question", text, formula) for text, formula in (
        ("its source", src), ("its destination", dst), ("its protocol", protocol), ("its ports", ports)))


def answer(snapshot: Snapshot, question: Question) -> Answer:
    packet = Packet.fresh()
    unknown: list[str] = []
    blocked: list[Blocked] = []
    count = 0
    for source in question.sources:
        steps = constraints(snapshot, question, packet, source)
        for path in Walk(snapshot, packet, question.goal, source).paths(steps):
            solver = z3.Solver()
            solver.add(*[step.formula for step in path.steps if step.kind != "filter"])
            if solver.check() == z3.unsat:
                continue  # no packet the question allows takes this way: not a candidate path
            count += 1
            filters = {f"f{index}": step for index, step in enumerate(s for s in path.steps if s.kind == "filter")}
            for name, step in filters.items():
                solver.assert_and_track(step.formula, z3.Bool(name))
            verdict = solver.check()
            if verdict == z3.unsat:
                core = [filters[str(name)] for name in solver.unsat_core()]
                components = [step.component for step in core]
                reasons = [_blocks(snapshot, step) for step in core]
                if path.end == "dead" and path.blocker:  # it also ends short of the destination
                    components.append(path.blocker)
                    reasons.append(path.reason)
                blocked.append(Blocked(path.hops, tuple(dict.fromkeys(components)), "; ".join(reasons)))
            elif verdict != z3.sat:
                unknown.append(f"z3 answers {verdict} along {' > '.join(path.hops)}")
            elif path.end == "dead":
                blocked.append(Blocked(path.hops, (path.blocker,) if path.blocker else (), path.reason))
            else:
                replayed = trace(snapshot, source, flow(typical(solver, packet), packet), nodes(snapshot, question.goal))
                if confirmed(snapshot, question.goal, replayed):
                    return Answer("reachable", replayed, (), _why(path, replayed), count, snapshot.warnings)
                unknown.append(path.reason if path.end == "unknown" else
                               f"a packet the encoding delivers along {' > '.join(path.hops)} is "
                               f"{replayed.disposition} in trace ({replayed.reason}): not reported")
    if unknown:
        return Answer("unknown", None, tuple(dict.fromkeys(blocked)), unknown[0], count, snapshot.warnings)
    return Answer("unreachable", None, tuple(dict.fromkeys(blocked)),
                  f"no packet the question allows is delivered: z3 proves each of the {count} candidate paths "
                  "blocked or ending elsewhere", count, snapshot.warnings)


def nodes(snapshot: Snapshot, goal: Goal) -> frozenset[str]:
    """The nodes (as `trace` names them) the question's destination is: where a load balancer may pick
    among targets, `trace` shows the path to one of these."""
    return frozenset(snapshot.interfaces[name].node for name in goal.interfaces or ())


def _served(snapshot: Snapshot, gateway: str) -> list[IPv4Network]:
    """The CIDRs of the VPCs a virtual private gateway is attached to."""
    return [cidr for vpc in sorted(snapshot.vpn_gateways[gateway].vpc_ids) if vpc in snapshot.vpcs
            for cidr in snapshot.vpcs[vpc].cidrs]


def typical(solver: z3.Solver, packet: Packet) -> z3.ModelRef:
    """A model of `solver` (satisfiable) whose packet looks like one a host sends, where the constraints
    allow it: the source port `trace` assumes by default (49152, the first ephemeral port) and, for ICMP,
    an echo request (type 8, code 0)."""
    solver.push()
    solver.add(packet.src_port == 49152, z3.Implies(packet.protocol == ICMP, z3.And(
        packet.icmp_type == 8, packet.icmp_code == 0)))
    model = solver.model() if solver.check() == z3.sat else None
    solver.pop()
    if model is None:
        solver.check()
        model = solver.model()
    return model


def flow(model: z3.ModelRef, packet: Packet) -> Flow:
    def value(term: z3.BitVecRef) -> int:
        return model.eval(term, model_completion=True).as_long()  # type: ignore[union-attr, no-any-return]

    protocol = value(packet.protocol)
    src, dst = IPv4Address(value(packet.src)), IPv4Address(value(packet.dst))
    if protocol in (TCP, UDP):
        return Flow(src, dst, protocol, src_port=value(packet.src_port), dst_port=value(packet.dst_port))
    if protocol == ICMP:
        return Flow(src, dst, protocol, icmp_type=value(packet.icmp_type), icmp_code=value(packet.icmp_code))
    return Flow(src, dst, protocol)


def confirmed(snapshot: Snapshot, goal: Goal, replayed: Trace) -> bool:
    """`trace` delivers the packet where the question wants it (it names an interface by its instance; a load
    balancer's interface is reached when the balancer forwards the packet to a target that accepts it)."""
    if replayed.disposition == "exits-network":
        return goal.exits
    if replayed.disposition != "accepted":
        return False
    passed = {hop for hop in replayed.hops if ":loadbalancer/" in hop}
    if passed and (goal.interfaces is not None or goal.subnet is not None):
        asked = ([snapshot.interfaces[name] for name in goal.interfaces] if goal.interfaces is not None else
                 [node for node in snapshot.interfaces.values() if node.subnet_id == goal.subnet])
        if passed & {balancer.arn for node in asked if node.description.startswith("ELB ")
                     for balancer in [snapshot.load_balancers.get(node.description[4:])] if balancer is not None}:
            return True  # the balancer asked for forwarded it to a target that accepts it
    if goal.interfaces is not None and replayed.hops[-1] not in {snapshot.interfaces[name].node
                                                                 for name in goal.interfaces}:
        return False
    return goal.subnet is None or (len(replayed.hops) > 1 and replayed.hops[-2] == goal.subnet)


def _why(path: Path, replayed: Trace) -> str:
    return f"{path.reason}; trace confirms the packet {replayed.disposition}"


def _blocks(snapshot: Snapshot, step: Step) -> str:
    """A filter in words, with the rules that decide it where that helps: "sg-1 (ingress ...) admits only"."""
    group = snapshot.security_groups.get(step.component)
    if group is None or "rules of" not in step.text:
        return f"{step.text} drops these packets"
    ingress = "ingress" in step.text
    shown = [_rule(rule.protocol, rule.ports, ("from " if ingress else "to ")
                   + ", ".join([*map(str, rule.cidrs), *rule.prefix_lists, *rule.group_ids]))
             for rule in (group.ingress if ingress else group.egress)]
    return f"{step.text} admit {'; '.join(shown) if shown else 'nothing'}, none of these packets"


def _rule(protocol: int | None, ports: PortRange | None, peers: str) -> str:
    name = {None: "all", TCP: "tcp", UDP: "udp", ICMP: "icmp"}.get(protocol, str(protocol))
    if ports is None or protocol not in (TCP, UDP):
        return f"{name} {peers}"
    return f"{name}/{ports.low}{'' if ports.low == ports.high else f'-{ports.high}'} {peers}"
