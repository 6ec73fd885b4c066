"""An offline language-modelling corpus: the Python standard library's own source on this machine.

Every `*.py` file under `sysconfig.get_paths()["stdlib"]` (site-packages excluded), in sorted order, as
UTF-8 bytes (the byte-level tokenizer: no vocabulary to train, nothing to download). The split is fixed
by file, not by position: a file whose relative path has CRC-32 ≡ 0 (mod 50) is validation (about 2 %),
so no function is split between the two. The corpus depends on the Python version installed; its
identity (version, file counts, bytes) is recorded with every result.
"""

from __future__ import annotations

import functools
import sys
import sysconfig
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEPARATOR = b"\n\n"


@dataclass(frozen=True)
class Corpus:
    train: np.ndarray  # uint8 tokens
    validation: np.ndarray
    description: str


def is_validation(relative: str) -> bool:
    return zlib.crc32(relative.encode()) % 50 == 0


@functools.cache
def stdlib_corpus() -> Corpus:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)
    parts: dict[bool, list[bytes]] = {False: [], True: []}
    for path in files:
        parts[is_validation(path.relative_to(root).as_posix())].append(path.read_bytes())
    train, validation = (np.frombuffer(SEPARATOR.join(parts[v]), dtype=np.uint8) for v in (False, True))
    description = (f"Python {sys.version.split()[0]} standard library ({root}): {len(parts[False])} training files, "
                   f"{len(parts[True])} validation files; {train.size:,} / {validation.size:,} bytes")
    return Corpus(train, validation, description)
