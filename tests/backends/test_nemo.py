"""The NemoVideo cloud backend against the protocol double: a real HTTP server with real SSE on loopback."""

from __future__ import annotations

import json
import logging
import os
import stat
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from typer.testing import CliRunner

from free_music_ai import __version__
from free_music_ai.backends.choose import make_backend
from free_music_ai.backends.nemo import NemoBackend
from free_music_ai.backends.nemo_config import NemoConfig, client_id, detect_platform, skill_identity
from free_music_ai.cli import app
from free_music_ai.config import Settings, load_settings
from free_music_ai.errors import CloudError, ConfigError, FileTooLarge, InputError, NoCredits, UnsupportedFormat
from free_music_ai.mcp_server.server import create_server
from media_checks import facts
from tests.backends.exports import finished
from tests.backends.nemo_double import NemoDouble, serve

PROMPT = "generate a background music track that matches the mood of my video"
FAST = {"NEMO_POLL_INTERVAL_S": "0.01", "NEMO_RETRY_WAIT_S": "0.05", "NEMO_RECONNECT_WAIT_S": "0.01",
        "NEMO_STATE_POLL_S": "0.01", "NEMO_NOTICE_EVERY_S": "0.05"}  # fmt: skip


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def double(tmp_path: Path) -> Iterator[NemoDouble]:
    folder = tmp_path / "cloud"
    folder.mkdir()
    with serve(folder) as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache", "output_dir": tmp_path,
                          "allowed_dirs": [tmp_path]})  # fmt: skip


def config(double: NemoDouble, home: Path, **extra: str) -> NemoConfig:
    return NemoConfig.from_env({"NEMO_API_URL": double.url, "NEMO_WEB_URL": "https://web.test", **FAST, **extra},
                               home)  # fmt: skip


@pytest.fixture
async def backend(double: NemoDouble, settings: Settings, tmp_path: Path) -> AsyncIterator[NemoBackend]:
    made = NemoBackend(settings, config(double, tmp_path / "home"))
    yield made
    await made.aclose()


async def run(backend: NemoBackend, session: str, text: str) -> tuple[dict[str, Any], list[Any]]:
    events = [event async for event in backend.send_message(session, text)]
    reply = next(e for e in events if e.kind == "text")
    return {"text": reply.text, **reply.data}, events


# configuration ---------------------------------------------------------------------------------------
def test_client_id_is_saved_private_and_reused(tmp_path: Path) -> None:
    first = client_id(tmp_path)
    path = tmp_path / ".config" / "nemovideo" / "client_id"
    assert str(uuid.UUID(first)) == first and path.read_text().strip() == first
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert client_id(tmp_path) == first
    path.write_text("not a uuid")
    assert client_id(tmp_path) != first  # a damaged file is replaced by a fresh id


def test_platform_and_skill_identity(tmp_path: Path) -> None:
    assert detect_platform(tmp_path / ".clawhub" / "skills" / "x" / "nemo.py", tmp_path) == "clawhub"
    assert detect_platform(tmp_path / ".cursor" / "skills" / "x" / "nemo.py", tmp_path) == "cursor"
    assert detect_platform(tmp_path / "elsewhere.py", tmp_path) == "unknown"
    assert skill_identity() == ("free-music-ai-generator", __version__)  # SKILL.md's front matter


