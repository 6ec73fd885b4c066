"""Issue 24: does the SSM read directly (`ssm_direct`) cost `bmojo` recall in the quick cell?

With the preset's previous-token keys and no direct read, seeds 0-2 gave 0.828, 0.907, 0.690 (mean 0.808); with
`ssm_direct`, the preset since, 0.838, 0.600, 0.458 (mean 0.632; both in docs/results/recall-issue24). Three seeds
of a task learned in a sudden jump may be seed noise: this trains both on seeds 3-5 at the same rate (1e-2).

Run from the repository root, one worker per core: `.venv/bin/python docs/results/recall-direct-issue24/drive.py I N`
for worker I of N; `drive.py table` prints every seed of both, these and the earlier ones. Results land beside this
file, keyed as `bench recall` keys a run.
"""
import functools
import json
import statistics
import sys
from pathlib import Path

import torch

from solomonic.bench.recall import QUICK_GRID, Run, describe, matched_models, train_one
from solomonic.bench.runs import run_all

HERE = Path(__file__).parent
EARLIER = HERE.parent / "recall-issue24"
CONFIG = QUICK_GRID[0]
RATE = 1e-2
MODELS = {"bmojo": {}, "bmojo, no direct SSM read": {"ssm_direct": False}}


def runs(seeds) -> list[Run]:
    base = matched_models(CONFIG, ["bmojo"], memory_options=False)["bmojo"][1]
    return [Run(name, "bmojo", tuple(sorted({**base, **extra}.items())), CONFIG, seed, RATE, 64)
            for seed in seeds for name, extra in MODELS.items()]


def table() -> None:
    print("| model | seeds | accuracy per seed | mean | far accuracy (mean) |")
    print("|---|---|---|---:|---:|")
    for name in MODELS:
        done = [json.loads(p.read_text()) for r in runs(range(6)) if r.model == name
                for p in (HERE / f"{r.key}.json", EARLIER / f"{r.key}.json") if p.exists()]
        done.sort(key=lambda d: d["seed"])
        if done:
            print(f"| {name} | {', '.join(str(d['seed']) for d in done)} | "
                  f"{', '.join(format(d['accuracy'], '.3f') for d in done)} | {statistics.mean(d['accuracy'] for d in done):.3f} | "
                  f"{statistics.mean(d['far_accuracy'] for d in done):.3f} |")


if __name__ == "__main__":
    if sys.argv[1:] == ["table"]:
        table()
        sys.exit()
    torch.set_num_threads(1)
    worker, workers = int(sys.argv[1]), int(sys.argv[2])
    run_all(runs((3, 4, 5))[worker::workers], lambda r: r.key, functools.partial(train_one, compile=False), HERE,
            describe, name=lambda r: r.model)
