"""Replay: a counterexample run for real (C compiled with sanitizers, Python in a fresh interpreter), in
the sandbox of sandbox.py: no caller environment, a private directory, limits on time, memory, files,
and no network where the machine allows. A "no" is said only once its replay shows it.

May import: `ir`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from solomonic.reason.ir import LENGTH, OBJECTS, UNUSED, ArrayType, Function, Var, member_cells
from solomonic.reason.ir.evaluate import ArrayValue, Value
from solomonic.reason.ir.interpret import NondetRead
from solomonic.reason.replay import sandbox


def replay_record(confirmed: bool, observed: str) -> dict[str, object]:
    """A witness's "replay" object in every output format: whether the real run showed the violation,
    what it did, and how the run was isolated (`sandbox.isolation()`: whether the network was out of
    its reach on this machine)."""
    return {"confirmed": confirmed, "observed": observed, "sandbox": sandbox.isolation()}


def shown_reads(reads: Iterable[NondetRead]) -> list[dict[str, object]]:
    """A witness's nondeterministic values, in the order the run read them (its "nondet"): a number as
    itself, an array (an uninitialised one in C) as the cells it holds and the value of every other cell
    (None where a solver's model decides those cell by cell)."""
    def shown(value: Value) -> object:
        if not isinstance(value, ArrayValue):
            return value
        return {"cells": {str(i): v for i, v in value.entries},
                "otherwise": value.default if value.fallback is None else None}

    return [{"origin": r.origin, "type": r.type, "value": shown(r.value), "line": r.line} for r in reads]


def shown_inputs(function: Function, inputs: Mapping[Var, Value]) -> dict[str, object]:
    """A witness's inputs by their source names, as the function's language writes them and its replay
    passes them: a bool parameter's value as a bool, a Python list's array as the list (a str's as the
    str), an `int | None` parameter whose None flag is set as None (the flag, an input of its own, is not
    shown), a C pointer parameter as its elements (their number, an input of its own, is the list's
    length); a C parameter of kind UNUSED is not shown, nor a struct parameter's object (its members are)."""
    from solomonic.reason.replay.c import elements
    from solomonic.reason.replay.python import (
        MAX_LIST,
        NONE_FLAG,
        STR,
        list_argument,
        none_flag,
        str_argument,
    )

    shown: dict[str, object] = {}
    for k, i in enumerate(function.inputs):
        if i.kind in (NONE_FLAG, LENGTH, UNUSED, *OBJECTS):
            continue
        value = inputs.get(i.var, 0)
        if inputs.get(none_flag(i.var)):
            shown[i.display] = None
        elif isinstance(i.var.type, ArrayType) and function.language == "c":
            cells = member_cells(i)  # a struct member's, or a pointer parameter's with its LENGTH next
            length = cells[1] if cells else inputs[function.inputs[k + 1].var]
            try:
                shown[i.display] = elements(value, length, i.var.type)
            except ValueError:
                shown[i.display] = f"an array of {length} elements"
        elif isinstance(value, ArrayValue):
            length = value.get(-1)
            read = str_argument if i.source_type == STR else list_argument
            kind = "a str" if i.source_type == STR else "a list"
            shown[i.display] = read(value) if length <= MAX_LIST else f"{kind} of {length} elements"
        else:
            shown[i.display] = bool(value) if i.source_type == "bool" else value
    return shown


def given_inputs(function: Function, shown: Mapping[str, object]) -> dict[Var, Value]:
    """The inverse of `shown_inputs`, for evidence read back from a stored or given answer: a list or a
    str as its array (length in cell -1; a C pointer parameter's in its LENGTH input), None as the
    parameter's flag set (its value then 0, which nothing reads).
    Raises ValueError naming an input the witness gives no value, or no value of its kind, for."""
    from solomonic.reason.replay.python import NONE_FLAG, STR, none_flag, str_array

    values: dict[Var, Value] = {}
    for k, i in enumerate(function.inputs):
        if i.kind in (NONE_FLAG, LENGTH, UNUSED, *OBJECTS):
            continue
        if i.display not in shown:
            raise ValueError(f"the witness gives no value for {i.display}")
        value, flag = shown[i.display], none_flag(i.var)
        if any(j.var == flag for j in function.inputs):
            values[flag] = int(value is None)
        if value is None and flag in values:
            values[i.var] = 0
        elif isinstance(value, str) and i.source_type == STR:
            values[i.var] = str_array(value)
        elif isinstance(value, list) and all(isinstance(x, int) for x in value) and function.language == "c" \
                and isinstance(i.var.type, ArrayType) and value:  # a pointer parameter's or a member's elements
            cells = member_cells(i)
            if cells is not None and len(value) != cells[1]:
                raise ValueError(f"the witness gives {len(value)} elements for {i.display}, which has {cells[1]}")
            values[i.var] = ArrayValue(0, enumerate(value))
            if cells is None:
                values[function.inputs[k + 1].var] = len(value)
        elif isinstance(value, list) and all(isinstance(x, int) for x in value):
            values[i.var] = ArrayValue(0, ((-1, len(value)), *enumerate(value)))
        elif isinstance(value, int):  # a bool is an int: True is 1
            values[i.var] = int(value)
        else:
            raise ValueError(f"the witness's value for {i.display} is not one the function takes: {value!r}")
    return values

