"""The request context as the evaluator reads it: keys looked up without regard to case, and policy variables.

Condition keys: "Condition key names are not case-sensitive" (IAM reference, "IAM JSON policy elements:
Condition"); a request whose context holds two keys that differ only in case is ambiguous and refused.

Policy variables (IAM reference, "IAM policy elements: Variables and tags"):

* they are substituted only in a policy whose `Version` is `2012-10-17`; without a Version (which "defaults
  to 2008-10-17") or under 2008-10-17, "variables such as ${aws:username} aren't recognized as variables and
  are instead treated as literal strings in the policy" ("IAM JSON policy elements: Version");
* `${key}` is replaced by the value of context key `key` (any key of the request context: `aws:username`,
  `aws:PrincipalTag/team`, `aws:SourceIp`, ...), `${key, 'default'}` by `default` where the key is absent
  (*Specifying default values*);
* `${*}`, `${?}` and `${$}` stand for the literal characters `*`, `?` and `$` (*Special characters*);
* a variable whose key has no value in the request: "the value is effectively null. There is no equal or like
  value" (*Policy variables with no value*). The policy value that contains it therefore equals and is like
  no request value; `substitute` returns None for it and the caller treats it as matching nothing.

What is not modelled exactly raises `Unsupported`: a multi-valued key used as a variable ("you can't use
multivalued context keys as policy variables", "Single-valued vs. multivalued context keys"), a substituted
value containing `*` or `?` where wildcards count (the reference does not say whether they become
wildcards), a key present with the empty value, and a `${` that is not one of the forms above.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from solomonic.policy import wildcard
from solomonic.policy.model import ContextValue
from solomonic.policy.unsupported import Unsupported
from solomonic.policy.wildcard import Pattern, Token

VARIABLE_VERSION = "2012-10-17"

_VARIABLE = re.compile(r"\$\{\s*(?P<key>[^\s,'{}*?$]+)\s*(?:,\s*'(?P<default>[^']*)'\s*)?\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def lookup(context: Mapping[str, ContextValue], key: str) -> ContextValue | None:
    """The value of condition key `key` in `context`, compared without regard to case; None when absent."""
    found = [name for name in context if name.lower() == key.lower()]
    if len(found) > 1:
        raise Unsupported(f"the request context names {key!r} twice, in different case: {', '.join(found)}")
    return context[found[0]] if found else None


def substitute(text: str, context: Mapping[str, ContextValue], *, variables: bool,
               wildcards: bool) -> Pattern | None:
    """The policy value `text` as a pattern for this request: its policy variables replaced (when `variables`),
    `*` and `?` wildcards where `wildcards` (else literal). None when a variable has no value and no default:
    that value matches no request value (module docstring)."""
    if not variables or "$" not in text:
        return wildcard.tokens(text, wildcards=wildcards)
    out: list[Token] = []
    position = 0
    while (start := text.find("${", position)) >= 0:
        out.extend(wildcard.tokens(text[position:start], wildcards=wildcards))
        inner_end = text.find("}", start)
        inner = text[start + 2:inner_end] if inner_end >= 0 else None
        if inner is not None and inner in _ESCAPES:
            out.append(_ESCAPES[inner])
            position = inner_end + 1
            continue
        variable = _VARIABLE.match(text, start)
        if variable is None:
            raise Unsupported(f"{text!r}: '${{' does not start a policy variable of a documented form")
        value = lookup(context, variable["key"])
        if value is None:
            if variable["default"] is None:
                return None
            value = variable["default"]
        elif isinstance(value, tuple):
            raise Unsupported(f"{text!r}: the multi-valued key {variable['key']!r} used as a policy variable")
        elif wildcards and ("*" in value or "?" in value):
            raise Unsupported(f"{text!r}: the value {value!r} of {variable['key']!r} contains a wildcard "
                              "character (whether it then matches as a wildcard is not documented)")
        elif not value:
            raise Unsupported(f"{text!r}: {variable['key']!r} is present with the empty value (whether it is "
                              "substituted or counts as no value is not documented)")
        out.append(value)
        position = variable.end()
    out.extend(wildcard.tokens(text[position:], wildcards=wildcards))
    return _merged(out)


def _merged(tokens: list[Token]) -> Pattern:
    """Adjacent literal pieces joined, so that equal patterns compare (and cache) equal."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + token
        elif token != "":
            out.append(token)
    return tuple(out)
