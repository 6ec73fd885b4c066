"""Load balancers (elbv2) -> the model: describe-load-balancers, and what is gathered per load balancer or
target group (issue 31): `LoadBalancerListeners.json` (`{"LoadBalancerListeners": [{"LoadBalancerArn",
"Listeners"}]}`), `LoadBalancerAttributes.json` (`[{"LoadBalancerArn", "Attributes"}]`), describe-target-groups
(`TargetGroups.json`) and `LoadBalancerTargetHealth.json` (`[{"TargetGroupArn", "TargetHealthDescriptions"}]`).

A listener's protocol becomes the IP protocol it receives: HTTP, HTTPS, TCP and TLS listen on TCP, UDP on
UDP, TCP_UDP on both; a gateway load balancer's GENEVE listener is not a port a packet is addressed to and
is left out. Its default action is the last of `DefaultActions` by `Order` (authentication actions come
first); a forward names its target groups by `TargetGroupArn` or `ForwardConfig.TargetGroups`.
"""

from __future__ import annotations

from dataclasses import replace

from solomonic.network.fields import Fields
from solomonic.network.model import TCP, UDP, Listener, LoadBalancer, Target, TargetGroup
from solomonic.network.snapshot import Responses

_PROTOCOLS = {"HTTP": (TCP,), "HTTPS": (TCP,), "TCP": (TCP,), "TLS": (TCP,), "UDP": (UDP,), "TCP_UDP": (TCP, UDP),
              "GENEVE": ()}
CROSS_ZONE = "load_balancing.cross_zone.enabled"


def load_balancers(responses: Responses) -> dict[str, LoadBalancer]:
    listeners: dict[str, tuple[Listener, ...]] = {}
    for item in responses.of("LoadBalancerListeners"):
        fields = Fields.of(item)
        listeners[fields.text("LoadBalancerArn")] = tuple(
            made for listener in fields.objects("Listeners") for made in _listener(listener))
    cross_zone: dict[str, bool] = {}
    for item in responses.of("LoadBalancerAttributes"):
        fields = Fields.of(item)
        for attribute in fields.objects("Attributes"):
            if attribute.text("Key") == CROSS_ZONE:
                value = attribute.text("Value")
                if value not in ("true", "false"):
                    raise attribute.error("Value", f"{CROSS_ZONE} is true or false, not {value!r}")
                cross_zone[fields.text("LoadBalancerArn")] = value == "true"
    made = {}
    for item in responses.of("LoadBalancers"):
        fields = Fields.of(item)
        arn = fields.text("LoadBalancerArn")
        key = arn.partition(":loadbalancer/")[2]
        if not key:
            raise fields.error("LoadBalancerArn", f"not a load balancer ARN: {arn!r}")
        made[key] = LoadBalancer(arn, key, fields.optional_text("Type") or "", listeners.get(arn), fields.origin,
                                 cross_zone.get(arn))
    return made


def target_groups(responses: Responses) -> dict[str, TargetGroup]:
    targets: dict[str, tuple[Target, ...]] = {}
    for item in responses.of("LoadBalancerTargetHealth"):
        fields = Fields.of(item)
        targets[fields.text("TargetGroupArn")] = tuple(_target(described) for described in
                                                       fields.objects("TargetHealthDescriptions"))
    made = {}
    for item in responses.of("TargetGroups"):
        fields = Fields.of(item)
        arn = fields.text("TargetGroupArn")
        balancers = fields.value.get("LoadBalancerArns") or []
        if not isinstance(balancers, list) or not all(isinstance(b, str) for b in balancers):
            raise fields.error("LoadBalancerArns", "expected a list of ARNs")
        group = TargetGroup(arn, fields.optional_text("Protocol") or "", fields.optional_integer("Port"),
                            fields.optional_text("TargetType") or "instance", tuple(balancers), None, fields.origin)
        made[arn] = replace(group, targets=_with_ports(group, targets.get(arn)))
    return made


def _with_ports(group: TargetGroup, targets: tuple[Target, ...] | None) -> tuple[Target, ...] | None:
    """A target registered without a port receives on its group's."""
    if targets is None:
        return None
    return tuple(Target(t.id, t.port if t.port >= 0 else (group.port or -1), t.zone, t.state, t.origin)
                 for t in targets)


def _target(fields: Fields) -> Target:
    target = fields.child("Target")
    if target is None:
        raise fields.error("Target", "the required field 'Target' is missing")
    health = fields.child("TargetHealth")
    state = (health.optional_text("State") if health is not None else None) or ""
    port = target.optional_integer("Port")
    return Target(target.text("Id"), port if port is not None else -1, target.optional_text("AvailabilityZone") or "",
                  state, target.origin)


def _listener(fields: Fields) -> list[Listener]:
    protocol = fields.text("Protocol")
    if protocol not in _PROTOCOLS:
        raise fields.error("Protocol", f"not a load balancer listener protocol: {protocol!r}")
    actions = fields.objects("DefaultActions")
    last = max(enumerate(actions), key=lambda at: (at[1].optional_integer("Order") or 0, at[0]))[1] if actions else None
    kind = last.text("Type") if last is not None else ""
    groups: list[str] = []
    if last is not None and kind == "forward":
        forward = last.child("ForwardConfig")
        groups = [group.text("TargetGroupArn") for group in (forward.objects("TargetGroups") if forward else [])
                  if group.optional_integer("Weight") != 0]  # a weight of 0 sends it nothing
        groups = groups if forward is not None else [last.text("TargetGroupArn")]
    return [Listener(number, fields.integer("Port"), kind, tuple(dict.fromkeys(groups)))
            for number in _PROTOCOLS[protocol]]
