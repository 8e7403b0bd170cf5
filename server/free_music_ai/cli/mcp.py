"""``free-music-ai mcp``: serve the tools over stdio (for Claude Desktop, Cursor, OpenClaw) or HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from free_music_ai.cli.support import friendly_errors


@friendly_errors
def mcp(
    folders: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Folders the tools may read and write when the client shares none (its roots); instead of "
            "FMAI_ALLOWED_DIRS. An MCP Bundle's host passes the folders the user chose here.",
            metavar="FOLDER",
            resolve_path=True,  # a relative folder is the one under the folder the server started in
            show_default=False,
        ),
    ] = None,
    *,
    http: Annotated[bool, typer.Option("--http", help="Serve streamable HTTP instead of stdio.")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on with --http (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on with --http.", min=1, max=65535)] = 8765,
) -> None:
    """Run the MCP server: upload, generate, state, credits and export as tools."""
    from free_music_ai.config import load_settings

    settings = load_settings({"allowed_dirs": folders or None})
    if http:
        from free_music_ai.mcp_server.server import create_server

        create_server(settings).run("streamable-http", host=host, port=port)
    else:
        # the host's initialize is answered while the SDK loads (stdio_start.py)
        from free_music_ai.mcp_server.stdio_start import serve_stdio

        serve_stdio(settings)
