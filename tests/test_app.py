"""The MCP server as a host uses it: in-process with the SDK's Client, spawned over stdio, and over HTTP."""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.mcp_server.server import create_server
from free_music_ai.service.store import SessionStore
from free_music_ai.words.gui import translate
from free_music_ai.words.routes import route
from mcp_checks import answer_of as data
from media_checks import facts

PROMPT = "generate a background music track that matches the mood of my video"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_server(tmp_path: Path, wait_s: float = 50.0, allow_local_urls: bool = False) -> Any:
    return create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                        "allowed_dirs": [tmp_path], "export_wait_s": wait_s,
                                        "allow_local_urls": allow_local_urls}))  # fmt: skip


@pytest.mark.anyio
async def test_tools_and_annotations(tmp_path: Path) -> None:
    async with Client(make_server(tmp_path)) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"upload", "generate", "state", "credits", "export"}
    assert tools["state"].annotations.read_only_hint and tools["credits"].annotations.read_only_hint
    assert not tools["generate"].annotations.read_only_hint and not tools["export"].annotations.read_only_hint
    for tool in tools.values():
        assert tool.description and len(tool.description) > 40
        for name, schema in tool.input_schema.get("properties", {}).items():
            assert schema.get("description"), (tool.name, name)
    genre_help = tools["generate"].input_schema["properties"]["genre"]["description"]
    assert all(name in genre_help for name in ("lo-fi", "jazz", "rock", "orchestral", "folk", "r&b", "trap"))
    # the genre is a closed set a host can read, and every tool says what it answers (issue 30)
    genres = tools["generate"].input_schema["$defs"]["Genre"]["enum"]
    assert len(genres) == 16 and {"lo-fi", "trap", "r&b", "solo piano"} <= set(genres)
    for tool in tools.values():
        assert tool.output_schema and tool.output_schema["type"] == "object", tool.name
        assert "additionalProperties" not in tool.output_schema or not tool.output_schema["additionalProperties"]
    assert {"session_id", "summary", "assets", "renders"} <= set(tools["state"].output_schema["properties"])
    assert {"status", "job_id", "output_path", "music"} <= set(tools["export"].output_schema["properties"])


@pytest.mark.anyio
async def test_upload_generate_state_export(tmp_path: Path, clip_1080: Path) -> None:
    clip = tmp_path / "holiday.mp4"
    clip.write_bytes(clip_1080.read_bytes())
    progress: list[tuple[float, str | None]] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append((value, message))

    with anyio.fail_after(240):
        async with Client(make_server(tmp_path)) as client:
            uploaded = data(await client.call_tool("upload", {"paths": [str(clip)]}))
            session = uploaded["session_id"]
            assert uploaded["assets"][0]["kind"] == "video"
            made = data(await client.call_tool("generate", {"session_id": session, "message": PROMPT},
                                               progress_callback=on_progress))  # fmt: skip
            assert made["summary"].startswith("Timeline (2 tracks)") and made["explanation"]
            assert made["reply"].splitlines()[-1] == made["summary"]
            assert progress and any(m and "Compos" in m for _, m in progress)
            state = data(await client.call_tool("state", {"session_id": session}))
            assert state["summary"] == made["summary"] and ".npy" not in str(state)  # no internal files named
            assert data(await client.call_tool("credits", {}))["free"] is True
            stems = tmp_path / "stems"
            stems.mkdir()
            extras = {"stems_dir": str(stems), "midi_path": str(tmp_path / "holiday.mid")}
            raw = await client.call_tool("export", {"session_id": session, **extras}, progress_callback=on_progress)
            exported = data(raw)
            assert exported["midi_path"] == str(tmp_path / "holiday.mid") and (tmp_path / "holiday.mid").is_file()
            assert exported["stems"] and all(Path(path).parent == stems for path in exported["stems"].values())
            outside = await client.call_tool("export", {"session_id": session, "midi_path": "/etc/notes.mid"})
            assert outside.is_error and "outside the folders" in str(outside.content)
            links = [item for item in raw.content if getattr(item, "type", "") == "resource_link"]
            assert links and links[0].uri == exported["uri"] and links[0].mime_type == "video/mp4"
    assert exported["status"] == "done" and exported["uri"].startswith("file://")
    output = Path(exported["output_path"])
    assert output.parent == tmp_path and output.name == "holiday-music.mp4"
    assert facts(output).audio_codec == "aac" and exported["size_bytes"] == output.stat().st_size


