"""Issue 24: the runs of `solomonic bench lm --quick --seeds 2 --presets P... --cache docs/results/lm-quick-issue24`,
trained by workers side by side (`bench lm` trains one run after another), each run keyed as `bench lm` keys it.

Run from the repository root, one worker per core: `.venv/bin/python docs/results/lm-quick-issue24/drive.py P...`.
A worker takes the first run no worker has claimed: the learning-rate sweep (seed 1000) of each preset first, in the
order given, then a preset's seeds 0 and 1 at its swept rate once its sweep is complete. `bench lm ... --report-only`
then writes the report from what is here. A claim is a file in partial/claims/; a killed worker leaves its claim
behind (delete it to hand the run on; the run itself resumes from its checkpoint in partial/).
"""
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import torch

from solomonic.bench.lm import QUICK, Run, chosen_rates, matched_models, plan_sweep, train_one
from solomonic.bench.record import write_json

HERE = Path(__file__).parent
SEEDS = (0, 1)


def pending(presets: list[str]) -> list[tuple[Run, Path]]:
    """The runs still to train, in order, with where each result goes."""
    models = matched_models(QUICK, presets)
    todo = []
    for name, spec in models.items():
        sweep = plan_sweep(QUICK, {name: spec})
        done = [json.loads(path.read_text()) for r in sweep if (path := HERE / "sweep" / f"{r.key}.json").exists()]
        todo += [(r, HERE / "sweep") for r in sweep if not (HERE / "sweep" / f"{r.key}.json").exists()]
        if len(done) == len(sweep):
            rate = chosen_rates(done, QUICK.length)[spec[0]]
            todo += [(Run(name, spec[0], tuple(sorted(spec[1].items())), replace(QUICK, lr=rate), seed), HERE)
                     for seed in SEEDS]
    return [(r, folder) for r, folder in todo if not (folder / f"{r.key}.json").exists()]


def claim(run: Run) -> bool:
    claims = HERE / "partial" / "claims"
    claims.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(claims / run.key, os.O_CREAT | os.O_EXCL))
        return True
    except FileExistsError:
        return False


if __name__ == "__main__":
    torch.set_num_threads(1)
    while (claimed := next(((r, folder) for r, folder in pending(sys.argv[1:]) if claim(r)), None)) is not None:
        run, folder = claimed
        result = train_one(run, HERE / "partial" / run.key, compile=False)
        write_json(str(folder / f"{run.key}.json"), result)
        print(f"{run.model} lr {run.recipe.lr:g} seed {run.seed}: perplexity "
              f"{result['eval'][str(QUICK.length)]['perplexity']:.2f}", flush=True)
