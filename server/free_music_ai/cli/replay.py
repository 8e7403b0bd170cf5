"""`free-music-ai replay`: the music of an exported video made again from its licence sidecar, sample for sample."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from free_music_ai.cli.signing_options import NoCredentials, SignCert, SignKey, signing_overrides
from free_music_ai.cli.support import friendly_errors, print_json, progress_bar
from free_music_ai.errors import InputError


@friendly_errors
def replay(
    sidecar: Annotated[Path, typer.Argument(help="The NAME.license.json written beside an exported video.")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="A .wav or .flac file (never overwritten).")],
    midi: Annotated[Path | None, typer.Option(help="Also write the notes as a MIDI file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    sign_key: SignKey = None,
    sign_cert: SignCert = None,
    no_credentials: NoCredentials = False,
) -> None:
    """Make the music of an exported video again from its licence file: the same spec, seed and SoundFont give
    the same samples, as proof of where the music came from and to edit it elsewhere."""
    from pydantic import ValidationError

    from free_music_ai.config import load_settings
    from free_music_ai.engine.audio_file import write_audio, write_safely
    from free_music_ai.engine.music.midi_file import write_midi
    from free_music_ai.engine.music.produce import produce
    from free_music_ai.engine.music.spec import MusicSpec
    from free_music_ai.service.credentials import music_seal
    from free_music_ai.service.licence import font_path, read_sidecar

    if not sidecar.is_file():
        raise InputError(f"There is no file {sidecar}. Give the NAME.license.json beside an exported video.")
    found = read_sidecar(sidecar)
    try:
        spec = MusicSpec.model_validate(found["spec"])
    except ValidationError as exc:
        raise InputError(f"{sidecar.name} holds a spec this version cannot read: {exc.errors()[0]['msg']}.") from None
    font = found.get("soundfont") or {}
    chosen_font = font_path(font)
    settings = load_settings(signing_overrides(sign_key, sign_cert, no_credentials))
    with progress_bar(not as_json) as on_progress:
        music = produce(spec, target_lufs=settings.target_lufs, soundfont=chosen_font, on_progress=on_progress)
    seal = music_seal(settings, spec.model_dump(mode="json"), music, mastered=True, with_stems=False, soundfont=font)
    path = write_audio(music.audio, output, music.rate, seal=seal)
    result: dict[str, object] = {"path": str(path), "duration_s": round(len(music.audio) / music.rate, 6),
                                 "seed": spec.seed, "genre": music.composition.genre.value}  # fmt: skip
    if midi is not None:
        result["midi"] = str(write_safely(midi, (".mid", ".midi"), lambda temp: write_midi(music.composition, temp)))
    if as_json:
        print_json(result)
        return
    typer.echo(f"{path}\n  {result['genre']}, seed {spec.seed}, {result['duration_s']:.2f} s")
