"""The batch's jobs as rows in SQLite, the source of truth: a job's key is the hash of its input and options,
so running the same batch again skips what is done, runs again what was cut short, and never makes a second
copy. Only the process that runs the batch writes here (Dask is not a durable queue: results are recorded as
they come back). A job is claimed, in one transaction, by the batch process that will run it (its owner, as
process_owner.py says it): a second batch into the same folder, at once or after a kill, never makes the same
clip twice while the first one lives.

For an output in object storage the ledger stays here, in the user's data folder, keyed by the job (whose key
holds the output's URL): SQLite needs a real file with locks, which a bucket is not, and claiming a job in an
object would need conditional writes not every store has. What every machine shares is in the output prefix
instead: each clip's marker, written whole by the worker that made it, so a batch run again from another
machine (or after this ledger is lost) still finds every clip made."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from free_music_ai.engine.process_owner import current_owner, owner_is_gone

SETUP_WAIT_S = 30.0
SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_jobs (key TEXT PRIMARY KEY, input TEXT, output TEXT, status TEXT, error TEXT,
    attempts INTEGER DEFAULT 0, worker TEXT, updated REAL, owner TEXT)
"""


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.set_aside: Path | None = None  # where a damaged ledger was moved, for the batch to say
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise  # locked past the wait, or a folder we cannot write: not damage
            # A damaged file (a crash of the disk, a copy cut short) is moved aside, not deleted, and a new
            # ledger begins: the markers in each output folder still name every clip made, so none is made twice.
            self.set_aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                part = Path(f"{path}{suffix}")
                if part.exists():
                    part.replace(f"{self.set_aside}{suffix}")
            self._db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        try:
            self._set_up(db)
        except BaseException:
            db.close()
            raise
        return db

    def _set_up(self, db: sqlite3.Connection) -> None:
        # Setting the journal mode takes the file's lock without waiting on the busy timeout: a second batch
        # starting while the first writes got "database is locked" at once. It is tried again for a while.
        deadline = time.monotonic() + SETUP_WAIT_S
        while True:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                # one transaction that holds the write lock: two batches opening a ledger from before claims at
                # once both saw no owner column and both added it ("duplicate column name")
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.execute(SCHEMA)
                    if "owner" not in {row[1] for row in db.execute("PRAGMA table_info(batch_jobs)")}:
                        db.execute("ALTER TABLE batch_jobs ADD COLUMN owner TEXT")  # a ledger from before claims
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def done_output(self, key: str, exists: Callable[[str], bool] | None = None) -> str | None:
        """The output of a job already done, when it is still there (a file, or an object ``exists`` finds)."""
        with self._lock:
            row = self._db.execute("SELECT output FROM batch_jobs WHERE key=? AND status='done'", (key,)).fetchone()
        found = exists or (lambda output: Path(output).is_file())
        return row[0] if row and row[0] and found(row[0]) else None

    def claim(self, key: str, input_url: str) -> bool:
        """Take the job for this process, unless another live process has it (then False). One transaction:
        two batches asking at once cannot both get it; a job whose owner has ended (a killed batch) is free."""
        me = current_owner()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT status, owner FROM batch_jobs WHERE key=?", (key,)).fetchone()
                if row is not None and row[0] == "running" and row[1] not in (None, me) and not owner_is_gone(row[1]):
                    self._db.execute("ROLLBACK")
                    return False
                self._db.execute("INSERT INTO batch_jobs (key, input, status, attempts, updated, owner) VALUES "
                                 "(?, ?, 'running', 1, ?, ?) ON CONFLICT(key) DO UPDATE SET status='running', "
                                 "error=NULL, attempts=attempts+1, updated=excluded.updated, owner=excluded.owner",
                                 (key, input_url, time.time(), me))  # fmt: skip
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return True

    def started(self, key: str, input_url: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO batch_jobs (key, input, status, attempts, updated) VALUES "
                             "(?, ?, 'running', 1, ?) ON CONFLICT(key) DO UPDATE SET status='running', error=NULL, "
                             "attempts=attempts+1, updated=excluded.updated",
                             (key, input_url, time.time()))  # fmt: skip

    def finished(self, key: str, *, output: str | None, error: str | None, worker: str) -> None:
        with self._lock:
            self._db.execute("UPDATE batch_jobs SET status=?, output=?, error=?, worker=?, updated=? WHERE key=?",
                             ("done" if output else "failed", output, error, worker, time.time(), key))  # fmt: skip

    def interrupted(self, keys: list[str]) -> None:
        with self._lock:
            self._db.executemany("UPDATE batch_jobs SET status='interrupted' WHERE key=? AND status='running'",
                                 [(k,) for k in keys])  # fmt: skip
