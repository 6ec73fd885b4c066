"""`solomonic bench recall`: associative recall (MQAR) across the family at matched parameter count.

For each configuration (sequence length, key-value pairs, window) every preset is trained with the
same recipe, its width chosen so that its non-embedding parameter count is within 10 % of B'MOJO's
(bench/matching.py); the same window and SSM state throughout. The open memory options of DESIGN.md
(one layer's score selecting for all, a learned gate, FIFO eviction, k_mem) and entries found by their own
token's key (DESIGN.md's rule; the preset finds them by the previous token's, issue 24) run as B'MOJO variants.
Each run's result is written to its own JSON file as soon as it finishes, so an interrupted bench
resumes where it stopped; the report marks cells with fewer seeds than asked.

Learning rates are tuned per model, as Zoology does: a sweep trains every model of a configuration once
at each rate of LR_GRID (on a seed of its own, SWEEP_SEED, so that the seeds reported are not the ones the
rate was picked on), and each model then trains at the rate that gave it the best accuracy. The sweep's
runs are kept (docs/results/recall-sweep) and reported beside the grid; a configuration or model without
sweep runs trains at DEFAULT_LR, and the report says which rate each row used.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from solomonic.bench.matching import match_width, parameters
from solomonic.bench.record import devices, provenance, save_figure, stamp, update_section, write_json
from solomonic.bench.runs import compiling, resolved_model, run_all, run_key, train_resumably
from solomonic.data.recall import IGNORE
from solomonic.train import Trainer, TrainSettings

BASE = {"n_layers": 2, "n_heads": 2, "d_model": 64, "ssm_state": 16, "ssm_head_dim": 16, "ssm_chunk": 32,
        "mlp_ratio": 0.0}  # two layers and no MLP, as in Zoology's MQAR experiments


@dataclass(frozen=True)
class Configuration:
    length: int
    pairs: int
    window: int
    steps: int
    vocab: int = 8192  # Zoology's

    @property
    def label(self) -> str:
        return f"T={self.length}, {self.pairs} pairs, w={self.window}"


DEFAULT_GRID = [Configuration(128, 8, 8, 2000), Configuration(256, 16, 16, 3000)]
# One cell meant to separate the models in <= 15 CPU-minutes (2 seeds of 5 presets): a window of 4 hides most
# pairs from `swa`. At 500 steps the transformer is still on MQAR's plateau (0.25 at lr 3e-3 and 1e-2, seed
# 1000: docs/benchmarks.md), so the cell does not separate yet; more steps need cheaper ones first.
QUICK_STEPS = 500
QUICK_GRID = [Configuration(64, 4, 4, QUICK_STEPS, vocab=128)]
PRESETS = ["transformer", "swa", "mamba", "hybrid", "bmojo_f", "bmojo"]
VARIANT_SEEDS = 1  # each memory option is a B'MOJO run, the grid's slowest: one seed, against the presets' three
QUICK_PRESETS = ["transformer", "swa", "mamba", "hybrid", "bmojo"]
DEFAULT_LR = 3e-3  # where no sweep ran
LR_GRID = (3e-3, 1e-2, 3e-2)
SWEEP_SEED = 1000  # the sweep's own seed: the reported seeds 0, 1, ... are not the ones a rate was chosen on
SWEEP_CACHE = "docs/results/recall-sweep"


def variants(config: Configuration, memory_options: bool = True) -> dict[str, tuple[str, dict]]:
    """Every model of a configuration: name -> (preset, overrides before width matching).

    With `memory_options`, also B'MOJO with each open memory option of DESIGN.md changed.
    """
    w = config.window
    memory = {"k_mem": max(1, w // 2), "mem_capacity": 2 * config.pairs}
    models: dict[str, tuple[str, dict]] = {p: (p, {**BASE, "window": w, **(memory if p == "bmojo" else {})})
                                           for p in PRESETS}
    if not memory_options:
        return models
    bmojo = models["bmojo"][1]
    models.update({
        "bmojo, first layer selects": ("bmojo", {**bmojo, "mem_score_layer": 0}),
        "bmojo, gated memory": ("bmojo", {**bmojo, "mem_gate": True}),
        "bmojo, FIFO eviction": ("bmojo", {**bmojo, "mem_eviction": "fifo"}),
        "bmojo, own-token keys": ("bmojo", {**bmojo, "mem_key": "token"}),  # DESIGN.md's; the preset's is "previous"
        f"bmojo, k_mem={max(1, w // 4)}": ("bmojo", {**bmojo, "k_mem": max(1, w // 4)}),
        f"bmojo, k_mem={w}": ("bmojo", {**bmojo, "k_mem": w}),
    })
    # A larger memory, every token selected: how accuracy grows with the cache, up to all of the context.
    for capacity in (4 * config.pairs, 8 * config.pairs, config.length):
        models[f"bmojo, k_mem={w}, mem_capacity={capacity}"] = ("bmojo", {**bmojo, "k_mem": w, "mem_capacity": capacity})
    return models


@dataclass(frozen=True)
class Run:
    model: str
    preset: str
    overrides: tuple  # sorted items, after width matching
    config: Configuration
    seed: int
    lr: float
    batch_size: int

    @property
    def key(self) -> str:
        return run_key([resolved_model(self.preset, dict(self.overrides)), asdict(self.config), self.seed, self.lr,
                        self.batch_size])


def seeds_of(model: str, seeds: int) -> int:
    """How many of the grid's seeds a model runs: all for a preset, VARIANT_SEEDS for a memory option."""
    return seeds if model in PRESETS else min(seeds, VARIANT_SEEDS)


