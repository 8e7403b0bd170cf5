"""The export tool's files are the job's own (issue 29), through MCP as a host has it: export, delete the MP4 (keep
its licence), edit, export again. Before, the new MP4 took the old name, its licence was `...license-1.json` and
the old job's answer named the new video as its own."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest
from mcp import Client

from free_music_ai.config import load_settings
from free_music_ai.mcp_server.server import create_server
from mcp_checks import answer_of


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_old_job_never_answers_with_the_new_file(tmp_path: Path, image_png: Path) -> None:
    picture = tmp_path / "beach.png"
    picture.write_bytes(image_png.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    server = create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                          "allowed_dirs": [tmp_path]}))  # fmt: skip
    with anyio.fail_after(240):
        async with Client(server) as client:
            session = answer_of(await client.call_tool("upload", {"paths": [str(picture)]}))["session_id"]
            answer_of(await client.call_tool("generate", {"session_id": session, "message": "calm piano music"}))
            old = answer_of(await client.call_tool("export", {"session_id": session, "output_path": str(out)}))
            Path(old["output_path"]).unlink()  # the video deleted, its licence kept
            answer_of(await client.call_tool("generate", {"session_id": session, "message": "make it calmer"}))
            new = answer_of(await client.call_tool("export", {"session_id": session, "output_path": str(out)}))
            old_again = await client.call_tool("export", {"session_id": session, "job_id": old["job_id"]})
            new_again = answer_of(await client.call_tool("export", {"session_id": session, "job_id": new["job_id"]}))

    video = Path(new["output_path"])
    assert new["license_path"] == str(video.with_suffix(".license.json"))  # never "...license-1.json"
    assert json.loads(Path(new["license_path"]).read_text())["output"] == str(video)
    assert video != Path(old["output_path"]) and Path(old["license_path"]).is_file()  # the old licence untouched
    assert new_again["output_path"] == str(video) and new_again["license_path"] == new["license_path"]
    assert old_again.is_error  # its video is gone: said so, never the new video in its place
    said = " ".join(getattr(item, "text", "") for item in old_again.content)
    assert "gone" in said and Path(old["output_path"]).name in said and "Export again" in said, said
