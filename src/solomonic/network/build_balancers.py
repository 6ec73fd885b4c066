"""Load balancers: describe-load-balancers (elbv2) and their listeners, gathered per load balancer into
`LoadBalancerListeners.json` (`{"LoadBalancerListeners": [{"LoadBalancerArn", "Listeners"}]}`) -> the model.

A listener's protocol becomes the IP protocol it receives: HTTP, HTTPS, TCP and TLS listen on TCP, UDP on
UDP, TCP_UDP on both; a gateway load balancer's GENEVE listener is not a port a packet is addressed to and
is left out.
"""

from __future__ import annotations

from solomonic.network.fields import Fields
from solomonic.network.model import TCP, UDP, Listener, LoadBalancer
from solomonic.network.snapshot import Responses

_PROTOCOLS = {"HTTP": (TCP,), "HTTPS": (TCP,), "TCP": (TCP,), "TLS": (TCP,), "UDP": (UDP,), "TCP_UDP": (TCP, UDP),
              "GENEVE": ()}


def load_balancers(responses: Responses) -> dict[str, LoadBalancer]:
    listeners: dict[str, tuple[Listener, ...]] = {}
    for item in responses.of("LoadBalancerListeners"):
        fields = Fields.of(item)
        listeners[fields.text("LoadBalancerArn")] = tuple(
            made for listener in fields.objects("Listeners") for made in _listener(listener))
    made = {}
    for item in responses.of("LoadBalancers"):
        fields = Fields.of(item)
        arn = fields.text("LoadBalancerArn")
        key = arn.partition(":loadbalancer/")[2]
        if not key:
            raise fields.error("LoadBalancerArn", f"not a load balancer ARN: {arn!r}")
        made[key] = LoadBalancer(arn, key, fields.optional_text("Type") or "", listeners.get(arn), fields.origin)
    return made


def _listener(fields: Fields) -> list[Listener]:
    protocol = fields.text("Protocol")
    if protocol not in _PROTOCOLS:
        raise fields.error("Protocol", f"not a load balancer listener protocol: {protocol!r}")
    return [Listener(number, fields.integer("Port")) for number in _PROTOCOLS[protocol]]
