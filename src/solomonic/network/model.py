"""What an AWS network snapshot says, as data: the parsed form every part of `solomonic.network` shares.

`build` makes it from the AWS CLI's JSON; the concrete evaluator (`trace`) reads it, and so will the z3
encoding of issue 31's `reachable`, `exposure` and `compare` questions. The two must share only these types,
never matching code, so the model holds facts and no semantics: addresses and CIDRs as `ipaddress` values,
protocols as IP protocol numbers (`None` for "all"), port and ICMP ranges as written (`-1` for "all" where
AWS writes it). Each element keeps its `Origin` (file and JSON pointer) so that findings and errors can point
at the rule a user has to change. Everything is IPv4: an IPv6-only rule or route is kept out (its `cidr` is
None) because no IPv4 packet can match it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network


@dataclass(frozen=True)
class Origin:
    """Where an element was read: the snapshot file and a JSON pointer (RFC 6901) into it."""

    file: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.file}: {self.pointer or '/'}"


@dataclass(frozen=True)
class Vpc:
    id: str
    cidrs: tuple[IPv4Network, ...]  # the primary CIDR and the associated ones
    origin: Origin


@dataclass(frozen=True)
class Subnet:
    """A subnet; `zone` is its Availability Zone (its id, which names one zone in every account, where the
    snapshot gives it), "" when unknown."""

    id: str
    vpc_id: str
    cidr: IPv4Network
    zone: str
    origin: Origin


@dataclass(frozen=True)
class Route:
    """One IPv4 route: a destination CIDR or a prefix list's CIDRs, and where it sends the packet.

    `target` is `"local"` or the id of what the route names (`igw-`, `nat-`, `pcx-`, `tgw-`, `vgw-`, `vpce-`,
    `eni-`, ...); `propagated` says it came from a virtual private gateway (`EnableVgwRoutePropagation`)."""

    destination: IPv4Network | None
    prefix_list: str | None
    target: str
    blackhole: bool
    propagated: bool
    origin: Origin


@dataclass(frozen=True)
class RouteTable:
    """A route table and what it is associated with: subnets explicitly, its VPC as the main table, and
    gateways (an edge association, the table that routes what enters through that gateway)."""

    id: str
    vpc_id: str
    routes: tuple[Route, ...]
    subnet_ids: frozenset[str]
    main: bool
    gateway_ids: frozenset[str]
    origin: Origin


@dataclass(frozen=True)
class InternetGateway:
    id: str
    vpc_ids: frozenset[str]  # attached VPCs (state available or attached)
    origin: Origin


@dataclass(frozen=True)
class NatGateway:
    """A NAT gateway in its subnet: `private_ip` is the source it gives the packets it forwards, `public_ip`
    the Elastic IP an internet gateway translates that to (None for a private NAT gateway)."""

    id: str
    subnet_id: str
    vpc_id: str
    state: str
    interface_id: str | None
    private_ip: IPv4Address | None
    public_ip: IPv4Address | None
    origin: Origin


@dataclass(frozen=True)
class PortRange:
    """Inclusive bounds as AWS writes them: ports for TCP and UDP; for ICMP, `low` is the type and `high`
    the code, -1 meaning any."""

    low: int
    high: int


@dataclass(frozen=True)
class SecurityGroupRule:
    """One `IpPermissions` entry: a protocol (None = all), its port range or ICMP type/code (None = all), and
    the peers it admits, by IPv4 CIDR, prefix list or referenced security group."""

    protocol: int | None
    ports: PortRange | None
    cidrs: tuple[IPv4Network, ...]
    prefix_lists: tuple[str, ...]
    group_ids: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class SecurityGroup:
    id: str
    vpc_id: str
    ingress: tuple[SecurityGroupRule, ...]
    egress: tuple[SecurityGroupRule, ...]
    origin: Origin


@dataclass(frozen=True)
class AclEntry:
    """One network ACL rule. `cidr` None: an IPv6 rule, which no IPv4 packet matches. `ports` applies to
    TCP and UDP (the destination port, both ways), `icmp` (type, code; -1 any) to ICMP."""

    number: int
    egress: bool
    allow: bool
    protocol: int | None
    cidr: IPv4Network | None
    ports: PortRange | None
    icmp: PortRange | None
    origin: Origin


@dataclass(frozen=True)
class NetworkAcl:
    id: str
    vpc_id: str
    default: bool
    subnet_ids: frozenset[str]
    entries: tuple[AclEntry, ...]
    origin: Origin


@dataclass(frozen=True)
class Interface:
    """A network interface: its private addresses (the primary first), the public address (an automatic
    public IP or an Elastic IP) that an internet gateway maps to each private one, its security groups, and
    what it is (`kind` is `InterfaceType`: `interface` for an instance's or a database's, `nat_gateway`,
    `network_load_balancer`, `vpc_endpoint`, ...; `description` tells an application or classic load
    balancer's interfaces, of type `interface` too, by its `ELB ` prefix)."""

    id: str
    subnet_id: str
    vpc_id: str
    private_ips: tuple[IPv4Address, ...]
    public_ips: tuple[tuple[IPv4Address, IPv4Address], ...]  # (private, public) pairs
    group_ids: tuple[str, ...]
    kind: str
    description: str
    instance_id: str | None
    device_index: int | None
    source_dest_check: bool
    origin: Origin

    def public_for(self, private: IPv4Address) -> IPv4Address | None:
        return next((public for own, public in self.public_ips if own == private), None)

    def private_for(self, public: IPv4Address) -> IPv4Address | None:
        return next((own for own, mapped in self.public_ips if mapped == public), None)

    @property
    def node(self) -> str:
        """The id a path names it by: its instance's, when it has one."""
        return self.instance_id or self.id


@dataclass(frozen=True)
class Peering:
    """A VPC peering connection; each side's CIDRs as the connection lists them (they tell where a peer VPC
    outside the snapshot ends)."""

    id: str
    requester_vpc: str
    accepter_vpc: str
    requester_cidrs: tuple[IPv4Network, ...]
    accepter_cidrs: tuple[IPv4Network, ...]
    status: str
    origin: Origin


@dataclass(frozen=True)
class VpcEndpoint:
    """A VPC endpoint: `kind` is `Gateway` (a route to the service's prefix list hands packets to the service),
    `Interface` or `GatewayLoadBalancer` (interfaces in the VPC's subnets, `interface_ids`); `state` in lower
    case."""

    id: str
    vpc_id: str
    kind: str
    service: str
    state: str
    origin: Origin
    interface_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class VpnGateway:
    """A virtual private gateway and the VPCs it is attached to."""

    id: str
    vpc_ids: frozenset[str]
    state: str
    origin: Origin


@dataclass(frozen=True)
class VpnConnection:
    """A Site-to-Site VPN connection of a virtual private gateway (or a transit gateway). `static_routes` are
    the connection's static routes in effect; a connection that is not `static_only` learns routes by BGP,
    which no snapshot holds: `accepted_routes` is what its tunnels' telemetry reports accepted in all (None
    without telemetry)."""

    id: str
    vpn_gateway_id: str | None
    state: str
    static_only: bool
    static_routes: tuple[IPv4Network, ...]
    accepted_routes: int | None
    origin: Origin


@dataclass(frozen=True)
class TransitGateway:
    """A transit gateway; `group_references` says security-group referencing is enabled on it."""

    id: str
    state: str
    group_references: bool
    origin: Origin


@dataclass(frozen=True)
class TransitGatewayAttachment:
    """An attachment of a transit gateway to a resource (`resource_type` vpc, vpn, peering, ...), the route
    table it is associated with (None: none, or not in the snapshot), and for a VPC the subnets the gateway
    has an interface in (one per Availability Zone) and its options."""

    id: str
    transit_gateway_id: str
    resource_type: str
    resource_id: str
    state: str
    route_table_id: str | None
    subnet_ids: tuple[str, ...]
    appliance_mode: bool
    group_references: bool
    origin: Origin


@dataclass(frozen=True)
class TransitGatewayRoute:
    """A route of a transit gateway route table: a destination CIDR or prefix list, the attachments it sends
    to (several: equal-cost multipath; none for a blackhole), and whether it is static or propagated."""

    destination: IPv4Network | None
    prefix_list: str | None
    attachment_ids: tuple[str, ...]
    blackhole: bool
    static: bool
    origin: Origin


@dataclass(frozen=True)
class TransitGatewayRouteTable:
    """A transit gateway route table: its routes as search-transit-gateway-routes lists them (None when the
    snapshot lacks them) and the attachments that propagate into it (None likewise)."""

    id: str
    transit_gateway_id: str
    routes: tuple[TransitGatewayRoute, ...] | None
    propagations: tuple[str, ...] | None
    origin: Origin


@dataclass(frozen=True)
class Listener:
    """A load balancer's listener: the IP protocol it accepts (TCP, UDP), its port, and its default action:
    `action` as AWS names it (`forward`, `redirect`, `fixed-response`, ...; the last action, after any
    authentication) and, for `forward`, the ARNs of the target groups it forwards to."""

    protocol: int
    port: int
    action: str
    target_groups: tuple[str, ...]


@dataclass(frozen=True)
class LoadBalancer:
    """An application, network or gateway load balancer (`kind`), known to its interfaces by `key`, the
    `app/NAME/ID` tail of its ARN that their description repeats (`ELB app/NAME/ID`); `listeners` None when
    the snapshot does not give them; `cross_zone` its `load_balancing.cross_zone.enabled` attribute (None
    when the snapshot does not give its attributes)."""

    arn: str
    key: str
    kind: str
    listeners: tuple[Listener, ...] | None
    origin: Origin
    cross_zone: bool | None = None


@dataclass(frozen=True)
class Target:
    """A target registered with a target group: an instance id or an IP address (`id`), the port it
    receives on, its Availability Zone as registered ("all": an IP outside the VPC, reached from every
    zone; "" when not given) and its health state (`healthy`, `unhealthy`, `unused`, `draining`, ...)."""

    id: str
    port: int
    zone: str
    state: str
    origin: Origin


@dataclass(frozen=True)
class TargetGroup:
    """A target group: the IP protocols its targets receive, its port, its `target_type` (`instance`, `ip`,
    `lambda`, `alb`), its `protocol_name` as AWS writes it (it decides an NLB's client IP preservation) and
    its targets (None when the snapshot lacks LoadBalancerTargetHealth.json's entry for it)."""

    arn: str
    protocol_name: str
    port: int | None
    target_type: str
    balancer_arns: tuple[str, ...]
    targets: tuple[Target, ...] | None
    origin: Origin


@dataclass(frozen=True)
class PrefixList:
    """A prefix list; `cidrs` None when the snapshot names it without its entries."""

    id: str
    name: str
    cidrs: tuple[IPv4Network, ...] | None
    origin: Origin


@dataclass(frozen=True)
class Snapshot:
    """A whole snapshot, every resource by id. `present` lists the top-level keys whose files were read, so
    that a missing resource can be told apart from a missing file; `warnings` is what the reader wants a
    user to know."""

    source: str
    vpcs: dict[str, Vpc] = field(default_factory=dict)
    subnets: dict[str, Subnet] = field(default_factory=dict)
    route_tables: dict[str, RouteTable] = field(default_factory=dict)
    internet_gateways: dict[str, InternetGateway] = field(default_factory=dict)
    nat_gateways: dict[str, NatGateway] = field(default_factory=dict)
    security_groups: dict[str, SecurityGroup] = field(default_factory=dict)
    network_acls: dict[str, NetworkAcl] = field(default_factory=dict)
    interfaces: dict[str, Interface] = field(default_factory=dict)
    instances: dict[str, tuple[str, ...]] = field(default_factory=dict)  # instance -> its interfaces, by device
    peerings: dict[str, Peering] = field(default_factory=dict)
    prefix_lists: dict[str, PrefixList] = field(default_factory=dict)
    endpoints: dict[str, VpcEndpoint] = field(default_factory=dict)
    vpn_gateways: dict[str, VpnGateway] = field(default_factory=dict)
    vpn_connections: dict[str, VpnConnection] = field(default_factory=dict)
    transit_gateways: dict[str, TransitGateway] = field(default_factory=dict)
    transit_attachments: dict[str, TransitGatewayAttachment] = field(default_factory=dict)
    transit_route_tables: dict[str, TransitGatewayRouteTable] = field(default_factory=dict)
    load_balancers: dict[str, LoadBalancer] = field(default_factory=dict)  # by key (`app/NAME/ID`)
    target_groups: dict[str, TargetGroup] = field(default_factory=dict)  # by ARN
    # who holds an address: (VPC, private address) and public address -> interface id (`build` fills them)
    private_addresses: dict[tuple[str, IPv4Address], str] = field(default_factory=dict)
    public_addresses: dict[IPv4Address, str] = field(default_factory=dict)
    present: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    """One IPv4 packet as it leaves its source: ports for TCP (6) and UDP (17), ICMP type and code for
    ICMP (1); the fields a protocol does not have are None."""

    src_ip: IPv4Address
    dst_ip: IPv4Address
    protocol: int
    src_port: int | None = None
    dst_port: int | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"src_ip": str(self.src_ip), "dst_ip": str(self.dst_ip), "protocol": self.protocol,
                "src_port": self.src_port, "dst_port": self.dst_port,
                "icmp_type": self.icmp_type, "icmp_code": self.icmp_code}


# IP protocol numbers of the names AWS writes in rules and the command line takes
PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}
TCP, UDP, ICMP = 6, 17, 1
INTERNET = "internet"  # the node every public address outside the snapshot stands for
# the IPv4 blocks the internet does not route (IANA special-purpose registry: private use (RFC 1918), shared
# address space, loopback, link local, "this network", protocol assignments, benchmarking, multicast, reserved).
# The documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are left public on purpose: AWS's
# own documentation uses them as public and Elastic IP addresses, and so do examples written after it.
NOT_ROUTED_ON_INTERNET = tuple(IPv4Network(block) for block in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4"))


def is_public(address: IPv4Address) -> bool:
    """Whether the internet routes `address`."""
    return not any(address in block for block in NOT_ROUTED_ON_INTERNET)
