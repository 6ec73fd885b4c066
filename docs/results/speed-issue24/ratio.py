"""Issue 24: `bmojo` / `swa` training throughput at `bench speed`'s full scale (d 256, 4 layers, w 64, MLPs matched
to B'MOJO's parameter count, T=2048, 8,192 tokens per step), measured as CPU time of one thread.

`bench speed` times wall clock on every core of an idle machine; the 2-core hosts of this session were shared with
several other jobs (load 3 to 12), where wall time measures the neighbours. One thread's CPU time, the models timed
in interleaved rounds, is what a busy host can still measure fairly. Run from the repository root:
`.venv/bin/python docs/results/speed-issue24/ratio.py LABEL [ROUNDS] [--compile]`; the result goes to
ratio-LABEL.json here. With --compile every model's forward (and so its backward) runs through torch.compile, as
`bench speed`'s compiled table does (train.CompiledOrEager); the warm-up step, which compiles, is not timed.
"""
import json
import statistics
import sys
import time
from pathlib import Path

import torch

from solomonic.bench.record import stamp, write_json
from solomonic.bench.speed import FULL, build, family, training_step
from solomonic.train import CompiledOrEager

MODELS = ("swa", "bmojo_f", "bmojo")
LENGTH = 2048

if __name__ == "__main__":
    compile = "--compile" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--compile"]
    label, rounds = args[0], int(args[1]) if len(args) > 1 else 5
    torch.set_num_threads(1)
    configs = family(FULL)
    batch = FULL.tokens_per_step // LENGTH
    ids = torch.randint(0, 256, (batch, LENGTH + 1), generator=torch.Generator().manual_seed(0))
    models = {name: build(name, configs, torch.device("cpu")) for name in MODELS}
    steps = {name: training_step(model, ids, CompiledOrEager(model) if compile else None)
             for name, model in models.items()}
    for step in steps.values():  # warm-up
        step()
    seconds: dict[str, list[float]] = {name: [] for name in MODELS}
    for r in range(rounds):
        for name in MODELS[r % len(MODELS):] + MODELS[: r % len(MODELS)]:
            start = time.process_time()
            steps[name]()
            seconds[name].append(time.process_time() - start)
    ratios = {name: statistics.median(s / b for s, b in zip(seconds["swa"], seconds[name])) for name in MODELS}
    report = {**stamp(), "command": " ".join([".venv/bin/python", *sys.argv]), "label": label, "length": LENGTH,
              "batch": batch, "threads": 1, "clock": "process CPU time", "compiled": compile,
              "cpu_seconds_per_step": seconds, "tokens_per_cpu_second": {
                  name: batch * LENGTH / statistics.median(s) for name, s in seconds.items()},
              "throughput_vs_swa": ratios}
    write_json(str(Path(__file__).parent / f"ratio-{label}.json"), report)
    print(json.dumps({"tokens_per_cpu_second": report["tokens_per_cpu_second"], "vs_swa": ratios}, indent=1))
