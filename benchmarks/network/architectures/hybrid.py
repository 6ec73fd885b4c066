"""Hybrid and multi-account networks: a store VPC on static Site-to-Site VPN routes (one connection deleted),
a factory VPC on Direct Connect through a virtual private gateway (routes propagated, no VPN connection), a
peering across two accounts with a security-group reference to the peer, and a VPC shared with another
account through AWS RAM."""

from __future__ import annotations

from pathlib import Path

from aws import Account, route, rule, tcp, udp, write_accounts
from questions import Architecture, reachable, trace

PROPAGATED = "EnableVgwRoutePropagation"


def store(folder: Path) -> None:
    (Account().vpc("vpc-0store", "10.15.0.0/16").subnet("subnet-0pos", "vpc-0store", "10.15.1.0/24")
     .vpn_gateway("vgw-0store", "vpc-0store").customer_gateway("cgw-0hq", "198.51.100.10")
     .vpn_connection("vpn-0hq", "vgw-0store", "cgw-0hq", "10.100.0.0/16", "10.101.0.0/16")
     .route_table("rtb-0pos", "vpc-0store", route("10.100.0.0/16", "vgw-0store", origin=PROPAGATED),
                  route("10.101.0.0/16", "vgw-0store", origin=PROPAGATED), route("10.102.0.0/16", "vgw-0store"),
                  subnets=("subnet-0pos",))
     .propagate("rtb-0pos", "vgw-0store")
     .security_group("sg-0pos", "vpc-0store", tcp(22, "10.100.0.0/16"), tcp(8443, "10.101.0.0/16"),
                     egress=(tcp(443, "10.0.0.0/8"), udp(53, "10.100.0.2/32")))
     .instance("i-0pos", "subnet-0pos", "vpc-0store", "10.15.1.10", groups=("sg-0pos",))
     .write(folder))
    # the backup connection was deleted; describe-vpn-connections still lists it for a while
    path = folder / "VpnConnections.json"
    text = path.read_text().replace('"VpnConnections": [', '"VpnConnections": [\n  {"CustomerGatewayId": '
                                    '"cgw-0hq", "State": "deleted", "Type": "ipsec.1", "VpnConnectionId": "vpn-0backup", '
                                    '"VpnGatewayId": "vgw-0store", "Options": {"StaticRoutesOnly": true}, "Routes": '
                                    '[{"DestinationCidrBlock": "10.102.0.0/16", "Source": "Static", "State": "deleted"}]},')
    path.write_text(text)


