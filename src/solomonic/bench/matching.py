"""Comparing presets fairly: the same parameter budget (embeddings excluded), reached by width.

Depth, heads, window and SSM state stay as given; d_model moves in steps that keep every shape valid
(head dimension even, SSM inner width a multiple of the SSM head dimension) until the non-embedding
parameter count is as close as it gets to the target. Counts come from building the model itself.
"""

from __future__ import annotations

import torch

from solomonic.bmojo import BMojoConfig, BMojoLM


def parameters(preset: str, overrides: dict) -> int:
    with torch.device("meta"):  # shapes only: no memory, no initialisation cost
        return BMojoLM(BMojoConfig.preset(preset, **overrides)).num_params(embeddings=False)


def width_step(overrides: dict) -> int:
    heads = overrides.get("n_heads", 4)
    ssm_head = overrides.get("ssm_head_dim", 32)
    expand = overrides.get("ssm_expand", 2)
    step = 2 * heads
    while (step * expand) % ssm_head:
        step += 2 * heads
    return step


def match_width(preset: str, target: int, overrides: dict, tolerance: float = 0.10) -> tuple[dict, int]:
    """The overrides with the d_model whose count is nearest `target`; raises if none is within tolerance."""
    step = width_step(overrides)
    best = None
    for d in range(step, 8 * overrides.get("d_model", 64) + step, step):
        count = parameters(preset, {**overrides, "d_model": d})
        if best is None or abs(count - target) < abs(best[1] - target):
            best = (d, count)
        if count > target * (1 + tolerance):
            break
    d, count = best
    if abs(count - target) > tolerance * target:
        raise ValueError(f"{preset}: no width within {tolerance:.0%} of {target:,} parameters (nearest {count:,})")
    return {**overrides, "d_model": d}, count
