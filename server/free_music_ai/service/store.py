"""The session store: SQLite in WAL mode, one file in the user's data folder.

Every edit writes a new version of the session's project, so undo and redo move a pointer; a new edit after
an undo drops the versions that were undone. (The table keeps its first name, drafts.) A store from an earlier
release is brought to today's format by numbered steps when it opens (store_format.py). A process that starts
finds renders left running by a process that has ended and marks them failed, so they can be run again;
renders another live process is running are its own (process_owner.py). An export is claimed here, in one
transaction, before it starts (``claim_render``): two processes on one data folder asked for the same export
render it once.

Every write is one transaction (``_write``) that commits only when the block ends normally and rolls back on any
exception: a write that fails half way must never leave the database locked for this process or another one.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from free_music_ai.engine.process_owner import current_owner, owner_is_gone
from free_music_ai.errors import EditConflict, InputError, StoredProjectUnreadable
from free_music_ai.project.model import Project
from free_music_ai.service.store_format import bring_up_to_date

log = logging.getLogger(__name__)
INTERRUPTED = "interrupted: the program stopped during the render. Export again."
SETUP_WAIT_S = 30.0


@dataclass(frozen=True)
class AssetRow:
    id: str
    session_id: str
    path: str
    name: str
    kind: str
    info: dict[str, Any]
    analysis: dict[str, Any] | None


@dataclass(frozen=True)
class RenderRow:
    id: str
    session_id: str
    status: str  # running, done, failed
    output: str | None
    error: str | None
    progress: float
    details: dict[str, Any]
    request: str | None = None  # what was asked (project version, canvas, output, videos), as canonical JSON
    version: int | None = None  # the project version it renders
    owner: str | None = None  # the process that renders it (process_owner.py)
    files: dict[str, Any] = field(default_factory=dict)  # what it wrote, exactly (render_files.py)


class SessionStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA busy_timeout=30000")
        # Setting the journal mode takes the file's lock without waiting on the busy timeout: two programs
        # starting at once on a new data folder got "database is locked". It is tried again for a while (as the
        # batch ledger does).
        deadline = time.monotonic() + SETUP_WAIT_S
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                bring_up_to_date(self._db, str(path))  # the format's numbered steps (store_format.py)
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    self._db.close()
                    raise
                time.sleep(0.05)
            except BaseException:
                self._db.close()
                raise
        self._fail_orphans()

    def _fail_orphans(self) -> None:
        """Renders left running by a process that has ended are failed (another process's live renders are
        left alone: it is rendering them now)."""
        with self._lock:
            running = self._db.execute("SELECT id, owner FROM renders WHERE status='running'").fetchall()
        orphans = [render_id for render_id, owner in running if owner_is_gone(owner)]
        if orphans:  # a write lock only when there is something to write
            with self._write() as db:
                failed = [(INTERRUPTED, time.time(), render_id) for render_id in orphans]
                db.executemany("UPDATE renders SET status='failed', error=?, finished=? WHERE id=? AND "
                               "status='running'", failed)  # fmt: skip

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back on any exception (a value that cannot
        be written out, a refused edit, an interrupt), so no lock outlives the write."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")  # a COMMIT that fails (a full disk) leaves the transaction open: below
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _disk_full(exc):
                    raise InputError("The disk is full: the session could not be saved (nothing was changed). "
                                     "Free some space, then try again.") from None  # fmt: skip
                raise

    def _one(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
            return row

    def _run(self, sql: str, *args: Any) -> None:
        with self._write() as db:
            db.execute(sql, args)

    # sessions -------------------------------------------------------------------------------------------
    def create_session(self) -> str:
        session_id = uuid.uuid4().hex[:12]
        with self._write() as db:
            db.execute("INSERT INTO sessions (id, created, head) VALUES (?, ?, 0)", (session_id, time.time()))
            db.execute("INSERT INTO drafts VALUES (?, 0, ?, 'new session', ?)",
                       (session_id, Project().model_dump_json(), time.time()))  # fmt: skip
        return session_id

    def delete_session(self, session_id: str) -> None:
        """Forget a session that never got a file (its upload failed)."""
        with self._write() as db:
            for table, column in (("drafts", "session_id"), ("assets", "session_id"), ("renders", "session_id"),
                                  ("sessions", "id")):  # fmt: skip
                db.execute(f"DELETE FROM {table} WHERE {column}=?", (session_id,))

    def require(self, session_id: str) -> None:
        if self._one("SELECT 1 FROM sessions WHERE id=?", session_id) is None:
            raise InputError(f"There is no session {session_id!r}. Upload a file to start a new one.")

    def sessions(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT id FROM sessions ORDER BY created")]

    # projects -------------------------------------------------------------------------------------------
    def project(self, session_id: str) -> tuple[int, Project]:
        """The session's project as it is now, and its version."""
        self.require(session_id)
        row = self._one("SELECT d.version, d.draft FROM drafts d JOIN sessions s ON s.id=d.session_id "
                        "WHERE s.id=? AND d.version=s.head", session_id)  # fmt: skip
        assert row is not None
        return int(row[0]), _project(row[1], session_id, int(row[0]))

    def project_at(self, session_id: str, version: int) -> Project:
        """One version of the session's project (an export renders the version it was asked for)."""
        row = self._one("SELECT draft FROM drafts WHERE session_id=? AND version=?", session_id, version)
        if row is None:
            raise InputError(f"Version {version} of this session was undone and replaced by a new edit. Export "
                             "again to get the video as it is now.")  # fmt: skip
        return _project(row[0], session_id, version)

    def save_project(self, session_id: str, project: Project, note: str, *, based_on: int | None = None) -> int:
        """A new version after the current one; versions that were undone are dropped. ``based_on``: the
        version the edit was made from; when the session has moved on since (an edit elsewhere), nothing is
        saved and the edit is refused, rather than silently dropping the other one."""
        stored = project.model_dump_json()  # written out before the transaction: a failure here locks nothing
        with self._write() as db:
            head = db.execute("SELECT head FROM sessions WHERE id=?", (session_id,)).fetchone()[0]
            if based_on is not None and head != based_on:
                raise EditConflict("This session changed while the edit was being made (another window or program "
                                   "works on it). Send the edit again: it applies to the new state.")  # fmt: skip
            db.execute("DELETE FROM drafts WHERE session_id=? AND version>?", (session_id, head))
            db.execute("INSERT INTO drafts VALUES (?, ?, ?, ?, ?)",
                       (session_id, head + 1, stored, note, time.time()))  # fmt: skip
            db.execute("UPDATE sessions SET head=? WHERE id=?", (head + 1, session_id))
        return int(head) + 1

    def move_head(self, session_id: str, step: int) -> tuple[bool, str]:
        """Undo (-1) or redo (+1): whether it moved, and the note of the version it undid or redid."""
        self.require(session_id)
        head = self._one("SELECT head FROM sessions WHERE id=?", session_id)
        assert head is not None
        version = int(head[0])  # the head's project is not read: undo must work when that version cannot be
        target = version + step
        row = self._one("SELECT note FROM drafts WHERE session_id=? AND version=?", session_id,
                        version if step < 0 else target)  # fmt: skip
        if target < 0 or self._one("SELECT 1 FROM drafts WHERE session_id=? AND version=?", session_id, target) is None:
            return False, ""
        self._run("UPDATE sessions SET head=? WHERE id=?", target, session_id)
        return True, str(row[0]) if row else ""

    def versions(self, session_id: str) -> list[tuple[int, str]]:
        """Every version of the session's project (undone ones included, until a new edit drops them), with the
        note of what made it."""
        with self._lock:
            rows = self._db.execute("SELECT version, note FROM drafts WHERE session_id=? ORDER BY version",
                                    (session_id,)).fetchall()  # fmt: skip
        return [(int(version), str(note)) for version, note in rows]

    # assets ---------------------------------------------------------------------------------------------
    def add_asset(self, session_id: str, path: Path, kind: str, *, info: dict[str, Any]) -> AssetRow:
        asset_id = uuid.uuid4().hex[:10]
        self._run("INSERT INTO assets VALUES (?, ?, ?, ?, ?, ?, NULL, ?)", asset_id, session_id, str(path),
                  path.name, kind, json.dumps(info), time.time())  # fmt: skip
        return AssetRow(asset_id, session_id, str(path), path.name, kind, info, None)

    def set_analysis(self, asset_id: str, analysis: dict[str, Any]) -> None:
        self._run("UPDATE assets SET analysis=? WHERE id=?", json.dumps(analysis), asset_id)

    def assets(self, session_id: str) -> list[AssetRow]:
        with self._lock:
            rows = self._db.execute("SELECT id, session_id, path, name, kind, info, analysis FROM assets "
                                    "WHERE session_id=? ORDER BY created", (session_id,)).fetchall()  # fmt: skip
        return [AssetRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), json.loads(r[6]) if r[6] else None)
                for r in rows]  # fmt: skip

    # renders --------------------------------------------------------------------------------------------
    def start_render(self, session_id: str, request: str | None = None, version: int | None = None) -> str:
        render_id = "render_" + uuid.uuid4().hex[:10]
        self._run("INSERT INTO renders (id, session_id, status, output, error, progress, created, finished, details, "
                  "request, version, owner) VALUES (?, ?, 'running', NULL, NULL, 0, ?, NULL, '{}', ?, ?, ?)", render_id,
                  session_id, time.time(), request, version, current_owner())  # fmt: skip
        return render_id

    def claim_render(self, session_id: str, request: str, *, version: int,
                     reusable: Callable[[RenderRow], bool]) -> tuple[str, bool]:  # fmt: skip
        """The job for ``request``, claimed in one transaction: the same request running in a live process (this
        one or another on the data folder) or done with its files still there (``reusable``) is that job (False:
        not ours to run); else a new job owned by this process (True: render it now). A running claim whose
        process has ended, or whose machine has restarted since, is failed and taken over."""
        me = current_owner()
        with self._write() as db:
            rows = db.execute(f"SELECT {self._RENDER_COLUMNS} FROM renders WHERE session_id=? AND request=? "
                              "ORDER BY created DESC", (session_id, request)).fetchall()  # fmt: skip
            for row in map(_render_row, rows):
                if row.status == "running" and (row.owner == me or not owner_is_gone(row.owner)):
                    return row.id, False
                if row.status == "running":  # its process is gone: the claim is taken over
                    db.execute("UPDATE renders SET status='failed', error=?, finished=? WHERE id=?",
                               (INTERRUPTED, time.time(), row.id))  # fmt: skip
                elif row.status == "done" and reusable(row):
                    return row.id, False
            render_id = "render_" + uuid.uuid4().hex[:10]
            db.execute("INSERT INTO renders (id, session_id, status, output, error, progress, created, finished, "
                       "details, request, version, owner) VALUES (?, ?, 'running', NULL, NULL, 0, ?, NULL, '{}', ?, ?, "
                       "?)", (render_id, session_id, time.time(), request, version, me))  # fmt: skip
        return render_id, True

    def fail_abandoned(self, row: RenderRow) -> None:
        """A job left running by a process that has ended is failed, so whoever waits for it hears so (only while
        it is still that process's: one that finished in the meantime keeps its outcome)."""
        self._run("UPDATE renders SET status='failed', error=?, finished=? WHERE id=? AND status='running' AND "
                  "owner IS ?", INTERRUPTED, time.time(), row.id, row.owner)  # fmt: skip

    def update_render(self, render_id: str, *, status: str | None = None, output: str | None = None,
                      error: str | None = None, progress: float | None = None,
                      details: dict[str, Any] | None = None, files: dict[str, Any] | None = None) -> None:  # fmt: skip
        with self._write() as db:
            current = db.execute("SELECT status, output, error, progress, details, files FROM renders WHERE id=?",
                                 (render_id,)).fetchone()  # fmt: skip
            if current is None:
                return
            finished = time.time() if status in ("done", "failed") else None
            db.execute(
                "UPDATE renders SET status=?, output=?, error=?, progress=?, details=?, files=?, "
                "finished=COALESCE(?, finished) WHERE id=?",
                (status or current[0], output or current[1], error or current[2],
                 current[3] if progress is None else progress, json.dumps(details) if details else current[4],
                 json.dumps(files) if files else current[5], finished, render_id),
            )  # fmt: skip

    _RENDER_COLUMNS = "id, session_id, status, output, error, progress, details, request, version, owner, files"

    def render(self, render_id: str) -> RenderRow | None:
        row = self._one(f"SELECT {self._RENDER_COLUMNS} FROM renders WHERE id=?", render_id)
        return None if row is None else _render_row(row)

    def renders(self, session_id: str) -> list[RenderRow]:
        with self._lock:
            rows = self._db.execute(f"SELECT {self._RENDER_COLUMNS} FROM renders WHERE session_id=? ORDER BY created",
                                    (session_id,)).fetchall()  # fmt: skip
        return [_render_row(r) for r in rows]


def _project(stored: str, session_id: str, version: int) -> Project:
    """One stored version; one that cannot be read (written by a bug, or by hand) is reported by its session and
    version, and the others stay usable: undo moves past it."""
    try:
        return Project.model_validate_json(stored)
    except (ValueError, TypeError) as error:  # pydantic's ValidationError is a ValueError
        log.warning("session %s version %s cannot be read: %s", session_id, version, error)
        raise StoredProjectUnreadable(
            f"Version {version} of session {session_id} cannot be read (it holds a value the project does not "
            f'take: {_first_problem(error)}). Say "undo" to go back to the version before it; the other '
            "versions are kept."
        ) from None


def _first_problem(error: ValueError | TypeError) -> str:
    from pydantic import ValidationError

    if isinstance(error, ValidationError) and error.errors():
        first = error.errors()[0]
        return f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"[:200]
    return type(error).__name__


def _render_row(row: tuple[Any, ...]) -> RenderRow:
    render_id, session_id, status, output, error, progress, details, request, version, owner, files = row
    return RenderRow(render_id, session_id, status, output, error, progress, json.loads(details), request, version,
                     owner, json.loads(files) if files else {})  # fmt: skip


def _disk_full(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
