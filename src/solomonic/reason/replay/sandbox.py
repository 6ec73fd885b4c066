"""Running the code under analysis: a witness's replay runs a stranger's program (a C harness linked
with their function, a Python module imported with its top-level code), so it runs with as little of
the caller's rights as the operating system allows.

- a private working directory (the caller's temporary one, deleted with it), standard input closed;
- a clean environment: a minimal `PATH` and `LANG` and what the replay itself needs, none of the
  caller's variables (tokens, credentials, `HOME`);
- resource limits (`setrlimit`): CPU time, address space, open files, the size of any file it writes,
  no core dumps;
- no new processes: a seccomp filter (libseccomp, through pyseccomp) makes fork, vfork and every clone
  that does not make a thread fail with EPERM, so a fork bomb stops at its first fork and nothing can
  outlive the run. A replay needs no process of its own (Python's call and C's harness are one process
  each), and this holds for root too, where `RLIMIT_NPROC` does not bind and counts every process of
  the user where it does. Threads stay allowed (the address-space limit bounds their stacks). Where
  seccomp is not available the run can start processes, and `isolation()` says so;
- its own session, so a timeout, or the end of the run, kills everything it started, not just the first
  process (what is left of the defence where seccomp is not available);
- no network, where unprivileged user namespaces allow it: `unshare --user --map-root-user --net`
  gives it a network namespace with nothing but a loopback device that is down. Where they are not
  available (some containers forbid them) the run goes on with the network reachable, and
  `isolation()` says so, for the answer to report.

What this cannot stop without a mount namespace and a read-only view of the file system: a program
that writes with an absolute path the caller can write. SECURITY.md states the threat model.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# Imported here, in the process that forks the analyses, not in each of them: pyseccomp looks for
# libseccomp with `ldconfig -p`, a process that each analysis child, large with Z3, would start again.
try:
    import pyseccomp as seccomp
    _SECCOMP_MISSING = ""
except (ImportError, RuntimeError) as missing:  # pyseccomp raises RuntimeError without libseccomp
    seccomp, _SECCOMP_MISSING = None, str(missing)

MINIMAL_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
# Checked once per process: a user namespace of its own with a network namespace inside it.
_NETNS_PREFIX = ("unshare", "--user", "--map-root-user", "--net")
CLONE_THREAD = 0x10000  # <linux/sched.h>: a clone with this flag makes a thread, not a process


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


def isolation() -> str:
    """How replays are isolated on this machine, in words for the answers: from the network, and from
    starting processes (as the last replay found it: a kernel that refuses the filter is known once a
    replay tried to install it)."""
    network = "no network (own network namespace)" if _network_namespaces() else \
        "network reachable (user namespaces are not available here)"
    problem = _seccomp_problem()
    processes = "no new processes (seccomp)" if problem is None else f"processes not limited ({problem})"
    return f"{network}, {processes}"


@functools.cache
def _network_namespaces() -> bool:
    try:
        done = subprocess.run([*_NETNS_PREFIX, "true"], capture_output=True, timeout=10, env=MINIMAL_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


_filter_refused: str | None = None  # why the kernel refused the process filter, once a replay found it


def _seccomp_problem() -> str | None:
    """Why no process filter can be installed here, or None where it can. Not probed by a process of
    its own: every analysis process that replays would pay for it, and a filter the kernel takes is
    enforced (the tests show a fork under it refused); `run` finds out if the kernel refuses it."""
    if _filter_refused is not None:
        return _filter_refused
    if seccomp is None:
        return f"seccomp is not available here: {_SECCOMP_MISSING}"
    try:
        _build_process_filter()
    except OSError as err:  # libseccomp does not know this machine's system calls
        return f"the seccomp filter cannot be built here: {err}"
    return None


def _process_filter() -> Callable[[], None] | None:
    """What installs the process filter in a child before it runs the replay, or None where none can."""
    return None if _seccomp_problem() is not None else _build_process_filter()


@functools.cache
def _build_process_filter() -> Callable[[], None]:
    """A seccomp filter that lets everything through but the making of a process: fork, vfork, a clone
    without CLONE_THREAD (EPERM), and clone3, whose flags are out of a filter's reach (ENOSYS, on which
    the C library falls back to clone). Built once here; its `load`, called in each child between fork
    and exec, also sets no_new_privs (libseccomp's default), which no replay needs to lack. The 32-bit
    system-call tables of the machine are filtered too: an ILP32 replay is a 32-bit process."""
    assert seccomp is not None, "_seccomp_problem() says why there is no filter"
    arch = seccomp.Arch
    companions = {arch.X86_64: (arch.X86, arch.X32), arch.AARCH64: (arch.ARM,)}  # 32-bit builds, x32
    refused = seccomp.ERRNO(errno.EPERM)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    for other in companions.get(seccomp.system_arch(), ()):
        rules.add_arch(other)
    rules.add_rule(refused, "fork")
    rules.add_rule(refused, "vfork")
    rules.add_rule(refused, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    return rules.load


def run(argv: Sequence[str], workdir: str, limits: Limits, timeout_s: float,
        env: Mapping[str, str] | None = None) -> Outcome:
    """Run argv in workdir under `limits`, without the caller's environment, the network or the right
    to start processes (where the machine allows); kill its whole session after timeout_s seconds."""
    global _filter_refused
    command = [*_NETNS_PREFIX, *argv] if _network_namespaces() else list(argv)
    process_filter = _process_filter()
    try:
        process = subprocess.Popen(command, cwd=workdir, env={**MINIMAL_ENV, **(env or {})},
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True,
                                   preexec_fn=functools.partial(_confine, limits, process_filter))
    except subprocess.SubprocessError as err:  # in the child before exec: only loading the filter can fail there
        if process_filter is None:
            raise
        _filter_refused = f"the kernel refused the seccomp filter: {err}"
        return run(argv, workdir, limits, timeout_s, env)
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


def _confine(limits: Limits, process_filter: Callable[[], None] | None) -> None:
    """In the child, between fork and exec: the limits and the process filter it and everything it
    execs keep. `unshare` execs the replay without forking, so the filter, installed before it, does
    not stand in its way."""
    _limit(limits)
    if process_filter is not None:
        process_filter()


def _limit(limits: Limits) -> None:
    """The resource limits. A limit is never raised past the one this process already has (the analysis
    runs under its own, isolate.py; raising a hard limit needs a privilege the caller may not have)."""
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
