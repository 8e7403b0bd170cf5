"""Lines a host sends that are not messages get a JSON-RPC error, with the request's id when it can be read: the
SDK only logged them, and a host waited forever for its answer. The server goes on serving afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def _answers(lines: list[str], tmp_path: Path) -> list[dict[str, Any]]:
    import free_music_ai

    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's code, not an installed copy
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "FMAI_ALLOWED_DIRS": str(tmp_path), "PYTHONPATH": source}  # fmt: skip
    command = [sys.executable, "-m", "free_music_ai.cli", "mcp"]
    with subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as server:  # fmt: skip
        try:  # closing stdin ends the server once every line is answered
            out, _ = server.communicate("".join(line + "\n" for line in lines).encode(), timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def test_unreadable_lines_are_answered_and_the_server_goes_on(tmp_path: Path) -> None:
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": "test", "version": "1"}}}  # fmt: skip
    answers = _answers(
        ["this is not json", '{"jsonrpc":"2.0","id":7,"method":5}', "[1, 2]", '{"id": "abc"}', json.dumps(initialize)],
        tmp_path,
    )
    by_order = [(a.get("id"), a.get("error", {}).get("code")) for a in answers]
    assert by_order[:4] == [(None, -32700), (7, -32600), (None, -32600), ("abc", -32600)], by_order
    assert all("Traceback" not in a["error"]["message"] for a in answers[:4])
    assert answers[4]["id"] == 1 and answers[4]["result"]["serverInfo"]["name"] == "free-music-ai-generator"
