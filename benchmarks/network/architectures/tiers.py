"""Multi-tier applications: a three-tier web shop behind an application load balancer, a UDP game service
behind a network load balancer (without security groups), both in front of private targets, and a Kafka cluster whose groups reference each
other and themselves."""

from __future__ import annotations

from pathlib import Path

from aws import Account, balancer_arn, balancer_description, entry, everything, route, tcp, udp
from questions import Architecture, reachable, trace

ALB_ARN = balancer_arn("web-alb", "app")
NLB_ARN = balancer_arn("game-nlb", "net")


def three_tier(folder: Path) -> None:
    db_acl = [entry(100, "allow", "10.8.10.0/23", protocol="6", ports=(5432, 5432)),
              entry(100, "allow", "10.8.10.0/23", out=True, protocol="6", ports=(1024, 65535))]
    (Account().vpc("vpc-0shop3", "10.8.0.0/16")
     .subnet("subnet-0lb-a", "vpc-0shop3", "10.8.0.0/24", "a", public=True)
     .subnet("subnet-0lb-b", "vpc-0shop3", "10.8.1.0/24", "b", public=True)
     .security_group("sg-0alb", "vpc-0shop3", tcp(443, "0.0.0.0/0"), tcp(80, "0.0.0.0/0"))
     .load_balancer("web-alb", "app", "vpc-0shop3", "internet-facing", ("subnet-0lb-a", "subnet-0lb-b"), ("sg-0alb",),
                    ("HTTPS", 443, "web-app"))
     .subnet("subnet-0app-a", "vpc-0shop3", "10.8.10.0/24", "a").subnet("subnet-0app-b", "vpc-0shop3", "10.8.11.0/24", "b")
     .subnet("subnet-0db-a", "vpc-0shop3", "10.8.20.0/24", "a").subnet("subnet-0db-b", "vpc-0shop3", "10.8.21.0/24", "b")
     .internet_gateway("igw-0shop3", "vpc-0shop3")
     .nat_gateway("nat-0shop3", "subnet-0lb-a", "vpc-0shop3", "10.8.0.100", "52.48.0.100")
     .route_table("rtb-0public", "vpc-0shop3", route("0.0.0.0/0", "igw-0shop3"), subnets=("subnet-0lb-a", "subnet-0lb-b"))
     .route_table("rtb-0app", "vpc-0shop3", route("0.0.0.0/0", "nat-0shop3"), subnets=("subnet-0app-a", "subnet-0app-b"))
     .acl("acl-0db", "vpc-0shop3", *db_acl, subnets=("subnet-0db-a", "subnet-0db-b"))
     .security_group("sg-0app", "vpc-0shop3", tcp(8080, groups=("sg-0alb",)))
     .security_group("sg-0db", "vpc-0shop3", tcp(5432, groups=("sg-0app",)), egress=())
     .interface("eni-0alb-a", "subnet-0lb-a", "vpc-0shop3", "10.8.0.20", groups=("sg-0alb",), public="52.48.0.20",
                description=balancer_description(ALB_ARN), managed=True)
     .interface("eni-0alb-b", "subnet-0lb-b", "vpc-0shop3", "10.8.1.20", groups=("sg-0alb",), public="52.48.1.20",
                description=balancer_description(ALB_ARN), managed=True)
     .instance("i-0app-a", "subnet-0app-a", "vpc-0shop3", "10.8.10.10", groups=("sg-0app",), kind="c6i.large")
     .instance("i-0app-b", "subnet-0app-b", "vpc-0shop3", "10.8.11.10", groups=("sg-0app",), kind="c6i.large")
     .target_group("web-app", "HTTP", 8080, "vpc-0shop3", ALB_ARN, ("i-0app-a", "healthy"), ("i-0app-b", "healthy"))
     .interface("eni-0db-a", "subnet-0db-a", "vpc-0shop3", "10.8.20.10", groups=("sg-0db",),
                description="RDSNetworkInterface", managed=True)
     .interface("eni-0db-b", "subnet-0db-b", "vpc-0shop3", "10.8.21.10", groups=("sg-0db",),
                description="RDSNetworkInterface", managed=True)
     .write(folder))


