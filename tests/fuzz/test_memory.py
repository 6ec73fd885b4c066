"""The proof memory as found on disk: written by another version, truncated mid-write, overwritten with
random bytes or damaged inside, a directory where the file should be, and written by two processes at
once. Whatever the file holds, `check` answers what it answers without a memory, with no traceback."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from solomonic.reason.memory import APPLICATION_ID, SCHEMA_VERSION
from tests.fuzz.harness import fuzz, solomonic

BOUND_S = 120
PROGRAM = ("def inc(x: int) -> int:\n    assert x + 1 > x\n    return x\n\n"
           "def half(x: int) -> int:\n    assert x % 2 == 0\n    return x // 2\n")
RIGHT = {"inc": "yes", "half": "no"}  # what `check -p assert` answers without a memory


def verdicts(path: Path, memory: Path) -> dict[str, str]:
    run = solomonic("check", str(path), "--memory", str(memory), "--property", "assert", "--timeout", "5",
                    "--format", "json")
    run.assert_clean(BOUND_S)
    return {r["function"]: r["verdict"] for r in json.loads(run.stdout)}


def program(tmp_path: Path) -> Path:
    path = tmp_path / "program.py"
    path.write_text(PROGRAM)
    return path


def filled_store(tmp_path: Path) -> tuple[Path, bytes]:
    """A store holding this program's answers, in one file (its write-ahead log folded in)."""
    path, memory = program(tmp_path), tmp_path / "proofs.sqlite"
    assert verdicts(path, memory) == RIGHT
    db = sqlite3.connect(memory)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return memory, memory.read_bytes()


@fuzz(examples=4)
@given(keep=st.floats(0, 1))
def test_a_store_truncated_mid_write(tmp_path_factory, keep):
    tmp_path = tmp_path_factory.mktemp("memory")
    memory, data = filled_store(tmp_path)
    memory.write_bytes(data[:int(keep * len(data))])
    assert verdicts(tmp_path / "program.py", memory) == RIGHT


@fuzz(examples=4)
@given(offset=st.integers(0, 1 << 16), garbage=st.binary(min_size=1, max_size=4096))
def test_a_store_damaged_inside(tmp_path_factory, offset, garbage):
    tmp_path = tmp_path_factory.mktemp("memory")
    memory, data = filled_store(tmp_path)
    at = offset % len(data)
    memory.write_bytes(data[:at] + garbage + data[at + len(garbage):])
    assert verdicts(tmp_path / "program.py", memory) == RIGHT


def test_a_store_whose_table_layout_is_not_utf8(tmp_path):
    memory, data = filled_store(tmp_path)
    at = data.index(b", result TEXT")  # in the schema's CREATE TABLE text: a column named by a non-UTF-8 byte
    memory.write_bytes(data[:at] + b"`\x80" + data[at + 2:])
    assert verdicts(tmp_path / "program.py", memory) == RIGHT


@fuzz(examples=3)
@given(data=st.binary(max_size=20_000))
def test_a_store_of_random_bytes(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("memory")
    memory = tmp_path / "proofs.sqlite"
    memory.write_bytes(data)
    assert verdicts(program(tmp_path), memory) == RIGHT


def test_stores_written_by_other_versions(tmp_path):
    layouts = {"later schema": (APPLICATION_ID, SCHEMA_VERSION + 1, "answers (key TEXT PRIMARY KEY, proof BLOB)"),
               "another application": (0x12345678, SCHEMA_VERSION, "answers (key TEXT)"),
               # the same marks on another table: a later version that forgot to move the schema on
               "same marks, other columns": (APPLICATION_ID, SCHEMA_VERSION, "answers (key TEXT PRIMARY KEY, verdict TEXT)")}
    path = program(tmp_path)
    for name, (application, version, table) in layouts.items():
        memory = tmp_path / f"{name}.sqlite"
        db = sqlite3.connect(memory)
        db.execute(f"PRAGMA application_id = {application}")
        db.execute(f"PRAGMA user_version = {version}")
        db.execute(f"CREATE TABLE {table}")
        db.commit()
        db.close()
        run = solomonic("check", str(path), "--memory", str(memory), "-p", "assert", "--format", "json")
        run.assert_clean(BOUND_S)
        assert "could not be used" in run.stderr and "moved to" in run.stderr, (name, run.stderr)
        assert verdicts(path, memory) == RIGHT, name  # and the new store serves right answers


def test_a_directory_where_the_store_should_be_is_left_alone(tmp_path):
    memory = tmp_path / "cache"
    (memory / "keep").mkdir(parents=True)
    path = program(tmp_path)
    run = solomonic("check", str(path), "--memory", str(memory), "-p", "assert", "--format", "json")
    run.assert_clean(BOUND_S)
    assert run.stderr.count("is not a file") == 1  # said once, not once per question
    assert (memory / "keep").is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["cache", "program.py"]
    assert verdicts(path, memory) == RIGHT


def _check_into(path: str, memory: str, queue) -> None:
    run = solomonic("check", path, "--memory", memory, "-p", "assert", "--format", "json", "--jobs", "2")
    queue.put((run.status, run.stderr, run.stdout))


def test_two_processes_writing_the_store_at_once(tmp_path):
    path, memory = program(tmp_path), tmp_path / "proofs.sqlite"
    other = tmp_path / "other.py"
    other.write_text(PROGRAM.replace("def ", "def other_"))
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_check_into, args=(str(p), str(memory), queue)) for p in (path, other, path)]
    for w in workers:
        w.start()
    outcomes = [queue.get(timeout=BOUND_S) for _ in workers]
    for w in workers:
        w.join(BOUND_S)
        assert w.exitcode == 0
    for status, stderr, stdout in outcomes:
        assert status == 1 and "Traceback" not in stderr and "internal error" not in stdout + stderr, stderr
        assert "could not be used" not in stderr  # nobody found the store damaged by another's writes
    assert verdicts(path, memory) == RIGHT
    run = solomonic("check", str(path), "--memory", str(memory), "-p", "assert", "--format", "json")
    assert all(r["details"].get("from_memory") for r in json.loads(run.stdout))
