"""Reasoning about AWS networks as code: can this instance reach that database, what does the internet reach.

The data flow, one module per step (issue 31):

    snapshot   a snapshot directory (one JSON file per describe-* call, flat, per region or per account
               and region) -> the responses by top-level key; unknown files -> warnings
    fields     typed reading of one JSON object; every failure names the file and JSON pointer
    build      responses -> `model.Snapshot` (`build_rules`: security groups and network ACLs;
               `build_gateways`: endpoints, virtual private gateways, VPN connections;
               `build_transit`: transit gateways, their attachments and route tables;
               `build_balancers`: load balancers, their listeners, attributes and target groups)
    packet     the packet a question describes: its source node and header, with stated defaults
    trace      the concrete evaluator: one packet, one way -> its disposition and every hop, following
               AWS's documentation; `routing` (route tables, longest prefix), `rules` (security
               groups, network ACLs), `transit` (transit gateways), `exits` (VPN connections and the
               routes a virtual private gateway propagates, gateway and interface endpoints) and
               `balancers` (the targets a load balancer's listener may forward to) are its helpers
    result     the answer and its JSON form (the contract of issue 31)
    synthetic  generated snapshots of any size, for the scale benchmark
    collect    a live account's describe-* responses (boto3 clients), written as a snapshot directory

The questions over all packets (`reachable`, `exposure`, `compare`) encode the same `model` in z3 (`encode`,
`paths` with `destinations`, `encode_transit`, `encode_exits`, `paths_balancers` with `encode_balancers`,
`lookup`), apart from `trace`: every witness they find is believed only once `trace` replays it, as a C
counterexample is believed only once it runs. The model is plain data (CIDRs, protocol numbers, ranges) so
that the encoding can read it without borrowing the evaluator's matching code.
"""
