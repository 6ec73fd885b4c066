"""BMojoLM: a stack of pre-norm residual blocks (mixer, then MLP) over tied token embeddings.

Initialisation (nanoGPT / GPT-2 style): weights N(0, 0.02), the projections that write into the
residual stream (attention output, MLP output, SSM output) scaled by 1/sqrt(2 · n_layers) so that the
residual variance does not grow with depth; the SSM's own parameters keep their Mamba initialisation
(ssm.py), and the memory gate starts at zero so that a fresh model follows the plain selection rule.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from solomonic.atomic import recover, replacing_directory
from solomonic.bmojo.config import BMojoConfig, ConfigError
from solomonic.bmojo.layer import LayerCache, LayerOutput, Mixer, Selection
from solomonic.bmojo.tokenizer import ByteTokenizer
from solomonic.errors import UserError

WEIGHTS, CONFIG, TOKENIZER = "model.safetensors", "config.json", "tokenizer.json"


class CheckpointError(UserError):
    """A checkpoint directory that is missing, corrupt, or of another model."""


@dataclass
class BMojoOutput:
    logits: torch.Tensor  # (B, T, vocab)
    aux_loss: torch.Tensor  # weighted innovation-predictor loss: add it to the task loss
    memory: list[dict] = field(default_factory=list)  # per memory layer: selected (B, T), visible (B, T, n)


@dataclass
class Cache:
    position: int  # tokens seen so far
    layers: list[LayerCache]

    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for layer in self.layers for t in layer.tensors())


class MLP(nn.Module):
    def __init__(self, config: BMojoConfig):
        super().__init__()
        hidden = int(config.mlp_ratio * config.d_model)
        self.up = nn.Linear(config.d_model, hidden, bias=False)
        self.down = nn.Linear(hidden, config.d_model, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.gelu(self.up(x)))


class Block(nn.Module):
    def __init__(self, config: BMojoConfig, kind: str, index: int):
        super().__init__()
        self.norm1 = nn.RMSNorm(config.d_model, eps=config.norm_eps)
        self.mixer = Mixer(config, kind, index)
        self.mlp = MLP(config) if config.mlp_ratio > 0 else None
        self.norm2 = nn.RMSNorm(config.d_model, eps=config.norm_eps) if self.mlp is not None else None

    def forward(self, x: torch.Tensor, shared: Selection | None, want_positions: bool, want_parts: bool
                ) -> tuple[torch.Tensor, LayerOutput]:
        out = self.mixer(self.norm1(x), shared, want_positions, want_parts)
        x = x + out.y  # (B, T, d)
        if self.mlp is not None:
            x = x + self.mlp(self.norm2(x))
        return x, out

    def step(self, x: torch.Tensor, position: int, cache: LayerCache, shared_sigma: torch.Tensor | None):
        y, sigma = self.mixer.step(self.norm1(x), position, cache, shared_sigma)
        x = x + y  # (B, d)
        if self.mlp is not None:
            x = x + self.mlp(self.norm2(x))
        return x, sigma


class BMojoLM(nn.Module):
    def __init__(self, config: BMojoConfig):
        super().__init__()
        config.validate()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.blocks = nn.ModuleList(Block(config, kind, i) for i, kind in enumerate(config.kinds))
        self.norm = nn.RMSNorm(config.d_model, eps=config.norm_eps)
        self._initialise()

    def _initialise(self) -> None:
        std = self.config.init_std
        residual_std = std / math.sqrt(2 * self.config.n_layers)
        nn.init.normal_(self.embed.weight, std=std)
        for block in self.blocks:
            mixer = block.mixer
            linears = [mixer.qkv] if mixer.attends else []
            if mixer.ssm is not None:
                linears.append(mixer.ssm.in_proj)
                nn.init.normal_(mixer.ssm.out_proj.weight, std=residual_std)
            if mixer.attends:
                nn.init.normal_(mixer.out.weight, std=residual_std)
            if block.mlp is not None:
                linears.append(block.mlp.up)
                nn.init.normal_(block.mlp.down.weight, std=residual_std)
            for linear in linears:
                nn.init.normal_(linear.weight, std=std)

    # ------------------------------------------------------------------------------ parallel form

    def forward(self, input_ids: torch.Tensor, return_memory: bool = False, return_aux: bool = False,
                positions: torch.Tensor | None = None):
        """input_ids (B, T) -> logits (B, T, vocab); with return_memory or return_aux a BMojoOutput.
        `positions`, a (B, T) bool mask, asks for logits only there: (N, vocab), N = positions.sum()."""
        out, _ = self._run(input_ids, want_positions=return_memory, want_parts=False, positions=positions)
        if not (return_memory or return_aux):
            return out.logits
        return out

    def _run(self, input_ids: torch.Tensor, want_positions: bool, want_parts: bool,
             positions: torch.Tensor | None = None):
        if input_ids.dim() != 2:
            raise ValueError(f"input_ids must be (batch, length), got shape {tuple(input_ids.shape)}")
        x = self.embed(input_ids)  # (B, T, d)
        shared: Selection | None = None
        aux = x.new_zeros(())
        memory, outs = [], []
        for i, block in enumerate(self.blocks):
            x, out = block(x, shared, want_positions, want_parts)
            if out.selection is not None and self.config.mem_score_layer == i:
                shared = out.selection
            if out.aux_loss is not None:
                aux = aux + out.aux_loss
            if want_positions and out.memory_positions is not None:
                length = input_ids.shape[1]
                selected = (out.selection or shared).selected[:, :length]
                memory.append({"layer": i, "selected": selected, "visible": out.memory_positions})
            outs.append(out)
        hidden = self.norm(x) if positions is None else self.norm(x[positions])  # (B, T, d) or (N, d)
        logits = F.linear(hidden, self.embed.weight)  # tied with the embedding
        return BMojoOutput(logits, self.config.aux_weight * aux, memory), outs

    # ----------------------------------------------------------------------------- recurrent form

    def init_cache(self, batch_size: int) -> Cache:
        p = self.embed.weight
        return Cache(0, [b.mixer.empty_cache(batch_size, p.device, p.dtype) for b in self.blocks])

    def prefill(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, Cache]:
        """The parallel forward over a prompt (B, T), and the cache to continue from it."""
        out, outs = self._run(input_ids, want_positions=False, want_parts=True)
        length = input_ids.shape[1]
        layers = [b.mixer.cache_from(o, length) for b, o in zip(self.blocks, outs)]
        return out.logits, Cache(length, layers)

    def step(self, input_ids: torch.Tensor, cache: Cache) -> tuple[torch.Tensor, Cache]:
        """One token per sequence: input_ids (B,) -> logits (B, vocab); the cache is updated in place."""
        x = self.embed(input_ids)  # (B, d)
        sigma = None
        for i, (block, layer_cache) in enumerate(zip(self.blocks, cache.layers)):
            x, s = block.step(x, cache.position, layer_cache, sigma)
            if s is not None and self.config.mem_score_layer == i:
                sigma = s
        cache.position += 1
        return F.linear(self.norm(x), self.embed.weight), cache

    @torch.no_grad()
    def generate(self, prompt_ids: torch.Tensor, max_new_tokens: int, temperature: float = 1.0,
                 top_k: int | None = None, generator: torch.Generator | None = None,
                 stop: int | None = None) -> torch.Tensor:
        """Sample max_new_tokens after the prompt (B, T) or (T,); temperature 0 is greedy. With `stop`, fewer
        once every row has sampled that token (what follows it in a row is whatever was sampled after)."""
        squeeze = prompt_ids.dim() == 1
        ids = prompt_ids[None] if squeeze else prompt_ids
        logits, cache = self.prefill(ids)
        last = logits[:, -1]
        new = []
        stopped = torch.zeros(ids.shape[0], dtype=torch.bool, device=ids.device)
        for _ in range(max_new_tokens):
            token = sample(last, temperature, top_k, generator)  # (B,)
            new.append(token)
            if stop is not None:
                stopped |= token == stop
                if bool(stopped.all()):
                    break
            last, cache = self.step(token, cache)
        out = torch.cat([ids, torch.stack(new, dim=1)], dim=1) if new else ids
        return out[0] if squeeze else out

    # ------------------------------------------------------------------------------------- sizes

    def num_params(self, embeddings: bool = True) -> int:
        """Parameters (the tied output head counted once); without the embedding table if asked."""
        total = sum(p.numel() for p in self.parameters())
        return total if embeddings else total - self.embed.weight.numel()

    def cache_bytes(self, context: int, batch_size: int = 1) -> int:
        """Bytes of the generation cache after `context` tokens (only full attention grows with it)."""
        cache = self.init_cache(batch_size)
        size = cache.nbytes()
        element = self.embed.weight.element_size()
        full = sum(1 for b in self.blocks if b.mixer.kind == "T")
        return size + full * 2 * context * self.config.d_model * element * batch_size

    # ------------------------------------------------------------------------------- checkpoints

    def save_pretrained(self, directory: str | os.PathLike, tokenizer: ByteTokenizer | None = None) -> None:
        """Weights (safetensors), configuration and tokenizer (JSON), written atomically: a killed save
        leaves the previous checkpoint whole (see solomonic.atomic)."""
        with replacing_directory(directory) as staging:
            self.write_files(staging, tokenizer)

    def write_files(self, directory: Path, tokenizer: ByteTokenizer | None = None) -> None:
        """The checkpoint files, into an existing directory (not atomic by itself)."""
        from safetensors.torch import save_file

        state = {k: v.detach().contiguous().cpu() for k, v in self.state_dict().items()}
        save_file(state, str(directory / WEIGHTS), metadata={"format": "solomonic-bmojo"})
        (directory / CONFIG).write_text(self.config.to_json() + "\n")
        (directory / TOKENIZER).write_text(json.dumps((tokenizer or ByteTokenizer()).to_json()) + "\n")

    @classmethod
    def from_pretrained(cls, directory: str | os.PathLike, map_location: str = "cpu") -> BMojoLM:
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        path = Path(directory)
        recover(path)  # a save killed between its two renames left the checkpoint beside its place
        for name in (WEIGHTS, CONFIG):
            if not (path / name).is_file():
                raise CheckpointError(f"{path}: not a B'MOJO checkpoint (no {name})")
        try:
            config = BMojoConfig.from_dict(json.loads((path / CONFIG).read_text()))
        except (json.JSONDecodeError, TypeError, ConfigError) as err:
            raise CheckpointError(f"{path / CONFIG}: not a B'MOJO configuration ({err})") from None
        try:
            state = load_file(str(path / WEIGHTS), device=map_location)
        except (SafetensorError, OSError, ValueError) as err:
            raise CheckpointError(f"{path / WEIGHTS}: unreadable weights ({err})") from None
        model = cls(config)
        expected = model.state_dict()
        missing, unexpected = sorted(set(expected) - set(state)), sorted(set(state) - set(expected))
        wrong = [k for k in set(state) & set(expected) if state[k].shape != expected[k].shape]
        if missing or unexpected or wrong:
            raise CheckpointError(f"{path}: the weights do not fit the configuration (missing {missing[:3]}, "
                                  f"unexpected {unexpected[:3]}, other shapes {sorted(wrong)[:3]})")
        model.load_state_dict(state)
        return model.to(map_location)


def sample(logits: torch.Tensor, temperature: float, top_k: int | None, generator: torch.Generator | None
           ) -> torch.Tensor:
    """logits (B, vocab) -> token ids (B,)."""
    if temperature <= 0:
        return logits.argmax(dim=-1)
    logits = logits / temperature
    if top_k is not None:
        threshold = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]  # (B, 1)
        logits = logits.masked_fill(logits < threshold, float("-inf"))
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)[:, 0]
