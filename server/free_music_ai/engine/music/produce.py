"""Spec in, finished music out: compose, synthesize with the SoundFont, master, and write the files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.master import colour_and_space, fit_length, level, normalize
from free_music_ai.engine.music.mixdown import PART_LEVELS, bus_routing, mix_buses
from free_music_ai.engine.music.spec import MusicSpec

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


def produce(
    spec: MusicSpec,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    soundfont: str | Path | None = None,
    on_progress: Progress | None = None,
    keep_stems: bool = False,
    finish: bool = True,
) -> Music:
    """Compose, play and master ``spec``. ``keep_stems`` also returns each part unmastered (more memory).

    ``finish=False`` is for music that is mixed and mastered again before anyone hears it (an export): its
    loudness is set by gain alone and its peaks are left to the final limiter, so ``true_peak_db`` is the
    sample peak.
    """
    from free_music_ai.engine.soundfont import synthesizer

    report = on_progress or (lambda fraction, message: None)
    report(0.0, "Composing")
    composition = compose(spec)
    report(0.1, "Playing the instruments")
    synth = synthesizer(soundfont, RATE)
    events = list(composition.events)
    parts = {e.part for e in events}
    # stems: one bus per part, at its level in the mix (they add up to the dry mix before its bus effects)
    buses = synth.render_buses(events, bus_routing(parts, keep_stems), PART_LEVELS)
    report(0.6, "Mixing and mastering")
    mix, send = mix_buses(buses, composition, RATE)
    if not keep_stems:
        buses = {}
    mastered = fit_length(colour_and_space(mix, send, composition, RATE), composition, RATE)
    del mix, send
    audio, lufs, peak = normalize(mastered, RATE, target_lufs) if finish else level(mastered, RATE, target_lufs)
    total = audio.shape[1]
    stems = {part: _exact(bus, total) for part, bus in buses.items()} if keep_stems else {}
    report(1.0, "Music ready")
    log.info("composed %s %s at %.1f bpm, %.1f LUFS, %.2f dBTP", composition.genre.value, composition.key,
             composition.bpm, lufs, peak)  # fmt: skip
    return Music(composition, np.ascontiguousarray(audio.T), stems, lufs, peak)


def _exact(bus: np.ndarray, total: int) -> np.ndarray:
    out = np.zeros((total, 2), dtype=np.float32)
    length = min(total, bus.shape[1])
    out[:length] = bus[:, :length].T
    return out
