"""Reaching AWS services and known networks by name: gateway endpoints for S3 and DynamoDB routed by the AWS
managed prefix lists, an interface endpoint, and customer-managed prefix lists in security-group rules and
in a route to a virtual private gateway."""

from __future__ import annotations

from pathlib import Path

from aws import Account, route, tcp
from questions import Architecture, reachable, trace

S3, DYNAMODB = "pl-6da54004", "pl-6fa54006"  # the managed prefix lists' ids in eu-west-1


def endpoints(folder: Path) -> None:
    (Account().vpc("vpc-0etl", "10.12.0.0/16")
     .subnet("subnet-0etl-a", "vpc-0etl", "10.12.1.0/24", "a").subnet("subnet-0etl-b", "vpc-0etl", "10.12.2.0/24", "b")
     .subnet("subnet-0vpce", "vpc-0etl", "10.12.3.0/24", "a")
     .prefix_list(S3, "com.amazonaws.eu-west-1.s3", "52.218.0.0/17", "3.5.64.0/21", "3.5.72.0/23", "52.92.40.0/21")
     .prefix_list(DYNAMODB, "com.amazonaws.eu-west-1.dynamodb", "52.94.24.0/23", "52.94.26.0/23", "52.119.240.0/21")
     .routes("rtb-main-vpc-0etl", route(S3, "vpce-0s3"), route(DYNAMODB, "vpce-0ddb"))
     .route_table("rtb-0etl-b", "vpc-0etl", route(S3, "vpce-0s3"), subnets=("subnet-0etl-b",))
     .security_group("sg-0etl", "vpc-0etl", egress=(tcp(443, prefix_lists=(S3, DYNAMODB)), tcp(443, "10.12.3.0/24")))
     .security_group("sg-0vpce", "vpc-0etl", tcp(443, "10.12.0.0/16"))
     .endpoint("vpce-0s3", "vpc-0etl", "Gateway", "com.amazonaws.eu-west-1.s3", tables=("rtb-main-vpc-0etl", "rtb-0etl-b"))
     .endpoint("vpce-0ddb", "vpc-0etl", "Gateway", "com.amazonaws.eu-west-1.dynamodb", tables=("rtb-main-vpc-0etl",))
     .interface("eni-0vpce-sqs", "subnet-0vpce", "vpc-0etl", "10.12.3.50", groups=("sg-0vpce",), kind="vpc_endpoint",
                description="VPC Endpoint Interface vpce-0sqs", managed=True)
     .endpoint("vpce-0sqs", "vpc-0etl", "Interface", "com.amazonaws.eu-west-1.sqs", subnets=("subnet-0vpce",),
               groups=("sg-0vpce",), interfaces=("eni-0vpce-sqs",))
     .instance("i-0etl-a", "subnet-0etl-a", "vpc-0etl", "10.12.1.10", groups=("sg-0etl",), kind="m6i.xlarge")
     .instance("i-0etl-b", "subnet-0etl-b", "vpc-0etl", "10.12.2.10", groups=("sg-0etl",), kind="m6i.xlarge")
     .security_group("sg-0ops", "vpc-0etl")
     .instance("i-0ops", "subnet-0etl-a", "vpc-0etl", "10.12.1.20", groups=("sg-0ops",))
     .write(folder))


