"""`solomonic bench lm`: language modelling on the standard library's source, and length generalisation.

Every preset, at B'MOJO's non-embedding parameter count (within 10 %, by width), is trained on windows of
T bytes, then its validation loss is measured on windows of T, 2T, 4T, 8T and 16T bytes with the same
number of tokens at each length. A model that generalises keeps (or lowers) its loss as the context
grows past what it was trained on; one that does not, degrades.

Learning rates are tuned per model, as `bench recall` tunes them: a sweep trains each preset once at each
rate of LR_GRID on a seed of its own (SWEEP_SEED), and the reported seeds train at the rate that gave that
preset the lowest perplexity at T; a variant takes its preset's rate. One rate for all would compare the
models at a rate that suits some of them: at the quick recipe the `bmojo` layer of DESIGN.md went from
perplexity 9.65 at 2e-3 to 8.63 at 5e-3 (docs/results/lm-why-issue24).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch

from solomonic.bench.matching import match_width, parameters
from solomonic.bench.record import devices, provenance, save_figure, stamp, update_section, write_json
from solomonic.bench.runs import compiling, resolved_model, run_all, run_key, train_resumably
from solomonic.errors import UserError
from solomonic.train import TrainSettings

PRESETS = ["transformer", "swa", "mamba", "hybrid", "bmojo_f", "bmojo"]
# DESIGN.md leaves the RoPE of memory keys to this benchmark: absolute positions (the preset's default)
# against none.
# DESIGN.md's own-token memory keys beside the preset's previous-token keys (issue 24), and position-free keys.
VARIANTS = {"bmojo, own-token keys": ("bmojo", {"mem_key": "token"}), "bmojo, mem_rope=none": ("bmojo", {"mem_rope": "none"})}
FACTORS = (1, 2, 4, 8, 16)
EVAL_TOKENS = 32768  # per evaluated length
LR_GRID = (3e-3, 1e-2, 3e-2)  # bench recall's
SWEEP_SEED = 1000  # the sweep's own seed: the reported seeds 0, 1, ... are not the ones a rate was chosen on


@dataclass(frozen=True)
class Recipe:
    length: int
    steps: int
    batch_size: int
    lr: float  # the rate a run trains at (each run's recipe carries its own)
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


def matched_models(recipe: Recipe, names: list[str]) -> dict[str, tuple[str, dict]]:
    """name -> (preset, overrides) at the `bmojo` preset's non-embedding parameter count, by width."""
    base = {**recipe.base(), "vocab_size": 256}
    target = parameters("bmojo", base)
    specs: dict[str, tuple[str, dict]] = {p: (p, {}) for p in PRESETS} | VARIANTS
    return {name: (specs[name][0], match_width(specs[name][0], target, {**base, **specs[name][1]})[0])
            for name in names}


def plan_sweep(recipe: Recipe, models: dict[str, tuple[str, dict]]) -> list[Run]:
    """The preset of each of `models` once per rate of LR_GRID, on SWEEP_SEED (a variant takes its preset's rate)."""
    presets = matched_models(recipe, sorted({preset for preset, _ in models.values()}, key=PRESETS.index))
    return [Run(name, preset, tuple(sorted(overrides.items())), replace(recipe, lr=lr), SWEEP_SEED)
            for name, (preset, overrides) in presets.items() for lr in LR_GRID]


def chosen_rates(sweep: list[dict], length: int) -> dict[str, float]:
    """preset -> the swept rate with the lowest perplexity at the training length."""
    best: dict[str, dict] = {}
    for r in sweep:
        if r["preset"] not in best or r["eval"][str(length)]["perplexity"] < best[r["preset"]]["eval"][str(length)]["perplexity"]:
            best[r["preset"]] = r
    return {preset: r["recipe"]["lr"] for preset, r in best.items()}


