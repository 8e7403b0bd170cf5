"""``free-music-ai mcp``: serve the tools over stdio (for Claude Desktop, Cursor, OpenClaw) or HTTP."""

from __future__ import annotations

from typing import Annotated

import typer

from free_music_ai.cli.support import friendly_errors


@friendly_errors
def mcp(
    http: Annotated[bool, typer.Option("--http", help="Serve streamable HTTP instead of stdio.")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on with --http (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on with --http.", min=1, max=65535)] = 8765,
) -> None:
    """Run the MCP server: upload, generate, state, credits and export as tools."""
    from free_music_ai.mcp_server.server import create_server

    server = create_server()
    if http:
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("stdio")
