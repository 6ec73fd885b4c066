"""Comparing presets fairly: the same parameter budget (embeddings excluded), reached by width or, where
the width must stay the same (speed), by the MLP's hidden size.

By width: depth, heads, window and SSM state stay as given; d_model moves in steps that keep every shape
valid (head dimension even, SSM inner width a multiple of the SSM head dimension) until the non-embedding
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


def match_mlp(preset: str, target: int, overrides: dict, tolerance: float = 0.10) -> tuple[dict, int]:
    """The overrides with the mlp_ratio whose hidden size brings the count nearest `target` (the count
    grows by 2 * n_layers * d_model per hidden unit); raises if none is within tolerance."""
    d, layers = overrides.get("d_model", 256), overrides.get("n_layers", 4)
    without = parameters(preset, {**overrides, "mlp_ratio": 0.0})
    hidden = max(1, round((target - without - layers * d) / (2 * layers * d)))  # an MLP also brings its norm
    matched = {**overrides, "mlp_ratio": hidden / d}
    count = parameters(preset, matched)
    if abs(count - target) > tolerance * target:
        raise ValueError(f"{preset}: no MLP size within {tolerance:.0%} of {target:,} parameters (nearest {count:,})")
    return matched, count
