"""Mutants of an AWS policy for `bench policy`: the edits that turn a correct policy into a dangerous one.

Each operator is a mistake people make when they edit a policy by hand (issue 23's list): a wider action
(`s3:GetObject` -> `s3:Get*` or `s3:*`), a dropped condition, Allow and Deny swapped, `Action` written as
`NotAction`, a wider resource (the resource part of the ARN, or the whole element, made `*`), a wider
principal (`*`), a changed condition value (a neighbouring IP range, number, date or string), and a
negated condition operator (`StringEquals` -> `StringNotEquals`, `IpAddress` -> `NotIpAddress`, ...).

The mutants of a policy are a function of the policy's name, the operator and the seed alone: each operator
draws its statement and element from `random.Random` seeded with the three (a string seed is hashed
deterministically by `random`), so a run is reproduced by its seed, and adding a policy to the corpus leaves
the other policies' mutants as they were. An operator that does not apply to a policy (no condition to drop,
no principal to widen) gives no mutant; nor does an edit that leaves the document as it was.

Mutants work on the JSON document, not on `policy.model`: they are inputs for the whole `solomonic policy`
command, parser included, and must not depend on the code under test.
"""

from __future__ import annotations

import copy
import ipaddress
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Document = dict[str, Any]
Statement = dict[str, Any]


@dataclass(frozen=True)
class Mutant:
    operator: str
    change: str  # what was edited, in words: "Statement 1: Action s3:GetObject -> s3:Get*"
    document: Document


def mutants(document: Document, name: str, seed: int) -> list[Mutant]:
    """Every operator's mutant of `document` (named `name` in the corpus), in the order of OPERATORS."""
    out = []
    for operator, mutate in OPERATORS.items():
        mutant = copy.deepcopy(document)
        change = mutate(_statements(mutant), random.Random(f"{seed}:{name}:{operator}"))
        if change is not None and mutant != document:
            out.append(Mutant(operator, change, mutant))
    return out


def _statements(document: Document) -> list[Statement]:
    statements = document.get("Statement")
    if isinstance(statements, dict):  # a single statement may be written without the list
        document["Statement"] = statements = [statements]
    return [s for s in statements or [] if isinstance(s, dict)]


def _values(statement: Statement, key: str) -> list[str]:
    """An element's values as a list (a single string is a list of one), written back as a list."""
    value = statement[key]
    statement[key] = value = [value] if isinstance(value, str) else list(value)
    return value


def _pick(rng: random.Random, candidates: list) -> Any:
    return rng.choice(candidates) if candidates else None


def widen_action(statements: list[Statement], rng: random.Random) -> str | None:
    """An action becomes its service's wildcard, or the wildcard of its first word (s3:Get*)."""
    choices = [(i, j) for i, s in enumerate(statements) if "Action" in s
               for j, action in enumerate(_values(s, "Action")) if ":" in action and not action.endswith("*")]
    picked = _pick(rng, choices)
    if picked is None:
        return None
    i, j = picked
    actions = statements[i]["Action"]
    service, name = actions[j].split(":", 1)
    verb = re.match(r"[A-Z]?[a-z]+", name)
    wider = f"{service}:{verb.group(0)}*" if verb and rng.random() < 0.5 else f"{service}:*"
    old, actions[j] = actions[j], wider
    return f"Statement {i}: Action {old} -> {wider}"


def drop_condition(statements: list[Statement], rng: random.Random) -> str | None:
    """One key of one condition operator is removed (the operator too, when it was its only key)."""
    choices = [(i, op, key) for i, s in enumerate(statements) for op, keys in (s.get("Condition") or {}).items()
               for key in keys]
    picked = _pick(rng, choices)
    if picked is None:
        return None
    i, op, key = picked
    condition = statements[i]["Condition"]
    del condition[op][key]
    if not condition[op]:
        del condition[op]
    if not condition:
        del statements[i]["Condition"]
    return f"Statement {i}: condition {op} {key} dropped"


def swap_effect(statements: list[Statement], rng: random.Random) -> str | None:
    i = _pick(rng, [i for i, s in enumerate(statements) if s.get("Effect") in ("Allow", "Deny")])
    if i is None:
        return None
    statements[i]["Effect"] = "Deny" if statements[i]["Effect"] == "Allow" else "Allow"
    return f"Statement {i}: Effect -> {statements[i]['Effect']}"


def not_action(statements: list[Statement], rng: random.Random) -> str | None:
    i = _pick(rng, [i for i, s in enumerate(statements) if "Action" in s])
    if i is None:
        return None
    statements[i]["NotAction"] = statements[i].pop("Action")
    return f"Statement {i}: Action -> NotAction"


