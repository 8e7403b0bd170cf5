"""A conversation through MCP, as a host's LLM has it (the official client, in memory): words that win over the
footage, an edit that keeps the piece, a moment at a time, and a question answered without a new version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.mcp_server.server import create_server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _text(result: Any) -> str:
    assert not result.is_error, result.content
    return " ".join(getattr(item, "text", "") for item in result.content)


@pytest.mark.anyio
async def test_a_conversation_through_mcp(tmp_path: Path) -> None:
    clip = sample_media.make_scenes(
        tmp_path / "street.mp4", ["0x101820", "0x202830", "0x303840", "0x404850"], scene_s=5.0
    )
    server = create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                          "allowed_dirs": [tmp_path]}))  # fmt: skip
    with anyio.fail_after(240):
        async with Client(server) as client:
            session = (await client.call_tool("upload", {"paths": [str(clip)]})).structured_content["session_id"]

            async def say(message: str) -> tuple[str, dict[str, Any]]:
                said = _text(await client.call_tool("generate", {"session_id": session, "message": message}))
                return said, (await client.call_tool("state", {"session_id": session})).structured_content

            said, state = await say("something fun and energetic")
            assert state["music"]["genre"] == "upbeat pop", said  # the words win over dark, still footage
            first = state["music"]
            said, state = await say("put a hit at 0:15")
            assert "a hit at 0:15" in state["summary"]
            assert {k: state["music"][k] for k in ("genre", "key", "seed")} == {
                k: first[k] for k in ("genre", "key", "seed")
            }
            version = state["version"]
            said, state = await say("what key is it in?")
            assert f"It is in {first['key']} " in said and state["version"] == version
            said, state = await say("darker")
            assert "->" in said and state["music"]["genre"] == "upbeat pop" and state["music"]["mode"] != first["mode"]
