"""What the MCP tools answer when something is wrong, read as a host's LLM reads it: in words that name what
to send instead, never an exception's class name, a task group or a validation library's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field, ValidationError

from free_music_ai.config import load_settings
from free_music_ai.errors import InputError
from free_music_ai.mcp_server.runtime import tool_errors
from free_music_ai.mcp_server.server import create_server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def make_server(tmp_path: Path) -> Any:
    return create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                        "allowed_dirs": [tmp_path]}))  # fmt: skip


def text_of(result: Any) -> str:
    assert result.is_error
    return " ".join(getattr(item, "text", "") for item in result.content)


@pytest.mark.anyio
async def test_a_level_out_of_range_as_the_first_message(tmp_path: Path, silent_clip: Path) -> None:
    """A "music 300%" before any music: the range and what to send (it was "Unexpected failure (ExceptionGroup...")."""
    clip = tmp_path / "counter.mp4"
    clip.write_bytes(silent_clip.read_bytes())
    with anyio.fail_after(60):
        async with Client(make_server(tmp_path)) as client:
            session = (await client.call_tool("upload", {"paths": [str(clip)]})).structured_content["session_id"]
            said = text_of(await client.call_tool("generate", {"session_id": session, "message": "music 300%"}))
            state = (await client.call_tool("state", {"session_id": session})).structured_content
    assert "from 0 to 150%" in said and '"music 150%"' in said, said
    assert "Unexpected" not in said and "Group" not in said
    assert not state["has_music"]  # refused before any music was made for it


@pytest.mark.anyio
@pytest.mark.expect_error_log  # the unexpected one is logged for whoever runs the server
async def test_what_fails_in_a_task_group_is_named_by_itself() -> None:
    async def fail(error: Exception) -> None:
        async def task() -> None:
            raise error

        async with anyio.create_task_group() as group:
            group.start_soon(task)

    with pytest.raises(ToolError) as ours:
        await tool_errors(fail)(InputError("Say it another way."))
    assert str(ours.value) == "Say it another way."
    with pytest.raises(ToolError) as other:
        await tool_errors(fail)(ValueError("the reason"))
    assert "ValueError: the reason" in str(other.value) and "Group" not in str(other.value)

    class Level(BaseModel):
        volume: float = Field(le=1.5)

    with pytest.raises(ValidationError) as invalid:
        Level(volume=3.0)
    with pytest.raises(ToolError) as library:
        await tool_errors(fail)(invalid.value)
    said = str(library.value)  # the library's report with its rules and link stays in the server's log
    assert "ValidationError: 1 validation error for Level)" in said and "pydantic.dev" not in said, said


@pytest.mark.anyio
async def test_arguments_out_of_the_schema_are_answered_in_words(tmp_path: Path) -> None:
    """`bpm: 500` or `aspect: "21:9"`: the argument named, the range or the values it may take and what to send
    instead, not pydantic's report with its link."""
    async with Client(make_server(tmp_path)) as client:
        fast = text_of(await client.call_tool("generate", {"session_id": "s", "message": "calm", "bpm": 500}))
        wide = text_of(await client.call_tool("export", {"session_id": "s", "aspect": "21:9"}))
        typed = text_of(await client.call_tool("generate", {"session_id": "s", "message": "calm", "bpm": "fast"}))
        missing = text_of(await client.call_tool("state", {}))
    assert "bpm cannot be 500: it must be a number from 40 to 200" in fast and "Send a value in that range" in fast
    assert 'aspect cannot be "21:9"' in wide and "one of: auto, 16:9, 9:16, 1:1, 4:5, source" in wide
    assert "Send one of those, or leave aspect out" in wide
    assert 'bpm cannot be "fast": it must be a number from 40 to 200' in typed
    assert "session_id is missing: send it (the session from upload)" in missing
    for said in (fast, wide, typed, missing):
        assert "was not run" in said
        assert not any(raw in said for raw in ("validation error", "pydantic", "type=", "input_value", "Arguments"))


@pytest.mark.anyio
@pytest.mark.parametrize("chosen", ["setting", "token"])
async def test_descriptions_follow_the_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chosen: str) -> None:
    """With the cloud chosen, no tool says "nothing leaves this machine" or "no credits": the descriptions, the
    server's instructions and the annotations say what the cloud does (nothing is sent anywhere to list them)."""
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "FMAI_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    async with Client(make_server(tmp_path)) as client:
        local = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert "nothing leaves this machine" in str(local["upload"].description)
    assert "no credits" in str(local["generate"].description) and not local["generate"].annotations.open_world_hint
    monkeypatch.setenv(*(("FMAI_BACKEND", "nemo") if chosen == "setting" else ("NEMO_TOKEN", "not-a-real-token")))
    server = make_server(tmp_path)
    async with Client(server) as client:
        cloud = {tool.name: tool for tool in (await client.list_tools()).tools}
    said = " ".join(str(tool.description) for tool in cloud.values()) + " " + str(server.instructions)
    for local_only in ("nothing leaves this machine", "Free and local: no credits", "no account, no credits",
                       "played on this machine", "free and unlimited"):  # fmt: skip
        assert local_only not in said, local_only
    assert "sent to the NemoVideo cloud" in str(cloud["upload"].description)
    assert "spends NemoVideo credits" in str(cloud["generate"].description)
    assert ("FMAI_BACKEND is nemo" if chosen == "setting" else "NEMO_TOKEN is set") in str(server.instructions)
    assert all(tool.annotations.open_world_hint for tool in cloud.values())
