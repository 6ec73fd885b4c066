"""The proof memory: answers already found, in an embedded SQLite store, so a question asked again is
answered at once and says so.

An entry's key is a digest of everything the answer depends on: the lowered function (calls are
inlined, so it holds everything the function calls; lines included, so witnesses point at the right
places), the file it came from, the property, the options that change semantics (data model, include
directories, defines), and the engine itself (a digest of the reasoner's source files and the Z3
version): a fixed engine never serves an old answer. Workers of `--jobs N` share the store (WAL mode,
one short transaction per write); a corrupt or foreign file is set aside with a warning, never trusted.

The store is a file anyone with access may have written (a CI cache restored from another branch, a
file shared between users), so no answer is served on its word: before a yes or a no is served, its
evidence is checked against the function as it is lowered now, by the check `solomonic recheck` makes
(`engines.evidence.confirm`): a yes's certificate checked again, a no's witness run again for real,
which must show the violation again. A no of `terminates` is not kept at all (`kept` says why). An
entry that fails, that does not read as a result, or that answers another question is deleted,
reported once (`memory_discarded` in the new answer's details, which JSON output shows, and a warning
on stderr) and the question analysed afresh. An unknown carries no evidence to check; it is served
only to a question asked with no more time than it had (more time may decide it), and serving one can
never make an answer wrong, only withhold one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from solomonic.errors import UserError
from solomonic.reason.ir import Function
from solomonic.reason.result import Result, Verdict

APPLICATION_ID = 0x536F6C6D  # "Solm": marks the file as this store
SCHEMA_VERSION = 1


def default_path() -> Path:
    """$SOLOMONIC_MEMORY, else the user's cache directory ($XDG_CACHE_HOME or ~/.cache)."""
    if os.environ.get("SOLOMONIC_MEMORY"):
        return Path(os.environ["SOLOMONIC_MEMORY"])
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache_home) / "solomonic" / "proofs.sqlite"


@cache
def engine_digest() -> str:
    """The digest of this reasoner (`source_digest` of the `reason` package) and of the Z3 it runs on."""
    import z3

    return hashlib.sha256(z3.get_version_string().encode() + source_digest(Path(__file__).parent).encode()).hexdigest()