@pytest.mark.anyio
async def test_inline_upload_and_routing(tmp_path: Path, clip_1080: Path) -> None:
    encoded = base64.b64encode(clip_1080.read_bytes()).decode()
    async with Client(make_server(tmp_path)) as client:
        uploaded = data(await client.call_tool("upload", {"files": [{"name": "phone.mp4", "data_base64": encoded}]}))
        session = uploaded["session_id"]
        routed = data(await client.call_tool("generate", {"session_id": session, "message": "send me the video"}))
        assert routed["routed_to"] == "export"
        routed = data(await client.call_tool("generate", {"session_id": session, "message": "how many credits"}))
        assert routed["routed_to"] == "credits"
        bad = await client.call_tool("upload", {"files": [{"name": "x.mp4", "data_base64": "%%%"}]})
        assert bad.is_error and "base64" in str(bad.content)
        # a genre the engine does not have is an error naming the ones it has, not another genre in silence
        unknown = await client.call_tool("generate", {"session_id": session, "message": PROMPT, "genre": "polka"})
        assert unknown.is_error and 'genre cannot be "polka"' in str(unknown.content) and "jazz" in str(unknown.content)


@pytest.mark.anyio
async def test_upload_by_link(tmp_path: Path, clip_1080: Path) -> None:
    """A link to a file served on loopback is downloaded into the session."""
    import functools
    import http.server
    import threading

    served = tmp_path / "web"
    served.mkdir()
    (served / "clip.mp4").write_bytes(clip_1080.read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined,assignment]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/clip.mp4"
        async with Client(make_server(tmp_path)) as client:  # by default a link cannot reach this machine
            refused = await client.call_tool("upload", {"urls": [url]})
            assert refused.is_error and "public http(s)" in str(refused.content)
            (served / "notes.mp4").write_bytes(b"not a video")
            bad = await client.call_tool("upload", {"urls": [url, url.replace("clip", "notes")]})
            assert bad.is_error
        downloads = tmp_path / "data" / "downloads"
        assert list(downloads.glob("*")) == []  # a refused link keeps nothing
        async with Client(make_server(tmp_path, allow_local_urls=True)) as client:
            bad = await client.call_tool("upload", {"urls": [url, url.replace("clip", "notes")]})
            assert bad.is_error and not list(downloads.iterdir())  # the good one is not kept either
            store = SessionStore(tmp_path / "data" / "sessions.sqlite3")
            assert store.sessions() == []  # and no empty session
            store.close()
            uploaded = data(await client.call_tool("upload", {"urls": [url]}))
            assert uploaded["assets"][0]["name"] == "clip.mp4" and uploaded["assets"][0]["kind"] == "video"
            missing = await client.call_tool("upload", {"urls": [url.replace("clip", "nothing")]})
            assert missing.is_error and "Could not download" in str(missing.content)
            ftp = await client.call_tool("upload", {"urls": ["ftp://example.invalid/x.mp4"]})
            assert ftp.is_error and "http(s)" in str(ftp.content)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.anyio
async def test_second_export_returns_the_same_job(tmp_path: Path, clip_720: Path) -> None:
    clip = tmp_path / "c.mp4"
    clip.write_bytes(clip_720.read_bytes())  # 720p: re-encoded to 1080p, so the render takes a while
    with anyio.fail_after(240):
        async with Client(make_server(tmp_path, wait_s=0.0)) as client:
            session = data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
            first = data(await client.call_tool("export", {"session_id": session}))
            assert first["status"] == "rendering" and first["job_id"]
            second = data(await client.call_tool("export", {"session_id": session}))
            assert second["job_id"] == first["job_id"]
            state = data(await client.call_tool("state", {"session_id": session}))
            assert len(state["renders"]) == 1