def matched_models(config: Configuration, models: list[str] | None, memory_options: bool) -> dict[str, tuple[str, dict]]:
    """name -> (preset, overrides) of the models asked for, each at the width that matches B'MOJO's size."""
    table = variants(config, memory_options=memory_options)
    chosen = {name: spec for name, spec in table.items() if models is None or name in models}
    target = parameters("bmojo", {**table["bmojo"][1], "vocab_size": config.vocab})
    return {name: (preset, match_width(preset, target, {**overrides, "vocab_size": config.vocab})[0])
            for name, (preset, overrides) in chosen.items()}


def plan(grid: list[Configuration], models: list[str] | None, seeds: int, lr: float | None, batch_size: int,
         swept: dict | None = None) -> list[Run]:
    """The grid's runs, seed by seed. The memory options are compared at the first configuration only, where the
    window hides the most pairs, and with VARIANT_SEEDS seeds: each is a B'MOJO run, the grid's slowest.
    Each run trains at `lr` where one is given, else at its model's rate in `swept` (see chosen_rates)."""
    runs = []
    for config in grid:
        matched = matched_models(config, models, memory_options=config == grid[0])
        for seed in range(seeds):  # seed by seed: a partial grid still compares every model
            for name, (preset, overrides) in matched.items():
                if seed >= seeds_of(name, seeds):
                    continue
                rate = lr if lr is not None else rate_of(swept or {}, config, name, preset)
                runs.append(Run(name, preset, tuple(sorted(overrides.items())), config, seed, rate, batch_size))
    return runs


def plan_sweep(grid: list[Configuration], models: list[str] | None, batch_size: int) -> list[Run]:
    """Every model of every configuration (memory options excluded: they take B'MOJO's rate) once per rate."""
    return [Run(name, preset, tuple(sorted(overrides.items())), config, SWEEP_SEED, lr, batch_size)
            for config in grid
            for name, (preset, overrides) in matched_models(config, models, memory_options=False).items()
            for lr in LR_GRID]


def chosen_rates(sweep: list[dict]) -> dict:
    """(length, pairs, model) -> the swept rate with the best accuracy (the lower final loss breaks ties)."""
    best: dict = {}
    for r in sweep:
        cell = (r["config"]["length"], r["config"]["pairs"], r["model"])
        if cell not in best or (r["accuracy"], -r["final_loss"]) > (best[cell]["accuracy"], -best[cell]["final_loss"]):
            best[cell] = r
    return {cell: r["lr"] for cell, r in best.items()}


def rate_of(swept: dict, config: Configuration, model: str, preset: str) -> float:
    """A model's swept rate; a memory option takes its preset's; DEFAULT_LR where none was swept."""
    for name in (model, preset):
        if (config.length, config.pairs, name) in swept:
            return swept[(config.length, config.pairs, name)]
    return DEFAULT_LR


