"""One inline upload (a file as base64 inside the JSON-RPC message) to the MCP server over stdio, measured: the
peak memory of the server's process tree while it reads and answers, what it still holds 10 s later, the time
to the answer, and the answer's first words. The message is written in pieces, so the bench itself stays small
whatever the size sent.

Usage: python tools/inline_upload.py FILE_OR_SIZE_MB   (a size sends that many MB of zeros)
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tree_memory import tree_rss_mb

SERVER = [sys.executable, "-m", "free_music_ai.cli", "mcp"]
PIECE_BYTES = 3 * 1024 * 1024  # raw bytes per piece: a multiple of 3, so the pieces' base64 joins up
SETTLE_S = 10.0


def _pieces(source: Path | int) -> Iterator[bytes]:
    if isinstance(source, int):
        zeros = base64.b64encode(bytes(PIECE_BYTES))
        for start in range(0, source, PIECE_BYTES):
            yield zeros if source - start >= PIECE_BYTES else base64.b64encode(bytes(source - start))
        return
    with source.open("rb") as file:
        while piece := file.read(PIECE_BYTES):
            yield base64.b64encode(piece)


def _send(process: subprocess.Popen[bytes], message: dict[str, object]) -> None:
    assert process.stdin is not None
    process.stdin.write(json.dumps(message).encode() + b"\n")
    process.stdin.flush()


def _answer(process: subprocess.Popen[bytes]) -> dict[str, object]:
    assert process.stdout is not None
    while True:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the server ended without answering")
        message: dict[str, object] = json.loads(line)
        if "id" in message and "method" not in message:
            return message


def measure(source: Path | int, name: str, env: dict[str, str]) -> tuple[float, float, float, bool, str]:
    """Peak tree MB while sending and answering, tree MB 10 s after the answer, seconds to the answer, whether
    it was refused, and the answer's first words."""
    process = subprocess.Popen(SERVER, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    assert process.stdin is not None
    _send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                               "clientInfo": {"name": "bench", "version": "0"}}})  # fmt: skip
    _answer(process)
    _send(process, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    # the client's order (TypeScript SDK): method and params first, the id last
    process.stdin.write(b'{"method":"tools/call","params":{"name":"upload","arguments":{"files":[{"name":'
                        + json.dumps(name).encode() + b',"data_base64":"')  # fmt: skip
    try:
        for piece in _pieces(source):
            process.stdin.write(piece)
        process.stdin.write(b'"}]}},"jsonrpc":"2.0","id":2}\n')
        process.stdin.flush()
        answer = _answer(process)
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    time.sleep(SETTLE_S)
    later = tree_rss_mb(process.pid)
    process.stdin.close()
    process.wait(timeout=30)
    result = answer.get("result")
    refused = not isinstance(result, dict) or bool(result.get("isError"))
    return peak[0], later, seconds, refused, json.dumps(result or answer.get("error"))[:160]


if __name__ == "__main__":
    import os

    arg = sys.argv[1]
    what: Path | int = int(float(arg) * 1_000_000) if arg.replace(".", "").isdigit() else Path(arg)
    print(measure(what, "clip.mp4" if isinstance(what, int) else what.name, dict(os.environ)))
