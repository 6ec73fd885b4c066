"""The sandbox replays run in: none of the caller's environment, its own working directory, its limits,
no network where the machine allows, and nothing left running once it returns."""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

import pytest

from solomonic.reason.replay import sandbox

LIMITS = sandbox.Limits(cpu_s=10, memory_mb=512)


def python(code: str, workdir: Path, timeout_s: float = 30, limits: sandbox.Limits = LIMITS) -> sandbox.Outcome:
    return sandbox.run([sys.executable, "-c", code], str(workdir), limits, timeout_s)


def test_the_callers_environment_is_not_passed_on(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    ran = python("import json, os; print(json.dumps(sorted(os.environ)))", tmp_path)
    assert set(json.loads(ran.stdout)) <= {"PATH", "LANG", "LC_CTYPE"}  # LC_CTYPE: CPython's locale coercion


def test_it_runs_in_the_directory_it_is_given_with_stdin_closed(tmp_path):
    ran = python("import os, sys; print(os.getcwd()); print(repr(sys.stdin.read()))", tmp_path)
    assert ran.stdout.decode().splitlines() == [str(tmp_path), "''"]


def test_a_memory_hog_fails_at_its_limit(tmp_path):
    ran = python("x = bytearray(2 << 30)", tmp_path)
    assert ran.returncode not in (0, None) and b"MemoryError" in ran.stderr


def test_a_file_larger_than_the_limit_cannot_be_written(tmp_path):
    ran = python("open('big', 'wb').write(b'x' * (8 << 20))", tmp_path,
                 limits=sandbox.Limits(cpu_s=10, memory_mb=512, file_mb=1))
    assert ran.returncode != 0
    assert (tmp_path / "big").stat().st_size <= 1 << 20


def test_a_timeout_kills_what_the_run_started(tmp_path):
    """A grandchild in the background would outlive a kill of the first process alone."""
    code = ("import subprocess, sys, time; "
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            "print(p.pid, flush=True); time.sleep(60)")
    started = time.monotonic()
    ran = python(code, tmp_path, timeout_s=2)
    assert ran.timed_out and time.monotonic() - started < 20
    grandchild = int(ran.stdout.decode().split()[0])
    assert not _alive(grandchild)


def test_the_network_is_out_of_reach_where_namespaces_allow(tmp_path):
    if not sandbox.isolation().startswith("no network"):
        pytest.skip(f"this machine: {sandbox.isolation()}")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        ran = python(f"import socket; print(socket.socket().connect_ex(('127.0.0.1', {port})))", tmp_path)
    assert ran.returncode == 0 and ran.stdout.decode().strip() != "0"


def _alive(pid: int) -> bool:
    """Whether pid runs (a zombie waiting for its parent to reap it does not), after a moment to die."""
    time.sleep(0.5)
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
