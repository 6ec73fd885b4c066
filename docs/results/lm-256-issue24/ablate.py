"""Issue 24: does a `bmojo` trained on text use its eidetic memory? Trains the T=256 run of drive.py (seed 0, 400
steps unless STEPS is given) and evaluates it twice on the same validation windows: as trained, and with the memory
removed (its weights loaded into the same preset at k_mem = 0, which is `bmojo_f`'s layer; only the innovation
predictor is left over). If the two perplexities agree, the trained model draws nothing from its memory.

Run from the repository root: `.venv/bin/python docs/results/lm-256-issue24/ablate.py [STEPS]`; the result goes to
ablate-STEPS.json here.
"""
import dataclasses
import sys
from pathlib import Path

import torch
from drive import RECIPE, runs

from solomonic.bench.lm import EVAL_TOKENS
from solomonic.bench.record import stamp, write_json
from solomonic.bench.runs import train_resumably
from solomonic.bmojo import BMojoLM
from solomonic.train import TrainSettings

if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else RECIPE.steps
    torch.set_num_threads(1)
    run = next(r for r in runs(steps) if r.model == "bmojo" and r.seed == 0)
    r = run.recipe
    settings = TrainSettings(task="lm", task_params={"length": r.length}, preset=run.preset,
                             model_overrides=dict(run.overrides), steps=r.steps, batch_size=r.batch_size, lr=r.lr,
                             seed=run.seed, eval_every=0, eval_batches=1, progress=False, compile=False)
    trainer, _, timing = train_resumably(settings, None)
    trained = trainer.model
    without = BMojoLM(dataclasses.replace(trained.config, k_mem=0)).to(next(trained.parameters()).dtype)
    missing, unexpected = without.load_state_dict(trained.state_dict(), strict=False)
    assert not missing and all(".predictor." in name for name in unexpected), (missing, unexpected)
    result = {**stamp(), "command": " ".join([".venv/bin/python", *sys.argv]), "run": run.key, "steps": steps,
              "left_out": unexpected, **timing, "eval": {}}
    for name, model in (("with memory", trained), ("memory removed", without)):
        trainer.model = model
        for length in (r.length, 2 * r.length):
            size = max(1, min(r.batch_size, EVAL_TOKENS // length))
            result["eval"].setdefault(name, {})[str(length)] = trainer.evaluate(
                length=length, batches=max(1, EVAL_TOKENS // (size * length)), size=size)
    write_json(str(Path(__file__).parent / f"ablate-{steps}.json"), result)
    for name, by_length in result["eval"].items():
        print(name, {n: round(e["perplexity"], 3) for n, e in by_length.items()})