@pytest.mark.anyio
async def test_path_sandbox(tmp_path: Path, clip_1080: Path) -> None:
    inside = tmp_path / "inside"
    inside.mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir(exist_ok=True)
    secret = outside / "secret.mp4"
    secret.write_bytes(clip_1080.read_bytes())
    link = inside / "link.mp4"
    link.symlink_to(secret)
    server = create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                          "allowed_dirs": [inside]}))  # fmt: skip
    async with Client(server) as client:
        for attack in (str(secret), str(inside / ".." / f"{tmp_path.name}-outside" / "secret.mp4"), str(link),
                       "relative/clip.mp4", "/etc/passwd"):  # fmt: skip
            result = await client.call_tool("upload", {"paths": [attack]})
            assert result.is_error, attack
            assert "outside the folders" in str(result.content) or "absolute path" in str(result.content)
        missing = await client.call_tool("state", {"session_id": "nope"})
        assert missing.is_error and "no session" in str(missing.content) and "Traceback" not in str(missing.content)


@pytest.mark.anyio
async def test_over_stdio(tmp_path: Path, clip_1080: Path) -> None:
    clip = tmp_path / "stdio.mp4"
    clip.write_bytes(clip_1080.read_bytes())
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "FMAI_ALLOWED_DIRS": str(tmp_path)}  # fmt: skip
    params = StdioServerParameters(command=sys.executable, args=["-m", "free_music_ai.cli", "mcp"], env=env)
    with anyio.fail_after(240):
        async with Client(params) as client:
            session = data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
            data(await client.call_tool("generate", {"session_id": session, "message": "calm piano"}))
            exported = data(await client.call_tool("export", {"session_id": session}))
    assert exported["status"] == "done" and Path(exported["output_path"]).exists()


@pytest.mark.anyio
async def test_over_http(tmp_path: Path, clip_1080: Path) -> None:
    """`free-music-ai mcp --http`: a host reaches the same tools at http://127.0.0.1:PORT/mcp."""
    import socket
    import subprocess

    with socket.socket() as probe_socket:  # a port nobody uses
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    clip = tmp_path / "http.mp4"
    clip.write_bytes(clip_1080.read_bytes())
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "FMAI_ALLOWED_DIRS": str(tmp_path)}  # fmt: skip
    command = [sys.executable, "-m", "free_music_ai", "mcp", "--http", "--port", str(port)]
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as server:
        try:
            with anyio.fail_after(60):
                while True:  # until it listens
                    assert server.poll() is None, server.communicate()[1].decode()
                    try:
                        with socket.create_connection(("127.0.0.1", port), timeout=1):
                            break
                    except OSError:
                        await anyio.sleep(0.1)
                async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                    names = {tool.name for tool in (await client.list_tools()).tools}
                    assert {"upload", "generate", "state", "credits", "export"} <= names
                    session = data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
                    assert "Video" in str(data(await client.call_tool("state", {"session_id": session})))
                    assert not (await client.call_tool("credits", {})).is_error
        finally:
            server.terminate()


@pytest.mark.parametrize(
    ("message", "expected"),
    [("export", "export"), ("export it as mp4", "export"), ("download", "export"), ("send me the video", "export"),
     ("导出", "export"), ("下载视频", "export"), ("credits", "credits"), ("what's my balance", "credits"),
     ("积分", "credits"), ("余额", "credits"), ("status", "state"), ("show tracks", "state"), ("状态", "state"),
     ("upload", "upload"), ("上传", "upload"), ("add background music", "message"), ("make it calmer", "message"),
     ("lower the music volume", "message"), ("generate a background music track that matches the mood", "message"),
     ("add title 'Export Day' for 3 seconds", "message"), ("show me some calmer music", "message"),
     ("生成背景音乐", "message")],
)  # fmt: skip
def test_router(message: str, expected: str) -> None:
    assert route(message) == expected


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [("Done! Click the Export button to download your video.", "Click", "Done!"),
     ("I added a lo-fi track. Preview it in the timeline.", "Preview it in the timeline", "lo-fi track"),
     ("Drag the clip onto the timeline to add it.", "Drag", "add it"),
     ("请点击导出按钮", "点击导出", "请"), ("Check your account billing to top up.", "account billing", "top up")],
)  # fmt: skip
def test_gui_translation(text: str, gone: str, kept: str) -> None:
    out = translate(text)
    assert gone not in out and kept in out


