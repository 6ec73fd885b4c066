"""solomonic.hf: the Auto classes load what save_pretrained wrote, and generate() decodes as the native model."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("transformers")

import torch
from transformers import AutoConfig, AutoModelForCausalLM

from solomonic.bmojo import ConfigError
from solomonic.hf import BMojoCache, BMojoForCausalLM, BMojoHFConfig

# Tiny, but a prompt of 30 tokens fills several windows of 4 and the eidetic memory selects from them.
TINY = {"d_model": 32, "n_layers": 2, "n_heads": 2, "window": 4, "ssm_head_dim": 8, "ssm_chunk": 8, "k_mem": 2,
        "mem_capacity": 3}
PRESETS = ["bmojo", "mamba", "bmojo_f", "hybrid", "swa", "transformer"]


def tiny(preset: str, seed: int = 0) -> BMojoForCausalLM:
    torch.manual_seed(seed)
    fields = TINY if preset in ("bmojo", "bmojo_f") else {k: v for k, v in TINY.items() if not k.startswith(("k_", "mem_"))}
    return BMojoForCausalLM(BMojoHFConfig(preset=preset, **fields)).eval()


def native_greedy(model, prompt: torch.Tensor, new: int) -> torch.Tensor:
    """Greedy decoding with the native API, step by step: prefill, then argmax and step."""
    logits, cache = model.prefill(prompt)
    last, tokens = logits[:, -1], []
    for _ in range(new):
        token = last.argmax(dim=-1)
        tokens.append(token)
        last, cache = model.step(token, cache)
    return torch.cat([prompt, torch.stack(tokens, dim=1)], dim=1)


@pytest.mark.parametrize("preset", PRESETS)
def test_saved_model_generates_as_native_greedy_decoding(preset, tmp_path):
    model = tiny(preset)
    model.save_pretrained(tmp_path)
    assert {"model.safetensors", "config.json"} <= {p.name for p in tmp_path.iterdir()}
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path).eval()
    assert type(loaded) is BMojoForCausalLM
    assert loaded.config.to_bmojo() == model.config.to_bmojo()
    assert loaded.state_dict().keys() == model.state_dict().keys()
    for name, tensor in model.state_dict().items():
        assert torch.equal(loaded.state_dict()[name], tensor), name
    for name, buffer in model.named_buffers():  # not saved: the rotary frequencies are computed again
        assert torch.equal(dict(loaded.named_buffers())[name], buffer), name
    prompt = torch.randint(0, 256, (2, 30), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = native_greedy(model.model, prompt, 16)
    out = loaded.generate(prompt, max_new_tokens=16, do_sample=False)
    assert out.shape == (2, 46)  # no end-of-text token: all 16 tokens are generated
    assert torch.equal(out, expected)


def test_sampling_draws_as_the_native_sampler():
    """Same seed, same draws: generate's multinomial over softmax(logits / T) is the native sampler's."""
    model = tiny("bmojo")
    prompt = torch.randint(0, 256, (3, 25), generator=torch.Generator().manual_seed(2))
    torch.manual_seed(5)
    sampled = model.generate(prompt, max_new_tokens=16, do_sample=True, top_k=0, temperature=0.7)
    torch.manual_seed(5)
    expected = model.model.generate(prompt, 16, temperature=0.7)
    assert torch.equal(sampled, expected)
    assert not torch.equal(sampled, model.generate(prompt, max_new_tokens=16, do_sample=False))


def test_generation_continues_from_a_cache_it_was_given():
    model = tiny("bmojo")
    prompt = torch.randint(0, 256, (1, 21), generator=torch.Generator().manual_seed(3))
    cache = BMojoCache()
    first = model.generate(prompt, max_new_tokens=7, do_sample=False, cache=cache)
    assert cache.get_seq_length() == 27  # the last token drawn is not read yet
    size = cache.native.nbytes()
    second = model.generate(first, max_new_tokens=9, do_sample=False, cache=cache)
    assert cache.native.nbytes() == size  # constant size: a window, SSM states and a memory
    assert torch.equal(second, model.generate(prompt, max_new_tokens=16, do_sample=False))


def test_beam_search_reorders_the_cache():
    """Each beam's score is the sum of its tokens' log-probabilities (length_penalty 0); recomputed by a
    parallel forward over the whole sequence, it agrees only if every step read its own beam's cache."""
    model = tiny("bmojo")
    prompt = torch.randint(0, 256, (2, 18), generator=torch.Generator().manual_seed(4))
    out = model.generate(prompt, max_new_tokens=6, num_beams=3, do_sample=False, length_penalty=0.0,
                         return_dict_in_generate=True, output_scores=True)
    with torch.no_grad():
        log_probs = torch.log_softmax(model.model(out.sequences).float(), dim=-1)
    new = out.sequences[:, 18:]
    scores = log_probs[:, 17:-1].gather(-1, new[..., None])[..., 0].sum(dim=-1)
    torch.testing.assert_close(out.sequences_scores, scores, rtol=1e-4, atol=1e-4)


def test_forward_loss_is_next_token_cross_entropy_plus_the_memory_loss():
    model = tiny("bmojo")
    ids = torch.randint(0, 256, (2, 16), generator=torch.Generator().manual_seed(6))
    labels = ids.clone()
    labels[:, :5] = -100
    out = model(ids, labels=labels)
    native = model.model(ids, return_aux=True)
    expected = torch.nn.functional.cross_entropy(native.logits[:, 4:-1].flatten(0, 1), ids[:, 5:].flatten())
    assert native.aux_loss.item() != 0
    torch.testing.assert_close(out.loss, expected + native.aux_loss)
    out.loss.backward()
    assert model.model.embed.weight.grad is not None


def test_padding_and_per_layer_outputs_are_refused():
    model = tiny("mamba")
    ids = torch.randint(0, 256, (2, 8))
    mask = torch.ones_like(ids)
    assert model(ids, attention_mask=mask).logits.shape == (2, 8, 256)
    mask[0, :3] = 0
    with pytest.raises(ValueError, match="unpadded"):
        model(ids, attention_mask=mask)
    with pytest.raises(ValueError, match="hidden states"):
        model(ids, output_hidden_states=True)


def test_configuration_resolves_the_preset_and_states_every_field(tmp_path):
    config = BMojoHFConfig(preset="mamba", d_model=64)
    assert (config.layer_pattern, config.k_mem, config.d_model, config.hidden_size) == ("S", 0, 64, 64)
    assert getattr(config, "eos_token_id", None) is None
    config.save_pretrained(tmp_path)
    saved = json.loads((tmp_path / "config.json").read_text())
    assert saved["model_type"] == "bmojo" and saved["preset"] == "mamba" and saved["layer_pattern"] == "S"
    assert AutoConfig.from_pretrained(tmp_path).to_bmojo() == config.to_bmojo()


@pytest.mark.parametrize("kwargs, message", [({"preset": "nope"}, "unknown preset"),
                                             ({"window": 4, "k_mem": 9}, "k_mem must be in 0..window")])
def test_impossible_configurations_are_refused(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        BMojoHFConfig(**kwargs)
