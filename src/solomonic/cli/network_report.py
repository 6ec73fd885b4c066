"""`solomonic network` answers as text a person can act on (the JSON form is `result.Trace.to_json`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from solomonic.network.model import Flow
from solomonic.network.result import Trace

if TYPE_CHECKING:
    from solomonic.network.exposure import Exposed, Finding
    from solomonic.network.reachable import Answer

_PROTOCOLS = {6: "tcp", 17: "udp", 1: "icmp"}


def packet_text(flow: Flow) -> str:
    name = _PROTOCOLS.get(flow.protocol, f"protocol {flow.protocol}")
    if flow.dst_port is not None:
        return f"{name} {flow.src_ip}:{flow.src_port} -> {flow.dst_ip}:{flow.dst_port}"
    if flow.icmp_type is not None:
        return f"{name} type {flow.icmp_type} code {flow.icmp_code} {flow.src_ip} -> {flow.dst_ip}"
    return f"{name} {flow.src_ip} -> {flow.dst_ip}"


def trace_text(source: str, answer: Trace) -> str:
    lines = [f"{source}: {packet_text(answer.flow)}: {answer.disposition.upper()}",
             f"  path: {' > '.join(answer.hops) or '(none)'}"]
    if answer.blocked_by is not None:
        lines.append(f"  blocked by: {answer.blocked_by}")
    lines.append(f"  why: {answer.reason}")
    lines.extend(f"  assuming: {assumption}" for assumption in answer.assumptions)
    return "\n".join(lines)


def reachable_text(source: str, destination: str, answer: Answer) -> str:
    lines = [f"{source} -> {destination}: {answer.verdict.upper()} ({answer.paths} candidate paths)",
             f"  why: {answer.reason}"]
    if answer.witness is not None:
        lines.append(f"  witness: {packet_text(answer.witness.flow)}")
        lines.append(f"    path: {' > '.join(answer.witness.hops)}")
    for blocked in answer.blocked_by:
        lines.append(f"  blocked: {' > '.join(blocked.path)}: {blocked.reason}")
    return "\n".join(lines)


def exposed_text(exposed: Exposed) -> str:
    if exposed.low is not None:
        name = _PROTOCOLS[exposed.protocol]
        return f"{name}/{exposed.low}" + ("" if exposed.low == exposed.high else f"-{exposed.high}")
    if exposed.protocol == exposed.last:
        return _PROTOCOLS.get(exposed.protocol, f"protocol {exposed.protocol}")
    return f"protocols {exposed.protocol}-{exposed.last}"


def exposure_text(findings: list[Finding]) -> str:
    if not findings:
        return "nothing in the snapshot is reachable from the internet"
    lines = []
    for finding in findings:
        interface = finding.interface
        addresses = ", ".join([*map(str, interface.private_ips), *(str(p) for _, p in interface.public_ips)])
        named = f"{interface.node} ({interface.id}: {addresses})"
        lines.append(f"{named}: {', '.join(map(exposed_text, finding.exposed)) or 'nothing known'}")
        lines.extend(f"  witness for {exposed_text(e)}: {packet_text(e.witness.flow)}" for e in finding.exposed)
        lines.extend(f"  unknown: {reason}" for reason in finding.unknown)
    return "\n".join(lines)