ALB_IN = f"internet igw-0shop3 vpc-0shop3 subnet-0lb-a {ALB_ARN}"
ALB_IN_B = f"internet igw-0shop3 vpc-0shop3 subnet-0lb-b {ALB_ARN}"
THREE_TIER = Architecture("three-tier-alb", (
    "The three-tier web application of AWS's reference architectures, in two Availability Zones: an internet-facing "
    "application load balancer in the public subnets (its group admits 80 and 443; it listens on HTTPS 443 only), "
    "app servers in private subnets admitting 8080 from the load balancer's group and leaving through one NAT "
    "gateway, and a PostgreSQL primary and standby in database subnets whose network ACL admits 5432 from the app "
    "subnets only. The HTTPS listener's default action forwards to the target group web-app (HTTP 8080: both app "
    "servers, healthy). An ALB load-balances across zones always, sends from its node's own address, and goes "
    "out through its group's egress rules (all traffic, as AWS creates them)."),
    three_tier, [
    trace("internet", "52.48.0.20", "--src-ip 8.8.8.8 --dst-port 443", "accepted",
          f"{ALB_IN} subnet-0lb-a vpc-0shop3 subnet-0app-a i-0app-a", None,
          "sg-0alb admits 443 and the HTTPS listener takes it; its default action forwards to web-app, whose "
          "targets the node in zone a may both pick (cross-zone is always on for an ALB): the first registered, "
          "i-0app-a, receives 8080 from 10.8.0.20 (the node's address) by the local route, and sg-0app admits "
          "8080 from members of sg-0alb."),
    trace("internet", "52.48.1.20", "--src-ip 8.8.8.8 --dst-port 443", "accepted",
          f"{ALB_IN_B} subnet-0lb-b vpc-0shop3 subnet-0app-a i-0app-a", None,
          "The node in zone b forwards across zones to i-0app-a in zone a (an ALB always may), from 10.8.1.20, "
          "also a member of sg-0alb."),
    trace("i-0app-a", "10.8.0.20", "--dst-port 443", "accepted",
          f"i-0app-a subnet-0app-a vpc-0shop3 subnet-0lb-a {ALB_ARN} subnet-0lb-a vpc-0shop3 subnet-0app-a i-0app-a",
          None, "From inside too: sg-0alb admits 443 from 0.0.0.0/0, and the balancer may send it back to the "
          "app server that asked (a hairpin), which admits 8080 from the balancer's group."),
    trace("internet", "52.48.0.20", "--src-ip 8.8.8.8 --dst-port 80", "denied-in", ALB_IN, ALB_ARN,
          "sg-0alb admits 80, but the load balancer has no listener on port 80."),
    trace("internet", "52.48.0.20", "--src-ip 8.8.8.8 --dst-port 8443", "denied-in", ALB_IN, "sg-0alb",
          "sg-0alb admits 80 and 443 only."),
    trace("eni-0alb-a", "10.8.10.10", "--dst-port 8080", "accepted",
          "eni-0alb-a subnet-0lb-a vpc-0shop3 subnet-0app-a i-0app-a", None,
          "What the load balancer sends its targets: sg-0app admits 8080 from members of sg-0alb."),
    trace("eni-0alb-b", "10.8.20.10", "--dst-port 5432", "denied-in", "eni-0alb-b subnet-0lb-b vpc-0shop3 subnet-0db-a",
          "acl-0db", "acl-0db admits 5432 from 10.8.10.0/23 only; 10.8.1.20 is outside it."),
    trace("i-0app-b", "10.8.20.10", "--dst-port 5432", "accepted", "i-0app-b subnet-0app-b vpc-0shop3 subnet-0db-a eni-0db-a",
          None, "10.8.11.10 lies in 10.8.10.0/23; sg-0db admits members of sg-0app."),
    trace("eni-0db-a", "10.8.10.10", "--src-port 5432 --dst-port 45000", "denied-out", "eni-0db-a", "sg-0db",
          "sg-0db has no egress rule (replies to admitted connections aside)."),
    trace("i-0app-a", "10.8.21.10", "--dst-port 22", "denied-in", "i-0app-a subnet-0app-a vpc-0shop3 subnet-0db-b",
          "acl-0db", "acl-0db admits 5432 only."),
    trace("i-0app-b", "8.8.8.8", "--dst-port 443", "exits-network",
          "i-0app-b subnet-0app-b vpc-0shop3 subnet-0lb-a nat-0shop3 subnet-0lb-a vpc-0shop3 igw-0shop3 internet", None,
          "Both app subnets use the NAT gateway in zone a."),
    trace("internet", "10.8.10.10", "--src-ip 8.8.8.8 --dst-port 8080", "no-route", "internet", "internet",
          "A private address."),
    trace("i-0app-a", "10.8.0.20", "--dst-port 8080", "denied-in",
          f"i-0app-a subnet-0app-a vpc-0shop3 subnet-0lb-a {ALB_ARN}", "sg-0alb", "sg-0alb admits 80 and 443 only."),
    reachable("internet", "eni-0db-a", "--protocol tcp --dst-port 5432", "unreachable", None,
              ("internet", "sg-0db", "acl-0db"), "No public address."),
    reachable("i-0app-a", "eni-0db-b", "--protocol tcp --dst-port 5432", "reachable",
              "i-0app-a subnet-0app-a vpc-0shop3 subnet-0db-b eni-0db-b", why="The app tier reaches the standby."),
    reachable("internet", "i-0app-a", "--protocol tcp --dst-port 8080", "unreachable", None,
              ("internet", "sg-0app", "sg-0alb", ALB_ARN),
              "The app server's address is private; through the load balancer, sg-0alb admits 80 and 443 only "
              "(and it listens on 443 only)."),
    reachable("internet", "i-0app-b", "--protocol tcp --dst-port 443", "reachable",
              f"{ALB_IN} subnet-0lb-a vpc-0shop3 subnet-0app-b i-0app-b",
              why="Through the load balancer: either node may pick i-0app-b (cross-zone); the witness is addressed "
                  "to node a's public address, the first the question allows."),
    reachable("internet", "eni-0db-b", "--protocol tcp --dst-port 443", "unreachable", None,
              ("internet", "sg-0db", "acl-0db"),
              "The databases are no target of the load balancer: only their private addresses are asked, which "
              "the internet does not route."),
])


