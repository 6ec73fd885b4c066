"""The learned proposer: a small B'MOJO that completes a loop's text with candidate certificates.

It is trained on the certificates task (solomonic.data.certificates: the loop's text, then the invariant or
ranking the reasoner proved it with) and asked for k completions of a loop's text. What it proposes is only
ever a candidate: the reasoner checks each like any certificate it found itself, so a wrong proposal costs
time, never an answer. One completion is greedy (the model's best guess), the rest sampled, so that k > 1
explores; duplicates and text that is not UTF-8 are dropped.

A trained proposer is a directory: the model as `save_pretrained` writes it (safetensors weights,
configuration, tokenizer) and `proposer.json`, which says what it proposes and the window it was
trained on, with the corpus' digest, so that a model cannot be read as proposing what it was not
trained for.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from solomonic.bmojo import BMojoLM
from solomonic.bridge import corpus
from solomonic.data.certificates import BLOCK, END, TARGETS, canonical, prompt, spelled
from solomonic.errors import UserError
from solomonic.reason.proposals import SEPARATOR
from solomonic.reason.result import Result
from solomonic.train import Trainer, TrainSettings

DESCRIPTION = "proposer.json"
MODEL = "model"
WEIGHTS = "model.safetensors"  # as save_pretrained names them
SHIPPED = Path(__file__).with_name("shipped")  # the proposer `--proposer` uses: `solomonic proposer train` made it
# small enough to train on a laptop's CPU in minutes. A proposal copies names and constants from the loop's
# heads and entry, which a cut text keeps at its start (data.certificates.prompt): the attention window
# reaches 256 bytes back, the eidetic memory and the fading state further
SIZE = {"d_model": 96, "n_layers": 2, "n_heads": 4, "window": 256, "k_mem": 8, "mem_capacity": 32}
EVERY = 500  # steps between evaluations and between checkpoints
ANSWER_ROOM = 128  # bytes of the trained window left for the proposal when a long loop's text is cut
NUMBER = re.compile(r"(?<![\w!.])\d+(?![\w!.])")
MAX_CONSTANTS = 8  # of a loop's numbers, the first this many (each multiplies a proposal's variants)
MAX_FILLED = 3  # a term with more numbers than this is tried as written only
MAX_VARIANTS = 400  # candidates from one proposal, at most


@dataclass(frozen=True)
class Description:
    target: str  # "invariant" or "ranking": what the model completes a loop with
    length: int  # the window it was trained on, in bytes; a longer prompt is cut to fit (certificates.prompt)
    corpus_sha256: str
    steps: int
    seed: int


def _balanced(term: str) -> bool:
    return term.startswith("(") and term.count("(") == term.count(")")


def _constants(loop: str) -> list[str]:
    """The numbers the loop's guards and updates compare and add (not 0 or 1, nor heads' or lines' numbers)."""
    found = [m.group(0) for line in loop.splitlines() if (block := BLOCK.match(line))
             for m in NUMBER.finditer(block.group(2))]
    return [n for n in dict.fromkeys(found) if int(n) > 1][:MAX_CONSTANTS]


def _with_constants(terms: list[str], constants: list[str]) -> list[str]:
    """The terms, then each with its numbers (above 1, at most MAX_FILLED of them) replaced jointly by
    every choice among the loop's numbers and 1: the model writes a relation's shape well and its
    constants less so (nested-1: `(>= k (+ (* 13 i) (* 3 j)))` where the loop's bounds make it
    `(+ (* 10 i) (* 1 j))`), and the program's own numbers are the likely ones. At most MAX_VARIANTS
    candidates; every one is checked like any other."""
    out = list(terms)
    choices = [*constants, "1"]
    for term in terms:
        numbers = [m for m in NUMBER.finditer(term) if int(m.group(0)) > 1]
        if not numbers or len(numbers) > MAX_FILLED:
            continue
        for chosen in itertools.product(choices, repeat=len(numbers)):
            filled = term
            for m, c in sorted(zip(numbers, chosen), key=lambda pair: -pair[0].start()):  # right to left
                filled = filled[:m.start()] + c + filled[m.end():]
            out.append(filled)
    return list(dict.fromkeys(out))[:MAX_VARIANTS]


