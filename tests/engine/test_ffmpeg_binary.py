"""The ffmpeg binary is found ahead of the render that needs it, and a wrong one is said by that render."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe, look_up_beside
from free_music_ai.errors import ConfigError


def _looking_up() -> bool:
    return any(t.name == "ffmpeg-look-up" and t.is_alive() for t in threading.enumerate())


def test_a_binary_looked_up_beside_is_there_when_the_render_asks() -> None:
    ffmpeg_exe.cache_clear()
    look_up_beside(None)
    deadline = time.monotonic() + 30
    while _looking_up() and time.monotonic() < deadline:
        time.sleep(0.01)
    before = ffmpeg_exe.cache_info().hits
    assert "ffmpeg" in Path(ffmpeg_exe(None)).name
    assert ffmpeg_exe.cache_info().hits > before  # found already: the render does not run it again


def test_a_wrong_binary_looked_up_beside_is_said_by_the_render_alone(capfd: pytest.CaptureFixture[str]) -> None:
    look_up_beside("no-such-ffmpeg-here")
    deadline = time.monotonic() + 30
    while _looking_up() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert capfd.readouterr().err == ""  # the thread says nothing (no traceback)
    with pytest.raises(ConfigError, match="FMAI_FFMPEG names 'no-such-ffmpeg-here'"):
        ffmpeg_exe("no-such-ffmpeg-here")
