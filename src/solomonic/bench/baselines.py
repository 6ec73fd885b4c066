"""The implementations a user would otherwise pick, for `bench speed` to measure against.

- `PlainTransformer`: a causal Transformer in a page of plain PyTorch around
  `scaled_dot_product_attention`, with the `transformer` preset's exact shapes and math, so that the two
  differ only in how they are written (a test loads one's weights into the other and compares logits).
- Hugging Face `transformers`' Mamba2 (its pure-PyTorch path on CPU), built with the shapes of a
  `mamba` preset without MLP, which is exactly that architecture: `hf_mamba2` copies the weights over.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from solomonic.bmojo import BMojoConfig, BMojoLM


class PlainBlock(nn.Module):
    def __init__(self, d: int, heads: int, hidden: int, eps: float):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.RMSNorm(d, eps=eps), nn.RMSNorm(d, eps=eps)
        self.qkv, self.out = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.up, self.down = nn.Linear(d, hidden, bias=False), nn.Linear(hidden, d, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        batch, length, d = x.shape
        q, k, v = (t.view(batch, length, self.heads, -1).transpose(1, 2)
                   for t in self.qkv(self.norm1(x)).chunk(3, dim=-1))  # (B, H, T, D) each
        q, k = _rotate(q, cos, sin), _rotate(k, cos, sin)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (B, H, T, D)
        x = x + self.out(o.transpose(1, 2).reshape(batch, length, d))  # (B, T, d)
        return x + self.down(F.gelu(self.up(self.norm2(x))))


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    first, second = x.chunk(2, dim=-1)  # (B, H, T, D/2) each; the half-split convention
    return torch.cat([first * cos - second * sin, second * cos + first * sin], dim=-1)


class PlainTransformer(nn.Module):
    def __init__(self, config: BMojoConfig):
        super().__init__()
        d, hidden = config.d_model, int(config.mlp_ratio * config.d_model)
        self.embed = nn.Embedding(config.vocab_size, d)
        self.blocks = nn.ModuleList(PlainBlock(d, config.n_heads, hidden, config.norm_eps)
                                    for _ in range(config.n_layers))
        self.norm = nn.RMSNorm(d, eps=config.norm_eps)
        half = config.head_dim // 2
        self.register_buffer("inverse_frequency", config.rope_base ** (-torch.arange(half) / half), persistent=False)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids (B, T) -> logits (B, T, vocab)"""
        theta = torch.arange(input_ids.shape[1], device=input_ids.device)[:, None] * self.inverse_frequency  # (T, D/2)
        cos, sin = theta.cos(), theta.sin()
        x = self.embed(input_ids)  # (B, T, d)
        for block in self.blocks:
            x = block(x, cos, sin)
        return F.linear(self.norm(x), self.embed.weight)  # (B, T, vocab)

    @torch.no_grad()
    def load_from(self, model: BMojoLM) -> PlainTransformer:
        """Take the weights of a `transformer` preset of the same shapes."""
        self.embed.weight.copy_(model.embed.weight)
        self.norm.weight.copy_(model.norm.weight)
        for mine, theirs in zip(self.blocks, model.blocks):
            for name, source in [("norm1", theirs.norm1), ("norm2", theirs.norm2), ("qkv", theirs.mixer.qkv),
                                 ("out", theirs.mixer.out), ("up", theirs.mlp.up), ("down", theirs.mlp.down)]:
                getattr(mine, name).weight.copy_(source.weight)
        return self


def hf_mamba2(config: BMojoConfig, weights_from: BMojoLM | None = None) -> nn.Module:
    """transformers' Mamba2ForCausalLM with the shapes of `config` (a `mamba` preset, mlp_ratio 0), and
    optionally that preset's weights. Raises ImportError where transformers is not installed."""
    from transformers import Mamba2Config, Mamba2ForCausalLM

    if config.kinds != "S" * config.n_layers or config.mlp_ratio:
        raise ValueError("only a mamba preset without MLP has transformers' Mamba2 architecture")
    model = Mamba2ForCausalLM(Mamba2Config(
        vocab_size=config.vocab_size, hidden_size=config.d_model, num_hidden_layers=config.n_layers,
        state_size=config.ssm_state, expand=config.ssm_expand, head_dim=config.ssm_head_dim,
        num_heads=config.ssm_heads, n_groups=1, conv_kernel=config.ssm_conv, chunk_size=config.ssm_chunk,
        use_bias=False, use_conv_bias=True, layer_norm_epsilon=config.norm_eps, tie_word_embeddings=True,
        residual_in_fp32=False))
    if weights_from is not None:
        state = {"backbone.embeddings.weight": weights_from.embed.weight,
                 "backbone.norm_f.weight": weights_from.norm.weight}
        for i, block in enumerate(weights_from.blocks):
            ssm, prefix = block.mixer.ssm, f"backbone.layers.{i}."
            state.update({prefix + "norm.weight": block.norm1.weight, prefix + "mixer.in_proj.weight": ssm.in_proj.weight,
                          prefix + "mixer.conv1d.weight": ssm.conv.weight, prefix + "mixer.conv1d.bias": ssm.conv.bias,
                          prefix + "mixer.dt_bias": ssm.dt_bias, prefix + "mixer.A_log": ssm.A_log,
                          prefix + "mixer.D": ssm.D, prefix + "mixer.norm.weight": ssm.norm.weight,
                          prefix + "mixer.out_proj.weight": ssm.out_proj.weight})
        missing, unexpected = model.load_state_dict({k: v.detach().clone() for k, v in state.items()}, strict=False)
        if unexpected or set(missing) - {"lm_head.weight"}:  # the head is tied to the embeddings
            raise ValueError(f"transformers' Mamba2 changed its layout: missing {missing}, unexpected {unexpected}")
    return model