def train_one(run: Run, scratch: Path | None = None, compile: bool = True, device: str = "cpu") -> dict:
    config = run.config
    overrides = dict(run.overrides)
    settings = TrainSettings(task="mqar", task_params={"length": config.length, "pairs": config.pairs,
                                                        "vocab": config.vocab},
                             preset=run.preset, model_overrides=overrides, steps=config.steps,
                             batch_size=run.batch_size, lr=run.lr, seed=run.seed, eval_every=0, eval_batches=8,
                             progress=False, compile=compile, device=device)
    trainer, summary, timing = train_resumably(settings, scratch)
    result = {
        "model": run.model, "preset": run.preset, "config": asdict(config), "seed": run.seed, "lr": run.lr,
        "batch_size": run.batch_size, "overrides": overrides,
        "accuracy": summary["eval"]["accuracy"], "far_accuracy": far_accuracy(trainer),
        "final_loss": summary["final"]["loss"],
        "params_without_embeddings": trainer.model.num_params(embeddings=False),
        "cache_bytes": trainer.model.cache_bytes(config.length),
        "compiled": trainer.compiled, "device": device, **timing,
    }
    if trainer.config.memory_on("M"):
        result["memory"] = memory_view(trainer)
    return result


@torch.no_grad()
def far_accuracy(trainer: Trainer) -> float:
    """Accuracy on queries whose key-value pair lies more than 2w back: outside window and fading span."""
    model, w = trainer.model.eval(), trainer.config.window
    correct = total = 0
    for index in range(8):
        inputs, targets = trainer.batch("eval", index, trainer.settings.batch_size)
        mask = targets != IGNORE
        predicted = model(inputs, positions=mask).argmax(-1)
        rows, cols = mask.nonzero(as_tuple=True)
        keys = inputs[rows, cols]
        context = inputs[rows, : 2 * trainer.task.params["pairs"] : 2]  # (N, P) the keys in order
        pair_position = 2 * (context == keys[:, None]).float().argmax(-1)  # where each query's key stood
        far = cols - pair_position >= 2 * w
        correct += int((predicted == targets[mask])[far].sum())
        total += int(far.sum())
    return correct / max(1, total)


@torch.no_grad()
def memory_view(trainer: Trainer) -> dict:
    """What the eidetic memory kept, by token role, and how often a far query's value was visible."""
    model, w = trainer.model.eval(), trainer.config.window
    pairs = trainer.task.params["pairs"]
    inputs, targets = trainer.batch("eval", 0, 16)
    out = model(inputs, return_memory=True)
    role = np.full(inputs.shape, "filler", dtype=object)
    role[:, 0 : 2 * pairs : 2], role[:, 1 : 2 * pairs : 2] = "key", "value"
    role[(targets != IGNORE).cpu().numpy()] = "query"
    layers = []
    for layer in out.memory:
        selected = layer["selected"].cpu().numpy()
        kinds = {r: float(np.mean(role[selected] == r)) for r in ("key", "value", "query", "filler")}
        visible, hits, far = layer["visible"].cpu().numpy(), 0, 0
        for b, q in zip(*np.nonzero((targets != IGNORE).cpu().numpy())):
            key_at = 2 * int(np.argmax(inputs[b, : 2 * pairs : 2].cpu().numpy() == int(inputs[b, q])))
            if q - key_at >= 2 * w:
                far += 1
                hits += int(key_at + 1 in visible[b, q])
        layers.append({"layer": layer["layer"], "selected_by_role": kinds, "far_value_visible": hits / max(1, far)})
    example = "".join({"key": "K", "value": "V", "query": "q", "filler": "."}[r] for r in role[0])
    marks = "".join("^" if s else " " for s in out.memory[0]["selected"][0].cpu().numpy())
    return {"layers": layers, "example_roles": example, "example_selected_layer0": marks}


