"""The product's main job in one command: upload, generate, export, with a progress bar per stage.

It drives the same Backend interface as the MCP tools, so `--backend nemo` runs the same steps in the
cloud. With ``each``, every video or image gets its own music and its own file (the batch style). Without
words (``render`` without -p) it is the same project and the same mix, without new music: the user's song
(if any), titles and format, at the same loudness.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import aclosing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import typer

from free_music_ai.backends.base import Backend
from free_music_ai.backends.export_watch import watch_export
from free_music_ai.backends.models import ExportState, ExportStatus, MusicDetails
from free_music_ai.cli.support import err_console, print_json, progress_bar
from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.errors import InputError, RenderError
from free_music_ai.service.music_files import ExportExtras
from free_music_ai.words.request_fields import options

if TYPE_CHECKING:
    from free_music_ai.config import Settings
    from free_music_ai.engine.analysis.prefetch import ReadAhead

DEFAULT_PROMPT = "generate a background music track that matches the mood of my video"
EXPORT_POLL_S = 0.02  # a status read is one SQLite query: asking often costs nothing and ends sooner
STALL_S = 600.0  # an export whose progress and stage stay the same this long is stuck, not slow
Progress = Callable[[float, str], None]


def one_shot(
    inputs: list[Path],
    prompt: str | None,
    output: Path | None,
    *,
    aspect: Aspect,
    title: str | None,
    seed: int | None,
    music_volume: float | None,
    settings: Settings,
    as_json: bool,
    each: bool = False,
    backend_name: str | None = None,
    extras: ExportExtras | None = None,
    look: dict[str, Any] | None = None,
    read_ahead: ReadAhead | None = None,
) -> None:
    from free_music_ai.backends.choose import make_backend

    if each and output is not None and (output.suffix.lower() == ".mp4" or (output.exists() and not output.is_dir())):
        raise InputError("With --each, -o is a folder for the files (one per input), not a file name.")
    if each and output is not None:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"Cannot make the folder {output} ({exc.strerror}). Choose another -o.") from None
    try:
        backend = make_backend(settings, backend_name, read_ahead)
        # What is loaded by now (the modules, their classes and functions, tens of thousands of objects) stays until
        # the exit: set aside from the cyclic collector, its full collections (one in the analysis, one in the
        # music's planning, each holding every thread's interpreter lock) took 26-32 ms each instead of 8-13.
        gc.freeze()
        if backend.name != "local" and read_ahead is not None:
            read_ahead.stop_all()  # the cloud analyzes the videos itself
        if each and extras is not None and extras.wanted:
            raise InputError("--stems and --midi write one piece's files: use them without --each.")
        results = anyio.run(_run, backend, inputs, prompt, output, aspect, title, seed, music_volume, as_json, each,
                            extras or ExportExtras(), look or {})  # fmt: skip
    finally:
        if read_ahead is not None:
            read_ahead.stop_all()
    if prompt is None:  # a plain render: the file and its picture, as the command always answered
        result = results[0]
        if as_json:
            print_json({key: result[key] for key in ("output", "duration_s", "width", "height", "video_copied")})
            return
        _say_if_renamed(output, result)
        how = "picture copied" if result["video_copied"] else "encoded"
        typer.echo(f"{result['output']}\n  {result['duration_s']:.2f} s, {result['width']}x{result['height']}, {how}")
        if result.get("note"):
            typer.echo(f"  {result['note']}")
        return
    if as_json:
        print_json(results if each else results[0])
        return
    for result in results:
        if not each:
            _say_if_renamed(output, result)
        typer.echo(f"{result['output']}\n  {result['explanation']}\n  {result['summary']}")
        if result.get("note"):
            typer.echo(f"  {result['note']}")
        if result.get("link"):
            typer.echo(f"  {result['link']}")
        if result.get("midi"):
            typer.echo(f"  MIDI: {result['midi']}")
        if result.get("stems"):
            typer.echo(f"  stems: {', '.join(result['stems'].values())}")


def _say_if_renamed(output: Path | None, result: dict[str, Any]) -> None:
    if output is not None and Path(result["output"]) != output.absolute():
        err_console().print(f"{output.name} exists already, so the new file got another name.", highlight=False)


async def _run(backend: Backend, inputs: list[Path], prompt: str | None, output: Path | None, aspect: Aspect,
               title: str | None, seed: int | None, music_volume: float | None, as_json: bool,
               each: bool, extras: ExportExtras, look: dict[str, Any]) -> list[dict[str, Any]]:  # fmt: skip
    try:
        return await _steps(backend, inputs, prompt, output, aspect, title, seed, music_volume, as_json, each,
                            extras, look)  # fmt: skip
    finally:
        await backend.aclose()


async def _steps(backend: Backend, inputs: list[Path], prompt: str | None, output: Path | None, aspect: Aspect,
                 title: str | None, seed: int | None, music_volume: float | None, as_json: bool,
                 each: bool, extras: ExportExtras, look: dict[str, Any]) -> list[dict[str, Any]]:  # fmt: skip
    # flags are values, never pasted into the sentence: a title is drawn as written, whatever its words
    fields: dict[str, Any] = {"seed": seed, "music_volume_percent": music_volume, "title": title, **look}
    with progress_bar(not as_json) as on_progress:
        on_progress(0.0, "Reading the files")
        # without words no music is made: the videos need no watching for it
        uploaded = await backend.upload(
            None, [p.absolute() for p in inputs], urls=[], files=[], analyze=prompt is not None
        )
    session_id = uploaded.session_id
    kinds = [a.kind for a in uploaded.assets]
    if not any(kind in ("video", "image") for kind in kinds):
        raise InputError("There is no video or image among the inputs: add at least one to put the sound under.")
    if kinds.count("audio") > 1:
        raise InputError("Give one song (--music or an audio input): the video has one music track. Join the "
                         "songs into one file first, or leave -p to make music that fits.")  # fmt: skip
    videos = [a for a in uploaded.assets if a.kind in ("video", "image")] if each else [None]
    if each and not videos:
        raise InputError("--each needs videos or images: give at least one.")
    results = []
    for number, asset in enumerate(videos, 1):
        which = {"video": str(number)} if each and len(videos) > 1 else {}
        target = output / f"{Path(asset.name).stem}-music.mp4" if each and output and asset else output
        results.append(await _one(backend, session_id, prompt, {**fields, **which}, target, aspect, as_json, extras))
    return results


async def _one(backend: Backend, session_id: str, words: str | None, fields: dict[str, Any], output: Path | None,
               aspect: Aspect, as_json: bool, extras: ExportExtras) -> dict[str, Any]:  # fmt: skip
    with progress_bar(not as_json) as on_progress:
        edits = {k: v for k, v in fields.items() if v is not None and k not in ("seed", "keep_music")}
        reply: dict[str, Any] = {}
        if words is not None or edits:  # a plain render with no title, volume or format has nothing to say
            reply = await _message(backend, session_id, words or "", fields, on_progress)
        if words is not None and not (await backend.state(session_id)).has_music:
            # the words named no music ("", "hello"): this command exists to make it, so make what fits (the
            # title, if any, is there already)
            music_fields = {k: v for k, v in fields.items() if k in ("seed", "music_volume_percent", "video")}
            reply = await _message(backend, session_id, f"{DEFAULT_PROMPT} {words}", music_fields, on_progress)
    with progress_bar(not as_json) as on_progress:
        job = await backend.export_start(session_id, output, None if aspect == Aspect.AUTO else aspect, extras=extras)
        status: ExportStatus | None = None
        async with aclosing(watch_export(backend, job, poll_s=EXPORT_POLL_S, stall_s=STALL_S)) as statuses:
            async for status in statuses:  # never waits forever on a job that does not move
                on_progress(status.progress, status.stage or "Rendering")
        on_progress(1.0, "Done")
    assert status is not None  # the watch yields the final status at least
    if status.status is not ExportState.DONE:
        raise RenderError(f"The export failed: {status.error}")
    state = await backend.state(session_id)
    return {
        "output": status.output,
        "duration_s": status.duration_s,
        "width": status.width,
        "height": status.height,
        "summary": state.summary,
        "session_id": session_id,
        "explanation": reply.get("explanation", ""),
        "license": status.license,
        "link": status.link,
        "music": (status.music or MusicDetails()).model_dump(),
        "video_copied": status.video_copied,
        "note": status.note,
        **({"stems": status.stems} if status.stems else {}),
        **({"midi": status.midi} if status.midi else {}),
    }


async def _message(backend: Backend, session_id: str, words: str, fields: dict[str, Any],
                   on_progress: Progress) -> dict[str, Any]:  # fmt: skip
    reply: dict[str, Any] = {}
    async for event in backend.send_message(session_id, words, options(**fields)):
        if event.kind == "progress" and event.fraction is not None:
            on_progress(event.fraction, event.text)
        elif event.kind == "text":
            reply = {"text": event.text, **event.data}
    return reply
