"""`solomonic check --fail-on`, and the pre-commit hook (.pre-commit-hooks.yaml) built on it: a replayed "no"
fails, an unknown answer passes under --fail-on no, bad input fails either way."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from solomonic.cli import main

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {
    "holds.py": "def f(x: int):\n    if x > 0:\n        assert x >= 1\n",
    "violated.py": "def f(x: int):\n    assert x != 3\n",
    # Fermat's last theorem for cubes: it holds, so no witness exists, and no solver proves it: unknown.
    "fermat.py": "def f(x: int, y: int, z: int):\n    if x > 0 and y > 0 and z > 0:\n"
                 "        assert x * x * x + y * y * y != z * z * z\n",
    "floating.c": "int f(float x) { return x > 0; }\n",  # floating point: unknown
    "broken.py": "def f(x:\n",  # not Python: bad input
}


@pytest.fixture
def sources(tmp_path):
    for name, text in SOURCES.items():
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize("names, default, fail_on_no", [
    (["holds.py"], 0, 0),
    (["fermat.py"], 2, 0),
    (["floating.c"], 2, 0),
    (["holds.py", "fermat.py", "floating.c"], 2, 0),
    (["violated.py", "fermat.py"], 1, 1),
    (["broken.py"], 2, 2),
    (["holds.py", "broken.py"], 2, 2),
])
def test_exit_status_follows_the_fail_on_policy(sources, names, default, fail_on_no, capsys):
    files = [str(sources / name) for name in names]
    assert main(["check", "--property", "assert", "--timeout", "2", *files]) == default
    assert main(["check", "--property", "assert", "--timeout", "2", "--fail-on", "no", *files]) == fail_on_no
    capsys.readouterr()


def hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["solomonic-check"]
    return hooks[0]


def test_the_hook_fails_on_a_violation_only(sources, capsys):
    """The hook's own command line (entry, default args, then the changed files, as pre-commit runs it)."""
    definition = hook()
    command = shlex.split(definition["entry"]) + definition["args"] + ["--timeout", "2"]  # as a user's args may
    assert command[:2] == ["solomonic", "check"]
    run = lambda *names: main(command[1:] + [str(sources / n) for n in names])  # noqa: E731
    assert run("holds.py", "fermat.py", "floating.c") == 0
    assert run("holds.py", "violated.py") == 1
    assert "witness: f(x=3)" in capsys.readouterr().out  # the failure shows its counterexample


def test_the_hook_is_given_only_files_check_reads():
    definition = hook()
    pattern = re.compile(definition["files"])
    assert [n for n in ("a.py", "b/c.c", "d.h", "e.pyi", "script", "f.py.txt") if pattern.search(n)] == ["a.py", "b/c.c"]
    assert set(definition["types_or"]) == {"python", "c"} and definition["language"] == "python"


def test_the_hook_installs_an_extra_that_exists():
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for requirement in hook()["additional_dependencies"]:
        match = re.fullmatch(r"\.\[(\w+)\]", requirement)
        assert match and match.group(1) in extras, requirement
