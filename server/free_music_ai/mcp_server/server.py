"""create_server(settings) -> the MCP server. Nothing happens at import time; media libraries load on use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.stdio import stdio_server
from mcp.types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from free_music_ai import __version__
from free_music_ai.config import Settings, load_settings
from free_music_ai.mcp_server.argument_errors import arguments_in_words
from free_music_ai.mcp_server.runtime import Runtime
from free_music_ai.mcp_server.unreadable_lines import AnsweredUnreadableLines


def create_server(settings: Settings | None = None) -> MCPServer:
    from free_music_ai.mcp_server.tools import credits, export, generate, state, upload

    runtime = Runtime(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the session store and the cloud's connections close with the server
            await runtime.close()

    server = _Server(
        name="free-music-ai-generator",
        title="Free Music AI Generator",
        version=__version__,
        instructions=runtime.texts.instructions,
        lifespan=lifespan,
    )
    for module in (upload, generate, state, credits, export):
        module.register(server, runtime)
    return server


class _Server(MCPServer[Any]):
    """The SDK's server, with arguments that do not fit a tool's schema answered in words, stdio lines read
    under a bound (stdio_lines.py), and an error answer for every stdio line that is not a message (the SDK
    only logs those, and the host waits forever)."""

    async def run_stdio_async(self) -> None:
        from free_music_ai.mcp_server.stdio_lines import BoundedLines, claimed_stdin

        with claimed_stdin() as binary:
            lines = BoundedLines(binary)
            # the SDK iterates the lines and parses each: bytes parse as well as text (no copy of a long line)
            async with stdio_server(stdin=cast(Any, lines)) as (read_stream, write_stream):
                lines.answer = write_stream.send
                lines.ready.set()
                await self._lowlevel_server.run(
                    AnsweredUnreadableLines(read_stream, write_stream),
                    write_stream,
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
