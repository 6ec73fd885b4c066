"""Damaged snapshots: any value of a real snapshot replaced by another JSON value, or any key dropped, is read
or refused with a `SnapshotError` naming the file and the JSON pointer — never another exception — and the
traces of what is read still end in a disposition."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.network.snapshot import SnapshotError
from tests.network.snapshots import ask, balancer_arn, two_tier
from tests.network.test_transit import hub

NETS = {"two-tier": two_tier(),
        "transit": (hub(routes=(("192.168.0.0/16", "tgw-attach-vpn"),))
                    .transit_attachment("tgw-attach-vpn", "tgw-1", "vpn", "vpn-1", "tgw-rtb-1")
                    .vpn_gateway("vgw-1", "vpc-a").vpn_connection("vpn-2", "vgw-1", "172.16.0.0/12")
                    .prefix_list("pl-s3", "52.218.0.0/17").endpoint("vpce-s3", "vpc-a", "Gateway", "s3")
                    .route("rtb-main-vpc-a", "172.16.0.0/12", "vgw-1").route("rtb-main-vpc-a", "pl-s3", "vpce-s3"))}
NETS["balanced"] = (two_tier().load_balancer("lb", "net", "vpc-1", ("TCP", 5432, "db"), cross_zone=True)
                    .target_group("db", "TCP", 5432, balancer_arn("net", "lb"), "i-app", ("10.0.3.10", "unhealthy"))
                    .interface("eni-lb", "subnet-public", "vpc-1", "10.0.1.30", kind="network_load_balancer",
                               description="ELB net/lb/1"))
QUESTIONS = {"two-tier": (("i-app", "10.0.3.10"), ("i-web", "1.1.1.1")), "balanced": (("i-web", "10.0.1.30"),),
             "transit": (("i-a", "10.2.1.10"), ("i-a", "172.16.0.1"), ("i-a", "52.218.0.1"))}
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 70000), st.sampled_from(
    ("", "tcp", "-1", "10.0.0.0/8", "10.0.0.0/33", "10.0.3.10", "igw-1", "nat-1", "sg-db", "x")), st.just([]),
    st.just({}), st.just([{}]))


def _places(value, pointer=""):
    """Every (pointer, container, key) of a JSON value, so that a test can damage one of them."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield f"{pointer}/{key}", value, key
            yield from _places(inner, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield f"{pointer}/{index}", value, index
            yield from _places(inner, f"{pointer}/{index}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_value_is_read_or_refused_with_file_and_pointer(data):
    name = data.draw(st.sampled_from(sorted(NETS)))
    net = copy.deepcopy(NETS[name])
    key = data.draw(st.sampled_from(sorted(net.files)))
    places = list(_places(net.files[key], f"/{key}"))
    pointer, container, slot = data.draw(st.sampled_from(places))
    if data.draw(st.booleans()) and isinstance(container, dict):
        del container[slot]
    else:
        container[slot] = data.draw(VALUES)
    try:
        snapshot = net.build()
    except SnapshotError as error:
        assert str(error).startswith(f"{key}.json: /{key}") and "\n" not in str(error), pointer
        return
    for source, destination in QUESTIONS[name]:
        if snapshot.instances.get(source):
            assert ask(snapshot, source, destination, dst_port=5432).disposition
