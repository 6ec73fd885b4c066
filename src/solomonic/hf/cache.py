"""BMojoCache: the native model's own generation cache, in the form `transformers.GenerationMixin` passes around.

`generate` hands whatever the forward returned as `cache` back to the next forward, asks it how many tokens it
has seen (to slice the prompt when a caller continues from a cache) and, for beam search and contrastive
search, to reorder, repeat or select batch rows. That is all this class answers; the tensors stay the native
`solomonic.bmojo.Cache` (a window, an SSM state, an eidetic memory: fixed size for every preset but full
attention), which `BMojoLM.prefill` makes and `BMojoLM.step` updates. Rolling back tokens (`crop`, which
assisted decoding needs) is impossible for a recurrent state, so `is_croppable` is false and such modes are
refused by `transformers` itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import torch
from transformers import Cache

from solomonic.bmojo import Cache as NativeCache

BatchMap = Callable[[torch.Tensor], torch.Tensor]


class BMojoCache(Cache):
    """Empty until the first forward fills it (a prefill); thereafter the native cache after `position` tokens."""

    def __init__(self, native: NativeCache | None = None):
        super().__init__(layers=[])
        self.native = native

    def get_seq_length(self, layer_idx: int = 0) -> int:
        return 0 if self.native is None else self.native.position

    def get_max_length(self, layer_idx: int | None = None) -> int:
        return -1  # no bound on the tokens it can take

    @property
    def is_croppable(self) -> bool:
        return False

    @property
    def batch_size(self) -> int:
        if self.native is None:
            return -1
        return next(t.shape[0] for layer in self.native.layers for t in layer.tensors())

    def reset(self) -> None:
        self.native = None

    def reorder_cache(self, beam_idx: torch.LongTensor) -> None:
        self._map_rows(lambda t: t.index_select(0, beam_idx.to(t.device)))

    def batch_select_indices(self, indices: torch.Tensor) -> None:
        self._map_rows(lambda t: t[indices.to(t.device)])

    def batch_repeat_interleave(self, repeats: int) -> None:
        self._map_rows(lambda t: t.repeat_interleave(repeats, dim=0))

    def _map_rows(self, rows: BatchMap) -> None:
        """Apply `rows` to every tensor of the native cache: each is batch-first (layer.py's LayerCache and
        MemoryState document their shapes), and the position is shared by every row."""
        if self.native is not None:
            for layer in self.native.layers:
                _map_dataclass(layer, rows)


def _map_dataclass(state, rows: BatchMap) -> None:
    for field in dataclasses.fields(state):
        value = getattr(state, field.name)
        if isinstance(value, torch.Tensor):
            setattr(state, field.name, rows(value))
        elif isinstance(value, tuple):
            setattr(state, field.name, tuple(rows(t) for t in value))
        elif dataclasses.is_dataclass(value):
            _map_dataclass(value, rows)
