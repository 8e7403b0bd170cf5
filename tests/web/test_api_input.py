"""The web API's doors against bad text and bad field values: each answer is a sentence (400), nothing bad is
stored, and the store keeps working for this server and for another process on the same data folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from free_music_ai.config import load_settings
from free_music_ai.service.store import SessionStore
from free_music_ai.web.app import create_app
from tests.web.page_events import events


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})
    with TestClient(create_app(settings, hosts={"testserver"}), headers={"origin": "http://testserver"}) as test_client:
        yield test_client


def upload(client: TestClient, picture: Path, session: str | None = None) -> str:
    query = f"?name={picture.name}" + (f"&session={session}" if session else "")
    answer = client.put(f"/api/upload{query}", content=picture.read_bytes())
    assert answer.status_code == 200, answer.text
    return str(answer.json()["session_id"])


def post(client: TestClient, session: str, body: dict[str, Any]) -> tuple[int, str]:
    answer = client.post(f"/api/sessions/{session}/messages", content=json.dumps(body),
                         headers={"content-type": "application/json"})  # fmt: skip
    return answer.status_code, answer.text


@pytest.mark.parametrize("body", [{"message": "calm", "title": "\udfff"}, {"message": "calm \ud800 please"},
                                  {"message": 'title "a\udfffb"'}, {"message": "calm", "title": "a\x00b"}])  # fmt: skip
def test_bad_text_is_refused_and_the_store_stays_usable(tmp_path: Path, client: TestClient, image_png: Path,
                                                        body: dict[str, Any]) -> None:  # fmt: skip
    session = upload(client, image_png)
    status, text = post(client, session, body)
    assert status == 400, text
    said = json.loads(text)["error"]
    assert "Unexpected" not in said and ("character" in said), said
    # the same server still writes: another upload, and a message that changes the project
    upload(client, image_png, session)
    status, text = post(client, session, {"message": 'add the title "Hello"'})
    assert status == 200 and [kind for kind, _ in events(text)][-1] == "state", text
    # and another process's view of the same data folder can write at once (no lock left behind)
    other = SessionStore(tmp_path / "data" / "sessions.sqlite3")
    try:
        other._db.execute("PRAGMA busy_timeout=2000")
        version, project = other.project(session)
        assert other.save_project(session, project, "from another process") == version + 1
    finally:
        other.close()


def test_a_failed_write_rolls_back_and_leaves_the_store_writable(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Any exception inside a write (here: the project cannot be written out) rolls the transaction back."""
    from free_music_ai.project.model import Project

    store = SessionStore(tmp_path / "sessions.sqlite3")
    session = store.create_session()

    def broken(self: Project, **_: Any) -> str:
        raise RuntimeError("cannot write this project out")

    with monkeypatch.context() as patch:
        patch.setattr(Project, "model_dump_json", broken)
        with pytest.raises(RuntimeError):
            store.save_project(session, Project(), "broken")
    render = store.start_render(session)
    with pytest.raises(TypeError):  # fails inside the transaction, after its first read
        store.update_render(render, progress=0.5, details={"not json": object()})
    assert store.save_project(session, Project(), "after") == 1
    other = SessionStore(tmp_path / "sessions.sqlite3")
    try:
        other._db.execute("PRAGMA busy_timeout=2000")
        assert other.save_project(session, Project(), "another process") == 2
        assert [note for _, note in other.versions(session)] == ["new session", "after", "another process"]
    finally:
        other.close()
        store.close()


@pytest.mark.parametrize(("field", "value", "allowed"), [
    ("aspect", "7:3", "16:9, 9:16"), ("music_volume", float("nan"), "0 to 150"),
    ("music_volume", float("inf"), "0 to 150"), ("music_volume", -1e308, "0 to 150"),
    ("music_volume", "loud", "0 to 150"), ("seed", -1, "0 to"), ("seed", 2**80, "0 to"), ("seed", "x", "0 to"),
])  # fmt: skip
def test_a_bad_field_value_is_refused_by_name(client: TestClient, image_png: Path, field: str, value: Any,
                                              allowed: str) -> None:  # fmt: skip
    session = upload(client, image_png)
    before = client.get(f"/api/sessions/{session}").json()["version"]
    status, text = post(client, session, {"message": "calm", field: value})
    assert status == 400, text
    said = json.loads(text)["error"]
    assert field in said and allowed in said and "Unexpected" not in said, said
    state = client.get(f"/api/sessions/{session}")
    assert state.status_code == 200 and state.json()["version"] == before, state.text
    status, text = post(client, session, {"message": 'add the title "Still here"'})
    assert status == 200 and [kind for kind, _ in events(text)][-1] == "state", text


def test_an_unreadable_version_is_reported_and_undo_goes_past_it(tmp_path: Path, client: TestClient,
                                                                  image_png: Path) -> None:  # fmt: skip
    """A version stored with a value the project does not take (as earlier releases could) names its session and
    version; undo still works and the version before it is whole."""
    session = upload(client, image_png)
    store = SessionStore(tmp_path / "data" / "sessions.sqlite3")
    try:
        version, project = store.project(session)
        broken = project.model_dump(mode="json") | {"aspect": "7:3"}
        with store._write() as db:
            db.execute("UPDATE drafts SET draft=? WHERE session_id=? AND version=?",
                       (json.dumps(broken), session, version))  # fmt: skip
        assert version > 0
    finally:
        store.close()
    state = client.get(f"/api/sessions/{session}")
    assert state.status_code == 400, state.text
    said = state.json()["error"]
    assert session in said and f"Version {version}" in said and "undo" in said, said
    status, text = post(client, session, {"message": "undo"})
    assert status == 200 and [kind for kind, _ in events(text)][-1] == "state", text
    state = client.get(f"/api/sessions/{session}")
    assert state.status_code == 200 and state.json()["version"] == version - 1, state.text


def test_renders_of_an_ended_process_are_failed_on_open(tmp_path: Path) -> None:
    """The start-up write is a transaction too, and still fails what a dead process left running."""
    import socket

    store = SessionStore(tmp_path / "sessions.sqlite3")
    session = store.create_session()
    render = store.start_render(session)
    store._run("UPDATE renders SET owner=? WHERE id=?", f"{socket.gethostname()}:999999999:1", render)
    store.close()
    reopened = SessionStore(tmp_path / "sessions.sqlite3")
    try:
        row = reopened.render(render)
        assert row is not None and row.status == "failed" and "interrupted" in (row.error or "")
    finally:
        reopened.close()