STORE_OUT = "i-0pos subnet-0pos vpc-0store vgw-0store"
STORE = Architecture("vpn-static-routes", (
    "A store's VPC with no internet access: its table has the headquarters' networks 10.100.0.0/16 and "
    "10.101.0.0/16 propagated from the virtual private gateway (vpn-0hq is static, with those two routes), and a "
    "static route 10.102.0.0/16 to the gateway left from a backup connection that was deleted."), store, [
    trace("i-0pos", "10.100.5.5", "--dst-port 443", "exits-network", STORE_OUT, None,
          "Propagated route to vgw-0store; vpn-0hq's static route 10.100.0.0/16 carries it."),
    trace("i-0pos", "10.101.5.5", "--dst-port 443", "exits-network", STORE_OUT, None, "vpn-0hq's second route."),
    trace("i-0pos", "10.100.0.2", "--protocol udp --dst-port 53", "exits-network", STORE_OUT, None,
          "The DNS egress rule names 10.100.0.2/32."),
    trace("i-0pos", "10.100.0.3", "--protocol udp --dst-port 53", "denied-out", "i-0pos", "sg-0pos",
          "The UDP egress rule names one host."),
    trace("i-0pos", "10.102.1.1", "--dst-port 443", "no-route", STORE_OUT, "vgw-0store",
          "The route reaches the gateway, but vpn-0backup is deleted and vpn-0hq has no route to 10.102.0.0/16."),
    trace("i-0pos", "10.103.0.1", "--dst-port 443", "no-route", "i-0pos subnet-0pos vpc-0store", "rtb-0pos",
          "No route holds it."),
    trace("vgw-0store", "10.15.1.10", "--src-ip 10.100.7.7 --dst-port 22", "accepted",
          "vgw-0store vpc-0store subnet-0pos i-0pos", None, "From headquarters: sg-0pos admits SSH from 10.100.0.0/16."),
    trace("vgw-0store", "10.15.1.10", "--src-ip 10.101.7.7 --dst-port 22", "denied-in",
          "vgw-0store vpc-0store subnet-0pos i-0pos", "sg-0pos", "10.101.0.0/16 gets 8443 only."),
    trace("vgw-0store", "10.15.1.10", "--src-ip 10.101.7.7 --dst-port 8443", "accepted",
          "vgw-0store vpc-0store subnet-0pos i-0pos", None, "The 8443 rule."),
    trace("vgw-0store", "10.16.0.5", "--src-ip 10.100.7.7 --dst-port 22", "no-route", "vgw-0store vpc-0store",
          "vgw-0store", "A gateway delivers only into its VPC's CIDR."),
    reachable("i-0pos", "10.100.0.0/16", "--protocol tcp --dst-port 443", "reachable", STORE_OUT, why="Over the VPN."),
    reachable("i-0pos", "10.102.0.0/16", "--protocol tcp --dst-port 443", "unreachable", None, ("vgw-0store",),
              "Only the deleted connection covered it."),
    reachable("vgw-0store", "i-0pos", "--protocol tcp --dst-port 22", "reachable", "vgw-0store vpc-0store subnet-0pos i-0pos",
              why="From headquarters (10.100.0.0/16), outside the VPC."),
    reachable("vgw-0store", "i-0pos", "--protocol tcp --dst-port 3389", "unreachable", None, ("sg-0pos",),
              "sg-0pos admits 22 and 8443 only."),
])


def factory(folder: Path) -> None:
    (Account().vpc("vpc-0factory", "10.16.0.0/16").subnet("subnet-0plc", "vpc-0factory", "10.16.1.0/24")
     .vpn_gateway("vgw-0factory", "vpc-0factory", asn=64600)
     .route_table("rtb-0plc", "vpc-0factory", route("10.200.0.0/16", "vgw-0factory", origin=PROPAGATED),
                  route("10.210.0.0/16", "vgw-0factory"), subnets=("subnet-0plc",))
     .propagate("rtb-0plc", "vgw-0factory")
     .security_group("sg-0plc", "vpc-0factory", tcp(502, "10.200.0.0/16"))
     .instance("i-0plc", "subnet-0plc", "vpc-0factory", "10.16.1.10", groups=("sg-0plc",))
     .write(folder))
    (folder / "VpnConnections.json").write_text('{"VpnConnections": []}\n')


FACTORY = Architecture("direct-connect-vgw", (
    "A factory VPC connected to the plant by AWS Direct Connect: a private virtual interface ends on the virtual "
    "private gateway, which has no VPN connection; route propagation is on, and the gateway's BGP-learned network "
    "10.200.0.0/16 appears in the table as a propagated route. A static route sends 10.210.0.0/16 to the gateway "
    "too, which learned no such route."), factory, [
    trace("i-0plc", "10.200.1.1", "--dst-port 502", "exits-network", "i-0plc subnet-0plc vpc-0factory vgw-0factory",
          None, "A route propagated from the gateway exists only because the gateway has it (learned over Direct "
                "Connect): the packet leaves for the plant."),
    trace("i-0plc", "10.210.1.1", "--dst-port 502", "no-route", "i-0plc subnet-0plc vpc-0factory vgw-0factory",
          "vgw-0factory", "The gateway propagates every route it has into this table and none covers 10.210.1.1, "
                          "so it has no route: the packet is dropped there."),
    trace("vgw-0factory", "10.16.1.10", "--src-ip 10.200.3.3 --dst-port 502", "accepted",
          "vgw-0factory vpc-0factory subnet-0plc i-0plc", None, "sg-0plc admits Modbus (502) from the plant."),
    trace("vgw-0factory", "10.16.1.10", "--src-ip 10.200.3.3 --dst-port 22", "denied-in",
          "vgw-0factory vpc-0factory subnet-0plc i-0plc", "sg-0plc", "502 only."),
    reachable("i-0plc", "10.200.0.0/16", "--protocol tcp --dst-port 502", "reachable",
              "i-0plc subnet-0plc vpc-0factory vgw-0factory", why="The propagated route."),
    reachable("vgw-0factory", "i-0plc", "--protocol tcp --dst-port 502", "reachable",
              "vgw-0factory vpc-0factory subnet-0plc i-0plc", why="From the plant."),
    reachable("vgw-0factory", "i-0plc", "--protocol tcp --dst-port 22", "unreachable", None, ("sg-0plc",),
              "Only Modbus is admitted."),
])


