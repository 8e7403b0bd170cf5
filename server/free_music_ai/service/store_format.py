"""The session store's format, by number, and the numbered steps from each earlier format to this one.

The format is SQLite's ``user_version``. A store opens by running, in one transaction, the steps after its own
number, so a store from any earlier release reads as today's and nothing is guessed on each read. Stores from
before the numbering (user_version 0 with tables in it) take every step from 2: each step checks what it
changes, since those stores gained columns as they went and kept their early rows as they were written.

    1  sessions, assets, drafts (each version of a session's project), renders       (2026-11-24)
    2  renders.request, renders.version: an export is keyed by what was asked          (2026-11-29)
    3  drafts hold the typed project; rows stored as NemoVideo drafts are converted    (2026-11-29)
    4  renders.owner: the process rendering it (process_owner.py)                      (2026-11-29)
    5  renders.files: every file a render wrote, with its fingerprint (render_files.py) (2026-12-05)

A store written by a newer release (a higher number) is refused with a sentence, never opened and changed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable

from free_music_ai.errors import ConfigError
from free_music_ai.project.nemo_draft import Draft, from_draft

log = logging.getLogger(__name__)

BASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, created REAL, head INTEGER DEFAULT 0);
CREATE TABLE IF NOT EXISTS assets (id TEXT PRIMARY KEY, session_id TEXT, path TEXT, name TEXT, kind TEXT,
    info TEXT, analysis TEXT, created REAL);
CREATE TABLE IF NOT EXISTS drafts (session_id TEXT, version INTEGER, draft TEXT, note TEXT, created REAL,
    PRIMARY KEY (session_id, version));
CREATE TABLE IF NOT EXISTS renders (id TEXT PRIMARY KEY, session_id TEXT, status TEXT, output TEXT, error TEXT,
    progress REAL, created REAL, finished REAL, details TEXT);
"""


def _add_columns(db: sqlite3.Connection, table: str, columns: tuple[tuple[str, str], ...]) -> None:
    present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    for name, kind in columns:
        if name not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _step_1_tables(db: sqlite3.Connection) -> None:
    for statement in BASE_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _step_2_render_requests(db: sqlite3.Connection) -> None:
    _add_columns(db, "renders", (("request", "TEXT"), ("version", "INTEGER")))


def _step_3_typed_projects(db: sqlite3.Connection) -> None:
    """Versions stored as NemoVideo drafts become the typed project. One that cannot be read is left as it is:
    reading it reports its session and version, and undo goes past it."""
    rows = db.execute("SELECT session_id, version, draft FROM drafts").fetchall()
    for session_id, version, stored in rows:
        try:
            data = json.loads(stored)
            if not isinstance(data, dict) or "clips" in data or not ("t" in data or "m" in data):
                continue  # already a project (or not a draft at all)
            project = from_draft(Draft.model_validate(data))
        except (ValueError, TypeError) as error:
            log.warning("session %s version %s stays as stored: %s", session_id, version, error)
            continue
        db.execute("UPDATE drafts SET draft=? WHERE session_id=? AND version=?",
                   (project.model_dump_json(), session_id, version))  # fmt: skip


def _step_4_render_owners(db: sqlite3.Connection) -> None:
    _add_columns(db, "renders", (("owner", "TEXT"),))


def _step_5_render_files(db: sqlite3.Connection) -> None:
    _add_columns(db, "renders", (("files", "TEXT"),))


STEPS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _step_1_tables,
    _step_2_render_requests,
    _step_3_typed_projects,
    _step_4_render_owners,
    _step_5_render_files,
)
FORMAT = len(STEPS)  # the format this release writes


def bring_up_to_date(db: sqlite3.Connection, where: str) -> int:
    """Run the steps this store has not had, in one transaction; the format it had before (0: a new store)."""
    if int(db.execute("PRAGMA user_version").fetchone()[0]) == FORMAT:
        return FORMAT  # the usual case: no write lock taken
    db.execute("BEGIN IMMEDIATE")  # two processes opening one old store: the second waits, then finds it done
    try:
        found = int(db.execute("PRAGMA user_version").fetchone()[0])
        if found > FORMAT:
            raise ConfigError(f"The session store {where} was written by a newer free-music-ai (format {found}; "
                              f"this one reads up to {FORMAT}). Update free-music-ai, or set FMAI_DATA_DIR to "
                              "another folder.")  # fmt: skip
        had_tables = db.execute("SELECT count(*) FROM sqlite_master WHERE name='drafts'").fetchone()[0] > 0
        start = found if found > 0 or not had_tables else 1  # before the numbering: every step after the tables
        for step in STEPS[start:]:
            step(db)
        if start < FORMAT:
            db.execute(f"PRAGMA user_version={FORMAT}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return found
