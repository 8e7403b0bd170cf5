"""create_server(settings) -> the MCP server. Nothing happens at import time; media libraries load on use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server import MCPServer

from free_music_ai import __version__
from free_music_ai.config import Settings, load_settings
from free_music_ai.mcp_server.runtime import Runtime

INSTRUCTIONS = (
    "Make original, royalty-free music for the user's video and give back a ready-to-post MP4. Workflow: "
    "upload the video or images (paths, links or base64) -> generate with the user's words (\"generate a "
    'background music track that matches the mood of my video", "make it calmer", "add title ...") -> '
    "export. Show the user the reply's summary line and the explanation; give them the output path. By default "
    "everything runs on this machine: free, no account; with a NemoVideo token the cloud does the work."
)


def create_server(settings: Settings | None = None) -> MCPServer:
    from free_music_ai.mcp_server.tools import credits, export, generate, state, upload

    runtime = Runtime(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        try:
            yield
        finally:  # the session store and the cloud's connections close with the server
            await runtime.close()

    server = MCPServer(
        name="free-music-ai-generator",
        title="Free Music AI Generator",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
    )
    for module in (upload, generate, state, credits, export):
        module.register(server, runtime)
    return server
