"""Configuration, checkpoints and the command line of the B'MOJO engine."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from solomonic.bmojo import BMojoConfig, BMojoLM, CheckpointError, ConfigError
from solomonic.bmojo.config import parse_overrides

TINY = {"d_model": 32, "n_layers": 2, "n_heads": 2, "window": 4, "ssm_head_dim": 8, "ssm_chunk": 8, "k_mem": 2,
        "mem_capacity": 3}


def solomonic(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "solomonic", *args], capture_output=True, text=True, timeout=300)


def test_presets_spell_the_layer_kinds():
    kinds = {name: BMojoConfig.preset(name, n_layers=4).kinds for name in
             ("transformer", "swa", "mamba", "hybrid", "bmojo_f", "bmojo")}
    assert kinds == {"transformer": "TTTT", "swa": "AAAA", "mamba": "SSSS", "hybrid": "SASA", "bmojo_f": "FFFF",
                     "bmojo": "MMMM"}


@pytest.mark.parametrize("name, overrides, message", [
    ("nope", {}, "unknown preset"),
    ("bmojo", {"windw": 8}, "unknown field windw"),
    ("bmojo", {"window": 8, "k_mem": 9}, "k_mem must be in 0..window"),
    ("bmojo", {"d_model": 30, "n_heads": 4}, "not divisible"),
    ("bmojo", {"mem_eviction": "lru"}, "mem_eviction"),
    ("bmojo", {"mem_key": "next"}, "mem_key must be 'token' or 'previous'"),
    ("bmojo", {"n_layers": 2, "mem_score_layer": 1}, "mem_score_layer"),
])
def test_impossible_configurations_are_refused(name, overrides, message):
    with pytest.raises(ConfigError, match=message):
        BMojoConfig.preset(name, **overrides)


def test_overrides_are_typed_by_field():
    assert parse_overrides(["window=128", "mem_gate=true", "aux_weight=0.5", "mem_rope=none"]) == {
        "window": 128, "mem_gate": True, "aux_weight": 0.5, "mem_rope": "none"}
    with pytest.raises(ConfigError, match="window expects"):
        parse_overrides(["window=wide"])
    with pytest.raises(ConfigError, match="FIELD=VALUE"):
        parse_overrides(["window"])


def test_one_layer_can_select_for_all():
    torch.manual_seed(0)
    model = BMojoLM(BMojoConfig.preset("bmojo", **TINY, mem_score_layer=0)).double()
    assert hasattr(model.blocks[0].mixer, "predictor") and not hasattr(model.blocks[1].mixer, "predictor")
    ids = torch.randint(0, 256, (2, 29))
    out = model(ids, return_memory=True)
    assert torch.equal(out.memory[0]["selected"], out.memory[1]["selected"])
    logits, cache = model.prefill(ids[:, :7])
    steps = [logits]
    for t in range(7, 29):
        step, cache = model.step(ids[:, t], cache)
        steps.append(step[:, None])
    assert (torch.cat(steps, 1) - out.logits).abs().max() < 1e-10


def test_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    model = BMojoLM(BMojoConfig.preset("bmojo", **TINY))
    model.save_pretrained(tmp_path / "ckpt")
    assert {p.name for p in (tmp_path / "ckpt").iterdir()} == {"model.safetensors", "config.json", "tokenizer.json"}
    again = BMojoLM.from_pretrained(tmp_path / "ckpt")
    ids = torch.randint(0, 256, (1, 20))
    assert torch.equal(model(ids), again(ids)) and again.config == model.config


def test_a_failed_save_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    import safetensors.torch

    torch.manual_seed(0)
    first = BMojoLM(BMojoConfig.preset("bmojo", **TINY))
    first.save_pretrained(tmp_path / "ckpt")
    second = BMojoLM(BMojoConfig.preset("bmojo", **TINY))

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the save is interrupted half-way

    monkeypatch.setattr(safetensors.torch, "save_file", killed)
    with pytest.raises(KeyboardInterrupt):
        second.save_pretrained(tmp_path / "ckpt")
    ids = torch.randint(0, 256, (1, 12))
    assert torch.equal(BMojoLM.from_pretrained(tmp_path / "ckpt")(ids), first(ids))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt"]  # no staging directory left behind


def test_corrupt_and_foreign_checkpoints_are_refused(tmp_path):
    BMojoLM(BMojoConfig.preset("bmojo", **TINY)).save_pretrained(tmp_path / "ok")
    with pytest.raises(CheckpointError, match=r"no model\.safetensors"):
        BMojoLM.from_pretrained(tmp_path)
    corrupt = tmp_path / "ok" / "model.safetensors"
    corrupt.write_bytes(corrupt.read_bytes()[:100])
    with pytest.raises(CheckpointError, match="unreadable weights"):
        BMojoLM.from_pretrained(tmp_path / "ok")
    BMojoLM(BMojoConfig.preset("bmojo", **TINY)).save_pretrained(tmp_path / "other")
    (tmp_path / "other" / "config.json").write_text(json.dumps({"architectures": ["GPT2LMHeadModel"]}))
    with pytest.raises(CheckpointError, match="not a B'MOJO configuration"):
        BMojoLM.from_pretrained(tmp_path / "other")
    BMojoLM(BMojoConfig.preset("bmojo", **TINY)).save_pretrained(tmp_path / "wider")
    config = json.loads((tmp_path / "wider" / "config.json").read_text())
    (tmp_path / "wider" / "config.json").write_text(json.dumps({**config, "d_model": 64}))
    with pytest.raises(CheckpointError, match="do not fit"):
        BMojoLM.from_pretrained(tmp_path / "wider")


def test_generation_is_deterministic_under_a_seed():
    torch.manual_seed(0)
    model = BMojoLM(BMojoConfig.preset("bmojo", **TINY))
    prompt = torch.tensor([72, 101, 108, 108, 111])
    runs = [model.generate(prompt, 30, temperature=1.0, top_k=20, generator=torch.Generator().manual_seed(7))
            for _ in range(2)]
    assert torch.equal(runs[0], runs[1]) and runs[0].shape == (35,) and torch.equal(runs[0][:5], prompt)



def test_generation_stops_once_every_row_has_sampled_the_stop_token():
    torch.manual_seed(0)
    model = BMojoLM(BMojoConfig.preset("bmojo", **TINY))
    prompts = torch.tensor([[72, 101, 108], [108, 111, 72]])
    full = model.generate(prompts, 40, temperature=0.0)
    new = full[:, 3:]
    stop = int(new[0, 5])  # a token the first row samples at its sixth step
    stopped = model.generate(prompts, 40, temperature=0.0, stop=stop)
    last = max(int((row == stop).nonzero()[0]) if (row == stop).any() else 39 for row in new)
    assert stopped.shape == (2, 3 + last + 1) and torch.equal(stopped, full[:, : 3 + last + 1])


def test_info_command_prints_counts_and_constant_cache_sizes():
    done = solomonic("bmojo", "info", "--preset", "bmojo", "--set", "d_model=64", "--set", "n_layers=2",
                     "--context", "1024", "--context", "65536")
    assert done.returncode == 0, done.stderr
    assert "without embeddings" in done.stdout
    sizes = [line.split(":")[1].split("bytes")[0] for line in done.stdout.splitlines() if "context" in line]
    assert len(sizes) == 2 and sizes[0] == sizes[1]


def test_generate_command_and_its_errors(tmp_path):
    torch.manual_seed(0)
    BMojoLM(BMojoConfig.preset("bmojo", **TINY)).save_pretrained(tmp_path / "ckpt")
    done = solomonic("generate", "--checkpoint", str(tmp_path / "ckpt"), "--prompt", "Hello", "--max-new-tokens", "8")
    assert done.returncode == 0 and done.stdout.startswith("Hello")
    for args, fragment in [(["--checkpoint", str(tmp_path)], "not a B'MOJO checkpoint"),
                           (["--checkpoint", str(tmp_path / "ckpt"), "--prompt", ""], "prompt is empty")]:
        done = solomonic("generate", *(["--prompt", "x"] if "--prompt" not in args else []), *args)
        assert done.returncode == 2 and fragment in done.stderr and "Traceback" not in done.stderr
    done = solomonic("bmojo", "info", "--set", "window=wide")
    assert done.returncode == 2 and "window expects" in done.stderr
