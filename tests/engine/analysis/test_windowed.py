"""Keyframes first: windows after each keyframe where x264 marks scene changes, the usual pass where it does not;
the same cuts at the same times either way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from free_music_ai.engine.analysis import packets
from free_music_ai.engine.analysis.analyze import analyze
from free_music_ai.engine.analysis.cuts import find_transitions
from free_music_ai.engine.analysis.frames import read_frames
from free_music_ai.engine.analysis.windowed import read_windowed
from media_checks import ffmpeg

# moving pictures in three shots: a cut at 3.0 s, on a keyframe the GOP length puts there anyway (so only the
# pictures either side tell it), and one at 5.5 s, inside a GOP, into a shot of a similar picture (hue 120 -> 160)
SHOTS = [(3.0, 0), (2.5, 120), (3.5, 160)]
CUTS_S = [3.0, 5.5]


def shots(media_dir: Path, name: str, scenecut: int) -> Path:
    clip = media_dir / name
    if not clip.is_file():
        parts = "".join(f"testsrc2=s=320x180:r=30:d={d},hue=h={h}[s{k}];" for k, (d, h) in enumerate(SHOTS))
        joined = "".join(f"[s{k}]" for k in range(len(SHOTS)))
        ffmpeg("-f", "lavfi", "-i", f"{parts}{joined}concat=n={len(SHOTS)}:v=1:a=0", "-c:v", "libx264", "-preset",
               "veryfast", "-g", "30", "-x264-params", f"scenecut={scenecut}", "-pix_fmt", "yuv420p",
               str(clip))  # fmt: skip
    return clip


def usual(clip: Path) -> list[tuple[float, str]]:
    frames = read_frames(clip)
    return [(t.time_s, t.kind) for t in find_transitions(frames, clip)]


def test_scene_cut_keyframes_read_in_windows_find_the_usual_cuts(media_dir: Path) -> None:
    clip = shots(media_dir, "scenecut-on.mp4", 40)
    picture = read_windowed(clip)
    assert picture is not None, "x264 with scenecut and 1 s GOPs: keyframes first"
    features, found = picture
    assert len(features.times) < 0.8 * len(read_frames(clip).times)  # fewer frames decoded
    assert [(t.time_s, t.kind) for t in found] == usual(clip)
    cuts = analyze([clip]).cuts_s
    assert len(cuts) == len(CUTS_S) and np.allclose(cuts, CUTS_S, atol=1 / 30 + 1e-3), cuts


def test_fixed_gop_without_scene_cuts_is_read_the_usual_way(media_dir: Path) -> None:
    clip = shots(media_dir, "scenecut-off.mp4", 0)
    assert read_windowed(clip) is None  # keyframes every 30 frames whatever the pictures: they tell nothing
    cuts = analyze([clip]).cuts_s
    assert len(cuts) == len(CUTS_S) and np.allclose(cuts, CUTS_S, atol=1 / 30 + 1e-3), cuts


def test_same_motion_and_colour_as_the_usual_pass(media_dir: Path) -> None:
    """The music hears motion and colour from the windows: close to what every I- and P-frame says."""
    clip = shots(media_dir, "scenecut-on.mp4", 40)
    picture = read_windowed(clip)
    assert picture is not None
    windows, whole = picture[0], read_frames(clip)
    assert abs(float(np.mean(windows.luma)) - float(np.mean(whole.luma))) < 0.01
    assert abs(float(np.mean(windows.motion)) - float(np.mean(whole.motion[1:]))) < 0.1 * float(np.mean(whole.motion))


def test_a_file_with_too_many_packets_is_read_the_usual_way(media_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The packet scan stops at MAX_PACKETS (a file chooses how many it has); the usual pass then reads it."""
    clip = shots(media_dir, "scenecut-on.mp4", 40)
    monkeypatch.setattr(packets, "MAX_PACKETS", 100)  # the clip has 270
    assert packets.scan_packets(clip, max_fps=60) is None and read_windowed(clip) is None
    cuts = analyze([clip]).cuts_s
    assert len(cuts) == len(CUTS_S) and np.allclose(cuts, CUTS_S, atol=1 / 30 + 1e-3), cuts


def test_the_encoder_settings_and_frame_types_are_read_from_the_packets(media_dir: Path) -> None:
    on, off = (
        packets.scan_packets(shots(media_dir, "scenecut-on.mp4", 40), max_fps=60),
        packets.scan_packets(shots(media_dir, "scenecut-off.mp4", 0), max_fps=60),
    )
    assert on is not None and off is not None
    assert (on.scenecut, on.keyint, off.scenecut, off.keyint) == (40, 30, 0, 30)
    assert len(off.keyframe_s) == 9 and np.allclose(np.diff(off.keyframe_s), 1.0)
    assert off.intra[off.key].all() and off.bidir.any() and not (off.bidir & off.intra).any()


def test_the_windows_are_the_usual_frames(media_dir: Path) -> None:
    """Every frame read keyframes first is one the usual pass reads, with the same colour and, where the frame
    before it was read too, the same cut score: cuts are judged on the same numbers."""
    clip = shots(media_dir, "scenecut-on.mp4", 40)
    picture = read_windowed(clip)
    assert picture is not None
    windows, whole = picture[0], read_frames(clip)
    at = np.searchsorted(whole.times, windows.times - 1e-6)
    assert np.allclose(whole.times[at], windows.times)
    assert np.array_equal(whole.luma[at], windows.luma) and np.array_equal(whole.chroma[at], windows.chroma)
    scored = windows.change > 0  # a window's first frame has no frame before it read
    assert scored.sum() > 0.7 * len(windows.times)
    assert np.allclose(whole.change[at][scored], windows.change[scored])
