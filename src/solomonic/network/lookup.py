"""The facts a candidate path looks up in a snapshot, for the symbolic walk (`paths`): which network ACL and
route table a subnet uses (its explicit association, else its VPC's default ACL or main table), and who
holds each private address a security-group reference can name (the source's VPC and those peered with it,
actively: "Update your security groups to reference peer security groups"). Apart from the evaluator's
`rules` and `routing`, as the rest of the encoding."""

from __future__ import annotations

from ipaddress import IPv4Address

from solomonic.network.model import Interface, NetworkAcl, RouteTable, Snapshot, Subnet


def network_acl(snapshot: Snapshot, subnet: Subnet) -> NetworkAcl | None:
    own = [acl for acl in snapshot.network_acls.values() if subnet.id in acl.subnet_ids]
    default = [acl for acl in snapshot.network_acls.values() if acl.default and acl.vpc_id == subnet.vpc_id]
    return next(iter(own or default), None)


def route_table(snapshot: Snapshot, subnet: Subnet) -> RouteTable | None:
    own = [table for table in snapshot.route_tables.values() if subnet.id in table.subnet_ids]
    main = [table for table in snapshot.route_tables.values() if table.main and table.vpc_id == subnet.vpc_id]
    return next(iter(own or main), None)


class Holders:
    """Who holds each private address near a VPC, computed once per set of VPCs."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._near: dict[frozenset[str], dict[IPv4Address, Interface]] = {}

    def near(self, vpc_id: str) -> dict[IPv4Address, Interface]:
        """The interface holding each private address of `vpc_id` and its active peers, the first VPC (by
        id) winning where two hold one address."""
        vpcs = {vpc_id}
        for peering in self.snapshot.peerings.values():
            if peering.status == "active" and vpc_id in (peering.requester_vpc, peering.accepter_vpc):
                vpcs |= {peering.requester_vpc, peering.accepter_vpc}
        key = frozenset(vpcs)
        if key not in self._near:
            found: dict[IPv4Address, tuple[str, str]] = {}
            for (vpc, value), name in self.snapshot.private_addresses.items():
                if vpc in vpcs and (value not in found or vpc < found[value][0]):
                    found[value] = (vpc, name)
            self._near[key] = {value: self.snapshot.interfaces[name] for value, (_, name) in found.items()}
        return self._near[key]
