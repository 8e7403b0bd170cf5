"""The async Backend interface over the local engine: events, background exports, one job per session."""

from __future__ import annotations

import base64
from pathlib import Path

import anyio
import pytest

from free_music_ai.backends.base import Event, InlineFile
from free_music_ai.backends.local import LocalBackend
from free_music_ai.config import load_settings
from media_checks import facts
from tests.backends.exports import finished


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def backend(tmp_path: Path) -> LocalBackend:
    return LocalBackend(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                       "output_dir": tmp_path}))  # fmt: skip


@pytest.mark.anyio
async def test_message_events_and_one_export_per_session(backend: LocalBackend, tmp_path: Path,
                                                         clip_1080: Path) -> None:  # fmt: skip
    encoded = base64.b64encode(clip_1080.read_bytes()).decode()
    uploaded = await backend.upload(None, [], urls=[], files=[InlineFile("phone clip.mp4", encoded)])
    session = uploaded.session_id
    assert uploaded.assets[0].kind == "video" and uploaded.assets[0].duration_s == pytest.approx(5.0)
    events: list[Event] = []
    with anyio.fail_after(120):
        async for event in backend.send_message(session, "upbeat pop music"):
            events.append(event)
    kinds = [e.kind for e in events]
    assert "progress" in kinds and kinds[-2:] == ["text", "done"]
    text = events[-2]
    assert "upbeat pop" in text.data["explanation"] and text.data["summary"].startswith("Timeline (2 tracks)")
    first = await backend.export_start(session, tmp_path / "out.mp4", None)
    second = await backend.export_start(session, tmp_path / "out.mp4", None)
    assert first == second  # asked again while rendering: the same job, not a second render
    with anyio.fail_after(120):
        done = await finished(backend, first, 120)
    assert done.status == "done" and Path(done.output).exists() and done.progress == 1.0
    assert (await backend.credits()).free is True
    state = await backend.state(session)
    assert state.renders[0].status == "done"


@pytest.mark.anyio
async def test_real_phone_clip_with_its_own_sound(backend: LocalBackend, tmp_path: Path, shared_media: Path) -> None:
    uploaded = await backend.upload(None, [shared_media / "issue-134-rotate.mp4"], urls=[], files=[])
    session = uploaded.session_id
    with anyio.fail_after(120):
        async for _ in backend.send_message(session, "generate a background music track that matches the mood"):
            pass
    job = await backend.export_start(session, tmp_path / "phone.mp4", None)
    with anyio.fail_after(180):
        done = await finished(backend, job, 180)
    assert done.status == "done", done
    f = facts(Path(done.output))
    assert (f.width, f.height) == (1080, 1920) and f.audio_codec == "aac"  # upright, as shot on the phone


@pytest.mark.anyio
async def test_real_clip_without_its_own_sound(backend: LocalBackend, tmp_path: Path, shared_media: Path) -> None:
    """testvideo.mp4 has no audio: the soundtrack is the music alone, with accents on the three scene changes a
    beat can reach (1.0 s is too early for a beat, 23.1 s falls in the last chord's ring)."""
    uploaded = await backend.upload(None, [shared_media / "testvideo.mp4"], urls=[], files=[])
    session = uploaded.session_id
    with anyio.fail_after(120):
        async for event in backend.send_message(session, "cinematic music that matches the mood"):
            if event.kind == "text":
                assert (
                    "accents on 3 of 5 scene changes" in event.data["explanation"]
                )  # 1.0 s is too soon, 23.1 s rings out
    job = await backend.export_start(session, tmp_path / "film.mp4", None)
    with anyio.fail_after(240):
        done = await finished(backend, job, 240)
    assert done.status == "done", done
    f = facts(Path(done.output))
    assert (f.width, f.height) == (1920, 1080) and abs(f.frames / f.fps - 24.023) <= 1.5 / f.fps
    assert abs(done.lufs + 14) <= 1 and done.true_peak_db <= -1
