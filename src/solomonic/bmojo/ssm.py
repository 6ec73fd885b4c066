"""The fading memory: a selective state-space model in the Mamba2 style.

Per head, a scalar decay: h_t = exp(dt_t A) h_{t-1} + dt_t x_t ⊗ B_t, and y_t = C_t · h_t + D x_t, after a
short causal depthwise convolution (causal_conv.py), with a SiLU gate and a gated RMSNorm before the output
projection. Training uses the chunked (SSD) form of the scan; generation uses `step`, one token at a time with a
constant-size state. Both are pure PyTorch.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from solomonic.bmojo.causal_conv import causal_conv
from solomonic.bmojo.config import BMojoConfig


def ssd_scan(x: torch.Tensor, log_a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, chunk: int,
             h0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The scan h_t = exp(log_a_t) h_{t-1} + x_t ⊗ b_t, y_t = h_t c_t, in chunks of length `chunk`.

    x: (B, T, H, P), already scaled by dt; log_a: (B, T, H), at most 0; b, c: (B, T, N), shared by the
    heads; h0: (B, H, P, N) or None. Returns y (B, T, H, P) and the final state (B, H, P, N).
    Within a chunk the scan is a masked matrix product; across chunks, too: the state entering each
    chunk is a decay-weighted sum of what the earlier chunks produced, one small matrix product
    rather than a loop over chunks. Work is head-major, so that every product is a batched matmul.
    """
    batch, length, heads, p = x.shape
    n = b.shape[-1]
    pad = (-length) % chunk
    if pad:  # padding with no input and no decay leaves the state unchanged
        x, log_a, b, c = (F.pad(t, (0, 0) * (t.dim() - 2) + (0, pad)) for t in (x, log_a, b, c))
    chunks = x.shape[1] // chunk
    x = x.view(batch, chunks, chunk, heads, p).transpose(2, 3)  # (B, Z, H, L, P)
    b = b.view(batch, chunks, 1, chunk, n)  # (B, Z, 1, L, N)
    c = c.view(batch, chunks, 1, chunk, n)  # (B, Z, 1, L, N)
    a_cum = log_a.view(batch, chunks, chunk, heads).transpose(2, 3).cumsum(-1)  # (B, Z, H, L): since chunk start

    # Within each chunk: y_t = sum_{s <= t} (c_t . b_s) exp(a_cum_t - a_cum_s) x_s.
    decay = _decay_matrix(a_cum)  # (B, Z, H, L_t, L_s)
    y = ((c @ b.transpose(-1, -2)) * decay) @ x  # (B, Z, H, L, P)

    # Each chunk's own contribution to the state at its end; the first "chunk" is the initial state.
    to_end = torch.exp(a_cum[..., -1:] - a_cum)  # (B, Z, H, L)
    produced = (x * to_end[..., None]).transpose(-1, -2) @ b  # (B, Z, H, P, N)
    start = x.new_zeros(batch, 1, heads, p, n) if h0 is None else h0[:, None]
    produced = torch.cat([start, produced], dim=1).transpose(1, 2)  # (B, H, Z+1, P, N)

    # Across chunks: the state after chunk z-1 (z = 0 .. Z) sums produced[j <= z], decayed from j to z.
    chunk_end = F.pad(a_cum[..., -1], (0, 0, 1, 0)).cumsum(1).transpose(1, 2)  # (B, H, Z+1): log decay to z
    states = _decay_matrix(chunk_end) @ produced.reshape(batch, heads, chunks + 1, p * n)  # (B, H, Z+1, P*N)
    states = states.view(batch, heads, chunks + 1, p, n)
    entering = states[:, :, :-1].transpose(1, 2)  # (B, Z, H, P, N)
    y = y + (c @ entering.transpose(-1, -2)) * torch.exp(a_cum)[..., None]  # (B, Z, H, L, P)
    return y.transpose(2, 3).reshape(batch, chunks * chunk, heads, p)[:, :length], states[:, :, -1]


def _decay_matrix(a_cum: torch.Tensor) -> torch.Tensor:
    """(..., L) cumulative log decays -> (..., L, L): exp(a_cum_t - a_cum_s) where s <= t, else 0."""
    length = a_cum.shape[-1]
    causal = torch.ones(length, length, dtype=torch.bool, device=a_cum.device).tril()
    gap = a_cum[..., :, None] + (-a_cum)[..., None, :]  # negate the vector, not the matrix, for autograd's sake
    return torch.exp(torch.where(causal, gap, float("-inf")))


