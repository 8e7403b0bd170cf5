"""Content Credentials through every door: the CLI's one-shot render, MCP's export (its stems too), the web page's
export and the batch each write files an independent reader finds signed, with the music declared as made by an
algorithm; ``verify`` passes on an untouched file and fails on one whose audio changed; the user's own song is
named as an ingredient, never as generated; ``--no-credentials`` writes none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from starlette.testclient import TestClient
from typer.testing import CliRunner

import free_music_ai
from credential_checks import assert_generated_music, read_credentials
from free_music_ai.cli import app
from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.mcp_server.server import create_server
from free_music_ai.service import credentials
from free_music_ai.web.app import create_app

pytestmark = pytest.mark.slow  # every test here encodes video
PROMPT = "calm piano"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_media.make_scenes(tmp_path_factory.mktemp("clips") / "street.mp4",
                                    ["0x1d3557", "0xe63946"], scene_s=1.5, width=640, height=360)  # fmt: skip


def _render(clip: Path, out: Path, *more: str) -> dict[str, Any]:
    done = CliRunner().invoke(app, ["render", str(clip), "-o", str(out), "--json", *more])
    assert done.exit_code == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _verify(path: Path) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["verify", str(path)])
    return done.exit_code, done.stdout + done.stderr


def test_the_one_shot_render_is_signed_and_verify_catches_a_changed_soundtrack(tmp_path: Path, clip: Path) -> None:
    out = Path(_render(clip, tmp_path / "post.mp4", "-p", PROMPT, "--seed", "4")["output"])
    music = assert_generated_music(out)
    assert music["seed"] == 4 and music["mastered"] is False and music["engine"] == "free-music-ai-generator"
    code, said = _verify(out)
    assert code == 0 and "replayed, samples match" in said and "self-issued" in said, said
    louder = tmp_path / "louder.mp4"  # the audio re-encoded by another tool: the credentials do not survive it
    subprocess.run([ffmpeg_exe(None), "-v", "error", "-i", str(out), "-c:v", "copy", "-af", "volume=1.5",
                    "-c:a", "aac", str(louder)], check=True)  # fmt: skip
    code, said = _verify(louder)
    assert code == 2 and "carries no Content Credentials" in said
    edited = tmp_path / "edited.mp4"  # bytes of the media changed in place: the manifest is there and disagrees
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    edited.write_bytes(bytes(data))
    code, said = _verify(edited)
    assert code == 1 and "was changed after it was signed" in said, said
    plain = Path(_render(clip, tmp_path / "plain.mp4", "-p", PROMPT, "--seed", "4", "--no-credentials")["output"])
    assert not read_credentials(plain)["found"] and plain.with_suffix(".license.json").is_file()  # the sidecar stays


def test_the_users_own_song_is_an_ingredient_not_generated(tmp_path: Path, clip: Path, music_wav: Path) -> None:
    out = Path(_render(clip, tmp_path / "mine.mp4", "--music", str(music_wav))["output"])
    found = read_credentials(out)
    assert found["found"] and found["failures"] == ["signingCredential.untrusted"], found
    assert all(a.get("digitalSourceType") != "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
               for a in found["actions"])  # fmt: skip
    assert [i["title"] for i in found["ingredients"]] == [music_wav.name]
    assert found["data"]["org.free-music-ai.music"]["music_source"] == "user"
    code, said = _verify(out)
    assert code == 0 and "the user's own file" in said, said


@pytest.mark.anyio
async def test_the_mcp_export_and_its_stems_are_signed(tmp_path: Path, clip: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                              "allowed_dirs": [tmp_path]})  # fmt: skip
    stems = tmp_path / "stems"
    stems.mkdir()
    mine = tmp_path / clip.name  # inside the folders the server may read
    mine.write_bytes(clip.read_bytes())
    with anyio.fail_after(240):
        async with Client(create_server(settings)) as client:
            uploaded = await client.call_tool("upload", {"paths": [str(mine)]})
            assert not uploaded.is_error, uploaded.content
            session = uploaded.structured_content["session_id"]
            made = await client.call_tool("generate", {"session_id": session, "message": PROMPT})
            assert not made.is_error, made.content
            exported = await client.call_tool("export", {"session_id": session, "output_path": str(tmp_path / "a.mp4"),
                                                         "stems_dir": str(stems)})  # fmt: skip
            assert not exported.is_error, exported.content
    assert_generated_music(Path(exported.structured_content["output_path"]))
    parts = sorted(stems.glob("*.wav"))
    assert parts
    for part in parts:
        assert assert_generated_music(part)["part"] == part.stem
    code, said = _verify(parts[0])
    assert code == 0 and "replayed, samples match" in said, said


@pytest.mark.anyio
async def test_an_edit_of_the_volume_states_the_same_music_hashed_once(
    tmp_path: Path, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    original = credentials.pcm_sha256

    def counted(blocks: Any) -> str:
        hashed.append(original(blocks))
        return hashed[-1]

    monkeypatch.setattr(credentials, "pcm_sha256", counted)
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                              "allowed_dirs": [tmp_path]})  # fmt: skip
    mine = tmp_path / clip.name
    mine.write_bytes(clip.read_bytes())
    outputs = []
    with anyio.fail_after(240):
        async with Client(create_server(settings)) as client:
            uploaded = await client.call_tool("upload", {"paths": [str(mine)]})
            session = uploaded.structured_content["session_id"]
            for n, message in enumerate([PROMPT, "music 30%"]):
                made = await client.call_tool("generate", {"session_id": session, "message": message})
                assert not made.is_error, made.content
                exported = await client.call_tool("export", {"session_id": session,
                                                             "output_path": str(tmp_path / f"{n}.mp4")})  # fmt: skip
                assert not exported.is_error, exported.content
                outputs.append(Path(exported.structured_content["output_path"]))
    first, second = (assert_generated_music(path) for path in outputs)
    assert first["pcm_sha256"] == second["pcm_sha256"] == hashed[0] and len(hashed) == 1
    code, said = _verify(outputs[1])
    assert code == 0 and "replayed, samples match" in said, said


def test_the_web_pages_export_is_signed(tmp_path: Path, clip: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})
    with TestClient(create_app(settings, hosts={"testserver"}), headers={"origin": "http://testserver"}) as client:
        answer = client.put(f"/api/upload?name={clip.name}", content=clip.read_bytes())
        session = answer.json()["session_id"]
        client.post(f"/api/sessions/{session}/messages", content=json.dumps({"message": PROMPT}),
                    headers={"content-type": "application/json"})  # fmt: skip
        events = client.post(f"/api/sessions/{session}/exports", content="{}",
                             headers={"content-type": "application/json"}).text  # fmt: skip
        done = next(json.loads(block.split("data: ", 1)[1]) for block in events.split("\n\n") if "event: done" in block)
        video = client.get(done["video"])
        assert video.status_code == 200
    downloaded = tmp_path / "downloaded.mp4"
    downloaded.write_bytes(video.content)
    assert_generated_music(downloaded)


def test_the_batch_outputs_are_signed(tmp_path: Path, clip: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "one.mp4").write_bytes(clip.read_bytes())
    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's package, in the batch's processes too
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", PROMPT, "-o",
                           str(tmp_path / "out"), "--workers", "1", "--json"], env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)["outputs"]
    assert len(outputs) == 1
    assert_generated_music(Path(outputs[0]))
    assert _verify(Path(outputs[0]))[0] == 0
