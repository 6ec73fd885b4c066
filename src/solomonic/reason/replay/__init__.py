"""Replay: a counterexample run for real (C compiled with sanitizers, Python in a fresh interpreter), in
the sandbox of sandbox.py: no caller environment, a private directory, limits on time, memory, files,
and no network where the machine allows. A "no" is said only once its replay shows it.

May import: `ir`.
"""

from __future__ import annotations

from collections.abc import Mapping

from solomonic.reason.ir import Function, Var
from solomonic.reason.ir.evaluate import ArrayValue, Value
from solomonic.reason.replay import sandbox


def replay_record(confirmed: bool, observed: str) -> dict[str, object]:
    """A witness's "replay" object in every output format: whether the real run showed the violation,
    what it did, and how the run was isolated (`sandbox.isolation()`: whether the network was out of
    its reach on this machine)."""
    return {"confirmed": confirmed, "observed": observed, "sandbox": sandbox.isolation()}


def shown_inputs(function: Function, inputs: Mapping[Var, Value]) -> dict[str, object]:
    """A witness's inputs by their source names, as the function's language writes them and its replay
    passes them: a bool parameter's value as a bool, a Python list's array as the list."""
    from solomonic.reason.replay.python import MAX_LIST, list_argument

    shown: dict[str, object] = {}
    for i in function.inputs:
        value = inputs[i.var]
        if isinstance(value, ArrayValue):
            length = value.get(-1)
            shown[i.display] = list_argument(value) if length <= MAX_LIST else f"a list of {length} elements"
        else:
            shown[i.display] = bool(value) if i.source_type == "bool" else value
    return shown
