"""The stdio transport's input, one JSON-RPC message a line, each line at most MAX_MESSAGE_LINE_BYTES.

The SDK reads a whole line before anything looks at it: a 499 MB file sent inline (base64, 666 MB of text) took
the server to 2.8 GB, and 2.2 GB stayed held. Here a line is read a megabyte at a time; one past the limit is
read on to its end and thrown away as it comes (only its first and last 64 KB are kept, to find the request's
id), and the request is answered with what to do instead: a tool call with a tool error the host's model reads,
anything else with a JSON-RPC error. A line that fits is handed over as bytes: the parser reads bytes without
the text copy a str line costs (a bytearray it copies whole first). The SDK keeps the last line and its parsed
message until the next line comes, so a message at the limit is held (about twice its size) until then.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import BinaryIO

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage

from free_music_ai.allocator import request_ended
from free_music_ai.limits import MAX_INLINE_BYTES, MAX_MESSAGE_LINE_BYTES
from free_music_ai.mcp_server.stdin_reading import TooLong, read_line

_ID = rb'"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,200}")'
_ID_FIRST = re.compile(rb'^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?' + _ID)  # {"jsonrpc":"2.0","id":1,...
_ID_LAST = re.compile(_ID + rb"\s*\}\s*$")  # {"method":...,"params":{...},"jsonrpc":"2.0","id":1}
_METHOD = re.compile(rb'"method"\s*:\s*"([^"\\]{1,100})"')


class BoundedLines:
    """An async iterator of the input's lines (as bytes), each at most ``limit`` bytes; an over-long one is
    answered through ``answer`` (set once the transport's output exists) and never handed over."""

    def __init__(self, binary: BinaryIO, limit: int = MAX_MESSAGE_LINE_BYTES,
                 first: bytes | TooLong | None = None) -> None:  # fmt: skip
        self.binary = binary
        self.limit = limit
        self._first = first  # a line read before the transport existed (stdio_start.py), handed over first
        self.answer: Callable[[SessionMessage], Awaitable[None]] | None = None
        self.ready = anyio.Event()  # set with ``answer``

    def __aiter__(self) -> BoundedLines:
        return self

    async def __anext__(self) -> bytes:
        while True:
            line, self._first = self._first, None
            if line is None:
                line = await anyio.to_thread.run_sync(self._read, abandon_on_cancel=True)
            if line is None:
                raise StopAsyncIteration
            if isinstance(line, bytes):
                return line
            await self.ready.wait()
            assert self.answer is not None
            await self.answer(SessionMessage(refusal(line, self.limit)))
            request_ended()  # the megabytes read and thrown away go back to the system

    def _read(self) -> bytes | TooLong | None:
        return read_line(self.binary, self.limit)


def refusal(line: TooLong, limit: int) -> types.JSONRPCMessage:
    """The answer to an over-long message: to its request id when it can be found, else to none (null)."""
    found = _ID_LAST.search(line.tail.rstrip(b"\r\n")) or _ID_FIRST.search(line.head)
    request_id: str | int | None = None
    if found is not None:
        raw = found.group(1).decode("utf-8", "replace")
        request_id = raw.strip('"') if raw.startswith('"') else int(raw)
    method = _METHOD.search(line.head) or _METHOD.search(line.tail)
    text = (f"This message is {line.size / 1e6:,.0f} MB and a message may be at most {limit / 1e6:,.0f} MB, so "
            f"files sent inline (base64) may be at most {MAX_INLINE_BYTES // 1_000_000} MB in all. Nothing was "
            "uploaded. Pass the file by its path (a file inside the allowed folders) or by a link (urls) "
            "instead.")  # fmt: skip
    if method is not None and method.group(1) == b"tools/call" and request_id is not None:
        result = types.CallToolResult(content=[types.TextContent(type="text", text=text)], is_error=True)
        return types.JSONRPCResponse(jsonrpc="2.0", id=request_id,
                                     result=result.model_dump(by_alias=True, exclude_none=True))  # fmt: skip
    return types.JSONRPCError(jsonrpc="2.0", id=request_id,
                              error=types.ErrorData(code=types.INVALID_REQUEST, message=text))  # fmt: skip
