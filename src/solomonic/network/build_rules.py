"""Security groups and network ACLs: their JSON (describe-security-groups, describe-network-acls) -> the model.

Protocols become IP protocol numbers (`-1` -> None, all); `tcp`, `udp`, `icmp`, `icmpv6` and their numbers
are the same protocol, as AWS treats them. Port ranges stay as written; where a protocol has no ports the
range is dropped, because AWS ignores it there ("Security group rules": for a protocol other than TCP, UDP
and ICMP every port is allowed "regardless of any port range you specify").
"""

from __future__ import annotations

from solomonic.network.fields import Fields
from solomonic.network.model import (
    ICMP,
    PROTOCOL_NUMBERS,
    TCP,
    UDP,
    AclEntry,
    NetworkAcl,
    PortRange,
    SecurityGroup,
    SecurityGroupRule,
)


def protocol(fields: Fields, key: str) -> int | None:
    """The IP protocol number of `fields[key]`, None for `-1` (every protocol)."""
    text = fields.text(key).lower()
    if text in ("-1", "all"):
        return None
    if text in PROTOCOL_NUMBERS:
        return PROTOCOL_NUMBERS[text]
    if text.isdigit() and int(text) <= 255:
        return int(text)
    raise fields.error(key, f"not an IP protocol (a name, a number 0-255 or -1): {text!r}")


def security_group(fields: Fields) -> SecurityGroup:
    return SecurityGroup(fields.text("GroupId"), fields.text("VpcId"),
                         tuple(_permission(rule) for rule in fields.objects("IpPermissions")),
                         tuple(_permission(rule) for rule in fields.objects("IpPermissionsEgress")),
                         fields.origin)


def _permission(fields: Fields) -> SecurityGroupRule:
    number = protocol(fields, "IpProtocol")
    ports = None
    if number in (TCP, UDP, ICMP):
        low, high = fields.optional_integer("FromPort"), fields.optional_integer("ToPort")
        if number == ICMP:  # FromPort is the ICMP type, ToPort the code; -1 or absent: any
            ports = PortRange(-1 if low is None else low, -1 if high is None else high)
        elif low is None or high is None:
            raise fields.error("FromPort" if low is None else "ToPort",
                               "a TCP or UDP rule needs FromPort and ToPort")
        elif not 0 <= low <= high <= 65535:
            raise fields.error("FromPort", f"not a port range: {low}-{high}")
        else:
            ports = PortRange(low, high)
    return SecurityGroupRule(
        number, ports,
        tuple(peer.cidr("CidrIp") for peer in fields.objects("IpRanges")),
        tuple(peer.text("PrefixListId") for peer in fields.objects("PrefixListIds")),
        tuple(peer.text("GroupId") for peer in fields.objects("UserIdGroupPairs")),
        fields.origin)


def network_acl(fields: Fields) -> NetworkAcl:
    return NetworkAcl(fields.text("NetworkAclId"), fields.text("VpcId"), fields.flag("IsDefault", False),
                      frozenset(association.text("SubnetId") for association in fields.objects("Associations")),
                      tuple(sorted((_entry(entry) for entry in fields.objects("Entries")),
                                   key=lambda entry: entry.number)),
                      fields.origin)


def _entry(fields: Fields) -> AclEntry:
    number = fields.integer("RuleNumber")
    action = fields.text("RuleAction")
    if action not in ("allow", "deny"):
        raise fields.error("RuleAction", f"expected allow or deny, found {action!r}")
    proto = protocol(fields, "Protocol")
    ports = icmp = None
    if proto in (TCP, UDP):
        port_range = fields.child("PortRange")
        if port_range is None:
            raise fields.error("PortRange", "a TCP or UDP entry needs its PortRange")
        ports = PortRange(port_range.integer("From"), port_range.integer("To"))
    elif proto == ICMP:
        type_code = fields.child("IcmpTypeCode")
        if type_code is None:
            raise fields.error("IcmpTypeCode", "an ICMP entry needs its IcmpTypeCode")
        icmp = PortRange(type_code.integer("Type"), type_code.integer("Code"))
    if not fields.has("CidrBlock") and not fields.has("Ipv6CidrBlock"):
        raise fields.error("CidrBlock", "an entry needs a CidrBlock or an Ipv6CidrBlock")
    cidr = fields.cidr("CidrBlock") if fields.has("CidrBlock") else None
    return AclEntry(number, fields.flag("Egress", False), action == "allow", proto, cidr, ports, icmp, fields.origin)