def widen_resource(statements: list[Statement], rng: random.Random) -> str | None:
    """A resource's ARN keeps its service, region and account and matches any resource there (arn:aws:s3:::*),
    or the element becomes `*`."""
    choices = [(i, j) for i, s in enumerate(statements) if "Resource" in s
               for j, resource in enumerate(_values(s, "Resource")) if resource != "*"]
    picked = _pick(rng, choices)
    if picked is None:
        return None
    i, j = picked
    resources = statements[i]["Resource"]
    fields = resources[j].split(":", 5)
    wider = ":".join(fields[:5]) + ":*" if len(fields) == 6 and rng.random() < 0.5 else "*"
    old, resources[j] = resources[j], wider
    return f"Statement {i}: Resource {old} -> {wider}"


def widen_principal(statements: list[Statement], rng: random.Random) -> str | None:
    i = _pick(rng, [i for i, s in enumerate(statements) if "Principal" in s and s["Principal"] != "*"])
    if i is None:
        return None
    statements[i]["Principal"] = "*"
    return f"Statement {i}: Principal -> *"


def change_value(statements: list[Statement], rng: random.Random) -> str | None:
    """One value of one condition key becomes a neighbouring value of the same type."""
    choices = [(i, op, key, k) for i, s in enumerate(statements) for op, keys in (s.get("Condition") or {}).items()
               for key, values in keys.items() for k in range(1 if isinstance(values, (str, bool, int)) else
                                                              len(values))]
    picked = _pick(rng, choices)
    if picked is None:
        return None
    i, op, key, k = picked
    keys = statements[i]["Condition"][op]
    values = keys[key] = [keys[key]] if not isinstance(keys[key], list) else keys[key]
    old = values[k]
    values[k] = _neighbour(str(old).lower() if isinstance(old, bool) else str(old), op, rng)
    return f"Statement {i}: {op} {key} value {old} -> {values[k]}"


def _neighbour(value: str, operator: str, rng: random.Random) -> str:
    if value in ("true", "false"):
        return "false" if value == "true" else "true"
    if "IpAddress" in operator:
        network = ipaddress.ip_network(value, strict=False)
        shorter = max(0, network.prefixlen - rng.choice([1, 8]))
        return str(network.supernet(new_prefix=shorter))
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return str(int(float(value)) * 10 + 1)
    if re.fullmatch(r"\d{4}-.*", value):
        return str(int(value[:4]) + 1) + value[4:]
    if "Like" in operator and "*" not in value:
        return value[: len(value) // 2] + "*"
    last = value[-1:]
    return value[:-1] + ("0" if last != "0" else "1") if last.isalnum() else value + "x"


NEGATION = {"StringEquals": "StringNotEquals", "StringEqualsIgnoreCase": "StringNotEqualsIgnoreCase",
            "StringLike": "StringNotLike", "NumericEquals": "NumericNotEquals",
            "NumericLessThan": "NumericGreaterThanEquals", "NumericLessThanEquals": "NumericGreaterThan",
            "DateEquals": "DateNotEquals", "DateLessThan": "DateGreaterThanEquals",
            "DateLessThanEquals": "DateGreaterThan", "IpAddress": "NotIpAddress", "ArnEquals": "ArnNotEquals",
            "ArnLike": "ArnNotLike", "BinaryEquals": "BinaryNotEquals"}
NEGATION |= {negated: plain for plain, negated in NEGATION.items()}


def negate_operator(statements: list[Statement], rng: random.Random) -> str | None:
    """A condition operator becomes its negation; set prefixes and `IfExists` are kept. An operator whose
    negation the same block already has is not picked (the two would merge into one JSON key)."""
    choices = []
    for i, s in enumerate(statements):
        block = s.get("Condition") or {}
        for op in block:
            negated = _negated(op)
            if negated is not None and negated not in block:
                choices.append((i, op, negated))
    picked = _pick(rng, choices)
    if picked is None:
        return None
    i, op, negated = picked
    block = statements[i]["Condition"]
    statements[i]["Condition"] = {negated if k == op else k: v for k, v in block.items()}
    return f"Statement {i}: {op} -> {negated}"


def _negated(operator: str) -> str | None:
    prefix, _, base = operator.rpartition(":")
    suffix = "IfExists" if base.endswith("IfExists") else ""
    negated = NEGATION.get(base.removesuffix("IfExists"))
    return None if negated is None else (prefix + ":" if prefix else "") + negated + suffix


OPERATORS: dict[str, Callable[[list[Statement], random.Random], str | None]] = {
    "widen-action": widen_action, "drop-condition": drop_condition, "swap-effect": swap_effect,
    "not-action": not_action, "widen-resource": widen_resource, "widen-principal": widen_principal,
    "change-value": change_value, "negate-operator": negate_operator}
