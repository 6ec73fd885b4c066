"""The `certificates` task: from a loop's text, the certificate the reasoner proved it with (issue 28).

The corpus is the JSON Lines file `solomonic proposer corpus` writes (solomonic.bridge.corpus): one object
per proved loop with, among others, the string fields `loop` (the loop as text), `ranking` (a list of
strings: the ranking argument's levels, phases or regions) and `proposal` (the supporting invariant at
its head, as SMT-LIB conjuncts that the reasoner reads back: solomonic.reason.proposals). A row is the bytes of

    LOOP + "\\n=> " + TARGET + "\\n"

where TARGET is the invariant or the ranking (its parts joined by " then "); only TARGET's bytes and the
closing newline are asked, so the model learns to complete a loop with its certificate, and the newline
tells a sampler where a proposal ends. The loop's variables are numbered in both (`canonical`: the model
learns where a relation's variables stand, not their spelling). A row longer than the window keeps the
loop's header lines and its end (`prompt`). Rows are left-padded with 0 (the byte NUL never occurs in the
text) and nothing is asked there.

Every tenth example (by its position in the file) is held out for evaluation, so train and eval never
share a loop; batches are a pure function of (seed, split, index), like every task's.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import numpy as np

from solomonic.data.recall import IGNORE, Batch, TaskError

SEPARATOR = b"\n=> "
END = b"\n"
TARGETS = ("invariant", "ranking")
EVAL_EVERY = 10


HEAD = re.compile(r"^(head \d+ \(line \d+\): )(.*)$")
BLOCK = re.compile(r"^((?:step \d+ -> \d+|enter \d+|exit \d+) when )(.*)$")
NUMBERED = re.compile(r"(?<![\w!|])v(\d+)(?![\w!|])")


def canonical(loop: str) -> tuple[str, list[str]]:
    """The loop with its variables numbered v0, v1, ... in the order its heads list them, and the names in
    that order. A proposal copies names from far back in a loop's text; numbered, the model learns where a
    relation's variables stand in the loop, not how a programmer spelled them (`spelled` maps back).
    Only the heads' variables are renamed, and only in the heads' lists and the blocks' guards and
    updates (a variable named `step` leaves the word that starts a line alone)."""
    names = head_variables(loop)
    if not names:
        return loop, []
    number = {name: f"v{i}" for i, name in enumerate(names)}
    word = _words(names)
    out = []
    for line in loop.splitlines():
        if (head := HEAD.match(line)) and head.group(2) != "-":
            line = head.group(1) + ", ".join(number[name] + ":" + kind for name, kind in
                                             (part.split(":", 1) for part in head.group(2).split(", ")))
        elif block := BLOCK.match(line):
            line = block.group(1) + word.sub(lambda m: number[m.group(0)], block.group(2))
        out.append(line)
    return "\n".join(out), names


def head_variables(loop: str) -> list[str]:
    """The variables live at some head of the loop, in the order its `head N (line L): x: int, ...` lines
    list them."""
    names: list[str] = []
    for line in loop.splitlines():
        if (head := HEAD.match(line)) and head.group(2) != "-":
            names += [part.split(":")[0] for part in head.group(2).split(", ")]
    return list(dict.fromkeys(names))


def numbered(text: str, names: list[str]) -> str:
    """A proposal over the loop's names written over their numbers (how the model learns it)."""
    number = {name: f"v{i}" for i, name in enumerate(names)}
    return _words(names).sub(lambda m: number[m.group(0)], text) if names else text


def spelled(text: str, names: list[str]) -> str | None:
    """A proposal over numbered variables written over the loop's names; None where it names a number the
    loop has no variable for."""
    if any(int(m.group(1)) >= len(names) for m in NUMBERED.finditer(text)):
        return None
    return NUMBERED.sub(lambda m: _quoted(names[int(m.group(1))]), text)


def _words(names: list[str]) -> re.Pattern:
    longest_first = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<![\w!|])(?:" + "|".join(map(re.escape, longest_first)) + r")(?![\w!|])")


def _quoted(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][\w.]*", name) else f"|{name}|"


def prompt(loop: str, room: int | None = None) -> bytes:
    """What a sampler gives the model to complete with a certificate, in at most `room` bytes. A longer
    loop keeps its leading `head` and `enter` lines (the variables a proposal is written over and what
    holds on entry, where its constants are), a line "...", and as much of its end as fits: cutting
    only the start, as a plain window does, dropped exactly those lines from most SV-COMP loops (the
    median loop's text is about 730 bytes)."""
    whole = loop.encode() + SEPARATOR
    if room is None or len(whole) <= room:
        return whole
    lines = loop.splitlines()
    leading = next((i for i, line in enumerate(lines) if not line.startswith(("head ", "enter "))), len(lines))
    kept = "\n".join(lines[:leading]).encode() + b"\n...\n"
    if len(kept) > room // 2:
        return whole[-room:]  # the header alone would crowd out the loop's steps
    return kept + whole[-(room - len(kept)):]


def target_text(example: dict, target: str) -> str:
    return " then ".join(example["ranking"]) if target == "ranking" else example["proposal"]


@functools.lru_cache(maxsize=4)
def _examples(path: str, target: str) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]]]:
    """(loop, answer) pairs of the train and eval splits."""
    if target not in TARGETS:
        raise TaskError(f"certificates: target must be one of {', '.join(TARGETS)} (is {target!r})")
    if not path:
        raise TaskError("certificates: give the corpus, --task-param corpus=FILE (from `solomonic proposer corpus`)")
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as err:
        raise TaskError(f"certificates: cannot read the corpus {path}: {err.strerror}") from None
    train: list[tuple[str, bytes]] = []
    held_out: list[tuple[str, bytes]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            example = json.loads(line)
            loop, names = canonical(example["loop"])
            pair = (loop, numbered(target_text(example, target), names).encode() + END)
        except (ValueError, KeyError, TypeError) as err:
            raise TaskError(f"{path}:{number}: not a corpus example ({type(err).__name__}: {err})") from None
        (held_out if (number - 1) % EVAL_EVERY == EVAL_EVERY - 1 else train).append(pair)
    if not train or not held_out:
        raise TaskError(f"certificates: {path} holds {len(train) + len(held_out)} examples; at least "
                        f"{EVAL_EVERY} are needed (one in {EVAL_EVERY} is held out for evaluation)")
    return train, held_out


def certificates_batch(rng: np.random.Generator, split: str, index: int, size: int, length: int, corpus: str,
                       target: str) -> Batch:
    train, held_out = _examples(corpus, target)
    pool = train if split == "train" else held_out
    if split == "train":
        picks = rng.integers(0, len(pool), size=size)
    else:  # the same rows for every model, in order
        picks = (index * size + np.arange(size)) % len(pool)
    inputs = np.zeros((size, length), dtype=np.int64)
    targets = np.full((size, length), IGNORE, dtype=np.int64)
    for row, pick in enumerate(picks):
        loop, answer = pool[int(pick)]
        if len(answer) > length:
            raise TaskError(f"certificates: an answer of {len(answer)} bytes does not fit a window of {length}")
        question = prompt(loop, length + 1 - len(answer))
        sequence = np.frombuffer((question + answer)[-(length + 1):], dtype=np.uint8).astype(np.int64)
        width = len(sequence) - 1
        inputs[row, length - width:] = sequence[:-1]
        targets[row, length - width:] = sequence[1:]
        targets[row, : length - len(answer)] = IGNORE  # only the answer is asked
    return Batch(inputs, targets)