def run(args: argparse.Namespace) -> int:
    grid = QUICK_GRID if args.quick else DEFAULT_GRID
    models = args.models or (QUICK_PRESETS if args.quick else None)
    seeds = args.seeds or (1 if args.quick else 3)
    # The full grid keeps each run's result (committed, so that the next session resumes); --quick runs afresh.
    # The sweep's runs are kept for both: a rate is chosen once, and the quick cell trains at it in minutes.
    cache = Path(args.cache or (tempfile.mkdtemp(prefix="solomonic-recall-") if args.quick else "docs/results/recall"))
    sweep_cache = Path(args.cache) / "sweep" if args.cache else Path(SWEEP_CACHE)
    torch.set_num_threads(args.threads)
    train = functools.partial(train_one, compile=compiling(args), device=args.device)
    sweep = [] if args.lr is not None else run_all(plan_sweep(grid, models, args.batch_size), lambda r: r.key, train,
                                                   sweep_cache, describe, train_missing=not args.report_only,
                                                   name=lambda r: r.model)
    runs = plan(grid, models, seeds, args.lr, args.batch_size, chosen_rates(sweep))
    results = run_all(runs, lambda r: r.key, train, cache, describe, train_missing=not args.report_only,
                      name=lambda r: r.model)
    report = {**stamp(), "seeds": seeds, "planned": len(runs), "grid": [asdict(c) for c in grid],
              "lr_grid": list(LR_GRID) if sweep else None, "runs": results, "sweep": sweep}
    write_json(args.output or f"docs/results/bench-recall{'-quick' if args.quick else ''}.json", report)
    plots = plot(report, Path(args.plots), "recall-quick" if args.quick else "recall")
    text = markdown(report, plots, seeds)
    update_section(args.docs, "recall-quick" if args.quick else "recall", text)
    print(text)
    return 0


def describe(run: Run, result: dict) -> str:
    return (f"{run.config.label} {run.model} lr {run.lr:g} seed {run.seed}: accuracy {result['accuracy']:.3f} "
            f"(far {result['far_accuracy']:.3f})")


def aggregate(results: list[dict]) -> dict:
    cells: dict = {}
    for r in results:
        cells.setdefault((r["config"]["length"], r["config"]["pairs"], r["model"]), []).append(r)
    return cells


