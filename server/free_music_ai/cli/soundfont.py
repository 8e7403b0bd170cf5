"""``free-music-ai soundfont``: look inside a SoundFont and play notes from it, to check a font by ear."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from free_music_ai.cli.support import friendly_errors, print_json
from free_music_ai.errors import InputError

app = typer.Typer(help="Inspect and play the General MIDI SoundFont used for the music.", no_args_is_help=True)


def _font_path(font: Path | None) -> Path:
    from free_music_ai.config import load_settings
    from free_music_ai.engine.soundfont import bundled_soundfont

    return font or load_settings().soundfont or bundled_soundfont()


@app.command()
@friendly_errors
def info(
    font: Annotated[
        Path | None, typer.Argument(help="An .sf2/.sf3 file (default: FMAI_SOUNDFONT or the bundled one).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the presets as JSON.")] = False,
) -> None:
    """List the presets (bank, program, name) of a SoundFont."""
    from free_music_ai.engine.soundfont import load_soundfont

    loaded = load_soundfont(_font_path(font))
    presets = loaded.presets()
    if as_json:
        print_json({"font": str(loaded.path), "presets": [p.__dict__ for p in presets]})
        return
    typer.echo(f"{loaded.path}: {len(presets)} presets, {len(loaded.hydra.samples)} samples")
    for preset in presets:
        typer.echo(f"  {preset.bank:>3} {preset.program:>3}  {preset.name}")


def _parse_keys(keys: str) -> list[int]:
    try:
        values = [int(k) for k in keys.replace(" ", "").split(",") if k]
    except ValueError:
        raise InputError(f"--keys {keys!r} must be MIDI key numbers separated by commas, such as 60,64,67.") from None
    if not values or any(not 0 <= k <= 127 for k in values):
        raise InputError("--keys must list MIDI key numbers from 0 to 127, such as 60,64,67.")
    return values


@app.command()
@friendly_errors
def play(
    *,
    program: Annotated[
        int, typer.Option(help="General MIDI program (0 piano, 24 guitar, 48 strings...).", min=0, max=127)
    ],
    keys: Annotated[str, typer.Option(help="MIDI keys, comma-separated: 60,64,67.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="A .wav or .flac file (never overwritten).")],
    font: Annotated[Path | None, typer.Option(help="An .sf2/.sf3 file (default: the bundled one).")] = None,
    bank: Annotated[int, typer.Option(help="Bank: 0 for instruments, 128 for drum kits.", min=0, max=128)] = 0,
    velocity: Annotated[int, typer.Option(help="How hard the keys are struck (1-127).", min=1, max=127)] = 100,
    seconds: Annotated[float, typer.Option(help="How long each key is held.", min=0.05, max=60)] = 1.0,
    together: Annotated[bool, typer.Option("--together", help="Strike the keys at once, as a chord.")] = False,
) -> None:
    """Render keys one after another (each held, then its release) or together, to a WAV file."""
    from free_music_ai.engine.audio_file import write_audio
    from free_music_ai.engine.soundfont import NoteEvent, synthesizer

    notes = _parse_keys(keys)
    synth = synthesizer(_font_path(font))
    drum = bank == 128
    if together:
        events = [NoteEvent(0.0, seconds, k, velocity, program, 0, drum) for k in notes]
    else:
        gap = seconds + 0.5  # room for each release before the next key
        events = [NoteEvent(i * gap, seconds, k, velocity, program, 0, drum) for i, k in enumerate(notes)]
    audio = synth.render(events)
    path = write_audio(audio, output, synth.rate)
    typer.echo(str(path))
