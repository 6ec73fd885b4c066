"""The Python campaign: batches written, asked every property by `check`, judged by CPython, counted."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from solomonic.bench.soundness.python.judge import judge
from solomonic.bench.soundness.python.writer import BATCH, write_batch

PROPERTIES = ("returns-true", "assert", "terminates")
VERSION = 2  # of the writer and the judge: cached batches from another version are redone (2: untyped ints)


def campaign(count: int, seed: int, timeout_s: float, jobs: int,
             on_progress: Callable[[int], None] | None = None) -> dict:
    """Write `count` functions from `seed`, ask `check` every property of each, judge every answer."""
    started = time.monotonic()
    parts = []
    with tempfile.TemporaryDirectory(prefix="solomonic-soundness-") as folder:
        for index in range((count + BATCH - 1) // BATCH):
            size = min(BATCH, count - index * BATCH)
            parts.append(run_batch(seed, index, size, timeout_s, jobs, Path(folder)))
            if on_progress is not None:
                on_progress(sum(p["functions"] for p in parts))
    return summary(parts, time.monotonic() - started)


def run_batch(seed: int, index: int, count: int, timeout_s: float, jobs: int, workdir: Path) -> dict:
    """One file of the campaign: its verdict counts per property, its unknowns' reasons, and its
    disagreements. Batches depend on (seed, index) alone, so a long campaign can be run in pieces."""
    from solomonic.reason.api import check

    batch = write_batch(seed, index, count)
    module = workdir / f"batch_{seed}_{index}.py"
    module.write_text(batch.source)
    results = {prop: check(str(module), property=prop, timeout=timeout_s, jobs=jobs) for prop in PROPERTIES}
    verdicts = {prop: Counter(r.verdict.value for r in answers) for prop, answers in results.items()}
    reasons = Counter(_reason_kind(r.reason) for answers in results.values() for r in answers
                      if r.verdict.value == "unknown")
    return {"functions": len(batch.functions), "verdicts": {p: dict(c) for p, c in verdicts.items()},
            "unknown_reasons": dict(reasons), "disagreements": judge(batch, module, results, seed, workdir)}


def summary(parts: list[dict], seconds: float) -> dict:
    """The campaign's result from its batches' (`run_batch`)."""
    verdicts = ("yes", "no", "unknown")
    by_property = {prop: {v: sum(p["verdicts"][prop].get(v, 0) for p in parts) for v in verdicts}
                   for prop in PROPERTIES}
    reasons: Counter = Counter()
    for p in parts:
        reasons.update(p["unknown_reasons"])
    return {
        "questions": sum(sum(counts.values()) for counts in by_property.values()),
        **{v: sum(counts[v] for counts in by_property.values()) for v in ("yes", "no", "unknown")},
        "by_property": by_property,
        "disagreements": [d for p in parts for d in p["disagreements"]],
        "seconds": round(seconds, 1),
        "unknown_reasons": dict(reasons.most_common(20)),
    }


def _reason_kind(reason: str) -> str:
    """An unknown's reason without its file and line, so that like reasons count together."""
    if reason.startswith("unsupported at "):
        return "unsupported: " + reason.split(": ", 1)[-1][:80]
    if reason.startswith("timeout"):
        return "timeout"
    return reason[:80]
