"""The page's files are served by job id from the job's own record (issue 29): export, delete the MP4 (keep its
licence), edit, export again. Before, the new MP4 took the old name, its licence became `...license-1.json`, the new
job's licence link served the old licence and the old job's video link the new video. The licence the page shows
names files and carries no path of this machine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from free_music_ai.config import load_settings
from free_music_ai.web.app import create_app
from tests.web.page_events import events


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                              "output_dir": tmp_path / "out"})  # fmt: skip
    (tmp_path / "out").mkdir()
    with TestClient(create_app(settings, hosts={"testserver"}), headers={"origin": "http://testserver"}) as test_client:
        yield test_client


def say(client: TestClient, session: str, message: str) -> None:
    answer = client.post(f"/api/sessions/{session}/messages", content=json.dumps({"message": message}),
                         headers={"content-type": "application/json"})  # fmt: skip
    assert answer.status_code == 200 and events(answer.text)[-1][0] == "state", answer.text


def export(client: TestClient, session: str) -> dict[str, Any]:
    answer = client.post(f"/api/sessions/{session}/exports", content="{}", headers={"content-type": "application/json"})
    done = [data for kind, data in events(answer.text) if kind == "done"]
    assert answer.status_code == 200 and done, answer.text
    return done[0]


def paths_in(value: Any) -> list[str]:
    """Every string in a JSON value that is an absolute path."""
    if isinstance(value, dict):
        return [p for item in value.values() for p in paths_in(item)]
    if isinstance(value, list):
        return [p for item in value for p in paths_in(item)]
    return [value] if isinstance(value, str) and (value.startswith("/") or value[1:3] == ":\\") else []


def session_with_music(client: TestClient, picture: Path) -> str:
    answer = client.put(f"/api/upload?name={picture.name}", content=picture.read_bytes())
    session = str(answer.json()["session_id"])
    say(client, session, "calm piano music")
    return session


def test_the_pages_licence_names_files_and_no_paths(tmp_path: Path, client: TestClient, image_png: Path) -> None:
    session = session_with_music(client, image_png)
    done = export(client, session)
    licence = client.get(f"/api/renders/{done['job_id']}/licence")
    assert licence.status_code == 200, licence.text
    shown = licence.json()
    assert shown["output"] == done["name"] and paths_in(shown) == [], shown
    assert str(tmp_path) not in licence.text
    on_disk = json.loads((tmp_path / "out" / done["name"]).with_suffix(".license.json").read_text())
    assert on_disk["spec"] == shown["spec"] and on_disk["seed"] == shown["seed"]  # the same licence, paths cut
    assert on_disk["output"] == str(tmp_path / "out" / done["name"])  # the sidecar on disk keeps its own


def test_files_are_the_jobs_own_after_a_delete_an_edit_and_a_new_export(tmp_path: Path, client: TestClient,
                                                                        image_png: Path) -> None:  # fmt: skip
    out = tmp_path / "out"
    session = session_with_music(client, image_png)
    old = export(client, session)
    shown = client.get(f"/api/renders/{old['job_id']}/licence").json()

    (out / old["name"]).unlink()  # the video deleted, its licence kept
    say(client, session, "make it calmer")
    new = export(client, session)

    # the new video took a name free for its licence too: every MP4 has OUT.license.json, nothing else
    videos = sorted(p.name for p in out.glob("*.mp4"))
    assert videos == [new["name"]] and new["name"] != old["name"], videos
    assert sorted(p.name for p in out.glob("*.json")) == sorted(
        [Path(old["name"]).with_suffix(".license.json").name, Path(new["name"]).with_suffix(".license.json").name]
    )
    new_licence = client.get(f"/api/renders/{new['job_id']}/licence").json()
    assert Path(new_licence["output"]).name == new["name"] and new_licence["spec"] != shown["spec"]  # its own
    assert client.get(f"/api/renders/{old['job_id']}/licence").json() == shown  # the old one's, kept, still its own
    video = client.get(f"/api/renders/{new['job_id']}/video")
    assert video.status_code == 200 and video.content == (out / new["name"]).read_bytes()

    # the old job's video was deleted: it says so, and never serves another file
    gone = client.get(f"/api/renders/{old['job_id']}/video")
    assert gone.status_code == 410, gone.status_code
    said = gone.json()["error"]
    assert "gone" in said and old["name"] in said and "Export again" in said, said

    # a file replaced under the job's name (another program wrote it) is not the job's either
    licence_path = (out / new["name"]).with_suffix(".license.json")
    licence_path.unlink()
    licence_path.write_text(json.dumps({"output": "someone else's"}))
    replaced = client.get(f"/api/renders/{new['job_id']}/licence")
    assert replaced.status_code == 410 and "licence" in replaced.json()["error"], replaced.text


def test_stems_and_midi_are_served_from_the_jobs_record(tmp_path: Path, client: TestClient, image_png: Path) -> None:
    session = session_with_music(client, image_png)
    answer = client.post(f"/api/sessions/{session}/exports", content=json.dumps({"stems": True, "midi": True}),
                         headers={"content-type": "application/json"})  # fmt: skip
    done = next(data for kind, data in events(answer.text) if kind == "done")
    assert done["stems"] and done["midi"], done
    for part, link in done["stems"].items():
        stem = client.get(link)
        assert stem.status_code == 200 and stem.content[:4] == b"RIFF", (part, stem.status_code)
    midi = client.get(done["midi"])
    assert midi.status_code == 200 and midi.content[:4] == b"MThd"
    assert client.get(f"/api/renders/{done['job_id']}/stems/nothing").status_code == 400
    wav = next((tmp_path / "data" / "exports" / "extras").rglob("*.wav"))
    wav.unlink()
    gone = client.get(done["stems"][wav.stem])
    assert gone.status_code == 410 and f"{wav.stem} stem" in gone.json()["error"], gone.text
