"""One C batch from start to end: write it, probe it to fill the holes, ask the tool, and judge every
decisive answer against gcc's runs on boundary and random inputs and on each witness.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from solomonic.bench.soundness.c.gcc import LONG_MS, SAMPLE_MS, Run, compile_harness, run_rows
from solomonic.bench.soundness.c.program import Batch, Function, Hole
from solomonic.bench.soundness.c.types import CType
from solomonic.bench.soundness.c.writer import write_batch

VERSION = 6  # of the writer and the judge: cached batches from another version are redone
PROPERTIES = ("returns-true", "assert", "no-overflow", "terminates")
VIOLATION = {"returns-true": "false", "assert": "assert", "no-overflow": "overflow", "terminates": "timeout"}


def boundary(t: CType) -> list[int]:
    values = {0, 1, t.lo, t.hi, t.hi - 1}
    if t.signed:
        values |= {-1, t.lo + 1}
    return sorted(values)


def inputs(function: Function, rng: random.Random, extra: int = 0) -> list[tuple[int, ...]]:
    """Boundary values of each input's type (all combinations, fewer for three or more), then random."""
    types = [t for _, t in function.inputs]
    if len(types) <= 2:
        grid = [boundary(t) for t in types]
    else:
        grid = [sorted({0, t.lo, t.hi, -1 if t.signed else 1}) for t in types]
    rows = [()]
    for values in grid:
        rows = [(*r, v) for r in rows for v in values]
    for _ in range(10 + extra):
        rows.append(tuple(random_value(t, rng) for t in types))
    return list(dict.fromkeys(rows))


def random_value(t: CType, rng: random.Random) -> int:
    r = rng.random()
    if r < 0.4:
        return rng.randint(t.lo, t.hi)
    if r < 0.7:
        return rng.randint(max(t.lo, -20), min(t.hi, 20))
    k = rng.randrange(t.bits)
    return max(t.lo, min(t.hi, (1 << k) + rng.choice([-1, 0, 1]) * (1 if rng.random() < 0.5 else -1)))


def judge(results: list, prop_runs: dict[str, list[tuple[tuple[int, ...], Run]]],
          witness_runs: dict[int, Run], names: dict[str, list[str]]) -> list[tuple[object, str]]:
    """The answers the runs contradict, each with the evidence: a list of (result, evidence).
    `witness_runs`: the run of each "no" answer's witness, by the answer's position in `results`."""
    wrong = []
    for position, r in enumerate(results):
        runs = prop_runs.get(r.function)
        if runs is None or r.verdict.value == "unknown":
            continue
        params = names[r.function]
        if r.verdict.value == "yes":
            bad = VIOLATION[r.property]
            for args, run in runs:
                if run.outcome in ("overflow", "ub", "crash") or run.outcome == bad:
                    wrong.append((r, f"yes, but on ({_shown(params, args)}) the run does {run.outcome}"
                                     + (f": {run.detail}" if run.detail else "")))
                    break
        else:
            replay = (r.witness or {}).get("replay", {})
            run = witness_runs.get(position)
            if replay.get("confirmed") is not True:
                wrong.append((r, f"no, but the tool's own replay did not confirm it: {replay}"))
            elif run is None:
                wrong.append((r, f"no, but the witness {(r.witness or {}).get('inputs')} is not a valid input"))
            elif run.outcome != VIOLATION[r.property]:
                wrong.append((r, f"no, but the witness {r.witness['inputs']} does {run.outcome}"
                                 + (f": {run.detail}" if run.detail else "")))
    return wrong


def _shown(params: list[str], args: tuple[int, ...]) -> str:
    return ", ".join(f"{n}={v}" for n, v in zip(params, args))


def witness_row(function: Function, witness: dict | None) -> tuple[int, ...] | None:
    """The witness's inputs as a row of the harness; None where one is missing or outside its type."""
    values = (witness or {}).get("inputs", {})
    row = []
    members = {n for n, _ in function.argument.members} if function.argument else set()
    for name, t in function.inputs:
        # a struct pointer the body never names is no input of the tool's (the reproducer passes null)
        v = values.get(name, 0 if name in members and not any(m in values for m in members) else None)
        if not isinstance(v, int) or not t.lo <= int(v) <= t.hi:
            return None
        row.append(int(v))
    return tuple(row)


