"""The packet a `trace` question describes: where it starts and every field of its header.

A question names its source by id (an instance, a network interface) or as `internet`, and may leave out
what a user rarely cares about; each default is stated in the answer's assumptions, since a network ACL
can decide by it: the source address is the interface's primary private address, the source port 49152
(the first of the ephemeral range IANA assigns), an ICMP packet an echo request (type 8, code 0). A field
the protocol does not have (ports of ICMP, ICMP type of TCP) is refused rather than ignored.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from solomonic.errors import UserError
from solomonic.network.model import (
    ICMP,
    INTERNET,
    PROTOCOL_NUMBERS,
    TCP,
    UDP,
    Flow,
    Interface,
    Snapshot,
    is_public,
)

EPHEMERAL_PORT = 49152
ECHO_REQUEST = (8, 0)


def protocol_number(text: str) -> int:
    """A protocol as the command line takes it: a name (tcp, udp, icmp) or a number 0-255."""
    name = text.lower()
    if name in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[name]
    if name.isdigit() and int(name) <= 255:
        return int(name)
    raise ValueError(f"not an IP protocol (tcp, udp, icmp or a number 0-255): {text}")


def source(snapshot: Snapshot, node: str,
           src_ip: IPv4Address | None) -> tuple[Interface | str | None, IPv4Address]:
    """What sends the packet (an interface; a gateway's id; None for the internet) and its source address."""
    if node.startswith(("igw-", "vgw-", "nat-")):
        return _gateway(snapshot, node, src_ip)
    if node == INTERNET:
        if src_ip is None:
            raise UserError("--from internet needs --src-ip, the public address the packet comes from")
        if not is_public(src_ip):
            raise UserError(f"--src-ip {src_ip}: not a public address, so no packet from the internet has it")
        return None, src_ip
    if node.startswith("i-"):
        if node not in snapshot.instances:
            raise UserError(f"--from {node}: no such instance in {snapshot.source}")
        own = [snapshot.interfaces[name] for name in snapshot.instances[node]]
        if not own:
            raise UserError(f"--from {node}: the snapshot lists no network interface of the instance")
        interface = next((i for i in own if src_ip in i.private_ips), own[0])
    elif node.startswith("eni-"):
        if node not in snapshot.interfaces:
            raise UserError(f"--from {node}: no such network interface in {snapshot.source}")
        interface = snapshot.interfaces[node]
    else:
        raise UserError(f"--from {node}: a trace starts at an instance (i-...), a network interface (eni-...), "
                        "a gateway (igw-, vgw-, nat-) or internet")
    if src_ip is None and not interface.private_ips:
        raise UserError(f"--from {node}: {interface.id} has no IPv4 address; give --src-ip")
    return interface, src_ip or interface.private_ips[0]


def flow(src_ip: IPv4Address, dst_ip: IPv4Address, protocol: int, src_port: int | None, dst_port: int | None,
         icmp_type: int | None, icmp_code: int | None) -> tuple[Flow, tuple[str, ...]]:
    """The packet, and the assumptions its defaults make."""
    assumptions = []
    if protocol in (TCP, UDP):
        if icmp_type is not None or icmp_code is not None:
            raise UserError("--icmp-type and --icmp-code belong to --protocol icmp")
        if dst_port is None:
            raise UserError("a TCP or UDP packet needs --dst-port")
        if src_port is None:
            src_port = EPHEMERAL_PORT
            assumptions.append(f"the source port is {EPHEMERAL_PORT} (none was given)")
        return Flow(src_ip, dst_ip, protocol, src_port, dst_port), tuple(assumptions)
    if src_port is not None or dst_port is not None:
        raise UserError("--src-port and --dst-port belong to --protocol tcp or udp")
    if protocol != ICMP:
        if icmp_type is not None or icmp_code is not None:
            raise UserError("--icmp-type and --icmp-code belong to --protocol icmp")
        return Flow(src_ip, dst_ip, protocol), ()
    if icmp_type is None:
        if icmp_code is not None:
            raise UserError("--icmp-code needs --icmp-type")
        icmp_type, icmp_code = ECHO_REQUEST
        assumptions.append("the ICMP packet is an echo request (type 8, code 0; none was given)")
    elif icmp_code is None:
        icmp_code = 0
        assumptions.append("the ICMP code is 0 (none was given)")
    return Flow(src_ip, dst_ip, protocol, icmp_type=icmp_type, icmp_code=icmp_code), tuple(assumptions)


def _gateway(snapshot: Snapshot, node: str, src_ip: IPv4Address | None) -> tuple[str, IPv4Address]:
    """A packet that enters through an internet gateway (from a public address) or a virtual private gateway
    (from the VPN's side; either needs --src-ip), or that a NAT gateway sends (from its own address)."""
    if node.startswith("nat-"):
        nat = snapshot.nat_gateways.get(node)
        if nat is None or nat.private_ip is None:
            raise UserError(f"--from {node}: no such NAT gateway, with its address, in {snapshot.source}")
        if src_ip not in (None, nat.private_ip):
            raise UserError(f"--src-ip {src_ip}: {node} sends from its own address {nat.private_ip} only")
        return node, nat.private_ip
    known = snapshot.internet_gateways if node.startswith("igw-") else snapshot.vpn_gateways
    if node not in known:
        raise UserError(f"--from {node}: no such gateway in {snapshot.source}")
    if src_ip is None:
        raise UserError(f"--from {node} needs --src-ip, the address the packet comes from")
    if node.startswith("igw-") and not is_public(src_ip):
        raise UserError(f"--src-ip {src_ip}: not a public address, so no packet from the internet has it")
    return node, src_ip
