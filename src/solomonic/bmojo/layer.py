"""One sequence-mixing layer for every member of the family (see config.py for the kinds).

y_i = W_o · softmax-attention(q_i ; C(i) ∪ F(i) ∪ M(i)): window keys and values from h, fading ones from
the SSM output f (same projections), memory ones from the raw tokens the innovation test kept. The kind
decides which of the three sets exist; an SSM-only layer outputs the mixer output itself.
Each layer has a parallel form (`forward`) and a recurrent one (`step`) over a fixed-size `LayerCache`
(a growing one only for full attention); `cache_from` turns a parallel pass into the cache a step needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from solomonic.bmojo.attention import block_sparse_attention, gather_blocks
from solomonic.bmojo.config import BMojoConfig
from solomonic.bmojo.memory import (
    innovation_score_step,
    innovation_scores,
    plan_memory,
    rank_order,
    select_in_blocks,
    visible_positions,
)
from solomonic.bmojo.rope import Rotary, rotate
from solomonic.bmojo.ssm import SelectiveSSM


@dataclass
class Selection:
    """What the memory layers share when one layer's score selects for all."""

    sigma: torch.Tensor  # (B, T') selection scores, T' a multiple of w
    selected: torch.Tensor  # (B, T') bool


@dataclass
class LayerOutput:
    y: torch.Tensor  # (B, T, d)
    aux_loss: torch.Tensor | None = None  # the innovation predictor's loss (mean of s with the key detached)
    selection: Selection | None = None
    memory_positions: torch.Tensor | None = None  # (B, T, n) what each query saw in memory, -1 padded
    parts: dict | None = None  # what `cache_from` needs (only when asked)


@dataclass
class LayerCache:
    """Everything a layer needs to go on one token at a time; fixed size except for full attention."""

    ssm: tuple[torch.Tensor, torch.Tensor] | None = None  # conv inputs (B, K-1, C), state (B, H, P, N)
    f_prev: torch.Tensor | None = None  # (B, d): the SSM output at the previous position (innovation test)
    k: torch.Tensor | None = None  # (B, H, w, D) window keys (rotated), oldest first; all keys for full attention
    v: torch.Tensor | None = None
    kf: torch.Tensor | None = None  # (B, H, 2w, D) keys from the SSM outputs of the last 2w positions
    vf: torch.Tensor | None = None
    memory: MemoryState | None = None
    key_prev: torch.Tensor | None = None  # (B, H, D) the previous token's memory key (mem_key "previous")

    def tensors(self) -> list[torch.Tensor]:
        out = [t for t in (self.f_prev, self.k, self.v, self.kf, self.vf, self.key_prev) if t is not None]
        if self.ssm is not None:
            out += list(self.ssm)
        if self.memory is not None:
            out += self.memory.tensors()
        return out


@dataclass
class MemoryState:
    """The eidetic memory of one layer between steps: the store (best first), selections waiting to turn
    eligible, and the current block's tokens (selected when the block ends)."""

    store_pos: torch.Tensor  # (B, C) long, -1 empty
    store_score: torch.Tensor  # (B, C)
    store_k: torch.Tensor  # (B, H, C, D)
    store_v: torch.Tensor  # (B, H, C, D)
    store_gate: torch.Tensor  # (B, C) logit bias (0 without a gate)
    pending_pos: torch.Tensor  # (B, 2k) long, -1 empty
    pending_score: torch.Tensor
    pending_k: torch.Tensor  # (B, H, 2k, D)
    pending_v: torch.Tensor
    pending_gate: torch.Tensor
    block_score: torch.Tensor  # (B, w): the current block's sigma, by offset
    block_k: torch.Tensor  # (B, H, w, D)
    block_v: torch.Tensor
    block_gate: torch.Tensor  # (B, w)

    def tensors(self) -> list[torch.Tensor]:
        return [getattr(self, name) for name in self.__dataclass_fields__]


