"""Issue 24: language modelling at a length where the eidetic memory is visible to most positions.

At the quick recipe (T=64, w=16) a memory entry turns eligible 2w = 32 tokens after it is selected, so at most half
the positions ever see one, and `bmojo` tied `bmojo_f` (docs/benchmarks.md, issue 24). Here T=256 and w=32: a
query sees memory from position 2w = 64 on, three quarters of the positions. Batch 4 keeps the quick recipe's
1,024 tokens per step; the schedule is the quick recipe's 400 steps, or longer (STEPS), to see whether the memory
earns its place once the model has had time to learn to use it. Each preset trains at the rate its quick sweep chose
(docs/results/bench-lm-quick.json); no sweep is run here.

Run from the repository root, one worker per core: `.venv/bin/python docs/results/lm-256-issue24/drive.py STEPS`.
A worker takes the first run no other worker has claimed (a claim is a file in partial/claims/); results land
beside this file, keyed as `bench lm` keys a run, and `drive.py table STEPS` prints them.
"""
import json
import os
import statistics
import sys
from dataclasses import replace
from pathlib import Path

import torch

from solomonic.bench.lm import QUICK, Run, matched_models, train_one
from solomonic.bench.record import write_json

HERE = Path(__file__).parent
RECIPE = replace(QUICK, length=256, batch_size=4, window=32)  # 400 steps; STEPS on the command line replaces them
RATES = {"bmojo": 1e-2, "bmojo_f": 1e-2, "transformer": 3e-3, "hybrid": 1e-2, "swa": 3e-3}  # the quick sweep's choices
SEEDS = (0, 1)


def runs(steps: int) -> list[Run]:
    models = matched_models(RECIPE, list(RATES))
    return [Run(name, preset, tuple(sorted(overrides.items())), replace(RECIPE, lr=RATES[name], steps=steps), seed)
            for seed in SEEDS for name, (preset, overrides) in models.items()]


def claim(run: Run) -> bool:
    claims = HERE / "partial" / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(claims / run.key, os.O_CREAT | os.O_EXCL))
        return True
    except FileExistsError:
        return False


def table(steps: int) -> None:
    lengths = [str(RECIPE.length), str(2 * RECIPE.length)]
    print(f"| model | params | lr | seeds | ppl @ {lengths[0]} (per seed) | ppl @ {lengths[1]} | 2T / T |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for name in RATES:
        done = [json.loads(p.read_text()) for r in runs(steps) if r.model == name and (p := HERE / f"{r.key}.json").exists()]
        if not done:
            continue
        at = {n: statistics.mean(d["eval"][n]["perplexity"] for d in done) for n in lengths}
        seeds = ", ".join(f"{d['eval'][lengths[0]]['perplexity']:.2f}" for d in done)
        print(f"| {name} | {done[0]['params_without_embeddings']:,} | {RATES[name]:g} | {len(done)} | "
              f"{at[lengths[0]]:.2f} ({seeds}) | {at[lengths[1]]:.2f} | {at[lengths[1]] / at[lengths[0]]:.3f} |")


if __name__ == "__main__":
    if sys.argv[1] == "table":
        table(int(sys.argv[2]))
        sys.exit()
    torch.set_num_threads(1)
    while (run := next((r for r in runs(int(sys.argv[1])) if not (HERE / f"{r.key}.json").exists() and claim(r)), None)) is not None:
        result = train_one(run, HERE / "partial" / run.key, compile=False)
        write_json(str(HERE / f"{run.key}.json"), result)
        print(f"{run.model} lr {run.recipe.lr:g} seed {run.seed}: perplexity "
              f"{result['eval'][str(RECIPE.length)]['perplexity']:.2f}", flush=True)
