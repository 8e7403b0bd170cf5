"""A picture's size and frame count read from its headers, every frame's, before any decoder sees it.

An 800 KB PNG can claim 16000x16000 pixels (1 GB once decoded), and a 70 KB GIF thousands of frames; FFmpeg
decodes a frame just to learn the size of some formats. Reading the headers first lets such files be refused at
the cost of a read, whatever they would cost to decode. Every frame counts, not only the first: a JPEG whose
first frame says 16x16 and whose next says 16000x16000 is as large as its largest (each SOF of the file, each
GIF image descriptor, each APNG fcTL, each animated WebP ANMF and the bitstream inside it).
PNG, GIF, JPEG and WebP are the formats accepted as pictures (formats.py); anything else, or a header we cannot
follow, is left to the decoder.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from free_music_ai.limits import MAX_PICTURE_PARTS

WINDOW_BYTES = 1024 * 1024  # read at a time: a walk never holds more of the file than this
_SOI = re.compile(rb"\xff\xd8\xff")  # where a JPEG picture starts (the decoder starts a frame at each)
_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")  # the end of a scan: not stuffing (00), a restart or fill (FF)
_JPEG_NOT_FRAMES = (0xC4, 0xC8, 0xCC)  # in the start-of-frame range but tables, not frames


@dataclass(frozen=True)
class ImageHeader:
    width: int  # of the largest frame (by pixels), or the canvas when it is larger
    height: int
    frames: int  # 1 for a still; counted for JPEG, GIF, animated PNG and animated WebP
    complete: bool = True  # False: more parts than MAX_PICTURE_PARTS, so frames past them went unread


class _Window:
    """The file's bytes by position, read a window at a time (pictures are walked front to back)."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.size = file.seek(0, 2)
        self.start = 0
        self.data = b""

    def get(self, at: int, count: int) -> bytes:
        if at < self.start or at + count > self.start + len(self.data):
            self.file.seek(at)
            self.data = self.file.read(max(count, WINDOW_BYTES))
            self.start = at
        return self.data[at - self.start : at - self.start + count]

    def search(self, pattern: re.Pattern[bytes], at: int) -> int:
        """Where ``pattern`` (three bytes at most) first matches at or after ``at``; -1 when nowhere."""
        while at < self.size:
            chunk = self.get(at, WINDOW_BYTES)
            found = pattern.search(chunk)
            if found is not None:
                return at + found.start()
            if at + len(chunk) >= self.size:
                return -1
            at += len(chunk) - 2  # a match across the windows' edge is found in the next
        return -1

    def u32(self, at: int) -> int:
        """A big-endian 32-bit number (PNG's)."""
        return int(struct.unpack(">I", self.get(at, 4))[0])


class _Frames:
    """The largest frame seen, how many frames, and how many parts were walked to see them."""

    def __init__(self) -> None:
        self.width = self.height = self.count = self.parts = 0

    def frame(self, width: int, height: int, counts: bool = True) -> None:
        if width * height > self.width * self.height:
            self.width, self.height = width, height
        self.count += counts

    def more(self) -> bool:
        self.parts += 1
        return self.parts <= MAX_PICTURE_PARTS

    def header(self, frames: int | None = None) -> ImageHeader:
        return ImageHeader(self.width, self.height, max(1, frames or self.count), self.parts <= MAX_PICTURE_PARTS)


def read_image_header(path: Path) -> ImageHeader | None:
    """The largest frame and the frame count the file declares, or None when it is not a picture format we read."""
    found = _Frames()
    try:
        with path.open("rb") as file:
            window = _Window(file)
            head = window.get(0, 16)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                return _png(window, found)
            if head[:6] in (b"GIF87a", b"GIF89a"):
                return _gif(window, found)
            if head.startswith(b"\xff\xd8"):
                return _jpeg(window, found)
            if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
                return _webp(window, found)
    except (struct.error, IndexError):  # cut short or damaged: what was read before counts (a truncated last
        return found.header() if found.count or found.width else None  # frame must not hide the others)
    except OSError:
        return None
    return None


def _png(window: _Window, found: _Frames) -> ImageHeader:
    """IHDR's size; an animated PNG's frame count (acTL) and every frame's size (fcTL), chunk by chunk."""
    found.frame(window.u32(16), window.u32(20), counts=False)
    declared, animated, at = 1, False, 8
    while at + 8 <= window.size and found.more():
        length, kind = struct.unpack(">I4s", window.get(at, 8))
        if kind == b"acTL":
            declared, animated = window.u32(at + 8), True
        elif kind == b"fcTL":
            found.frame(window.u32(at + 12), window.u32(at + 16))
        elif kind == b"IEND" or (kind == b"IDAT" and not animated):  # a still PNG: its one frame is IHDR's
            break
        at += 12 + length
    return found.header(max(declared, found.count))


