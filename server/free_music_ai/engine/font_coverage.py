"""Which characters a TrueType/OpenType font can draw, read from its cmap table.

ffmpeg's drawtext uses exactly one font file and has no per-glyph fallback, so a title is drawn with the
first bundled font that covers all of its characters. A dependency (fontTools) would do this too; the
cmap formats 4 and 12 are all Unicode fonts use, and reading them is 60 lines.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=16)
def covered_codepoints(font_path: Path) -> frozenset[int]:
    data = font_path.read_bytes()
    if data[:4] == b"ttcf":  # a collection: read its first font
        (offset,) = struct.unpack_from(">I", data, 12)
    else:
        offset = 0
    (num_tables,) = struct.unpack_from(">H", data, offset + 4)
    cmap_offset = None
    for i in range(num_tables):
        tag, _, table_offset, _ = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        if tag == b"cmap":
            cmap_offset = table_offset
            break
    if cmap_offset is None:
        return frozenset()
    (_, count) = struct.unpack_from(">HH", data, cmap_offset)
    codepoints: set[int] = set()
    for i in range(count):
        platform, encoding, sub_offset = struct.unpack_from(">HHI", data, cmap_offset + 4 + 8 * i)
        if (platform, encoding) not in {(3, 1), (3, 10), (0, 3), (0, 4), (0, 6)}:
            continue
        start = cmap_offset + sub_offset
        (fmt,) = struct.unpack_from(">H", data, start)
        if fmt == 4:
            codepoints |= _format4(data, start)
        elif fmt == 12:
            codepoints |= _format12(data, start)
    return frozenset(codepoints)


def _format4(data: bytes, start: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", data, start + 6)
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", data, start + 14)
    starts = struct.unpack_from(f">{segs}H", data, start + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", data, start + 16 + 2 * seg_x2)
    range_offsets_at = start + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{segs}H", data, range_offsets_at)
    result: set[int] = set()
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if range_offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_offsets_at + 2 * i + range_offsets[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", data, at)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                result.add(code)
    return result


def _format12(data: bytes, start: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", data, start + 12)
    result: set[int] = set()
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", data, start + 16 + 12 * i)
        result.update(range(first + (1 if glyph == 0 else 0), last + 1))
    return result
