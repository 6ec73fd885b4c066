"""`bench speed` end to end at a toy scale: what it measures and writes, not how fast anything is."""

from __future__ import annotations

import argparse
import json

import pytest
import torch

from solomonic.bench import speed
from solomonic.bench.matching import parameters

TOY = speed.Scale(d_model=32, n_layers=2, window=8, lengths=(32, 64), tokens_per_step=128, contexts=(64, 128),
                  new_tokens=3, rounds=2, transformer_budget_s=1e-9, peak_size=64)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("speed")
    args = argparse.Namespace(quick=True, threads=1, compile=True, device="cpu", output=str(out / "speed.json"),
                              docs=str(out / "benchmarks.md"), plots=str(out / "plots"))

    def broken_compiler(module, **options):
        def call(*args, **kwargs):
            raise RuntimeError("no C++ compiler here")
        return call

    with pytest.MonkeyPatch.context() as patch, pytest.warns(RuntimeWarning, match="continuing without"):
        patch.setattr(torch, "compile", broken_compiler)  # the compiled path, falling back, in no time
        assert speed.run(args, scale=TOY) == 0
    return json.loads((out / "speed.json").read_text()), out


def test_every_model_is_timed_at_every_length_with_its_flops(report):
    data, _ = report
    rows = {(r["model"], r["length"]): r for r in data["training"]}
    models = speed.training_models(speed._transformers_available())
    assert set(rows) == {(m, n) for m in models for n in TOY.lengths}
    assert all(r["tokens_per_s"] > 0 and r["flops_per_step"] > 0 for r in rows.values())
    target = parameters("bmojo", TOY.base())
    for name in speed.FAMILY:
        assert abs(rows[(name, 64)]["params_without_embeddings"] - target) <= 0.1 * target, name
    # The plain Transformer computes what the preset computes, and the CPU attention is counted.
    assert rows[(speed.PLAIN, 64)]["flops_per_step"] == rows[("transformer", 64)]["flops_per_step"]


def test_a_compiler_that_fails_is_reported_as_eager(report):
    data, _ = report
    assert [(r["model"], r["compiled"]) for r in data["compiled"]] == [(speed.MAMBA_NO_MLP, False), ("bmojo", False)]
    assert all(r["tokens_per_s"] > 0 and r["gain"] > 0 for r in data["compiled"])
    if speed._transformers_available():  # timed in the same rounds, but no compiled target from a fallback
        assert data["compiled"][0]["versus_hf_mamba2"] > 0
        assert not any("compiled /" in t["target"] for t in data["targets"])


def test_rounds_interleave_the_models_and_ratios_pair_them_round_by_round():
    calls = []
    timed = speed.interleaved({m: (lambda m=m: calls.append(m)) for m in "abc"}, rounds=3)
    assert calls == list("abc") + list("abc") + list("bca") + list("cab")  # warm-ups, then rotating rounds
    assert all(len(times) == 3 and warm_up >= 0 for times, warm_up in timed.values())
    # The machine slows tenfold between rounds; the ratio taken within each round is still 2.
    assert speed.paired_ratio([2.0, 20.0, 200.0], [1.0, 10.0, 100.0]) == 2.0


def test_attention_on_the_cpu_is_counted_causal_at_half():
    from torch.utils.flop_counter import FlopCounterMode

    q = torch.randn(1, 2, 16, 8)
    counted = {}
    for causal in (False, True):
        with FlopCounterMode(display=False, custom_mapping=speed.CPU_ATTENTION_FLOPS) as counter:
            torch.nn.functional.scaled_dot_product_attention(q, q, q, is_causal=causal)
        counted[causal] = counter.get_total_flops()
    assert counted[False] == 2 * 2 * 16 * 16 * 8 * 2 and counted[True] == counted[False] // 2


def test_generation_keeps_bmojo_cache_fixed_and_stops_full_attention_at_its_budget(report):
    data, out = report
    rows = {(r["model"], r["context"]): r for r in data["generation"]}
    assert rows[("bmojo", 64)]["cache_bytes"] == rows[("bmojo", 128)]["cache_bytes"]
    assert all(len(r["token_latencies_s"]) == TOY.new_tokens for r in rows.values() if not r.get("skipped"))
    assert rows[("transformer", 64)]["cache_bytes"] > 0
    assert rows[("transformer", 128)]["skipped"]  # a budget of a nanosecond admits one context only
    met = {t["target"]: t["met"] for t in data["targets"]}
    assert met["bmojo cache bytes identical at every context"] is True
    text = (out / "benchmarks.md").read_text()
    assert "<!-- bench:speed-quick -->" in text and "plain SDPA transformer" in text
    assert (out / "plots" / "speed-quick.png").stat().st_size > 0


def test_cuda_without_a_gpu_is_one_clear_line(capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    from solomonic.cli import main

    assert main(["bench", "speed", "--quick", "--device", "cuda"]) != 0
    assert "no CUDA device is available" in capsys.readouterr().err


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_the_benchmark_runs_on_the_gpu(tmp_path):
    args = argparse.Namespace(quick=True, threads=1, compile=False, device="cuda", output=str(tmp_path / "s.json"),
                              docs=str(tmp_path / "benchmarks.md"), plots=str(tmp_path / "plots"))
    assert speed.run(args, scale=TOY) == 0
    data = json.loads((tmp_path / "s.json").read_text())
    assert data["device"] == "cuda" and all(r["tokens_per_s"] > 0 for r in data["training"])
    assert "<!-- bench:speed-quick-cuda -->" in (tmp_path / "benchmarks.md").read_text()
