"""Run analyses in child processes with hard wall-clock, CPU-time and memory limits.

Z3's own timeouts are soft (research notes: several Z3 issues report queries that ignore them), so
every question is answered in a forked child with an address-space limit and a CPU-time limit, in its
own process group, and the whole group is killed when its time is up: a hang or a blow-up costs one
unknown, never the run.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

GRACE_S = 3.0  # beyond the analysis budget: confirming a verdict (replay, certificate check) and exit


@dataclass
class Job:
    key: Any
    work: Callable[[], Any]  # runs in the child; returns something picklable
    timeout_s: float


@dataclass
class Outcome:
    key: Any
    value: Any = None
    failure: str = ""  # "timeout", "memory", or what went wrong
    seconds: float = 0.0


def _child(work: Callable[[], Any], conn: Connection, memory_mb: int, cpu_s: float) -> None:
    os.setsid()  # its own process group, so that replays it starts die with it
    if not os.environ.get("SOLOMONIC_DEBUG"):  # Z3 prints internal diagnostics; results go through `conn`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    import resource

    if memory_mb:
        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    seconds = int(cpu_s) + 1  # SIGXCPU past the budget, SIGKILL a second later
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        conn.send(("ok", work()))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as err:  # reported as an unknown for this job, with the reason
        text = str(err)
        kind = "memory" if "out of memory" in text.lower() or isinstance(err, MemoryError) else "error"
        conn.send((kind, f"{type(err).__name__}: {text}\n{traceback.format_exc(limit=-3)}"))
    finally:
        conn.close()


def run_jobs(jobs: Iterable[Job], parallel: int = 1, memory_mb: int = 4096) -> Iterator[Outcome]:
    """Run jobs, at most `parallel` at a time, yielding each outcome as it finishes."""
    context = multiprocessing.get_context("fork")
    pending = list(jobs)
    pending.reverse()
    running: dict[Connection, tuple[Job, Any, float]] = {}
    while pending or running:
        while pending and len(running) < max(1, parallel):
            job = pending.pop()
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(job.work, sender, memory_mb, job.timeout_s + GRACE_S))
            process.start()
            sender.close()
            running[receiver] = (job, process, time.monotonic())
        now = time.monotonic()
        soonest = min(start + job.timeout_s + GRACE_S for job, _, start in running.values())
        ready = wait(list(running), timeout=max(0.0, soonest - now))
        for conn in ready:
            job, process, start = running.pop(conn)
            try:
                status, value = conn.recv()
            except (EOFError, OSError):
                status, value = _death(process)
            process.join(timeout=5)
            conn.close()
            elapsed = time.monotonic() - start
            yield Outcome(job.key, value if status == "ok" else None,
                          "" if status == "ok" else (value if status == "error" else status), elapsed)
        now = time.monotonic()
        for conn, (job, process, start) in list(running.items()):
            if now >= start + job.timeout_s + GRACE_S:
                _kill(process)
                del running[conn]
                conn.close()
                yield Outcome(job.key, None, "timeout", now - start)


def _death(process) -> tuple[str, Any]:
    process.join(timeout=5)
    code = process.exitcode
    if code is not None and code < 0 and -code == signal.SIGXCPU:
        return "timeout", None  # its CPU-time limit
    if code is not None and code < 0 and -code == signal.SIGKILL:
        return "memory", None  # the kernel's out-of-memory killer (or the CPU limit's last word)
    return "error", f"the analysis process died (exit status {code})"


def _kill(process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.join(timeout=5)
