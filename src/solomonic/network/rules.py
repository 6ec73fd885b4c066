"""Security groups and network ACLs deciding one concrete packet, as AWS documents them.

Security groups ("Security group rules", "Security group rules for different use cases") are allow-only
and stateful: a packet passes an interface's groups when any rule of any of them admits it, and the reply of
an admitted connection always passes. Ingress rules are checked where the packet enters the destination
interface, egress rules where it leaves the source interface. A rule admits a packet whose protocol it names
(`-1`: every protocol), whose destination port lies in its range (TCP, UDP) or whose ICMP type and code it
names (-1: any), and whose peer (the source for ingress, the destination for egress) lies in one of its
CIDRs, in one of its prefix lists, or is a network interface in one of its referenced groups. A reference
admits traffic "based on the private IP addresses of the network interfaces associated with the source
security group (and not the public IP or Elastic IP addresses)": the peer interface must be known and the
address seen must be one of its private ones.

Network ACLs ("Network ACLs", "Network ACL rules") are stateless and per subnet: the rules of the direction
are evaluated in ascending rule number and the first that matches the packet decides; when none matches, the
packet is denied (the `*` rule). The port range is the destination port in both directions. A subnet not
explicitly associated with an ACL uses its VPC's default ACL.

Nothing here imports z3: this is the concrete side the symbolic encoding will be checked against.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from solomonic.network.model import (
    ICMP,
    TCP,
    UDP,
    AclEntry,
    Flow,
    Interface,
    NetworkAcl,
    PortRange,
    SecurityGroupRule,
    Snapshot,
    Subnet,
)
from solomonic.network.undecided import Undecided


def _icmp_matches(type_code: PortRange, flow: Flow) -> bool:
    """ICMP type `low` and code `high`, -1 any (an any-type rule admits every code)."""
    if type_code.low == -1:
        return True
    return type_code.low == flow.icmp_type and type_code.high in (-1, flow.icmp_code)


def _ports_match(protocol: int | None, ports: PortRange | None, flow: Flow) -> bool:
    if protocol is not None and protocol != flow.protocol:
        return False
    if protocol is None or ports is None:
        return True
    if protocol in (TCP, UDP):
        return flow.dst_port is not None and ports.low <= flow.dst_port <= ports.high
    return protocol != ICMP or _icmp_matches(ports, flow)


def _peer_matches(snapshot: Snapshot, rule: SecurityGroupRule, address: IPv4Address,
                  peer: Interface | None) -> bool:
    """Whether the peer at `address` (the interface `peer` when it is one in the snapshot) is one the rule
    names; Undecided when that depends on a prefix list the snapshot lacks."""
    if any(address in cidr for cidr in rule.cidrs):
        return True
    if peer is not None and address in peer.private_ips and set(rule.group_ids) & set(peer.group_ids):
        return True
    for name in rule.prefix_lists:
        listed = snapshot.prefix_lists.get(name)
        if listed is None or listed.cidrs is None:
            raise Undecided(f"{rule.origin}: the rule names the prefix list {name}, whose CIDRs are not in the "
                            "snapshot")
        if any(address in cidr for cidr in listed.cidrs):
            return True
    return False


def security_groups_block(snapshot: Snapshot, interface: Interface, flow: Flow, ingress: bool,
                          peer: Interface | None) -> str | None:
    """None when one of `interface`'s groups admits `flow` (ingress: arriving; else leaving), else the id of
    the group that blocks it (the first, for an interface with several). Undecided when the decision depends
    on a group or prefix list the snapshot lacks."""
    address = flow.src_ip if ingress else flow.dst_ip
    undecided: list[str] = []
    for name in interface.group_ids:
        group = snapshot.security_groups.get(name)
        if group is None:
            undecided.append(f"{interface.id} is in the security group {name}, which is not in the snapshot")
            continue
        for rule in group.ingress if ingress else group.egress:
            if not _ports_match(rule.protocol, rule.ports, flow):
                continue
            try:
                if _peer_matches(snapshot, rule, address, peer):
                    return None
            except Undecided as why:
                undecided.append(str(why))
    if undecided:
        raise Undecided(undecided[0])
    return interface.group_ids[0] if interface.group_ids else interface.id


def network_acl(snapshot: Snapshot, subnet: Subnet) -> NetworkAcl:
    """The ACL of `subnet`: the one associated with it, else its VPC's default ACL."""
    default = None
    for acl in snapshot.network_acls.values():
        if subnet.id in acl.subnet_ids:
            return acl
        if acl.default and acl.vpc_id == subnet.vpc_id:
            default = acl
    if default is None:
        raise Undecided(f"no network ACL of {subnet.id} is in the snapshot"
                        + ("" if "NetworkAcls" in snapshot.present else " (NetworkAcls.json is missing)"))
    return default


def acl_decides(acl: NetworkAcl, flow: Flow, egress: bool) -> AclEntry | None:
    """The entry of `acl` that decides `flow` in its direction (egress: leaving the subnet, matched on the
    destination address; else entering, on the source), or None when none matches (the default deny)."""
    address = flow.dst_ip if egress else flow.src_ip
    for entry in acl.entries:
        if entry.egress != egress or entry.cidr is None or address not in entry.cidr:
            continue
        if entry.protocol is not None and entry.protocol != flow.protocol:
            continue
        if entry.protocol in (TCP, UDP) and not _ports_match(entry.protocol, entry.ports, flow):
            continue
        if entry.protocol == ICMP and entry.icmp is not None and not _icmp_matches(entry.icmp, flow):
            continue
        return entry
    return None
