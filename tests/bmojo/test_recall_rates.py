"""Per-model learning rates in `bench recall`: a sweep over LR_GRID picks each model's rate, the grid trains
at it, and the report shows the sweep beside the runs (issue 24: rates tuned per model, not one for all)."""

from __future__ import annotations

import argparse
import dataclasses
import json

from solomonic.bench.recall import (
    DEFAULT_GRID,
    DEFAULT_LR,
    LR_GRID,
    PRESETS,
    QUICK_GRID,
    SWEEP_SEED,
    chosen_rates,
    plan,
    plan_sweep,
    run,
)


def result(run, accuracy: float, loss: float = 1.0) -> dict:
    return {"model": run.model, "preset": run.preset, "config": dataclasses.asdict(run.config), "seed": run.seed,
            "lr": run.lr, "batch_size": run.batch_size, "accuracy": accuracy, "far_accuracy": accuracy,
            "final_loss": loss, "params_without_embeddings": 1000, "cache_bytes": 2048, "train_seconds": 1.0,
            "cpu_seconds": 1.0}


def test_the_sweep_trains_every_preset_once_per_rate_on_a_seed_of_its_own():
    sweep = plan_sweep(DEFAULT_GRID[:1], None, batch_size=64)
    assert {(r.model, r.lr) for r in sweep} == {(m, lr) for m in PRESETS for lr in LR_GRID}
    assert {r.seed for r in sweep} == {SWEEP_SEED}  # not one of the seeds the grid reports
    assert len({r.key for r in sweep}) == len(sweep)


def test_each_model_takes_its_best_rate_and_the_lower_loss_breaks_a_tie():
    sweep = plan_sweep(QUICK_GRID, ["transformer", "mamba"], batch_size=64)
    accuracy = {("transformer", LR_GRID[0]): 0.2, ("transformer", LR_GRID[1]): 0.9, ("transformer", LR_GRID[2]): 0.5,
                ("mamba", LR_GRID[0]): 0.4, ("mamba", LR_GRID[1]): 0.4, ("mamba", LR_GRID[2]): 0.1}
    loss = {LR_GRID[0]: 2.0, LR_GRID[1]: 1.0, LR_GRID[2]: 3.0}
    rates = chosen_rates([result(r, accuracy[(r.model, r.lr)], loss[r.lr]) for r in sweep])
    config = QUICK_GRID[0]
    assert rates == {(config.length, config.pairs, "transformer"): LR_GRID[1],
                     (config.length, config.pairs, "mamba"): LR_GRID[1]}


def test_the_grid_trains_at_the_swept_rates_its_memory_options_at_bmojos_and_unswept_models_at_the_default():
    config = DEFAULT_GRID[0]
    swept = {(config.length, config.pairs, "bmojo"): 0.03, (config.length, config.pairs, "mamba"): 0.01}
    runs = plan(DEFAULT_GRID[:1], None, seeds=1, lr=None, batch_size=64, swept=swept)
    rate = {r.model: r.lr for r in runs}
    assert rate["mamba"] == 0.01 and rate["bmojo"] == 0.03 and rate["bmojo, gated memory"] == 0.03
    assert rate["transformer"] == DEFAULT_LR
    assert {r.lr for r in plan(DEFAULT_GRID[:1], None, seeds=1, lr=0.5, batch_size=64, swept=swept)} == {0.5}


def test_a_report_shows_the_sweep_and_the_rate_each_row_trained_at(tmp_path):
    cache = tmp_path / "cache"
    (cache / "sweep").mkdir(parents=True)
    sweep = plan_sweep(QUICK_GRID, ["swa"], batch_size=64)
    for r, accuracy in zip(sweep, (0.1, 0.3, 0.2)):
        (cache / "sweep" / f"{r.key}.json").write_text(json.dumps(result(r, accuracy)))
    chosen = plan(QUICK_GRID, ["swa"], seeds=1, lr=None, batch_size=64, swept=chosen_rates([result(sweep[1], 1.0)]))[0]
    assert chosen.lr == LR_GRID[1]
    (cache / f"{chosen.key}.json").write_text(json.dumps(result(chosen, 0.25)))
    args = argparse.Namespace(quick=True, models=["swa"], seeds=1, cache=str(cache), threads=1, device="cpu",
                              compile=False, lr=None, batch_size=64, report_only=True, output=str(tmp_path / "r.json"),
                              plots=str(tmp_path / "plots"), docs=str(tmp_path / "b.md"))
    assert run(args) == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert [r["lr"] for r in report["runs"]] == [LR_GRID[1]] and len(report["sweep"]) == 3
    text = (tmp_path / "b.md").read_text()
    assert f"| 0.250 ± 0.000 | 0.250 ± 0.000 | 1/1 | 1 | {LR_GRID[1]:g} |" in text
    assert "| swa | 0.100 | **0.300** | 0.200 |" in text


def test_a_cached_run_goes_stale_when_its_preset_changes_meaning(monkeypatch):
    """The cache key hashes the resolved configuration: a run trained under a preset's old defaults is not
    reported under its new ones (issue 24 changed the `bmojo` preset's memory key)."""
    from solomonic.bmojo import config

    bmojo, transformer = sorted(plan(QUICK_GRID, ["bmojo", "transformer"], 1, 1e-2, 64), key=lambda r: r.model)
    keys = (bmojo.key, transformer.key)
    monkeypatch.setitem(config.PRESETS, "bmojo", {**config.PRESETS["bmojo"], "aux_weight": 0.5})
    assert bmojo.key != keys[0]
    assert transformer.key == keys[1]  # a preset that did not change keeps its runs


def test_a_cached_run_is_reported_under_the_name_of_the_spec_that_now_trains_it(tmp_path):
    """The old `bmojo` runs are, by their resolved configuration, the variant with DESIGN.md's own-token keys."""
    from solomonic.bench.runs import run_all

    (tmp_path / "k.json").write_text(json.dumps({"model": "bmojo", "accuracy": 0.5}))
    results = run_all(["k"], lambda s: s, lambda s, scratch: {}, tmp_path, lambda s, r: s,
                      name=lambda s: "bmojo, own-token keys")
    assert results == [{"model": "bmojo, own-token keys", "accuracy": 0.5}]
