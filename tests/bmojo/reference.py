"""Slow, obvious references for the B'MOJO tests: dense masks, Python loops, no shared code paths with
the implementation beyond its parameters."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solomonic.bmojo.layer import Mixer
from solomonic.bmojo.model import BMojoLM


def memory_sets(sigma: list[float], window: int, k_mem: int, capacity: int, eviction: str):
    """DESIGN.md's rule for one sequence: the selected positions and, for every query, M(i)."""
    length = len(sigma)
    selected: set[int] = set()
    for start in range(0, length, window):
        block = range(start, min(length, start + window))
        selected |= set(sorted(block, key=lambda j: (-sigma[j], j))[:k_mem])  # ties: the earlier position
    rank = (lambda j: (-sigma[j], -j)) if eviction == "score" else (lambda j: -j)  # ties: the later position
    visible = []
    for i in range(length):
        eligible = [j for j in selected if j + 2 * window <= i]
        visible.append(set(sorted(eligible, key=rank)[:capacity]))
    return selected, visible


def rotate_dense(x: torch.Tensor, base: float) -> torch.Tensor:
    """RoPE written out: x (B, H, T, D) at positions 0..T-1."""
    length, dim = x.shape[2], x.shape[3]
    half = dim // 2
    freq = base ** (-torch.arange(half, dtype=torch.float64) * 2 / dim)
    theta = torch.arange(length, dtype=torch.float64)[:, None] * freq  # (T, D/2)
    cos, sin = theta.cos().to(x.dtype), theta.sin().to(x.dtype)
    a, b = x[..., :half], x[..., half:]
    return torch.cat([a * cos - b * sin, b * cos + a * sin], dim=-1)


def dense_mixer(mixer: Mixer, h: torch.Tensor, config) -> torch.Tensor:
    """A window / fading / memory layer as one dense softmax over [h keys | f keys | memory keys]."""
    batch, length, d = h.shape
    heads, dim, w = config.n_heads, config.head_dim, config.window
    split = lambda x: x.view(batch, length, heads, dim).transpose(1, 2)  # noqa: E731
    q, k, v = (split(t) for t in mixer.qkv(h).chunk(3, dim=-1))
    qr, kr = rotate_dense(q, config.rope_base), rotate_dense(k, config.rope_base)
    keys, values = [kr], [v]
    i = torch.arange(length)[:, None]
    j = torch.arange(length)[None, :]
    masks = [(j <= i) & (j > i - w)]  # window C(i)
    if mixer.kind == "T":
        masks = [j <= i]
    biases = [torch.zeros(batch, length, length, dtype=h.dtype)]
    if mixer.fading:
        f, _ = mixer.ssm(h)
        _, kf, vf = mixer.qkv(f).chunk(3, dim=-1)
        keys.append(rotate_dense(split(kf), config.rope_base))
        values.append(split(vf))
        masks.append((j <= i - w) & (j > i - 2 * w))  # fading span F(i)
        biases.append(torch.zeros(batch, length, length, dtype=h.dtype))
        if mixer.remembers:
            previous = torch.cat([torch.zeros_like(f[:, :1]), f[:, :-1]], dim=1)
            key_raw = mixer.qkv(h).chunk(3, dim=-1)[1]  # (B, T, d), before RoPE
            score = (F.normalize(key_raw, dim=-1) - F.normalize(mixer.predictor(previous), dim=-1)).pow(2).sum(-1)
            gate = mixer.gate(h).squeeze(-1) if mixer.gate is not None else torch.zeros_like(score)
            sigma = (score + gate).detach()
            memory = torch.zeros(batch, length, length, dtype=torch.bool)
            for b in range(batch):
                _, visible = memory_sets(sigma[b].tolist(), w, config.k_mem, config.mem_capacity,
                                         config.mem_eviction)
                for query, seen in enumerate(visible):
                    memory[b, query, list(seen)] = True
            key = kr if config.mem_rope == "absolute" else k
            if config.mem_key == "previous":  # entry j is found by the key of token j - 1 (zero for j = 0)
                key = torch.cat([torch.zeros_like(key[:, :, :1]), key[:, :, :-1]], dim=2)
            keys.append(key)
            values.append(v)
            masks.append(memory)
            biases.append(gate[:, None, :].expand(-1, length, -1))
    logits = []
    for key, mask, bias in zip(keys, masks, biases):
        part = torch.einsum("bhid,bhjd->bhij", qr, key) / dim**0.5 + bias[:, None]
        mask = mask if mask.dim() == 3 else mask[None]
        logits.append(part.masked_fill(~mask[:, None], float("-inf")))
    weights = torch.softmax(torch.cat(logits, dim=-1), dim=-1)
    o = torch.einsum("bhij,bhjd->bhid", weights, torch.cat(values, dim=2))
    y = mixer.out(o.transpose(1, 2).reshape(batch, length, d))
    return y + f if mixer.fading and config.ssm_direct else y  # the SSM output read at its own position


def sequential_ssm(ssm, u: torch.Tensor) -> torch.Tensor:
    """The Mamba2-style mixer written as the plain recurrence, one position after another."""
    batch, length, _ = u.shape
    z, xbc, dt = torch.split(ssm.in_proj(u), [ssm.inner, ssm.inner + 2 * ssm.n, ssm.heads], dim=-1)
    kernel = ssm.conv.weight[:, 0, :]  # (C, K)
    k = kernel.shape[1]
    padded = torch.cat([torch.zeros(batch, k - 1, xbc.shape[-1], dtype=u.dtype), xbc], dim=1)
    conv = torch.stack([(padded[:, t : t + k].transpose(1, 2) * kernel).sum(-1) for t in range(length)], dim=1)
    x, b, c = torch.split(F.silu(conv + ssm.conv.bias), [ssm.inner, ssm.n, ssm.n], dim=-1)
    dt = F.softplus(dt + ssm.dt_bias)  # (B, T, H)
    a = -torch.exp(ssm.A_log)
    x = x.view(batch, length, ssm.heads, ssm.head_dim)
    h = torch.zeros(batch, ssm.heads, ssm.head_dim, ssm.n, dtype=u.dtype)
    ys = []
    for t in range(length):
        h = torch.exp(dt[:, t] * a)[:, :, None, None] * h + (dt[:, t, :, None] * x[:, t])[..., None] * b[:, t, None, None, :]
        ys.append(torch.einsum("bhpn,bn->bhp", h, c[:, t]) + x[:, t] * ssm.D[:, None])
    y = torch.stack(ys, dim=1).reshape(batch, length, ssm.inner)
    return ssm.out_proj(ssm.norm(y * F.silu(z)))


def dense_model(model: BMojoLM, ids: torch.Tensor) -> torch.Tensor:
    """The model with every mixer replaced by its dense / sequential reference."""
    config = model.config
    x = model.embed(ids)
    for block in model.blocks:
        hn = block.norm1(x)
        y = sequential_ssm(block.mixer.ssm, hn) if block.mixer.kind == "S" else dense_mixer(block.mixer, hn, config)
        x = x + y
        if block.mlp is not None:
            x = x + block.mlp.down(F.gelu(block.mlp.up(block.norm2(x))))
    return model.norm(x) @ model.embed.weight.T
