"""The Python part's judge: the inputs CPython runs each function on, and `check`'s decisive answers
against those runs and against each witness.
"""

from __future__ import annotations

import ast
import itertools
import json
import random
from pathlib import Path

from solomonic.bench.soundness.python.runner import LONG_BOUND_S, SAMPLE_BOUND_S, run_rows
from solomonic.bench.soundness.python.writer import Batch, Generated

BOUNDARY = (0, 1, -1, 2, -2, 3, -3, 7, -7, 2**31, -2**31, 2**63 - 1, -2**63, 2**63, 2**64 + 1, -2**64 - 1,
            10**30, -10**30)
CORE = (0, 1, -1, 2, -2, 3, -3)


def inputs(function: Generated, seed: int) -> list[list[int | bool]]:
    """The argument lists CPython runs `function` on: products of small values, each boundary value and
    each constant of the function (and its neighbours) in every position, and random values."""
    rng = random.Random(f"solomonic-soundness-python/{seed}/{function.name}/inputs")
    hints = sorted(_constants(function.text), key=lambda v: (abs(v), v))
    special = list(dict.fromkeys([*BOUNDARY, *hints]))
    arity = len(function.params)

    def some() -> int:
        r = rng.random()
        if r < 0.4:
            return rng.randint(-20, 20)
        if r < 0.6:
            return rng.randint(-1000, 1000)
        if r < 0.8:
            return rng.choice(special)
        return rng.choice((-1, 1)) * (2 ** rng.randint(30, 130) + rng.randint(-2, 2))

    core = CORE if arity < 3 else CORE[:5]
    rows = [list(r) for r in itertools.product(core, repeat=arity)]
    for value in special:
        for position in range(arity):
            row = [some() for _ in range(arity)]
            row[position] = value
            rows.append(row)
    rows += [[some() for _ in range(arity)] for _ in range(30)]
    for position, (_, kind) in enumerate(function.params):
        if kind == "bool":
            for row in rows:
                row[position] = bool(row[position] % 2)
    unique: dict[str, list[int | bool]] = {json.dumps(r): r for r in rows}
    return list(unique.values())


def _constants(text: str) -> set[int]:
    """The function's integer constants folded where they are `a ** b` or negated, with neighbours."""
    out: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        value = None
        if isinstance(node, ast.Constant) and type(node.value) is int:
            value = node.value
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and all(
                isinstance(n, ast.Constant) and type(n.value) is int for n in (node.left, node.right)) \
                and 0 <= node.right.value <= 64:
            value = node.left.value ** node.right.value
        if value is not None:
            out |= {value - 1, value, value + 1, -value - 1, -value, -value + 1}
    return out


def violates(prop: str, outcome: list) -> bool:
    """Whether one run shows `prop` failing: an escaping exception (assert), a false return
    (returns-true), still running at its bound (terminates). A run the judge could not finish (its
    interpreter died) counts against every property: it is reported, never silently passed."""
    kind = outcome[0]
    if kind == "crash":
        return True
    if prop == "assert":
        return kind == "raise"
    if prop == "returns-true":
        return kind == "ret" and not outcome[1]
    return kind == "hang"


def _shown(function: Generated, args: list) -> str:
    return ", ".join(f"{p}={a!r}" for (p, _), a in zip(function.params, args))


def _observed(outcome: list) -> str:
    kind = outcome[0]
    if kind == "ret":
        return f"returned {outcome[2]}"
    if kind == "raise":
        return f"raised {outcome[1]}" + (f": {outcome[2]}" if outcome[2] else "")
    if kind == "hang":
        return f"was still running after {outcome[1]:g} s of CPU time"
    return f"crashed: {outcome[1]}"


def _witness_args(function: Generated, witness: dict | None) -> list | None:
    values = (witness or {}).get("inputs")
    if not isinstance(values, dict) or any(p not in values for p, _ in function.params):
        return None
    return [bool(values[p]) if kind == "bool" else int(values[p]) for p, kind in function.params]


def judge(batch: Batch, module: Path, results: dict[str, list], seed: int, workdir: Path) -> list[dict]:
    """The disagreements between `check`'s answers (property -> Results) and CPython's runs."""
    by_name = {f.name: f for f in batch.functions}
    samples = {f.name: inputs(f, seed) for f in batch.functions}
    plan: dict[str, list[tuple[list, float]]] = {name: [(r, SAMPLE_BOUND_S) for r in rows]
                                                 for name, rows in samples.items()}
    disagreements: list[dict] = []

    def disagree(name: str, prop: str, verdict: str, evidence: str) -> None:
        disagreements.append({"program": batch.program(name), "function": name, "property": prop,
                              "verdict": verdict, "evidence": evidence})

    witnesses: list[tuple[str, str, int]] = []  # (function, property, row index)
    for prop, answers in results.items():
        for r in answers:
            if r.verdict.value != "no":
                continue
            args = _witness_args(by_name[r.function], r.witness)
            replay = (r.witness or {}).get("replay", {})
            if args is None or replay.get("confirmed") is not True:
                disagree(r.function, prop, "no", "the witness is incomplete or its replay was not confirmed: "
                         + json.dumps(r.witness)[:500])
                continue
            witnesses.append((r.function, prop, len(plan[r.function])))
            plan[r.function].append((args, LONG_BOUND_S))
    outcomes = run_rows(module, plan, workdir)
    for name, prop, index in witnesses:
        outcome = outcomes[name][index]
        if not violates(prop, outcome):
            disagree(name, prop, "no", f"the witness ({_shown(by_name[name], plan[name][index][0])}) "
                                       f"{_observed(outcome)} here")
    suspects: dict[str, list[tuple[list, float]]] = {}
    for prop, answers in results.items():
        for r in answers:
            if r.verdict.value != "yes":
                continue
            rows = samples[r.function]
            bad = [(rows[i], o) for i, o in enumerate(outcomes[r.function][:len(rows)]) if violates(prop, o)]
            if prop == "terminates" and bad:
                suspects[r.function] = [(args, LONG_BOUND_S) for args, _ in bad[:3]]
            elif bad:
                args, outcome = bad[0]
                example = f"({_shown(by_name[r.function], args)}) {_observed(outcome)}"
                disagree(r.function, prop, "yes", f"{len(bad)} of {len(rows)} runs violate it: {example}")
    if suspects:
        again = run_rows(module, suspects, workdir)
        for name, rows in suspects.items():
            still = [(args, o) for (args, _), o in zip(rows, again[name]) if violates("terminates", o)]
            if still:
                args, outcome = still[0]
                disagree(name, "terminates", "yes", f"the run ({_shown(by_name[name], args)}) "
                                                    f"{_observed(outcome)}")
    return disagreements
