"""`solomonic network snapshot OUT`: write a live account's network configuration as a snapshot directory.

The one command of `solomonic network` that talks to AWS, with boto3 (the optional extra `network`:
`pip install 'solomonic[network]'`), credentials and regions as the AWS CLI finds them (`--profile`, the
environment, ~/.aws). It writes `OUT/REGION/` for each region (`network.collect`) and reports what it wrote;
the other questions then read OUT offline. A missing boto3, missing credentials or a refused call is one
line on standard error and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from solomonic.cli.conventions import EXIT_OK
from solomonic.errors import UserError

EPILOG = """\
Calls every describe-* operation the engine reads (EC2 and Elastic Load Balancing v2), following
every page, and writes one JSON file per response under OUT/REGION/: Vpcs.json, Subnets.json, ...,
LoadBalancers.json, and per resource TransitGatewayStaticRoutes.json, TransitGatewayPropagations.json,
LoadBalancerListeners.json, LoadBalancerAttributes.json and LoadBalancerTargetHealth.json. Needs
read-only permissions (ec2:Describe*, ec2:Get*, ec2:SearchTransitGatewayRoutes,
elasticloadbalancing:Describe*) and boto3 (pip install 'solomonic[network]').

example:
  $ solomonic network snapshot snap --region eu-west-1 --region us-east-1 --profile audit
  $ solomonic network exposure snap

exit status: 0 when written, 2 when boto3, credentials or a call is missing or refused."""


def add_parser(questions: argparse._SubParsersAction) -> None:
    snapshot = questions.add_parser("snapshot", help="write a live account's configuration as a snapshot (boto3)",
                                    description="Write a snapshot directory from a live AWS account.",
                                    epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    snapshot.add_argument("out", metavar="OUT", type=Path, help="the snapshot directory to write")
    snapshot.add_argument("--region", action="append", default=[], metavar="R",
                          help="a region to read (repeat for several; default: the profile's region)")
    snapshot.add_argument("--profile", metavar="P", help="the AWS CLI profile whose credentials to use")
    snapshot.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise UserError("network snapshot needs boto3: pip install 'solomonic[network]'") from None
    from solomonic.network import collect

    try:
        session = boto3.Session(profile_name=args.profile)
        regions = args.region or ([session.region_name] if session.region_name else [])
        if not regions:
            raise UserError("network snapshot: no region given and the profile names none; give --region")
        for region in regions:
            responses = collect.collect(session.client("ec2", region_name=region),
                                        session.client("elbv2", region_name=region),
                                        lambda warning: print(f"solomonic: warning: {warning}", file=sys.stderr))
            collect.write(args.out / region, responses)
            print(f"{args.out / region}: {sum(map(len, responses.values()))} resources in {len(responses)} files",
                  file=sys.stderr)
    except (BotoCoreError, ClientError) as error:
        raise UserError(f"network snapshot: {error}") from None
    return EXIT_OK