ENDPOINTS = Architecture("vpc-endpoints", (
    "A private VPC with no internet gateway that reaches AWS services through endpoints: the main table sends the "
    "S3 and DynamoDB managed prefix lists to gateway endpoints; subnet-0etl-b's own table has the S3 route only. "
    "An SQS interface endpoint has an interface in subnet-0vpce whose group admits 443 from the VPC. The workers' "
    "group allows egress only to the two prefix lists and to the endpoint subnet, on 443; an operator's group "
    "allows all egress."), endpoints, [
    trace("i-0etl-a", "52.218.10.1", "--dst-port 443", "exits-network", "i-0etl-a subnet-0etl-a vpc-0etl vpce-0s3", None,
          "52.218.10.1 lies in the S3 prefix list: the main table's route hands it to the gateway endpoint."),
    trace("i-0etl-a", "52.94.25.7", "--dst-port 443", "exits-network", "i-0etl-a subnet-0etl-a vpc-0etl vpce-0ddb", None,
          "DynamoDB's prefix list, its own endpoint."),
    trace("i-0etl-b", "52.94.25.7", "--dst-port 443", "no-route", "i-0etl-b subnet-0etl-b vpc-0etl", "rtb-0etl-b",
          "The group allows it, but subnet-0etl-b's table has no DynamoDB route."),
    trace("i-0etl-b", "3.5.65.9", "--dst-port 443", "exits-network", "i-0etl-b subnet-0etl-b vpc-0etl vpce-0s3", None,
          "3.5.65.9 lies in 3.5.64.0/21, an entry of the S3 prefix list."),
    trace("i-0etl-a", "52.218.10.1", "--dst-port 80", "denied-out", "i-0etl-a", "sg-0etl",
          "The egress rules name 443 only."),
    trace("i-0etl-a", "8.8.8.8", "--dst-port 443", "denied-out", "i-0etl-a", "sg-0etl",
          "No egress rule names 8.8.8.8."),
    trace("i-0etl-a", "10.12.3.50", "--dst-port 443", "accepted", "i-0etl-a subnet-0etl-a vpc-0etl subnet-0vpce eni-0vpce-sqs",
          None, "The endpoint's interface accepts what its group admits (443 from the VPC), for SQS."),
    trace("i-0ops", "10.12.3.50", "--dst-port 80", "denied-in", "i-0ops subnet-0etl-a vpc-0etl subnet-0vpce eni-0vpce-sqs",
          "sg-0vpce", "The endpoint's group admits 443 only."),
    trace("i-0ops", "10.12.3.50", "--dst-port 443", "accepted", "i-0ops subnet-0etl-a vpc-0etl subnet-0vpce eni-0vpce-sqs",
          None, "sg-0ops allows all egress; sg-0vpce admits 443 from the VPC."),
    trace("i-0etl-a", "10.12.3.50", "--dst-port 22", "denied-out", "i-0etl-a", "sg-0etl",
          "The egress rule to the endpoint subnet names 443 only."),
    trace("i-0etl-b", "10.12.1.10", "--dst-port 443", "denied-out", "i-0etl-b", "sg-0etl",
          "The workers' group allows no egress to each other."),
    reachable("i-0etl-b", "eni-0vpce-sqs", "", "reachable", "i-0etl-b subnet-0etl-b vpc-0etl subnet-0vpce eni-0vpce-sqs",
              why="SQS through its interface endpoint, on 443."),
    reachable("i-0ops", "eni-0vpce-sqs", "--protocol udp", "unreachable", None, ("sg-0vpce",),
              "The endpoint admits TCP 443 only."),
    reachable("i-0etl-a", "52.218.0.0/17", "--protocol tcp --dst-port 443", "reachable",
              "i-0etl-a subnet-0etl-a vpc-0etl vpce-0s3", why="S3 through its gateway endpoint."),
    reachable("i-0etl-b", "52.94.24.0/23", "--protocol tcp --dst-port 443", "unreachable", None, ("rtb-0etl-b",),
              "No DynamoDB route from subnet-0etl-b."),
    reachable("i-0etl-a", "8.8.8.8", "", "unreachable", None, ("sg-0etl", "rtb-main-vpc-0etl"),
              "Neither an egress rule nor a route."),
])


