"""A file sent inline (base64 in the message) costs the server memory in proportion to its size before any of
our code sees it: such uploads are capped (larger files go by path or link, and the answer says so), a stdio
line past the cap is read and dropped a piece at a time and answered by its id, and what is sent is decoded
a piece at a time into its file."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client import Client
from mcp.shared.message import SessionMessage

from free_music_ai.config import load_settings
from free_music_ai.errors import InputError
from free_music_ai.limits import MAX_MESSAGE_LINE_BYTES
from free_music_ai.mcp_server.server import create_server
from free_music_ai.mcp_server.stdio_lines import BoundedLines
from free_music_ai.service.uploads import DECODE_CHARS, save_inline


@pytest.mark.anyio
async def test_inline_uploads_over_the_cap_are_refused_with_the_way_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from free_music_ai.mcp_server.tools import upload

    monkeypatch.setattr(upload, "MAX_INLINE_BYTES", 1_000_000)
    server = create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                          "allowed_dirs": [tmp_path]}))  # fmt: skip
    two = [{"name": f"{n}.mp4", "data_base64": "A" * 800_000} for n in "ab"]  # 600 KB each, 1.2 MB together
    async with Client(server) as client:
        refused = await client.call_tool("upload", {"files": two})
    text = str(refused.content)
    assert refused.is_error and "1 MB sent inline" in text and "at most 1 MB" in text, text
    assert "by its path" in text and "by a link" in text
    assert not (tmp_path / "data" / "uploads").exists() or not any((tmp_path / "data" / "uploads").rglob("*.*"))


def test_inline_data_is_decoded_a_piece_at_a_time(tmp_path: Path) -> None:
    data = os.urandom(DECODE_CHARS // 4 * 3 * 2 + 1234)  # three pieces, the last one padded
    saved = save_inline(tmp_path / "up", "clip.mp4", base64.b64encode(data).decode(), max_bytes=50_000_000)
    assert saved.read_bytes() == data and saved.name == "clip.mp4"
    broken = base64.b64encode(data).decode()
    broken = broken[: DECODE_CHARS + 10] + "%" + broken[DECODE_CHARS + 11 :]  # bad in the second piece
    with pytest.raises(InputError, match="not valid base64"):
        save_inline(tmp_path / "up", "other.mp4", broken, max_bytes=50_000_000)
    assert sorted(p.name for p in (tmp_path / "up").iterdir()) == ["clip.mp4"]  # nothing half-written


def _line(arguments: str, id_first: bool) -> bytes:
    call = f'"method":"tools/call","params":{{"name":"upload","arguments":{arguments}}}'
    return (f'{{"jsonrpc":"2.0","id":7,{call}}}' if id_first else f'{{{call},"jsonrpc":"2.0","id":"x-8"}}').encode()


@pytest.mark.anyio
async def test_an_over_long_line_is_answered_by_its_id_and_reading_goes_on() -> None:
    big = '{"files":[{"name":"a.mp4","data_base64":"' + "A" * 5_000 + '"}]}'
    wire = b"\n".join([b'{"jsonrpc":"2.0","id":1,"method":"ping"}', _line(big, True), _line(big, False),
                       b'{"jsonrpc":"2.0","method":"x","params":{"a":"' + b"B" * 5_000 + b'"}}',
                       b'{"jsonrpc":"2.0","id":2,"method":"ping"}']) + b"\n"  # fmt: skip
    lines = BoundedLines(io.BytesIO(wire), limit=2_000)
    answers: list[SessionMessage] = []

    async def answer(message: SessionMessage) -> None:
        answers.append(message)

    lines.answer = answer
    lines.ready.set()
    with anyio.fail_after(10):
        passed = [bytes(line) async for line in lines]
    assert [json.loads(line)["id"] for line in passed] == [1, 2]
    sent = [json.loads(a.message.model_dump_json(by_alias=True, exclude_unset=True)) for a in answers]
    assert [a["id"] for a in sent] == [7, "x-8", None]
    assert sent[0]["result"]["isError"] and "Pass the file by its path" in sent[0]["result"]["content"][0]["text"]
    assert sent[2]["error"]["code"] == -32600


def test_the_stdio_server_drops_an_over_long_message_and_goes_on(tmp_path: Path) -> None:
    import free_music_ai

    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's code, not an installed copy
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "FMAI_ALLOWED_DIRS": str(tmp_path), "PYTHONPATH": source}  # fmt: skip
    command = [sys.executable, "-m", "free_music_ai.cli", "mcp"]
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "test", "version": "1"}}}  # fmt: skip
    with subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as server:  # fmt: skip
        assert server.stdin is not None and server.stdout is not None
        try:
            server.stdin.write(json.dumps(initialize).encode() + b"\n")
            server.stdin.write(b'{"method":"tools/call","params":{"name":"upload","arguments":{"files":[{"name":'
                               b'"big.mp4","data_base64":"')  # fmt: skip
            piece = b"A" * 1_000_000
            for _ in range(MAX_MESSAGE_LINE_BYTES // len(piece) + 1):
                server.stdin.write(piece)
            server.stdin.write(b'"}]}},"jsonrpc":"2.0","id":2}\n{"jsonrpc":"2.0","id":3,"method":"ping"}\n')
            server.stdin.flush()
            # read the three answers before closing stdin: a host keeps its pipe open while it waits (at the end
            # of input the server may stop before it answers what is still in flight)
            answers: list[dict[str, Any]] = []
            while len(answers) < 3:
                line = server.stdout.readline()
                assert line, f"the server stopped after {answers}"
                answers.append(json.loads(line))
            server.stdin.close()
            answers.sort(key=lambda answer: int(answer["id"]))  # the ping may be answered before the tool call
        finally:
            if server.poll() is None:
                server.kill()
    assert [a["id"] for a in answers] == [1, 2, 3]
    assert answers[1]["result"]["isError"] and "by a link" in answers[1]["result"]["content"][0]["text"]
    assert answers[2]["result"] == {} or "error" not in answers[2]
    assert not (tmp_path / "data" / "uploads").exists()