def game(folder: Path) -> None:
    (Account().vpc("vpc-0game", "10.9.0.0/16")
     .subnet("subnet-0edge-a", "vpc-0game", "10.9.0.0/24", "a", public=True)
     .subnet("subnet-0srv-a", "vpc-0game", "10.9.10.0/24", "a")
     .load_balancer("game-nlb", "net", "vpc-0game", "internet-facing", ("subnet-0edge-a",), (),
                    ("UDP", 7777, "game-udp"), ("TCP", 443, "ops-tcp"))
     .balancer_attributes(NLB_ARN, cross_zone=False)
     .internet_gateway("igw-0game", "vpc-0game")
     .route_table("rtb-0edge", "vpc-0game", route("0.0.0.0/0", "igw-0game"), subnets=("subnet-0edge-a",))
     .security_group("sg-0game", "vpc-0game", udp(7777, "0.0.0.0/0"), tcp(22, "10.9.0.0/16"),
                     tcp(8443, "10.9.0.0/16"))
     .interface("eni-0nlb-a", "subnet-0edge-a", "vpc-0game", "10.9.0.30", kind="network_load_balancer", description=balancer_description(NLB_ARN),
                managed=True)
     .elastic_ip("63.33.0.30", "eni-0nlb-a", "10.9.0.30")
     .instance("i-0game", "subnet-0srv-a", "vpc-0game", "10.9.10.10", groups=("sg-0game",), kind="c6gn.xlarge")
     .instance("i-0ops", "subnet-0srv-a", "vpc-0game", "10.9.10.20", groups=("sg-0game",))
     .instance("i-0old", "subnet-0srv-a", "vpc-0game", "10.9.10.30", groups=("sg-0game",))
     .target_group("game-udp", "UDP", 7777, "vpc-0game", NLB_ARN, ("i-0old", "draining"), ("i-0game", "healthy"))
     .target_group("ops-tcp", "TCP", 8443, "vpc-0game", NLB_ARN, ("i-0ops", "healthy"))
     .write(folder))


