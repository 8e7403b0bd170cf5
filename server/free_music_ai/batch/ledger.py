"""The batch's jobs as rows in SQLite, the source of truth: a job's key is the hash of its input and options,
so running the same batch again skips what is done, runs again what was cut short, and never makes a second
copy. Only the process that runs the batch writes here (Dask is not a durable queue: results are recorded as
they come back)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_jobs (key TEXT PRIMARY KEY, input TEXT, output TEXT, status TEXT, error TEXT,
    attempts INTEGER DEFAULT 0, worker TEXT, updated REAL);
"""


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def done_output(self, key: str) -> str | None:
        """The output of a job already done, when its file is still there."""
        with self._lock:
            row = self._db.execute("SELECT output FROM batch_jobs WHERE key=? AND status='done'", (key,)).fetchone()
        return row[0] if row and row[0] and Path(row[0]).is_file() else None

    def started(self, key: str, input_url: str) -> None:
        with self._lock:
            self._db.execute("INSERT INTO batch_jobs (key, input, status, attempts, updated) VALUES "
                             "(?, ?, 'running', 1, ?) ON CONFLICT(key) DO UPDATE SET status='running', error=NULL, "
                             "attempts=attempts+1, updated=excluded.updated",
                             (key, input_url, time.time()))  # fmt: skip

    def finished(self, key: str, output: str | None, error: str | None, worker: str) -> None:
        with self._lock:
            self._db.execute("UPDATE batch_jobs SET status=?, output=?, error=?, worker=?, updated=? WHERE key=?",
                             ("done" if output else "failed", output, error, worker, time.time(), key))  # fmt: skip

    def interrupted(self, keys: list[str]) -> None:
        with self._lock:
            self._db.executemany("UPDATE batch_jobs SET status='interrupted' WHERE key=? AND status='running'",
                                 [(k,) for k in keys])  # fmt: skip