def source_digest(root: Path) -> str:
    """Every source file under `root`, in every subpackage (the C front end's headers included), with its
    path: a change anywhere in the engine invalidates every entry."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".h") and p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def question_key(function: Function, prop: str, semantics: dict) -> str:
    h = hashlib.sha256()
    for part in (engine_digest(), prop, json.dumps(semantics, sort_keys=True), function.file, repr(function)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


COLUMNS = ["key", "verdict", "timeout", "result", "created"]


class Unusable(UserError):
    """The proof memory's path cannot hold a store (a directory, a path under a file, no permission):
    nothing there is touched, and the questions are answered without a memory."""


class ProofMemory:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.set_aside: str | None = None  # what was set aside on opening, and why (see `_set_aside`)
        if self.path.exists() and not self.path.is_file():
            raise Unusable(f"the proof memory {self.path} is not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise Unusable(f"the proof memory {self.path} cannot be created: {err.strerror}") from None
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as err:
            self.reopen(str(err))

    def reopen(self, why: str) -> None:
        """Set the store aside, for `why`, and start a new one in its place."""
        self._set_aside(why)
        try:
            self.db = self._open()
        except sqlite3.Error as err:
            raise Unusable(f"the proof memory {self.path} cannot be opened: {err}") from None

    def _open(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as err:
            raise Unusable(f"the proof memory {self.path} cannot be opened: {err}") from None
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # One transaction checks the marks and makes a new store: another process opening it at the same
            # time sees it empty or whole, never a table without its marks (which it would set aside).
            db.execute("BEGIN IMMEDIATE")
            app, version = db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and (app != APPLICATION_ID or version != SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"not a solomonic proof memory (schema {version}, application id {app})")
            if not tables:
                db.execute("CREATE TABLE answers (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, timeout REAL NOT NULL, "
                           "result TEXT NOT NULL, created REAL NOT NULL)")
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            columns = [r[1] for r in db.execute("PRAGMA table_info(answers)")]
            if columns != COLUMNS:  # the same marks on another layout: a store written by a later version
                raise sqlite3.DatabaseError(f"its answers table has the columns {', '.join(columns) or '(none)'}")
            db.execute("COMMIT")
        except sqlite3.DatabaseError:
            db.close()
            raise
        except UnicodeDecodeError as err:  # a table or column name that is not text: the file is damaged
            db.close()
            raise sqlite3.DatabaseError(f"its layout is not readable text ({err.reason})") from None
        return db

    def _set_aside(self, why: str) -> None:
        """Moved out of the way, never deleted: it may be the user's, or evidence of tampering. Another
        process may have moved it first (the workers of `--jobs N` open it at once): then nothing is left
        to move. The parent says so on stderr (`set_aside`, passed on by `remembered`)."""
        aside = self.path.with_name(f"{self.path.name}.unreadable-{time.time_ns()}-{os.getpid()}")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).rename(str(aside) + suffix)
        self.set_aside = (f"the proof memory {self.path} could not be used ({why}); it was moved to {aside} "
                          "and a new one started")
        print(f"solomonic: warning: {self.set_aside}", file=sys.stderr)

    def lookup(self, key: str, timeout_s: float) -> Result | None:
        """The stored result, as stored (see `recall` for one fit to serve). Raises ValueError (or
        TypeError, KeyError) where the row does not read as a result."""
        row = self.db.execute("SELECT timeout, result FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        stored_timeout, text = row
        result = Result.from_json(json.loads(text))
        if result.verdict == Verdict.UNKNOWN and stored_timeout < timeout_s:
            return None  # more time may decide it
        return result

    def forget(self, key: str) -> None:
        self.db.execute("DELETE FROM answers WHERE key = ?", (key,))

    def store(self, key: str, timeout_s: float, result: Result) -> None:
        self.db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                        (key, result.verdict.value, timeout_s, json.dumps(result.to_json()), time.time()))

    def stats(self) -> dict:
        by_verdict = dict(self.db.execute("SELECT verdict, COUNT(*) FROM answers GROUP BY verdict").fetchall())
        return {"path": str(self.path), "entries": sum(by_verdict.values()), "by verdict": by_verdict,
                "bytes": sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if p.exists())}

    def clear(self) -> int:
        count = self.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        self.db.execute("DELETE FROM answers")
        self.db.execute("VACUUM")
        return count

    def close(self) -> None:
        self.db.close()


# What a stored result's fields must be before anything reads them (file, function and property are
# compared with the question's own, the verdict is read by Verdict()).
_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "reason": str, "certificate": (dict, type(None)), "witness": (dict, type(None)), "reproducer": (str, type(None)),
    "seconds": (int, float), "line": int, "language": str, "details": dict}


def kept(result: Result) -> bool:
    """Whether an answer is worth keeping: not a no of `terminates`. That no stands on the search's proof
    (a state that comes back, a closed recurrent set, a repeated call) together with a real run still going
    when its time is up; serving it would mean checking both again (`evidence.confirm_nontermination`: the
    lasso found again, then the run made again), which costs about what analysing it again does (bench
    termination: 2.7 s against 2.7 s), so the memory would save nothing."""
    return not (result.property == "terminates" and result.verdict == Verdict.NO)


def recall(memory: ProofMemory, key: str, function: Function, prop: str, timeout_s: float) -> Result | str | None:
    """The stored answer to this question if its evidence holds of `function` now, a no's witness and
    reproducer those of the run just made; None where nothing is stored; else why the entry is unfit."""
    from solomonic.reason.engines.evidence import confirm  # here: `memory stats` and `clear` need no solver

    try:
        found = memory.lookup(key, timeout_s)
    except (ValueError, TypeError, KeyError) as err:  # json.JSONDecodeError is a ValueError
        return f"the stored entry does not read as a result ({type(err).__name__}: {err})"
    if found is None:
        return None
    misshapen = [name for name, kind in _FIELD_TYPES.items() if not isinstance(getattr(found, name), kind)]
    if misshapen:
        return f"the stored entry does not read as a result (wrong type of {', '.join(misshapen)})"
    if (found.file, found.function, found.property) != (function.file, function.name, prop):
        return f"the stored entry answers another question ({found.function}, {found.property} in {found.file})"
    if not kept(found):
        return f"a stored {found.verdict.value} of {prop} is never kept, so this one was written by something else"
    checked = confirm(function, found, timeout_s)
    if checked.confirmed is False:
        return f"the stored {found.verdict.value} fails its re-check: {checked.message}"
    if checked.confirmed is None:
        return found  # an unknown: nothing to check
    if found.verdict == Verdict.NO:
        found.witness = {**(found.witness or {}), "replay": checked.replay}
        found.reproducer = checked.reproducer
    found.details = {**found.details, "rechecked": checked.message}
    return found


def warn_discarded(question: str, why: str | None) -> None:
    """A warning on stderr where the answer to `question` replaces a stored answer that failed its check
    (`why`: the new answer's `memory_discarded`; None: nothing was discarded)."""
    if why:
        print(f"solomonic: warning: {question}: the proof memory's answer was discarded: {why}; the question "
              "was analysed again", file=sys.stderr)


def remembered(memory_path: str | None, function: Function, prop: str, semantics: dict, timeout_s: float,
               analyse: Callable[[], Result]) -> Result:
    """The answer from memory if there is one whose evidence holds (marked so), else `analyse()`'s, stored
    for next time; an entry that fails its check is deleted, and the new answer's `memory_discarded`
    detail says why (this runs in an isolated child, whose stderr goes nowhere: `warn_discarded`, in the
    parent, says it there)."""
    if memory_path is None:
        return analyse()
    start = time.monotonic()
    try:
        memory = ProofMemory(memory_path)
    except Unusable as err:
        return _noted(analyse(), f"{err}; answered without it")
    try:
        key = question_key(function, prop, semantics)
        try:
            found = _recalled(memory, key, function, prop, timeout_s)
        except Unusable as err:
            return _noted(analyse(), f"{err}; answered without it")
        if isinstance(found, Result):
            found.details = {**found.details, "from_memory": True, "analysed_seconds": found.seconds}
            found.seconds = round(time.monotonic() - start, 4)
            return found
        result = analyse()
        if kept(result):
            # a store that cannot take it now (locked past its timeout, a disk full) costs the next run an
            # analysis, never this answer
            with contextlib.suppress(sqlite3.Error):
                memory.store(key, timeout_s, result)
        if found is not None:
            return _noted(result, f"{found} (deleted from {memory.path})")
        return result if memory.set_aside is None else _noted(result, memory.set_aside)
    finally:
        memory.close()


def _recalled(memory: ProofMemory, key: str, function: Function, prop: str, timeout_s: float) -> Result | str | None:
    """`recall`, deleting an unfit entry; a store damaged past its header (a page torn mid-write, which
    SQLite finds only when it reads there) is set aside and a new one started, so nothing is recalled."""
    try:
        found = recall(memory, key, function, prop, timeout_s)
        if isinstance(found, str):
            memory.forget(key)
        return found
    except sqlite3.DatabaseError as err:
        memory.close()
        memory.reopen(str(err))
        return None


def _noted(result: Result, discarded: str) -> Result:
    """`result`, saying what of the proof memory was discarded (`warn_discarded` shows it in the parent)."""
    result.details = {**result.details, "memory_discarded": discarded}
    return result
