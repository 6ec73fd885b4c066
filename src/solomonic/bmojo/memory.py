"""The eidetic memory: which past tokens a query sees, exactly as DESIGN.md defines it.

- Score: s_j = || l2norm(k_j) - l2norm(P f_{j-1}) ||², the surprise of token j's (pre-RoPE, all-heads)
  key given the SSM's previous output (f_{-1} = 0); with `mem_gate` a learned scalar g_j is added: the
  selection score is sigma_j = s_j (+ g_j).
- Selection S: in each block [bw, bw + w - 1], the k_mem highest sigma (ties to the earlier position),
  final when the block ends.
- Visibility: a selected j is eligible at queries i >= j + 2w; M(i) is the mem_capacity eligible tokens
  that rank highest: by sigma (ties to the later position) or, under FIFO, by recency.

The parallel form below plans, for each query block b, a fixed candidate list (the store of tokens from
blocks <= b - 3, plus block b - 2's selections, which turn eligible one by one inside block b) and the
mask of which candidate each query sees: O(T · (mem_capacity + k_mem)) work. `MemoryState` keeps the same
sets token by token for generation.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


def innovation_scores(key: torch.Tensor, fading: torch.Tensor, predictor: torch.nn.Linear
                      ) -> tuple[torch.Tensor, torch.Tensor]:
    """key, fading: (B, T, d) -> the scores s (B, T), detached, and their auxiliary-loss form, in which
    the key is detached so that the gradient trains the predictor and the SSM."""
    previous = F.pad(fading, (0, 0, 1, 0))[:, :-1]  # (B, T, d): f_{j-1}, zero before the first token
    predicted = F.normalize(predictor(previous), dim=-1)  # (B, T, d)
    aux = (F.normalize(key.detach(), dim=-1) - predicted).pow(2).sum(-1)  # (B, T)
    return aux.detach(), aux


def innovation_score_step(key: torch.Tensor, previous_fading: torch.Tensor, predictor: torch.nn.Linear
                          ) -> torch.Tensor:
    """The same score for one token: key (B, d), f_{j-1} (B, d) -> (B,)."""
    predicted = F.normalize(predictor(previous_fading), dim=-1)  # (B, d)
    return (F.normalize(key, dim=-1) - predicted).pow(2).sum(-1)


def select_in_blocks(sigma: torch.Tensor, window: int, k_mem: int) -> torch.Tensor:
    """sigma (B, T'), T' a multiple of w -> (B, T') bool: the k_mem highest of each block, ties earlier."""
    batch, length = sigma.shape
    blocks = sigma.view(batch, length // window, window)  # (B, nb, w)
    order = torch.sort(blocks, dim=-1, descending=True, stable=True).indices[..., :k_mem]  # (B, nb, k)
    chosen = torch.zeros_like(blocks, dtype=torch.bool).scatter_(-1, order, True)  # (B, nb, w)
    return chosen.view(batch, length)


def above(score_a, pos_a, score_b, pos_b, eviction: str) -> torch.Tensor:
    """Whether a ranks above b in the store (elementwise, broadcasting)."""
    later = pos_a > pos_b
    if eviction == "fifo":
        return later
    return (score_a > score_b) | ((score_a == score_b) & later)


def rank_order(score: torch.Tensor, pos: torch.Tensor, eviction: str) -> torch.Tensor:
    """The permutation (along the last dimension) that puts entries best first; invalid entries
    (pos < 0, score -inf) last."""
    by_position = torch.sort(pos, dim=-1, descending=True, stable=True).indices
    if eviction == "fifo":
        return by_position
    then_score = torch.sort(score.gather(-1, by_position), dim=-1, descending=True, stable=True).indices
    return by_position.gather(-1, then_score)


@dataclass
class MemoryPlan:
    candidates: torch.Tensor  # (B, nb, K) positions of each query block's candidates; -1 marks an empty slot
    visible: torch.Tensor  # (B, nb, w, K) bool: whether query b*w + r sees candidate j


def plan_memory(selected: torch.Tensor, sigma: torch.Tensor, window: int, k_mem: int, capacity: int,
                eviction: str) -> MemoryPlan:
    """selected, sigma: (B, T'), T' a multiple of w."""
    batch, length = selected.shape
    nb, device = length // window, selected.device
    offsets = torch.arange(window, device=device)
    block_start = torch.arange(nb, device=device)[:, None] * window  # (nb, 1)
    # Each block's selections by position: offsets within the block, w where a slot is empty.
    chosen = torch.where(selected.view(batch, nb, window), offsets, window)  # (B, nb, w)
    new_offset = chosen.sort(dim=-1).values[..., :k_mem]  # (B, nb, k)
    new_pos = torch.where(new_offset < window, new_offset + block_start, -1)  # (B, nb, k)
    new_score = torch.where(new_pos >= 0, sigma.gather(1, new_pos.clamp(min=0).view(batch, -1)).view(batch, nb, k_mem),
                            float("-inf"))  # (B, nb, k)

    store_pos = torch.full((batch, capacity), -1, dtype=torch.long, device=device)  # (B, C), best first
    store_score = torch.full((batch, capacity), float("-inf"), dtype=sigma.dtype, device=device)
    empty_pos = torch.full((batch, k_mem), -1, dtype=torch.long, device=device)
    empty_score = torch.full((batch, k_mem), float("-inf"), dtype=sigma.dtype, device=device)
    stores_pos, stores_score, incoming_pos, incoming_score = [], [], [], []
    for b in range(nb):
        if b >= 3:  # block b - 3's selections are eligible for every query from block b on
            merged_pos = torch.cat([store_pos, new_pos[:, b - 3]], dim=-1)  # (B, C + k)
            merged_score = torch.cat([store_score, new_score[:, b - 3]], dim=-1)
            order = rank_order(merged_score, merged_pos, eviction)[:, :capacity]
            store_pos, store_score = merged_pos.gather(-1, order), merged_score.gather(-1, order)
        stores_pos.append(store_pos)
        stores_score.append(store_score)
        incoming_pos.append(new_pos[:, b - 2] if b >= 2 else empty_pos)
        incoming_score.append(new_score[:, b - 2] if b >= 2 else empty_score)
    store_pos, store_score = torch.stack(stores_pos, 1), torch.stack(stores_score, 1)  # (B, nb, C)
    inc_pos, inc_score = torch.stack(incoming_pos, 1), torch.stack(incoming_score, 1)  # (B, nb, k)

    # Block b - 2's selections turn eligible inside block b: at offset r once their own offset is <= r.
    inc_offset = torch.where(inc_pos >= 0, inc_pos - (block_start - 2 * window), window)  # (B, nb, k)
    inc_eligible = inc_offset[:, :, None, :] <= offsets[None, None, :, None]  # (B, nb, w, k)
    store_valid = store_pos >= 0  # (B, nb, C)
    cand_pos = torch.cat([store_pos, inc_pos], dim=-1)  # (B, nb, K)
    cand_score = torch.cat([store_score, inc_score], dim=-1)
    eligible = torch.cat([store_valid[:, :, None, :].expand(-1, -1, window, -1), inc_eligible], dim=-1)  # (B, nb, w, K)

    # How many eligible entries rank above each candidate: store entries above it (the store is sorted,
    # so for a store entry that is its index), plus the incoming entries already eligible and above it.
    store_rank = torch.arange(capacity, device=device).expand(batch, nb, -1)  # (B, nb, C)
    stored_above_incoming = (above(store_score[..., :, None], store_pos[..., :, None], inc_score[..., None, :],
                                   inc_pos[..., None, :], eviction) & store_valid[..., :, None]).sum(-2)  # (B, nb, k)
    from_store = torch.cat([store_rank, stored_above_incoming], dim=-1)  # (B, nb, K)
    incoming_above = above(inc_score[..., :, None], inc_pos[..., :, None], cand_score[..., None, :],
                           cand_pos[..., None, :], eviction) & (inc_pos >= 0)[..., :, None]  # (B, nb, k, K)
    from_incoming = torch.matmul(inc_eligible.to(sigma.dtype), incoming_above.to(sigma.dtype))  # (B, nb, w, K)
    visible = eligible & (from_store[:, :, None, :] + from_incoming < capacity)  # (B, nb, w, K)
    return MemoryPlan(cand_pos, visible)


def visible_positions(plan: MemoryPlan, length: int) -> torch.Tensor:
    """(B, T, n) the positions each query sees in memory, ascending, padded with -1 (n: the most any sees)."""
    batch, nb, window, k = plan.visible.shape
    none = torch.iinfo(torch.long).max
    pos = torch.where(plan.visible, plan.candidates[:, :, None, :], none).view(batch, nb * window, k)[:, :length]
    pos = pos.sort(dim=-1).values  # (B, T, K), the visible first
    width = int((pos != none).sum(-1).max().item()) if pos.numel() else 0
    pos = pos[..., :width]
    return pos.masked_fill(pos == none, -1)
