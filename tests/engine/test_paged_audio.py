"""A long audio buffer lives in a file and is in memory only a block at a time, with the same samples and the
same loudness result as an ordinary array."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from free_music_ai.engine import paged_audio
from free_music_ai.engine.loudness import integrated_lufs
from free_music_ai.engine.music.finish import normalize_in_place
from free_music_ai.engine.paged_audio import can_page, file_of, hand_back, is_paged, stereo_buffer

pytestmark = pytest.mark.skipif(not (sys.platform.startswith("linux") and can_page()), reason="Linux paging")

RATE = 48_000
PAGED_FROM_BYTES = 24 * 2**20  # paged from 52 s here, so the test is quick (the code pages from 4 minutes)
LONG = PAGED_FROM_BYTES // 8 + RATE  # just past the length that is paged


@pytest.fixture(autouse=True)
def _page_sooner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paged_audio, "PAGED_FROM_BYTES", PAGED_FROM_BYTES)


BLOCK = 240_000


def _file_resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssFile:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no RssFile in /proc/self/status")


def _music_like(start: int, n: int) -> np.ndarray:
    """Chords with a swelling level and some peaks, deterministic at every position."""
    t = (np.arange(start, start + n) / RATE).astype(np.float64)
    level = 0.2 + 0.15 * np.sin(2 * np.pi * t / 37.0)
    left = level * (
        np.sin(2 * np.pi * 220 * t) + 0.5 * np.sin(2 * np.pi * 277.2 * t) + 0.3 * np.sin(2 * np.pi * 3300 * t)
    )
    right = level * (np.sin(2 * np.pi * 330 * t + 0.3) + 0.5 * np.sin(2 * np.pi * 415.3 * t))
    return np.stack([left, right], axis=1).astype(np.float32)


def _fill(audio: np.ndarray) -> None:
    for start in range(0, len(audio), BLOCK):
        end = min(len(audio), start + BLOCK)
        audio[start:end] = _music_like(start, end - start)
        hand_back(audio, start, end)


def test_a_short_buffer_is_an_ordinary_array() -> None:
    short = stereo_buffer(RATE)
    assert not is_paged(short) and short.shape == (RATE, 2) and not short.any()
    assert not is_paged(stereo_buffer(LONG - 2 * RATE))


def test_a_long_buffer_is_in_memory_a_block_at_a_time_and_finishes_like_an_array(tmp_path: Path) -> None:
    file = tmp_path / "music.npy.part"
    before = _file_resident_mb()
    audio = stereo_buffer(LONG, file)
    assert is_paged(audio) and file_of(audio) == file
    assert not is_paged(audio[10:])  # a view is not the buffer: handing back its rows would miss
    _fill(audio)
    size_mb = LONG * 8 / 2**20  # a few folios may stay mapped at the ends of the passes (paged_audio.AROUND)
    assert _file_resident_mb() - before < 8 + 0.05 * size_mb, "the written blocks stayed in memory"
    plain = np.empty((LONG, 2), dtype=np.float32)
    _fill(plain)
    lufs, peak = normalize_in_place(audio, RATE, -14.0)  # several passes over the whole buffer
    assert _file_resident_mb() - before < 8 + 0.05 * size_mb, "the finishing passes kept the buffer in memory"
    assert (lufs, peak) == normalize_in_place(plain, RATE, -14.0)
    assert np.array_equal(audio, plain)
    # the file is a complete .npy with the samples: read back by numpy, and measured by pyloudnorm
    saved = np.load(file, mmap_mode="r")
    assert saved.shape == (LONG, 2) and saved.dtype == np.float32
    assert np.array_equal(saved[-RATE:], plain[-RATE:])
    import pyloudnorm

    stretch = np.asarray(saved[: 40 * RATE], dtype=np.float64)
    assert abs(pyloudnorm.Meter(RATE).integrated_loudness(stretch) - integrated_lufs(plain[: 40 * RATE], RATE)) < 0.1
    assert abs(lufs + 14.0) <= 0.2 and peak <= -1.0
    soundfile.write(tmp_path / "end.wav", np.asarray(audio[-RATE:]), RATE)  # to other code, an ordinary array
    assert soundfile.info(str(tmp_path / "end.wav")).frames == RATE


def test_a_full_disk_is_an_error_for_a_named_file_and_memory_for_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def full(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(OSError) as raised:
        stereo_buffer(LONG, tmp_path / "music.npy.part")
    assert raised.value.errno == errno.ENOSPC  # the music job turns it into the disk-full error
    fallback = stereo_buffer(LONG)  # the export's scratch buffer, in a small temporary folder
    assert not is_paged(fallback) and fallback.shape == (LONG, 2)