def office_lists(folder: Path) -> None:
    (Account().vpc("vpc-0corp", "10.13.0.0/16")
     .subnet("subnet-0tools", "vpc-0corp", "10.13.1.0/24", public=True)
     .prefix_list("pl-0offices", "corporate-egress", "198.51.100.0/25", "203.0.113.64/26")
     .prefix_list("pl-0onprem", "onprem-networks", "192.168.0.0/20", "172.20.0.0/16")
     .internet_gateway("igw-0corp", "vpc-0corp").vpn_gateway("vgw-0corp", "vpc-0corp")
     .customer_gateway("cgw-0office", "198.51.100.1")
     .vpn_connection("vpn-0office", "vgw-0corp", "cgw-0office", "192.168.0.0/20", "172.20.0.0/16")
     .route_table("rtb-0tools", "vpc-0corp", route("0.0.0.0/0", "igw-0corp"), route("pl-0onprem", "vgw-0corp"),
                  subnets=("subnet-0tools",))
     .security_group("sg-0tools", "vpc-0corp", tcp(443, prefix_lists=("pl-0offices",)),
                     tcp(22, prefix_lists=("pl-0offices",)), tcp(80, "0.0.0.0/0"))
     .instance("i-0tools", "subnet-0tools", "vpc-0corp", "10.13.1.10", groups=("sg-0tools",), public="54.170.50.10")
     .write(folder))


TOOLS_IN = "internet igw-0corp vpc-0corp subnet-0tools i-0tools"
OFFICE_LISTS = Architecture("prefix-list-office", (
    "Customer-managed prefix lists: `corporate-egress` (the offices' public addresses) in the tools server's group "
    "for 443 and 22, `onprem-networks` as the destination of a route to the virtual private gateway, whose static VPN "
    "connection carries the same two networks."), office_lists, [
    trace("internet", "54.170.50.10", "--src-ip 198.51.100.20 --dst-port 443", "accepted", TOOLS_IN, None,
          "198.51.100.20 lies in 198.51.100.0/25, an entry of pl-0offices."),
    trace("internet", "54.170.50.10", "--src-ip 198.51.100.200 --dst-port 443", "denied-in", TOOLS_IN, "sg-0tools",
          "198.51.100.200 is outside the /25."),
    trace("internet", "54.170.50.10", "--src-ip 203.0.113.100 --dst-port 22", "accepted", TOOLS_IN, None,
          "203.0.113.64/26 holds .64 to .127."),
    trace("internet", "54.170.50.10", "--src-ip 8.8.8.8 --dst-port 80", "accepted", TOOLS_IN, None, "80 is open."),
    trace("internet", "54.170.50.10", "--src-ip 8.8.8.8 --dst-port 22", "denied-in", TOOLS_IN, "sg-0tools",
          "SSH only from the offices."),
    trace("i-0tools", "192.168.3.4", "--dst-port 22", "exits-network", "i-0tools subnet-0tools vpc-0corp vgw-0corp", None,
          "The prefix-list route (192.168.0.0/20) beats 0.0.0.0/0; vpn-0office's static route covers it."),
    trace("i-0tools", "172.20.9.9", "--dst-port 443", "exits-network", "i-0tools subnet-0tools vpc-0corp vgw-0corp", None,
          "The list's other entry."),
    trace("i-0tools", "172.21.0.5", "--dst-port 22", "no-route", "i-0tools subnet-0tools vpc-0corp igw-0corp internet",
          "internet", "Outside the list, the default route takes it to the internet, which does not route a "
                      "private address."),
    trace("i-0tools", "192.168.16.1", "--dst-port 22", "no-route", "i-0tools subnet-0tools vpc-0corp igw-0corp internet",
          "internet", "192.168.16.1 is outside 192.168.0.0/20: the default route again."),
    reachable("internet", "i-0tools", "--protocol tcp --dst-port 22", "reachable", TOOLS_IN, why="From an office."),
    reachable("internet", "i-0tools", "--protocol tcp --dst-port 3389", "unreachable", None, ("sg-0tools", "internet"),
              "No rule for 3389."),
    reachable("i-0tools", "192.168.0.0/20", "--protocol tcp --dst-port 22", "reachable",
              "i-0tools subnet-0tools vpc-0corp vgw-0corp", why="Through the VPN."),
])


ARCHITECTURES = [ENDPOINTS, OFFICE_LISTS]
