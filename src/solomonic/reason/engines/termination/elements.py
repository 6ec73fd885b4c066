"""Array elements as ranked variables: a loop may run down an element (while (a[k] >= 0) a[k]--).

A ranking names an element `a[i]` (i a scalar or a number): the elements a block's guard reads, and the
term such a name denotes over a step's values, a read pushed through the step's stores. Shared by the
synthesis (proof.py) and the re-check (check.py), which must read the names the same way.
"""

from __future__ import annotations

import re

import z3

from solomonic.reason.ir import App, Const, Var
from solomonic.reason.symbolic.system import Block

ELEMENT = re.compile(r"(.+)\[(.+)\]")  # an array element a ranking names: a[i], a[3]
NUMBER = re.compile(r"-?\d+")


def named(terms: dict[Var, z3.ExprRef], names) -> dict[str, z3.ExprRef]:
    """Terms by the names a ranking uses: a head's variables, and array elements `a[i]` (i a variable,
    a number, or a sum of them: `a[p$offset+j]`, a pointer's element) over them."""
    env = {v.name: t for v, t in terms.items()}
    for name in names:
        element = ELEMENT.fullmatch(name)
        if name in env or element is None or element[1] not in env or not z3.is_array(env[element[1]]):
            continue
        array = env[element[1]]
        parts = [env[p] if p in env else z3.IntVal(int(p), array.ctx) if NUMBER.fullmatch(p) else None
                 for p in element[2].split("+")]
        if all(p is not None for p in parts):
            env[name] = _read(array, z3.Sum(*parts) if len(parts) > 1 else parts[0])
    return env


def _read(array: z3.ExprRef, index: z3.ExprRef) -> z3.ExprRef:
    """array[index], with reads pushed through the branches and stores of a block's array update, so
    that a step's new element is a term of the old ones (a[k] - 1 after a[k]--), not a fresh value."""
    if z3.is_app_of(array, z3.Z3_OP_ITE):
        return z3.If(array.arg(0), _read(array.arg(1), index), _read(array.arg(2), index))
    if z3.is_app_of(index, z3.Z3_OP_ITE):
        return z3.If(index.arg(0), _read(array, index.arg(1)), _read(array, index.arg(2)))
    if z3.is_store(array):
        same = z3.simplify(array.arg(1) == index)
        if z3.is_true(same):
            return array.arg(2)
        rest = _read(array.arg(0), index)
        return rest if z3.is_false(same) else z3.If(same, array.arg(2), rest)
    return z3.Select(array, index)


def elements_read(block: Block, scalars: set[str]) -> set[str]:
    """Names `a[i]` of the elements a block's guard reads with a scalar or a constant index, or the sum
    of two (a pointer's offset and a scalar: `p[j]` of `int *p = alloca(n * sizeof(int))`)."""
    found, stack = set(), [block.guard]
    while stack:
        e = stack.pop()
        if isinstance(e, App):
            if e.op == "select" and isinstance(e.args[0], Var):
                index = _index_name(e.args[1], scalars)
                if index is not None:
                    found.add(f"{e.args[0].name}[{index}]")
            stack.extend(e.args)
    return found


def _index_name(index: object, scalars: set[str]) -> str | None:
    """An index as a ranking names it: a scalar, a number, or a sum (no overflow: `add_nsw`, whose value
    is the exact sum) of those; None for any other."""
    while isinstance(index, App) and index.op == "cast":  # a widening: the same number
        index = index.args[0]
    if isinstance(index, Const):
        return str(index.value)
    if isinstance(index, Var) and index.name in scalars:
        return index.name
    if isinstance(index, App) and index.op == "add_nsw":
        parts = [_index_name(a, scalars) for a in index.args]
        if all(p is not None and "+" not in p for p in parts):
            return "+".join(parts)  # type: ignore[arg-type]
    return None
