"""The MCP Bundle's icon: two beamed eighth notes on a dusk gradient, drawn here (MIT, like the code).

Shapes are filled on a 4x finer grid and averaged down, which smooths their edges; the PNG is written with
zlib, so the icon needs nothing beyond numpy and the same input always gives the same bytes.

Usage: python tools/draw_icon.py OUT.png [--size 512]
"""

from __future__ import annotations

import argparse
import struct
import zlib
from pathlib import Path

import numpy as np
import numpy.typing as npt

Mask = npt.NDArray[np.bool_]
Grid = npt.NDArray[np.float64]

SUPERSAMPLE = 4
TOP_LEFT = np.array([59.0, 42.0, 143.0])  # indigo
BOTTOM_RIGHT = np.array([19.0, 163.0, 160.0])  # teal
INK = np.array([255.0, 255.0, 255.0])


def draw_icon(size: int = 512) -> npt.NDArray[np.uint8]:
    """The icon as RGBA rows (size x size x 4), its shapes laid out on a 512-unit square."""
    fine = size * SUPERSAMPLE
    units = (np.arange(fine, dtype=np.float64) + 0.5) * 512.0 / fine
    x, y = np.meshgrid(units, units)
    card = _rounded_square(x, y, margin=16.0, radius=96.0)
    notes = (
        _ellipse(x, y, centre=(190.0, 362.0), radii=(60.0, 42.0), tilt_deg=-22.0)
        | _ellipse(x, y, centre=(352.0, 330.0), radii=(60.0, 42.0), tilt_deg=-22.0)
        | _box(x, y, left=226.0, right=250.0, top=136.0, bottom=356.0)
        | _box(x, y, left=388.0, right=412.0, top=104.0, bottom=324.0)
        | _convex(x, y, [(226.0, 136.0), (412.0, 100.0), (412.0, 152.0), (226.0, 188.0)])
    )
    shade = np.clip((x + y) / 1024.0, 0.0, 1.0)[..., None]
    colour = TOP_LEFT * (1.0 - shade) + BOTTOM_RIGHT * shade
    colour = np.where(notes[..., None], INK, colour)
    rgba = np.concatenate([colour, np.where(card, 255.0, 0.0)[..., None]], axis=-1)
    rgba[..., :3] *= rgba[..., 3:] / 255.0  # averaged premultiplied, so no dark fringe at the card's edge
    small = rgba.reshape(size, SUPERSAMPLE, size, SUPERSAMPLE, 4).mean(axis=(1, 3))
    alpha = small[..., 3:]
    small[..., :3] = np.divide(small[..., :3] * 255.0, alpha, out=np.zeros_like(small[..., :3]), where=alpha > 0)
    return np.asarray(np.clip(np.rint(small), 0, 255), dtype=np.uint8)


def png_bytes(rgba: npt.NDArray[np.uint8]) -> bytes:
    """An 8-bit RGBA PNG (no filter on any row) of the given pixels."""
    height, width, _ = rgba.shape
    rows = b"".join(b"\x00" + rgba[row].tobytes() for row in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def write_icon(path: Path, size: int = 512) -> Path:
    path.write_bytes(png_bytes(draw_icon(size)))
    return path


def _rounded_square(x: Grid, y: Grid, *, margin: float, radius: float) -> Mask:
    low, high = margin + radius, 512.0 - margin - radius
    dx = np.maximum(np.maximum(low - x, x - high), 0.0)
    dy = np.maximum(np.maximum(low - y, y - high), 0.0)
    inside: Mask = (dx * dx + dy * dy <= radius * radius) & (x >= margin) & (x <= 512 - margin)
    return inside & (y >= margin) & (y <= 512 - margin)


def _ellipse(x: Grid, y: Grid, *, centre: tuple[float, float], radii: tuple[float, float], tilt_deg: float) -> Mask:
    angle = np.radians(tilt_deg)
    dx, dy = x - centre[0], y - centre[1]
    along = dx * np.cos(angle) + dy * np.sin(angle)
    across = -dx * np.sin(angle) + dy * np.cos(angle)
    inside: Mask = (along / radii[0]) ** 2 + (across / radii[1]) ** 2 <= 1.0
    return inside


def _box(x: Grid, y: Grid, *, left: float, right: float, top: float, bottom: float) -> Mask:
    inside: Mask = (x >= left) & (x <= right) & (y >= top) & (y <= bottom)
    return inside


def _convex(x: Grid, y: Grid, corners: list[tuple[float, float]]) -> Mask:
    """Inside a convex polygon whose corners go clockwise on screen (y down)."""
    inside: Mask = np.ones_like(x, dtype=bool)
    for (x0, y0), (x1, y1) in zip(corners, corners[1:] + corners[:1], strict=True):
        inside &= (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0) >= 0
    return inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=int, default=512)
    args = parser.parse_args()
    print(write_icon(args.out, args.size))


if __name__ == "__main__":
    main()
