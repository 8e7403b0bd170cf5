"""The product's main job in one command: upload, generate, export, with a progress bar per stage."""

from __future__ import annotations

from pathlib import Path

import typer

from free_music_ai.cli_support import err_console, print_json, progress_bar
from free_music_ai.config import Settings

DEFAULT_PROMPT = "generate a background music track that matches the mood of my video"


def _has_music(state: dict[str, object]) -> bool:
    draft = state["draft"]
    assert isinstance(draft, dict)
    return any(track.get("tt") == 1 and track.get("sg") for track in draft.get("t", []))


def one_shot(
    inputs: list[Path],
    prompt: str,
    output: Path | None,
    aspect: str,
    title: str | None,
    seed: int | None,
    music_volume: float | None,
    settings: Settings,
    as_json: bool,
) -> None:
    from free_music_ai.backends.local_engine import LocalEngine

    engine = LocalEngine(settings, settings.data_dir)
    try:
        with progress_bar(not as_json) as on_progress:
            on_progress(0.0, "Reading the files")
            session_id, _ = engine.upload(None, inputs)
            words = prompt + (f' add title "{title}" for the first 3 seconds' if title else "")
            fields = {"seed": seed, "music_volume": None if music_volume is None else music_volume / 100}
            reply = engine.message(session_id, words, on_progress, fields)
            if not _has_music(engine.state(session_id)):
                # the words named no music ("", "hello"): this command exists to make it, so make what fits
                reply = engine.message(session_id, f"{DEFAULT_PROMPT} {words}", on_progress, fields)
        with progress_bar(not as_json) as on_progress:
            row = engine.export(session_id, output, None if aspect == "auto" else aspect, on_progress)
        state = engine.state(session_id)
    finally:
        engine.store.close()
    details = row.details
    if as_json:
        print_json(
            {
                "output": row.output,
                "duration_s": details["duration_s"],
                "width": details["width"],
                "height": details["height"],
                "summary": state["summary"],
                "session_id": session_id,
                "explanation": reply.explanation,
                "license": details.get("license"),
                "music": {k: details.get(k) for k in ("genre", "bpm", "key", "mode", "seed")},
            }
        )
        return
    if output is not None and row.output and Path(row.output) != output.absolute():
        err_console.print(f"{output.name} exists already, so the new file got another name.", highlight=False)
    typer.echo(f"{row.output}\n  {reply.explanation}\n  {state['summary']}")
