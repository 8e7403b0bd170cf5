"""An edit of the sound on the page copies the last export's picture instead of encoding it (issue 31): export at
9:16, "music 20%", export again (the same video packets, new sound, said in the answer); then the last video replaced
under its name by another program: the next edit encodes the picture, never copying a file that is not the job's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from starlette.testclient import TestClient

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.web.app import create_app
from media_checks import audio_samples, video_packets
from tests.web.page_events import events


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                              "output_dir": tmp_path / "out"})  # fmt: skip
    (tmp_path / "out").mkdir()
    with TestClient(create_app(settings, hosts={"testserver"}), headers={"origin": "http://testserver"}) as test_client:
        yield test_client


def edit_and_export(client: TestClient, session: str, message: str) -> dict[str, Any]:
    said = client.post(f"/api/sessions/{session}/messages", content=json.dumps({"message": message}),
                       headers={"content-type": "application/json"})  # fmt: skip
    assert said.status_code == 200 and events(said.text)[-1][0] == "state", said.text
    answer = client.post(f"/api/sessions/{session}/exports", content=json.dumps({"aspect": "9:16"}),
                         headers={"content-type": "application/json"})  # fmt: skip
    done = [data for kind, data in events(answer.text) if kind == "done"]
    assert answer.status_code == 200 and done, answer.text
    return done[0]


def test_a_sound_edit_reuses_the_picture_until_its_file_is_replaced(tmp_path: Path, client: TestClient) -> None:
    clip = sample_media.make_video(tmp_path / "beach.mp4", duration_s=3, width=640, height=360)
    session = client.put(f"/api/upload?name={clip.name}", content=clip.read_bytes()).json()["session_id"]
    first = edit_and_export(client, session, "calm piano music")
    quieter = edit_and_export(client, session, "music 20%")

    assert first["video_reused"] is False and quieter["video_reused"] is True
    old, new = tmp_path / "old.mp4", tmp_path / "new.mp4"
    old.write_bytes(client.get(first["video"]).content)
    new.write_bytes(client.get(quieter["video"]).content)
    assert video_packets(new) == video_packets(old)  # the picture, packet for packet
    before, _ = audio_samples(old)
    after, _ = audio_samples(new)
    assert before.shape == after.shape and float(np.abs(before - after).max()) > 0.05  # the new mix

    # another program puts a file under the last export's name: not the job's, so never copied from
    mine = tmp_path / "out" / quieter["name"]
    other = tmp_path / "other.mp4"
    other.write_bytes(mine.read_bytes())
    other.replace(mine)
    (tmp_path / "out" / first["name"]).unlink()  # and the one before it deleted
    again = edit_and_export(client, session, "music 30%")
    assert again["video_reused"] is False
    encoded = tmp_path / "encoded.mp4"
    encoded.write_bytes(client.get(again["video"]).content)
    assert len(video_packets(encoded)) == len(video_packets(old))  # encoded whole
