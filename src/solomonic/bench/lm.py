"""`solomonic bench lm`: language modelling on the standard library's source, and length generalisation.

Every preset, at B'MOJO's non-embedding parameter count (within 10 %, by width), is trained on windows of
T bytes, then its validation loss is measured on windows of T, 2T, 4T, 8T and 16T bytes with the same
number of tokens at each length. A model that generalises keeps (or lowers) its loss as the context
grows past what it was trained on; one that does not, degrades.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from solomonic.bench.matching import match_width, parameters
from solomonic.bench.record import devices, provenance, save_figure, stamp, update_section, write_json
from solomonic.bench.runs import compiling, resolved_model, run_all, run_key, train_resumably
from solomonic.train import TrainSettings

PRESETS = ["transformer", "swa", "mamba", "hybrid", "bmojo_f", "bmojo"]
# DESIGN.md leaves the RoPE of memory keys to this benchmark: absolute positions (the preset's default)
# against none.
# DESIGN.md's own-token memory keys beside the preset's previous-token keys (issue 24), and position-free keys.
VARIANTS = {"bmojo, own-token keys": ("bmojo", {"mem_key": "token"}), "bmojo, mem_rope=none": ("bmojo", {"mem_rope": "none"})}
FACTORS = (1, 2, 4, 8, 16)
EVAL_TOKENS = 32768  # per evaluated length


@dataclass(frozen=True)
class Recipe:
    length: int
    steps: int
    batch_size: int
    lr: float
    d_model: int
    n_layers: int
    window: int

    def base(self) -> dict:
        return {"d_model": self.d_model, "n_layers": self.n_layers, "n_heads": 4, "window": self.window,
                "ssm_state": 16, "ssm_head_dim": 16, "ssm_chunk": 32, "mlp_ratio": 4.0,
                "k_mem": self.window // 4, "mem_capacity": 2 * self.window}


# The full recipe is what two CPU cores train in about two hours for the seven models (4.1 M tokens each);
# T=256, d 128, 4 layers and 2000 steps would take about 15 h.
FULL = Recipe(length=128, steps=1000, batch_size=32, lr=2e-3, d_model=96, n_layers=2, window=32)
QUICK = Recipe(length=64, steps=400, batch_size=16, lr=2e-3, d_model=64, n_layers=2, window=16)


@dataclass(frozen=True)
class Run:
    model: str
    preset: str
    overrides: tuple
    recipe: Recipe
    seed: int

    @property
    def key(self) -> str:
        return run_key([resolved_model(self.preset, dict(self.overrides)), asdict(self.recipe), self.seed])


def train_one(run: Run, scratch: Path | None = None, compile: bool = True, device: str = "cpu") -> dict:
    r = run.recipe
    settings = TrainSettings(task="lm", task_params={"length": r.length}, preset=run.preset,
                             model_overrides=dict(run.overrides), steps=r.steps, batch_size=r.batch_size, lr=r.lr,
                             seed=run.seed, eval_every=0, eval_batches=1, progress=False, compile=compile, device=device)
    trainer, _, timing = train_resumably(settings, scratch)
    by_length = {}
    for factor in FACTORS:
        length = r.length * factor
        size = max(1, min(r.batch_size, EVAL_TOKENS // length))
        batches = max(1, EVAL_TOKENS // (size * length))
        by_length[str(length)] = trainer.evaluate(length=length, batches=batches, size=size)
    return {"model": run.model, "preset": run.preset, "seed": run.seed, "recipe": asdict(r), "overrides": dict(run.overrides),
            "params_without_embeddings": trainer.model.num_params(embeddings=False),
            "cache_bytes": trainer.model.cache_bytes(r.length * FACTORS[-1]),
            "eval": by_length, "compiled": trainer.compiled, "device": device, **timing,
            "corpus": trainer.task.describe()}


def run(args: argparse.Namespace) -> int:
    recipe = QUICK if args.quick else FULL
    models = {p: (p, {}) for p in (["transformer", "swa", "mamba", "bmojo"] if args.quick else PRESETS)}
    models.update(VARIANTS)
    if args.presets:
        models = {name: spec for name, spec in models.items() if name in args.presets}
    base = {**recipe.base(), "vocab_size": 256}
    target = parameters("bmojo", base)
    runs = []
    for name, (preset, extra) in models.items():
        matched, _ = match_width(preset, target, {**base, **extra})
        runs += [Run(name, preset, tuple(sorted(matched.items())), recipe, seed) for seed in range(args.seeds)]
    cache = Path(args.cache or (tempfile.mkdtemp(prefix="solomonic-lm-") if args.quick else "docs/results/lm"))
    torch.set_num_threads(args.threads)
    results = run_all(runs, lambda r: r.key, functools.partial(train_one, compile=compiling(args), device=args.device),
                      cache,
                      lambda r, res: f"{r.model} seed {r.seed}: validation perplexity "
                                     f"{res['eval'][str(recipe.length)]['perplexity']:.2f}",
                      train_missing=not args.report_only)
    report = {**stamp(), "recipe": asdict(recipe), "runs": results}
    stem = "lm-quick" if args.quick else "lm"
    write_json(args.output or f"docs/results/bench-{stem}.json", report)
    plots = plot(report, Path(args.plots), stem)
    update_section(args.docs, stem, markdown(report, plots))
    print(markdown(report, plots))
    return 0


def markdown(report: dict, plots: list[str]) -> str:
    r = report["recipe"]
    lengths = [str(r["length"] * f) for f in FACTORS]
    lines = [*provenance(report, machine_note=f"; runs on {devices(report['runs'])}"),
             f"Bytes of the Python standard library's source ({report['runs'][0]['corpus'] if report['runs'] else ''}). "
             f"Trained on windows of {r['length']} bytes, {r['steps']} steps, batch {r['batch_size']}, lr {r['lr']}, "
             f"{r['n_layers']} layers, window {r['window']}; widths matched to B'MOJO's non-embedding parameter count. "
             "Validation perplexity per byte at each evaluation length (mean over seeds; "
             f"{EVAL_TOKENS:,} tokens per length).", "",
             "| model | params | train s | " + " | ".join(f"ppl @ {n}" for n in lengths) + " |",
             "|---|---:|---:|" + "---:|" * len(lengths)]
    by_model: dict = {}
    for run in report["runs"]:
        by_model.setdefault(run["model"], []).append(run)
    for model, runs in by_model.items():
        cells = [f"{statistics.mean(x['eval'][n]['perplexity'] for x in runs):.2f}" for n in lengths]
        lines.append(f"| {model} | {runs[0]['params_without_embeddings']:,} | "
                     f"{statistics.mean(x['train_seconds'] for x in runs):.0f} | " + " | ".join(cells) + " |")
    cpu = sum(x["cpu_seconds"] for x in report["runs"])
    lines += ["", f"Total CPU time of the runs: {cpu / 3600:.2f} h.", ""] + [f"![{p}]({p})" for p in plots]
    return "\n".join(lines)


def plot(report: dict, folder: Path, stem: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    if not report["runs"]:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    r = report["recipe"]
    lengths = [r["length"] * f for f in FACTORS]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    by_model: dict = {}
    for run in report["runs"]:
        by_model.setdefault(run["model"], []).append(run)
    for model, runs in by_model.items():
        ax.plot(lengths, [statistics.mean(x["eval"][str(n)]["perplexity"] for x in runs) for n in lengths],
                "-o" if model in PRESETS else "--x", label=model)
    ax.axvline(r["length"], color="grey", linestyle=":", label="training length")
    ax.set(xscale="log", yscale="log", xlabel="evaluation length (bytes)", ylabel="validation perplexity per byte",
           title="Length generalisation")
    ax.set_xticks(lengths, [str(n) for n in lengths])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(ScalarFormatter())  # a log axis over 4-20 has one major tick
    ax.legend(fontsize=8)
    return save_figure(fig, folder, stem)
