"""The baselines `bench speed` measures against compute what the presets compute: given the same weights,
the same logits. A speed ratio then compares implementations, not architectures."""

from __future__ import annotations

import pytest
import torch

from solomonic.bench.baselines import PlainTransformer, hf_mamba2
from solomonic.bmojo import BMojoConfig, BMojoLM

SHAPES = {"d_model": 32, "n_layers": 2, "n_heads": 2, "ssm_head_dim": 8, "ssm_chunk": 8, "ssm_state": 4}


def ids() -> torch.Tensor:
    return torch.randint(0, 256, (2, 37), generator=torch.Generator().manual_seed(3))  # not a multiple of the chunk


def test_the_plain_sdpa_transformer_equals_the_transformer_preset():
    torch.manual_seed(0)
    ours = BMojoLM(BMojoConfig.preset("transformer", **SHAPES)).double()
    plain = PlainTransformer(ours.config).double().load_from(ours)
    assert sum(p.numel() for p in plain.parameters()) == ours.num_params()
    torch.testing.assert_close(plain(ids()), ours(ids()), rtol=1e-9, atol=1e-9)


def test_the_mamba_preset_without_mlp_equals_transformers_mamba2():
    pytest.importorskip("transformers")
    torch.manual_seed(0)
    ours = BMojoLM(BMojoConfig.preset("mamba", **SHAPES, mlp_ratio=0.0))
    theirs = hf_mamba2(ours.config, weights_from=ours).eval()
    assert sum(p.numel() for p in theirs.parameters()) == ours.num_params()
    with torch.no_grad():
        torch.testing.assert_close(theirs(ids()).logits, ours(ids()), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match="architecture"):
        hf_mamba2(BMojoConfig.preset("mamba", **SHAPES))  # with an MLP it is another model
