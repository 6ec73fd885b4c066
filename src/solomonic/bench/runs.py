"""Long benchmark grids: each run's result in its own JSON file, so an interrupted grid resumes."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from solomonic.bench.record import write_json


def compiling(args) -> bool:
    """Whether a grid trains through torch.compile: as asked, else for full runs only (a --quick run is
    shorter than the one or two minutes each model takes to compile)."""
    return args.compile if args.compile is not None else not args.quick


def run_key(spec: object) -> str:
    return hashlib.sha1(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:16]


def run_all(specs: Sequence, key: Callable[[object], str], train: Callable[[object], dict], cache: Path,
            describe: Callable[[object, dict], str]) -> list[dict]:
    """Train every spec not yet in `cache`; return the results of all that are there, in order."""
    cache.mkdir(parents=True, exist_ok=True)
    todo = [s for s in specs if not (cache / f"{key(s)}.json").exists()]
    print(f"{len(specs)} runs, {len(specs) - len(todo)} already done ({cache})", flush=True)
    for i, spec in enumerate(todo, 1):
        started = time.perf_counter()
        result = train(spec)
        write_json(str(cache / f"{key(spec)}.json"), result)
        print(f"[{i}/{len(todo)}] {describe(spec, result)} in {time.perf_counter() - started:.0f} s", flush=True)
    return [json.loads((cache / f"{key(s)}.json").read_text()) for s in specs if (cache / f"{key(s)}.json").exists()]
