"""The export tool: render the session to MP4; a long render answers 'still rendering' and keeps going."""

from __future__ import annotations

import json
from contextlib import aclosing
from pathlib import Path
from typing import Annotated, Literal

import anyio
from mcp.server.mcpserver import Context, MCPServer, Resolve
from mcp.types import CallToolResult, ListRootsResult, ResourceLink, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from free_music_ai.backends.base import Backend
from free_music_ai.backends.export_watch import watch_export
from free_music_ai.backends.models import ExportState, MusicDetails
from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.mcp_server.roots import client_roots
from free_music_ai.mcp_server.runtime import Runtime, tool_errors
from free_music_ai.mcp_server.sandbox import check_path


def register(server: MCPServer, runtime: Runtime) -> None:
    @server.tool(
        description=runtime.texts.export,
        annotations=ToolAnnotations(
            title="Export the video",
            read_only_hint=False,
            destructive_hint=False,
            idempotent_hint=True,
            open_world_hint=runtime.texts.reaches_out,
        ),
    )
    @tool_errors
    async def export(
        session_id: Annotated[str, Field(description="The session from upload.")],
        aspect: Annotated[
            Aspect | None,
            Field(description="Canvas; default: the session's (auto: closest to the video)."),
        ] = None,
        output_path: Annotated[
            str | None,
            Field(
                description="Absolute .mp4 path; never overwritten (a -1 suffix "
                "is added). Default: beside the first video."
            ),
        ] = None,
        video: Annotated[
            str | None,
            Field(
                description="With several uploads, which one's video to render: its file name, its number "
                "(1 = first upload) or 'all'. Default: the one worked on last."
            ),
        ] = None,
        stems_dir: Annotated[
            str | None,
            Field(
                description="Absolute path of an existing folder: each part of the music is also written there as "
                "a WAV, as long as the video (locally made music only)."
            ),
        ] = None,
        midi_path: Annotated[
            str | None, Field(description="Absolute .mid path: the music's notes are also written there.")
        ] = None,
        job_id: Annotated[
            str | None,
            Field(
                description="A job an earlier export answered with: its status and, once done, its file. The "
                "other arguments are then ignored."
            ),
        ] = None,
        ctx: Context | None = None,
        roots: Annotated[ListRootsResult | None, Resolve(client_roots)] = None,
    ) -> Annotated[CallToolResult, ExportAnswer]:
        # described to the host by runtime.texts.export (tool_texts.py): it follows the backend in use
        # loaded on the first call, not at start-up (the render package brings the whole render engine)
        from free_music_ai.engine.render.output_path import inside_if_folder, with_suffix_of
        from free_music_ai.service.music_files import ExportExtras
        from free_music_ai.words.request_fields import options

        backend = runtime.backend()
        if job_id is not None:
            return await _answer(runtime, backend, job_id, ctx)
        allowed = runtime.allowed(roots)
        if output_path:
            check_path(output_path, allowed, must_exist=False)  # before anything changes
        if video:  # which upload's own timeline to render (each keeps its music and titles)
            async for _ in backend.send_message(session_id, "", options(video=video)):
                pass
        target = await _default_target(runtime, backend, session_id, allowed)
        if output_path:
            # the name as it will be written (a folder means the default name inside it; ".mp4" added), and
            # only then checked: the allowed folder itself must not become "<folder>.mp4" beside it
            final = with_suffix_of(inside_if_folder(Path(output_path), target.name))
            target = check_path(final, allowed, must_exist=False)
        extras = ExportExtras(check_path(stems_dir, allowed) if stems_dir else None,
                              check_path(midi_path, allowed, must_exist=False) if midi_path else None)  # fmt: skip
        job = await backend.export_start(session_id, target, aspect, extras=extras)
        return await _answer(runtime, backend, job, ctx)


async def _default_target(runtime: Runtime, backend: Backend, session_id: str, allowed: list[Path]) -> Path:
    """Beside the first video, when the user can see that folder; an upload that came as a link or as data
    is a copy in the program's data folder, so its video goes to the output folder (FMAI_OUTPUT_DIR) instead."""
    from free_music_ai.engine.render.output_path import default_name

    state = await backend.state(session_id)
    visual = [a for a in state.assets if a.kind in ("video", "image") and a.path]
    shown = [a for a in visual if a.in_timeline is not False] or visual  # the upload whose timeline is rendered
    first = Path(shown[0].path) if shown and shown[0].path else None
    settings = runtime.settings
    fallback = settings.output_dir or allowed[0]
    folder = first.parent if first is not None else fallback
    if settings.data_dir.resolve() in folder.resolve().parents or folder.resolve() == settings.data_dir.resolve():
        folder = fallback
    try:
        check_path(folder, allowed)
    except Exception:
        folder = allowed[0]
    return folder / default_name(first.stem if first else "video")


class ExportAnswer(BaseModel):
    """What the export tool answers (its output schema): the finished file, or 'rendering' with the job to ask
    about again."""

    status: Literal["done", "rendering"]
    job_id: str
    output_path: str | None = None
    uri: str | None = None
    size_bytes: int | None = None
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    license_path: str | None = None
    link: str | None = None  # the cloud's browser link for the session (None locally)
    music: MusicDetails | None = None  # its fields None for the user's own song
    stems: dict[str, str] | None = None
    midi_path: str | None = None
    note: str | None = None  # a change the user should hear of (a frame rate lowered), or None
    video_reused: bool | None = None  # only the sound changed: the last export's picture was copied, not encoded
    message: str | None = None


async def _answer(runtime: Runtime, backend: Backend, job: str, ctx: Context | None) -> CallToolResult:
    """The job's outcome, waiting up to the configured time while it renders."""
    status = await backend.export_status(job)
    with anyio.move_on_after(runtime.settings.export_wait_s):
        async with aclosing(watch_export(backend, job)) as statuses:
            async for status in statuses:
                if ctx is not None and status.running:
                    await ctx.report_progress(status.progress, 1.0, status.stage or "Rendering")
    if status.running:
        waiting = ExportAnswer(status="rendering", job_id=job, message="Still rendering. Call export again with "
                               "this job_id (or the same arguments) to get the file.")  # fmt: skip
        return _result(waiting)
    from mcp.server.mcpserver.exceptions import ToolError

    if status.status is ExportState.FAILED:
        said = (status.error or "no reason was given").rstrip(". ")  # its own advice ends it
        raise ToolError(f"The export failed: {said}. Then call export again.")
    gone = status.gone.get("video")
    if gone is not None or not status.output:  # never another file that took its name since
        raise ToolError(gone or "This render has no video. Call export again.")
    output = Path(status.output)
    answer = ExportAnswer(status="done", job_id=job, output_path=str(output), uri=output.as_uri(),
                          size_bytes=output.stat().st_size, duration_s=status.duration_s, width=status.width,
                          height=status.height, license_path=status.license, link=status.link,
                          music=status.music or MusicDetails(),
                          stems=status.stems, midi_path=status.midi, note=status.note,
                          video_reused=status.video_reused)  # fmt: skip
    link = ResourceLink(
        name=output.name,
        uri=output.as_uri(),
        mime_type="video/mp4",
        size=answer.size_bytes,
        description="The finished video with its music",
    )
    return _result(answer, link)


def _result(answer: ExportAnswer, *more: ResourceLink) -> CallToolResult:
    shown = answer.model_dump(mode="json")
    return CallToolResult(content=[TextContent(text=json.dumps(shown)), *more], structured_content=shown)