def cross_account(folder: Path) -> None:
    app, data = Account("111122223333"), Account("444455556666")
    app.vpc("vpc-0app", "10.40.0.0/16").subnet("subnet-0app", "vpc-0app", "10.40.1.0/24") \
        .routes("rtb-main-vpc-0app", route("10.41.0.0/16", "pcx-0x")) \
        .peering("pcx-0x", ("vpc-0app", app.owner, ("10.40.0.0/16",)), ("vpc-0data", data.owner, ("10.41.0.0/16",))) \
        .security_group("sg-0app", "vpc-0app", tcp(443, "10.41.0.0/16")) \
        .instance("i-0app", "subnet-0app", "vpc-0app", "10.40.1.10", groups=("sg-0app",)) \
        .instance("i-0other", "subnet-0app", "vpc-0app", "10.40.1.20", groups=("sg-0app",))
    app.find("Reservations", "ReservationId", app.files["Reservations"][1]["ReservationId"])["Instances"][0][
        "SecurityGroups"] = [{"GroupId": "sg-0app", "GroupName": "app"}]
    data.vpc("vpc-0data", "10.41.0.0/16").subnet("subnet-0data", "vpc-0data", "10.41.1.0/24") \
        .routes("rtb-main-vpc-0data", route("10.40.1.10/32", "pcx-0x")) \
        .peering("pcx-0x", ("vpc-0app", app.owner, ("10.40.0.0/16",)), ("vpc-0data", data.owner, ("10.41.0.0/16",))) \
        .security_group("sg-0data", "vpc-0data", tcp(5432, groups=("sg-0app",), owner=app.owner),
                        rule("icmp", (-1, -1), "10.40.0.0/16")) \
        .interface("eni-0data", "subnet-0data", "vpc-0data", "10.41.1.10", groups=("sg-0data",),
                   description="RDSNetworkInterface", managed=True)
    write_accounts(folder, app, data)


X_TO_DATA = "i-0app subnet-0app vpc-0app pcx-0x vpc-0data subnet-0data eni-0data"
CROSS_ACCOUNT = Architecture("peering-cross-account", (
    "Two accounts in the `accounts/ACCOUNT/REGION/` layout, each describing the peering between them: the app "
    "account's VPC routes the data VPC's CIDR to the peering; the data account routes back only to one app server "
    "(10.40.1.10/32). The database's group admits 5432 from the app account's group (a reference across the "
    "peering, written with the other account's id) and ICMP from the app VPC."), cross_account, [
    trace("i-0app", "10.41.1.10", "--dst-port 5432", "accepted", X_TO_DATA, None,
          "sg-0data admits members of sg-0app, which peering allows to be referenced across accounts."),
    trace("i-0app", "10.41.1.10", "--dst-port 3306", "denied-in", X_TO_DATA, "sg-0data", "5432 and ICMP only."),
    trace("i-0other", "10.41.1.10", "--protocol icmp", "accepted",
          "i-0other subnet-0app vpc-0app pcx-0x vpc-0data subnet-0data eni-0data", None,
          "One way: the ICMP rule admits the app VPC (the data VPC would route the reply to 10.40.1.20 nowhere)."),
    trace("eni-0data", "10.40.1.20", "--protocol icmp", "no-route", "eni-0data subnet-0data vpc-0data",
          "rtb-main-vpc-0data", "The data VPC routes only 10.40.1.10/32 to the peering."),
    trace("eni-0data", "10.40.1.10", "--dst-port 443", "accepted",
          "eni-0data subnet-0data vpc-0data pcx-0x vpc-0app subnet-0app i-0app", None,
          "The /32 route; sg-0app admits 443 from the data VPC."),
    trace("i-0app", "10.42.0.1", "--dst-port 443", "no-route", "i-0app subnet-0app vpc-0app", "rtb-main-vpc-0app",
          "Nothing routes 10.42.0.0/16."),
    reachable("i-0app", "eni-0data", "--protocol tcp --dst-port 5432", "reachable", X_TO_DATA, why="As designed."),
    reachable("eni-0data", "i-0other", "", "unreachable", None, ("rtb-main-vpc-0data",), "No route back."),
])


