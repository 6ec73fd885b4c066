"""`solomonic check` on directories and packages: every .py and .c file found, in order; hidden
directories skipped; symbolic link loops, repeated directories and dangling links reported and not
followed; an unreadable directory reported while the walk goes on; a summary of the run."""

from __future__ import annotations

import os
import subprocess
import sys

from solomonic.reason.files import source_files


def tree(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_package_is_walked_in_order_for_python_and_c(tmp_path):
    tree(tmp_path, {"pkg/__init__.py": "", "pkg/b.py": "", "pkg/a.c": "", "pkg/sub/c.py": "", "pkg/notes.txt": "",
                    "pkg/header.h": "", "pkg/.hidden/d.py": "", "pkg/__pycache__/e.py": ""})
    found = source_files([str(tmp_path / "pkg")])
    names = [os.path.relpath(f, tmp_path) for f in found.files]
    assert names == ["pkg/__init__.py", "pkg/a.c", "pkg/b.py", "pkg/sub/c.py"]
    assert found.problems == found.skipped == []


def test_files_are_taken_as_given_even_missing_ones(tmp_path):
    found = source_files([str(tmp_path / "missing.py"), str(tmp_path / "x.txt")])
    assert found.files == [str(tmp_path / "missing.py"), str(tmp_path / "x.txt")]  # the loader says why not


def test_symbolic_link_loops_and_repeats_end_and_are_reported(tmp_path):
    tree(tmp_path, {"pkg/a.py": "", "pkg/sub/b.py": "", "other/c.py": ""})
    (tmp_path / "pkg" / "sub" / "up").symlink_to(tmp_path / "pkg")  # a loop
    (tmp_path / "pkg" / "again").symlink_to(tmp_path / "other")  # the same directory twice
    (tmp_path / "pkg" / "gone.py").symlink_to(tmp_path / "nowhere.py")  # dangling
    found = source_files([str(tmp_path / "pkg"), str(tmp_path / "other")])
    names = [os.path.relpath(f, tmp_path) for f in found.files]
    assert names == ["pkg/a.py", "pkg/again/c.py", "pkg/sub/b.py"]
    text = "\n".join(found.skipped)
    assert "pkg/sub/up: a symbolic link loop" in text
    assert "other: the same directory as" in text
    assert "gone.py: a symbolic link to nothing" in text
    assert found.problems == []


def test_an_unreadable_directory_is_reported_and_the_walk_goes_on(tmp_path, monkeypatch):
    tree(tmp_path, {"pkg/a.py": "", "pkg/locked/b.py": ""})
    scandir = os.scandir

    def refuse(path):  # as for a directory without read permission (chmod 0 does not stop root)
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return scandir(path)

    monkeypatch.setattr("solomonic.reason.files.os.scandir", refuse)
    found = source_files([str(tmp_path / "pkg")])
    assert [os.path.basename(f) for f in found.files] == ["a.py"]
    assert found.problems == [f"{tmp_path / 'pkg' / 'locked'}: cannot be read: Permission denied"]


def test_check_on_a_directory_reports_every_function_and_method_and_a_summary(tmp_path):
    tree(tmp_path, {
        "pkg/a.py": "def down(n):\n    while n > 0:\n        n -= 1\n    return n\n",
        "pkg/b.py": "class K:\n    def m(self, x):\n        return x\n\ndef each(xs):\n    for x in xs:\n"
                    "        pass\n",
        "pkg/broken.py": "def f(:\n",
    })
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")
    run = subprocess.run([sys.executable, "-m", "solomonic", "check", str(tmp_path / "pkg"), "-p", "terminates",
                          "--no-memory", "-q"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr  # unknowns, and a file that does not parse
    out = run.stdout
    assert "a.py:1: down: terminates: YES" in out and "assuming n: int" in out
    assert "b.py:2: K.m: terminates: YES" in out and "b.py:5: each: terminates: UNKNOWN" in out
    assert "summary: 3 questions about 3 functions in 2 files: 2 yes, 0 no, 1 unknown" in out
    assert "iteration over a value of unknown type" in out
    assert "broken.py:1: syntax error" in run.stderr and "a symbolic link loop" in run.stderr
