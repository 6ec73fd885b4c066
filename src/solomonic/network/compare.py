"""`solomonic network compare`: the packets one snapshot delivers and the other does not (issue 31).

Each snapshot's candidate paths for the same question are walked over the *same* symbolic packet
(`paths.Walk`; the encoding has no other constants, so a path is a quantifier-free formula over the packet's
fields). A snapshot delivers the packet by one of its `delivered` paths, may deliver it by one of its
`unknown` paths, and does not deliver it otherwise. For one direction, A over B, the question is one z3 query
over the pair of path sets:

    the question allows the packet in both  and  A delivers it  and  not (B delivers it or may)

A model is a candidate witness; it is believed only when `trace` (the concrete evaluator, written apart from
the encoding) delivers the packet in A where the question wants it and, on B, gives it a decided fate that is
not that. When that query is unsatisfiable, a second one lets in A's unknown paths and B's possible
deliveries; unsatisfiable too, z3 has proved that no packet the question allows is delivered by A and not by
B. Each side is walked once per source and destination; where both give structurally the same formulas
and neither has an unknown path, they deliver the same packets and no query is asked (most destinations a
change does not touch). A packet of the second query that `trace` shows to be a difference is a witness all the same; otherwise the
direction stays unknown, with the reason of the path the encoding cannot decide.

Without `--to` every instance and bare interface present in both snapshots is a destination; without `--from`
the packets come from the internet ("does my change open anything new to the internet?"). A source interface
or destination present in one snapshot only is said in `warnings`, not compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address

import z3

from solomonic.errors import UserError
from solomonic.network.destinations import Goal
from solomonic.network.encode import Packet
from solomonic.network.model import INTERNET, Flow, Interface, Snapshot
from solomonic.network.paths import Walk
from solomonic.network.reachable import Question, confirmed, constraints, flow, goal, nodes, typical
from solomonic.network.reachable import senders as reachable_senders
from solomonic.network.result import Trace
from solomonic.network.steps import Path
from solomonic.network.trace import trace

VERDICTS = ("equivalent", "a-delivers-more", "b-delivers-more", "both-deliver-more", "unknown")


@dataclass(frozen=True)
class Side:
    """One snapshot's view of the question: its sending interface (None: the internet; a gateway's id: what
    enters through it) and destination."""

    snapshot: Snapshot
    source: Interface | str | None
    goal: Goal


@dataclass(frozen=True)
class Difference:
    """A packet `delivered` shows delivered in one snapshot, and `elsewhere` its fate in the other."""

    delivered: Trace
    elsewhere: Trace


@dataclass
class Answer:
    verdict: str = "equivalent"
    a_not_b: Difference | None = None
    b_not_a: Difference | None = None
    reason: str = ""
    questions: int = 0
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        def shown(found: Difference | None, key: str) -> dict[str, object]:
            return {key: found.delivered.to_json() if found else None,
                    f"{key}_other": found.elsewhere.to_json() if found else None}

        return {"verdict": self.verdict, **shown(self.a_not_b, "a_not_b"), **shown(self.b_not_a, "b_not_a"),
                "reason": self.reason, "questions": self.questions, "warnings": self.warnings}


def compare(old: Snapshot, new: Snapshot, source: str | None, destination: str | None,
            src_ip: IPv4Address | None = None, protocol: int | None = None,
            dst_ports: tuple[int, int] | None = None) -> Answer:
    """Compare what OLD (A) and NEW (B) deliver over every packet the question allows."""
    result = Answer(warnings=[*old.warnings, *new.warnings])
    undecided: dict[str, str] = {}
    packet = Packet.fresh()
    for a, b in _sides(old, new, source or INTERNET, destination, src_ip, result.warnings):
        result.questions += 1
        walked = {id(side): _walk(packet, side, (src_ip, protocol, dst_ports)) for side in (a, b)}
        if walked[id(a)].same(walked[id(b)]):
            continue  # one formula, the same packets delivered: no difference, and no query needed
        for key, deliverer, other in (("a_not_b", a, b), ("b_not_a", b, a)):
            if getattr(result, key) is not None:
                continue
            found = _direction(packet, deliverer, other, walked[id(deliverer)], walked[id(other)])
            if isinstance(found, Difference):
                setattr(result, key, found)
            elif found is not None:
                undecided.setdefault(key, found)
    a_more, b_more = result.a_not_b is not None, result.b_not_a is not None
    still = {key: why for key, why in undecided.items() if getattr(result, key) is None}
    if still:
        result.verdict = "unknown"
        result.reason = "; ".join(f"{'OLD over NEW' if key == 'a_not_b' else 'NEW over OLD'}: {why}"
                                  for key, why in still.items())
    else:
        result.verdict = VERDICTS[int(a_more) + 2 * int(b_more)]
        result.reason = ("z3 proves that every packet the question allows is delivered by both or by neither "
                         f"({result.questions} source and destination pairs)" if not (a_more or b_more) else
                         "each witness is delivered by trace in one snapshot and not in the other")
    return result


def _key(sender: Interface | str | None) -> str:
    """What names a sender in both snapshots: its interface id, the gateway's id, or internet."""
    if sender is None:
        return INTERNET
    return sender if isinstance(sender, str) else sender.id


