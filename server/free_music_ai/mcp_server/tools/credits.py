"""The credits tool: on the local engine, free and unlimited."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations

from free_music_ai.mcp_server.runtime import Runtime, tool_errors


def register(server: MCPServer, runtime: Runtime) -> None:
    @server.tool(
        annotations=ToolAnnotations(title="Credits", read_only_hint=True, idempotent_hint=True, open_world_hint=False)
    )
    @tool_errors
    async def credits() -> dict[str, Any]:
        """The balance for making music. The local engine is free and unlimited (no account, no credits); with
        a NemoVideo token configured this shows the cloud balance."""
        return dict(await runtime.backend().credits())
