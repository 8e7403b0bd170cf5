"""The soundtrack encoder: AAC made in parallel stretches must decode like one encoder's, join without a click,
and be exactly as long as the sound it was given. Decoded by the ffmpeg program, not by the code under test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.render import RenderRequest, VideoSegment
from free_music_ai.engine.render.sound_encoder import FRAME, MIN_STRETCH_S, encode_aac

RATE = 48_000


def music_like(seconds: float, seed: int = 3) -> np.ndarray:
    """Chords that change every half second, with struck envelopes, and noise bursts on the beat: the
    transients make the encoder switch windows, which is where a careless join would show."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    out = np.zeros((n, 2))
    beat = RATE // 2
    for start in range(0, n, beat):
        stop = min(n, start + beat)
        local = t[: stop - start]
        envelope = np.exp(-3 * local)
        for root in rng.choice([110.0, 146.8, 196.0, 220.0, 261.6], 3):
            for harmonic in (1, 2, 3, 5):
                tone = np.sin(2 * np.pi * root * harmonic * t[start:stop]) * envelope / harmonic
                out[start:stop, 0] += 0.08 * tone
                out[start:stop, 1] += 0.07 * tone
        burst = min(stop - start, 2400)
        out[start : start + burst] += (rng.standard_normal((burst, 2)) * 0.2) * np.exp(-np.arange(burst) / 400)[:, None]
    return out.astype(np.float32)


def decoded(path: Path) -> np.ndarray:
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "2", "-ar", str(RATE),
                          "-"], check=True, capture_output=True).stdout  # fmt: skip
    return np.frombuffer(raw, dtype=np.float32).reshape(-1, 2)


def window_snr(source: np.ndarray, got: np.ndarray, centre: int, half: int = 1024) -> float:
    span = slice(centre - half, centre + half)
    noise = float(np.sum((got[span] - source[span]) ** 2))
    return 10 * np.log10(float(np.sum(source[span] ** 2)) / max(noise, 1e-20))


def test_parallel_stretches_decode_like_one_encoder(tmp_path: Path) -> None:
    seconds = 3 * MIN_STRETCH_S + 1.3  # three stretches, and a last frame that is only partly filled
    source = music_like(seconds)
    one = decoded(encode_aac(source, tmp_path / "one.m4a", workers=1))
    three = decoded(encode_aac(source, tmp_path / "three.m4a", workers=3))
    # exactly as long as the sound given, and in time with it (no priming delay left at the start)
    assert len(one) == len(three) == len(source)
    lags = range(-2048, 2049, 64)
    best = max(lags, key=lambda lag: float(np.dot(np.roll(three[:, 0], lag)[4096:-4096], source[4096:-4096, 0])))
    assert best == 0
    overall = window_snr(source, three, len(source) // 2, len(source) // 2 - 1)
    assert overall > 15 and abs(overall - window_snr(source, one, len(source) // 2, len(source) // 2 - 1)) < 1.5
    frames = -(-len(source) // FRAME)
    joins = [round(frames * k / 3) * FRAME for k in (1, 2)]
    for join in joins:  # the frames either side of each join are as faithful as one encoder's there
        assert window_snr(source, three, join) > window_snr(source, one, join) - 3
        click = np.max(np.abs(three[join - 256 : join + 256] - source[join - 256 : join + 256]))
        assert click < 2 * np.max(np.abs(one[join - 256 : join + 256] - source[join - 256 : join + 256])) + 0.01


def test_short_sound_is_one_stretch_of_exact_length(tmp_path: Path) -> None:
    source = music_like(2.5)
    got = decoded(encode_aac(source, tmp_path / "short.m4a", workers=8))
    assert len(got) == len(source)
    assert window_snr(source, got, len(source) // 2, len(source) // 2 - 1) > 15


def band_snr(source: np.ndarray, got: np.ndarray, low: float, high: float) -> float:
    spectrum = np.fft.rfftfreq(len(source), 1 / RATE)
    band = (spectrum >= low) & (spectrum < high)
    signal = np.abs(np.fft.rfft(source))[band] ** 2
    noise = np.abs(np.fft.rfft(got[: len(source)] - source))[band] ** 2
    return float(10 * np.log10(signal.sum() / noise.sum()))


def test_every_band_and_the_stereo_image_stay_faithful(tmp_path: Path) -> None:
    """The highs are coded, not replaced by noise or folded into one channel (which leaves them 15 dB from
    the source at best), and nothing is cut off below 20 kHz."""
    source = music_like(12.0)
    got = decoded(encode_aac(source, tmp_path / "music.m4a"))
    for name, channel in (("left", source[:, 0]), ("right", source[:, 1]), ("side", source[:, 0] - source[:, 1])):
        coded = {"left": got[:, 0], "right": got[:, 1], "side": got[:, 0] - got[:, 1]}[name]
        for low, high in ((0, 2000), (2000, 6000), (6000, 12000), (12000, 16000), (16000, 20000)):
            assert band_snr(channel, coded, low, high) > 20, (name, low, high)


def test_a_render_takes_a_soundtrack_or_layers_not_both(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from free_music_ai.engine.render import AudioLayer

    with pytest.raises(ValidationError, match="not both"):
        RenderRequest(segments=[VideoSegment(path=tmp_path / "v.mp4")], audio=[AudioLayer()],
                      soundtrack=tmp_path / "s.m4a", output=tmp_path / "o.mp4")  # fmt: skip
