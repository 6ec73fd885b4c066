"""replacing_directory under kills: whatever step a writer dies at, a loader finds the whole old or the whole
new directory, and the next writer clears what the dead one left."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from solomonic import atomic
from solomonic.atomic import recover, replacing_directory

OLD = {"weights": "old weights " * 200, "config": "old config", "sub/tokenizer": "old tokenizer"}
NEW = {"weights": "new weights " * 300, "config": "new config", "sub/tokenizer": "new tokenizer"}
NEWER = {"weights": "newer"}
OPERATIONS = ("fsync", "rename", "replace", "unlink", "rmdir")  # the os calls a save's progress is made of


def write(directory: Path, files: dict[str, str], step=lambda: None) -> None:
    for name, text in files.items():
        step()
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)


def read(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): p.read_text() for p in directory.rglob("*") if p.is_file()}


def exchange_works(tmp_path: Path) -> bool:
    a, b = tmp_path / "probe-a", tmp_path / "probe-b"
    a.mkdir()
    b.mkdir()
    try:
        return atomic._exchange(a, b)
    finally:
        shutil.rmtree(a)
        shutil.rmtree(b)


def save_dying_at(target: Path, kill_at: int, exchange: bool, counter: Path) -> int:
    """Write NEW over `target` in a forked child that SIGKILLs itself at its `kill_at`-th step (a file
    written, or one of OPERATIONS, or the exchange); returns the child's exit status. The child records
    how many steps it reached, so a run that is never killed counts them all."""
    pid = os.fork()
    if pid:
        return os.waitpid(pid, 0)[1]
    try:
        steps = 0

        def step() -> None:
            nonlocal steps
            steps += 1
            counter.write_text(str(steps))
            if steps == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        def dying(function):
            def call(*args, **kwargs):
                step()
                return function(*args, **kwargs)
            return call

        for name in OPERATIONS:
            setattr(os, name, dying(getattr(os, name)))
        atomic._exchange = dying(atomic._exchange if exchange else lambda a, b: False)
        with replacing_directory(target) as staging:
            write(staging, NEW, step)
        os._exit(0)
    except BaseException:
        os._exit(1)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
@pytest.mark.parametrize("first", [False, True], ids=["replacing", "first-save"])
def test_a_writer_killed_at_any_step_leaves_the_old_or_the_new_directory(tmp_path, exchange, first):
    if exchange and not exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) on this system or filesystem")
    counter = tmp_path / "steps"

    def fresh(run: str) -> Path:
        target = tmp_path / run / "checkpoint"
        if not first:
            with replacing_directory(target) as staging:
                write(staging, OLD)
        return target

    assert save_dying_at(fresh("whole"), 0, exchange, counter) == 0
    assert read(tmp_path / "whole" / "checkpoint") == NEW
    total = int(counter.read_text())
    assert total >= len(NEW) + 5  # the files, their fsyncs, the swap: each step below is a real one
    outcomes = set()
    for kill_at in range(1, total + 1):
        target = fresh(f"killed-{kill_at}")
        status = save_dying_at(target, kill_at, exchange, counter)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (kill_at, status)
        if exchange and not first:
            assert target.is_dir(), kill_at  # the exchange never leaves a moment without a target
        recover(target)
        if first and not target.exists():
            outcomes.add("none")
        else:
            found = read(target)
            assert found in (OLD, NEW), (kill_at, sorted(found))
            outcomes.add("old" if found == OLD else "new")
        with replacing_directory(target) as staging:  # the next save works and clears the leftovers
            write(staging, NEWER)
        assert read(target) == NEWER
        assert sorted(os.listdir(target.parent)) == ["checkpoint"], kill_at
    assert outcomes == ({"none", "new"} if first else {"old", "new"})


def test_the_moment_between_two_renames_is_recovered_by_the_next_loader(tmp_path):
    target = tmp_path / "checkpoint"
    with replacing_directory(target) as staging:
        write(staging, OLD)
    os.rename(target, tmp_path / ".checkpoint.old")  # what a kill between the two renames leaves
    (tmp_path / ".checkpoint.staging-dead").mkdir()
    recover(target)
    assert read(target) == OLD
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"]


def test_a_reader_leaves_a_live_writers_staging_directory_alone(tmp_path):
    target = tmp_path / "checkpoint"
    with replacing_directory(target) as staging:
        write(staging, OLD)
    with replacing_directory(target) as staging:
        write(staging, NEW)
        recover(target)  # a loader, meanwhile (the lock is per open file, so one process shows it)
        assert read(staging) == NEW
    assert read(target) == NEW
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"]


def test_a_failing_block_leaves_the_target_and_nothing_else(tmp_path):
    target = tmp_path / "checkpoint"
    with replacing_directory(target) as staging:
        write(staging, OLD)
    with pytest.raises(RuntimeError), replacing_directory(target) as staging:
        write(staging, NEW)
        raise RuntimeError
    assert read(target) == OLD
    assert sorted(os.listdir(tmp_path)) == ["checkpoint"]


def test_recovering_what_was_never_written_does_nothing(tmp_path):
    recover(tmp_path / "missing" / "checkpoint")
    recover(tmp_path / "checkpoint")
    assert list(tmp_path.iterdir()) == []
