"""A video above 60 frames per second is rendered at 60, and the result says from what rate (issue 31)."""

from __future__ import annotations

from pathlib import Path

from free_music_ai.engine import sample_media
from free_music_ai.engine.render import AudioLayer, RenderRequest, VideoSegment, render
from media_checks import facts


def test_a_240_fps_clip_comes_out_at_60_and_says_so(tmp_path: Path) -> None:
    clip = sample_media.make_video(tmp_path / "fast.mp4", duration_s=2, width=64, height=64, fps="240")
    result = render(RenderRequest(segments=[VideoSegment(path=clip)], audio=[AudioLayer()],
                                  output=tmp_path / "out.mp4"))  # fmt: skip
    assert (result.fps, result.source_fps) == (60, 240)
    made = facts(result.output)
    assert made.fps == 60 and abs(made.frames / made.fps - 2.0) <= 1 / 60 + 1e-6


def test_a_30_fps_clip_keeps_its_rate(tmp_path: Path) -> None:
    clip = sample_media.make_video(tmp_path / "plain.mp4", duration_s=1, width=64, height=64, fps="30")
    result = render(RenderRequest(segments=[VideoSegment(path=clip)], audio=[AudioLayer()],
                                  output=tmp_path / "out.mp4"))  # fmt: skip
    assert (result.fps, result.source_fps) == (30, 30)
    assert facts(result.output).fps == 30