def run(args: argparse.Namespace) -> int:
    recipe = QUICK if args.quick else FULL
    default = ["transformer", "swa", "mamba", "bmojo", *VARIANTS] if args.quick else [*PRESETS, *VARIANTS]
    unknown = sorted(set(args.presets or []) - set(PRESETS) - set(VARIANTS))
    if unknown:
        raise UserError(f"bench lm: unknown model(s) {', '.join(unknown)} (choose from {', '.join([*PRESETS, *VARIANTS])})")
    models = matched_models(recipe, args.presets or default)
    cache = Path(args.cache or (tempfile.mkdtemp(prefix="solomonic-lm-") if args.quick else "docs/results/lm"))
    torch.set_num_threads(args.threads)
    train = functools.partial(train_one, compile=compiling(args), device=args.device)

    def describe(r: Run, res: dict) -> str:
        return f"{r.model} lr {r.recipe.lr:g} seed {r.seed}: validation perplexity {res['eval'][str(r.recipe.length)]['perplexity']:.2f}"

    # The sweep's runs are part of the result: the rate is chosen once, and a report-only pass reads it back.
    sweep = run_all(plan_sweep(recipe, models), lambda r: r.key, train, cache / "sweep", describe,
                    train_missing=not args.report_only, name=lambda r: r.model)
    rates = chosen_rates(sweep, recipe.length)  # a preset not swept yet (a report-only pass) keeps the recipe's rate
    runs = [Run(name, preset, tuple(sorted(overrides.items())), replace(recipe, lr=rates.get(preset, recipe.lr)), seed)
            for name, (preset, overrides) in models.items() for seed in range(args.seeds)]
    results = run_all(runs, lambda r: r.key, train, cache, describe, train_missing=not args.report_only,
                      name=lambda r: r.model)
    report = {**stamp(), "recipe": asdict(recipe), "lr_grid": list(LR_GRID), "sweep_seed": SWEEP_SEED,
              "runs": results, "sweep": sweep}
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
             f"Trained on windows of {r['length']} bytes, {r['steps']} steps, batch {r['batch_size']}, "
             f"{r['n_layers']} layers, window {r['window']}; widths matched to B'MOJO's non-embedding parameter count; "
             "each model at the rate (column lr) of its preset's best perplexity at the training length in a sweep over "
             f"{', '.join(f'{lr:g}' for lr in report['lr_grid'])} (seed {report['sweep_seed']}, below). "
             "Validation perplexity per byte at each evaluation length (mean over seeds; "
             f"{EVAL_TOKENS:,} tokens per length).", "",
             "| model | params | lr | seeds | train s | " + " | ".join(f"ppl @ {n}" for n in lengths) + " |",
             "|---|---:|---:|---:|---:|" + "---:|" * len(lengths)]
    by_model: dict = {}
    for run in report["runs"]:
        by_model.setdefault(run["model"], []).append(run)
    for model, runs in by_model.items():
        cells = [f"{statistics.mean(x['eval'][n]['perplexity'] for x in runs):.2f}" for n in lengths]
        lines.append(f"| {model} | {runs[0]['params_without_embeddings']:,} | {runs[0]['recipe']['lr']:g} | {len(runs)} | "
                     f"{statistics.mean(x['train_seconds'] for x in runs):.0f} | " + " | ".join(cells) + " |")
    cpu = sum(x["cpu_seconds"] for x in report["runs"] + report["sweep"])
    lines += ["", *sweep_table(report), f"Total CPU time of the runs and the sweep: {cpu / 3600:.2f} h.", ""]
    return "\n".join(lines + [f"![{p}]({p})" for p in plots])


def sweep_table(report: dict) -> list[str]:
    """The sweep's perplexity at the training length per preset and rate, the rate chosen in bold."""
    if not report["sweep"]:
        return []
    length = str(report["recipe"]["length"])
    chosen = chosen_rates(report["sweep"], report["recipe"]["length"])
    lines = [f"Learning-rate sweep (seed {report['sweep_seed']}, one run per preset and rate): perplexity at {length}.",
             "", "| preset | " + " | ".join(f"lr {lr:g}" for lr in report["lr_grid"]) + " |",
             "|---|" + "---:|" * len(report["lr_grid"])]
    by_preset: dict = {}
    for r in report["sweep"]:
        by_preset.setdefault(r["preset"], {})[r["recipe"]["lr"]] = r["eval"][length]["perplexity"]
    for preset, by_rate in by_preset.items():
        lines.append(f"| {preset} | " + " | ".join(
            "" if lr not in by_rate else ("**{:.2f}**" if lr == chosen[preset] else "{:.2f}").format(by_rate[lr])
            for lr in report["lr_grid"]) + " |")
    return [*lines, ""]


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
