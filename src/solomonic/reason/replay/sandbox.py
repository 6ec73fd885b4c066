"""Running the code under analysis: a witness's replay runs a stranger's program (a C harness linked
with their function, a Python module imported with its top-level code), so it runs with as little of
the caller's rights as the operating system allows.

- a private working directory (the caller's temporary one, deleted with it), standard input closed;
- a clean environment: a minimal `PATH` and `LANG` and what the replay itself needs, none of the
  caller's variables (tokens, credentials, `HOME`);
- resource limits (`setrlimit`): CPU time, address space, open files, the size of any file it writes,
  no core dumps;
- its own session, so a timeout, or the end of the run, kills everything it started, not just the first
  process (there is no limit on the number of processes: `RLIMIT_NPROC` counts every process of the
  user, and does not bind root at all, so it cannot be set to a small number here);
- no network, where unprivileged user namespaces allow it: `unshare --user --map-root-user --net`
  gives it a network namespace with nothing but a loopback device that is down. Where they are not
  available (some containers forbid them) the run goes on with the network reachable, and
  `isolation()` says so, for the answer to report.

What this cannot stop without a mount namespace and a read-only view of the file system: a program
that writes with an absolute path the caller can write. SECURITY.md states the threat model.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MINIMAL_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
# Checked once per process: a user namespace of its own with a network namespace inside it.
_NETNS_PREFIX = ("unshare", "--user", "--map-root-user", "--net")


@dataclass(frozen=True)
class Limits:
    """What one replay may use. The wall-clock limit is `run`'s timeout; CPU time is bounded too so
    that a replay that forks cannot multiply it."""

    cpu_s: float
    memory_mb: int = 2048
    open_files: int = 64
    file_mb: int = 64


@dataclass(frozen=True)
class Outcome:
    returncode: int | None  # None: killed at the wall-clock limit
    stdout: bytes
    stderr: bytes

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


_refusal: str | None = None  # why this process runs no code under analysis at all (`forbid`)


def forbid(reason: str) -> None:
    """From now on this process runs no code under analysis: every replay is refused, saying `reason`,
    so no "no" is confirmed (`check --no-replay`; the analysis runs in a child process of its own)."""
    global _refusal
    _refusal = reason


def refusal() -> str | None:
    """Why replays are refused in this process, or None where they run."""
    return _refusal


@functools.cache
def isolation() -> str:
    """How replays are isolated from the network on this machine, in words for the answers."""
    return "no network (own network namespace)" if _network_namespaces() else \
        "network reachable (user namespaces are not available here)"


@functools.cache
def _network_namespaces() -> bool:
    try:
        done = subprocess.run([*_NETNS_PREFIX, "true"], capture_output=True, timeout=10, env=MINIMAL_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def run(argv: Sequence[str], workdir: str, limits: Limits, timeout_s: float,
        env: Mapping[str, str] | None = None) -> Outcome:
    """Run argv in workdir under `limits`, without the caller's environment or (where possible) the
    network; kill its whole session after timeout_s seconds."""
    command = [*_NETNS_PREFIX, *argv] if _network_namespaces() else list(argv)
    process = subprocess.Popen(command, cwd=workdir, env={**MINIMAL_ENV, **(env or {})},
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, preexec_fn=functools.partial(_limit, limits))
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_session(process)
        stdout, stderr = process.communicate()
        return Outcome(None, stdout, stderr)
    finally:
        _kill_session(process)  # whatever it left running in its session
    return Outcome(process.returncode, stdout, stderr)


def _kill_session(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the session has already ended
        os.killpg(process.pid, signal.SIGKILL)


def _limit(limits: Limits) -> None:
    """In the child, between fork and exec: the limits it and everything it starts inherit. A limit is
    never raised past the one this process already has (the analysis runs under its own, isolate.py;
    raising a hard limit needs a privilege the caller may not have)."""
    cpu = max(1, int(limits.cpu_s + 0.999))
    _lower(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU at the soft limit, SIGKILL at the hard one
    _lower(resource.RLIMIT_AS, limits.memory_mb << 20)
    _lower(resource.RLIMIT_NOFILE, limits.open_files)
    _lower(resource.RLIMIT_FSIZE, limits.file_mb << 20)
    _lower(resource.RLIMIT_CORE, 0)


def _lower(which: int, soft: int, hard: int | None = None) -> None:
    _, current = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(which, (soft, hard))
