"""The first message answered before the SDK loads (mcp_server/early_handshake.py, stdio_start.py): the same answer
the SDK gives, for every protocol version and both backends, sent once, and the session goes on as usual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp_types
import pytest
from mcp.server.stdio import stdio_server
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS

from free_music_ai.backends.choose import choose_backend
from free_music_ai.config import Settings, load_settings
from free_music_ai.mcp_server.early_handshake import early_answer, sdk_versions
from free_music_ai.mcp_server.server import create_server
from free_music_ai.mcp_server.tool_texts import tool_texts

CLIENT = {"name": "a host", "version": "1.0"}


def initialize(version: str, request_id: int | str = 1, **extra: Any) -> bytes:
    params = {"protocolVersion": version, "capabilities": {"roots": {"listChanged": True}}, "clientInfo": CLIENT}
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "initialize", "params": params | extra}).encode()


def discover(version: str, request_id: int | str = 1) -> bytes:
    meta = {"io.modelcontextprotocol/protocolVersion": version, "io.modelcontextprotocol/clientInfo": CLIENT,
            "io.modelcontextprotocol/clientCapabilities": {}}  # fmt: skip
    return json.dumps({"jsonrpc": "2.0", "id": request_id, "method": "server/discover",
                       "params": {"_meta": meta}}).encode()  # fmt: skip


class _Lines:
    """One line, then the end of the input, as the SDK's stdio transport iterates its stdin."""

    def __init__(self, line: bytes) -> None:
        self._lines = [line]
        self.answered = anyio.Event()

    def __aiter__(self) -> _Lines:
        return self

    async def __anext__(self) -> bytes:
        if not self._lines:
            await self.answered.wait()  # the input stays open while the server answers
            raise StopAsyncIteration
        return self._lines.pop()


class _Written:
    def __init__(self) -> None:
        self.lines: list[str] = []

    async def write(self, text: str) -> None:
        self.lines.append(text)

    async def flush(self) -> None:
        pass


async def _sdk_answer(line: bytes, settings: Settings) -> dict[str, Any]:
    """What the SDK itself answers to ``line``, through its own stdio transport and our server."""
    server = create_server(settings)
    written = _Written()
    low = server._lowlevel_server
    lines = _Lines(line)
    with anyio.fail_after(20):
        async with (stdio_server(stdin=lines, stdout=written) as (read, write),  # type: ignore[arg-type]
                    anyio.create_task_group() as group):  # fmt: skip
            group.start_soon(low.run, read, write, low.create_initialization_options())
            while not written.lines:
                await anyio.sleep(0.01)
            lines.answered.set()
            group.cancel_scope.cancel()
    answer: dict[str, Any] = json.loads(written.lines[0])
    return answer


def _early(line: bytes, settings: Settings) -> dict[str, Any] | None:
    versions = sdk_versions()
    assert versions is not None, "the SDK's protocol versions could not be read without importing it"
    found = early_answer(line, tool_texts(choose_backend(settings)).instructions, versions)
    if found is None:
        return None
    answer: dict[str, Any] = json.loads(found[1])
    assert found[0] == answer["id"] and found[1].endswith(b"\n")
    return answer


FIRST_LINES = [
    *(initialize(version) for version in HANDSHAKE_PROTOCOL_VERSIONS),
    initialize("1999-01-01", request_id="first"),  # a version the SDK does not know: it offers its newest
    *(initialize(version, request_id=2) for version in MODERN_PROTOCOL_VERSIONS),
    *(discover(version, request_id="d") for version in MODERN_PROTOCOL_VERSIONS),
]


@pytest.mark.parametrize("backend", ["local", "nemo"])
@pytest.mark.parametrize("line", FIRST_LINES, ids=lambda line: json.loads(line)["method"] + " " + str(
    json.loads(line)["params"].get("protocolVersion") or json.loads(line)["params"]["_meta"]))  # fmt: skip
def test_the_early_answer_is_the_sdks_own(line: bytes, backend: str, tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache", "backend": backend})
    early = _early(line, settings)
    assert early is not None
    assert early == anyio.run(_sdk_answer, line, settings)


@pytest.mark.parametrize("line", [
    b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}',  # not a first message
    b'{"jsonrpc":"2.0","method":"initialize","params":{}}',  # a notification, not a request
    b'{"jsonrpc":"2.0","id":true,"method":"initialize"}',
    initialize("2025-11-25", capabilities={"roots": "yes"}),  # a capability of the wrong shape: the SDK judges it
    initialize("2025-11-25", unexpected={"a": 1}),
    discover("2025-11-25"),  # the stateless protocol's discovery, with a handshake version
    b"not json",
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":7}}',
])  # fmt: skip
def test_anything_else_waits_for_the_sdk(line: bytes, tmp_path: Path) -> None:
    assert _early(line, load_settings({"data_dir": tmp_path / "data"})) is None


def test_over_stdio_the_handshake_is_answered_once_and_the_session_goes_on(tmp_path: Path) -> None:
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "FMAI_ALLOWED_DIRS": str(tmp_path)}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "mcp"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    try:
        server.stdin.write(initialize("2025-06-18", request_id=7) + b"\n")
        server.stdin.flush()
        first = json.loads(server.stdout.readline())
        assert first["id"] == 7 and first["result"]["protocolVersion"] == "2025-06-18"
        server.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        server.stdin.write(b'{"jsonrpc":"2.0","id":8,"method":"tools/list"}\n')
        server.stdin.write(b'{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"credits",'
                           b'"arguments":{}}}\n')  # fmt: skip
        server.stdin.flush()
        listed, called = json.loads(server.stdout.readline()), json.loads(server.stdout.readline())
        assert listed["id"] == 8, "the SDK's own answer to the initialize was sent a second time"
        assert {tool["name"] for tool in listed["result"]["tools"]} == {"upload", "generate", "state", "credits",
                                                                         "export"}  # fmt: skip
        assert called["id"] == 9 and not called["result"].get("isError")
        mcp_types.CallToolResult.model_validate(called["result"])
    finally:
        server.stdin.close()
        server.wait(timeout=30)
        server.stdout.close()
