"""probe: kinds by content, geometry after rotation and pixel shape, and a clear error for every bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from free_music_ai.engine import sample_media
from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.probe import probe
from free_music_ai.errors import FileMissing, FileTooLarge, NotAFile, ProbeError, UnsupportedFormat
from media_checks import ffmpeg


def test_video_with_sound(clip_720: Path) -> None:
    info = probe(clip_720)
    assert info.kind == MediaKind.VIDEO
    assert info.duration_s == pytest.approx(6.0, abs=0.05)
    assert info.video is not None and info.audio is not None
    assert (info.video.codec, info.video.width, info.video.height) == ("h264", 1280, 720)
    assert info.video.fps == 30 and info.video.frame_rate == "30/1" and not info.video.vfr
    assert info.audio.codec == "aac" and info.audio.sample_rate == 48000
    assert info.size_bytes == clip_720.stat().st_size


@pytest.mark.parametrize("name", ["still.png", "still.jpg", "still.webp", "still.gif"])
def test_images(media_dir: Path, name: str) -> None:
    path = sample_media.make_image(media_dir / name, width=320, height=240)
    info = probe(path)
    assert info.kind == MediaKind.IMAGE
    assert info.duration_s == 0 and info.audio is None
    assert info.video is not None and (info.video.display_width, info.video.display_height) == (320, 240)


def test_animated_gif_is_video(media_dir: Path) -> None:
    path = media_dir / "moving.gif"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=2", str(path))
    info = probe(path)
    assert info.kind == MediaKind.VIDEO
    assert info.duration_s == pytest.approx(2.0, abs=0.15)


@pytest.mark.parametrize("name", ["tone.mp3", "tone.wav", "tone.m4a", "tone.aac"])
def test_audio(media_dir: Path, name: str) -> None:
    info = probe(sample_media.make_tone(media_dir / name, duration_s=3))
    assert info.kind == MediaKind.AUDIO
    assert info.video is None and info.audio is not None
    assert info.duration_s == pytest.approx(3.0, abs=0.1)


def test_kind_comes_from_content_not_name(media_dir: Path) -> None:
    """An .mp4 holding only sound is audio; a PNG named .jpg is still an image."""
    sound_only = media_dir / "sound-only.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", str(sound_only))
    assert probe(sound_only).kind == MediaKind.AUDIO
    png_named_jpg = media_dir / "really-png.jpg"
    sample_media.make_image(media_dir / "source.png", width=200, height=100).rename(png_named_jpg)
    assert probe(png_named_jpg).kind == MediaKind.IMAGE


def test_rotation_is_applied_to_display_size(media_dir: Path, clip_720: Path) -> None:
    rotated = media_dir / "rotated.mp4"
    ffmpeg("-display_rotation", "-90", "-i", str(clip_720), "-c", "copy", str(rotated))
    info = probe(rotated)
    assert info.video is not None
    assert info.video.rotation == 90
    assert (info.video.width, info.video.height) == (1280, 720)
    assert (info.video.display_width, info.video.display_height) == (720, 1280)


def test_non_square_pixels(media_dir: Path) -> None:
    path = media_dir / "anamorphic.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=704x576:rate=25:duration=1", "-vf", "setsar=16/11",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path))  # fmt: skip
    info = probe(path)
    assert info.video is not None and info.video.sample_aspect_ratio == "16:11"
    assert (info.video.display_width, info.video.display_height) == (1024, 576)


def test_real_clips(shared_media: Path) -> None:
    expected = {
        "testvideo.mp4": dict(display=(1280, 720), rotation=0, vfr=False, audio=False),
        "goldeneye-vfr-drop3.mp4": dict(display=(1280, 544), rotation=0, vfr=True, audio=False),
        "issue-134-rotate.mp4": dict(display=(544, 1280), rotation=90, vfr=False, audio=True),
        "issue-195-aspect-ratio.mp4": dict(display=(1024, 576), rotation=0, vfr=False, audio=True),
        "issue-236-split-copy.mkv": dict(display=(1920, 1080), rotation=0, vfr=False, audio=True),
        "counter.mp4": dict(display=(1920, 1080), rotation=0, vfr=False, audio=False),
        "fades.mp4": dict(display=(480, 320), rotation=0, vfr=False, audio=False),
        "delayed_start.mp4": dict(display=(480, 320), rotation=0, vfr=False, audio=False),
    }
    for name, want in expected.items():
        info = probe(shared_media / name)
        assert info.kind == MediaKind.VIDEO, name
        assert info.video is not None
        assert (info.video.display_width, info.video.display_height) == want["display"], name
        assert info.video.rotation == want["rotation"], name
        assert info.video.vfr == want["vfr"], name
        assert (info.audio is not None) == want["audio"], name
        assert info.duration_s > 0.5, name
    goldeneye = probe(shared_media / "goldeneye-vfr-drop3.mp4").video
    assert goldeneye is not None and goldeneye.frame_rate == "24000/1001"  # shot at 23.976, frames dropped
    assert probe(shared_media / "issue-236-split-copy.mkv").container == "matroska,webm"
    assert probe(shared_media / "fades.mp4").video.codec == "mpeg4"  # type: ignore[union-attr]


# --- bad input: each a typed error whose message says what to do -------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileMissing, match="Check the path"):
        probe(tmp_path / "nope.mp4")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(NotAFile, match="folder"):
        probe(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.mp4").write_bytes(b"")
    with pytest.raises(ProbeError, match="empty"):
        probe(tmp_path / "empty.mp4")


def test_text_renamed_mp4(tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video\n" * 50)
    with pytest.raises(ProbeError, match="damaged, incomplete, or not really"):
        probe(fake)


def test_unsupported_type(tmp_path: Path, media_dir: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(UnsupportedFormat, match="Supported formats: video: mp4"):
        probe(text)
    flv = tmp_path / "clip.flv"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:duration=1", str(flv))
    with pytest.raises(UnsupportedFormat, match="flv"):
        probe(flv)


def test_over_size_limit(clip_720: Path) -> None:
    with pytest.raises(FileTooLarge, match="Trim it or compress it below"):
        probe(clip_720, max_bytes=1000)


def test_truncated_without_index(tmp_path: Path, clip_720: Path) -> None:
    """The sample has its index (moov) at the end: cut in half, the index is gone."""
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip_720.read_bytes()[: clip_720.stat().st_size // 2])
    with pytest.raises(ProbeError):
        probe(cut)


def test_truncated_with_index_first(tmp_path: Path, clip_720: Path) -> None:
    """With the index first, a cut file still opens: the missing end must be noticed all the same."""
    faststart = tmp_path / "faststart.mp4"
    ffmpeg("-i", str(clip_720), "-c", "copy", "-movflags", "+faststart", str(faststart))
    cut = tmp_path / "cut-faststart.mp4"
    cut.write_bytes(faststart.read_bytes()[: faststart.stat().st_size // 2])
    with pytest.raises(ProbeError, match="incomplete"):
        probe(cut)


def test_zero_duration(tmp_path: Path) -> None:
    empty_wav = tmp_path / "silence.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000", "-t", "0", str(empty_wav))
    with pytest.raises(ProbeError):
        probe(empty_wav)


def test_undecodable_picture(tmp_path: Path, clip_720: Path) -> None:
    """The container is intact but the coded picture is noise."""
    faststart = tmp_path / "fs.mp4"
    ffmpeg("-i", str(clip_720), "-an", "-c", "copy", "-movflags", "+faststart", str(faststart))
    data = bytearray(faststart.read_bytes())
    mdat = data.find(b"mdat") + 4
    data[mdat:] = bytes((i * 151 + 7) % 256 for i in range(len(data) - mdat))
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(bytes(data))
    with pytest.raises(ProbeError, match="cannot be decoded"):
        probe(broken)
