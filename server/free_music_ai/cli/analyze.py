"""``free-music-ai analyze``: what the footage says about the music it wants."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from free_music_ai.cli.support import friendly_errors, print_json, progress_bar


@friendly_errors
def analyze(
    files: Annotated[list[Path], typer.Argument(help="Videos and/or images, in the order they will play.")],
    *,
    words: Annotated[str, typer.Option("--prompt", "-p", help="What you want: 'calm lo-fi', '欢快', '90 bpm'.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    plot: Annotated[Path | None, typer.Option(help="Also draw energy, cuts and speech as a PNG.")] = None,
    image_seconds: Annotated[float, typer.Option(help="How long each image is shown.", min=0.5, max=600)] = 4.0,
    seed: Annotated[
        int | None,
        typer.Option(
            help="The seed the music would use (by default the one `render` picks for these files and words).", min=0
        ),
    ] = None,
) -> None:
    """Measure mood, energy over time, scene changes and speech, and say what music fits."""
    from free_music_ai.config import load_settings
    from free_music_ai.engine.analysis.analyze import analyze as run_analysis
    from free_music_ai.engine.analysis.plot import draw
    from free_music_ai.engine.audio_file import write_safely
    from free_music_ai.engine.plan.plan import first_seed, plan_music
    from free_music_ai.words.wishes import read_wishes

    settings = load_settings()
    with progress_bar(not as_json) as on_progress:
        result = run_analysis(files, image_seconds=image_seconds, cache_dir=settings.cache_dir,
                              max_bytes=settings.max_input_bytes, on_progress=on_progress)  # fmt: skip
    wishes = read_wishes(words)
    plan = plan_music(result, wishes, seed=first_seed(result, wishes) if seed is None else seed)
    plot_path = (
        str(write_safely(plot, (".png",), lambda temp: draw(result, temp, ffmpeg=settings.ffmpeg))) if plot else None
    )
    if as_json:
        print_json({
            "duration_s": result.duration_s, "cuts_s": result.cuts_s, "valence": result.valence,
            "arousal": result.arousal, "energy": result.energy, "speech_s": [list(s) for s in result.speech_s],
            "suggested": {"genre": plan.suggested.genre, "bpm": plan.suggested.bpm, "mode": plan.suggested.mode,
                          "key": plan.suggested.key},
            "explanation": plan.explanation,
            "transitions": [t.model_dump() for t in result.transitions],
            "reasons": [r.model_dump() for r in result.reasons],
            "ducking_db": [list(p) for p in plan.ducking.points],
            **({"plot": plot_path} if plot_path else {}),
        })  # fmt: skip
        return
    typer.echo(plan.explanation)
    typer.echo(f"  valence {result.valence:+.2f}, arousal {result.arousal:+.2f}; "
               f"because of {', '.join(r.feature for r in result.reasons[:3])}")  # fmt: skip
    if result.transitions:
        typer.echo("  scene changes: " + ", ".join(f"{t.time_s:.2f}s {t.kind}" for t in result.transitions))
    if result.speech_s:
        typer.echo("  speech: " + ", ".join(f"{s:.1f}-{e:.1f}s" for s, e in result.speech_s))
    if plot_path:
        typer.echo(f"  plot: {plot_path}")
