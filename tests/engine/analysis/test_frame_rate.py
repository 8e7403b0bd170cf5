"""Analysis cost follows the seconds of video, not the frame count a file declares (issue 31, item 3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from free_music_ai.engine import sample_media
from free_music_ai.engine.analysis.analyze import analyze
from free_music_ai.engine.analysis.frames import read_frames

SAMPLES_PER_S = 60  # frames looked at per second of video at most: the output plays at 60 at most


def test_a_1000_fps_clip_is_looked_at_60_times_a_second(media_dir: Path) -> None:
    clip = sample_media.make_video(media_dir / "fast-1000.mp4", duration_s=3, width=64, height=64, fps="1000",
                                   audio=False)  # fmt: skip
    features = read_frames(clip)
    gaps = np.diff(features.times)
    assert len(features.times) <= SAMPLES_PER_S * 3 + 2  # not the 1000 or so decoded each second
    assert len(features.times) >= SAMPLES_PER_S * 3 * 0.9  # nor fewer: the curve keeps its detail
    assert gaps.min() >= 1 / SAMPLES_PER_S - 1e-3
    assert abs(features.frame_s - 1 / 1000) < 1e-9  # the stream's own: a cut after a gap is placed at full rate


def test_a_60_fps_clip_keeps_every_frame_it_decodes(media_dir: Path) -> None:
    clip = sample_media.make_video(media_dir / "plain-60.mp4", duration_s=2, width=64, height=64, fps="60",
                                   audio=False)  # fmt: skip
    import av

    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        stream.codec_context.skip_frame = "BIDIR"
        decoded = sum(1 for _ in container.decode(stream))
    assert len(read_frames(clip).times) == decoded


def test_cuts_in_a_480_fps_clip_land_on_their_frame(media_dir: Path) -> None:
    """Frames passed over leave gaps: a cut seen across one is placed on its own frame by the full-rate check."""
    clip = sample_media.make_scenes(
        media_dir / "scenes-480.mp4", ["red", "navy", "yellow"], scene_s=1.5, width=64, height=64, fps=480
    )
    found = analyze([clip]).cuts_s
    assert len(found) == 2
    for want, got in zip([1.5, 3.0], found, strict=True):
        assert abs(want - got) < 1e-3
