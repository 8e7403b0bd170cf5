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
from free_music_ai.engine.music.colour import dust, sidechain_pump, tape_wow
from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.stretches import balanced_starts

PART_LEVELS = {"drums": 0.95, "bass": 0.9, "keys": 0.75, "lead": 0.8, "pad": 0.55, "guitar": 0.55, "arp": 0.45,
               "choir": 0.5, "brass": 0.55}  # fmt: skip
CEILING_DB = -1.5  # the limiter's ceiling, a margin below the -1 dBTP promise
PEAK_LIMIT_DB = -1.0
LOUDNESS_TOLERANCE = 0.2


def mix_buses(buses: dict[str, np.ndarray], composition: Composition, rate: int,
              levels: dict[str, float] | None = None) -> np.ndarray:  # fmt: skip
    """Sum channel-first buses (scaled by ``levels`` when given); dance music pumps everything but drums."""
    length = max(bus.shape[1] for bus in buses.values())
    mix = np.zeros((2, length), dtype=np.float32)
    kicks = [e.start_s for e in composition.events if e.drum and e.key == 36]
    for name, bus in buses.items():
        if composition.style.colour == "pump" and name != "drums" and kicks:
            bus = sidechain_pump(bus, rate, kicks)
        level = levels.get(name, 0.6) if levels is not None else 1.0
        mix[:, : bus.shape[1]] += bus * np.float32(level) if level != 1.0 else bus
    return mix


def colour_and_space(mix: np.ndarray, composition: Composition, rate: int) -> np.ndarray:
    """Genre colour, EQ, gentle compression and reverb on channel-first (2, n) audio."""
    import pedalboard as pb

    style, character = composition.style, composition.character
    if style.colour == "lofi":
        mix = tape_wow(mix, rate, seed=composition.spec.seed)
    top = 4200 + 2600 * character.brightness if style.colour == "lofi" else 9000 + 9000 * character.brightness

    def board() -> Any:  # new plugins each time: a plugin keeps its state, so threads must not share one
        effects = [
            pb.HighpassFilter(cutoff_frequency_hz=32),
            pb.LowShelfFilter(cutoff_frequency_hz=180, gain_db=1.5 if style.colour == "lofi" else 0.5),
            pb.LowpassFilter(cutoff_frequency_hz=min(20000.0, top)),
            pb.Compressor(threshold_db=-20, ratio=2.2, attack_ms=18, release_ms=180),
            pb.Reverb(room_size=style.room, damping=0.55, wet_level=style.reverb, dry_level=0.9, width=0.9),
        ]
        if style.colour == "lofi":
            effects.insert(3, pb.Distortion(drive_db=5))
        return pb.Pedalboard(effects)  # type: ignore[attr-defined]

    out = in_stretches(board, np.ascontiguousarray(mix, dtype=np.float32), rate)
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