def markdown(report: dict, plots: list[str], seeds: int) -> str:
    cells = aggregate(report["runs"])
    cpu = sum(r["cpu_seconds"] for r in report["runs"])
    rates = ("lr per model (column lr), the best of a sweep over " + ", ".join(f"{lr:g}" for lr in report["lr_grid"])
             + " (below)" if report.get("lr_grid") else "lr as given (column lr)")
    lines = [*provenance(report, machine_note=f"; runs on {devices(report['runs'])}"),
             f"MQAR (Zoology's definition; vocabulary {report['grid'][0].get('vocab', 8192)}), 2 layers, no MLP, presets matched to B'MOJO's "
             f"non-embedding parameter count within 10 % by width; AdamW, {rates}, "
             f"batch {report['runs'][0]['batch_size'] if report['runs'] else ''}, warmup 5 % then cosine. Accuracy over all "
             "queries and over far ones (pair more than 2w back); mean ± spread (max − min) over seeds. "
             f"{len(report['runs'])} of {report['planned']} runs done; their total CPU time: {cpu / 60:.1f} min.", ""]
    for config in report["grid"]:
        lines += [f"**T={config['length']}, {config['pairs']} pairs, window {config['window']}, {config['steps']} steps**", "",
                  "| model | params | cache bytes | accuracy | far accuracy | seeds | train s | lr |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for model in variants(Configuration(**config)):  # the presets first, then the memory options
            rs = cells.get((config["length"], config["pairs"], model))
            if not rs:
                continue
            acc = [r["accuracy"] for r in rs]
            far = [r["far_accuracy"] for r in rs]
            lines.append(f"| {model} | {rs[0]['params_without_embeddings']:,} | {rs[0]['cache_bytes']:,} | "
                         f"{statistics.mean(acc):.3f} ± {max(acc) - min(acc):.3f} | "
                         f"{statistics.mean(far):.3f} ± {max(far) - min(far):.3f} | "
                         f"{len(rs)}/{seeds_of(model, seeds)} | "
                         f"{statistics.mean(r['train_seconds'] for r in rs):.0f} | {rs[0]['lr']:g} |")
        lines.append("")
    lines += sweep_table(report)
    views = [r for r in report["runs"] if "memory" in r and r["seed"] == 0]
    if views:
        lines += ["What B'MOJO's memory kept (seed 0, evaluation examples): share of selected tokens by role, and how "
                  "often a far query's value was visible in memory.", "",
                  "| configuration | model | layer | key | value | query | filler | far value visible |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for r in views:
            for layer in r["memory"]["layers"]:
                k = layer["selected_by_role"]
                lines.append(f"| T={r['config']['length']}, {r['config']['pairs']} pairs | {r['model']} | {layer['layer']} | "
                             f"{k['key']:.2f} | {k['value']:.2f} | {k['query']:.2f} | {k['filler']:.2f} | "
                             f"{layer['far_value_visible']:.2f} |")
        example = next((r for r in views if r["model"] == "bmojo"), views[0])["memory"]
        lines += ["", "One example (K key, V value, q query, . filler; ^ selected by layer 0):", "", "```",
                  example["example_roles"], example["example_selected_layer0"], "```", ""]
    lines += [f"![{p}]({p})" for p in plots]
    return "\n".join(lines)


def sweep_table(report: dict) -> list[str]:
    """The sweep's accuracy per model and rate (seed SWEEP_SEED), the rate chosen in bold."""
    if not report.get("sweep"):
        return []
    chosen = chosen_rates(report["sweep"])
    lines = [f"Learning-rate sweep (seed {SWEEP_SEED}, one run per model and rate; CPU time "
             f"{sum(r['cpu_seconds'] for r in report['sweep']) / 60:.1f} min): accuracy.", "",
             "| configuration | model | " + " | ".join(f"lr {lr:g}" for lr in report["lr_grid"]) + " |",
             "|---|---|" + "---:|" * len(report["lr_grid"])]
    for (length, pairs, model), rs in aggregate(report["sweep"]).items():
        by_rate = {r["lr"]: r["accuracy"] for r in rs}
        marks = [("**{:.3f}**" if lr == chosen[(length, pairs, model)] else "{:.3f}").format(by_rate[lr])
                 if lr in by_rate else "" for lr in report["lr_grid"]]
        lines.append(f"| T={length}, {pairs} pairs | {model} | " + " | ".join(marks) + " |")
    return [*lines, ""]


def plot(report: dict, folder: Path, stem: str) -> list[str]:
    """Left: the presets' accuracy against pairs, one line per preset over the grid. Right: every model's
    accuracy against its inference cache, the memory options (first configuration only) included."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    cells = aggregate(report["runs"])
    if not cells:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    models = sorted({m for _, _, m in cells}, key=lambda m: (m not in PRESETS, PRESETS.index(m) if m in PRESETS else 0, m))
    colours = plt.get_cmap("tab20").colors  # its dark shades first, then the light ones
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    for colour, model in zip(colours[::2] + colours[1::2], models):
        points = sorted((pairs, [r["accuracy"] for r in rs], rs[0]["cache_bytes"])
                        for (_, pairs, m), rs in cells.items() if m == model)
        means = [statistics.mean(a) for _, a, _ in points]
        if model in PRESETS:
            errors = [[m - min(a) for (_, a, _), m in zip(points, means)],
                      [max(a) - m for (_, a, _), m in zip(points, means)]]
            left.errorbar([p for p, _, _ in points], means, yerr=errors, fmt="-o", color=colour, capsize=3, label=model)
        right.scatter([c for _, _, c in points], means, color=colour, label=model,
                      marker="o" if model in PRESETS else "x")
    left.set(xlabel="key-value pairs", ylabel="accuracy", title="MQAR accuracy vs. pairs (presets)", ylim=(0, 1.02))
    right.set(xlabel="inference cache per sequence (bytes)", ylabel="accuracy", xscale="log",
              title="accuracy vs. cache size", ylim=(0, 1.02))
    right.xaxis.set_minor_formatter(NullFormatter())
    left.legend(fontsize=7)
    right.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    return save_figure(fig, folder, stem)