GAME_IN = f"internet igw-0game vpc-0game subnet-0edge-a {NLB_ARN}"
GAME = Architecture("nlb-udp-service", (
    "A UDP game service behind an internet-facing network load balancer with an Elastic IP and no security group "
    "(cross-zone off): UDP 7777 forwards to the target group game-udp (i-0game; i-0old draining), TCP 443 to "
    "ops-tcp (TCP 8443: i-0ops). The servers, in a private subnet of the same zone without any route out, admit "
    "udp/7777 from anywhere, SSH and tcp/8443 from the VPC. An NLB keeps the client's address for UDP target "
    "groups; for TCP ones that is the group's preserve_client_ip attribute, which describe-target-groups does not "
    "give: answers that depend on it are unknown."), game, [
    trace("internet", "63.33.0.30", "--src-ip 8.8.8.8 --protocol udp --dst-port 7777", "accepted",
          f"{GAME_IN} subnet-0edge-a vpc-0game subnet-0srv-a i-0game", None,
          "The UDP listener forwards to game-udp; i-0old is draining and receives nothing, i-0game is in the node's "
          "zone; the packet keeps 8.8.8.8 as its source (UDP), has no balancer group to leave through, takes the "
          "local route, and sg-0game admits udp/7777 from anywhere."),
    trace("internet", "63.33.0.30", "--src-ip 8.8.8.8 --dst-port 443", "unknown", GAME_IN, None,
          "The TCP listener forwards to ops-tcp (i-0ops, 8443): from the node's address 10.9.0.30 sg-0game admits "
          "it, from the client's 8.8.8.8 it does not, and whether the balancer keeps the client's address is the "
          "target group's preserve_client_ip attribute, not in the snapshot."),
    trace("i-0ops", "10.9.0.30", "--dst-port 443", "accepted",
          f"i-0ops subnet-0srv-a vpc-0game subnet-0edge-a {NLB_ARN} subnet-0edge-a vpc-0game subnet-0srv-a i-0ops",
          None, "From inside the VPC either source is admitted (8443 from 10.9.0.0/16): accepted whichever the "
                "attribute says."),
    trace("internet", "63.33.0.30", "--src-ip 8.8.8.8 --dst-port 8080", "denied-in", GAME_IN, NLB_ARN,
          "No listener on tcp/8080; the load balancer has no security group to check first."),
    trace("internet", "63.33.0.30", "--src-ip 8.8.8.8 --protocol udp --dst-port 7778", "denied-in", GAME_IN, NLB_ARN,
          "No listener on udp/7778."),
    trace("internet", "63.33.0.30", "--src-ip 8.8.8.8 --protocol udp --dst-port 443", "denied-in", GAME_IN, NLB_ARN,
          "The 443 listener is TCP; a UDP packet to 443 has none."),
    trace("internet", "10.9.10.10", "--src-ip 8.8.8.8 --protocol udp --dst-port 7777", "no-route", "internet",
          "internet", "A private address."),
    trace("i-0game", "8.8.8.8", "--protocol udp --dst-port 53", "no-route", "i-0game subnet-0srv-a vpc-0game",
          "rtb-main-vpc-0game", "The servers' subnet uses the main table: the local route only."),
    trace("i-0ops", "10.9.10.10", "--dst-port 22", "accepted", "i-0ops subnet-0srv-a i-0game", None,
          "Within the subnet; sg-0game admits SSH from the VPC."),
    trace("i-0ops", "10.9.10.10", "--protocol udp --dst-port 7777", "accepted", "i-0ops subnet-0srv-a i-0game", None,
          "sg-0game admits udp/7777 from anywhere."),
    trace("i-0ops", "10.9.10.10", "--dst-port 7777", "denied-in", "i-0ops subnet-0srv-a i-0game", "sg-0game",
          "The rule is UDP; a TCP packet to 7777 is not admitted."),
    reachable("internet", "i-0game", "--protocol udp --dst-port 7777", "reachable",
              f"{GAME_IN} subnet-0edge-a vpc-0game subnet-0srv-a i-0game",
              why="Through the load balancer's Elastic IP (the server's own address is private)."),
    reachable("internet", "i-0ops", "--protocol tcp --dst-port 443", "unknown",
              why="Through the TCP listener: delivered only if the balancer does not keep the client's address, "
                  "which the snapshot does not say."),
    reachable("internet", "i-0old", "--protocol udp --dst-port 7777", "unreachable", None, ("internet", "i-0game"),
              "A draining target receives no new flow: what the balancer takes on 7777 goes to i-0game only; and "
              "i-0old's private address is not routed on the internet."),
    reachable("i-0ops", "i-0game", "--protocol tcp --dst-port 22", "reachable", "i-0ops subnet-0srv-a i-0game",
              why="SSH from the VPC."),
])


