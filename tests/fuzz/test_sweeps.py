"""`solomonic check DIRECTORY` over hostile trees: symbolic link loops (a directory's and a file's own),
a FIFO and a device among the sources, an unreadable file, a file that vanishes between the walk and
its reading. Each ends, says what it could not read in one line naming it, and checks the rest."""

from __future__ import annotations

import os
import sys

import pytest

from solomonic.reason import files
from tests.fuzz.harness import solomonic, solomonic_process

BOUND_S = 60
QUICK = ("--no-memory", "--timeout", "1", "--property", "assert", "--format", "json")
GOOD = "def f(x: int) -> int:\n    assert x * x >= 0\n    return x\n"


def tree(root, names) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(GOOD)


def answered(run) -> set[str]:
    return {os.path.basename(line.split('"file": "')[1].split('"')[0]) for line in run.stdout.splitlines()
            if '"file": ' in line}


def test_link_loops_end(tmp_path):
    tree(tmp_path, ["pkg/a.py", "pkg/sub/b.py"])
    (tmp_path / "pkg" / "sub" / "up").symlink_to(tmp_path / "pkg")  # a loop through directories
    (tmp_path / "pkg" / "self.py").symlink_to(tmp_path / "pkg" / "self.py")  # a link to itself
    (tmp_path / "pkg" / "ping.py").symlink_to(tmp_path / "pkg" / "pong.py")  # two links to each other
    (tmp_path / "pkg" / "pong.py").symlink_to(tmp_path / "pkg" / "ping.py")
    run = solomonic_process("check", str(tmp_path / "pkg"), *QUICK, bound_s=BOUND_S)
    run.assert_clean(BOUND_S)
    assert answered(run) == {"a.py", "b.py"}
    assert "symbolic link loop" in run.stderr


def test_a_fifo_and_a_device_are_refused_not_read(tmp_path):
    tree(tmp_path, ["pkg/a.py"])
    os.mkfifo(tmp_path / "pkg" / "fifo.py")  # reading it would wait for a writer forever
    (tmp_path / "pkg" / "linked.py").symlink_to(tmp_path / "pkg" / "fifo.py")
    (tmp_path / "pkg" / "zero.py").symlink_to("/dev/zero")  # reading it never ends either
    run = solomonic_process("check", str(tmp_path / "pkg"), *QUICK, bound_s=BOUND_S)
    run.assert_clean(BOUND_S)
    assert answered(run) == {"a.py"}
    assert "linked.py: not a regular file" in run.stderr and "zero.py: not a regular file" in run.stderr
    named = solomonic_process("check", str(tmp_path / "pkg" / "fifo.py"), *QUICK, bound_s=BOUND_S)
    named.assert_clean(BOUND_S)
    assert named.status == 2 and "fifo.py: not a regular file" in named.stderr


def test_an_unreadable_file_is_reported_and_the_rest_checked(tmp_path):
    tree(tmp_path, ["pkg/a.py", "pkg/locked.py"])
    locked = tmp_path / "pkg" / "locked.py"
    locked.chmod(0)
    try:
        try:
            locked.read_bytes()
            pytest.skip("chmod 0 does not deny reading here (running as root)")
        except PermissionError:
            pass
        run = solomonic("check", str(tmp_path / "pkg"), *QUICK)
    finally:
        locked.chmod(0o644)
    run.assert_clean(BOUND_S)
    assert run.status == 2 and answered(run) == {"a.py"}
    assert f"{locked}: cannot be read: Permission denied" in run.stderr


def test_a_file_that_vanishes_after_the_walk(tmp_path, monkeypatch):
    tree(tmp_path, ["pkg/a.py", "pkg/b.py", "pkg/c.c"])
    walk = files.source_files

    def walk_then_delete(paths):
        found = walk(paths)
        (tmp_path / "pkg" / "b.py").unlink()
        (tmp_path / "pkg" / "c.c").unlink()
        return found

    monkeypatch.setattr(files, "source_files", walk_then_delete)
    run = solomonic("check", str(tmp_path / "pkg"), *QUICK)
    run.assert_clean(BOUND_S)
    assert run.status == 2 and answered(run) == {"a.py"}
    assert "b.py: cannot be read: No such file or directory" in run.stderr
    assert "c.c: cannot be read: No such file or directory" in run.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="/proc")
def test_a_directory_that_is_not_a_tree(tmp_path):
    """A walk given a path under /proc (files whose size is 0 and whose reading may not end) ends."""
    (tmp_path / "self.py").symlink_to("/proc/self/status")
    run = solomonic("check", str(tmp_path), *QUICK)
    run.assert_clean(BOUND_S)
    assert run.status == 2 and "self.py" in run.stderr
