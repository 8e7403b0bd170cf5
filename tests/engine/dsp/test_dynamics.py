"""The compressor and the limiter: levels measured on the output, not read from the code's own state."""

from __future__ import annotations

import numpy as np

from free_music_ai.engine.dsp.dynamics import BrickwallLimiter, Compressor, block_peak

RATE = 48_000


def _tone(seconds: float, peak_db: float, hz: float = 220.0) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    mono = (10 ** (peak_db / 20) * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return np.stack([mono, mono])


def _peak_db(audio: np.ndarray) -> float:
    return float(20 * np.log10(np.max(np.abs(audio))))


def _mean_db(audio: np.ndarray) -> float:
    return float(20 * np.log10(np.mean(np.abs(audio))))


def test_a_steady_tone_over_the_threshold_keeps_one_ratio_th_of_its_excess() -> None:
    """Its level as the detector hears it (the mean magnitude, 3.9 dB under a sine's peak) 8 dB over the
    threshold: 4 dB of it kept at 2:1."""
    compressor = Compressor(threshold_db=-18, ratio=2.0, attack_s=0.025, release_s=0.2, rate=RATE)
    tone = _tone(2.0, -6.0)
    assert abs(_mean_db(tone) - (-18 + 8.08)) < 0.05
    out = compressor(tone)
    assert abs(_mean_db(out[:, RATE:]) - (-18 + 4.04)) < 0.3
    quiet = Compressor(threshold_db=-18, ratio=2.0, attack_s=0.025, release_s=0.2, rate=RATE)(_tone(1.0, -24.0))
    assert abs(_peak_db(quiet) - (-24.0)) < 0.01  # under the threshold: untouched


def test_the_attack_lets_a_transient_through_and_the_release_recovers() -> None:
    """A tone that jumps 20 dB: its first millisecond passes nearly whole, 100 ms later it is held down (6 dB
    over the threshold as the detector hears it: 4.6 dB less at 4:1), and a second after it falls back, the
    quiet tone is at its own level again."""
    audio = np.concatenate([_tone(0.5, -30.0), _tone(0.5, -10.0), _tone(1.5, -30.0)], axis=1)
    out = Compressor(threshold_db=-20, ratio=4.0, attack_s=0.025, release_s=0.2, rate=RATE)(audio)
    jump = RATE // 2
    assert _peak_db(out[:, jump : jump + 48]) > -11.0
    assert abs(_peak_db(out[:, jump + RATE // 10 : RATE]) - (-10.0 - 4.6)) < 0.5
    assert abs(_peak_db(out[:, 2 * RATE :]) - (-30.0)) < 0.2


def test_a_sidechain_ducks_the_music_under_its_key() -> None:
    """Keyed by kicks, a steady pad dips at each kick and swells back between: the pump of dance music."""
    pad = _tone(2.0, -12.0, hz=330.0)
    key = np.zeros_like(pad)
    for beat in range(4):
        at = beat * RATE // 2
        key[:, at : at + 2400] = 0.9
    compressor = Compressor(threshold_db=-30, ratio=8.0, attack_s=0.002, release_s=0.08, rate=RATE)
    out = pad * compressor.gain(key)
    before = _peak_db(out[:, RATE // 2 - 3000 : RATE // 2 - 10])
    on_kick = _peak_db(out[:, RATE // 2 + 1200 : RATE // 2 + 2400])
    assert on_kick < -12.0 - 20.0  # 29 dB over the threshold at 8:1
    assert before > -12.0 - 2.0  # and back (nearly) where it was before the next kick


def test_the_limiter_holds_its_ceiling_and_leaves_what_is_under_it() -> None:
    rng = np.random.default_rng(4)
    audio = (rng.standard_normal((2, 3 * RATE)) * 0.1).astype(np.float32)
    audio[:, RATE : RATE + 10] = 2.0  # a burst far over
    lookahead = 96
    limiter = BrickwallLimiter(ceiling_db=-1.5, release_s=0.12, lookahead=lookahead, rate=RATE)
    padded = np.concatenate([audio, np.zeros((2, lookahead), np.float32)], axis=1)
    gains = np.concatenate([limiter.gain(block_peak(padded[:, a : b + lookahead]))
                            for a, b in ((0, 1000), (1000, RATE + 5), (RATE + 5, 3 * RATE))])  # fmt: skip
    out = audio * gains.astype(np.float32)
    assert _peak_db(out) <= -1.5 + 1e-3
    assert np.all(gains[: RATE - 96] > 1 - 1e-9)  # untouched until the lookahead sees the burst
    assert np.all(gains[2 * RATE :] > 0.999)  # and recovered a second after it (its release is 120 ms)
    assert np.all(np.diff(gains[RATE - 96 : RATE]) <= 0)  # eased down over the lookahead, not a jump
    whole = BrickwallLimiter(ceiling_db=-1.5, release_s=0.12, lookahead=lookahead, rate=RATE).gain(block_peak(padded))
    assert np.max(np.abs(whole - gains)) < 1e-9  # the same in any blocks