def run_batch(seed: int, index: int, count: int, timeout_s: float, jobs: int, workdir: Path,
              on_result: Callable | None = None) -> dict:
    """Write, probe, ask and judge one batch. Returns {"answers": [...], "disagreements": [...]}."""
    from solomonic.reason.api import check

    batch = write_batch(seed, index, count)
    rng = random.Random(f"soundness-c-inputs:{seed}:{index}")
    rows = [(k, args) for k, f in enumerate(batch.functions) for args in inputs(f, rng)]
    extra = [(k, args) for k, f in enumerate(batch.functions) for args in inputs(f, rng, extra=6)[-16:]]
    stem = f"c_{seed}_{index}"
    try:
        exe = compile_harness(workdir, f"{stem}_probe", batch.source(Hole.probe, probe=True), batch.functions, rows)
    except RuntimeError as err:  # a writer's mistake: reported with the batch, and the campaign goes on
        return {"answers": [], "error": str(err)[:1000], "disagreements": []}
    for run in run_rows(exe, 0, len(rows)):
        for hole_id, value in run.probes:
            hole_by_id(batch, hole_id).seen.append(value)
    fill_rng = random.Random(f"soundness-c-fill:{seed}:{index}")
    fills = {h.id: h.condition(fill_rng) for f in batch.functions for h in f.holes}
    fill = lambda h: fills[h.id]  # noqa: E731
    program = workdir / f"{stem}.c"
    program.write_text(batch.source(fill))
    try:
        results = check(str(program), property="all", timeout=timeout_s, jobs=jobs, on_result=on_result)
    except Exception as err:  # the front end refused the whole file: every question is unknown
        return {"answers": [], "refused": f"{type(err).__name__}: {err}"[:300], "disagreements": []}
    by_name = {f.name: f for f in batch.functions}
    answers = [{"function": r.function, "property": r.property, "verdict": r.verdict.value,
                "reason": r.reason[:200], "seconds": r.seconds} for r in results]
    disagreements = [{"language": "c", "program": batch.standalone(by_name[r.function], fill),
                      "function": r.function, "property": r.property, "verdict": r.verdict.value,
                      "evidence": evidence, "reason": r.reason[:300], "witness": r.witness}
                     for r, evidence in verify(batch.functions, program, rows + extra, results, workdir)]
    near = [{"function": r.function, "property": r.property, "reason": r.reason[:300],
             "program": batch.standalone(by_name[r.function], fill)}
            for r in results if r.reason.startswith("counterexample not confirmed by replay") and r.function in by_name]
    return {"answers": answers, "disagreements": disagreements, "replay_rejected": near}


def verify(functions: list[Function], program: Path, rows: list[tuple[int, tuple[int, ...]]], results: list,
           workdir: Path) -> list[tuple[object, str]]:
    """Run the program on the rows and on every witness, and judge the answers: (result, evidence) for
    each that the runs contradict."""
    index = {f.name: k for k, f in enumerate(functions)}
    witness_keys, witness_rows = [], []
    for position, r in enumerate(results):
        if r.verdict.value == "no" and r.function in index:
            row = witness_row(functions[index[r.function]], r.witness)
            if row is not None:
                witness_keys.append(position)
                witness_rows.append((index[r.function], row))
    exe = compile_harness(workdir, program.stem + "_judge", program.read_text(), functions, rows + witness_rows)
    runs = run_rows(exe, 0, len(rows))
    witness_runs = {}
    for i, position in enumerate(witness_keys):  # a hang must outlast the long bound
        at = len(rows) + i
        patient = results[position].property == "terminates"
        witness_runs[position] = run_rows(exe, at, at + 1, LONG_MS if patient else SAMPLE_MS)[0]
    claimed = {index[r.function] for r in results
               if r.property == "terminates" and r.verdict.value == "yes" and r.function in index}
    for i, run in enumerate(runs):  # a hang that contradicts a yes is run again, patiently, before it counts
        if run.outcome == "timeout" and rows[i][0] in claimed:
            runs[i] = run_rows(exe, i, i + 1, LONG_MS)[0]
    prop_runs: dict[str, list] = {}
    for (k, args), run in zip(rows, runs):
        prop_runs.setdefault(functions[k].name, []).append((args, run))
    names = {f.name: [n for n, _ in f.inputs] for f in functions}
    return judge(results, prop_runs, witness_runs, names)


def hole_by_id(batch: Batch, hole_id: int) -> Hole:
    for f in batch.functions:
        for h in f.holes:
            if h.id == hole_id:
                return h
    raise KeyError(hole_id)
