"""Mastering: balance the parts, add space and colour, then set the loudness and hold the peaks.

Order matters with pedalboard: its Limiter adds make-up gain, so the ceiling is held by BrickwallLimiter
(no make-up gain, true-peak detection), applied after the gain that reaches the target loudness; the
loudness is measured again after limiting and the gain corrected, until both targets hold.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from free_music_ai.engine.loudness import (
    frame_energies,
    gated_lufs,
    integrated_lufs,
    remeasured,
    repair_true_peaks,
    true_peak_db,
)
from free_music_ai.engine.music.colour import dust, tape_wow
from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.music.mixdown import apply_arc, reverb_return
from free_music_ai.engine.stretches import balanced_starts

CEILING_DB = -1.5  # the limiter's ceiling, a margin below the -1 dBTP promise
PEAK_LIMIT_DB = -1.0
LOUDNESS_TOLERANCE = 0.2


def colour_and_space(mix: np.ndarray, send: np.ndarray, composition: Composition, rate: int) -> np.ndarray:
    """The reverb's return added to the dry mix, then genre colour, EQ, gentle compression, and the arc of the
    piece, on channel-first (2, n) audio."""
    import pedalboard as pb

    style, character = composition.style, composition.character
    mix += reverb_return(send, composition, rate, in_stretches)
    del send
    if style.colour == "lofi":
        mix = tape_wow(mix, rate, seed=composition.spec.seed)

    def board() -> Any:  # new plugins each time: a plugin keeps its state, so threads must not share one
        effects = [
            pb.HighpassFilter(cutoff_frequency_hz=32),
            pb.LowShelfFilter(cutoff_frequency_hz=180, gain_db=1.5 if style.colour == "lofi" else 0.5),
            pb.Compressor(threshold_db=-18, ratio=1.8, attack_ms=25, release_ms=200),
        ]
        if style.air_db:  # air for fonts whose samples stop short of the top octave: a shelf and an exciter
            excite = pb.Chain([pb.HighpassFilter(cutoff_frequency_hz=2500), pb.Distortion(drive_db=18),
                               pb.HighpassFilter(cutoff_frequency_hz=5000),
                               pb.Gain(gain_db=style.air_db - 30)])  # fmt: skip
            effects[2:2] = [pb.HighShelfFilter(cutoff_frequency_hz=6000, gain_db=style.air_db / 2),
                            pb.Mix([pb.Chain([]), excite])]  # fmt: skip
        if style.colour == "lofi":  # only lo-fi wants its top rolled off, like a worn tape
            effects.insert(2, pb.LowpassFilter(cutoff_frequency_hz=4200 + 2600 * character.brightness))
            effects.insert(3, pb.Distortion(drive_db=5))
        return pb.Pedalboard(effects)  # type: ignore[attr-defined]

    out = apply_arc(in_stretches(board, np.ascontiguousarray(mix, dtype=np.float32), rate), composition, rate)
    if style.colour == "lofi":
        peak = float(np.max(np.abs(out))) or 1.0
        out = out + dust(out.shape[1], rate, 0.004 * peak, composition.spec.seed).T
    return out


EFFECT_LEAD_S = 5.0  # the longest room (ambient's) leaves less than -60 dB of a stretch's past after this
MIN_EFFECT_STRETCH_S = 15.0


def in_stretches(make_board: Callable[[], Any], audio: np.ndarray, rate: int, workers: int | None = None) -> np.ndarray:
    """``make_board()``'s effects on channel-first ``audio``, in one stretch per core (pedalboard releases the
    GIL). Each stretch's board first hears EFFECT_LEAD_S of what comes before it, so its compressor and the
    reverb's tail are where they would be in one pass; only the stretch itself is kept."""
    length = audio.shape[1]
    count = max(1, min(workers or os.cpu_count() or 1, int(length / rate // MIN_EFFECT_STRETCH_S)))
    if count == 1:
        whole: np.ndarray = make_board()(audio, rate)
        return whole
    lead = round(EFFECT_LEAD_S * rate)
    bounds = [round(start) for start in balanced_starts(length, count, lead)] + [length]
    boards = [make_board() for _ in range(count)]  # a board keeps its state: one each

    joined = np.empty_like(audio)  # each stretch writes its own part: no second copy of a long piece

    def stretch(k: int) -> None:
        first = max(0, bounds[k] - lead)
        out: np.ndarray = boards[k](np.ascontiguousarray(audio[:, first : bounds[k + 1]]), rate)
        joined[:, bounds[k] : bounds[k + 1]] = out[:, bounds[k] - first :]

    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="effects") as pool:
        list(pool.map(stretch, range(count)))
    return joined


def fit_length(audio: np.ndarray, composition: Composition, rate: int) -> np.ndarray:
    """Exactly the requested length, ending in a fade that lets the final chord die away."""
    total = round(composition.spec.duration_s * rate)
    out = np.zeros((2, total), dtype=np.float32)
    out[:, : min(total, audio.shape[1])] = audio[:, :total]
    ring = composition.spec.duration_s - composition.final_chord_s
    fade = round(max(0.25, min(1.8, 0.6 * ring)) * rate)
    out[:, total - fade :] *= np.cos(np.linspace(0, math.pi / 2, fade, dtype=np.float32)) ** 2
    return out


def level(audio: np.ndarray, rate: int, target_lufs: float) -> tuple[np.ndarray, float, float]:
    """Reach ``target_lufs`` by gain alone (no limiting); the loudness and the sample peak in dBFS."""
    measured = integrated_lufs(audio, rate, channels_first=True)
    if not math.isfinite(measured):
        return audio, measured, float("-inf")
    out = audio * np.float32(10 ** ((target_lufs - measured) / 20))
    peak = float(np.max(np.abs(out))) if out.size else 0.0
    return out, target_lufs, 20 * math.log10(peak) if peak > 0 else float("-inf")


def normalize(audio: np.ndarray, rate: int, target_lufs: float) -> tuple[np.ndarray, float, float]:
    """Reach ``target_lufs`` with true peaks at or below -1 dBTP; channel-first in and out.

    The gain comes first, then the brick-wall limiter (no make-up gain) holds the sample peaks, then the few
    inter-sample peaks left are repaired; the loudness is measured again and the gain corrected until both
    targets hold.
    """
    import pedalboard as pb

    energies = frame_energies(audio, rate, channels_first=True)
    measured = gated_lufs(energies)
    if not math.isfinite(measured):
        return audio, measured, true_peak_db(audio, channels_first=True)
    gain_db = target_lufs - measured
    result, loudness = audio, measured
    for _ in range(5):
        limiter = pb.BrickwallLimiter(ceiling_db=CEILING_DB, release_ms=120, true_peak=False)
        gain = np.float32(10 ** (gain_db / 20))
        boosted = np.ascontiguousarray(audio * gain)
        result = repair_true_peaks(limiter(boosted, rate), PEAK_LIMIT_DB - 0.2, rate=rate)
        # a gain scales every frame's energy alike; only the frames the limiter touched are measured again
        loudness = gated_lufs(remeasured(energies * float(gain) ** 2, boosted, result, rate))
        miss = target_lufs - loudness
        if abs(miss) <= LOUDNESS_TOLERANCE:
            break
        gain_db += miss * 1.15  # limiting eats part of each boost: aim a little past it
    return result, loudness, true_peak_db(result, channels_first=True)
