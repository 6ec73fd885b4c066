"""The benchmark machinery: fair sizes, and grids that resume instead of starting over."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from solomonic.bench.matching import match_width, parameters
from solomonic.bench.recall import DEFAULT_GRID, PRESETS, QUICK_GRID, VARIANT_SEEDS, plan, train_one, variants
from solomonic.bench.record import devices
from solomonic.bench.runs import run_all, run_key


def test_every_recall_model_is_matched_within_ten_percent():
    config = DEFAULT_GRID[0]
    table = variants(config)
    target = parameters("bmojo", {**table["bmojo"][1], "vocab_size": config.vocab})
    for name, (preset, overrides) in table.items():
        matched, count = match_width(preset, target, {**overrides, "vocab_size": config.vocab})
        assert abs(count - target) <= 0.10 * target, name
        assert matched["window"] == config.window and matched["ssm_state"] == table["bmojo"][1]["ssm_state"]


def test_the_memory_options_are_compared_at_the_first_configuration_only_with_fewer_seeds():
    runs = plan(DEFAULT_GRID, None, seeds=3, lr=3e-3, batch_size=64)
    first, second = ({r.model for r in runs if r.config == c} for c in DEFAULT_GRID)
    assert second == set(PRESETS) and first > second and "bmojo, FIFO eviction" in first
    options = first - set(PRESETS)
    assert len(runs) == 3 * 2 * len(PRESETS) + VARIANT_SEEDS * len(options)
    assert {r.seed for r in runs if r.model in options} == set(range(VARIANT_SEEDS))
    assert len({r.key for r in runs}) == len(runs)


def test_an_interrupted_grid_resumes_with_only_the_missing_runs(tmp_path):
    trained = []

    def train(spec, scratch):
        trained.append(spec)
        if len(trained) == 3:
            raise KeyboardInterrupt
        return {"spec": spec}

    specs = ["a", "b", "c", "d"]
    with pytest.raises(KeyboardInterrupt):
        run_all(specs, run_key, train, tmp_path, lambda s, r: s)
    assert trained == ["a", "b", "c"]
    results = run_all(specs, run_key, lambda s, scratch: {"spec": s}, tmp_path, lambda s, r: s)
    assert [r["spec"] for r in results] == specs  # a and b from the cache, c and d trained now


def test_a_run_killed_midway_resumes_from_its_scratch_checkpoint(tmp_path, monkeypatch):
    from solomonic.bench import runs
    from solomonic.train import Trainer, TrainSettings

    def settings() -> TrainSettings:
        return TrainSettings(task="mqar", task_params={"length": 32, "pairs": 4, "vocab": 64}, preset="swa",
                             model_overrides={"d_model": 32, "n_layers": 1, "n_heads": 2, "window": 8}, steps=6,
                             batch_size=4, lr=3e-3, eval_every=0, progress=False)

    _, whole, _ = runs.train_resumably(settings(), None)
    monkeypatch.setattr(runs, "CHECKPOINT_EVERY", 2)
    original, calls = Trainer.train_step, {"n": 0}

    def dies_after_five(self):
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt  # the session ends
        return original(self)

    monkeypatch.setattr(Trainer, "train_step", dies_after_five)
    scratch = tmp_path / "partial" / "run"
    with pytest.raises(KeyboardInterrupt):
        runs.train_resumably(settings(), scratch)
    monkeypatch.setattr(Trainer, "train_step", original)
    _, resumed, timing = runs.train_resumably(settings(), scratch)
    assert timing["resumed_from_step"] == 4 and timing["seconds_estimated"]
    assert resumed["final"]["loss"] == whole["final"]["loss"]  # the same trajectory, bit for bit
    assert not scratch.exists()


def test_a_report_of_a_running_grid_trains_nothing_and_shows_what_is_cached(tmp_path):
    from solomonic.cli import main

    first = plan(DEFAULT_GRID, None, seeds=3, lr=3e-3, batch_size=64)[0]
    cached = {"model": first.model, "preset": first.preset, "config": dataclasses.asdict(first.config), "seed": 0,
              "lr": 3e-3, "batch_size": 64, "accuracy": 0.75, "far_accuracy": 0.5, "params_without_embeddings": 1000,
              "cache_bytes": 2048, "train_seconds": 10.0, "cpu_seconds": 9.0}
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / f"{first.key}.json").write_text(json.dumps(cached))
    code = main(["bench", "recall", "--report-only", "--cache", str(tmp_path / "cache"), "--docs",
                 str(tmp_path / "b.md"), "--output", str(tmp_path / "r.json"), "--plots", str(tmp_path / "plots")])
    report = json.loads((tmp_path / "r.json").read_text())
    assert code == 0 and report["runs"] == [cached] and report["planned"] > 1
    assert f"| {first.model} | 1,000 | 2,048 | 0.750 ± 0.000 | 0.500 ± 0.000 | 1/3 |" in (tmp_path / "b.md").read_text()
    assert not (tmp_path / "cache" / "partial").exists()  # nothing started training


def test_a_report_says_where_its_runs_trained():
    assert devices([]) == "cpu" and devices([{}, {"device": "cpu"}]) == "cpu"  # older runs carry no device
    assert devices([{}, {"device": "cuda"}, {"device": "cuda"}]) == "cpu (1 of 3 runs), cuda (2 of 3 runs)"


@pytest.mark.parametrize("bench", ["recall", "lm"])
def test_a_grid_asked_for_a_missing_gpu_is_one_clear_line(bench, tmp_path, capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    from solomonic.cli import main

    code = main(["bench", bench, "--quick", "--device", "cuda", "--cache", str(tmp_path / "cache"),
                 "--docs", str(tmp_path / "b.md"), "--output", str(tmp_path / "r.json"), "--plots", str(tmp_path)])
    assert code != 0 and "no CUDA device is available" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_recall_run_trains_on_the_gpu():
    run = plan(QUICK_GRID, ["transformer"], seeds=1, lr=3e-3, batch_size=16)[0]
    result = train_one(run, compile=False, device="cuda")
    assert result["device"] == "cuda" and 0.0 <= result["accuracy"] <= 1.0 and result["final_loss"] > 0
