"""The soundtrack mix: music fades in when asked, and the whole lands on the loudness target."""

from __future__ import annotations

import numpy as np
import pyloudnorm

from free_music_ai.engine.soundtrack import RATE, mix_soundtrack
from media_checks import rms_db


def test_music_fades_in_when_asked() -> None:
    t = np.arange(6 * RATE) / RATE
    music = np.stack([0.3 * np.sin(2 * np.pi * 220 * t)] * 2, axis=1).astype(np.float32)
    plain, _, _ = mix_soundtrack(None, 1.0, music, 1.0, None, 6.0)
    faded, _, _ = mix_soundtrack(None, 1.0, music, 1.0, None, 6.0, music_fade_in_s=1.5)
    assert rms_db(faded[: RATE // 10].T) < rms_db(plain[: RATE // 10].T) - 15  # near silence at the start
    assert abs(rms_db(faded[3 * RATE : 5 * RATE].T) - rms_db(faded[2 * RATE : 3 * RATE].T)) < 0.5  # full after
    assert abs(pyloudnorm.Meter(RATE).integrated_loudness(faded.astype(np.float64)) + 14) <= 0.5