@pytest.mark.anyio
async def test_words_do_what_they_say(tmp_path: Path, clip_1080: Path) -> None:
    """Messages a host sends after the music is made: each does what it says and nothing else."""
    clip = tmp_path / "party.mp4"
    clip.write_bytes(clip_1080.read_bytes())
    with anyio.fail_after(240):
        async with Client(make_server(tmp_path)) as client:

            async def say(message: str) -> dict[str, Any]:
                return data(await client.call_tool("generate", {"session_id": session, "message": message}))

            async def state() -> dict[str, Any]:
                return data(await client.call_tool("state", {"session_id": session}))

            session = data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
            await say(PROMPT)
            before = await state()
            asked = await say("what's the status of my music?")  # a question changes nothing
            assert asked["routed_to"] == "state" and (await state())["version"] == before["version"]
            credits = await say("add a title 'Credits' at the end")  # a title, not a question about credits
            assert credits.get("routed_to") is None  # not sent elsewhere
            end = before["summary"].split("Video: party (0-")[1].split("s)")[0]
            assert f'Title: "Credits" ({float(end) - 3:g}-{end}s)' in credits["summary"]
            dragged = await say("add title 'Drag the beat drop' for the first 2 seconds")  # our reply, untouched
            assert 'Added the title "Drag the beat drop" (0-2s).' in dragged["reply"]
            both = await say("lower the music to 20% and then export it")  # the edit first, then the video
            assert both["next"] == "export" and ", 20%)" in both["summary"] and "export tool" in both["reply"]
            again = await say("upbeat music, redo the vibe")  # new music as described, not a redo of an edit
            assert again["changed"] and again["music"]["genre"]


@pytest.mark.anyio
async def test_errors_inside_a_generate_read_as_advice(tmp_path: Path, music_wav: Path) -> None:
    """What fails inside the work a tool starts (a task group's ExceptionGroup) still reads as its advice."""
    song = tmp_path / "song.wav"
    song.write_bytes(music_wav.read_bytes())
    async with Client(make_server(tmp_path)) as client:
        unknown = await client.call_tool("generate", {"session_id": "nope", "message": PROMPT})
        assert unknown.is_error and "Unexpected" not in str(unknown.content) and "session" in str(unknown.content)
        session = data(await client.call_tool("upload", {"paths": [str(song)]}))["session_id"]
        audio_only = await client.call_tool("generate", {"session_id": session, "message": PROMPT})
        assert audio_only.is_error and "Upload a video or images first" in str(audio_only.content)


