"""An answer for every line the server cannot read, so a host never waits forever.

The SDK's stdio transport hands a line it cannot parse to the server as an exception, and the server only
logs it: a host that sent a broken request waits for an answer that never comes. JSON-RPC 2.0 says what to
answer: -32700 for text that is not JSON, -32600 for JSON that is not a message, with the request's id when
it can be read (else null).
"""

from __future__ import annotations

import contextvars
from typing import Any, Self

import anyio
import mcp_types
from mcp.shared._stream_protocols import ReadStream, WriteStream
from mcp.shared.message import SessionMessage
from mcp_types.jsonrpc import INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError
from pydantic import ValidationError

from free_music_ai.mcp_server.wrapped_stream import WrappedStream


class AnsweredUnreadableLines(WrappedStream):
    """The transport's read stream, with each unreadable line answered on the write stream and skipped."""

    def __init__(self, inner: ReadStream[SessionMessage | Exception], answers: WriteStream[SessionMessage]) -> None:
        super().__init__(inner)
        self._inner = inner
        self._answers = answers
        self.last_context: contextvars.Context | None = None

    async def receive(self) -> SessionMessage | Exception:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                self.last_context = getattr(self._inner, "last_context", None)
                return item
            await self._answers.send(SessionMessage(error_for(item)))

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None


def error_for(problem: Exception) -> mcp_types.JSONRPCMessage:
    """The JSON-RPC error for a line the transport could not turn into a message."""
    if isinstance(problem, ValidationError):
        found = problem.errors()
        if any(error["type"] == "json_invalid" for error in found):
            return _error(None, PARSE_ERROR, "Parse error: the line is not JSON. Send one JSON-RPC message per line.")
        return _error(
            _request_id(found), INVALID_REQUEST, "Invalid request: the line is JSON but not a JSON-RPC 2.0 message."
        )
    return _error(None, PARSE_ERROR, "Parse error: the line could not be read.")


def _request_id(errors: list[Any]) -> str | int | None:
    """The id the broken message carried, when pydantic's errors show it (they hold the message they judged)."""
    for error in errors:
        message = error.get("input")
        if isinstance(message, dict):
            found = message.get("id")
            if isinstance(found, str | int) and not isinstance(found, bool):
                return found
    return None


def _error(request_id: str | int | None, code: int, text: str) -> mcp_types.JSONRPCMessage:
    return JSONRPCError(jsonrpc="2.0", id=request_id, error=ErrorData(code=code, message=text))
