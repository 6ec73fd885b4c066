"""`compare` (two path sets in one z3 query per direction) against `trace` on pairs of hypothesis-written
networks: a network and one mutation of it (a group widened, an ACL deny inserted first, a route dropped),
or two draws of the same topology's routes, ACLs and security groups. Every packet of the tiny space
the question allows (`test_reachable_differential.packets`) is traced in both: where the answer says a
direction has no difference, no such packet may show one; every witness must be delivered by `trace` in the
one network and not in the other."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.network.compare import compare
from solomonic.network.reachable import Question, goal, sources
from solomonic.network.trace import trace
from tests.network.snapshots import ANYTHING, Net, entry
from tests.network.test_properties import networks
from tests.network.test_reachable_differential import delivered, packets

questions = st.tuples(st.sampled_from(("i-a", "i-c", "internet")),
                      st.sampled_from(("i-a", "i-b", "i-c", "10.1.1.10", "52.0.0.10", "8.8.8.8")),
                      st.sampled_from((6, 1, None)), st.sampled_from(((20, 25), (440, 445))))


@st.composite
def pairs(draw) -> tuple[Net, Net]:
    old = draw(networks())
    how = draw(st.sampled_from(("widen", "deny", "drop", "redraw")))
    if how == "redraw":
        return old, draw(networks())
    new = copy.deepcopy(old)
    if how == "widen":
        group = draw(st.sampled_from(new.files["SecurityGroups"]))
        group["IpPermissions"].append(ANYTHING)
    elif how == "deny":
        acl = draw(st.sampled_from(new.files["NetworkAcls"]))
        acl["Entries"].insert(0, entry(1, "deny", "0.0.0.0/0", draw(st.booleans()),
                                       *draw(st.sampled_from((("-1",), ("6", (440, 443)))))))
    else:
        table = draw(st.sampled_from(new.files["RouteTables"]))
        routes = [route for route in table["Routes"] if route.get("GatewayId") != "local"]
        if routes:
            table["Routes"].remove(draw(st.sampled_from(routes)))
    return old, new


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs(), questions)
def test_compare_agrees_with_every_traced_packet(nets, asked):
    old_net, new_net = nets
    source, destination, protocol, ports = asked
    old, new = old_net.build(), new_net.build()
    ports = ports if protocol == 6 else None
    result = compare(old, new, source, destination, protocol=protocol, dst_ports=ports)
    for found, here, there in ((result.a_not_b, old, new), (result.b_not_a, new, old)):
        if found is not None:
            question = Question(sources(here, source, None), goal(here, destination), protocol=protocol,
                                dst_ports=ports)
            assert delivered(here, question, found.delivered)
            sender = next(s for s in sources(there, source, None)
                          if s is None or found.delivered.flow.src_ip in s.private_ips)
            assert not delivered(there, question, trace(there, sender, found.delivered.flow))
    if result.verdict == "unknown":
        return
    for key, here, there in (("a_not_b", old, new), ("b_not_a", new, old)):
        if getattr(result, key) is not None:
            continue
        question = Question(sources(here, source, None), goal(here, destination), protocol=protocol,
                            dst_ports=ports)
        others = {s.id if s else None: s for s in sources(there, source, None)}
        for sender, *flows in packets(question, ports or (20, 21)):
            for flow in flows:
                if delivered(here, question, trace(here, sender, flow)):
                    other = others[sender.id if sender else None]
                    assert delivered(there, question, trace(there, other, flow)), (key, flow, result.reason)