def test_backend_choice(settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    monkeypatch.delenv("NEMO_API_URL", raising=False)
    assert make_backend(settings).name == "local"
    monkeypatch.setenv("NEMO_TOKEN", "secret")
    assert make_backend(settings).name == "nemo"
    assert make_backend(settings, "local").name == "local"  # the flag wins
    with pytest.raises(ConfigError, match="Unknown backend 'cloud9'"):
        make_backend(settings, "cloud9")


# the main job ----------------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_upload_message_state_credits_export(backend: NemoBackend, double: NemoDouble, clip_720: Path,
                                                   tmp_path: Path) -> None:  # fmt: skip
    uploaded = await backend.upload(None, [clip_720], urls=[], files=[])
    session = uploaded.session_id
    assert uploaded.assets[0].kind == "video" and double.uploaded_bytes == [clip_720.stat().st_size]
    assert "workspace/claim?task=" in uploaded.link and "skill_name=free-music-ai-generator" in uploaded.link
    reply, events = await run(backend, session, PROMPT)
    text = reply["text"]
    assert text.count("I added a lo-fi track that fits the mood.") == 1  # partial chunks + final repeat: shown once
    assert "Export" not in text and "ask me to export" in text  # the GUI translator ran
    assert 'Stage two: added the title "Hello".' in text  # the second stage was awaited
    assert "temporary issue" not in text
    assert [e.text for e in events if e.kind == "internal"] == ["generate_bgm", "generate_bgm"]
    assert reply["summary"] == (
        'Timeline (3 tracks): 1. Video: clip720 (0-6s) 2. BGM: Lo-fi (0-6s, 35%) 3. Title: "Hello" (0-3s)'
    )
    assert text.splitlines()[-1] == reply["summary"]
    state = await backend.state(session)
    assert state.summary == reply["summary"] and state.cloud["canvas"]["aspect"] == "16:9"
    credits = await backend.credits()
    assert (credits.available, credits.frozen, credits.total) == (90, 10, 100)
    job = await backend.export_start(session, tmp_path / "out.mp4", None)
    assert await backend.export_start(session, tmp_path / "other.mp4", None) == job  # one export per session
    done = await finished(backend, job, 30)
    assert done.status == "done" and Path(done.output) == tmp_path / "out.mp4"
    assert facts(Path(done.output)).video_duration_s == pytest.approx(6.0, abs=0.1)
    assert done.link.startswith("https://web.test/workspace/claim?")
    for request in double.requests:
        if request["path"] != f"/files/{next(iter(double.renders))}.mp4":
            assert all(request["headers"].get(h.lower()) for h in ("X-Skill-Source", "X-Skill-Version",
                                                                   "X-Skill-Platform")), request["path"]  # fmt: skip
    assert double.requests[0]["headers"]["x-skill-source"] == "free-music-ai-generator"
    assert len(double.client_ids) == 1  # one anonymous token, asked for once


@pytest.mark.anyio
async def test_silent_edit_says_what_changed(backend: NemoBackend, double: NemoDouble, clip_720: Path) -> None:
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    double.behaviour.silent = True
    reply, _ = await run(backend, session, "make it calmer")
    assert reply["text"].startswith("Added BGM: Ambient (0-6s, 35%).") and reply["changed"]
    double.behaviour.silent = False
    await run(backend, session, "lo-fi please")
    double.behaviour.silent = True
    reply, _ = await run(backend, session, "calm again")
    assert "Changed the BGM: Lo-fi (0-6s, 35%) -> Ambient (0-6s, 35%)." in reply["text"]


@pytest.mark.anyio
async def test_dropped_stream_resumes_without_sending_again(backend: NemoBackend, double: NemoDouble,
                                                            clip_720: Path) -> None:  # fmt: skip
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    double.behaviour.drops = 2
    reply, _ = await run(backend, session, PROMPT)
    assert double.sessions[session].runs == 1 and len(double.resumes) == 2  # resumed, never re-sent
    assert reply["text"].count("I added a lo-fi track that fits the mood.") == 1
    double.behaviour.drops = 4  # more than three: the client polls the state until it settles
    reply, _ = await run(backend, session, PROMPT)
    assert double.sessions[session].runs == 2 and len(double.resumes) == 5 and "BGM: Lo-fi" in reply["summary"]


@pytest.mark.anyio
async def test_heartbeats_tell_the_user_and_time_out(double: NemoDouble, settings: Settings, clip_720: Path,
                                                     tmp_path: Path) -> None:  # fmt: skip
    backend = NemoBackend(settings, config(double, tmp_path, NEMO_HEARTBEAT_LIMIT_S="0.4"))
    try:
        await _heartbeats(backend, double, clip_720)
    finally:
        await backend.aclose()


async def _heartbeats(backend: NemoBackend, double: NemoDouble, clip_720: Path) -> None:
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    double.behaviour.heartbeats, double.behaviour.heartbeat_gap_s = 6, 0.03
    _, events = await run(backend, session, PROMPT)
    assert any(e.kind == "progress" and "Still working" in e.text for e in events)
    double.behaviour.heartbeats_only = True
    with pytest.raises(CloudError, match="timed out"):
        await run(backend, session, PROMPT)
    with pytest.raises(InputError, match="still running"):  # never two runs at once in a session
        backend._running.add(session)
        await run(backend, session, PROMPT)


