"""The generate tool: a message for the session, routed, interpreted, with progress while music is made."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from free_music_ai.engine.music.spec import Genre
from free_music_ai.mcp_server.runtime import Runtime, tool_errors

# the words/ readers load the music engine (its genres, its SoundFont names, numpy): the first call imports
# them, so the server answers initialize and tools/list without that wait
GENRE_NAMES = ", ".join(genre.value for genre in Genre)  # as genres.genre_names() says them


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
            str | None,
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
    ) -> dict[str, Any]:
        # described to the host by runtime.texts.generate (tool_texts.py): it follows the backend in use
        from free_music_ai.words.genre import parse_genre
        from free_music_ai.words.message import check_length, interpret
        from free_music_ai.words.routes import route

        if genre is not None:
            genre = parse_genre(genre).value  # an unknown genre is an error that lists them, never a substitute
        check_length(message)
        backend = runtime.backend()
        # reading words is regex work: in a worker thread, so a long message never holds up other calls
        where = await anyio.to_thread.run_sync(route, message)
        if where == "export":
            return {
                "routed_to": "export",
                "reply": "That asks for the video: call the export tool with this session.",
                "summary": (await backend.state(session_id))["summary"],
            }
        if where == "credits":
            credits = await backend.credits()
            return {"routed_to": "credits", "reply": credits["message"], "credits": credits, "summary": ""}
        if where == "state":
            state = await backend.state(session_id)
            return {"routed_to": "state", "reply": state["summary"], "summary": state["summary"]}
        if where == "upload":
            return {
                "routed_to": "upload",
                "reply": "Send the file with the upload tool (a path, a link or base64).",
                "summary": (await backend.state(session_id))["summary"],
            }
        fields = {
            "genre": genre,
            "mood": mood,
            "bpm": bpm,
            "seed": seed,
            "music_volume": None if music_volume is None else music_volume / 100,
            "video": video,
        }
        result: dict[str, Any] = {}
        async for event in backend.send_message(session_id, message, fields):
            if event.kind == "progress" and ctx is not None and event.fraction is not None:
                await ctx.report_progress(event.fraction, 1.0, event.text)
            elif event.kind == "text":
                result = {
                    "reply": event.text,  # the cloud backend translates its own replies; ours need none
                    "summary": event.data.get("summary", ""),
                    "explanation": event.data.get("explanation", ""),
                    "music": event.data.get("music", {}),
                    "changed": event.data.get("changed", False),
                    **({"link": event.data["link"]} if event.data.get("link") else {}),
                }
        # "lower the music to 20% and then export it": the edits are done, now the video
        if result and (await anyio.to_thread.run_sync(interpret, message)).export:
            result["next"] = "export"
            result["reply"] = f"{result['reply']}\nThe edits are made: call the export tool now for the video."
        return result
