"""Which route a subnet's router picks for one destination address, as AWS documents it.

"Route tables" and "Route priority": a subnet uses the route table explicitly associated with it, else its
VPC's main route table. Of the routes whose destination holds the address, the most specific wins (longest
prefix match); a prefix-list route matches through each CIDR of its list. Between routes of the same length,
a static route wins over a prefix-list route, and both win over a route propagated from a virtual private
gateway. Two routes still tied with different targets are not ordered by the documentation: Undecided.

The local route is an ordinary route here: a more specific route (to a middlebox) wins over it, as AWS
allows since 2021. Traffic between two addresses of one subnet does not consult the route table at all;
`trace` delivers it before asking.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from solomonic.network.model import Route, RouteTable, Snapshot, Subnet
from solomonic.network.undecided import Undecided


def route_table(snapshot: Snapshot, subnet: Subnet) -> RouteTable:
    """The table `subnet` routes by: its explicit association, else its VPC's main table."""
    main = None
    for table in snapshot.route_tables.values():
        if subnet.id in table.subnet_ids:
            return table
        if table.main and table.vpc_id == subnet.vpc_id:
            main = table
    if main is None:
        raise Undecided(f"no route table of {subnet.id} is in the snapshot"
                        + ("" if "RouteTables" in snapshot.present else " (RouteTables.json is missing)"))
    return main


def _rank(route: Route) -> int:
    """Precedence between routes of equal length: lower wins."""
    if route.propagated:
        return 2
    return 1 if route.prefix_list is not None else 0


def _length(snapshot: Snapshot, route: Route, address: IPv4Address) -> int | None:
    """The prefix length by which `route` matches `address`, None when it does not."""
    if route.destination is not None:
        return route.destination.prefixlen if address in route.destination else None
    assert route.prefix_list is not None
    listed = snapshot.prefix_lists.get(route.prefix_list)
    if listed is None or listed.cidrs is None:
        raise Undecided(f"{route.origin}: the route's destination is the prefix list {route.prefix_list}, whose "
                        "CIDRs are not in the snapshot")
    lengths = [cidr.prefixlen for cidr in listed.cidrs if address in cidr]
    return max(lengths) if lengths else None


def best_route(snapshot: Snapshot, table: RouteTable, address: IPv4Address) -> Route | None:
    """The route `table` sends `address` by, or None when no route holds it."""
    matches = []
    for route in table.routes:
        length = _length(snapshot, route, address)
        if length is not None:
            matches.append((-length, _rank(route), route))
    if not matches:
        return None
    matches.sort(key=lambda match: match[:2])
    best = matches[0]
    tied = [route for length, rank, route in matches if (length, rank) == best[:2]]
    if len({(route.target, route.blackhole) for route in tied}) > 1:
        raise Undecided(f"{table.id}: routes of equal precedence send {address} to "
                        f"{' and '.join(sorted({route.target for route in tied}))}")
    return best[2]
