"""The shape of a hand-derived question, as benchmarks/network's questions files hold it.

`trace` asks for one packet's disposition, its hops in order and what blocks it; `reachable` for the verdict
over every packet the constraints allow, the witness's hops where one is reachable, and where none is, every
component that blocks the candidate paths on its own (an unsat core names one sufficient set of them). Hops
and arguments are written as one string each, split on spaces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def trace(source: str, to: str, args: str, disposition: str, hops: str, blocked_by: str | None,
          why: str) -> dict[str, Any]:
    return {"from": source, "to": to, "args": args.split(), "disposition": disposition, "hops": hops.split(),
            "blocked_by": blocked_by, "why": why}


def reachable(source: str, to: str, args: str, verdict: str, hops: str | None = None,
              blocked_by: tuple[str, ...] = (), why: str = "") -> dict[str, Any]:
    return {"question": "reachable", "from": source, "to": to, "args": args.split(), "verdict": verdict,
            "hops": hops.split() if hops else None, "blocked_by": list(blocked_by), "why": why}


@dataclass
class Architecture:
    """A snapshot folder's name, what it is (for the README), how to write it, and its questions."""

    name: str
    description: str
    write: Callable[[Path], None]
    questions: list[dict[str, Any]] = field(default_factory=list)
