"""Two MCP servers on one data folder (two hosts, or a host and another window) asked for the same export at the
same moment render it once (issue 29): the export is claimed in the store before any work starts, and the second
server answers with the first one's job and file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

import free_music_ai
from mcp_checks import answer_of


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_two_mcp_servers_asked_for_the_same_export_render_it_once(tmp_path: Path, image_png: Path) -> None:
    picture = tmp_path / "beach.png"
    picture.write_bytes(image_png.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "FMAI_ALLOWED_DIRS": str(tmp_path), "PYTHONPATH": str(Path(free_music_ai.__file__).parents[1])}  # fmt: skip
    params = StdioServerParameters(command=sys.executable, args=["-m", "free_music_ai.cli", "mcp"], env=env)
    answers: list[dict[str, Any]] = []
    with anyio.fail_after(240):
        async with Client(params) as first, Client(params) as second:
            session = answer_of(await first.call_tool("upload", {"paths": [str(picture)]}))["session_id"]
            answer_of(await first.call_tool("generate", {"session_id": session, "message": "calm piano music"}))

            async def export(client: Client) -> None:
                asked = {"session_id": session, "output_path": str(out / "beach.mp4")}
                answers.append(answer_of(await client.call_tool("export", asked)))

            async with anyio.create_task_group() as group:  # both at once
                group.start_soon(export, first)
                group.start_soon(export, second)
    assert [a["status"] for a in answers] == ["done", "done"], answers
    assert answers[0]["job_id"] == answers[1]["job_id"]
    assert answers[0]["output_path"] == answers[1]["output_path"] == str(out / "beach.mp4")
    assert sorted(p.name for p in out.iterdir()) == ["beach.license.json", "beach.mp4"]  # made once
