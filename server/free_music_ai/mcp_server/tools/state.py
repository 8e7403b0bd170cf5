"""The state tool: the session's timeline summary, draft, assets and renders."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from free_music_ai.backends.models import SessionState
from free_music_ai.mcp_server.runtime import Runtime, tool_errors


def register(server: MCPServer, runtime: Runtime) -> None:
    @server.tool(
        description=runtime.texts.state,
        annotations=ToolAnnotations(
            title="Show the timeline",
            read_only_hint=True,
            idempotent_hint=True,
            open_world_hint=runtime.texts.reaches_out,
        ),
    )
    @tool_errors
    async def state(session_id: Annotated[str, Field(description="The session from upload.")]) -> SessionState:
        # described to the host by runtime.texts.state (tool_texts.py): it follows the backend in use
        return await runtime.backend().state(session_id)
