"""Spec in, finished music out: compose, synthesize with the SoundFont, master, and write the files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from free_music_ai.engine.loudness import FRAME_S, frame_energies, gated_lufs
from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.finish import fade_out, level_in_place, normalize_in_place
from free_music_ai.engine.music.genres import font_name_for
from free_music_ai.engine.music.level_reference import Heard, nominal_lufs, outside
from free_music_ai.engine.music.mixdown import asked_levels, bus_routing, bus_sends, part_levels
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.stream import render_piece
from free_music_ai.engine.paged_audio import stereo_buffer

if TYPE_CHECKING:
    from free_music_ai.engine.soundfont import Instruments

log = logging.getLogger(__name__)

RATE = 48_000
DEFAULT_TARGET_LUFS = -14.0
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Music:
    composition: Composition
    audio: np.ndarray  # (n, 2) float32 at RATE, exactly spec.duration_s long
    stems: dict[str, np.ndarray]  # with keep_stems: the parts before mastering, as long as ``audio``
    lufs: float
    true_peak_db: float
    rate: int = RATE
    # the spans (s) its asked moments changed, and how much louder than its nominal loudness (the target) they
    # made the whole (level_reference.py): an export's mix is levelled alike
    changed_s: tuple[tuple[float, float], ...] = ()
    excess_db: float = 0.0


def font_for(genre: Genre) -> Path | None:
    """The bundled font a genre is played on when the user names none (None: the synthesizer's default)."""
    from free_music_ai.engine.soundfont import bundled_soundfont

    name = font_name_for(genre)
    return bundled_soundfont(name) if name else None


def produce(
    spec: MusicSpec,
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    soundfont: str | Path | None = None,
    on_progress: Progress | None = None,
    keep_stems: bool = False,
    finish: bool = True,
    file: Path | None = None,
    instruments: Instruments | None = None,
    heard: Heard | None = None,
) -> Music:
    """Compose, play and master ``spec``. ``keep_stems`` also returns each part unmastered (more memory).

    ``finish=False`` is for music that is mixed and mastered again before anyone hears it (an export): its
    loudness is set by gain alone and its peaks are left to the final limiter, so ``true_peak_db`` is the
    sample peak.

    A long piece is played into ``file`` (a complete .npy once this returns) or a temporary file, never held in
    memory whole (paged_audio.py); ``audio`` is then that file's mapping.

    ``instruments``: the synthesizers the caller keeps between pieces (their waveforms are reused); without,
    the piece is played on its own.

    ``heard``: the piece this one edits (its moments changed), whose untouched part it matches in loudness.
    """
    from free_music_ai.engine.soundfont import Instruments

    report = on_progress or (lambda fraction, message: None)
    report(0.0, "Composing")
    composition = compose(spec)
    report(0.1, "Playing the instruments")
    synth = (instruments or Instruments()).synthesizer(soundfont or font_for(composition.genre), RATE)
    events = list(composition.events)
    # stems: one bus per part, at its level in the mix (they add up to the dry mix before its bus effects)
    routing = bus_routing({e.part for e in events}, keep_stems)
    mixer = synth.mixer(
        events, routing, part_levels(composition, synth), bus_sends=bus_sends(set(routing.values()), composition)
    )
    report(0.45, "Mixing and mastering")
    total = round(spec.duration_s * RATE)
    audio = stereo_buffer(total, file)  # the one buffer as long as the piece
    stems = {name: np.zeros((total, 2), dtype=np.float32) for name in mixer.names} if keep_stems else None
    try:
        energies = render_piece(mixer, composition, audio, stems=stems, rate=RATE)
    finally:
        mixer.close()  # the room the waveform cache held for this piece's waveforms, given back
    ring = spec.duration_s - composition.final_chord_s
    fade = max(0.25, min(1.8, 0.6 * ring))
    fade_out(audio, fade, RATE)  # the final chord dies away exactly at the end
    faded = round(fade / FRAME_S) + 1  # the frames the fade touched are measured again
    energies[-faded:] = frame_energies(audio[(len(energies) - faded) * round(FRAME_S * RATE) :], RATE)[-faded:]
    # what the piece would measure unasked is brought to the target: a stretch asked louder or quieter is so against
    # the rest, which stays where it was (level_reference.py)
    asked, excess, kept = asked_levels(composition), 0.0, None
    if asked.any:
        excess = gated_lufs(energies) - nominal_lufs(energies, apart=asked.apart, raised=asked.raised,
                                                     changed=asked.changed, heard=heard)  # fmt: skip
        kept = outside(asked.changed, len(energies))
    if finish:
        lufs, peak = normalize_in_place(audio, RATE, target_lufs + excess, energies=energies, kept=kept)
    else:
        lufs, peak = level_in_place(audio, RATE, target_lufs + excess, energies=energies)
    report(1.0, "Music ready")
    log.info("composed %s %s at %.1f bpm, %.1f LUFS, %.2f dBTP", composition.genre.value, composition.key,
             composition.bpm, lufs, peak)  # fmt: skip
    return Music(composition, audio, stems or {}, lufs, peak, changed_s=tuple(asked.changed), excess_db=excess)
