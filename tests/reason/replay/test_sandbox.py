"""The sandbox replays run in: none of the caller's environment, its own working directory, its limits,
no network where the machine allows, no new processes where seccomp allows, and nothing left running
once it returns."""

from __future__ import annotations

import json
import socket
import subprocess
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


def test_a_timeout_kills_what_the_run_started_where_processes_can_be_started(tmp_path, monkeypatch):
    """Without the process filter (a machine without seccomp), a grandchild in the background would
    outlive a kill of the first process alone: the session is killed whole."""
    monkeypatch.setattr(sandbox, "_process_filter", lambda: None)
    code = ("import subprocess, sys, time; "
            "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
            "print(p.pid, flush=True); time.sleep(60)")
    started = time.monotonic()
    ran = python(code, tmp_path, timeout_s=2)
    assert ran.timed_out and time.monotonic() - started < 20
    grandchild = int(ran.stdout.decode().split()[0])
    assert not _alive(grandchild)


def processes_are_filtered() -> None:
    if "no new processes" not in sandbox.isolation():
        pytest.skip(f"this machine: {sandbox.isolation()}")


# Every way Python has to start a process, each tried once; what each did, as JSON.
SPAWNERS = """
import json, os, subprocess, sys, threading
done = {}
def attempt(name, start):
    try:
        start()
        done[name] = "started"
    except OSError as err:
        done[name] = err.errno
attempt("fork", os.fork)
attempt("subprocess", lambda: subprocess.run(["true"]))  # vfork or clone(CLONE_VM | CLONE_VFORK)
attempt("posix_spawn", lambda: os.posix_spawn("/bin/true", ["true"], {}))
thread = threading.Thread(target=lambda: done.setdefault("thread", "ran"))
thread.start()
thread.join()
print(json.dumps(done))
"""


def test_no_process_can_be_started_but_threads_run(tmp_path):
    processes_are_filtered()
    ran = python(SPAWNERS, tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {"fork": 1, "subprocess": 1, "posix_spawn": 1, "thread": "ran"}  # 1: EPERM


def test_a_fork_bomb_stops_at_its_first_fork_and_leaves_nothing(tmp_path):
    """The classic bomb, every child recording its pid at an absolute path (which the sandbox does not
    hide): under the filter no fork succeeds, the run ends at its clock, and no pid but its own is
    recorded, nor alive afterwards."""
    processes_are_filtered()
    pids = tmp_path / "pids"
    code = (f"import os\nopen({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
            "while True:\n    try:\n        if os.fork() == 0:\n"
            f"            open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
            "    except OSError:\n        pass\n")
    started = time.monotonic()
    ran = python(code, tmp_path, timeout_s=2)
    assert ran.timed_out and time.monotonic() - started < 20
    recorded = [int(pid) for pid in pids.read_text().split()]
    assert len(recorded) == 1 and not _alive(recorded[0])


def test_a_32_bit_program_cannot_fork_either(tmp_path):
    """An ILP32 replay is a 32-bit process, whose system calls go through another table: the filter
    covers it too (and lets it run)."""
    from solomonic.reason.replay.c import can_compile_32bit

    processes_are_filtered()
    if not can_compile_32bit():
        pytest.skip("gcc -m32 is not available")
    source = tmp_path / "fork.c"
    source.write_text('#include <stdio.h>\n#include <unistd.h>\n'
                      'int main(void) { int ok = fork() >= 0; printf("%d\\n", ok); return 0; }\n')
    subprocess.run(["gcc", "-m32", str(source), "-o", str(tmp_path / "fork")], check=True)
    ran = sandbox.run([str(tmp_path / "fork")], str(tmp_path), LIMITS, 10)
    assert ran.returncode == 0 and ran.stdout == b"0\n"


def test_where_the_kernel_refuses_the_filter_the_run_goes_on_and_says_so(tmp_path, monkeypatch):
    """The filter is not probed by a process of its own: the first replay finds out, in its child."""
    def refused() -> None:
        raise OSError(22, "Invalid argument")

    if sandbox.seccomp is None:
        pytest.skip(f"this machine: {sandbox.isolation()}")
    monkeypatch.setattr(sandbox, "_filter_refused", None)
    monkeypatch.setattr(sandbox, "_build_process_filter", lambda: refused)
    assert sandbox.isolation().endswith("no new processes (seccomp)")  # not known before a run
    ran = python("print('ran')", tmp_path)
    assert ran.returncode == 0 and ran.stdout == b"ran\n"
    assert sandbox.isolation().endswith("processes not limited (the kernel refused the seccomp filter: "
                                        "Exception occurred in preexec_fn.)")


def test_isolation_says_what_is_enforced():
    network, processes = sandbox.isolation().split(", ", 1)
    assert network in ("no network (own network namespace)",
                       "network reachable (user namespaces are not available here)")
    assert processes == "no new processes (seccomp)" or processes.startswith("processes not limited (")


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
