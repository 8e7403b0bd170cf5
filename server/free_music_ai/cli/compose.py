"""``free-music-ai compose``: original music of any length from a mood, as WAV/FLAC, MIDI and stems."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from free_music_ai.cli.signing_options import NoCredentials, SignCert, SignKey, signing_overrides
from free_music_ai.cli.support import friendly_errors, print_json, progress_bar
from free_music_ai.errors import InputError


def _cuts(text: str | None) -> list[float]:
    if not text:
        return []
    try:
        return [float(c) for c in text.replace(" ", "").split(",") if c]
    except ValueError:
        raise InputError(f"--cuts {text!r} must be seconds separated by commas, such as 1.5,4.2,9.") from None


@friendly_errors
def compose(
    *,
    duration: Annotated[float, typer.Option("--duration", "-d", help="Length in seconds (3 to 1200), exact.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="A .wav or .flac file (never overwritten).")],
    genre: Annotated[
        str | None,
        typer.Option(
            help="lo-fi, cinematic, upbeat pop, acoustic, ambient, corporate, hip-hop, electronic, solo piano, jazz, "
            "rock, orchestral, folk, r&b, trap or suspense."
        ),
    ] = None,
    mood: Annotated[str | None, typer.Option(help="Mood words: calm, warm, happy, epic, sad, 轻松...")] = None,
    valence: Annotated[float | None, typer.Option(help="Sad (-1) to happy (1).", min=-1, max=1)] = None,
    arousal: Annotated[float | None, typer.Option(help="Calm (-1) to energetic (1).", min=-1, max=1)] = None,
    bpm: Annotated[float | None, typer.Option(help="Tempo in beats per minute.", min=40, max=200)] = None,
    key: Annotated[str | None, typer.Option(help="Tonic: C, D, Eb, F#...")] = None,
    mode: Annotated[str | None, typer.Option(help="major, minor, dorian, lydian, mixolydian or phrygian.")] = None,
    cuts: Annotated[str | None, typer.Option(help="Seconds where beats should land: 1.5,4.2,9.")] = None,
    no_drums: Annotated[bool, typer.Option("--no-drums", help="Leave the drums out.")] = False,
    seed: Annotated[int, typer.Option(help="Same spec and seed give the same music.", min=0)] = 1,
    midi: Annotated[Path | None, typer.Option(help="Also write the notes as a MIDI file.")] = None,
    stems: Annotated[Path | None, typer.Option(help="Also write each part (unmastered) into this folder.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    sign_key: SignKey = None,
    sign_cert: SignCert = None,
    no_credentials: NoCredentials = False,
) -> None:
    """Compose original, royalty-free music from a mood, exactly as long as asked."""
    from free_music_ai.config import load_settings
    from free_music_ai.engine.audio_file import write_audio, write_safely
    from free_music_ai.engine.music.midi_file import write_midi
    from free_music_ai.engine.music.produce import produce
    from free_music_ai.engine.music.spec import MAX_DURATION_S, MIN_DURATION_S, MusicSpec
    from free_music_ai.service.credentials import music_seal
    from free_music_ai.words.genre import parse_genre
    from free_music_ai.words.mood import mood_from_words

    settings = load_settings(signing_overrides(sign_key, sign_cert, no_credentials))
    if not MIN_DURATION_S <= duration <= MAX_DURATION_S:
        raise InputError(f"--duration must be from {MIN_DURATION_S:g} to {MAX_DURATION_S:g} seconds.")
    chosen_genre = parse_genre(genre) if genre else None
    v, a = 0.3, 0.0
    if mood:
        found = mood_from_words(mood)
        if found is None:
            raise InputError(f"No mood word recognised in {mood!r}. Try calm, warm, happy, upbeat, epic, sad, dark, "
                             "dreamy, tense, or set --valence and --arousal.")  # fmt: skip
        v, a = found
    if stems is not None and not stems.is_dir():
        raise InputError(f"--stems {stems} is not a folder. Create it first.")
    try:
        spec = MusicSpec(duration_s=duration, valence=valence if valence is not None else v,
                         arousal=arousal if arousal is not None else a, genre=chosen_genre, bpm=bpm, key=key,
                         mode=mode, cuts_s=_cuts(cuts), drums=False if no_drums else None, seed=seed)  # fmt: skip
    except ValueError as exc:
        raise InputError(f"These settings cannot be used: {exc}".split("\n")[0]) from None
    with progress_bar(not as_json) as on_progress:
        music = produce(
            spec,
            target_lufs=settings.target_lufs,
            soundfont=settings.soundfont,
            on_progress=on_progress,
            keep_stems=stems is not None,
        )
    kept = stems is not None
    made = spec.model_dump(mode="json")
    seal = music_seal(settings, made, music, mastered=True, with_stems=kept)
    path = write_audio(music.audio, output, music.rate, seal=seal)
    extra: dict[str, object] = {}
    if midi is not None:
        extra["midi"] = str(write_safely(midi, (".mid", ".midi"), lambda temp: write_midi(music.composition, temp)))
    if stems is not None:
        extra["stems"] = {part: str(write_audio(audio, stems / f"{part}.wav", music.rate,
                                                seal=music_seal(settings, made, music, mastered=True, with_stems=kept,
                                                                part=part)))
                          for part, audio in sorted(music.stems.items())}  # fmt: skip
    c = music.composition
    result = {"path": str(path), "duration_s": round(len(music.audio) / music.rate, 6), "genre": c.genre.value,
              "bpm": c.bpm, "key": c.key.split()[0], "mode": c.character.mode, "beats_s": list(c.beats_s),
              "hits_s": list(c.hits_s), "lufs": round(music.lufs, 2), "true_peak_db": round(music.true_peak_db, 2),
              **extra}  # fmt: skip
    if as_json:
        print_json(result)
        return
    typer.echo(f"{path}\n  {c.genre.value}, {c.key}, {c.bpm:g} bpm, {result['duration_s']:.2f} s, "
               f"{result['lufs']} LUFS, {result['true_peak_db']} dBTP")  # fmt: skip
    for name, value in extra.items():
        typer.echo(f"  {name}: {value}")
