"""Issue 24, row 4 of docs/benchmarks.md: the MQAR quick cell at seeds 1, 2 and 0, each model at its best-known rate.

Run from the repository root, one worker per core: `.venv/bin/python docs/results/recall-issue24/drive.py I N` for
worker I of N. Results land beside this file, keyed as `bench recall` keys them, so a rerun trains only what is
missing. The runs here were trained before the preset changed, under the names "bmojo, previous-token keys" (now
the preset `bmojo`) and "bmojo" (now "bmojo, own-token keys"); their stored "model" fields keep the old names.
"""
import functools
import sys
from pathlib import Path

import torch

from solomonic.bench.recall import QUICK_GRID, Run, describe, matched_models, train_one
from solomonic.bench.runs import run_all

torch.set_num_threads(1)
worker, workers = int(sys.argv[1]), int(sys.argv[2])
config = QUICK_GRID[0]
rates = {"bmojo": 1e-2, "bmojo, own-token keys": 3e-3, "transformer": 1e-2, "mamba": 3e-3, "hybrid": 3e-3, "swa": 3e-3}
matched = matched_models(config, list(rates), memory_options=True)
runs = [Run(m, matched[m][0], tuple(sorted(matched[m][1].items())), config, seed, rate, 64)
        for seed in (1, 2, 0) for m, rate in rates.items()]
run_all(runs[worker::workers], lambda r: r.key, functools.partial(train_one, compile=False),
        Path("docs/results/recall-issue24"), describe, name=lambda r: r.model)
