"""The nominal loudness of a piece with stretches asked louder or quieter (level_reference.py), on loudness frames
whose integrated loudness is known by hand: frames of one energy measure -0.691 + 10 log10(energy) LUFS."""

from __future__ import annotations

import math

import numpy as np
import pytest

from free_music_ai.engine.music.level_reference import Heard, nominal_lufs, outside, rise_spans

ENERGY = 0.01
LEVEL = -0.691 + 10 * math.log10(ENERGY)  # what 100 ms frames of ENERGY measure
FRAMES = 300  # 30 s


def test_a_lift_s_own_envelope_is_taken_out_of_the_frames_it_raised() -> None:
    energies = np.full(FRAMES, ENERGY)
    energies[150:] *= 10 ** (6 / 10)  # the second half 6 dB up, as its envelope says
    raised = [([15.0, 15.0, 30.0, 30.0], [0.0, 6.0, 6.0, 0.0])]
    assert nominal_lufs(energies) > LEVEL + 3  # measured as it is, the whole is louder
    assert nominal_lufs(energies, raised=raised) == pytest.approx(LEVEL, abs=0.01)


def test_a_quiet_stretch_is_left_out_unless_too_little_is_left() -> None:
    energies = np.full(FRAMES, ENERGY)
    energies[100:200] /= 4  # 6 dB down from 0:10 to 0:20 (within the meter's relative gate)
    assert nominal_lufs(energies) < LEVEL - 0.5
    assert nominal_lufs(energies, apart=[(10.0, 20.0)]) == pytest.approx(LEVEL, abs=0.01)
    # all but 3 s apart: too little to stand for the piece, so the whole is measured
    assert outside([(0.0, 27.0)], FRAMES) is None
    assert nominal_lufs(energies, apart=[(0.0, 27.0)]) == pytest.approx(nominal_lufs(energies), abs=1e-9)


def test_an_edit_matches_the_piece_heard_on_the_frames_neither_changed() -> None:
    """The heard piece played its first half at ENERGY; the edit's first half is the same notes 6 dB louder before
    levelling, its second half changed: its nominal loudness is the heard one's, moved by those 6 dB."""
    heard = Heard(np.full(FRAMES, ENERGY), changed_s=[], nominal_lufs=-14.0)
    energies = np.full(FRAMES, ENERGY * 10 ** (6 / 10))
    energies[150:] *= 50  # changed: whatever it measures does not count
    assert nominal_lufs(energies, changed=[(15.0, 30.0)], heard=heard) == pytest.approx(-8.0, abs=0.01)
    # a heard piece of another length is not the same piece: estimated instead
    other = Heard(np.full(FRAMES - 10, ENERGY), changed_s=[], nominal_lufs=-14.0)
    assert nominal_lufs(energies, apart=[(15.0, 30.0)], changed=[(15.0, 30.0)], heard=other) == pytest.approx(
        LEVEL + 6.0, abs=0.01
    )


def test_a_lift_rises_over_the_two_bars_before_it() -> None:
    downbeats = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert rise_spans([(8.0, 12.0)], downbeats) == [(4.0, 8.0)]
    assert rise_spans([(2.0, 12.0)], downbeats) == [(0.0, 2.0)]  # only one bar before it
    assert rise_spans([(0.0, 12.0)], downbeats) == []
