"""The upload tool: local paths, http(s) links, or files passed inline as base64."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from mcp.server.mcpserver import Context, MCPServer, Resolve
from mcp.types import ListRootsResult, ToolAnnotations
from pydantic import BaseModel, Field

from free_music_ai.backends.models import UploadResult
from free_music_ai.errors import InputError
from free_music_ai.limits import MAX_INLINE_BYTES, MAX_INLINE_FILES
from free_music_ai.mcp_server.roots import client_roots
from free_music_ai.mcp_server.runtime import Runtime, tool_errors
from free_music_ai.mcp_server.sandbox import check_path


class InlineUpload(BaseModel):
    name: str = Field(description="The file's name with its extension, such as 'clip.mp4'.")
    data_base64: str = Field(
        description=f"The file's bytes, base64-encoded ({MAX_INLINE_BYTES // 1_000_000} MB at most, before encoding)."
    )


def register(server: MCPServer, runtime: Runtime) -> None:
    @server.tool(
        description=runtime.texts.upload,
        annotations=ToolAnnotations(
            title="Upload media",
            read_only_hint=False,
            destructive_hint=False,
            idempotent_hint=False,
            open_world_hint=True,
        ),
    )
    @tool_errors
    async def upload(
        paths: Annotated[
            list[str], Field(description="Absolute paths of videos, images or audio on this machine.")
        ] = [],  # noqa: B006
        urls: Annotated[list[str], Field(description="http(s) links to download the files from.")] = [],  # noqa: B006
        files: Annotated[
            list[InlineUpload],
            Field(
                description="Files passed inline (base64), for attachments the host cannot give as a path: at "
                f"most {MAX_INLINE_BYTES // 1_000_000} MB in all; larger files go by path or link."
            ),
        ] = [],  # noqa: B006
        session_id: Annotated[str | None, Field(description="Add to this session; omit to start a new one.")] = None,
        ctx: Context | None = None,
        roots: Annotated[ListRootsResult | None, Resolve(client_roots)] = None,
    ) -> UploadResult:
        # described to the host by runtime.texts.upload (tool_texts.py): it follows the backend in use
        if not (paths or urls or files):
            raise InputError("Give at least one path, URL or inline file to upload.")
        from free_music_ai.backends.base import InlineFile

        allowed = runtime.allowed(roots)
        checked = [check_path(p, allowed) for p in paths]
        if len(files) > MAX_INLINE_FILES:
            raise InputError(f"{len(files)} files sent as data at once; at most {MAX_INLINE_FILES}. Send them in "
                             "several uploads, or give their paths.")  # fmt: skip
        inline = [InlineFile(Path(item.name).name, item.data_base64) for item in files]
        limit = runtime.settings.max_input_bytes
        for file in inline:  # sized from the text's length: nothing too large is ever decoded
            if file.size > limit:
                raise InputError(f"{file.name[:100]} is over the {limit // 1_000_000} MB limit. Trim or compress it, "
                                 "or give its path instead.")  # fmt: skip
        sent = sum(file.size for file in inline)
        if sent > MAX_INLINE_BYTES:  # the message's text, parsed, stays in memory while the files are written
            raise InputError(f"{sent / 1e6:,.0f} MB sent inline (base64 in the message); at most "
                             f"{MAX_INLINE_BYTES // 1_000_000} MB may be sent that way in one upload. Nothing was "
                             "uploaded. Pass the file by its path (a file inside the allowed folders) or by a link "
                             "(urls) instead.")  # fmt: skip
        return await runtime.backend().upload(session_id, checked, urls=urls, files=inline)
