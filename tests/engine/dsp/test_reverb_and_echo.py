"""The reverb and the echo, measured on their output: decay time by Schroeder's backward integration, the
two sides' correlation, block-by-block against scipy's own convolution."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import fftconvolve

from free_music_ai.engine.dsp.echo import Chorus, Echo
from free_music_ai.engine.dsp.reverb import ConvolutionReverb, Impulse, decay_seconds, impulse_response

RATE = 48_000


@pytest.mark.parametrize("room", [0.2, 0.5, 0.95])
def test_the_room_sets_the_decay_and_the_sides_differ(room: float) -> None:
    ir = impulse_response(room, 0.5, RATE, return_highpass_hz=280.0, return_lowpass_hz=12_000.0).astype(np.float64)
    energy = np.cumsum((ir**2).sum(axis=0)[::-1])[::-1]  # Schroeder's integral
    curve = 10 * np.log10(energy / energy[0])
    t5, t35 = np.argmax(curve < -5) / RATE, np.argmax(curve < -35) / RATE
    rt60 = 2.0 * (t35 - t5)  # T30 extrapolated to 60 dB
    assert abs(rt60 / decay_seconds(room) - 1) < 0.25
    assert abs(np.corrcoef(ir[0], ir[1])[0, 1]) < 0.2  # a wide room: left and right are not one signal


def test_blocks_add_up_to_one_convolution() -> None:
    ir = impulse_response(0.5, 0.5, RATE, return_highpass_hz=280.0, return_lowpass_hz=12_000.0)
    send = np.random.default_rng(7).standard_normal(3 * RATE).astype(np.float32)
    reverb = ConvolutionReverb(ir)
    pieces = np.concatenate([reverb(send[a:b]) for a, b in ((0, 5000), (5000, 100_000), (100_000, 3 * RATE))], 1)
    expected = np.stack([fftconvolve(send.astype(np.float64), side.astype(np.float64))[: 3 * RATE] for side in ir])
    assert np.max(np.abs(pieces - expected)) < 1e-4 * np.max(np.abs(expected))


def test_stretches_share_one_impulse_made_once() -> None:
    """Two stretches' reverbs over one Impulse: the room is made once, by the first to need it, and each reverb
    keeps its own tail (as if each had its own copy of the room)."""
    made: list[int] = []

    def room() -> np.ndarray:
        made.append(1)
        return impulse_response(0.4, 0.5, RATE, return_highpass_hz=280.0, return_lowpass_hz=12_000.0)

    shared = Impulse(room)
    first, second = ConvolutionReverb(shared), ConvolutionReverb(shared)
    alone = ConvolutionReverb(room())
    send = np.random.default_rng(5).standard_normal(2 * RATE).astype(np.float32)
    assert not made[1:]  # only the lone reverb's room so far: the shared one waits to be needed
    for a, b in ((0, 7000), (7000, 2 * RATE)):
        expected = alone(send[a:b])
        assert np.array_equal(first(send[a:b]), expected)
        assert np.array_equal(second(send[a:b]), expected)
    assert len(made) == 2  # the lone reverb's and the shared one's


def test_the_echo_repeats_every_delay_each_feedback_times_as_loud() -> None:
    impulse = np.zeros((2, RATE), np.float32)
    impulse[:, 0] = 1.0
    echo = Echo(0.1, feedback=0.5, mix=0.2, rate=RATE)
    out = np.concatenate([echo(impulse[:, a:b]) for a, b in ((0, 3000), (3000, 11_000), (11_000, RATE))], axis=1)
    assert out[0, 0] == pytest.approx(0.8)
    for k in range(1, 5):
        assert out[0, k * 4800] == pytest.approx(0.2 * 0.5 ** (k - 1), rel=1e-5)
    assert np.count_nonzero(np.abs(out[0]) > 1e-9) == 1 + 9  # nothing but the repeats (ten in a second)


def test_the_chorus_follows_the_pieces_clock() -> None:
    """Started mid-piece (a stretch on another core), it swings where one pass from the start would."""
    audio = np.random.default_rng(3).standard_normal((2, 2 * RATE)).astype(np.float32)
    one = Chorus(0.8, 0.007, 0.0015, mix=0.3, rate=RATE, start=0)
    whole = np.concatenate([one(audio[:, :RATE]), one(audio[:, RATE:])], axis=1)
    late = Chorus(
        0.8, 0.007, 0.0015, mix=0.3, rate=RATE, start=RATE - 2000
    )  # its history is silence: it reads 9 ms back
    rejoined = late(audio[:, RATE - 2000 :])
    assert np.max(np.abs(rejoined[:, 2000 + 1000 :] - whole[:, RATE + 1000 :])) < 1e-5