class SelectiveSSM(nn.Module):
    def __init__(self, config: BMojoConfig):
        super().__init__()
        d, inner, n, heads = config.d_model, config.ssm_inner, config.ssm_state, config.ssm_heads
        self.inner, self.n, self.heads, self.head_dim = inner, n, heads, config.ssm_head_dim
        self.chunk, self.kernel = config.ssm_chunk, config.ssm_conv
        self.in_proj = nn.Linear(d, 2 * inner + 2 * n + heads, bias=False)  # z, x, B, C, dt
        channels = inner + 2 * n
        self.conv = nn.Conv1d(channels, channels, config.ssm_conv, groups=channels)
        # dt starts log-uniform in [1e-3, 1e-1] (as in Mamba): slow and fast heads from the start.
        dt = torch.exp(torch.rand(heads) * (math.log(0.1) - math.log(1e-3)) + math.log(1e-3))
        self.dt_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))  # inverse softplus
        self.A_log = nn.Parameter(torch.log(torch.empty(heads).uniform_(1, 16)))  # decay rates A = -exp(A_log)
        self.D = nn.Parameter(torch.ones(heads))  # skip connection
        self.norm = nn.RMSNorm(inner, eps=config.norm_eps)
        self.out_proj = nn.Linear(inner, d, bias=False)

    def _split(self, zxbcdt: torch.Tensor):
        return torch.split(zxbcdt, [self.inner, self.inner + 2 * self.n, self.heads], dim=-1)

    def forward(self, u: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """u: (B, T, d) -> (B, T, d), and the state after the last token (conv inputs, SSM state)."""
        batch, length, _ = u.shape
        z, xbc, dt = self._split(self.in_proj(u))  # (B, T, I), (B, T, I + 2N), (B, T, H)
        history = xbc.new_zeros(batch, self.kernel - 1, xbc.shape[-1]) if state is None else state[0]
        xbc, history = causal_conv(xbc, history, self.conv.weight[:, 0, :], self.conv.bias)  # (B, T, C)
        x, b, c = torch.split(F.silu(xbc), [self.inner, self.n, self.n], dim=-1)
        dt = F.softplus(dt + self.dt_bias)  # (B, T, H)
        a = -torch.exp(self.A_log)  # (H,)
        x = x.view(batch, length, self.heads, self.head_dim)  # (B, T, H, P)
        y, h = ssd_scan(x * dt[..., None], dt * a, b, c, self.chunk, None if state is None else state[1])
        y = y + x * self.D[:, None]  # (B, T, H, P)
        y = self.norm(y.reshape(batch, length, self.inner) * F.silu(z))  # (B, T, I)
        return self.out_proj(y), (history, h)

    def step(self, u: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor]
             ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """One token: u (B, d) -> (B, d), with the state carried from the previous token."""
        history, h = state  # (B, K - 1, C), (B, H, P, N)
        z, xbc, dt = self._split(self.in_proj(u))  # (B, I), (B, I + 2N), (B, H)
        xbc, history = causal_conv(xbc[:, None], history, self.conv.weight[:, 0, :], self.conv.bias)  # (B, 1, C)
        x, b, c = torch.split(F.silu(xbc[:, 0]), [self.inner, self.n, self.n], dim=-1)
        dt = F.softplus(dt + self.dt_bias)  # (B, H)
        x = x.view(-1, self.heads, self.head_dim)  # (B, H, P)
        decay = torch.exp(dt * -torch.exp(self.A_log))  # (B, H)
        h = decay[:, :, None, None] * h + (dt[:, :, None] * x)[..., None] * b[:, None, None, :]  # (B, H, P, N)
        y = torch.einsum("bhpn,bn->bhp", h, c) + x * self.D[:, None]  # (B, H, P)
        y = self.norm(y.reshape(-1, self.inner) * F.silu(z))  # (B, I)
        return self.out_proj(y), (history, h)

    def initial_state(self, batch: int, device=None, dtype=None) -> tuple[torch.Tensor, torch.Tensor]:
        channels = self.inner + 2 * self.n
        return (torch.zeros(batch, self.kernel - 1, channels, device=device, dtype=dtype),
                torch.zeros(batch, self.heads, self.head_dim, self.n, device=device, dtype=dtype))
