"""Serving MCP over stdio: the host's ``initialize`` answered while the SDK is still loading.

The SDK loads in a thread. Meanwhile the first line is read here; when it is a well-formed ``initialize``,
early_handshake.py answers it at once. The SDK then gets that line first, as if it had read it itself, so its
session holds the host's capabilities (roots) as always, and its own answer to it, the same answer, is not
sent a second time. Every other line is the SDK's to read and answer.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING

from free_music_ai.config import Settings
from free_music_ai.limits import MAX_MESSAGE_LINE_BYTES
from free_music_ai.mcp_server.early_handshake import early_answer, sdk_versions
from free_music_ai.mcp_server.stdin_reading import claimed_stdin, read_line

if TYPE_CHECKING:
    from free_music_ai.mcp_server.server import Server


def serve_stdio(settings: Settings) -> None:
    """Run the MCP server on this process's stdin and stdout until the host closes them."""
    loading = _SdkLoading(settings)
    with claimed_stdin() as binary:
        first = read_line(binary, MAX_MESSAGE_LINE_BYTES)  # the host speaks first
        answered: int | str | None = None
        if isinstance(first, bytes) and not loading.done.is_set():
            answered = _answer_early(first, settings)
        server = loading.result()
        server.serve_stdio(binary, first=first, answered=answered)


def _answer_early(first: bytes, settings: Settings) -> int | str | None:
    """Answer ``first`` when it is an ``initialize`` the early answer covers; the id answered, if any."""
    from free_music_ai.backends.choose import choose_backend
    from free_music_ai.mcp_server.tool_texts import tool_texts

    versions = sdk_versions()
    if versions is None:
        return None
    found = early_answer(first, tool_texts(choose_backend(settings)).instructions, versions)
    if found is None:
        return None
    request_id, line = found
    sys.stdout.buffer.write(line)  # before the SDK's transport takes stdout over: nothing can come first
    sys.stdout.buffer.flush()
    return request_id


class _SdkLoading:
    """The SDK's import and our server's making, in a thread from the moment the command starts."""

    def __init__(self, settings: Settings) -> None:
        self.done = threading.Event()
        self._server: Server | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._load, args=(settings,), name="mcp-sdk-load", daemon=True).start()

    def _load(self, settings: Settings) -> None:
        try:
            from free_music_ai.mcp_server.server import create_server

            self._server = create_server(settings)
        except BaseException as exc:  # raised again where the server is waited for
            self._error = exc
        finally:
            self.done.set()

    def result(self) -> Server:
        self.done.wait()
        if self._error is not None:
            raise self._error
        assert self._server is not None
        return self._server
