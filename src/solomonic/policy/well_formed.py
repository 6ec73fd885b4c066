"""Is a concrete request one AWS builds? The facts the witness search assumes, checked again without z3.

The encoding reasons over every string, and `witness.Realism` keeps its models among requests real callers
send. This module states those facts a second time, on a `model.Request`, from the documentation alone
(it shares no code with `encode`, `witness` or `arn_templates`), and `solve.search` reports no witness that
breaks one: a witness is evidence only if AWS could have built it.

* The action is one the catalogue lists (the Service Authorization Reference), in any case.
* The resource is an ARN of a type the action takes: its catalogue template's text, with each `${...}` part
  (and each `*` the template holds) non-empty; a part before the last holds no ':' (the partition, service,
  region and account fields never do: "Amazon Resource Names (ARNs)", AWS General Reference), a bucket's
  name no '/'. An action that takes no resource type is asked about `*`.
* A federated principal (an identity provider's ARN, a web identity provider's domain) is in a request only
  as its users' assume-role call, or as the `sts:TagSession` / `sts:SetSourceIdentity` that call asks the
  trust policy about (`model.FEDERATED_SESSION_ACTIONS`); its users are role sessions afterwards.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

from solomonic.policy.evaluate import federated
from solomonic.policy.model import FEDERATED_SESSION_ACTIONS, Request

_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}|\*")


class ActionCatalogue(Protocol):
    def exists(self, action: str) -> bool: ...
    def resource_arns(self, action: str) -> list[str]: ...


def problem(request: Request, catalogue: ActionCatalogue) -> str | None:
    """None when `request` is one AWS builds (module docstring), else which fact it breaks, in words."""
    if not catalogue.exists(request.action):
        return f"{request.action!r} is not an action the catalogue lists"
    templates = catalogue.resource_arns(request.action)
    if not any(_template_shape(t).fullmatch(request.resource) for t in templates):
        return f"{request.resource!r} is not an ARN of a type {request.action} takes ({', '.join(templates)})"
    call = federated(request.principal)
    if call is not None and request.action.lower() not in {a.lower() for a in (call, *FEDERATED_SESSION_ACTIONS)}:
        return f"the federated principal {request.principal!r} sends only {call} and {', '.join(FEDERATED_SESSION_ACTIONS)}"
    return None


@functools.lru_cache(maxsize=1024)
def _template_shape(template: str) -> re.Pattern[str]:
    """The ARNs of a template: its text, each part non-empty; ':' only in the last part, '/' not in a
    bucket's name. The lone `*` is the request's resource for an action that takes no resource type."""
    if template == "*":
        return re.compile(re.escape("*"))
    out, position = [], 0
    parts = list(_PLACEHOLDER.finditer(template))
    for index, part in enumerate(parts):
        out.append(re.escape(template[position:part.start()]))
        last = index == len(parts) - 1 and part.end() == len(template)
        bucket = part.group(1) is not None and "Bucket" in part.group(1)
        out.append("[^:/]+" if bucket else ".+" if last else "[^:]+")
        position = part.end()
    out.append(re.escape(template[position:]))
    return re.compile("".join(out), re.DOTALL)