def train(corpus: Path, out: Path, target: str = "invariant", steps: int = 2000, seed: int = 0, length: int = 1024,
          batch_size: int = 16, lr: float = 3e-3, progress: bool = True) -> dict:
    """Train a proposer on `corpus` into `out` (the run's metrics and checkpoint in out/run, resumable with
    `solomonic train --resume`; the proposer itself in out/model and out/proposer.json); the run's summary."""
    if target not in TARGETS:
        raise UserError(f"a proposer proposes one of {', '.join(TARGETS)} (not {target!r})")
    settings = TrainSettings(task="certificates", task_params={"corpus": str(corpus), "length": length,
                                                               "target": target},
                             preset="bmojo", model_overrides=dict(SIZE), steps=steps, batch_size=batch_size, lr=lr,
                             seed=seed, eval_every=min(steps, EVERY), checkpoint_every=min(steps, EVERY),
                             out=str(out / "run"), progress=progress)
    trainer = Trainer(settings)
    summary = trainer.run()
    trainer.model.save_pretrained(out / MODEL)
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    (out / DESCRIPTION).write_text(json.dumps(asdict(Description(target, length, digest, steps, seed)), indent=2)
                                   + "\n")
    return summary


class Proposer:
    """The reasoner's `reason.proposals.Proposer`, a trained model; the examples of the proofs its proposals
    helped are appended to `record` (a corpus), where there is one."""

    def __init__(self, model: BMojoLM, description: Description, name: str, record: Path | None = None):
        self.model = model.eval()
        self.description = description
        self.name = name
        self.record = record

    @classmethod
    def load(cls, directory: Path, record: Path | None = None) -> Proposer:
        try:
            description = Description(**json.loads((directory / DESCRIPTION).read_text()))
            weights = (directory / MODEL / WEIGHTS).read_bytes()
        except (OSError, ValueError, TypeError) as err:
            raise UserError(f"{directory}: not a trained proposer ({err})") from None
        name = f"bmojo-{description.target}-{hashlib.sha256(weights).hexdigest()[:16]}"
        return cls(BMojoLM.from_pretrained(directory / MODEL), description, name, record)

    def confirmed(self, result: Result, loops: Mapping[int, str]) -> None:
        if self.record is not None:
            corpus.append(corpus.confirmed(result, dict(loops)), self.record)

    def propose(self, loop: str, k: int = 4, seed: int = 0, temperature: float = 0.8,
                max_bytes: int = 160) -> list[str]:
        """At most k distinct candidates for the loop whose text is `loop`, the greedy one first. On one
        thread: a model this small gains nothing from intra-op parallelism, and where the cores are busy
        (the reasoner's own children) the threads' waiting for each other made each step ten times slower."""
        numbered, names = canonical(loop)  # the model reads and writes the variables by number
        ids = torch.tensor(list(prompt(numbered, self.description.length - ANSWER_ROOM)), dtype=torch.long)
        generator = torch.Generator().manual_seed(seed)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            rows = [self.model.generate(ids, max_bytes, temperature=0.0, stop=END[0])]
            if k > 1:
                rows.extend(self.model.generate(ids.expand(k - 1, -1), max_bytes, temperature=temperature,
                                                generator=generator, stop=END[0]))
        finally:
            torch.set_num_threads(threads)
        constants = _constants(numbered)
        out: list[str] = []
        for row in rows:
            generated = bytes(row[len(ids):].tolist())
            # bytes that are not UTF-8 become U+FFFD, and a term holding one does not parse
            terms = [t.strip() for t in generated.split(END, 1)[0].decode(errors="replace").split(SEPARATOR.strip())]
            if END not in generated:
                terms = terms[:-1]  # the byte limit cut the last one off
            candidate = spelled(SEPARATOR.join(_with_constants([t for t in terms if _balanced(t)], constants)), names)
            if candidate and candidate not in out:
                out.append(candidate)
        return out
