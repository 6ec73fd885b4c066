"""`--executor ray`: `svcomp` tasks and `check`'s files run as Ray tasks on a cluster, each inside the
same isolation as on one machine.

Why the unit is a task of `svcomp` and a file of `check`: inside its Ray task a unit runs exactly as the
local pool runs it (`isolate.run_jobs`: a forked child per question, with its wall-clock, CPU-time and
memory limits and its own process group), so Ray decides only *where* an answer is found, never *how*,
and the verdicts are those of `--jobs N`. A file's questions share its parse; a task reserves `--jobs`
CPUs and answers that many of its file's questions at a time.

Why each task gets its own copy of the proof memory: the store is SQLite in WAL mode, whose locks need
shared memory on one host, and a cluster's nodes need not see the driver's disk at all. So the driver
takes a consistent snapshot of its store (SQLite's backup), Ray ships it to every task, the task answers
with its copy as its memory (served entries are confirmed again there, as everywhere: `memory.recall`),
and returns what it wrote and what it deleted; the driver applies all of it to its own store in one
transaction at the end. Nothing a worker writes is trusted more than any entry: the next run confirms
it again before serving it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pickle
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from solomonic.errors import UserError

Unit = tuple[Any, Callable[[str | None], Any]]  # a key, and its work given the proof memory to use


@dataclass
class _Changes:
    """What one task did to its copy of the proof memory: entries written (key -> timeout, result JSON)
    and keys deleted (entries whose evidence failed its check)."""

    written: dict[str, tuple[float, str]] = field(default_factory=dict)
    forgotten: list[str] = field(default_factory=list)


def _entries(path: Path) -> dict[str, tuple[float, str, float]]:
    """The store's entries, key -> (timeout, result JSON, created); none where it cannot be read."""
    try:
        db = sqlite3.connect(path)
        try:
            return {key: (timeout, result, created) for key, timeout, result, created in
                    db.execute("SELECT key, timeout, result, created FROM answers")}
        finally:
            db.close()
    except sqlite3.Error:
        return {}


def _in_task(work: Callable[[str | None], Any], snapshot: bytes | None) -> tuple[Any, _Changes]:
    """Runs in a Ray worker: `work` with a private copy of the driver's store (None: no memory), in a fresh
    interpreter (`_in_fresh_process`)."""
    with tempfile.TemporaryDirectory(prefix="solomonic-ray-") as name:
        folder = Path(name)
        if snapshot is None:
            return _in_fresh_process(work, None, folder), _Changes()
        path = folder / "proofs.sqlite"
        path.write_bytes(snapshot)
        before = _entries(path)
        value = _in_fresh_process(work, str(path), folder)
        after = _entries(path)
    return value, _Changes({key: (entry[0], entry[1]) for key, entry in after.items() if before.get(key) != entry},
                           [key for key in before if key not in after])


def _in_fresh_process(work: Callable[[str | None], Any], memory: str | None, folder: Path) -> Any:
    """`work(memory)` in a new interpreter, not in the Ray worker itself: a worker has gigabytes of address
    space mapped (8 GB measured: thread stacks, the object store), so a child forked from it would start
    above the address-space limit `isolate` sets and fail at its first allocation. A fresh interpreter
    starts as small as the local pool's parent. Work and value travel as pickles in `folder`."""
    request, response = folder / "work.pickle", folder / "value.pickle"
    request.write_bytes(pickle.dumps((work, memory)))
    done = subprocess.run([sys.executable, "-c", f"from {__name__} import _serve; _serve()", str(request),
                           str(response)], capture_output=True, text=True)
    if done.returncode != 0 or not response.exists():
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise RuntimeError(f"the worker's analysis process failed: {last}")
    return pickle.loads(response.read_bytes())


def _serve() -> None:
    """The fresh interpreter's side of `_in_fresh_process`: argv names the request and the response."""
    request, response = Path(sys.argv[1]), Path(sys.argv[2])
    work, memory = pickle.loads(request.read_bytes())
    response.write_bytes(pickle.dumps(work(memory)))


def _snapshot(memory: str) -> bytes | None:
    """A consistent copy of the store's bytes (SQLite's backup, which reads through the write-ahead log);
    None where the store cannot be used, said once on stderr (its questions are then answered without)."""
    from solomonic.reason.memory import ProofMemory, Unusable

    try:
        store = ProofMemory(memory)  # a damaged store is set aside here, as a local run's first worker would
    except Unusable as err:
        print(f"solomonic: warning: {err}; the questions are answered without it", file=sys.stderr)
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="solomonic-ray-") as folder:
            copy = sqlite3.connect(Path(folder) / "proofs.sqlite")
            store.db.backup(copy)
            copy.close()
            return (Path(folder) / "proofs.sqlite").read_bytes()
    finally:
        store.close()


