"""A picture's size and frame count read from its header, before any decoder sees it.

An 800 KB PNG can claim 16000x16000 pixels (1 GB once decoded), and a 70 KB GIF thousands of frames; FFmpeg
decodes a frame just to learn the size of some formats. Reading the few header bytes first lets such files be
refused at the cost of a read, whatever they would cost to decode. PNG, GIF, JPEG and WebP are the formats
accepted as pictures (formats.py); anything else, or a header we cannot follow, is left to the decoder.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HEAD_BYTES = 64 * 1024  # where a JPEG's frame header sits, past its metadata, in nearly every file
GIF_SCAN_BYTES = 64 * 1024 * 1024  # the longest GIF walked for its frame count (its size is capped anyway)


@dataclass(frozen=True)
class ImageHeader:
    width: int
    height: int
    frames: int  # 1 for a still; counted for GIF and animated WebP


def read_image_header(path: Path) -> ImageHeader | None:
    """The size and frame count the file declares, or None when it is not a picture format we read."""
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                width, height = struct.unpack(">II", head[16:24])
                return ImageHeader(width, height, _png_frames(head))
            if head[:6] in (b"GIF87a", b"GIF89a"):
                file.seek(0)
                return _gif(file.read(GIF_SCAN_BYTES))
            if head.startswith(b"\xff\xd8"):
                return _jpeg(head)
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                found = _webp(head)
                if found is not None and found.frames > 1:  # animated: count every frame, chunk by chunk
                    return ImageHeader(found.width, found.height, _webp_frames(file))
                return found
    except (OSError, struct.error, IndexError):
        return None
    return None


def _png_frames(head: bytes) -> int:
    at = head.find(b"acTL")  # an animated PNG declares its frame count up front
    return struct.unpack(">I", head[at + 4 : at + 8])[0] if 0 < at < 64 else 1


def _gif(data: bytes) -> ImageHeader:
    width, height = struct.unpack("<HH", data[6:10])
    flags = data[10]
    at = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)
    frames = 0
    while at < len(data):
        kind = data[at]
        if kind == 0x2C:  # an image: its descriptor, its colour table, then LZW data in sub-blocks
            frames += 1
            frame_w, frame_h = struct.unpack("<HH", data[at + 5 : at + 9])
            width, height = max(width, frame_w), max(height, frame_h)
            local = data[at + 9]
            at += 10 + (3 * (2 << (local & 7)) if local & 0x80 else 0) + 1
            at = _skip_blocks(data, at)
        elif kind == 0x21:  # an extension: its label, then sub-blocks
            at = _skip_blocks(data, at + 2)
        else:  # 0x3B, the trailer, or data we do not follow
            break
    return ImageHeader(width, height, max(1, frames))


def _skip_blocks(data: bytes, at: int) -> int:
    while at < len(data) and data[at] != 0:
        at += data[at] + 1
    return at + 1


def _jpeg(head: bytes) -> ImageHeader | None:
    at = 2
    while at + 9 < len(head):
        if head[at] != 0xFF:
            return None
        marker = head[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = struct.unpack(">H", head[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame: the size
            height, width = struct.unpack(">HH", head[at + 5 : at + 9])
            return ImageHeader(width, height, 1)
        at += 2 + length
    return None


def _webp(head: bytes) -> ImageHeader | None:
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(head[24:27], "little")
        height = 1 + int.from_bytes(head[27:30], "little")
        return ImageHeader(width, height, 2 if head[20] & 0x02 else 1)  # animated: counted by _webp_frames
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return ImageHeader(width & 0x3FFF, height & 0x3FFF, 1)
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return ImageHeader((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, 1)
    return None


def _webp_frames(file: BinaryIO) -> int:
    """The ANMF chunks of a RIFF file, walked by their sizes (only chunk headers are read)."""
    frames, at = 0, 12
    file.seek(0, 2)
    end = file.tell()
    while at + 8 <= end:
        file.seek(at)
        fourcc, size = struct.unpack("<4sI", file.read(8))
        frames += fourcc == b"ANMF"
        at += 8 + size + (size & 1)
    return max(1, frames)
