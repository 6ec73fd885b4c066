"""Issue 24, why `bmojo` models text worse: the quick LM recipe (T=64, 400 steps, batch 16, 2 layers, w=16) for
each experiment below, every model at the non-embedding parameter count of the `bmojo` preset before this work
(162,992; widths matched by `bench lm`'s rule), evaluated as `bench lm` evaluates.

Run from the repository root: `.venv/bin/python docs/results/lm-why-issue24/drive.py run I N [NAME ...]` trains
worker I of N's share of the named experiments (all when none is named); `... drive.py table` prints what is
there. Results land beside this file, keyed as `bench lm` keys them, so a rerun trains only what is missing.
"""
import dataclasses
import functools
import statistics
import sys
from pathlib import Path

import torch

from solomonic.bench.lm import QUICK, Run, train_one
from solomonic.bench.matching import match_width, parameters
from solomonic.bench.runs import run_all

HERE = Path(__file__).parent
BASE = {**QUICK.base(), "vocab_size": 256}
TARGET = parameters("bmojo", {**BASE, "ssm_direct": False})
# name: (preset, overrides, learning rate, seeds)
EXPERIMENTS = {
    "transformer": ("transformer", {}, 2e-3, (0, 1)),
    "transformer lr 5e-3": ("transformer", {}, 5e-3, (0,)),
    "mamba": ("mamba", {}, 2e-3, (0, 1)),
    "mamba lr 5e-3": ("mamba", {}, 5e-3, (0,)),
    "bmojo (DESIGN.md readout)": ("bmojo", {"ssm_direct": False}, 2e-3, (0, 1)),
    "bmojo (DESIGN.md readout) lr 5e-3": ("bmojo", {"ssm_direct": False}, 5e-3, (0,)),
    "bmojo, ssm_direct": ("bmojo", {"ssm_direct": True}, 2e-3, (0, 1)),
    "bmojo, ssm_direct lr 5e-3": ("bmojo", {"ssm_direct": True}, 5e-3, (0, 1)),
    "bmojo, ssm_direct lr 1e-2": ("bmojo", {"ssm_direct": True}, 1e-2, (0,)),
    "bmojo_f, ssm_direct": ("bmojo_f", {"ssm_direct": True}, 2e-3, (0,)),
    # does a learned gate on memory logits let the layer ignore entries that do not help text (bmojo_f: 6.30, 6.50)?
    "bmojo, ssm_direct, mem_gate lr 1e-2": ("bmojo", {"ssm_direct": True, "mem_gate": True}, 1e-2, (0, 1)),
    # does the innovation predictor's auxiliary loss, whose gradient reaches the SSM, cost the SSM its text modelling?
    "bmojo, ssm_direct, aux_weight 0 lr 1e-2": ("bmojo", {"ssm_direct": True, "aux_weight": 0.0}, 1e-2, (0, 1)),
    # is bmojo_f's lead over bmojo in the quick comparison (6.40 against 6.52, seeds 0 and 1) more than seed noise?
    "bmojo, seeds 2, 3 lr 1e-2": ("bmojo", {}, 1e-2, (2, 3)),
    "bmojo_f, seeds 2, 3 lr 1e-2": ("bmojo_f", {}, 1e-2, (2, 3)),
}


def runs(names) -> list[Run]:
    out = []
    for name in names:
        preset, extra, lr, seeds = EXPERIMENTS[name]
        matched, _ = match_width(preset, TARGET, {**BASE, **extra})
        recipe = dataclasses.replace(QUICK, lr=lr)
        out += [Run(name, preset, tuple(sorted(matched.items())), recipe, seed) for seed in seeds]
    return out


def table() -> None:
    results = run_all(runs(EXPERIMENTS), lambda r: r.key, None, HERE, None, train_missing=False, name=lambda r: r.model)
    print("| experiment | d_model | params | lr | seeds | ppl @ 64 (each) | mean @ 64 | mean @ 128 | mean @ 1024 |")
    print("|---|---:|---:|---:|---|---|---:|---:|---:|")
    for name in EXPERIMENTS:
        got = [r for r in results if r["model"] == name]
        if got:
            ppl = {n: [r["eval"][n]["perplexity"] for r in got] for n in ("64", "128", "1024")}
            print(f"| {name} | {got[0]['overrides']['d_model']} | {got[0]['params_without_embeddings']:,} | "
                  f"{got[0]['recipe']['lr']:g} | {', '.join(str(r['seed']) for r in got)} | "
                  f"{', '.join(f'{p:.2f}' for p in ppl['64'])} | {statistics.mean(ppl['64']):.2f} | "
                  f"{statistics.mean(ppl['128']):.2f} | {statistics.mean(ppl['1024']):.2f} |")


if __name__ == "__main__":
    if sys.argv[1] == "table":
        table()
    else:
        torch.set_num_threads(1)
        worker, workers = int(sys.argv[2]), int(sys.argv[3])
        chosen = runs(sys.argv[4:] or EXPERIMENTS)
        run_all(chosen[worker::workers], lambda r: r.key, functools.partial(train_one, compile=False), HERE,
                lambda r, res: f"{r.model} seed {r.seed}: perplexity {res['eval']['64']['perplexity']:.2f}",
                name=lambda r: r.model)
