"""A small corpus of the certificates task's kind (solomonic proposer corpus's JSON Lines)."""

import json
from pathlib import Path


def write_corpus(path: Path, count: int = 20) -> Path:
    rows = [{"loop": f"head 3 (line 4): x: int\nstep 3 -> 3 when (x > {i}): x := (x - 1)", "ranking": [f"x - {i}"],
             "invariant": f"x <= {1000 + i}", "proposal": f"(<= x {1000 + i})", "kind": "linear", "origin": "t", "function": "main", "line": 4}
            for i in range(count)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path
