"""create_server(settings) -> the MCP server. Nothing happens at import time; media libraries load on use."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, BinaryIO, cast

import anyio
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.stdio import stdio_server
from mcp.types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from free_music_ai import __version__
from free_music_ai.config import Settings, load_settings
from free_music_ai.mcp_server.argument_errors import arguments_in_words
from free_music_ai.mcp_server.early_handshake import SERVER_NAME, SERVER_TITLE
from free_music_ai.mcp_server.runtime import Runtime
from free_music_ai.mcp_server.stdin_reading import TooLong, claimed_stdin
from free_music_ai.mcp_server.unreadable_lines import AnsweredUnreadableLines


def create_server(settings: Settings | None = None) -> Server:
    from free_music_ai.mcp_server.tools import credits, export, generate, state, upload

    runtime = Runtime(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the session store and the cloud's connections close with the server
            await runtime.close()

    server = Server(
        name=SERVER_NAME,
        title=SERVER_TITLE,
        version=__version__,
        instructions=runtime.texts.instructions,
        lifespan=lifespan,
    )
    for module in (upload, generate, state, credits, export):
        module.register(server, runtime)
    return server


class Server(MCPServer[Any]):
    """The SDK's server, with arguments that do not fit a tool's schema answered in words, stdio lines read
    under a bound (stdio_lines.py), and an error answer for every stdio line that is not a message (the SDK
    only logs those, and the host waits forever)."""

    async def run_stdio_async(self) -> None:
        with claimed_stdin() as binary:
            await self.serve_stdio_lines(binary)

    def serve_stdio(self, binary: BinaryIO, *, first: bytes | TooLong | None, answered: int | str | None) -> None:
        """Serve the lines of ``binary``, ``first`` (already read) before them; ``answered``: the id of a request
        answered before the SDK loaded (stdio_start.py), whose answer is not sent again."""
        anyio.run(functools.partial(self.serve_stdio_lines, binary, first=first, answered=answered))

    async def serve_stdio_lines(self, binary: BinaryIO, *, first: bytes | TooLong | None = None,
                                answered: int | str | None = None) -> None:  # fmt: skip
        from free_music_ai.mcp_server.already_answered import AlreadyAnswered
        from free_music_ai.mcp_server.stdio_lines import BoundedLines

        lines = BoundedLines(binary, first=first)
        # the SDK iterates the lines and parses each: bytes parse as well as text (no copy of a long line)
        async with stdio_server(stdin=cast(Any, lines)) as (read_stream, write_stream):
            lines.answer = write_stream.send
            lines.ready.set()
            output = write_stream if answered is None else AlreadyAnswered(write_stream, answered)
            await self._lowlevel_server.run(
                AnsweredUnreadableLines(read_stream, output),
                output,
                self._lowlevel_server.create_initialization_options(),
            )

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            # the SDK's own check of the arguments (not a failure inside the tool: that is UnexpectedToolError)
            if isinstance(exc, UnexpectedToolError) or not isinstance(exc.__cause__, ValidationError):
                raise
            schema = next((tool.input_schema for tool in await self.list_tools() if tool.name == name), {})
            raise ToolError(arguments_in_words(name, schema, exc.__cause__)) from exc.__cause__