def _merge(memory: str, changes: Sequence[_Changes]) -> None:
    """Every task's writes and deletions applied to the driver's store, in the order the tasks finished,
    in one transaction: another process sees all of them or none."""
    from solomonic.reason.memory import ProofMemory, Unusable
    from solomonic.reason.result import Result

    if not any(c.written or c.forgotten for c in changes):
        return
    try:
        store = ProofMemory(memory)
    except Unusable as err:
        print(f"solomonic: warning: {err}; the workers' answers were not kept", file=sys.stderr)
        return
    try:
        store.db.execute("BEGIN IMMEDIATE")
        for change in changes:
            for key in change.forgotten:
                store.forget(key)
            for key, (timeout, text) in change.written.items():
                with contextlib.suppress(ValueError, TypeError, KeyError):  # what does not read as a result
                    store.store(key, timeout, Result.from_json(json.loads(text)))  # is not kept
        store.db.execute("COMMIT")
    except sqlite3.Error as err:
        with contextlib.suppress(sqlite3.Error):
            store.db.execute("ROLLBACK")
        print(f"solomonic: warning: the workers' answers could not be kept in {memory}: {err}", file=sys.stderr)
    finally:
        store.close()


def run_on_ray(units: Sequence[Unit], address: str | None, memory: str | None,
               cpus_per_unit: int = 1) -> Iterator[tuple[Any, Any, str]]:
    """Each unit's work as a Ray task, yielding (key, value, "") as tasks finish, or (key, None, why) for
    a task Ray lost (a worker or node that died); the proof memory's changes are merged at the end, also
    when the caller stops early. A Ray already initialised in this process is used as it is."""
    try:
        import ray
    except ModuleNotFoundError:
        raise UserError("--executor ray needs Ray: pip install 'solomonic[ray]'") from None
    started = not ray.is_initialized()
    if started:
        import logging

        # "local" where nothing is named: Ray's own default would join whatever cluster was started last
        # on this machine (/tmp/ray/ray_current_cluster), another user's included
        address = address or os.environ.get("RAY_ADDRESS") or "local"
        _refuse_unreachable(address)
        try:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING,
                     include_dashboard=False)
        except (ConnectionError, ValueError, RuntimeError) as err:
            raise UserError(f"cannot start or reach Ray at {address}: {err}") from None
    changes: list[_Changes] = []
    pending: dict = {}
    try:
        snapshot = None if memory is None else ray.put(_snapshot(memory))
        remote = ray.remote(num_cpus=cpus_per_unit, max_retries=0)(_in_task)
        pending = {remote.remote(work, snapshot): key for key, work in units}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            key = pending.pop(ready[0])
            try:
                value, change = ray.get(ready[0])
            except ray.exceptions.RayError as err:
                yield key, None, f"the Ray task failed: {_why(err)}"
                continue
            changes.append(change)
            yield key, value, ""
    finally:
        for unfinished in pending:  # the caller stopped early (an interrupt): the cluster stops too
            ray.cancel(unfinished, force=True)
        if memory is not None:
            _merge(memory, changes)
        if started:
            ray.shutdown()


def _why(err: Exception) -> str:
    """A failed Ray task's first line of explanation: what the task raised where it raised something (a
    RayTaskError's own text begins with the task's name and coloured process details), else Ray's."""
    cause = getattr(err, "cause", None) or err
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def _refuse_unreachable(address: str) -> None:
    """A HOST:PORT nobody answers at is refused at once: ray.init waits minutes for it ('auto' and 'local'
    are Ray's to resolve)."""
    if address in ("auto", "local"):
        return
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    if not host or not port.isdigit():
        raise UserError(f"--ray-address {address}: not HOST:PORT, ray://HOST:PORT or auto")
    try:
        socket.create_connection((host, int(port)), timeout=10).close()
    except OSError as err:
        raise UserError(f"--ray-address {address}: no Ray cluster answers there ({err.strerror or err})") from None


def svcomp_executor(address: str | None):
    """`svcomp.run`'s executor: each task under the local limits (`svcomp.answer_isolated`) on Ray."""
    from solomonic.reason.isolate import Outcome

    def execute(units: Sequence[Unit], memory: str | None) -> Iterator[Outcome]:
        for key, value, failure in run_on_ray(units, address, memory):
            yield value if not failure else Outcome(key, None, failure)

    return execute


def _check_file(path: str, options: dict, memory: str | None) -> tuple[list, str]:
    """Runs in a Ray worker: one file's answers, or the one-line message of its bad input."""
    from solomonic.reason.api import check
    from solomonic.reason.ir import BadInput

    try:
        return check(path, memory=memory, **options), ""
    except BadInput as err:
        return [], str(err)


def check_files(files: Sequence[str], options: dict, address: str | None,
                memory: str | None) -> Iterator[tuple[str, list, str]]:
    """`check`'s files on Ray, as they finish: (path, results, bad-input message or "")."""
    units = [(path, functools.partial(_check_file, path, options)) for path in files]
    for path, value, failure in run_on_ray(units, address, memory, cpus_per_unit=max(1, options["jobs"])):
        yield (path, *value) if not failure else (path, [], f"{path}: {failure}")
