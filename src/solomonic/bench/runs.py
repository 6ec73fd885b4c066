"""Long benchmark grids: each run's result in its own JSON file, so an interrupted grid resumes; and
each run checkpoints into a scratch folder beside the results, so an interrupted run resumes too."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from solomonic.atomic import recover
from solomonic.bench.record import write_json
from solomonic.bmojo import BMojoConfig
from solomonic.train import CHECKPOINT, TRAINER_STATE, Trainer

Spec = TypeVar("Spec")
CHECKPOINT_EVERY = 200  # steps: what a run killed midway (say, at a session's end) loses at most


def compiling(args) -> bool:
    """Whether a grid trains through torch.compile: as asked, else for full runs only (a --quick run is
    shorter than the one or two minutes each model takes to compile)."""
    return args.compile if args.compile is not None else not args.quick


def run_key(spec: object) -> str:
    return hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]


def resolved_model(preset: str, overrides: dict) -> dict:
    """The configuration a run trains: its preset with `overrides` applied, every field spelled out.

    A run's cache key hashes this rather than the preset's name, so that changing what a preset means (a
    default of the `bmojo` preset, say) changes the key of every run it affects: a run trained under the old
    meaning is then missing, and is retrained, instead of being reported under the new one. A field added
    after runs were cached (metadata `unkeyed_default`) is left out while at its default, which keeps the old
    meaning: adding an option does not make every cached run look missing.
    """
    config = BMojoConfig.preset(preset, **overrides)
    resolved = dataclasses.asdict(config)
    for f in dataclasses.fields(config):
        if f.metadata.get("unkeyed_default") and resolved[f.name] == f.default:
            del resolved[f.name]
    return resolved


def train_resumably(settings, scratch: Path | None):
    """Train under `settings`, checkpointing into `scratch` so that a run killed midway resumes from its
    last checkpoint (exactly: see train.py); the scratch folder goes once the run is done. Returns the
    trainer, its summary, and timing: wall and CPU seconds of this segment and the step it started from;
    `train_seconds` scales the segment to the whole run when it resumed (an estimate, marked as such)."""
    if scratch is not None:
        settings = dataclasses.replace(settings, out=str(scratch), checkpoint_every=CHECKPOINT_EVERY)
    trainer = Trainer(settings)
    if scratch is not None:
        recover(scratch / CHECKPOINT)  # a save killed between its renames left `.checkpoint.old`
        if (scratch / CHECKPOINT / TRAINER_STATE).exists():
            trainer.restore()
    first = trainer.step
    cpu, wall = time.process_time(), time.perf_counter()
    summary = trainer.run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    scale = settings.steps / max(1, settings.steps - first)
    timing = {"train_seconds": wall * scale, "cpu_seconds": cpu * scale, "resumed_from_step": first,
              "seconds_estimated": first > 0}
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    return trainer, summary, timing


def run_all(specs: Sequence[Spec], key: Callable[[Spec], str], train: Callable[[Spec, Path], dict], cache: Path,
            describe: Callable[[Spec, dict], str], train_missing: bool = True,
            name: Callable[[Spec], str] | None = None) -> list[dict]:
    """Train every spec not yet in `cache` (train(spec, scratch folder)), unless told not to (a report of a
    grid still running); return the results of all that are there, in order. With `name`, each result's
    "model" is its spec's name rather than the one stored when it was trained: the cache is keyed by what a
    run trains, so when a preset's meaning moves, a run trained under the old meaning serves the variant
    that now spells that meaning out."""
    cache.mkdir(parents=True, exist_ok=True)
    todo = [s for s in specs if not (cache / f"{key(s)}.json").exists()]
    print(f"{len(specs)} runs, {len(specs) - len(todo)} already done ({cache})"
          + ("" if train_missing or not todo else f"; reporting without the other {len(todo)}"), flush=True)
    for i, spec in enumerate(todo if train_missing else [], 1):
        started = time.perf_counter()
        result = train(spec, cache / "partial" / key(spec))
        write_json(str(cache / f"{key(spec)}.json"), result)
        print(f"[{i}/{len(todo)}] {describe(spec, result)} in {time.perf_counter() - started:.0f} s", flush=True)
    results = [(s, json.loads((cache / f"{key(s)}.json").read_text())) for s in specs
               if (cache / f"{key(s)}.json").exists()]
    return [{**result, "model": name(s)} if name else result for s, result in results]