def shared_vpc(folder: Path) -> None:
    owner, team = Account("111122223333"), Account("777788889999")
    for account in (owner, team):
        account.vpc("vpc-0shared", "10.60.0.0/16") \
            .subnet("subnet-0web", "vpc-0shared", "10.60.1.0/24", public=True) \
            .subnet("subnet-0svc", "vpc-0shared", "10.60.2.0/24")
        for item in (*account.files["Vpcs"], *account.files["Subnets"], *account.files["NetworkAcls"],
                     *account.files["RouteTables"]):
            item["OwnerId"] = owner.owner  # AWS RAM: the participant sees the owner's VPC and subnets
    owner.internet_gateway("igw-0shared", "vpc-0shared") \
        .routes("rtb-main-vpc-0shared", route("0.0.0.0/0", "igw-0shared")) \
        .route_table("rtb-0svc", "vpc-0shared", subnets=("subnet-0svc",))
    team.files["RouteTables"].clear()
    team.files["NetworkAcls"].clear()
    team.security_group("sg-0team-web", "vpc-0shared", tcp(443, "0.0.0.0/0")) \
        .security_group("sg-0team-svc", "vpc-0shared", tcp(8080, groups=("sg-0team-web",))) \
        .instance("i-0team-web", "subnet-0web", "vpc-0shared", "10.60.1.10", groups=("sg-0team-web",),
                  public="54.216.0.10") \
        .instance("i-0team-svc", "subnet-0svc", "vpc-0shared", "10.60.2.10", groups=("sg-0team-svc",))
    write_accounts(folder, owner, team)


SHARED = Architecture("shared-vpc-ram", (
    "A VPC shared through AWS RAM: the owner account (111122223333) holds the VPC, its subnets, route tables, ACLs "
    "and internet gateway; the participant (777788889999) sees the same VPC and subnets in its own describe calls "
    "and runs its instances and groups in them. Both accounts' responses are in the snapshot."), shared_vpc, [
    trace("internet", "54.216.0.10", "--src-ip 8.8.8.8 --dst-port 443", "accepted",
          "internet igw-0shared vpc-0shared subnet-0web i-0team-web", None,
          "The owner's gateway and main table serve the participant's instance."),
    trace("i-0team-web", "10.60.2.10", "--dst-port 8080", "accepted",
          "i-0team-web subnet-0web vpc-0shared subnet-0svc i-0team-svc", None, "The participant's own group reference."),
    trace("i-0team-svc", "8.8.8.8", "--dst-port 443", "no-route", "i-0team-svc subnet-0svc vpc-0shared", "rtb-0svc",
          "The owner gave the service subnet a table with the local route only."),
    trace("internet", "54.216.0.10", "--src-ip 8.8.8.8 --dst-port 8080", "denied-in",
          "internet igw-0shared vpc-0shared subnet-0web i-0team-web", "sg-0team-web", "443 only."),
    reachable("internet", "i-0team-svc", "--protocol tcp --dst-port 8080", "unreachable", None,
              ("internet", "sg-0team-svc"), "No public address."),
])


ARCHITECTURES = [STORE, FACTORY, CROSS_ACCOUNT, SHARED]
