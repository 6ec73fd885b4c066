"""The proof memory: answers already found, in an embedded SQLite store, so a question asked again is
answered at once and says so.

An entry's key is a digest of everything the answer depends on: the lowered function (calls are
inlined, so it holds everything the function calls; lines included, so witnesses point at the right
places), the file it came from, the property, the options that change semantics (data model, include
directories, defines), and the engine itself (a digest of the reasoner's source files and the Z3
version): a fixed engine never serves an old answer. An unknown is kept with its timeout and served
only to a question asked with no more time than that. Workers of `--jobs N` share the store (WAL mode,
one short transaction per write); a corrupt or foreign file is set aside with a warning, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import time
from functools import cache
from pathlib import Path

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


class ProofMemory:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as err:
            self._set_aside(str(err))
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            app, version = db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and (app != APPLICATION_ID or version != SCHEMA_VERSION):
                raise sqlite3.DatabaseError(f"not a solomonic proof memory (schema {version}, application id {app})")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, "
                       "timeout REAL NOT NULL, result TEXT NOT NULL, created REAL NOT NULL)")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _set_aside(self, why: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                source.rename(str(aside) + suffix)
        print(f"solomonic: warning: the proof memory {self.path} could not be used ({why}); "
              f"it was moved to {aside} and a new one started", file=sys.stderr)

    def lookup(self, key: str, timeout_s: float) -> Result | None:
        row = self.db.execute("SELECT verdict, timeout, result FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        verdict, stored_timeout, text = row
        if verdict == Verdict.UNKNOWN.value and stored_timeout < timeout_s:
            return None  # more time may decide it
        return Result.from_json(json.loads(text))

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


def remembered(memory_path: str | None, function: Function, prop: str, semantics: dict, timeout_s: float,
               analyse) -> Result:
    """The answer from memory if there is one (marked so), else `analyse()`'s, stored for next time."""
    if memory_path is None:
        return analyse()
    start = time.monotonic()
    memory = ProofMemory(memory_path)
    try:
        key = question_key(function, prop, semantics)
        found = memory.lookup(key, timeout_s)
        if found is not None:
            found.details = {**found.details, "from_memory": True, "analysed_seconds": found.seconds}
            found.seconds = round(time.monotonic() - start, 4)
            return found
        result = analyse()
        memory.store(key, timeout_s, result)
        return result
    finally:
        memory.close()
