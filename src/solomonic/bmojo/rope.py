"""Rotary position embeddings (half-split convention), at absolute positions."""

from __future__ import annotations

import torch
from torch import nn


class Rotary(nn.Module):
    def __init__(self, head_dim: int, base: float):
        super().__init__()
        inverse = base ** (-torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)  # (D/2,)
        self.register_buffer("inverse_frequency", inverse, persistent=False)

    def angles(self, positions: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """cos and sin for integer positions (...,) -> (..., D/2) each; computed in float64, then cast."""
        theta = positions.to(torch.float64)[..., None] * self.inverse_frequency  # (..., D/2)
        return theta.cos().to(dtype), theta.sin().to(dtype)


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x (..., D) rotated by angles whose cos/sin (..., D/2) broadcast against x's leading dimensions."""
    first, second = x.chunk(2, dim=-1)  # (..., D/2) each
    return torch.cat([first * cos - second * sin, second * cos + first * sin], dim=-1)
