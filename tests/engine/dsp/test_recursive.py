"""The recursive filters worked out in numpy, against scipy's own (sosfilt, lfilter): the same output to 1e-9 in
any blocks, for the poles our designs use (32 Hz to 12 kHz, shelves with complex poles, a pole at zero)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import lfilter, sosfilt

from free_music_ai.engine.dsp.eq import Filter, high_shelf, highpass, low_shelf, lowpass
from free_music_ai.engine.dsp.recursive import one_pole, running_min

RATE = 48_000
CUTS = ((0, 1), (1, 700), (700, 20_000), (20_000, 20_001), (20_001, 90_000))


@pytest.mark.parametrize(
    "sections",
    [
        [highpass(32, RATE)],
        [lowpass(12_000, RATE)],  # its pole is at zero: a two-tap FIR
        [lowpass(18_000, RATE)],  # a negative pole
        [highpass(32, RATE), low_shelf(180, 1.5, RATE), high_shelf(6000, 6.0, RATE), lowpass(4200, RATE)],
        [low_shelf(180, -12.0, RATE), high_shelf(3500, -6.0, RATE)],
    ],
)
def test_a_cascade_is_scipys_in_any_blocks(sections: list) -> None:
    audio = np.random.default_rng(8).standard_normal((2, 90_000))
    expected = sosfilt(np.array(sections), audio, axis=-1)
    ours = Filter(sections)
    got = np.concatenate([ours(audio[:, a:b]) for a, b in CUTS], axis=1)
    assert np.max(np.abs(got - expected)) < 1e-5  # float32 out: its rounding, nothing more


def test_a_float32_block_is_filtered_as_its_float64_copy() -> None:
    """A filter reads a float32 block as it is (no float64 copy first): the same samples as from the copy."""
    sections = [highpass(32, RATE), low_shelf(180, 1.5, RATE), high_shelf(6000, 6.0, RATE), lowpass(12_000, RATE)]
    audio = np.random.default_rng(9).standard_normal((2, 90_000)).astype(np.float32)
    narrow, wide = Filter(sections), Filter(sections)
    for a, b in CUTS:
        assert np.array_equal(narrow(audio[:, a:b]), wide(audio[:, a:b].astype(np.float64)))


@pytest.mark.parametrize("pole", [0.999_9, 0.995_8, 0.5, -0.3, 0.8 + 0.5j, 0.3 + 0.4j, 1e-14])
def test_one_pole_is_the_recursion(pole: complex) -> None:
    x = np.random.default_rng(2).standard_normal((2, 30_000))
    state = np.zeros(2, dtype=complex if isinstance(pole, complex) else float)
    pieces = []
    for a, b in ((0, 5), (5, 12_345), (12_345, 30_000)):
        y, state = one_pole(x[:, a:b], pole, state)
        pieces.append(y)
    expected = lfilter([1.0], [1.0, -pole], x, axis=-1)
    assert np.max(np.abs(np.concatenate(pieces, axis=1) - expected)) < 1e-9 * max(1.0, np.max(np.abs(expected)))
    gain = 0.3 - 0.2j if isinstance(pole, complex) else 0.3  # a residue, applied on the way
    scaled, last = one_pole(x, pole, np.zeros_like(state), gain=gain)
    assert np.max(np.abs(scaled - gain * expected)) < 1e-9 * max(1.0, np.max(np.abs(expected)))
    assert np.allclose(last, expected[:, -1], rtol=1e-9, atol=1e-12)  # the state carries y itself
    into = np.ones(x.shape)  # the same part added into a sum: its real part, where it lies
    summed, _ = one_pole(x, pole, np.zeros_like(state), gain=gain, add_to=into)
    assert summed is into and np.array_equal(summed, 1.0 + scaled.real)


def test_running_min_is_the_window_minimum() -> None:
    values = np.random.default_rng(4).random(1000)
    for width in (1, 2, 97, 1000):
        expected = np.array([values[i : i + width].min() for i in range(len(values) - width + 1)])
        assert np.array_equal(running_min(values, width), expected)