def _sides(old: Snapshot, new: Snapshot, source: str, destination: str | None, src_ip: IPv4Address | None,
           warnings: list[str]) -> Iterator[tuple[Side, Side]]:
    """The (A, B) pairs to compare: each sending interface and destination the two snapshots share."""
    if destination is None:
        shared, once = _nodes(old) & _nodes(new), _nodes(old) ^ _nodes(new)
        destinations = sorted(shared - {source})
        if once:
            warnings.append(f"not compared, in one snapshot only: {', '.join(sorted(once))}")
    else:
        destinations = [destination]
    senders = {}
    for name, snapshot in (("OLD", old), ("NEW", new)):
        try:
            senders[name] = {_key(s): s for s in reachable_senders(snapshot, source, src_ip)}
        except UserError as error:
            raise UserError(f"{name}: {error}") from None
    common = [key for key in senders["OLD"] if key in senders["NEW"]]
    if not common:
        raise UserError(f"--from {source}: its interfaces in OLD and NEW have nothing in common to compare")
    for target in destinations:
        goals = []
        for name, snapshot in (("OLD", old), ("NEW", new)):
            try:
                goals.append(goal(snapshot, target))
            except UserError as error:
                raise UserError(f"{name}: {error}") from None
        for key in common:
            yield Side(old, senders["OLD"][key], goals[0]), Side(new, senders["NEW"][key], goals[1])


def _nodes(snapshot: Snapshot) -> set[str]:
    """The instances and bare interfaces that can be a destination (`goal` accepts them)."""
    return {interface.node for interface in snapshot.interfaces.values()
            if interface.kind == "interface" and interface.private_ips}


@dataclass(frozen=True)
class Walked:
    """One side's candidate paths as formulas over the shared packet: what the question allows, what the
    side delivers, what it may deliver (its unknown paths, kept for their reasons)."""

    asked: z3.BoolRef
    delivers: z3.BoolRef
    may_deliver: z3.BoolRef
    unknown: tuple[Path, ...]

    def same(self, other: Walked) -> bool:
        """Whether both sides are the same formulas (z3 shares equal terms, so this compares structure) with
        no unknown path: then they deliver the same packets and no query is needed. Unknown paths never count
        as the same: what the encoding does not model may differ behind equal formulas."""
        return (not self.unknown and not other.unknown and self.asked.eq(other.asked)
                and self.delivers.eq(other.delivers))


def _walk(packet: Packet, side: Side,
          question: tuple[IPv4Address | None, int | None, tuple[int, int] | None]) -> Walked:
    steps = constraints(side.snapshot, Question((side.source,), side.goal, *question), packet, side.source)
    paths = list(Walk(side.snapshot, packet, side.goal, side.source).paths(steps))

    def union(end: str) -> z3.BoolRef:
        return z3.Or([z3.And([step.formula for step in path.steps]) for path in paths if path.end == end])

    return Walked(z3.And([step.formula for step in steps]), union("delivered"), union("unknown"),
                  tuple(path for path in paths if path.end == "unknown"))


def _direction(packet: Packet, deliverer: Side, other: Side, mine: Walked, theirs: Walked) -> Difference | str | None:
    """A confirmed packet `deliverer` delivers and `other` does not; else why that is undecided (a str); else
    None, when z3 proves there is none."""
    solver = z3.Solver()
    solver.add(mine.asked, theirs.asked, z3.Not(theirs.delivers))
    undecided = None
    for extra in ((mine.delivers, z3.Not(theirs.may_deliver)), (z3.Or(mine.delivers, mine.may_deliver),)):
        solver.push()
        solver.add(*extra)
        verdict = solver.check()
        if verdict == z3.sat:
            model = typical(solver, packet)
            found = _replayed(deliverer, other, flow(model, packet))
            if found is not None:
                return found
            undecided = _why_undecided(model, [*mine.unknown, *theirs.unknown], deliverer, other,
                                       flow(model, packet))
        elif verdict != z3.unsat:
            undecided = f"z3 answers {verdict}"
        solver.pop()
    return undecided


def _replayed(deliverer: Side, other: Side, packet_flow: Flow) -> Difference | None:
    """The difference, if `trace` delivers the packet in `deliverer` and gives it a decided other fate in
    `other`."""
    delivered = trace(deliverer.snapshot, deliverer.source, packet_flow, nodes(deliverer.snapshot, deliverer.goal))
    elsewhere = trace(other.snapshot, other.source, packet_flow, nodes(other.snapshot, other.goal))
    if (confirmed(deliverer.snapshot, deliverer.goal, delivered) and elsewhere.disposition != "unknown"
            and not confirmed(other.snapshot, other.goal, elsewhere)):
        return Difference(delivered, elsewhere)
    return None


def _why_undecided(model: z3.ModelRef, unknown: list[Path], deliverer: Side, other: Side,
                   packet_flow: Flow) -> str:
    for path in unknown:
        if z3.is_true(model.eval(z3.And([step.formula for step in path.steps]), model_completion=True)):
            return path.reason
    shown = trace(deliverer.snapshot, deliverer.source, packet_flow, nodes(deliverer.snapshot, deliverer.goal))
    there = trace(other.snapshot, other.source, packet_flow, nodes(other.snapshot, other.goal))
    return (f"a packet the encoding delivers in one snapshot only is {shown.disposition} there and "
            f"{there.disposition} in the other in trace: not reported")
