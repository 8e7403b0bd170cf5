"""Inputs that would cost far more than they weigh are refused at once, with what to do: a picture bomb, a GIF
of thousands of frames, a sound that starts minutes after the picture, floods of files and words."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.image_header import read_image_header
from free_music_ai.engine.probe import probe
from free_music_ai.errors import UnsupportedFormat
from free_music_ai.mcp_server.server import create_server


def _server(tmp_path: Path, **settings: Any) -> Any:
    return create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                        "allowed_dirs": [tmp_path], **settings}))  # fmt: skip


def test_a_picture_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = sample_media.grey_png(tmp_path / "bomb.png", 16000, 16000)
    assert bomb.stat().st_size < 2_000_000  # light on disk, 1 GB decoded
    assert read_image_header(bomb) is not None and read_image_header(bomb).width == 16000  # type: ignore[union-attr]
    with pytest.raises(UnsupportedFormat, match=r"256 MP.*at most 50 MP"):
        probe(bomb)
    assert probe(sample_media.grey_png(tmp_path / "fine.png", 1920, 1080)).kind.value == "image"


def test_a_gif_of_thousands_of_frames_is_refused(tmp_path: Path) -> None:
    assert read_image_header(sample_media.many_frame_gif(tmp_path / "few.gif", 12)).frames == 12  # type: ignore[union-attr]
    with pytest.raises(UnsupportedFormat, match="5,000 frames"):
        probe(sample_media.many_frame_gif(tmp_path / "many.gif", 5000))


def test_sound_that_starts_minutes_late_does_not_lengthen_the_video(tmp_path: Path) -> None:
    clip = tmp_path / "late.mp4"
    command = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3",
               "-itsoffset", "300", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
               "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(clip)]  # fmt: skip
    subprocess.run(command, check=True)
    assert clip.stat().st_size < 400_000
    assert 2.9 < probe(clip).duration_s < 3.2


@pytest.mark.anyio
async def test_floods_are_refused_with_the_limit(tmp_path: Path, image_png: Path) -> None:
    picture = tmp_path / "p.png"
    picture.write_bytes(image_png.read_bytes())
    async with Client(_server(tmp_path, max_input_mb=1)) as client:
        copies = await client.call_tool("upload", {"paths": [str(picture)] * 2000})
        assert copies.is_error and "at most 200 files" in str(copies.content)
        big = await client.call_tool("upload", {"files": [{"name": "x.png", "data_base64": "A" * 4_000_000}]})
        assert big.is_error and "over the 1 MB limit" in str(big.content)
        session = (await client.call_tool("upload", {"paths": [str(picture)]})).structured_content["session_id"]
        words = await client.call_tool("generate", {"session_id": session, "message": "calm " * 3000})
        assert words.is_error and "at most 8,000" in str(words.content)


@pytest.mark.anyio
async def test_a_timeline_over_twenty_minutes_is_refused(tmp_path: Path) -> None:
    long_clip = tmp_path / "eleven.mp4"  # 11 minutes at one frame a second: quick to make
    command = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=c=navy:size=64x64:rate=1:duration=660",
               "-c:v", "libx264", "-preset", "ultrafast", str(long_clip)]  # fmt: skip
    subprocess.run(command, check=True)
    async with Client(_server(tmp_path)) as client:
        first = await client.call_tool("upload", {"paths": [str(long_clip)]})
        assert not first.is_error, first.content
        session = first.structured_content["session_id"]
        second = await client.call_tool("upload", {"paths": [str(long_clip)], "session_id": session})
    assert second.is_error and "22.0 minutes" in str(second.content) and "at most 20" in str(second.content)


def _apng_with_a_large_frame(path: Path, image_png: Path) -> Path:
    """An animated PNG whose second frame control (fcTL) says 16000x16000 (the picture itself is the one IHDR
    says): the decoder would allocate the frame it is told."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = image_png.read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    control = struct.pack(">IIIIIHHBB", 0, width, height, 0, 0, 1, 10, 0, 0)
    large = struct.pack(">IIIIIHHBB", 1, 16000, 16000, 0, 0, 1, 10, 0, 0)
    at = png.index(b"IDAT") - 4
    path.write_bytes(png[:33] + chunk(b"acTL", struct.pack(">II", 2, 0)) + chunk(b"fcTL", control) + png[33:at]
                     + chunk(b"fcTL", large) + png[at:])  # fmt: skip
    return path


def _webp_with_a_large_frame(path: Path) -> Path:
    """An animated WebP on a 16x16 canvas whose one frame (ANMF) holds a lossless bitstream of 16000x16000."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return kind + struct.pack("<I", len(data)) + data + b"\0" * (len(data) & 1)

    canvas = chunk(b"VP8X", bytes([0x02, 0, 0, 0]) + (15).to_bytes(3, "little") * 2)
    bits = (16000 - 1) | ((16000 - 1) << 14)
    bitstream = chunk(b"VP8L", b"\x2f" + bits.to_bytes(4, "little") + b"\0" * 8)
    frame = chunk(b"ANMF", b"\0" * 6 + (15).to_bytes(3, "little") * 2 + b"\x64\0\0\0" + bitstream)
    body = b"WEBP" + canvas + chunk(b"ANIM", b"\0" * 6) + frame
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


@pytest.mark.parametrize("kind", ["jpeg", "apng", "webp"])
def test_every_frame_of_a_picture_is_size_checked(tmp_path: Path, image_png: Path, kind: str) -> None:
    # the first frame header is small, a later one says 16000x16000: the largest counts
    if kind == "jpeg":
        bomb = sample_media.two_frame_jpeg(tmp_path / "two.jpg", 16000)
    elif kind == "apng":
        bomb = _apng_with_a_large_frame(tmp_path / "large.png", image_png)
    else:
        bomb = _webp_with_a_large_frame(tmp_path / "large.webp")
    header = read_image_header(bomb)
    assert header is not None and (header.width, header.height) == (16000, 16000)
    with pytest.raises(UnsupportedFormat, match=r"256 MP.*at most 50 MP"):
        probe(bomb)


def test_a_picture_of_endless_parts_is_refused(tmp_path: Path) -> None:
    # 100,001 empty comment segments before the frame: its size would go unread, so the picture is refused
    bomb = tmp_path / "parts.jpg"
    small = sample_media.two_frame_jpeg(tmp_path / "small.jpg", 16).read_bytes()
    bomb.write_bytes(small[:2] + b"\xff\xfe\x00\x02" * 100_001 + small[2:])
    header = read_image_header(bomb)
    assert header is not None and not header.complete
    with pytest.raises(UnsupportedFormat, match="more than 100,000 parts"):
        probe(bomb)


def test_a_cut_short_last_frame_does_not_hide_the_others(tmp_path: Path) -> None:
    # a GIF of 5000 frames ending in half an image descriptor: the frames before it still count
    many = sample_media.many_frame_gif(tmp_path / "many.gif", 5000)
    cut = tmp_path / "cut.gif"
    cut.write_bytes(many.read_bytes()[:-1] + b"\x2c\x00")
    header = read_image_header(cut)
    assert header is not None and header.frames == 5000
    with pytest.raises(UnsupportedFormat, match="5,000 frames"):
        probe(cut)
