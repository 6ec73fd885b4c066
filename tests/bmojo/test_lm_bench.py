"""`bench lm` tunes the learning rate per model: a sweep on its own seed, the lowest perplexity at the
training length wins, a variant trains at its preset's rate, and the report says which rate each row used."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from solomonic.bench.lm import LR_GRID, QUICK, SWEEP_SEED, Run, chosen_rates, matched_models, plan_sweep, run


def fake_result(model: str, preset: str, lr: float, seed: int, ppl_at_t: float) -> dict:
    lengths = [QUICK.length * f for f in (1, 2, 4, 8, 16)]
    return {"model": model, "preset": preset, "seed": seed, "recipe": {**vars(QUICK), "lr": lr}, "overrides": {},
            "params_without_embeddings": 1000, "cache_bytes": 0, "train_seconds": 1.0, "cpu_seconds": 1.0,
            "corpus": "fake", "device": "cpu",
            "eval": {str(n): {"perplexity": ppl_at_t + i, "loss": 0.0} for i, n in enumerate(lengths)}}


def test_the_rate_with_the_lowest_perplexity_at_the_training_length_is_chosen_per_preset():
    sweep = [fake_result("mamba", "mamba", 3e-3, SWEEP_SEED, 7.1), fake_result("mamba", "mamba", 1e-2, SWEEP_SEED, 6.9),
             fake_result("swa", "swa", 3e-3, SWEEP_SEED, 8.0), fake_result("swa", "swa", 3e-2, SWEEP_SEED, 8.5)]
    assert chosen_rates(sweep, QUICK.length) == {"mamba": 1e-2, "swa": 3e-3}


def test_the_sweep_trains_each_preset_once_per_rate_and_a_variant_adds_no_runs():
    models = matched_models(QUICK, ["bmojo", "bmojo, mem_rope=none", "swa"])
    sweep = plan_sweep(QUICK, models)
    assert sorted((r.preset, r.recipe.lr) for r in sweep) == sorted((p, lr) for p in ("bmojo", "swa") for lr in LR_GRID)
    assert {r.seed for r in sweep} == {SWEEP_SEED}
    assert len({r.key for r in sweep}) == len(sweep)


def test_a_report_trains_each_model_at_its_presets_swept_rate(tmp_path):
    models = matched_models(QUICK, ["swa", "bmojo, mem_rope=none"])
    cache = tmp_path / "cache"
    (cache / "sweep").mkdir(parents=True)
    for r in plan_sweep(QUICK, models):
        best = {"swa": 1e-2, "bmojo": 3e-2}[r.preset]
        result = fake_result(r.model, r.preset, r.recipe.lr, r.seed, 8.0 if r.recipe.lr == best else 9.0)
        (cache / "sweep" / f"{r.key}.json").write_text(json.dumps(result))
    args = argparse.Namespace(quick=True, presets=["swa", "bmojo, mem_rope=none"], seeds=1, cache=str(cache),
                              threads=1, compile=False, device="cpu", report_only=True, output=str(tmp_path / "r.json"),
                              plots=str(tmp_path / "plots"), docs=str(tmp_path / "b.md"))
    # The seeds' runs: cached where they trained at the chosen rate, so a report finds them.
    for name, (preset, overrides) in models.items():
        lr = {"swa": 1e-2, "bmojo": 3e-2}[preset]
        spec = Run(name, preset, tuple(sorted(overrides.items())), replace(QUICK, lr=lr), 0)
        (cache / f"{spec.key}.json").write_text(json.dumps(fake_result(name, preset, lr, 0, 7.0)))
    assert run(args) == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert sorted((r["model"], r["recipe"]["lr"]) for r in report["runs"]) == [("bmojo, mem_rope=none", 3e-2),
                                                                                ("swa", 1e-2)]
    text = (tmp_path / "b.md").read_text()
    assert "| swa | 1,000 | 0.01 | 1 |" in text and "| bmojo | 9.00 | 9.00 | **8.00** |" in text
