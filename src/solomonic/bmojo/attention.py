"""Attention over window ∪ fading span ∪ eidetic memory with one softmax, in block-sparse form.

Queries are taken in blocks of w. For query i = b*w + r the window C(i) = [i-w+1, i] lies in key blocks
b-1 and b, the fading span F(i) = [i-2w+1, i-w] in fading blocks b-2 and b-1, and the memory candidates
are a per-block list (memory.plan_memory). In both two-block spans the keys a query sees are those at
slot s with r < s <= r + w, the same band for every block. The cost is O(T · (w + candidates)) and no
T × T mask is ever built.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _blocks(x: torch.Tensor, window: int) -> torch.Tensor:
    """(B, H, T, D) -> (B, H, nb, w, D), zero-padded at the end."""
    batch, heads, length, dim = x.shape
    pad = (-length) % window
    return F.pad(x, (0, 0, 0, pad)).view(batch, heads, (length + pad) // window, window, dim)


def _earlier(xb: torch.Tensor, blocks: int) -> torch.Tensor:
    """The block `blocks` before each block (zeros before the start): (B, H, nb, w, D)."""
    return F.pad(xb, (0, 0, 0, 0, blocks, 0))[:, :, : xb.shape[2]]


def band_masks(nb: int, window: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """(nb, w, 2w) masks for the window keys (blocks b-1, b) and the fading keys (blocks b-2, b-1)."""
    r = torch.arange(window, device=device)[:, None]  # (w, 1)
    s = torch.arange(2 * window, device=device)[None, :]  # (1, 2w)
    band = (s > r) & (s <= r + window)  # (w, 2w)
    block = torch.arange(nb, device=device)[:, None, None]  # (nb, 1, 1)
    in_window = band & ((block - 1) * window + s >= 0)  # (nb, w, 2w)
    in_fading = band & ((block - 2) * window + s >= 0)
    return in_window, in_fading


def block_sparse_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int,
                           fading: tuple[torch.Tensor, torch.Tensor] | None = None,
                           memory: tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | None] | None = None
                           ) -> torch.Tensor:
    """q, k, v: (B, H, T, D), q and k already rotated. fading: keys and values from the SSM output,
    (B, H, T, D) each. memory: candidate keys and values (B, H, nb, K, D), visibility (B, nb, w, K) and an
    optional logit bias (B, nb, w, K). Returns (B, H, T, D)."""
    batch, heads, length, dim = q.shape
    qb = _blocks(q, window)  # (B, H, nb, w, D)
    nb = qb.shape[2]
    in_window, in_fading = band_masks(nb, window, q.device)
    kb, vb = _blocks(k, window), _blocks(v, window)  # (B, H, nb, w, D)
    keys = [_earlier(kb, 1), kb]  # window keys: blocks b-1 and b
    values = [_earlier(vb, 1), vb]
    masks = [in_window.expand(batch, -1, -1, -1)]  # (B, nb, w, 2w)
    biases = [None]
    if fading is not None:
        kf, vf = _blocks(fading[0], window), _blocks(fading[1], window)  # (B, H, nb, w, D)
        keys += [_earlier(kf, 2), _earlier(kf, 1)]  # fading keys: blocks b-2 and b-1
        values += [_earlier(vf, 2), _earlier(vf, 1)]
        masks.append(in_fading.expand(batch, -1, -1, -1))
        biases.append(None)
    if memory is not None:
        mk, mv, visible, bias = memory  # (B, H, nb, K, D), (B, H, nb, K, D), (B, nb, w, K), (B, nb, w, K)
        keys.append(mk)
        values.append(mv)
        masks.append(visible)
        biases.append(bias)
    # One key set, one additive mask (-inf where not visible, the memory gate where given): one softmax.
    additive = torch.cat([torch.zeros_like(m, dtype=q.dtype).masked_fill(~m, float("-inf")) if b is None
                          else b.masked_fill(~m, float("-inf")) for m, b in zip(masks, biases)], dim=-1)
    # Heads and blocks as one batch dimension: SDPA's fused CPU kernel takes 4-D inputs only (5-D ones fall
    # back to the unfused math path, a third slower here), and the mask is repeated per head to match.
    keys_all, values_all = torch.cat(keys, dim=3), torch.cat(values, dim=3)  # (B, H, nb, S, D)
    span = keys_all.shape[3]
    mask = additive[:, None].expand(-1, heads, -1, -1, -1).reshape(batch, heads * nb, window, span)
    out = F.scaled_dot_product_attention(qb.reshape(batch, heads * nb, window, dim),
                                         keys_all.reshape(batch, heads * nb, span, dim),
                                         values_all.reshape(batch, heads * nb, span, dim), attn_mask=mask)
    return out.reshape(batch, heads, -1, dim)[:, :, :length]  # (B, H, T, D)


def gather_blocks(x: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
    """Per-block candidates: x (B, H, T, D), positions (B, nb, K) (-1 for none) -> (B, H, nb, K, D)."""
    batch, heads, _, dim = x.shape
    _, nb, k = positions.shape
    index = positions.clamp(min=0).view(batch, 1, nb * k, 1).expand(-1, heads, -1, dim)  # (B, H, nb*K, D)
    return x.gather(2, index).view(batch, heads, nb, k, dim)
