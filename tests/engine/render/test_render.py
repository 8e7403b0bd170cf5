"""render: what a user checks on the MP4 — it plays, the size and length are right, sound is there, moov first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from free_music_ai.config import load_settings
from free_music_ai.engine.canvas_choices import Fit
from free_music_ai.engine.render import (
    AudioLayer,
    ImageSegment,
    RenderRequest,
    TextOverlay,
    VideoSegment,
    render,
)
from free_music_ai.engine.render.video_graph import CROSSFADE_S
from free_music_ai.errors import InputError, ProbeError
from media_checks import audio_samples, facts, ffmpeg, frame_at, is_faststart, rms_db


def assert_deliverable(path: Path, width: int, height: int, duration_s: float) -> None:
    """H.264 High yuv420p, AAC 48 kHz stereo, moov first, the exact size, and the length within one frame."""
    f = facts(path)
    assert (f.width, f.height) == (width, height)
    assert f.video_codec == "h264" and f.profile == "High" and f.pix_fmt == "yuv420p"
    assert f.audio_codec == "aac" and f.sample_rate == 48000 and f.channels == 2
    assert f.rotation == 0
    assert abs(f.frames / f.fps - duration_s) <= 1 / f.fps + 1e-6
    assert f.audio_duration_s is not None and abs(f.audio_duration_s - duration_s) <= 0.05
    assert is_faststart(path)


def test_720p_comes_out_1080p_with_music_and_title(tmp_path: Path, clip_720: Path, music_wav: Path) -> None:
    request = RenderRequest(
        segments=[VideoSegment(path=clip_720)],
        audio=[AudioLayer(), AudioLayer(path=music_wav, volume=0.35, fade_out_s=1)],
        texts=[TextOverlay(text="Urban Dreams", end_s=3)],
        output=tmp_path / "out.mp4",
    )
    result = render(request, load_settings(environ={}))  # the product's own x264 preset (the suite runs superfast)
    assert result.output == tmp_path / "out.mp4" and not result.video_copied
    assert (result.width, result.height) == (1920, 1080)
    assert_deliverable(result.output, 1920, 1080, 6.0)
    assert facts(result.output).fps == 30


def test_copy_path_keeps_the_picture_bit_exact(tmp_path: Path, clip_1080: Path, music_wav: Path) -> None:
    import av

    request = RenderRequest(
        segments=[VideoSegment(path=clip_1080)],
        audio=[AudioLayer(), AudioLayer(path=music_wav, volume=0.5)],
        output=tmp_path / "copied.mp4",
    )
    result = render(request)
    assert result.video_copied
    assert_deliverable(result.output, 1920, 1080, 5.0)

    def packets(path: Path) -> list[bytes]:
        with av.open(str(path)) as c:
            return [bytes(p) for p in c.demux(c.streams.video[0]) if p.size]

    assert packets(result.output) == packets(clip_1080)


def test_music_is_heard_over_a_silent_video(tmp_path: Path, silent_clip: Path, music_wav: Path) -> None:
    result = render(
        RenderRequest(
            segments=[VideoSegment(path=silent_clip)],
            audio=[AudioLayer(), AudioLayer(path=music_wav, volume=1.0)],
            output=tmp_path / "m.mp4",
        )
    )
    samples, rate = audio_samples(result.output)
    source, source_rate = audio_samples(music_wav)
    # at 100% the music keeps its own level (within AAC's error), neither lost nor boosted
    assert rms_db(samples[:, rate : 3 * rate]) == pytest.approx(rms_db(source[:, source_rate : 3 * source_rate]), abs=1)
    assert np.max(np.abs(samples)) <= 0.95  # the limiter keeps it below full scale


def test_music_volume_changes_level(tmp_path: Path, silent_clip: Path, music_wav: Path) -> None:
    levels = []
    for volume in (1.0, 0.25):
        out = render(
            RenderRequest(
                segments=[VideoSegment(path=silent_clip)],
                audio=[AudioLayer(path=music_wav, volume=volume)],
                output=tmp_path / f"v{volume}.mp4",
            )
        ).output
        samples, rate = audio_samples(out)
        levels.append(rms_db(samples[:, rate : 3 * rate]))
    assert levels[0] - levels[1] == pytest.approx(12.0, abs=1.0)  # 25% is -12 dB


def test_vertical_blur_fill(tmp_path: Path, clip_1080: Path) -> None:
    result = render(
        RenderRequest(
            segments=[VideoSegment(path=clip_1080)], audio=[AudioLayer()], aspect="9:16", output=tmp_path / "v.mp4"
        )
    )
    assert not result.video_copied
    assert_deliverable(result.output, 1080, 1920, 5.0)
    frame = frame_at(result.output, 1.0).astype(float)
    top_band = frame[:300]
    assert top_band.mean() > 20  # the blurred copy fills the bands, not black bars
    assert np.abs(np.diff(top_band, axis=1)).mean() < np.abs(np.diff(frame[900:1000], axis=1)).mean()


@pytest.mark.parametrize(("fit", "edge_is_black"), [(Fit.LETTERBOX, True), (Fit.CROP, False)])
def test_fit_modes(tmp_path: Path, clip_720: Path, fit: Fit, edge_is_black: bool) -> None:
    result = render(
        RenderRequest(
            segments=[VideoSegment(path=clip_720)],
            aspect="1:1",
            fit=fit,
            output=tmp_path / f"{fit}.mp4",
        )
    )
    assert_deliverable(result.output, 1080, 1080, 6.0)
    top = frame_at(result.output, 1.0)[:100].astype(float)
    assert (top.mean() < 8) == edge_is_black


def test_rotated_phone_clip_shows_upright(tmp_path: Path, media_dir: Path) -> None:
    """A landscape-stored picture (white left half) flagged as rotated 90° must show white on top."""
    stored = media_dir / "halves.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=white:size=640x360:duration=2,drawbox=x=320:y=0:w=320:h=360:color=black:t=fill",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(stored))  # fmt: skip
    rotated = media_dir / "halves-rotated.mp4"
    ffmpeg("-display_rotation", "-90", "-i", str(stored), "-c", "copy", str(rotated))
    result = render(RenderRequest(segments=[VideoSegment(path=rotated)], output=tmp_path / "upright.mp4"))
    assert (result.width, result.height) == (1080, 1920)
    assert_deliverable(result.output, 1080, 1920, 2.0)
    frame = frame_at(result.output, 0.5).astype(float)
    assert frame[200:900].mean() > 200 and frame[1100:1700].mean() < 50


def with_exif_orientation(jpeg: Path, orientation: int, out: Path) -> Path:
    """The JPEG with an EXIF block whose only tag is the orientation, as a phone camera writes it."""
    import struct

    entry = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)  # tag, SHORT, one value, the value, padding
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + tiff
    data = jpeg.read_bytes()
    out.write_bytes(data[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + data[2:])
    return out


def test_phone_photo_turned_by_its_exif_orientation_shows_upright(tmp_path: Path) -> None:
    """Stored landscape (white left half), tagged "turn 90 degrees clockwise": shown portrait, white on top."""
    stored = tmp_path / "halves.jpg"
    ffmpeg("-f", "lavfi", "-i", "color=white:size=640x360,drawbox=x=320:y=0:w=320:h=360:color=black:t=fill",
           "-frames:v", "1", str(stored))  # fmt: skip
    photo = with_exif_orientation(stored, 6, tmp_path / "photo.jpg")
    result = render(RenderRequest(segments=[ImageSegment(path=photo, duration_s=2)], output=tmp_path / "photo.mp4"))
    assert (result.width, result.height) == (1080, 1920)
    assert_deliverable(result.output, 1080, 1920, 2.0)
    frame = frame_at(result.output, 1.0).astype(float)
    assert frame[200:900].mean() > 200 and frame[1100:1700].mean() < 50


def test_images_become_a_slideshow_of_exact_length(tmp_path: Path, image_png: Path, image_jpg: Path) -> None:
    result = render(
        RenderRequest(
            segments=[
                ImageSegment(path=image_png, duration_s=3),
                ImageSegment(path=image_jpg, duration_s=2.5),
                ImageSegment(path=image_png, duration_s=2),
            ],
            output=tmp_path / "slides.mp4",
        )
    )
    assert_deliverable(result.output, result.width, result.height, 7.5)
    f = facts(result.output)
    assert f.fps == 30
    # the picture moves (pan/zoom) and crossfades: frames inside one image differ, and mid-fade is a blend
    early, later = frame_at(result.output, 0.2).astype(float), frame_at(result.output, 2.2).astype(float)
    assert np.abs(early - later).mean() > 1.0
    fade_mid = frame_at(result.output, 3.0 + CROSSFADE_S / 2).astype(float)
    before, after = frame_at(result.output, 2.9).astype(float), frame_at(result.output, 3.6).astype(float)
    assert np.abs(fade_mid - before).mean() > 2 and np.abs(fade_mid - after).mean() > 2


def test_videos_and_images_join_in_order(tmp_path: Path, clip_720: Path, silent_clip: Path, image_png: Path) -> None:
    result = render(
        RenderRequest(
            segments=[
                VideoSegment(path=clip_720, start_s=1, end_s=3.5),
                ImageSegment(path=image_png, duration_s=2),
                VideoSegment(path=silent_clip),
            ],
            audio=[AudioLayer()],
            aspect="16:9",
            output=tmp_path / "joined.mp4",
        )
    )
    assert result.duration_s == pytest.approx(8.5)
    assert_deliverable(result.output, 1920, 1080, 8.5)
    samples, rate = audio_samples(result.output)
    assert rms_db(samples[:, rate : 2 * rate]) > -30  # the first clip's tone
    assert rms_db(samples[:, int(5.5 * rate) : int(8 * rate)]) < -60  # the silent clip stays silent


def test_titles_are_literal_and_cannot_inject_filters(tmp_path: Path, media_dir: Path) -> None:
    """drawtext expansion is off: '%{pts}' drawn at 0.5 s and at 2.5 s must look the same."""
    still = media_dir / "grey.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=gray:size=1920x1080:rate=30:duration=3", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", str(still))  # fmt: skip
    nasty = "It's 100% %{pts} \\ : ; [out] , 'quoted' \"dq\" 東京 café\nline two"
    result = render(
        RenderRequest(
            segments=[VideoSegment(path=still)], texts=[TextOverlay(text=nasty)], output=tmp_path / "title.mp4"
        )
    )
    assert_deliverable(result.output, 1920, 1080, 3.0)
    a, b = frame_at(result.output, 0.5).astype(float), frame_at(result.output, 2.5).astype(float)
    plain = frame_at(still, 0.5).astype(float)
    assert np.abs(a - plain).mean() > 1.0  # something was drawn
    assert np.abs(a - b).mean() < 0.5  # and it did not change with time


def test_title_timing(tmp_path: Path, clip_1080: Path) -> None:
    result = render(
        RenderRequest(
            segments=[VideoSegment(path=clip_1080)],
            texts=[TextOverlay(text="TITLE", start_s=1, end_s=2, position="top")],
            output=tmp_path / "timed.mp4",
        )
    )
    assert not result.video_copied  # a title means re-encoding
    source_top = frame_at(clip_1080, 3.0)[:250].astype(float)
    shown_top = frame_at(result.output, 1.5)[:250].astype(float)
    later_top = frame_at(result.output, 3.0)[:250].astype(float)
    assert np.abs(shown_top - frame_at(clip_1080, 1.5)[:250].astype(float)).mean() > 1.0
    assert np.abs(later_top - source_top).mean() < 3.0


def test_never_overwrites(tmp_path: Path, clip_1080: Path) -> None:
    target = tmp_path / "same.mp4"
    target.write_bytes(b"precious")
    result = render(RenderRequest(segments=[VideoSegment(path=clip_1080)], output=target))
    assert result.renamed and result.output == tmp_path / "same-1.mp4"
    assert target.read_bytes() == b"precious"
    second = render(RenderRequest(segments=[VideoSegment(path=clip_1080)], output=target))
    assert second.output == tmp_path / "same-2.mp4"


def test_interrupted_render_leaves_nothing(tmp_path: Path, clip_720: Path) -> None:
    def stop(fraction: float, message: str) -> None:
        if fraction > 0.2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render(RenderRequest(segments=[VideoSegment(path=clip_720)], output=tmp_path / "x.mp4"), on_progress=stop)
    assert list(tmp_path.iterdir()) == []


def test_progress_is_reported(tmp_path: Path, clip_720: Path) -> None:
    seen: list[float] = []
    render(
        RenderRequest(segments=[VideoSegment(path=clip_720)], output=tmp_path / "p.mp4"),
        on_progress=lambda fraction, message: seen.append(fraction),
    )
    assert seen[-1] == 1.0 and len(seen) >= 2 and seen == sorted(seen)


def test_bad_inputs_write_nothing(tmp_path: Path, clip_720: Path, image_png: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    broken = tmp_path / "broken.mp4"
    broken.write_text("not a video")
    with pytest.raises(ProbeError):
        render(RenderRequest(segments=[VideoSegment(path=broken)], output=out / "a.mp4"))
    with pytest.raises(InputError, match="is image, not a video"):
        render(RenderRequest(segments=[VideoSegment(path=image_png)], output=out / "a.mp4"))
    with pytest.raises(InputError, match="cannot start at 60"):
        render(RenderRequest(segments=[VideoSegment(path=clip_720, start_s=60)], output=out / "a.mp4"))
    with pytest.raises(InputError, match="after the video ends"):
        render(
            RenderRequest(
                segments=[VideoSegment(path=clip_720)], texts=[TextOverlay(text="x", start_s=9)], output=out / "a.mp4"
            )
        )
    with pytest.raises(InputError, match="has no sound"):
        render(
            RenderRequest(
                segments=[VideoSegment(path=clip_720)], audio=[AudioLayer(path=image_png)], output=out / "a.mp4"
            )
        )
    with pytest.raises(InputError, match="does not exist"):
        render(RenderRequest(segments=[VideoSegment(path=clip_720)], output=tmp_path / "nowhere" / "a.mp4"))
    assert list(out.iterdir()) == []


# --- the real-world clips: rotation, non-square pixels, VFR, MPEG-4 Part 2, Matroska ------------------------


@pytest.mark.parametrize(
    ("name", "size", "copied"),
    [
        ("testvideo.mp4", (1920, 1080), False),
        ("goldeneye-vfr-drop3.mp4", (1920, 1080), False),
        ("issue-134-rotate.mp4", (1080, 1920), False),
        ("issue-195-aspect-ratio.mp4", (1920, 1080), False),
        ("issue-236-split-copy.mkv", (1920, 1080), True),
        ("counter.mp4", (1920, 1080), True),
        ("fades.mp4", (1920, 1080), False),
        ("delayed_start.mp4", (1920, 1080), False),
    ],
)
def test_real_clips_render(tmp_path: Path, shared_media: Path, name: str, size: tuple[int, int], copied: bool) -> None:
    from free_music_ai.engine.probe import probe

    source = shared_media / name
    # a re-encoded clip's first 10 s show what it is (its rotation, its pixels' shape, its frame rate): the 24-25 s
    # ones whole took 11-16 s each of the suite; a copied one is rendered whole (a cut would re-encode it)
    duration = probe(source).duration_s if copied else min(probe(source).duration_s, 10.0)
    segment = VideoSegment(path=source) if copied or duration < 10.0 else VideoSegment(path=source, end_s=duration)
    result = render(RenderRequest(segments=[segment], audio=[AudioLayer()], output=tmp_path / "out.mp4"))
    assert (result.width, result.height) == size
    assert result.video_copied == copied
    f = facts(result.output)
    assert f.video_codec == "h264" and f.audio_codec == "aac" and f.channels == 2 and f.rotation == 0
    assert (f.width, f.height) == size
    assert abs(f.frames / f.fps - duration) <= 1.5 / f.fps
    assert is_faststart(result.output)


def test_non_square_pixels_fill_the_frame(tmp_path: Path, shared_media: Path) -> None:
    """704x576 at SAR 16:11 is 16:9: letterboxed into 16:9 it needs no bars. Ignoring SAR would leave bars."""
    result = render(
        RenderRequest(
            # the first 6 s hold the frame looked at: its first 10 s are rendered by test_real_clips_render
            segments=[VideoSegment(path=shared_media / "issue-195-aspect-ratio.mp4", end_s=6.0)],
            fit="letterbox",
            output=tmp_path / "sar.mp4",
        )
    )
    frame = frame_at(result.output, 5.0).astype(float)
    assert frame[:, :60].mean() > 10 and frame[:, -60:].mean() > 10
