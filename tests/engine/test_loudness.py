"""Our BS.1770 meter against pyloudnorm (a time-domain implementation) on the signals that trip meters up:
low and high tones (the K-weighting's ends), noise, gated bursts, sparse clicks, and real music; our true-peak
meter against ffmpeg's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from free_music_ai.engine.loudness import frame_energies, integrated_lufs, true_peak_db
from tests.music_checks import ebur128

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


def test_the_frames_are_the_same_on_one_thread() -> None:
    """A caller already on every core (a stretch of the music) measures on its own thread: the same figures."""
    music = np.stack([signals()["bursts"], signals()["tone 60 Hz"]], axis=1).astype(np.float32)
    assert np.array_equal(frame_energies(music, RATE, workers=1), frame_energies(music, RATE))


def test_silence_is_minus_infinity() -> None:
    assert integrated_lufs(np.zeros((RATE * 2, 2), np.float32)) == float("-inf")


def _peak_signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(9)
    quiet = 0.02 * rng.standard_normal(RATE * 8)
    burst = quiet.copy()  # a quarter-rate tone whose samples fall 3 dB below its crests, once, in the quiet
    at = np.arange(RATE * 5, RATE * 5 + 480)
    burst[at] = 0.9 * np.sin(np.pi / 2 * at + np.pi / 4)
    return {"one burst between samples": burst, "loud noise": 0.4 * rng.standard_normal(RATE * 8)}


@pytest.mark.parametrize("name", list(_peak_signals()))
def test_true_peak_agrees_with_ffmpeg(name: str, tmp_path: Path) -> None:
    """The meter skips stretches too quiet to pass the highest sample between their samples: a lone burst
    whose crests fall between samples must still be found (ffmpeg's ebur128 oversamples everything)."""
    mono = _peak_signals()[name]
    stereo = np.stack([0.7 * mono, mono], axis=1).astype(np.float32)
    _, reference = ebur128(stereo, tmp_path)
    ours = true_peak_db(stereo)
    assert ours == pytest.approx(reference, abs=0.15)
    if name == "one burst between samples":
        assert ours > 20 * np.log10(np.abs(stereo).max()) + 2.5  # the crest, not the samples
