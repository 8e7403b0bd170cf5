"""Every earlier format of the session store opens as today's: each is built here as its release wrote it (the
tables, the columns it had, NemoVideo drafts in the rows before the typed project), opened, and read back. A store
from a newer release is refused with a sentence and left as it is."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from free_music_ai.errors import ConfigError
from free_music_ai.project.model import Project
from free_music_ai.project.nemo_draft import AUDIO, TEXT, VIDEO, Draft, Segment, Track, to_draft
from free_music_ai.service.store import SessionStore
from free_music_ai.service.store_format import BASE_SCHEMA, FORMAT

OLD_DRAFT = Draft(t=[Track(tt=VIDEO, sg=[Segment(d=6000, m={"asset": "a1", "name": "beach", "path": "/x/beach.mp4",
                                                            "kind": "video", "has_audio": True})]),
                     Track(tt=AUDIO, m={"role": "bgm"}, sg=[Segment(d=6000, m={"name": "Lo-fi", "path": "/m.npy",
                                                                                 "volume": 0.35, "seed": 7})]),
                     Track(tt=TEXT, sg=[Segment(st=1000, d=2000, m={"text": "Hi", "position": "top"})])],
                  m={"aspect": "9:16", "original_volume": 0.5})  # fmt: skip
LATER_RENDER_COLUMNS = {1: [], 2: ["request TEXT", "version INTEGER"], 3: ["request TEXT", "version INTEGER"],
                        4: ["request TEXT", "version INTEGER", "owner TEXT"]}  # fmt: skip


def old_store(path: Path, release: int) -> None:
    """A store as release ``release`` left it (before the numbering: user_version 0). Releases 1 and 2 wrote
    NemoVideo drafts; 3 and 4 the typed project, but kept the drafts their predecessors wrote."""
    with sqlite3.connect(path) as db:
        db.executescript(BASE_SCHEMA)
        for column in LATER_RENDER_COLUMNS[release]:
            db.execute(f"ALTER TABLE renders ADD COLUMN {column}")
        db.execute("INSERT INTO sessions VALUES ('old', 1.0, 1)")
        db.execute("INSERT INTO assets VALUES ('a1', 'old', '/x/beach.mp4', 'beach', 'video', ?, NULL, 1.0)",
                   (json.dumps({"duration_s": 6.0, "size_bytes": 1000}),))  # fmt: skip
        db.execute("INSERT INTO drafts VALUES ('old', 0, ?, 'new session', 1.0)", (OLD_DRAFT.model_dump_json(),))
        newer = Project.model_validate({"aspect": "1:1"}) if release >= 3 else None
        second = newer.model_dump_json() if newer is not None else OLD_DRAFT.model_dump_json()
        db.execute("INSERT INTO drafts VALUES ('old', 1, ?, 'an edit', 2.0)", (second,))
        columns = "id, session_id, status, output, error, progress, created, finished, details"
        db.execute(f"INSERT INTO renders ({columns}) VALUES ('r1', 'old', 'done', '/x/out.mp4', NULL, 1.0, 1.0, 2.0,"
                   " '{}')")  # fmt: skip


@pytest.mark.parametrize("release", [1, 2, 3, 4])
def test_every_earlier_format_opens_as_today(tmp_path: Path, release: int) -> None:
    path = tmp_path / "sessions.sqlite3"
    old_store(path, release)
    store = SessionStore(path)
    version, project = store.project("old")
    assert version == 1
    assert project.aspect == ("1:1" if release >= 3 else "9:16")
    undone = store.move_head("old", -1)
    assert undone[0]
    _, first = store.project("old")  # the draft the first release wrote, as the typed project
    assert first.clips[0].name == "beach" and first.clips[0].has_audio and first.aspect == "9:16"
    assert first.music is not None and first.music.volume == 0.35 and first.music.seed == 7
    assert first.titles[0].text == "Hi" and first.original_volume == 0.5
    assert to_draft(first).model_dump(exclude_defaults=True) == OLD_DRAFT.model_dump(exclude_defaults=True)
    (render,) = store.renders("old")
    assert render.status == "done" and render.output == "/x/out.mp4" and render.request is None
    assert [a.name for a in store.assets("old")] == ["beach"]
    new = store.create_session()  # and it takes today's writes
    store.save_project(new, Project(aspect="4:5"), "4:5")
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == FORMAT
        stored = [json.loads(row[0]) for row in db.execute("SELECT draft FROM drafts WHERE session_id='old'")]
    assert all("clips" in row for row in stored)  # converted once, in the file: no guessing at each read
    assert SessionStore(path).project("old")[1].aspect == "9:16"  # opened again: the same


def test_a_store_from_a_newer_release_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    SessionStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version={FORMAT + 1}")
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="written by a newer free-music-ai"):
        SessionStore(path)
    assert path.read_bytes() == before


def test_a_new_store_is_written_in_todays_format(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    SessionStore(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == FORMAT
        columns = {row[1] for row in db.execute("PRAGMA table_info(renders)")}
    assert {"request", "version", "owner", "files"} <= columns
