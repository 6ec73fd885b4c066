"""Synthetic recall tasks, generated deterministically from a seed (no downloads).

Every generator returns `inputs` (N, T) and `targets` (N, T), targets -100 where nothing is asked; a
model is scored on the asked positions only (next-token prediction: the target at position t is what
should follow inputs[:, :t+1]).

- `mqar`: multi-query associative recall as Zoology defines it (HazyResearch/zoology,
  `zoology/data/multiquery_ar.py`): keys from [1, V/2), values from [V/2, V), distinct within a sequence;
  the context k1 v1 ... kP vP; then each key once more at an even offset, its gap drawn without
  replacement from a power law p(g) ∝ g^(a-1) (a = 0.01 puts queries near the context); the target at a
  query is its value. Filler is 0, or random tokens (`random_non_queries`, Zoology's default).
- `noisy_recall`: MAD's noisy in-context recall: key-value pairs from a fixed per-sequence map, keys
  recurring; a fraction of the positions are noise tokens from a separate vocabulary; asked: the value
  after every key that was seen before.
- `fuzzy_recall`: MAD's fuzzy recall: keys and values are multi-token motifs; asked: each token of a
  value motif that follows a key motif seen before.
- `selective_copy`: MAD's selective copying: tokens scattered among blanks, then as many copy markers;
  asked: the scattered tokens in order, one at each marker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solomonic.errors import UserError

IGNORE = -100


class TaskError(UserError, ValueError):
    """Impossible task sizes (e.g. more key-value pairs than the sequence holds)."""


@dataclass(frozen=True)
class Batch:
    inputs: np.ndarray  # (N, T) int64
    targets: np.ndarray  # (N, T) int64, IGNORE where nothing is asked


def mqar(rng: np.random.Generator, n: int, length: int, vocab: int, pairs: int, power_a: float = 0.01,
         random_non_queries: bool = True) -> Batch:
    if length % 2:
        raise TaskError(f"mqar: the sequence length must be even (is {length})")
    if 4 * pairs > length:
        raise TaskError(f"mqar: {pairs} key-value pairs need a sequence of at least {4 * pairs} tokens (is {length})")
    if vocab <= length or pairs > vocab // 2 - 1:
        raise TaskError(f"mqar: vocabulary {vocab} too small for length {length} and {pairs} pairs")
    context = 2 * pairs
    keys = np.stack([rng.choice(np.arange(1, vocab // 2), pairs, replace=False) for _ in range(n)])  # (N, P)
    values = np.stack([rng.choice(np.arange(vocab // 2, vocab), pairs, replace=False) for _ in range(n)])
    space = (length - context) // 2  # query slots at even offsets after the context
    weight = power_a * np.arange(1, space + 1, dtype=np.float64) ** (power_a - 1)
    gaps = np.stack([rng.choice(space, pairs, replace=False, p=weight / weight.sum()) for _ in range(n)])  # (N, P)
    inputs = np.zeros((n, length), dtype=np.int64)
    inputs[:, 0:context:2], inputs[:, 1:context:2] = keys, values
    rows = np.arange(n)[:, None]
    query = context + 2 * gaps  # (N, P)
    if random_non_queries:
        filler = rng.integers(0, vocab, size=(n, length - context))
        inputs[:, context:] = filler
    inputs[rows, query] = keys
    targets = np.full((n, length), IGNORE, dtype=np.int64)
    targets[rows, query] = values
    return Batch(inputs, targets)


def noisy_recall(rng: np.random.Generator, n: int, length: int, vocab: int, keys: int, noise_vocab: int,
                 frac_noise: float) -> Batch:
    """vocab: keys come from [0, V/2), values from [V/2, V), noise from [V, V + noise_vocab)."""
    if not 0 <= frac_noise < 1:
        raise TaskError(f"noisy_recall: frac_noise must be in [0, 1) (is {frac_noise})")
    if keys > vocab // 2:
        raise TaskError(f"noisy_recall: {keys} keys do not fit in half a vocabulary of {vocab}")
    if length < 4:
        raise TaskError("noisy_recall: the sequence is too short")
    inputs = np.empty((n, length), dtype=np.int64)
    targets = np.full((n, length), IGNORE, dtype=np.int64)
    # A pair takes two positions and a noise token one: choosing noise with probability 2f / (1 + f)
    # makes f of the positions noise, as MAD's frac_noise means.
    p_noise = 2 * frac_noise / (1 + frac_noise)
    for row in range(n):
        key_set = rng.choice(vocab // 2, keys, replace=False)
        mapping = dict(zip(key_set.tolist(), rng.choice(np.arange(vocab // 2, vocab), keys, replace=False).tolist()))
        seen: set[int] = set()
        t = 0
        while t < length:
            if t + 1 < length and rng.random() >= p_noise:
                key = int(rng.choice(key_set))
                inputs[row, t], inputs[row, t + 1] = key, mapping[key]
                if key in seen:
                    targets[row, t] = mapping[key]
                seen.add(key)
                t += 2
            else:
                inputs[row, t] = vocab + rng.integers(noise_vocab)
                t += 1
    return Batch(inputs, targets)


def fuzzy_recall(rng: np.random.Generator, n: int, length: int, vocab: int, keys: int, key_len: int,
                 value_len: int) -> Batch:
    """Motifs: keys are key_len tokens from [0, V/2), values value_len tokens from [V/2, V)."""
    unit = key_len + value_len
    if length < 2 * unit:
        raise TaskError(f"fuzzy_recall: a sequence of {length} holds fewer than two {unit}-token pairs")
    inputs = np.empty((n, length), dtype=np.int64)
    targets = np.full((n, length), IGNORE, dtype=np.int64)
    for row in range(n):
        key_motifs = rng.integers(0, vocab // 2, size=(keys, key_len))
        value_motifs = rng.integers(vocab // 2, vocab, size=(keys, value_len))
        seen: set[int] = set()
        t = 0
        while t + unit <= length:
            k = int(rng.integers(keys))
            inputs[row, t : t + key_len] = key_motifs[k]
            inputs[row, t + key_len : t + unit] = value_motifs[k]
            if k in seen:  # the target at position p is the token at p + 1
                targets[row, t + key_len - 1 : t + unit - 1] = value_motifs[k]
            seen.add(k)
            t += unit
        inputs[row, t:] = rng.integers(0, vocab // 2, size=length - t)  # a key-like tail, never asked
    return Batch(inputs, targets)


def selective_copy(rng: np.random.Generator, n: int, length: int, vocab: int, copies: int) -> Batch:
    """Tokens 2..V-1 to copy; 0 is the blank and 1 the copy marker."""
    span = length - copies
    if copies < 1 or span < copies:
        raise TaskError(f"selective_copy: {copies} tokens to copy need a sequence of at least {2 * copies} "
                        f"(is {length})")
    inputs = np.zeros((n, length), dtype=np.int64)
    targets = np.full((n, length), IGNORE, dtype=np.int64)
    for row in range(n):
        where = np.sort(rng.choice(span, copies, replace=False))
        tokens = rng.integers(2, vocab, size=copies)
        inputs[row, where] = tokens
        inputs[row, span:] = 1
        targets[row, span:] = tokens  # at the j-th marker, the j-th scattered token
    return Batch(inputs, targets)
