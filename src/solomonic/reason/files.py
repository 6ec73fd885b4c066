"""Which source files the paths on a command line name: files as given, directories and packages walked.

A directory is walked recursively, in sorted order, for Python (`.py`) and C (`.c`) files; hidden
directories (`.git`, `.venv`) and `__pycache__` are skipped. Symbolic links to directories are followed
once: a link back into a directory already being walked (a loop) or to one already walked is reported,
not followed, so a walk always ends. What cannot be read is reported, and the walk goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

WALKED_SUFFIXES = (".py", ".c")


@dataclass
class Found:
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be read: the path and why
    skipped: list[str] = field(default_factory=list)  # links not followed (loops, repeats, dangling): why


def source_files(paths: list[str]) -> Found:
    """The files to check, in order, for `paths`; a path that is a file is taken as it is (the loader
    says if it cannot read it), a directory is walked."""
    found = Found()
    walked: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            _walk(path, found, walked, stack=set())
        else:
            found.files.append(path)
    return found


def _walk(directory: str, found: Found, walked: set[str], stack: set[str]) -> None:
    real = os.path.realpath(directory)
    if real in stack:
        found.skipped.append(f"{directory}: a symbolic link loop (back to {real}); not followed")
        return
    if real in walked:
        found.skipped.append(f"{directory}: the same directory as {real}, already checked; not followed")
        return
    walked.add(real)
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        found.problems.append(f"{directory}: cannot be read: {err.strerror}")
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        try:
            is_dir = entry.is_dir()  # follows a symbolic link
        except OSError as err:
            found.problems.append(f"{entry.path}: cannot be read: {err.strerror}")
            continue
        if is_dir:
            _walk(entry.path, found, walked, stack | {real})
        elif entry.name.endswith(WALKED_SUFFIXES) and (entry.is_file() or entry.is_symlink()):
            if entry.is_symlink() and not os.path.exists(entry.path):
                found.skipped.append(f"{entry.path}: a symbolic link to nothing; not followed")
                continue
            found.files.append(entry.path)
