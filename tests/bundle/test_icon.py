"""The bundle's icon (tools/draw_icon.py): a 512x512 RGBA PNG a decoder reads, white notes on an opaque card
with transparent corners, the same bytes every time."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from draw_icon import draw_icon, png_bytes


def decode(png: bytes) -> np.ndarray:
    """Pixels of an 8-bit RGBA PNG whose rows carry no filter (what png_bytes writes), read chunk by chunk."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    at, chunks = 8, {}
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = body
        at += 12 + length
    width, height, depth, colour, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour) == (8, 6) and b"IEND" in chunks
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(height, 1 + width * 4)
    assert not rows[:, 0].any()
    return rows[:, 1:].reshape(height, width, 4)


def test_the_icon_is_a_png_of_white_notes_on_a_card(bundle_folder: Path) -> None:
    png = png_bytes(draw_icon())
    pixels = decode(png)
    assert pixels.shape == (512, 512, 4)
    assert pixels[0, 0, 3] == 0 and pixels[511, 511, 3] == 0  # rounded corners
    assert tuple(pixels[362, 190]) == (255, 255, 255, 255)  # the first note's head
    card = pixels[60, 100]
    assert card[3] == 255 and card[2] > card[0]  # the gradient, bluer than red
    assert (bundle_folder / "icon.png").read_bytes() == png  # drawn again for the bundle: the same bytes
