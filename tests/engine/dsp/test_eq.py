"""The equalisers, measured on sines: the level a tone comes out at, against what the filter promises."""

from __future__ import annotations

import numpy as np
import pytest

from free_music_ai.engine.dsp.eq import (
    Filter,
    high_shelf,
    highpass,
    highpass2,
    low_shelf,
    lowpass,
    lowpass2,
    peaking,
)

RATE = 48_000


def _gain_db(sections: list, hz: float) -> float:
    """The steady level change of a sine through the filter (its first half second left to settle)."""
    t = np.arange(2 * RATE) / RATE
    tone = np.sin(2 * np.pi * hz * t).astype(np.float32)
    out = Filter(sections, channels=1)(tone[None, :])[0]
    settled = slice(RATE, 2 * RATE)
    return float(20 * np.log10(np.sqrt(np.mean(out[settled].astype(np.float64) ** 2)) / np.sqrt(0.5)))


@pytest.mark.parametrize("cutoff", [32.0, 200.0, 5000.0])
def test_first_order_filters_are_3_db_down_at_the_cutoff_and_6_db_an_octave_beyond(cutoff: float) -> None:
    assert abs(_gain_db([highpass(cutoff, RATE)], cutoff) + 3.01) < 0.1
    assert abs(_gain_db([lowpass(cutoff, RATE)], cutoff) + 3.01) < 0.1
    assert abs(_gain_db([highpass(cutoff, RATE)], cutoff / 8) + 18.2) < 0.6  # three octaves below: ~18 dB
    assert abs(_gain_db([highpass(cutoff, RATE)], min(cutoff * 16, 20_000))) < 0.1


@pytest.mark.parametrize("cutoff", [170.0, 3600.0])
def test_second_order_filters_are_3_db_down_at_the_cutoff_and_12_db_an_octave_beyond(cutoff: float) -> None:
    assert abs(_gain_db([lowpass2(cutoff, RATE)], cutoff) + 3.01) < 0.1
    assert abs(_gain_db([highpass2(cutoff, RATE)], cutoff) + 3.01) < 0.1
    assert abs(_gain_db([highpass2(cutoff, RATE)], cutoff / 4) + 24.1) < 0.6  # two octaves below: ~24 dB
    assert abs(_gain_db([lowpass2(cutoff, RATE)], cutoff / 16)) < 0.1


def test_shelves_lift_their_side_and_leave_the_other() -> None:
    assert abs(_gain_db([low_shelf(180, 6.0, RATE)], 30) - 6.0) < 0.3
    assert abs(_gain_db([low_shelf(180, 6.0, RATE)], 180) - 3.0) < 0.3  # half the lift at the corner
    assert abs(_gain_db([low_shelf(180, 6.0, RATE)], 5000)) < 0.1
    assert abs(_gain_db([high_shelf(6000, -8.0, RATE)], 16_000) + 8.0) < 0.6
    assert abs(_gain_db([high_shelf(6000, -8.0, RATE)], 200)) < 0.1


def test_a_peaking_filter_moves_its_band_and_leaves_the_rest() -> None:
    assert abs(_gain_db([peaking(320, -3.0, RATE, q=0.9)], 320) + 3.0) < 0.1
    assert abs(_gain_db([peaking(3200, 3.0, RATE, q=0.8)], 3200) - 3.0) < 0.1
    assert abs(_gain_db([peaking(320, -3.0, RATE, q=0.9)], 5000)) < 0.1
    assert abs(_gain_db([peaking(3200, 3.0, RATE, q=0.8)], 60)) < 0.1


def test_a_cascade_in_blocks_is_the_same_as_in_one_pass() -> None:
    """Its state carries from block to block: a piece cut anywhere sounds the same."""
    audio = np.random.default_rng(2).standard_normal((2, 50_000)).astype(np.float32)
    sections = [highpass(32, RATE), low_shelf(180, 1.5, RATE), lowpass(6000, RATE)]
    whole = Filter(sections)(audio)
    cut = Filter(sections)
    pieces = np.concatenate([cut(audio[:, a:b]) for a, b in ((0, 777), (777, 20_000), (20_000, 50_000))], axis=1)
    assert np.max(np.abs(whole - pieces)) < 1e-6
