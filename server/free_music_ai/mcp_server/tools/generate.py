"""The generate tool: a message for the session, routed, interpreted, with progress while music is made."""

from __future__ import annotations

from typing import Annotated

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from free_music_ai.backends.models import Credits, MusicDetails
from free_music_ai.engine.music.spec import Genre
from free_music_ai.mcp_server.runtime import Runtime, tool_errors

# the words/ readers load the music engine (its genres, its SoundFont names, numpy): the first call imports
# them, so the server answers initialize and tools/list without that wait
GENRE_NAMES = ", ".join(genre.value for genre in Genre)  # as genres.genre_names() says them


class GenerateAnswer(BaseModel):
    """What the generate tool answers (its output schema)."""

    reply: str  # the words for the user
    summary: str  # the timeline in one line
    routed_to: str | None = None  # another tool the message asked for (export, credits, state, upload)
    explanation: str = ""  # why the music is what it is
    music: MusicDetails | None = None
    changed: bool = False  # whether the session took a new version
    link: str | None = None  # the cloud's page for the session
    next: str | None = None  # "export": the message also asked for the video
    credits: Credits | None = None


def register(server: MCPServer, runtime: Runtime) -> None:
    @server.tool(
        description=runtime.texts.generate,
        annotations=ToolAnnotations(
            title="Make or edit the music",
            read_only_hint=False,
            destructive_hint=False,
            idempotent_hint=False,
            open_world_hint=runtime.texts.reaches_out,
        ),
    )
    @tool_errors
    async def generate(
        session_id: Annotated[str, Field(description="The session from upload.")],
        message: Annotated[
            str,
            Field(
                description="What the user wants, in their words: 'generate a background "
                "music track that matches the mood of my video', 'make it calmer', 'music "
                "35%', 'add title \"Urban Dreams\" for the first 3 seconds', 'TikTok 9:16', "
                "'undo'. English or Chinese."
            ),
        ],
        genre: Annotated[
            Genre | None,
            Field(description=f"One of: {GENRE_NAMES}. Leave it out to let the video's mood choose."),
        ] = None,
        mood: Annotated[str | None, Field(description="Mood words: calm, warm, happy, epic, sad, dreamy...")] = None,
        bpm: Annotated[float | None, Field(description="Tempo in beats per minute (40-200).", ge=40, le=200)] = None,
        music_volume: Annotated[
            float | None, Field(description="Music level in percent (0-150).", ge=0, le=150)
        ] = None,
        seed: Annotated[int | None, Field(description="Same seed and request give the same music.", ge=0)] = None,
        video: Annotated[
            str | None,
            Field(
                description="With several uploads in the session, which one to work on: its file name, its number "
                "(1 = first upload) or 'all' for all of them one after another. Each keeps its own music and "
                "titles and gets its own export."
            ),
        ] = None,
        ctx: Context | None = None,
    ) -> GenerateAnswer:
        # described to the host by runtime.texts.generate (tool_texts.py): it follows the backend in use
        from free_music_ai.words.message import check_length, interpret
        from free_music_ai.words.request_fields import options
        from free_music_ai.words.routes import route

        check_length(message)
        backend = runtime.backend()
        # reading words is regex work: in a worker thread, so a long message never holds up other calls
        where = await anyio.to_thread.run_sync(route, message)
        if where == "export":
            return GenerateAnswer(routed_to="export", reply="That asks for the video: call the export tool with this "
                                  "session.", summary=(await backend.state(session_id)).summary)  # fmt: skip
        if where == "credits":
            credits = await backend.credits()
            return GenerateAnswer(routed_to="credits", reply=credits.message, credits=credits, summary="")
        if where == "state":
            state = await backend.state(session_id)
            return GenerateAnswer(routed_to="state", reply=state.summary, summary=state.summary)
        if where == "upload":
            return GenerateAnswer(routed_to="upload", reply="Send the file with the upload tool (a path, a link or "
                                  "base64).", summary=(await backend.state(session_id)).summary)  # fmt: skip
        fields = options(genre=genre.value if genre is not None else None, mood=mood, bpm=bpm, seed=seed,
                         music_volume_percent=music_volume, video=video)  # fmt: skip
        result: GenerateAnswer | None = None
        async for event in backend.send_message(session_id, message, fields):
            if event.kind == "progress" and ctx is not None and event.fraction is not None:
                await ctx.report_progress(event.fraction, 1.0, event.text)
            elif event.kind == "text":
                music = event.data.get("music") or None
                result = GenerateAnswer(
                    reply=event.text,  # the cloud backend translates its own replies; ours need none
                    summary=event.data.get("summary", ""),
                    explanation=event.data.get("explanation", ""),
                    music=MusicDetails.model_validate(music) if music else None,
                    changed=event.data.get("changed", False),
                    link=event.data.get("link") or None,
                )
        if result is None:  # a message the backend answered with no words: the timeline as it is
            return GenerateAnswer(reply="", summary=(await backend.state(session_id)).summary)
        # "lower the music to 20% and then export it": the edits are done, now the video
        if (await anyio.to_thread.run_sync(interpret, message)).export:
            result.next = "export"
            result.reply = f"{result.reply}\nThe edits are made: call the export tool now for the video."
        return result
