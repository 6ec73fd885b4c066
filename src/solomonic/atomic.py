"""Writing a directory so that readers see the old one or the new one, never half of either.

The new content goes into a hidden staging directory beside the target (`.NAME.staging-*`), is made durable
(every file and directory fsynced) and is then swapped in. On Linux the swap is one
renameat2(RENAME_EXCHANGE), so a target exists at every moment. Elsewhere, or on a filesystem without the
exchange, the old target is first renamed to `.NAME.old`, and until the second rename there is no target:
`recover`, which every loader calls first, puts `.NAME.old` back when a kill fell in that moment, and removes
what dead writers left behind.

Two advisory locks (flock, released by the kernel when their holder dies) keep a reader from mistaking a
live writer for a dead one: a writer holds the lock of its staging directory for as long as it writes, so
only unlocked staging directories are abandoned; and the swap, the restore and the clean-up happen under the
parent directory's lock, so a reader never restores `.NAME.old` in the middle of a writer's two renames.
The parent's lock is never held while the caller's code runs, so nested or concurrent writers in one
directory do not deadlock.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

_AT_FDCWD = -100  # <fcntl.h>: paths relative to the working directory
_RENAME_EXCHANGE = 2  # <linux/fs.h>


def _find_renameat2():
    """libc's renameat2 (glibc 2.28 and later), or None where this platform has no such call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _find_renameat2()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False where the kernel or the filesystem cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _old(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.staging-"


def _fsync(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Every file and directory under `root`, children before parents: once the swap is on disk, so is
    everything it makes visible."""
    for directory, _, files in os.walk(root, topdown=False):
        for name in files:
            path = os.path.join(directory, name)
            if not os.path.islink(path):
                _fsync(path)
        _fsync(directory)


def _lock(path: Path, wait: bool = True) -> int:
    """An open descriptor of `path` holding its exclusive flock (closing it releases the lock); raises
    BlockingIOError when `wait` is false and another descriptor holds it."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = _lock(path)
    try:
        yield
    finally:
        os.close(fd)


def _abandoned(staging: Path) -> bool:
    """Whether no live writer holds `staging` (its writer died, or it vanished meanwhile: False)."""
    try:
        fd = _lock(staging, wait=False)
    except (BlockingIOError, FileNotFoundError):
        return False
    os.close(fd)
    return True


def _leftovers(target: Path) -> list[Path]:
    prefix, old = _staging_prefix(target), _old(target).name
    return [target.parent / name for name in os.listdir(target.parent) if name == old or name.startswith(prefix)]


def _repair(target: Path) -> None:
    """Under the parent's lock: put `.NAME.old` back if a kill left no target, then remove what dead
    writers left (a `.NAME.old` beside a complete target, abandoned staging directories)."""
    old = _old(target)
    if not target.exists() and old.exists():
        os.rename(old, target)
        _fsync(target.parent)
    shutil.rmtree(old, ignore_errors=True)
    for path in _leftovers(target):
        if path != old and _abandoned(path):
            shutil.rmtree(path, ignore_errors=True)


def recover(target: str | os.PathLike) -> None:
    """Bring `target` back to a complete checkpoint after a writer was killed midway, and clear what it
    left. Every loader calls this before reading; it touches nothing (and needs no write access) in the
    common case of a complete target with nothing beside it."""
    target = Path(target)
    if not target.parent.is_dir():
        return
    if target.exists() and not _leftovers(target):
        return
    if not target.exists() and not _old(target).exists():
        return  # nothing to restore (never written, or only a first write that died): the loader says so
    with _locked(target.parent):
        _repair(target)


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` in `target`'s place, durably, and remove the replaced content."""
    if not target.exists():
        os.rename(staging, target)
        discarded = None
    elif _exchange(staging, target):
        discarded = staging  # the old content, now under the staging name
    else:
        discarded = _old(target)
        os.rename(target, discarded)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(discarded, target)
            raise
    _fsync(target.parent)
    if discarded is not None:
        shutil.rmtree(discarded, ignore_errors=True)


@contextlib.contextmanager
def replacing_directory(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh staging directory beside `target`; when the block ends normally it takes `target`'s
    place. An exception leaves `target` as it was; a kill at any moment leaves the complete old or the
    complete new content, found by `recover` (which also clears the rest at the next call)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        _repair(target)  # a dead writer's staging directory may be as large as this checkpoint
        staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
        claim = _lock(staging)  # taken before the parent's lock is released: never seen unclaimed
    try:
        yield staging
        _fsync_tree(staging)
        with _locked(target.parent):
            _repair(target)  # another writer of the same target may have died since
            _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.close(claim)
