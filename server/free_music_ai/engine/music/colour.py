"""Genre colour the synthesizer does not give: lo-fi tape wow and dust, EDM sidechain pumping."""

from __future__ import annotations

import math
import random

import numpy as np


def tape_wow(audio: np.ndarray, rate: int, depth_s: float = 0.0012, speed_hz: float = 0.55,
             seed: int = 0) -> np.ndarray:  # fmt: skip
    """A slow pitch wobble (a worn tape or record) on channel-first audio: read at a wavering speed."""
    rng = random.Random(seed)
    n = audio.shape[1]
    t = np.arange(n, dtype=np.float64) / rate
    wobble = depth_s * (np.sin(2 * math.pi * speed_hz * t + rng.uniform(0, 6.28))
                        + 0.4 * np.sin(2 * math.pi * speed_hz * 2.7 * t + rng.uniform(0, 6.28)))  # fmt: skip
    positions = np.clip((t + wobble - depth_s * 1.4) * rate, 0, n - 1)
    index = np.arange(n, dtype=np.float64)
    return np.stack([np.interp(positions, index, channel).astype(np.float32) for channel in audio])


def dust(length: int, rate: int, level: float, seed: int) -> np.ndarray:
    """Soft vinyl crackle: sparse tiny clicks over a faint hiss, stereo."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, level * 0.15, (length, 2)).astype(np.float32)
    clicks = rng.random(length) < 3.0 / rate  # about three a second
    noise[clicks] += rng.normal(0.0, level, (int(clicks.sum()), 2)).astype(np.float32)
    return noise


def sidechain_pump(audio: np.ndarray, rate: int, kick_times: list[float], depth: float = 0.55,
                   recovery_s: float = 0.22) -> np.ndarray:  # fmt: skip
    """Duck channel-first music under every kick and let it swell back: the breathing of dance music."""
    gain = np.ones(audio.shape[1], dtype=np.float32)
    shape = 1 - depth * np.exp(-np.arange(round(recovery_s * rate * 1.5)) / (recovery_s * rate / 3))
    attack = np.linspace(1.0, shape[0], max(1, round(0.004 * rate)))  # 4 ms down, no click
    for time in kick_times:
        start = round(time * rate)
        if start >= len(gain):
            continue
        a_end = min(len(gain), start + len(attack))
        gain[start:a_end] = np.minimum(gain[start:a_end], attack[: a_end - start])
        end = min(len(gain), a_end + len(shape))
        gain[a_end:end] = np.minimum(gain[a_end:end], shape[: end - a_end])
    result: np.ndarray = audio * gain
    return result
