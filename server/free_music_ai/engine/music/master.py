"""Mastering: balance the parts, add space and colour, then set the loudness and hold the peaks.

Order matters with pedalboard: its Limiter adds make-up gain, so the ceiling is held by BrickwallLimiter
(no make-up gain, true-peak detection), applied after the gain that reaches the target loudness; the
loudness is measured again after limiting and the gain corrected, until both targets hold.
"""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.loudness import integrated_lufs, true_peak_db
from free_music_ai.engine.music.colour import dust, sidechain_pump, tape_wow
from free_music_ai.engine.music.compose import Composition

PART_LEVELS = {"drums": 0.95, "bass": 0.9, "keys": 0.75, "lead": 0.8, "pad": 0.55, "guitar": 0.55, "arp": 0.45,
               "choir": 0.5, "brass": 0.55}  # fmt: skip
CEILING_DB = -1.5  # the limiter's ceiling, a margin below the -1 dBTP promise
PEAK_LIMIT_DB = -1.0
LOUDNESS_TOLERANCE = 0.2


def mix_parts(stems: dict[str, np.ndarray], composition: Composition, rate: int) -> np.ndarray:
    length = max(len(s) for s in stems.values())
    mix = np.zeros((length, 2), dtype=np.float32)
    kicks = [e.start_s for e in composition.events if e.drum and e.key == 36]
    for part, stem in stems.items():
        level = PART_LEVELS.get(part, 0.6)
        if composition.style.colour == "pump" and part not in ("drums",) and kicks:
            stem = sidechain_pump(stem, rate, kicks)
        mix[: len(stem)] += stem * np.float32(level)
    return mix


def colour_and_space(mix: np.ndarray, composition: Composition, rate: int) -> np.ndarray:
    import pedalboard as pb

    style, character = composition.style, composition.character
    if style.colour == "lofi":
        mix = tape_wow(mix, rate, seed=composition.spec.seed)
    top = 4200 + 2600 * character.brightness if style.colour == "lofi" else 9000 + 9000 * character.brightness
    chain = pb.Pedalboard([
        pb.HighpassFilter(cutoff_frequency_hz=32),
        pb.LowShelfFilter(cutoff_frequency_hz=180, gain_db=1.5 if style.colour == "lofi" else 0.5),
        pb.LowpassFilter(cutoff_frequency_hz=min(20000.0, top)),
        pb.Compressor(threshold_db=-20, ratio=2.2, attack_ms=18, release_ms=180),
        pb.Reverb(room_size=style.room, damping=0.55, wet_level=style.reverb, dry_level=0.9, width=0.9),
    ])  # fmt: skip
    if style.colour == "lofi":
        chain.insert(3, pb.Distortion(drive_db=5))
    out: np.ndarray = chain(mix.T.astype(np.float32), rate).T
    if style.colour == "lofi":
        peak = float(np.max(np.abs(out))) or 1.0
        out = out + dust(len(out), rate, 0.004 * peak, composition.spec.seed)
    return np.ascontiguousarray(out, dtype=np.float32)


def fit_length(audio: np.ndarray, composition: Composition, rate: int) -> np.ndarray:
    """Exactly the requested length, ending in a fade that lets the final chord die away."""
    total = round(composition.spec.duration_s * rate)
    out = np.zeros((total, 2), dtype=np.float32)
    out[: min(total, len(audio))] = audio[:total]
    ring = composition.spec.duration_s - composition.final_chord_s
    fade = round(max(0.25, min(1.8, 0.6 * ring)) * rate)
    out[total - fade :] *= np.cos(np.linspace(0, math.pi / 2, fade, dtype=np.float32))[:, None] ** 2
    return out


def normalize(audio: np.ndarray, rate: int, target_lufs: float) -> tuple[np.ndarray, float, float]:
    """Reach ``target_lufs`` with true peaks at or below -1 dBTP; returns audio, loudness, true peak."""
    import pedalboard as pb

    measured = integrated_lufs(audio, rate)
    if not math.isfinite(measured):
        return audio, measured, true_peak_db(audio)
    gain_db = target_lufs - measured
    result, loudness = audio, measured
    for _ in range(5):
        limiter = pb.BrickwallLimiter(ceiling_db=CEILING_DB, release_ms=120, true_peak=True)
        boosted = (audio * np.float32(10 ** (gain_db / 20))).T.astype(np.float32)
        result = np.ascontiguousarray(limiter(boosted, rate).T)
        loudness = integrated_lufs(result, rate)
        miss = target_lufs - loudness
        if abs(miss) <= LOUDNESS_TOLERANCE:
            break
        gain_db += miss * 1.15  # limiting eats part of each boost: aim a little past it
    peak = true_peak_db(result)
    if peak > PEAK_LIMIT_DB:  # the limiter's detector missed a peak: trim the whole piece under the limit
        result = result * np.float32(10 ** ((PEAK_LIMIT_DB - 0.05 - peak) / 20))
        loudness, peak = integrated_lufs(result, rate), true_peak_db(result)
    return result, loudness, peak
