"""The soundtrack mix: music fades in when asked, and the whole lands on the loudness target."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm

from free_music_ai.engine.plan.ducking import DuckingPlan
from free_music_ai.engine.sound_stream import SoundStream
from free_music_ai.engine.soundtrack import RATE, mix_soundtrack
from media_checks import rms_db


def test_music_fades_in_when_asked() -> None:
    t = np.arange(6 * RATE) / RATE
    music = np.stack([0.3 * np.sin(2 * np.pi * 220 * t)] * 2, axis=1).astype(np.float32)

    def mixed(fade_in_s: float) -> np.ndarray:
        stream = SoundStream.of_array(music, False)
        return mix_soundtrack(None, stream, original_volume=1.0, music_volume=1.0, ducking=None, total_s=6.0,
                              music_fade_in_s=fade_in_s)[0]  # fmt: skip

    plain, faded = mixed(0.0), mixed(1.5)
    assert rms_db(faded[: RATE // 10].T) < rms_db(plain[: RATE // 10].T) - 15  # near silence at the start
    assert abs(rms_db(faded[3 * RATE : 5 * RATE].T) - rms_db(faded[2 * RATE : 3 * RATE].T)) < 0.5  # full after
    assert abs(pyloudnorm.Meter(RATE).integrated_loudness(faded.astype(np.float64)) + 14) <= 0.5


def test_music_read_from_its_file_a_block_at_a_time_is_the_music(tmp_path: Path) -> None:
    music = np.random.default_rng(1).standard_normal((300_001, 2)).astype(np.float32)
    np.save(tmp_path / "m.npy", music)
    stream = SoundStream.of_npy(tmp_path / "m.npy")
    parts = [stream.read(n) for n in (1, 70_000, 131_072, 200_000)]  # the last reaches past the end
    assert stream.length == len(music)
    joined = np.concatenate(parts, axis=1)
    assert np.array_equal(joined[:, : len(music)], music.T) and not joined[:, len(music) :].any()


def test_ducking_in_blocks_is_the_ducking_whole() -> None:
    plan = DuckingPlan(points=[(1.0, 0.0), (1.2, -10.0), (3.0, -10.0), (3.5, 0.0)])
    whole = plan.gain(RATE, 5 * RATE)
    blocks = np.concatenate([plan.gain(RATE, 70_001, start) for start in range(0, 5 * RATE, 70_001)])[: 5 * RATE]
    assert np.allclose(whole, blocks, atol=1e-6)


def test_the_music_volume_is_the_files_level_where_the_video_has_no_sound_of_its_own() -> None:
    """ "music 30%" on a silent video: the whole was levelled to -14 LUFS, so the export measured the same at 100 %,
    30 % and 15 % while the reply said the music was lowered. The music alone is now heard at its volume: 30 % is
    10.5 dB under the target (pyloudnorm); with a sound of its own the mix is levelled whole, as before."""
    t = np.arange(6 * RATE) / RATE
    music = np.stack([0.3 * np.sin(2 * np.pi * 220 * t)] * 2, axis=1).astype(np.float32)
    meter = pyloudnorm.Meter(RATE)

    def loudness(volume: float, original: np.ndarray | None = None) -> float:
        own = SoundStream.of_array(original, False) if original is not None else None
        mixed = mix_soundtrack(own, SoundStream.of_array(music, False), original_volume=1.0, music_volume=volume,
                               ducking=None, total_s=6.0)[0]  # fmt: skip
        return float(meter.integrated_loudness(mixed.astype(np.float64)))

    assert abs(loudness(1.0) + 14) <= 0.5 and abs(loudness(0.3) - (-14 + 20 * np.log10(0.3))) <= 0.5
    voice = np.stack([0.2 * np.sin(2 * np.pi * 330 * t)] * 2, axis=1).astype(np.float32)
    assert abs(loudness(0.3, voice) + 14) <= 0.5
