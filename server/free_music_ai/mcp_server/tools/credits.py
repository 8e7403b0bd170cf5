"""The credits tool: the local engine is free and unlimited; the NemoVideo cloud shows its account's balance."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations

from free_music_ai.backends.models import Credits
from free_music_ai.mcp_server.runtime import Runtime, tool_errors


def register(server: MCPServer, runtime: Runtime) -> None:
    @server.tool(
        description=runtime.texts.credits,
        annotations=ToolAnnotations(
            title="Credits", read_only_hint=True, idempotent_hint=True, open_world_hint=runtime.texts.reaches_out
        ),
    )
    @tool_errors
    async def credits() -> Credits:
        # described to the host by runtime.texts.credits (tool_texts.py): it follows the backend in use
        return await runtime.backend().credits()
