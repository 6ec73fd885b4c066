"""Tasks by name, with validated parameters and deterministic batches.

A batch is a pure function of (seed, split, index): the trainer keeps no data state, so resuming at a
step regenerates exactly the batches an uninterrupted run would have seen, and every data-parallel rank
builds the same global batch and takes its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from solomonic.data import recall
from solomonic.data.certificates import certificates_batch
from solomonic.data.recall import IGNORE, Batch, TaskError

DEFAULTS: dict[str, dict] = {
    "mqar": {"length": 128, "vocab": 8192, "pairs": 8, "power_a": 0.01, "random_non_queries": True},
    "noisy_recall": {"length": 128, "vocab": 64, "keys": 16, "noise_vocab": 16, "frac_noise": 0.2},
    "fuzzy_recall": {"length": 128, "vocab": 64, "keys": 8, "key_len": 3, "value_len": 3},
    "selective_copy": {"length": 256, "vocab": 16, "copies": 16},
    "lm": {"length": 256},
    # a loop's text -> its certificate, from `solomonic proposer corpus`'s JSON Lines (certificates.py)
    "certificates": {"length": 512, "corpus": "", "target": "invariant"},
}
SPLITS = {"train": 0, "eval": 1}
BYTE_TASKS = ("lm", "certificates")  # their tokens are the bytes of text


@dataclass
class Task:
    name: str
    params: dict = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.params["length"]

    @property
    def vocab_size(self) -> int:
        p = self.params
        if self.name in BYTE_TASKS:
            return 256  # bytes
        return p["vocab"] + (p["noise_vocab"] if self.name == "noisy_recall" else 0)

    @property
    def is_language_modelling(self) -> bool:
        return self.name == "lm"

    def batch(self, split: str, index: int, size: int, seed: int, length: int | None = None) -> Batch:
        """Batch `index` of `split` ("train" or "eval"); `length` overrides the task's (length tests)."""
        rng = np.random.default_rng([seed, SPLITS[split], index])
        params = {**self.params, **({"length": length} if length else {})}
        if self.name == "lm":
            return _lm_batch(rng, split, index, size, params["length"])
        if self.name == "certificates":
            return certificates_batch(rng, split, index, size, **params)
        generator = getattr(recall, self.name)
        return generator(rng, size, **params)

    def describe(self) -> str:
        if self.name == "lm":
            from solomonic.data.corpus import stdlib_corpus

            return f"lm, length {self.length}: {stdlib_corpus().description}"
        return f"{self.name}(" + ", ".join(f"{k}={v}" for k, v in self.params.items()) + ")"


def make_task(name: str, **overrides) -> Task:
    if name not in DEFAULTS:
        raise TaskError(f"unknown task '{name}' (choose from {', '.join(DEFAULTS)})")
    defaults = DEFAULTS[name]
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise TaskError(f"task {name} has no parameter {', '.join(unknown)} (its parameters: {', '.join(defaults)})")
    params = {}
    for key, default in defaults.items():
        value = overrides.get(key, default)
        try:
            params[key] = _typed(value, type(default))
        except ValueError:
            raise TaskError(f"task parameter {key} expects {type(default).__name__}, not {value!r}") from None
    task = Task(name, params)
    if params["length"] < 2:
        raise TaskError(f"task {name}: length must be at least 2")
    if name != "lm":
        task.batch("train", 0, 1, 0)  # impossible sizes surface here, as a TaskError
    return task


def parse_task_overrides(assignments: list[str]) -> dict:
    out = {}
    for text in assignments:
        key, sep, value = text.partition("=")
        if not sep:
            raise TaskError(f"'{text}' is not PARAM=VALUE")
        out[key.strip().replace("-", "_")] = value
    return out


def _typed(value, kind):
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    if kind is bool:
        text = str(value).lower()
        if text not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError(value)
        return text in ("true", "1", "yes")
    return kind(value)


def _lm_batch(rng: np.random.Generator, split: str, index: int, size: int, length: int) -> Batch:
    from solomonic.data.corpus import stdlib_corpus

    corpus = stdlib_corpus()
    stream = corpus.train if split == "train" else corpus.validation
    if stream.size < length + 1:
        raise TaskError(f"lm: the {split} corpus ({stream.size} bytes) is shorter than a window of {length}")
    if split == "train":  # random windows
        starts = rng.integers(0, stream.size - length, size=size)
    else:  # consecutive windows, the same for every model
        count = (stream.size - 1) // length
        starts = ((index * size + np.arange(size)) % count) * length
    windows = np.stack([stream[s : s + length + 1] for s in starts]).astype(np.int64)  # (N, T + 1)
    return Batch(windows[:, :-1], windows[:, 1:])


__all__ = ["IGNORE", "Batch", "Task", "TaskError", "make_task", "parse_task_overrides"]