def _gif(window: _Window, found: _Frames) -> ImageHeader:
    """The screen and every image descriptor (its extent over the screen), block by block."""
    screen_w, screen_h = struct.unpack("<HH", window.get(6, 4))
    found.frame(screen_w, screen_h, counts=False)
    flags = window.get(10, 1)[0]
    at = 13 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0)
    while at < window.size and found.more():
        kind = window.get(at, 1)[0]
        if kind == 0x2C:  # an image: its descriptor, its colour table, then LZW data in sub-blocks
            frame_w, frame_h = struct.unpack("<HH", window.get(at + 5, 4))
            found.frame(max(found.width, frame_w), max(found.height, frame_h))  # the extent of all so far
            local = window.get(at + 9, 1)[0]
            at = _skip_blocks(window, at + 10 + (3 * (2 << (local & 7)) if local & 0x80 else 0) + 1)
        elif kind == 0x21:  # an extension: its label, then sub-blocks
            at = _skip_blocks(window, at + 2)
        else:  # 0x3B, the trailer, or data we do not follow
            break
    return found.header()


def _skip_blocks(window: _Window, at: int) -> int:
    while at < window.size:
        size = window.get(at, 1)[0]
        if size == 0:
            break
        at += size + 1
    return at + 1


def _jpeg(window: _Window, found: _Frames) -> ImageHeader | None:
    """Every start-of-frame of every picture in the file, marker by marker; a scan's data is searched for the
    marker after it, and whatever follows a picture's end is searched for the next picture's start."""
    at = 0
    while at < window.size and found.more():
        head = window.get(at, 10)
        if len(head) < 2 or head[0] != 0xFF or head[1] == 0xD9:  # the end of a picture, or not a marker: skip on
            at = window.search(_SOI, at + 1)
            if at < 0:
                break
            continue
        marker = head[1]
        if marker in (0xFF, 0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # fill, start of picture, markers without data
            at += 1 if marker == 0xFF else 2
            continue
        if len(head) < 4:
            break
        length = struct.unpack(">H", head[2:4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in _JPEG_NOT_FRAMES and _plausible_frame(head, length):
            height, width = struct.unpack(">HH", head[5:9])
            found.frame(width, height)
        at += 2 + length
        if marker == 0xDA:  # a scan: entropy-coded data up to the next marker
            at = window.search(_MARKER, at)
            if at < 0:
                break
    return found.header() if found.count or found.parts > MAX_PICTURE_PARTS else None


def _plausible_frame(head: bytes, length: int) -> bool:
    """A start-of-frame as the decoder checks it (precision, 1-4 components, the length they need): bytes that
    only look like one (data appended after a picture, such as a motion photo's video) are not taken for one."""
    return len(head) >= 10 and head[4] in (8, 12, 16) and 1 <= head[9] <= 4 and length == 8 + 3 * head[9]


def _webp(window: _Window, found: _Frames) -> ImageHeader:
    """The canvas (VP8X), the picture's own bitstream size, and every animation frame (ANMF) with the bitstream
    inside it, chunk by chunk (only chunk headers are read)."""
    anmf, at = 0, 12
    while at + 8 <= window.size and found.more():
        kind, size = struct.unpack("<4sI", window.get(at, 8))
        if kind == b"VP8X":
            canvas = window.get(at + 12, 6)
            found.frame(1 + int.from_bytes(canvas[:3], "little"), 1 + int.from_bytes(canvas[3:], "little"), False)
        elif kind in (b"VP8 ", b"VP8L"):
            found.frame(*_bitstream_size(kind, window.get(at + 8, 10)))
        elif kind == b"ANMF":
            anmf += 1
            frame = window.get(at + 8 + 6, 6)
            found.frame(1 + int.from_bytes(frame[:3], "little"), 1 + int.from_bytes(frame[3:], "little"), False)
            inner = at + 8 + 16  # the frame's own chunks (ALPH, VP8, VP8L) follow its 16-byte header
            while inner + 8 <= min(at + 8 + size, window.size) and found.more():
                inner_kind, inner_size = struct.unpack("<4sI", window.get(inner, 8))
                if inner_kind in (b"VP8 ", b"VP8L"):
                    found.frame(*_bitstream_size(inner_kind, window.get(inner + 8, 10)), counts=False)
                inner += 8 + inner_size + (inner_size & 1)
        at += 8 + size + (size & 1)
    return found.header(anmf or 1)


def _bitstream_size(kind: bytes, payload: bytes) -> tuple[int, int]:
    if kind == b"VP8 ":  # a key frame's tag (3 bytes), start code (3), then 14-bit width and height
        width, height = struct.unpack("<HH", payload[6:10])
        return width & 0x3FFF, height & 0x3FFF
    bits = int.from_bytes(payload[1:5], "little")  # VP8L: a signature byte, then 14-bit width-1 and height-1
    return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
