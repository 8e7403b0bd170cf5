"""The music of an export as files of its own: each part as a WAV and the notes as MIDI, aligned to the video.

They are made from the music's spec (the same spec and seed play the same notes), so the video's render
never waits for them and the stored music needs no second copy per part.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from free_music_ai.config import Settings
    from free_music_ai.engine.soundfont.instruments import Instruments


@dataclass(frozen=True)
class ExportExtras:
    """What an export may also write: the music's parts (one WAV each, as long as the video) and its notes."""

    stems_dir: Path | None = None
    midi_path: Path | None = None

    @property
    def wanted(self) -> bool:
        return self.stems_dir is not None or self.midi_path is not None


def write_music_files(spec: dict[str, Any], extras: ExportExtras, settings: Settings, *,
                      instruments: Instruments | None = None) -> dict[str, Any]:  # fmt: skip
    """Write what ``extras`` asks for; the paths they got (never an existing file overwritten)."""
    from free_music_ai.engine.audio_file import write_audio, write_safely
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.midi_file import write_midi
    from free_music_ai.engine.music.produce import produce
    from free_music_ai.engine.music.spec import MusicSpec
    from free_music_ai.service.credentials import music_seal

    music_spec = MusicSpec.model_validate(spec)
    written: dict[str, Any] = {}
    if extras.midi_path is not None:
        composition = compose(music_spec)
        written["midi"] = str(write_safely(extras.midi_path, (".mid", ".midi"),
                                           lambda temp: write_midi(composition, temp)))  # fmt: skip
    if extras.stems_dir is not None:  # an existing folder (export_job.check_export)
        music = produce(
            music_spec,
            target_lufs=settings.target_lufs,
            soundfont=settings.soundfont,
            keep_stems=True,
            finish=False,
            instruments=instruments,
        )
        written["stems"] = {part: str(write_audio(audio, extras.stems_dir / f"{part}.wav", music.rate,
                                                  seal=music_seal(settings, spec, music, mastered=False,
                                                                  with_stems=True, part=part)))
                            for part, audio in sorted(music.stems.items())}  # fmt: skip
    return written
