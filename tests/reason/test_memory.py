"""The proof memory: the same question answered from memory; any change to what the answer depends on
asks again; a corrupt or foreign file is set aside, never trusted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.memory import ProofMemory
from solomonic.reason.result import Verdict

C_SOURCE = """
int step(int y) { return y; }
void g(int x, int y) {
  if (y > 0) { while (x > y) x = x - step(y); }
}
"""


def ask(path, memory, **kw):
    return {(r.function, r.property): r for r in check(str(path), memory=str(memory), timeout=10, **kw)}


def test_a_question_asked_again_is_answered_from_memory(tmp_path, monkeypatch):
    path, memory = tmp_path / "p.c", tmp_path / "proofs.sqlite"
    path.write_text(C_SOURCE)
    first = ask(path, memory, function="g")

    def no_analysis(*args, **kwargs):
        raise AssertionError("a remembered question was analysed again")

    monkeypatch.setattr("solomonic.reason.api.analyse", no_analysis)  # a lookup, not an analysis
    second = ask(path, memory, function="g")
    assert set(first) == set(second) and first
    for key, r in second.items():
        assert r.details.get("from_memory") is True, key
        assert r.verdict == first[key].verdict and r.certificate == first[key].certificate
    assert not any(r.details.get("from_memory") for r in first.values())


def test_editing_the_function_or_what_it_calls_asks_again(tmp_path):
    path, memory = tmp_path / "p.c", tmp_path / "proofs.sqlite"
    path.write_text(C_SOURCE)
    ask(path, memory, function="g", property="terminates")
    path.write_text(C_SOURCE.replace("return y;", "return y - 1;"))  # only the callee changes
    again = ask(path, memory, function="g", property="terminates")[("g", "terminates")]
    assert not again.details.get("from_memory")
    assert again.verdict == Verdict.NO  # step(1) = 0: the loop no longer moves
    other_model = ask(path, memory, function="g", property="terminates", data_model="ILP32")
    assert not other_model[("g", "terminates")].details.get("from_memory")  # options are part of the key


def test_an_unknown_is_retried_with_more_time(tmp_path):
    memory = ProofMemory(tmp_path / "proofs.sqlite")
    from solomonic.reason.result import Result

    memory.store("k", 1.0, Result("f.py", "f", "assert", Verdict.UNKNOWN, reason="timeout"))
    assert memory.lookup("k", 1.0) is not None and memory.lookup("k", 0.5) is not None
    assert memory.lookup("k", 5.0) is None
    memory.store("y", 1.0, Result("f.py", "f", "assert", Verdict.YES))
    assert memory.lookup("y", 60.0).verdict == Verdict.YES
    assert memory.stats()["entries"] == 2 and memory.clear() == 2 and memory.stats()["entries"] == 0


@pytest.mark.parametrize("kind", ["corrupt", "foreign"])
def test_a_corrupt_or_foreign_file_is_set_aside(tmp_path, capsys, kind):
    path = tmp_path / "proofs.sqlite"
    if kind == "corrupt":
        path.write_bytes(b"SQLite format 3\0" + b"\xff" * 3000)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE answers (key TEXT, verdict TEXT)")  # someone else's table of the same name
        db.execute("INSERT INTO answers VALUES ('k', 'yes')")
        db.commit()
        db.close()
    memory = ProofMemory(path)
    assert memory.lookup("k", 1.0) is None and memory.stats()["entries"] == 0
    assert "could not be used" in capsys.readouterr().err
    assert list(tmp_path.glob("proofs.sqlite.unreadable-*"))


def test_memory_command_and_no_memory(tmp_path):
    path, memory = tmp_path / "p.c", tmp_path / "proofs.sqlite"
    path.write_text(C_SOURCE)
    run = [sys.executable, "-m", "solomonic", "check", str(path), "-f", "g", "-p", "terminates", "--memory", str(memory)]
    subprocess.run(run, capture_output=True, text=True, timeout=120)
    again = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert "from memory" in again.stdout
    bypass = subprocess.run([*run, "--no-memory"], capture_output=True, text=True, timeout=120)
    assert "from memory" not in bypass.stdout and bypass.returncode == again.returncode == 0
    stats = subprocess.run([sys.executable, "-m", "solomonic", "memory", "stats", "--memory", str(memory)],
                           capture_output=True, text=True, timeout=60)
    assert stats.returncode == 0 and "1 answer (1 yes)" in stats.stdout
    cleared = subprocess.run([sys.executable, "-m", "solomonic", "memory", "clear", "--memory", str(memory)],
                             capture_output=True, text=True, timeout=60)
    assert "1 answer removed" in cleared.stdout


def test_the_engine_digest_covers_every_subpackage(tmp_path):
    """After the split into subpackages a changed engine must still invalidate old answers: a change to a
    module three folders down, or to the C front end's header, changes the digest."""
    import shutil
    from pathlib import Path

    import solomonic.reason
    from solomonic.reason.memory import source_digest

    root = tmp_path / "reason"
    shutil.copytree(Path(solomonic.reason.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__"))
    before = source_digest(root)
    assert source_digest(root) == before
    for nested in ("engines/termination/ranking.py", "frontends/c/include/sys/cdefs.h"):
        path = root / nested
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert source_digest(root) != before, nested
        path.write_bytes(original)
    assert source_digest(root) == before
    (root / "engines" / "termination" / "ranking.py").rename(root / "engines" / "ranking.py")  # moved, same bytes
    assert source_digest(root) != before