def cluster(folder: Path) -> None:
    (Account().vpc("vpc-0data", "10.11.0.0/16")
     .subnet("subnet-0k-a", "vpc-0data", "10.11.1.0/24", "a").subnet("subnet-0k-b", "vpc-0data", "10.11.2.0/24", "b")
     .subnet("subnet-0client", "vpc-0data", "10.11.3.0/24", "a")
     .security_group("sg-0kafka", "vpc-0data", everything(groups=("sg-0kafka",)), tcp(9092, groups=("sg-0producer",)))
     .security_group("sg-0zk", "vpc-0data", tcp(2181, groups=("sg-0kafka",)))
     .security_group("sg-0producer", "vpc-0data").security_group("sg-0consumer", "vpc-0data")
     .instance("i-0broker-1", "subnet-0k-a", "vpc-0data", "10.11.1.10", groups=("sg-0kafka",), kind="r6i.large")
     .instance("i-0broker-2", "subnet-0k-b", "vpc-0data", "10.11.2.10", groups=("sg-0kafka",), kind="r6i.large")
     .instance("i-0zk", "subnet-0k-a", "vpc-0data", "10.11.1.20", groups=("sg-0zk",))
     .instance("i-0producer", "subnet-0client", "vpc-0data", "10.11.3.10", groups=("sg-0producer",))
     .instance("i-0consumer", "subnet-0client", "vpc-0data", "10.11.3.20", groups=("sg-0consumer",))
     .write(folder))


CLUSTER = Architecture("sg-self-reference", (
    "A Kafka cluster in one VPC without gateways: the brokers' group admits all traffic from itself (a "
    "self-reference) and 9092 from the producers' group; ZooKeeper's group admits 2181 from the brokers' group. "
    "Consumers have a group of their own that nothing references."), cluster, [
    trace("i-0broker-1", "10.11.2.10", "--dst-port 9093", "accepted",
          "i-0broker-1 subnet-0k-a vpc-0data subnet-0k-b i-0broker-2", None, "The self-reference admits members."),
    trace("i-0broker-1", "10.11.2.10", "--protocol udp --dst-port 5000", "accepted",
          "i-0broker-1 subnet-0k-a vpc-0data subnet-0k-b i-0broker-2", None, "All protocols, from members."),
    trace("i-0broker-2", "10.11.1.10", "--protocol icmp", "accepted",
          "i-0broker-2 subnet-0k-b vpc-0data subnet-0k-a i-0broker-1", None, "All protocols, from members."),
    trace("i-0producer", "10.11.1.10", "--dst-port 9092", "accepted",
          "i-0producer subnet-0client vpc-0data subnet-0k-a i-0broker-1", None, "sg-0kafka admits sg-0producer on 9092."),
    trace("i-0producer", "10.11.1.10", "--dst-port 9093", "denied-in",
          "i-0producer subnet-0client vpc-0data subnet-0k-a i-0broker-1", "sg-0kafka", "Producers get 9092 only."),
    trace("i-0consumer", "10.11.1.10", "--dst-port 9092", "denied-in",
          "i-0consumer subnet-0client vpc-0data subnet-0k-a i-0broker-1", "sg-0kafka",
          "sg-0consumer is referenced by no rule."),
    trace("i-0broker-2", "10.11.1.20", "--dst-port 2181", "accepted", "i-0broker-2 subnet-0k-b vpc-0data subnet-0k-a i-0zk",
          None, "sg-0zk admits members of sg-0kafka."),
    trace("i-0producer", "10.11.1.20", "--dst-port 2181", "denied-in", "i-0producer subnet-0client vpc-0data subnet-0k-a i-0zk",
          "sg-0zk", "Only the brokers' group."),
    trace("i-0zk", "10.11.1.10", "--dst-port 9092", "denied-in", "i-0zk subnet-0k-a i-0broker-1", "sg-0kafka",
          "Same subnet, no route table or ACL; ZooKeeper's group is not one sg-0kafka admits."),
    trace("i-0consumer", "10.11.3.10", "--dst-port 22", "denied-in", "i-0consumer subnet-0client i-0producer",
          "sg-0producer", "sg-0producer has no ingress rule at all."),
    reachable("i-0consumer", "i-0broker-2", "", "unreachable", None, ("sg-0kafka",), "No rule for sg-0consumer."),
    reachable("i-0producer", "i-0broker-2", "--protocol tcp --dst-port 9092", "reachable",
              "i-0producer subnet-0client vpc-0data subnet-0k-b i-0broker-2", why="The producer port."),
    reachable("i-0producer", "i-0zk", "", "unreachable", None, ("sg-0zk",), "Only brokers reach ZooKeeper."),
])


ARCHITECTURES = [THREE_TIER, GAME, CLUSTER]
