"""Writing a directory so that readers see the old one or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing_directory(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh staging directory beside `target`; when the block ends normally it takes
    `target`'s place (the old one set aside, then removed). An exception, or a kill, leaves `target`
    as it was, plus at most a hidden staging directory that the next call does not reuse."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        old = target.with_name(f".{target.name}.old")
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
