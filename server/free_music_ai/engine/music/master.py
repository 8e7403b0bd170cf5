"""Loudness and peaks of a whole channel-first mix at once (the soundtrack of an export); generated music is
finished a block at a time by finish.py with the same limits.

Order matters with pedalboard: its Limiter adds make-up gain, so the ceiling is held by BrickwallLimiter
(no make-up gain, true-peak detection), applied after the gain that reaches the target loudness; the
loudness is measured again after limiting and the gain corrected, until both targets hold.
"""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.loudness import (
    frame_energies,
    gated_lufs,
    remeasured,
    repair_true_peaks,
    true_peak_db,
)

CEILING_DB = -1.5  # the limiter's ceiling, a margin below the -1 dBTP promise
PEAK_LIMIT_DB = -1.0
LOUDNESS_TOLERANCE = 0.2


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
