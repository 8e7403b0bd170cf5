"""The RIFF container of a SoundFont: find the INFO, sdta and pdta lists and the chunks inside them."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from free_music_ai.errors import SoundFontError


@dataclass(frozen=True)
class Chunk:
    offset: int  # of the data, from the start of the file
    size: int


def read_chunks(data: memoryview, name: str) -> dict[str, Chunk]:
    """Every chunk of the 'sfbk' form, by name: LIST children are named by their 4-character id (smpl, phdr...)."""
    if len(data) < 12 or bytes(data[:4]) != b"RIFF" or bytes(data[8:12]) != b"sfbk":
        raise SoundFontError(f"{name} is not a SoundFont (no RIFF sfbk header). Use an .sf2 or .sf3 file.")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = min(len(data), 8 + riff_size)
    chunks: dict[str, Chunk] = {}
    _walk(data, 12, end, chunks, name)
    for required in ("smpl", "phdr", "pbag", "pgen", "inst", "ibag", "igen", "shdr"):
        if required not in chunks:
            raise SoundFontError(f"{name} is incomplete: its '{required}' chunk is missing. The file may be truncated.")
    return chunks


def _walk(data: memoryview, start: int, end: int, chunks: dict[str, Chunk], name: str) -> None:
    pos = start
    while pos + 8 <= end:
        chunk_id = bytes(data[pos : pos + 4]).decode("latin-1")
        (size,) = struct.unpack_from("<I", data, pos + 4)
        body = pos + 8
        if body + size > len(data):
            raise SoundFontError(f"{name} is truncated: chunk '{chunk_id.strip()}' runs past the end of the file.")
        if chunk_id == "LIST":
            _walk(data, body + 4, body + size, chunks, name)
        else:
            chunks.setdefault(chunk_id.strip(), Chunk(body, size))  # unknown chunks are kept and never read
        pos = body + size
        # RIFF pads odd chunks to even sizes, but some SoundFont writers skip the pad byte: the next chunk
        # starts wherever a header fits inside the parent (MuseScore_General_Lite.sf3 has one such chunk).
        if size & 1 and (_fits(data, pos + 1, end) or not _fits(data, pos, end)):
            pos += 1


def _fits(data: memoryview, pos: int, end: int) -> bool:
    if pos + 8 > end:
        return pos >= end
    raw = bytes(data[pos : pos + 4])
    (size,) = struct.unpack_from("<I", data, pos + 4)
    return all(32 <= b < 127 for b in raw) and pos + 8 + size <= end
