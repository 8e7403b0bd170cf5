"""Names and output paths a careless or hostile host may send: odd bytes, great lengths, a folder for a file."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client

from free_music_ai.config import load_settings
from free_music_ai.mcp_server.server import create_server
from media_checks import facts


def _server(tmp_path: Path, allowed: Path) -> Any:
    return create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                        "allowed_dirs": [allowed]}))  # fmt: skip


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    payload: dict[str, Any] = result.structured_content
    return payload


@pytest.mark.anyio
async def test_inline_names_with_odd_bytes_and_great_lengths(tmp_path: Path, image_png: Path) -> None:
    content = base64.b64encode(image_png.read_bytes()).decode()
    names = ["a\x00b.png", "x" * 300 + ".png", "../../etc/evil.png", "\u202etxt.png", "new\nline.png", "CON.png"]
    async with Client(_server(tmp_path, tmp_path)) as client:
        uploaded = _data(await client.call_tool("upload", {"files": [{"name": n, "data_base64": content}
                                                                     for n in names]}))  # fmt: skip
    saved = [Path(a["path"]) for a in uploaded["assets"]]
    assert len(saved) == len(names) and len(set(saved)) == len(names)
    uploads = tmp_path / "data" / "uploads" / uploaded["session_id"]
    for path in saved:
        assert path.parent == uploads and path.is_file()  # never outside the session's folder
        assert len(path.name.encode()) <= 200 and "\x00" not in path.name and "\n" not in path.name
        assert path.suffix == ".png"
    assert not [p for p in uploads.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.anyio
async def test_the_allowed_folder_as_output_writes_inside_it(tmp_path: Path, clip_1080: Path) -> None:
    allowed = tmp_path / "work"
    allowed.mkdir()
    long_name = "l" * 236 + ".mp4"  # its temporary name would pass the 255-byte limit if not shortened
    clip = allowed / long_name
    clip.write_bytes(clip_1080.read_bytes())
    async with Client(_server(tmp_path, allowed)) as client:
        session = _data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
        done = _data(await client.call_tool("export", {"session_id": session, "output_path": str(allowed)}))
        beside = await client.call_tool("export", {"session_id": session, "output_path": str(allowed) + ".mp4"})
    output = Path(done["output_path"])
    assert output.parent == allowed and output.name.endswith("-music.mp4")
    assert facts(output).video_duration_s > 1
    assert not list(tmp_path.glob("work.*"))  # nothing beside the folder
    assert beside.is_error and "outside the folders" in str(beside.content)