@pytest.mark.anyio
async def test_an_export_is_the_one_asked_for(tmp_path: Path) -> None:
    """An export job is what was asked: the same request gives the same job (running or done, never a second
    render), a different one after an edit gives its own file, with the edit and the canvas it asked for."""
    # five encodes of a 720p clip: flat scenes of 3 s encode in a fraction of a 6 s test pattern's time
    clip = sample_media.make_scenes(tmp_path / "trip.mp4", ["0x1d3557", "0xe63946"], scene_s=1.5)
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    with anyio.fail_after(300):
        async with Client(make_server(tmp_path, wait_s=0.0)) as client:

            async def export(**arguments: Any) -> dict[str, Any]:
                return data(await client.call_tool("export", {"session_id": session, **arguments}))

            async def finished(job: str) -> dict[str, Any]:
                while (answer := await export(job_id=job))["status"] != "done":
                    assert answer["job_id"] == job
                    await anyio.sleep(0.2)
                return answer

            session = data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
            data(await client.call_tool("generate", {"session_id": session, "message": "calm lo-fi music"}))
            first = await export(output_path=str(a))
            assert first["status"] == "rendering"
            edit = {"session_id": session, "message": "music 20% and add title 'Late Edit'"}
            edited = data(await client.call_tool("generate", edit))
            assert ", 20%)" in edited["summary"] and 'Title: "Late Edit"' in edited["summary"]
            second = await export(aspect="9:16", output_path=str(b))
            assert second["job_id"] != first["job_id"]
            done_a = await finished(first["job_id"])
            done_b = await finished(second["job_id"])
            again = await export(aspect="9:16", output_path=str(b))  # asked again once done: the same file
            assert again["job_id"] == second["job_id"] and again["output_path"] == str(b)
            others = [tmp_path / f"{name}.mp4" for name in ("c", "d", "e")]
            jobs = [(await export(output_path=str(path)))["job_id"] for path in others]  # at once, in order
            assert len(set(jobs)) == 3
            for job, path in zip(jobs, others, strict=True):
                assert (await finished(job))["output_path"] == str(path)
    assert Path(done_a["output_path"]) == a and Path(done_b["output_path"]) == b
    assert (facts(a).width, facts(a).height) == (1920, 1080) and (facts(b).width, facts(b).height) == (1080, 1920)
    assert not (tmp_path / "b-1.mp4").exists() and all(path.is_file() for path in others)


@pytest.mark.anyio
async def test_each_upload_exports_where_the_user_looks(tmp_path: Path, clip_1080: Path, clip_720: Path) -> None:
    """An upload sent as data is a copy in the data folder: its video goes to the output folder, never
    there; with two uploads, export's video argument renders the one asked for, under its own name."""
    encoded = base64.b64encode(clip_1080.read_bytes()).decode()
    second = tmp_path / "second.mp4"
    second.write_bytes(clip_720.read_bytes())
    with anyio.fail_after(240):
        async with Client(make_server(tmp_path)) as client:
            uploaded = data(
                await client.call_tool("upload", {"files": [{"name": "phone.mp4", "data_base64": encoded}]})
            )
            session = uploaded["session_id"]
            data(await client.call_tool("generate", {"session_id": session, "message": "calm piano music"}))
            data(await client.call_tool("upload", {"session_id": session, "paths": [str(second)]}))
            data(await client.call_tool("generate", {"session_id": session, "message": "upbeat pop music"}))
            phone = data(await client.call_tool("export", {"session_id": session, "video": "1"}))
            other = data(await client.call_tool("export", {"session_id": session, "video": "second.mp4"}))
    assert Path(phone["output_path"]) == tmp_path / "phone-music.mp4" and phone["music"]["genre"] == "solo piano"
    assert Path(other["output_path"]) == tmp_path / "second-music.mp4" and other["music"]["genre"] == "upbeat pop"
    assert phone["duration_s"] == pytest.approx(5.0, abs=0.05) and other["duration_s"] == pytest.approx(6.0, abs=0.05)


@pytest.mark.anyio
async def test_edits_sent_at_once_all_land(tmp_path: Path, clip_1080: Path, image_png: Path) -> None:
    """Calls a host makes in parallel on one session: none of them overwrites another's edit."""
    clip, picture = tmp_path / "walk.mp4", tmp_path / "landscape.png"
    clip.write_bytes(clip_1080.read_bytes())
    picture.write_bytes(image_png.read_bytes())
    with anyio.fail_after(120):
        async with Client(make_server(tmp_path)) as client:
            session = data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
            titles = [f"Part {k}" for k in range(1, 5)]

            async def title(text: str) -> None:
                message = f"add title '{text}' for the first 2 seconds"
                data(await client.call_tool("generate", {"session_id": session, "message": message}))

            async def upload() -> None:
                data(await client.call_tool("upload", {"session_id": session, "paths": [str(picture)]}))

            async with anyio.create_task_group() as group:
                for text in titles:
                    group.start_soon(title, text)
                group.start_soon(upload)
            summary = data(await client.call_tool("state", {"session_id": session}))["summary"]
    assert all(f'Title: "{text}"' in summary for text in titles), summary
    assert "Video: walk, landscape" in summary  # the upload made at the same time is on the timeline too