# errors ----------------------------------------------------------------------------------------------
@pytest.mark.anyio
async def test_token_renewed_once_and_never_shown(backend: NemoBackend, double: NemoDouble, clip_720: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    old = backend.client.identity.token
    double.behaviour.expire_token = 1
    assert (await backend.state(session)).summary.startswith("Timeline (1 track)")
    assert backend.client.identity.token != old and len(double.client_ids) == 2
    assert len(set(double.client_ids)) == 1  # the same client id asked again
    double.behaviour.expire_token = 2  # the renewed token refused too: renewed once, then a clear error
    with pytest.raises(CloudError) as refused:
        await backend.credits()
    token = str(backend.client.identity.token)
    assert token not in str(refused.value) and token not in caplog.text and token not in repr(backend.config)


@pytest.mark.anyio
async def test_token_expiring_before_a_message_is_renewed_and_the_message_sent_once_more(
    backend: NemoBackend, double: NemoDouble, clip_720: Path
) -> None:
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    old = backend.client.identity.token
    double.behaviour.expire_token_on_run = True
    reply, _ = await run(backend, session, PROMPT)
    assert backend.client.identity.token != old  # a new anonymous token, with the same client id
    assert len(set(double.client_ids)) == 1
    assert [r["path"] for r in double.requests].count("/run_sse") == 2  # refused once, then sent once
    assert "refused" not in reply


@pytest.mark.anyio
async def test_lost_session_is_made_again_with_the_uploads(backend: NemoBackend, double: NemoDouble,
                                                           clip_720: Path) -> None:  # fmt: skip
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    double.behaviour.lose_session = True
    reply, _ = await run(backend, session, PROMPT)
    assert len(double.sessions) == 1 and session not in double.sessions  # a new cloud session...
    assert "BGM: Lo-fi" in reply["summary"] and "Video: clip720" in reply["summary"]  # ...with the video again
    assert len(double.uploaded_bytes) == 2
    double.behaviour.lose_session_on_run = True  # lost between the state read and the message
    reply, _ = await run(backend, session, "calm music")
    assert len(double.uploaded_bytes) == 3
    assert "BGM: Ambient" in reply["summary"] and "Video: clip720" in reply["summary"]


@pytest.mark.anyio
async def test_error_codes(backend: NemoBackend, double: NemoDouble, clip_720: Path, tmp_path: Path) -> None:
    double.behaviour.client_id_refused = True  # HTTP 400 on the token call: a fresh client id, once more
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    assert len(double.client_ids) == 1 and double.client_ids[0] == backend.client.identity.client_id
    double.behaviour.rate_limit = 1  # HTTP 429: wait, then once more
    assert (await backend.credits()).available == 90
    double.behaviour.rate_limit = 2
    with pytest.raises(CloudError, match="rate limiting"):
        await backend.credits()
    double.behaviour.no_credits = True
    with pytest.raises(NoCredits, match=r"https://web.test/register\?bind=bind-42"):
        await run(backend, session, PROMPT)
    double.behaviour.no_credits = False
    double.behaviour.reject_format = True
    with pytest.raises(UnsupportedFormat, match="mp4, mov"):
        await backend.upload(session, [clip_720], urls=[], files=[])
    double.behaviour.reject_format, double.behaviour.too_large = False, True
    with pytest.raises(FileTooLarge, match="Compress"):
        await backend.upload(session, [clip_720], urls=[], files=[])
    big = tmp_path / "big.mp4"
    with big.open("wb") as handle:
        handle.truncate(501_000_000)
    sent = len(double.requests)
    with pytest.raises(FileTooLarge, match="500 MB"):  # checked before anything is sent
        await backend.upload(session, [big], urls=[], files=[])
    assert len(double.requests) == sent
    double.behaviour.too_large = False
    await run(backend, session, PROMPT)
    double.behaviour.plan_blocks_export = True
    job = await backend.export_start(session, tmp_path / "blocked.mp4", None)
    failed = await finished(backend, job, 30)
    assert failed.status == "failed" and "Register or upgrade" in failed.error
    assert not (tmp_path / "blocked.mp4").exists()


@pytest.mark.anyio
async def test_slow_failed_render_retried_and_fallback_download(backend: NemoBackend, double: NemoDouble,
                                                                clip_720: Path, tmp_path: Path) -> None:  # fmt: skip
    session = (await backend.upload(None, [clip_720], urls=[], files=[])).session_id
    await run(backend, session, PROMPT)
    existing = tmp_path / "post.mp4"
    existing.write_bytes(b"keep me")
    double.behaviour.fail_first_render, double.behaviour.broken_output_url = True, True
    double.behaviour.render_polls = 3
    done = await finished(backend, await backend.export_start(session, existing, None), 30)
    assert done.status == "done", done
    assert len(double.renders) == 2 and len(set(double.renders)) == 2  # retried once, with a new id
    assert existing.read_bytes() == b"keep me" and Path(done.output).name == "post-1.mp4"  # nothing overwritten
    assert any(r["path"].endswith("/download") for r in double.requests)  # the fallback address was used
    assert facts(Path(done.output)).audio_codec == "aac"
    double.behaviour.render_polls = 99  # never done within NEMO_MAX_POLLS checks
    slow = await finished(backend, await backend.export_start(session, tmp_path / "slow.mp4", None), 30)
    assert slow.status == "failed" and "not done after 10 checks" in slow.error


# the CLI and the MCP tools, end to end --------------------------------------------------------------
def test_cli_render_with_the_cloud(double: NemoDouble, clip_720: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    for name, value in {"NEMO_API_URL": double.url, "HOME": str(tmp_path), **FAST}.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "cloud.mp4"
    result = CliRunner().invoke(app, ["render", str(clip_720), "-p", PROMPT, "-o", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["output"] == str(out) and "BGM: Lo-fi" in data["summary"] and "claim" in data["link"]
    assert facts(out).video_duration_s == pytest.approx(6.0, abs=0.1)
    assert (tmp_path / ".config" / "nemovideo" / "client_id").exists()
    double.behaviour.no_credits = True
    refused = CliRunner().invoke(app, ["render", str(clip_720), "-p", PROMPT, "--backend", "nemo"])
    assert refused.exit_code == 2 and "register?bind=" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.anyio
async def test_mcp_tools_with_the_cloud(double: NemoDouble, clip_720: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    for name, value in {"NEMO_API_URL": double.url, "HOME": str(tmp_path), **FAST}.items():
        monkeypatch.setenv(name, value)
    clip = tmp_path / "beach.mp4"
    clip.write_bytes(clip_720.read_bytes())
    server = create_server(load_settings({"data_dir": tmp_path / "data", "allowed_dirs": [tmp_path]}))
    async with Client(server) as client:
        uploaded = (await client.call_tool("upload", {"paths": [str(clip)]})).structured_content
        session = uploaded["session_id"]
        made = (await client.call_tool("generate", {"session_id": session, "message": PROMPT})).structured_content
        assert "BGM: Lo-fi" in made["summary"] and "ask me to export" in made["reply"]
        credits = (await client.call_tool("credits", {})).structured_content
        assert credits["available"] == 90
        state = (await client.call_tool("state", {"session_id": session})).structured_content
        assert state["summary"] == made["summary"]
        exported = (await client.call_tool("export", {"session_id": session})).structured_content
    assert exported["status"] == "done" and Path(exported["output_path"]) == tmp_path / "beach-music.mp4"
    assert "workspace/claim" in exported["link"] and "workspace/claim" in made["link"]
    assert facts(tmp_path / "beach-music.mp4").audio_codec == "aac"


@pytest.mark.anyio
async def test_unexpected_answers_are_typed_errors(settings: Settings, tmp_path: Path) -> None:
    """Through the injected transport: an answer without its fields is a clear error, not a crash later."""
    import httpx2

    def service(request: httpx2.Request) -> httpx2.Response:
        if request.url.path == "/api/auth/anonymous-token":
            return httpx2.Response(200, json={"code": 0, "data": {"token": "t-123"}})
        return httpx2.Response(200, json={"code": 0, "data": {"frozen": 1}})

    cfg = NemoConfig.from_env({"NEMO_API_URL": "http://cloud.test", **FAST}, tmp_path)
    backend = NemoBackend(settings, cfg, transport=httpx2.MockTransport(service))
    try:
        with pytest.raises(CloudError, match=r"unexpected answer while reading the credits \(available\)"):
            await backend.credits()
        with pytest.raises(CloudError, match=r"creating a session \(session_id\)"):
            await backend.create_session()
    finally:
        await backend.aclose()


@pytest.mark.anyio
async def test_an_inline_file_is_sent_decoded(backend: NemoBackend, double: NemoDouble, image_png: Path) -> None:
    import base64

    from free_music_ai.backends.base import InlineFile

    data = image_png.read_bytes()
    uploaded = await backend.upload(None, [], urls=[], files=[InlineFile("still.png", base64.b64encode(data).decode())])
    assert uploaded.assets[0].kind == "image" and double.uploaded_bytes == [len(data)]
    with pytest.raises(InputError, match="not valid base64"):
        await backend.upload(None, [], urls=[], files=[InlineFile("bad.png", "%%%%")])
