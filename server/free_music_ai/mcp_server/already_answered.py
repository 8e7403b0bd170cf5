"""The SDK's output stream, less its answer to a request that was answered before the SDK loaded."""

from __future__ import annotations

from mcp.shared._stream_protocols import WriteStream
from mcp.shared.message import SessionMessage

from free_music_ai.mcp_server.wrapped_stream import WrappedStream


class AlreadyAnswered(WrappedStream):
    """Sends everything on, but for the first answer (result or error) to request ``answered``: the host has
    that answer already (stdio_start.py), and JSON-RPC gives a request one answer."""

    def __init__(self, inner: WriteStream[SessionMessage], answered: int | str) -> None:
        super().__init__(inner)
        self._inner = inner
        self._answered: int | str | None = answered

    async def send(self, item: SessionMessage, /) -> None:
        message = item.message
        is_answer = not hasattr(message, "method") and getattr(message, "id", None) is not None
        if self._answered is not None and is_answer and getattr(message, "id", None) == self._answered:
            self._answered = None
            return
        await self._inner.send(item)
