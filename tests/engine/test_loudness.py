"""Our BS.1770 meter against pyloudnorm (a time-domain implementation) on the signals that trip meters up:
low and high tones (the K-weighting's ends), noise, gated bursts, sparse clicks, and real music."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from free_music_ai.engine.loudness import integrated_lufs

RATE = 48_000


def signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    t = np.arange(RATE * 12) / RATE
    return {
        "tone 1 kHz": 0.3 * np.sin(2 * np.pi * 1000 * t),
        "tone 60 Hz": 0.5 * np.sin(2 * np.pi * 60 * t),
        "tone 12 kHz": 0.2 * np.sin(2 * np.pi * 12000 * t),
        "white noise": 0.1 * rng.standard_normal(len(t)),
        "bursts": 0.3 * rng.standard_normal(len(t)) * (np.sin(2 * np.pi * 0.3 * t) > 0.6),
        "clicks": np.where(np.arange(len(t)) % 24000 < 50, 0.8, 0.0) * rng.standard_normal(len(t)),
    }


@pytest.mark.parametrize("name", list(signals()))
def test_agrees_with_a_time_domain_meter(name: str) -> None:
    mono = signals()[name]
    stereo = np.stack([mono, 0.8 * mono], axis=1).astype(np.float32)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(stereo.astype(np.float64))
    assert integrated_lufs(stereo, RATE) == pytest.approx(reference, abs=0.1)


def test_silence_is_minus_infinity() -> None:
    assert integrated_lufs(np.zeros((RATE * 2, 2), np.float32)) == float("-inf")
