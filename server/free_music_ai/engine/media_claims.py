"""What a file's headers claim, checked before any decoder or demuxer allocates for it: a picture's every frame
(image_header.py) and a video's index (container_header.py). Light on purpose (no PyAV, no pydantic): the
one-shot command's read-ahead checks a file with it before it opens the file, while the rest still loads."""

from __future__ import annotations

from pathlib import Path

from free_music_ai.engine.container_header import check_sample_tables
from free_music_ai.engine.image_header import read_image_header
from free_music_ai.errors import UnsupportedFormat
from free_music_ai.limits import MAX_ANIMATION_FRAMES, MAX_PICTURE_PARTS, MAX_PIXELS


def check_claims(file: Path) -> None:
    """Refuse, with what to do, a file whose headers claim more than the limits allow."""
    header = read_image_header(file)
    if header is not None:
        check_pixels(file, header.width, header.height)
        if header.frames > MAX_ANIMATION_FRAMES:
            raise UnsupportedFormat(f"{file.name} has {header.frames:,} frames; an animated picture may have at most "
                                    f"{MAX_ANIMATION_FRAMES:,}. Convert it to an MP4 video.")  # fmt: skip
        if not header.complete:  # its later frames went unread, so their sizes are unknown
            raise UnsupportedFormat(f"{file.name} is made of more than {MAX_PICTURE_PARTS:,} parts, far more than a "
                                    "picture has. Save it as a plain JPEG or PNG, or as an MP4 video.")  # fmt: skip
    check_sample_tables(file)


def check_pixels(file: Path, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise UnsupportedFormat(f"{file.name} is {width:,}x{height:,} pixels ({width * height / 1e6:,.0f} MP); at most "
                                f"{MAX_PIXELS // 1_000_000} MP are accepted. Scale it down first.")  # fmt: skip
