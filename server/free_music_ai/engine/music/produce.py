"""Spec in, finished music out: compose, synthesize with the SoundFont, master, and write the files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.master import colour_and_space, fit_length, mix_parts, normalize
from free_music_ai.engine.music.spec import MusicSpec

log = logging.getLogger(__name__)

RATE = 48_000
DEFAULT_TARGET_LUFS = -14.0
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Music:
    composition: Composition
    audio: np.ndarray  # (n, 2) float32 at RATE, exactly spec.duration_s long
    stems: dict[str, np.ndarray]  # the parts before mastering, same length as ``audio``
    lufs: float
    true_peak_db: float
    rate: int = RATE


def produce(
    spec: MusicSpec,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    soundfont: str | Path | None = None,
    on_progress: Progress | None = None,
) -> Music:
    from free_music_ai.engine.soundfont import synthesizer

    report = on_progress or (lambda fraction, message: None)
    report(0.0, "Composing")
    composition = compose(spec)
    report(0.1, "Playing the instruments")
    synth = synthesizer(soundfont, RATE)
    stems = synth.render_stems(list(composition.events))
    report(0.6, "Mixing and mastering")
    mix = mix_parts(stems, composition, RATE)
    mastered = fit_length(colour_and_space(mix, composition, RATE), composition, RATE)
    audio, lufs, peak = normalize(mastered, RATE, target_lufs)
    total = len(audio)
    stems = {part: _exact(stem, total) for part, stem in stems.items()}
    report(1.0, "Music ready")
    log.info("composed %s %s at %.1f bpm, %.1f LUFS, %.2f dBTP", composition.genre.value, composition.key,
             composition.bpm, lufs, peak)  # fmt: skip
    return Music(composition, audio, stems, lufs, peak)


def _exact(stem: np.ndarray, total: int) -> np.ndarray:
    out = np.zeros((total, 2), dtype=np.float32)
    out[: min(total, len(stem))] = stem[:total]
    return out
