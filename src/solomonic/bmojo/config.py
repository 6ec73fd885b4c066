"""One configuration for the whole family: Transformer, SWA, Mamba, hybrids, B'MOJO-F and B'MOJO.

A model is a stack of layers whose kinds are spelled by `layer_pattern`, one letter per layer (tiled to
`n_layers`):

    T  full causal attention                      (Transformer)
    A  sliding-window attention, window w         (Mistral-style SWA)
    S  selective SSM only, output = mixer output  (Mamba2 block)
    F  SSM + window + fading span                 (B'MOJO-F)
    M  SSM + window + fading span + eidetic memory (B'MOJO; with k_mem = 0 it is exactly F)

In DESIGN.md's F and M layers the SSM reaches the output only through the fading span, as keys and values w to
2w - 1 tokens back; with `ssm_direct` the layer also adds the SSM output at i to its attention output (a parallel
fusion, as in Hymba), so that the fading memory of the recent past is read at once, as a Mamba layer reads it.

The presets fill in the pattern and memory defaults; every field can be overridden.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from solomonic.errors import UserError

LAYER_KINDS = "TASFM"
PRESETS: dict[str, dict] = {
    "transformer": {"layer_pattern": "T", "k_mem": 0, "mem_capacity": 0},
    "swa": {"layer_pattern": "A", "k_mem": 0, "mem_capacity": 0},
    "mamba": {"layer_pattern": "S", "k_mem": 0, "mem_capacity": 0},
    "hybrid": {"layer_pattern": "SA", "k_mem": 0, "mem_capacity": 0},  # Jamba-style alternation
    # Both B'MOJO presets add the SSM output to the layer's output (ssm_direct), so that `bmojo` with k_mem = 0 is
    # still `bmojo_f`: read only through the fading span, w tokens late, the SSM left DESIGN.md's layer worse at
    # language modelling than either of its parts (docs/results/lm-why-issue24, issue 24).
    "bmojo_f": {"layer_pattern": "F", "k_mem": 0, "mem_capacity": 0, "ssm_direct": True},
    # Memory entries found by the previous token's key: on MQAR it moved B'MOJO off the plateau in every seed
    # tried, where DESIGN.md's own key left it there (docs/architecture.md, issue 24).
    "bmojo": {"layer_pattern": "M", "mem_key": "previous", "ssm_direct": True},
}


class ConfigError(UserError, ValueError):
    """A configuration that cannot be built: an unknown preset or field, or impossible sizes."""


@dataclass
class BMojoConfig:
    preset_name: str = "bmojo"  # the preset this configuration started from
    vocab_size: int = 256  # the byte-level tokenizer's
    d_model: int = 256
    n_layers: int = 4
    n_heads: int = 4
    window: int = 64  # w: attention window, block size of the parallel form, fading span length
    layer_pattern: str = "M"
    mlp_ratio: float = 4.0  # hidden width of the MLP over d_model; 0 removes the MLP (as in Zoology's MQAR)
    # selective SSM (Mamba2 style)
    ssm_state: int = 16  # N
    ssm_expand: int = 2  # inner width = expand * d_model
    ssm_head_dim: int = 32  # P; heads = inner width / P, one scalar decay each
    ssm_conv: int = 4  # short causal depthwise convolution
    ssm_chunk: int = 64  # chunk length of the SSD scan
    # eidetic memory
    k_mem: int = 16  # tokens selected per block of w (0 turns the memory off: B'MOJO-F)
    mem_capacity: int = 128  # tokens visible to a query at most
    mem_eviction: str = "score"  # "score" (keep the most surprising) or "fifo" (keep the most recent)
    mem_rope: str = "absolute"  # RoPE of memory keys: "absolute" positions or "none"
    # What a memory entry is looked up by: its own key ("token", DESIGN.md) or the key of the token before it
    # ("previous"): then an entry answers "what followed x", an induction head's lookup in one layer. The
    # `bmojo` preset sets "previous"; the field's default stays DESIGN.md's, so no other preset's meaning moves.
    mem_key: str = "token"
    mem_score_layer: int = -1  # -1: each layer selects by its own score; else the first M layer's selects for all
    mem_gate: bool = False  # a learned per-token scalar added to memory logits and selection scores
    aux_weight: float = 0.1  # weight of the innovation predictor's auxiliary loss
    # Whether an F or M layer also adds its SSM output at i to its own output, as a Mamba layer does (a parallel
    # fusion of SSM and attention). DESIGN.md's layer reads the SSM only through the fading span, w tokens late;
    # the B'MOJO presets set it, the default keeps DESIGN.md's layer (and every other preset's run keys).
    ssm_direct: bool = field(default=False, metadata={"unkeyed_default": True})
    # the rest
    rope_base: float = 10000.0
    norm_eps: float = 1e-5
    init_std: float = 0.02
    extra: dict = field(default_factory=dict)  # free-form metadata carried into checkpoints

    @classmethod
    def preset(cls, name: str, **overrides) -> BMojoConfig:
        """The preset's configuration with `overrides` applied (unknown names are an error)."""
        if name not in PRESETS:
            raise ConfigError(f"unknown preset '{name}' (choose from {', '.join(PRESETS)})")
        fields = {f.name for f in dataclasses.fields(cls)} - {"preset_name"}
        unknown = sorted(set(overrides) - fields)
        if unknown:
            raise ConfigError(f"unknown field{'s' * (len(unknown) > 1)} {', '.join(unknown)} "
                              f"(fields: {', '.join(sorted(fields - {'extra'}))})")
        config = cls(preset_name=name, **{**PRESETS[name], **overrides})
        config.validate()
        return config

    @property
    def kinds(self) -> str:
        """The kind of each layer: the pattern tiled to n_layers."""
        p = self.layer_pattern
        return (p * (self.n_layers // len(p) + 1))[: self.n_layers]

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_heads

    @property
    def ssm_inner(self) -> int:
        return self.ssm_expand * self.d_model

    @property
    def ssm_heads(self) -> int:
        return self.ssm_inner // self.ssm_head_dim

    def memory_on(self, kind: str) -> bool:
        return kind == "M" and self.k_mem > 0 and self.mem_capacity > 0

    def validate(self) -> None:
        problems = []
        if not self.layer_pattern or any(c not in LAYER_KINDS for c in self.layer_pattern):
            problems.append(f"layer_pattern '{self.layer_pattern}' must use the letters {LAYER_KINDS}")
        for name in ("vocab_size", "d_model", "n_layers", "n_heads", "window", "ssm_state", "ssm_expand",
                     "ssm_head_dim", "ssm_conv", "ssm_chunk"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1 (is {getattr(self, name)})")
        if self.d_model % max(self.n_heads, 1):
            problems.append(f"d_model {self.d_model} is not divisible by n_heads {self.n_heads}")
        elif self.head_dim % 2:
            problems.append(f"head_dim {self.head_dim} must be even for rotary embeddings")
        if self.ssm_inner % max(self.ssm_head_dim, 1):
            problems.append(f"ssm inner width {self.ssm_inner} is not divisible by ssm_head_dim {self.ssm_head_dim}")
        if not 0 <= self.k_mem <= self.window:
            problems.append(f"k_mem must be in 0..window ({self.window}), is {self.k_mem}")
        if self.mem_capacity < 0:
            problems.append("mem_capacity must be non-negative")
        if self.mem_eviction not in ("score", "fifo"):
            problems.append(f"mem_eviction must be 'score' or 'fifo', is '{self.mem_eviction}'")
        if self.mem_rope not in ("absolute", "none"):
            problems.append(f"mem_rope must be 'absolute' or 'none', is '{self.mem_rope}'")
        if self.mem_key not in ("token", "previous"):
            problems.append(f"mem_key must be 'token' or 'previous', is '{self.mem_key}'")
        if self.mem_score_layer >= self.n_layers:
            problems.append(f"mem_score_layer {self.mem_score_layer} is not a layer (0..{self.n_layers - 1})")
        elif self.mem_score_layer >= 0 and self.mem_score_layer != self.kinds.find("M"):
            # The parallel form runs layer after layer, so the selecting layer must come before the
            # layers it selects for; a deeper selector would need block-by-block execution of the stack.
            problems.append(f"mem_score_layer must be -1 (each layer its own) or {self.kinds.find('M')}, the first "
                            f"B'MOJO ('M') layer; {self.mem_score_layer} is not supported")
        if self.mlp_ratio < 0:
            problems.append("mlp_ratio must be non-negative")
        if problems:
            raise ConfigError("; ".join(problems))

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @staticmethod
    def from_dict(data: dict) -> BMojoConfig:
        fields = {f.name for f in dataclasses.fields(BMojoConfig)}
        unknown = sorted(set(data) - fields)
        if unknown:
            raise ConfigError(f"not a B'MOJO configuration: unknown field(s) {', '.join(unknown)}")
        config = BMojoConfig(**data)
        config.validate()
        return config


def parse_overrides(assignments: list[str]) -> dict:
    """["window=128", "mem_gate=true"] -> {"window": 128, "mem_gate": True}, typed by the fields."""
    types = {f.name: f.type for f in dataclasses.fields(BMojoConfig)}
    out: dict = {}
    for text in assignments:
        name, sep, value = text.partition("=")
        name = name.strip().replace("-", "_")
        if not sep:
            raise ConfigError(f"'{text}' is not FIELD=VALUE")
        if name not in types or name in ("preset_name", "extra"):
            raise ConfigError(f"unknown field '{name}' (fields: {', '.join(sorted(set(types) - {'preset_name', 'extra'}))})")
        kind = types[name]
        try:
            if kind == "bool":
                if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(value)
                out[name] = value.lower() in ("true", "1", "yes")
            elif kind == "int":
                out[name] = int(value)
            elif kind == "float":
                out[name] = float(value)
            else:
                out[name] = value
        except ValueError:
            raise ConfigError(f"{name} expects a value of type {kind}, not '{value}'") from None
    return out
