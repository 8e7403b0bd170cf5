"""An engine remembers the files it probed (engine/probe_memory.py), in an object it owns and hands down, never
in module state: the same file unchanged is read once, a changed file is read again, and two engines each read
for themselves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from free_music_ai.backends.local_engine import LocalEngine
from free_music_ai.config import load_settings
from free_music_ai.engine import probe as probe_module
from free_music_ai.engine.probe import probe
from free_music_ai.engine.probe_memory import ProbeMemory
from media_checks import facts


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the probe really opened, in order."""
    opened: list[Path] = []
    real = probe_module._probe_file

    def counted(file: Path, size: int) -> probe_module.MediaInfo:
        opened.append(file)
        return real(file, size)

    monkeypatch.setattr(probe_module, "_probe_file", counted)
    return opened


def test_the_same_file_unchanged_is_read_once(tmp_path: Path, clip_720: Path, reads: list[Path]) -> None:
    clip = tmp_path / "clip.mp4"
    shutil.copy(clip_720, clip)
    memory = ProbeMemory()
    first, again = probe(clip, memory=memory), probe(clip, memory=memory)
    assert again is first and reads == [clip]
    assert first.duration_s == pytest.approx(facts(clip).video_duration_s, abs=0.05)
    assert probe(clip) is not first and reads == [clip, clip]  # without a memory, nothing is kept


def test_a_changed_file_is_read_again(tmp_path: Path, clip_720: Path, silent_clip: Path, reads: list[Path]) -> None:
    clip = tmp_path / "clip.mp4"
    shutil.copy(clip_720, clip)
    memory = ProbeMemory()
    before = probe(clip, memory=memory)
    shutil.copy(silent_clip, clip)  # another video under the same name
    stat = clip.stat()
    os.utime(clip, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # however coarse the clock
    after = probe(clip, memory=memory)
    assert reads == [clip, clip]
    assert before.has_audio and not after.has_audio
    assert after.duration_s == pytest.approx(facts(clip).video_duration_s, abs=0.05)


def test_only_the_newest_are_kept(tmp_path: Path, clip_720: Path, reads: list[Path]) -> None:
    copies = [tmp_path / f"clip{k}.mp4" for k in range(3)]
    for copy in copies:
        shutil.copy(clip_720, copy)
    memory = ProbeMemory(capacity=2)
    for copy in copies:
        probe(copy, memory=memory)
    probe(copies[2], memory=memory)  # kept
    probe(copies[0], memory=memory)  # the oldest, let go: read again
    assert len(memory) == 2 and reads == [*copies, copies[0]]


def test_two_engines_do_not_share_what_they_probed(tmp_path: Path, clip_720: Path, reads: list[Path]) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache", "output_dir": tmp_path})
    one, other = LocalEngine(settings, tmp_path / "one"), LocalEngine(settings, tmp_path / "other")
    try:
        one.upload(None, [clip_720], analyze=False)
        probe(clip_720, settings.max_input_bytes, one.media.probes)  # as its analysis and its render ask
        assert reads.count(clip_720) == 1 and len(other.media.probes) == 0
        other.upload(None, [clip_720], analyze=False)
        assert reads.count(clip_720) == 2
    finally:
        one.close()
        other.close()