class Mixer(nn.Module):
    def __init__(self, config: BMojoConfig, kind: str, index: int):
        super().__init__()
        self.kind, self.index = kind, index
        self.window, self.heads, self.head_dim = config.window, config.n_heads, config.head_dim
        self.k_mem, self.capacity = config.k_mem, config.mem_capacity
        self.eviction, self.mem_rope = config.mem_eviction, config.mem_rope
        self.keyed_by_previous = config.mem_key == "previous"
        self.ssm_direct = config.ssm_direct and kind in "FM"
        self.ssm = SelectiveSSM(config) if kind in "SFM" else None
        self.attends = kind in "TAFM"
        self.fading = kind in "FM"
        self.remembers = config.memory_on(kind)
        # Which layer's score selects: its own, or (mem_score_layer >= 0) the named layer's for all.
        self.selects = self.remembers and config.mem_score_layer in (-1, index)
        if self.attends:
            d = config.d_model
            self.qkv = nn.Linear(d, 3 * d, bias=False)
            self.out = nn.Linear(d, d, bias=False)
            self.rotary = Rotary(self.head_dim, config.rope_base)
        if self.selects:
            # P, the innovation predictor: small and random, not zero (DESIGN.md), so that scores differ.
            self.predictor = nn.Linear(config.d_model, config.d_model, bias=False)
            nn.init.normal_(self.predictor.weight, std=config.init_std / 4)
        self.gate = None
        if self.remembers and config.mem_gate:
            self.gate = nn.Linear(config.d_model, 1)  # zero at first: memory starts as the plain rule
            nn.init.zeros_(self.gate.weight)
            nn.init.zeros_(self.gate.bias)

    # ------------------------------------------------------------------------------------ helpers

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        """(B, T, d) -> (B, H, T, D)"""
        batch, length, _ = x.shape
        return x.view(batch, length, self.heads, self.head_dim).transpose(1, 2)

    def _project(self, h: torch.Tensor):
        q, k, v = self.qkv(h).chunk(3, dim=-1)  # (B, T, d) each
        return q, k, v

    def _kv(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Keys and values of x (B, T, d) with the window's projections: (B, T, d) each. Only the key and
        value rows of the fused weight are applied: the fading span has no queries."""
        d = x.shape[-1]
        k, v = F.linear(x, self.qkv.weight[d:]).chunk(2, dim=-1)
        return k, v

    def _gate(self, h: torch.Tensor) -> torch.Tensor:
        return self.gate(h).squeeze(-1) if self.gate is not None else h.new_zeros(h.shape[:-1])

    # ---------------------------------------------------------------------------- parallel form

    def forward(self, h: torch.Tensor, shared: Selection | None = None, want_positions: bool = False,
                want_parts: bool = False) -> LayerOutput:
        """h: (B, T, d) -> LayerOutput with y (B, T, d)."""
        length = h.shape[1]
        if self.kind == "S":
            y, state = self.ssm(h)
            return LayerOutput(y, parts={"ssm": state} if want_parts else None)
        q, k, v = self._project(h)  # (B, T, d) each
        cos, sin = self.rotary.angles(torch.arange(length, device=h.device), h.dtype)  # (T, D/2)
        qh, kh, vh = self._heads(q), self._heads(k), self._heads(v)  # (B, H, T, D)
        qr, kr = rotate(qh, cos, sin), rotate(kh, cos, sin)  # (B, H, T, D)
        parts: dict = {"k": kr, "v": vh}
        if self.kind == "T":
            o = F.scaled_dot_product_attention(qr, kr, vh, is_causal=True)  # (B, H, T, D)
            return self._finish(o, LayerOutput(None), parts if want_parts else None)
        fading = memory = None
        out = LayerOutput(None)
        if self.fading:
            f, state = self.ssm(h)  # (B, T, d)
            kf, vf = self._kv(f)  # (B, T, d)
            fading = (rotate(self._heads(kf), cos, sin), self._heads(vf))  # (B, H, T, D) each
            parts.update(ssm=state, f=f, kf=fading[0], vf=fading[1])
            if self.remembers:
                memory, out = self._memory(h, k, f, kh, kr, vh, shared, want_positions, parts)
        o = block_sparse_attention(qr, kr, vh, self.window, fading, memory)  # (B, H, T, D)
        out = self._finish(o, out, parts if want_parts else None)
        if self.ssm_direct:
            out.y = out.y + f  # (B, T, d)
        return out

    def _finish(self, o: torch.Tensor, out: LayerOutput, parts: dict | None) -> LayerOutput:
        batch, _, length, _ = o.shape
        out.y = self.out(o.transpose(1, 2).reshape(batch, length, -1))  # (B, T, d)
        out.parts = parts
        return out

    def _memory(self, h, k, f, kh, kr, vh, shared, want_positions, parts):
        batch, length, _ = h.shape
        w = self.window
        padded = length + (-length) % w
        gate = self._gate(h)  # (B, T)
        out = LayerOutput(None)
        if self.selects:
            score, aux = innovation_scores(k, f, self.predictor)  # (B, T) each
            out.aux_loss = aux.mean()
            sigma = F.pad(score + gate.detach(), (0, padded - length), value=float("-inf"))  # (B, T')
            shared = Selection(sigma, select_in_blocks(sigma, w, self.k_mem))
            out.selection = shared
        plan = plan_memory(shared.selected, shared.sigma, w, self.k_mem, self.capacity, self.eviction)
        own = kr if self.mem_rope == "absolute" else kh  # (B, H, T, D)
        keys = F.pad(own, (0, 0, 1, 0))[:, :, :-1] if self.keyed_by_previous else own  # entry j found by k_{j-1}
        mk, mv = gather_blocks(keys, plan.candidates), gather_blocks(vh, plan.candidates)  # (B, H, nb, K, D)
        nb = plan.candidates.shape[1]
        bias = None
        if self.gate is not None:
            g = gate.gather(1, plan.candidates.clamp(min=0).view(batch, -1)).view(batch, nb, 1, -1)  # (B, nb, 1, K)
            bias = g.expand(-1, -1, w, -1)  # (B, nb, w, K)
        if want_positions:
            out.memory_positions = visible_positions(plan, length)
        parts.update(sigma=shared.sigma[:, :length], selected=shared.selected[:, :length], gate=gate,
                     memory_keys=keys, last_key=own[:, :, -1])
        return (mk, mv, plan.visible, bias), out

    # --------------------------------------------------------------------------- recurrent form

    def empty_cache(self, batch: int, device, dtype) -> LayerCache:
        cache = LayerCache()
        if self.ssm is not None:
            cache.ssm = self.ssm.initial_state(batch, device, dtype)
        if self.kind == "S":
            return cache
        zeros = lambda n: torch.zeros(batch, self.heads, n, self.head_dim, device=device, dtype=dtype)  # noqa: E731
        if self.kind == "T":
            cache.k, cache.v = zeros(0), zeros(0)
            return cache
        cache.k, cache.v = zeros(self.window), zeros(self.window)
        if self.fading:
            cache.kf, cache.vf = zeros(2 * self.window), zeros(2 * self.window)
        if self.remembers:
            cache.f_prev = torch.zeros(batch, self.heads * self.head_dim, device=device, dtype=dtype)
            cache.memory = self._empty_memory(batch, device, dtype)
            if self.keyed_by_previous:
                cache.key_prev = torch.zeros(batch, self.heads, self.head_dim, device=device, dtype=dtype)
        return cache

    def _empty_memory(self, batch: int, device, dtype) -> MemoryState:
        def slots(n):
            return (torch.full((batch, n), -1, dtype=torch.long, device=device),
                    torch.full((batch, n), float("-inf"), device=device, dtype=dtype),
                    torch.zeros(batch, self.heads, n, self.head_dim, device=device, dtype=dtype),
                    torch.zeros(batch, self.heads, n, self.head_dim, device=device, dtype=dtype),
                    torch.zeros(batch, n, device=device, dtype=dtype))
        w = self.window
        return MemoryState(*slots(self.capacity), *slots(2 * self.k_mem),
                           torch.full((batch, w), float("-inf"), device=device, dtype=dtype),
                           torch.zeros(batch, self.heads, w, self.head_dim, device=device, dtype=dtype),
                           torch.zeros(batch, self.heads, w, self.head_dim, device=device, dtype=dtype),
                           torch.zeros(batch, w, device=device, dtype=dtype))

    def step(self, h: torch.Tensor, position: int, cache: LayerCache,
             shared_sigma: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """One token h (B, d) at `position`; updates `cache` in place. Returns y (B, d) and, for the
        selecting layer, the token's selection score sigma (B,) for the others."""
        if self.kind == "S":
            y, cache.ssm = self.ssm.step(h, cache.ssm)
            return y, None
        batch = h.shape[0]
        q, k, v = self._project(h[:, None])  # (B, 1, d)
        cos, sin = self.rotary.angles(torch.tensor([position], device=h.device), h.dtype)  # (1, D/2)
        qh, kh, vh = self._heads(q), self._heads(k), self._heads(v)  # (B, H, 1, D)
        qr, kr = rotate(qh, cos, sin), rotate(kh, cos, sin)
        if self.kind == "T":
            cache.k, cache.v = torch.cat([cache.k, kr], dim=2), torch.cat([cache.v, vh], dim=2)
            o = F.scaled_dot_product_attention(qr, cache.k, cache.v)  # (B, H, 1, D)
            return self.out(o.reshape(batch, -1)), None
        w = self.window
        cache.k = torch.cat([cache.k[:, :, 1:], kr], dim=2)  # (B, H, w, D): positions position-w+1 .. position
        cache.v = torch.cat([cache.v[:, :, 1:], vh], dim=2)
        slot = torch.arange(w, device=h.device)
        keys, values = [cache.k], [cache.v]
        masks = [(position - w + 1 + slot >= 0).expand(batch, -1)]  # (B, w)
        biases = [None]
        sigma = None
        if self.fading:
            f, cache.ssm = self.ssm.step(h, cache.ssm)  # (B, d)
            kf, vf = self._kv(f[:, None])  # (B, 1, d)
            cache.kf = torch.cat([cache.kf[:, :, 1:], rotate(self._heads(kf), cos, sin)], dim=2)  # (B, H, 2w, D)
            cache.vf = torch.cat([cache.vf[:, :, 1:], self._heads(vf)], dim=2)
            keys.append(cache.kf[:, :, :w])  # positions position-2w+1 .. position-w
            values.append(cache.vf[:, :, :w])
            masks.append((position - 2 * w + 1 + slot >= 0).expand(batch, -1))
            biases.append(None)
            if self.remembers:
                memory = cache.memory
                self._admit(memory, position)
                keys.append(memory.store_k)
                values.append(memory.store_v)
                masks.append(memory.store_pos >= 0)
                biases.append(memory.store_gate)
                gate = self._gate(h)  # (B,)
                if self.selects:
                    sigma = innovation_score_step(k[:, 0], cache.f_prev, self.predictor) + gate
                else:
                    sigma = shared_sigma
                cache.f_prev = f
                memory_key = entry_key = (kr if self.mem_rope == "absolute" else kh)[:, :, 0]  # (B, H, D)
                if cache.key_prev is not None:  # mem_key "previous": the entry is found by the key before it
                    entry_key, cache.key_prev = cache.key_prev, memory_key
                self._remember(memory, position, sigma, entry_key, vh[:, :, 0], gate)
        logits = []
        for key, mask, bias in zip(keys, masks, biases):
            part = torch.einsum("bhd,bhsd->bhs", qr[:, :, 0], key) * self.head_dim**-0.5  # (B, H, S)
            if bias is not None:
                part = part + bias[:, None]
            logits.append(part.masked_fill(~mask[:, None], float("-inf")))
        weights = torch.softmax(torch.cat(logits, dim=-1), dim=-1)  # (B, H, sum S)
        o = torch.einsum("bhs,bhsd->bhd", weights, torch.cat(values, dim=2))  # (B, H, D)
        y = self.out(o.reshape(batch, -1))  # (B, d)
        return (y + f if self.ssm_direct else y), sigma

    def _admit(self, m: MemoryState, position: int) -> None:
        """Move the selections that turn eligible at `position` into the store (evicting the lowest)."""
        ready = (m.pending_pos >= 0) & (m.pending_pos + 2 * self.window <= position)  # (B, 2k)
        if not bool(ready.any()):
            return
        pos = torch.cat([m.store_pos, torch.where(ready, m.pending_pos, -1)], dim=-1)  # (B, C + 2k)
        score = torch.cat([m.store_score, m.pending_score.masked_fill(~ready, float("-inf"))], dim=-1)
        order = rank_order(score, pos, self.eviction)[:, : self.capacity]  # (B, C)
        m.store_pos, m.store_score = pos.gather(-1, order), score.gather(-1, order)
        m.store_gate = torch.cat([m.store_gate, m.pending_gate], dim=-1).gather(-1, order)
        index = order[:, None, :, None].expand(-1, self.heads, -1, self.head_dim)  # (B, H, C, D)
        m.store_k = torch.cat([m.store_k, m.pending_k], dim=2).gather(2, index)
        m.store_v = torch.cat([m.store_v, m.pending_v], dim=2).gather(2, index)
        m.pending_pos = m.pending_pos.masked_fill(ready, -1)

    def _remember(self, m: MemoryState, position: int, sigma, key, value, gate) -> None:
        """Add the token to its block; when the block ends, select its k_mem best (ties to the earlier)."""
        w, k = self.window, self.k_mem
        offset = position % w
        m.block_score[:, offset] = sigma
        m.block_k[:, :, offset] = key
        m.block_v[:, :, offset] = value
        m.block_gate[:, offset] = gate
        if offset < w - 1:
            return
        chosen = torch.sort(m.block_score, dim=-1, descending=True, stable=True).indices[:, :k]  # (B, k)
        keep = torch.sort((m.pending_pos < 0).to(torch.int8), dim=-1, stable=True).indices[:, :k]  # waiting first
        index = lambda ix: ix[:, None, :, None].expand(-1, self.heads, -1, self.head_dim)  # noqa: E731
        m.pending_pos = torch.cat([m.pending_pos.gather(-1, keep), chosen + (position - offset)], dim=-1)
        m.pending_score = torch.cat([m.pending_score.gather(-1, keep), m.block_score.gather(-1, chosen)], dim=-1)
        m.pending_gate = torch.cat([m.pending_gate.gather(-1, keep), m.block_gate.gather(-1, chosen)], dim=-1)
        m.pending_k = torch.cat([m.pending_k.gather(2, index(keep)), m.block_k.gather(2, index(chosen))], dim=2)
        m.pending_v = torch.cat([m.pending_v.gather(2, index(keep)), m.block_v.gather(2, index(chosen))], dim=2)
        m.block_score = torch.full_like(m.block_score, float("-inf"))

    # ---------------------------------------------------------------------- parallel -> cache

    def cache_from(self, out: LayerOutput, length: int) -> LayerCache:
        """The cache after a parallel pass over `length` tokens (see LayerOutput.parts)."""
        p = out.parts
        if p is None:
            raise ValueError("cache_from needs a pass made with want_parts=True")
        cache = LayerCache()
        if self.ssm is not None:
            cache.ssm = p["ssm"]
        if self.kind == "S":
            return cache
        if self.kind == "T":
            cache.k, cache.v = p["k"], p["v"]
            return cache
        w = self.window
        cache.k, cache.v = _last(p["k"], w), _last(p["v"], w)
        if self.fading:
            cache.kf, cache.vf = _last(p["kf"], 2 * w), _last(p["vf"], 2 * w)
        if self.remembers:
            cache.f_prev = p["f"][:, -1]
            cache.memory = self._memory_from(p, length)
            if self.keyed_by_previous:
                cache.key_prev = p["last_key"]
        return cache

    def _memory_from(self, p: dict, length: int) -> MemoryState:
        keys, values, sigma, selected, gate = p["memory_keys"], p["v"], p["sigma"], p["selected"], p["gate"]
        batch, device, dtype = sigma.shape[0], sigma.device, sigma.dtype
        w = self.window
        m = self._empty_memory(batch, device, dtype)
        done = (length // w) * w  # selections exist only for completed blocks
        positions = torch.arange(length, device=device).expand(batch, -1)  # (B, T)
        chosen = selected & (positions < done)
        eligible = chosen & (positions + 2 * w <= length)
        waiting = chosen & ~eligible

        def take(mask: torch.Tensor, n: int, order_by_rank: bool):
            """The up to n positions of mask, best-ranked or by position, with their data."""
            pos = torch.where(mask, positions, -1)
            score = sigma.masked_fill(~mask, float("-inf"))
            order = rank_order(score, pos, self.eviction) if order_by_rank else \
                torch.sort(pos.masked_fill(~mask, length), dim=-1, stable=True).indices
            order = order[:, :n]
            pos, score = pos.gather(-1, order), score.gather(-1, order)
            index = order.clamp(max=length - 1)[:, None, :, None].expand(-1, self.heads, -1, self.head_dim)
            return pos, score, keys.gather(2, index), values.gather(2, index), gate.gather(-1, order)

        m.store_pos, m.store_score, m.store_k, m.store_v, m.store_gate = _fit(take(eligible, self.capacity, True),
                                                                              self.capacity)
        m.pending_pos, m.pending_score, m.pending_k, m.pending_v, m.pending_gate = _fit(
            take(waiting, 2 * self.k_mem, False), 2 * self.k_mem)
        partial = length - done
        if partial:
            m.block_score[:, :partial] = sigma[:, done:]
            m.block_k[:, :, :partial] = keys[:, :, done:]
            m.block_v[:, :, :partial] = values[:, :, done:]
            m.block_gate[:, :partial] = gate[:, done:]
        return m


def _last(x: torch.Tensor, n: int) -> torch.Tensor:
    """The last n positions of (B, H, T, D), zero-padded at the front when T < n."""
    return F.pad(x, (0, 0, max(0, n - x.shape[2]), 0))[:, :, -n:]


def _fit(entries, n: int):
    """Pad gathered (pos, score, k, v, gate) to n slots (fewer positions than slots exist early on)."""
    pos, score, k, v, gate = entries
    missing = n - pos.shape[1]
    if missing <= 0:
        return entries
    return (F.pad(pos, (0, missing), value=-1), F.pad(score, (0, missing), value=float("-inf")),
            F.pad(k, (0, 0, 0, missing)), F.pad(v, (0, 0, 0, missing)), F.pad(gate, (0, missing)))
