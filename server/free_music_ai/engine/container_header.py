"""How many index entries a video file claims, read from its headers before a demuxer indexes it.

A demuxer keeps an index entry (24 bytes or more) for every sample the sample tables claim, and the tables can
claim samples that cost no bytes: one stts entry and a constant stsz size say "85 million frames" in 20 bytes,
and FFmpeg allocates 3 GB for that 79 KB file before it finds the data missing. Walking the boxes (their
headers and a few counts; only stts's entries are read, and they are in the file) tells the claim at the cost
of a few reads. Fragmented files (moof/trun) claim samples the same way and are counted the same way. All
tracks count together: FFmpeg takes up to 1,000 streams, and each may have its own index.

Matroska and WebM spell out every index entry (a cue point, about 20 bytes) but the demuxer keeps five times
that in memory once it reads them (at the first seek): a 500 MB file of cues would take 2.6 GB, so the size of
the Cues is read from the element headers too. AVI's index (idx1, 16 bytes an entry, and OpenDML's standard
indexes, 8) costs 1.7 to 3 times its bytes once read: its entries are counted the same way. The other
containers accepted (MP3, WAV, AAC, GIF and the pictures) keep no index beyond FFmpeg's bounded one
(max_index_size); any other is refused once opened, and opening reads at most FFmpeg's probe size.
"""

from __future__ import annotations

import contextlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from free_music_ai.errors import TooManySamples, UnsupportedFormat
from free_music_ai.limits import MAX_INDEXED_SAMPLES, MAX_SOUND_SAMPLES, MAX_TIMELINE_S

# the first box of an ISO media file (MP4, MOV, M4A, 3GP): what FFmpeg's mov demuxer takes it for too
_FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid", b"styp", b"sidx", b"moof"}
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"moof", b"traf", b"edts", b"mvex"}
_STTS_READ = 64 * 1024  # bytes of stts entries read at a time
_EBML, _SEGMENT, _CUES = 0x1A45DFA3, 0x18538067, 0x1C53BB6B
CUE_POINT_MIN_BYTES = 12  # the smallest cue point (time, track, cluster position): its count is at most bytes/12


@dataclass(frozen=True)
class IndexClaim:
    samples: int  # the samples of all tracks a demuxer indexes one by one (or cue points, or index entries)
    sound_samples: int  # the samples of all uncompressed-sound tracks (PCM: indexed by chunk, not by sample)
    boxes: int  # boxes walked; the walk stops when any count passes the caller's limit
    compressed_header: bool  # a zlib-compressed movie header (cmov), unpacked whole by the demuxer


@dataclass
class _Track:
    sound: bool = False
    stsz: int = 0
    stts: int = 0
    stts_entries: int = 0
    stts_first_delta: int = 0

    @property
    def samples(self) -> int:
        return max(self.stsz, self.stts)

    @property
    def pcm(self) -> bool:
        """FFmpeg's own test: a sound track whose one stts entry lasts one tick is uncompressed sound."""
        return self.sound and self.stts_entries == 1 and self.stts_first_delta == 1


class _Enough(Exception):
    """A count passed the limit: the rest of the file need not be walked."""


@dataclass
class _Walk:
    file: BinaryIO
    stop_at: int
    boxes: int = 0
    samples: int = 0
    sound_samples: int = 0
    compressed: bool = False
    track: _Track | None = None

    def walk(self, start: int, end: int) -> None:
        at = start
        while at + 8 <= end:
            self.file.seek(at)
            header = self.file.read(16)
            if len(header) < 8:
                return
            size, kind = struct.unpack(">I4s", header[:8])
            head = 8
            if size == 1 and len(header) == 16:
                size, head = struct.unpack(">Q", header[8:16])[0], 16
            elif size == 0:  # the last box runs to the end
                size = end - at
            if size < head:  # damaged: what follows is the demuxer's to refuse
                return
            self.boxes += 1
            self._enough(self.boxes)
            self._box(kind, at + head, min(at + size, end))
            at += size

    def _box(self, kind: bytes, start: int, end: int) -> None:
        if kind == b"trak":
            self.track = _Track()
            self.walk(start, end)
            if self.track.pcm:
                self.sound_samples += self.track.samples
            else:
                self.samples += self.track.samples
                self._enough(self.samples)
            self.track = None
        elif kind in _CONTAINERS:
            self.walk(start, end)
        elif kind == b"cmov":
            self.compressed = True
            raise _Enough
        elif kind == b"trun":  # a fragment's run of samples, of whichever track
            self.samples += self._u32(start, 4)
            self._enough(self.samples)
        elif self.track is not None:
            self._table(kind, start, end)

    def _table(self, kind: bytes, start: int, end: int) -> None:
        assert self.track is not None
        if kind == b"hdlr":  # the media's handler says "soun"; a MOV's data handler after it says "alis"
            self.file.seek(start + 8)
            self.track.sound = self.track.sound or self.file.read(4) == b"soun"
        elif kind in (b"stsz", b"stz2"):
            self.track.stsz = self._u32(start, 8)
        elif kind == b"stts":
            self._stts(start, end)

    def _stts(self, start: int, end: int) -> None:
        """The sum of the entries' sample counts, over the entries the file really holds."""
        assert self.track is not None
        entries = min(self._u32(start, 4), max(0, end - start - 8) // 8)
        self.track.stts_entries = entries
        self.file.seek(start + 8)
        total, left = 0, entries
        while left > 0:
            chunk = self.file.read(min(left, _STTS_READ // 8) * 8)
            if len(chunk) < 8:
                break
            count = len(chunk) // 8
            pairs = struct.unpack(f">{2 * count}I", chunk[: 8 * count])
            if left == entries:
                self.track.stts_first_delta = pairs[1]
            total += sum(pairs[0::2])
            left -= count
        self.track.stts = total

    def _u32(self, start: int, offset: int) -> int:
        self.file.seek(start + offset)
        data = self.file.read(4)
        return int(struct.unpack(">I", data)[0]) if len(data) == 4 else 0

    def _enough(self, count: int) -> None:
        if count > self.stop_at:
            raise _Enough


def read_index_claim(path: Path, stop_at: int) -> IndexClaim | None:
    """What an MP4/MOV or Matroska file's headers claim, or None when it is neither. The walk stops as soon as
    a count passes ``stop_at``: the claim is then at least that large, which is all a refusal needs to know."""
    try:
        with path.open("rb") as file:
            head = file.read(8)
            if head[:4] == _EBML.to_bytes(4, "big"):
                return _matroska_claim(file, stop_at)
            if head[:4] == b"RIFF" and file.read(4) == b"AVI ":
                return _avi_claim(file, stop_at)
            if len(head) < 8 or head[4:8] not in _FIRST_BOXES:
                return None
            walk = _Walk(file, stop_at)
            with contextlib.suppress(_Enough):
                walk.walk(0, file.seek(0, 2))
    except (OSError, struct.error):
        return None
    return IndexClaim(walk.samples, walk.sound_samples, walk.boxes, walk.compressed)


def _matroska_claim(file: BinaryIO, stop_at: int) -> IndexClaim:
    """The cue points a Matroska file's Cues can hold (their bytes over the smallest cue point's), walking the
    segment's top-level elements by their sizes; an element of unknown size (a live stream's cluster) ends the
    walk, as nothing after it can be found without reading it."""
    end = file.seek(0, 2)
    at, elements, cues = 0, 0, 0
    while at < end and elements <= stop_at and cues // CUE_POINT_MIN_BYTES <= stop_at:
        file.seek(at)
        try:
            element, size, head = _element(file)
        except (struct.error, IndexError):  # damaged: what follows is the demuxer's to refuse
            break
        if size is None and element != _SEGMENT:
            break
        elements += 1
        cues += size if element == _CUES and size is not None else 0
        at += head if element == _SEGMENT else head + (size or 0)  # into the segment, over anything else
    return IndexClaim(cues // CUE_POINT_MIN_BYTES, 0, elements, False)


def _avi_claim(file: BinaryIO, stop_at: int) -> IndexClaim:
    """The entries of an AVI's index: idx1's (16 bytes each) and those of the standard indexes each stream's
    super index (indx, in its header list) points at (as many as each says it holds, up to its size)."""
    end = file.seek(0, 2)
    entries, chunks, at, ends = 0, 0, 12, [end]
    while at + 8 <= ends[-1] and chunks <= stop_at and entries <= stop_at:
        file.seek(at)
        kind, size = struct.unpack("<4sI", file.read(8))  # 8 bytes are there: the loop's condition
        chunks += 1
        if kind == b"LIST" and file.read(4) in (b"hdrl", b"strl"):  # into the headers, over the data (movi)
            ends.append(at + 8 + size)
            at += 12
            continue
        if kind == b"idx1":
            entries += size // 16
        elif kind == b"indx":
            try:
                entries += _avi_standard_indexes(file, at + 8, stop_at)
            except struct.error:  # cut short: the entries counted so far stand
                break
        at += 8 + size + (size & 1)
        while len(ends) > 1 and at >= ends[-1]:
            ends.pop()
    return IndexClaim(entries, 0, chunks, False)


def _avi_standard_indexes(file: BinaryIO, start: int, stop_at: int) -> int:
    file.seek(start)
    longs, _, index_type, used = struct.unpack("<HBBI", file.read(8))
    if index_type != 0 or longs != 4:  # not an index of indexes: its entries are in the file, counted by bytes
        return 0
    file.seek(start + 24)
    pointers = [struct.unpack("<QII", file.read(16))[0] for _ in range(min(used, stop_at))]
    entries = 0
    for offset in pointers:  # each points at an ix## chunk: its entries (8 bytes each) as it counts them
        file.seek(offset + 4)
        head = file.read(12)
        if len(head) < 12:
            continue
        size, used_there = struct.unpack("<I4xI", head)
        entries += min(used_there, max(0, size - 24) // 8)
        if entries > stop_at:
            break
    return entries


def _element(file: BinaryIO) -> tuple[int, int | None, int]:
    """The id, size (None: unknown) and header length of the EBML element at the file's position."""
    head = file.read(12)
    if len(head) < 2 or not head[0]:
        raise struct.error("not an element")
    id_length = 9 - head[0].bit_length()
    if not head[id_length]:
        raise struct.error("bad element size")
    size_length = 9 - head[id_length].bit_length()
    size_bytes = bytes([head[id_length] & (0xFF >> size_length)]) + head[id_length + 1 : id_length + size_length]
    size = int.from_bytes(size_bytes, "big")
    unknown = size == (1 << (7 * size_length)) - 1
    return int.from_bytes(head[:id_length], "big"), None if unknown else size, id_length + size_length


def check_sample_tables(file: Path) -> None:
    """Refuse, with what to do, a video or sound file whose index would take more memory than the limits
    allow (MP4/MOV sample tables, Matroska cues), before a demuxer builds that index."""
    claim = read_index_claim(file, MAX_INDEXED_SAMPLES)
    if claim is None:
        return
    if claim.compressed_header:
        raise UnsupportedFormat(f"{file.name} has a compressed movie header (an old QuickTime form) that we do not "
                                "unpack. Re-mux it into a plain MP4 (ffmpeg -i IN -c copy OUT.mp4), then try "
                                "again.")  # fmt: skip
    minutes = MAX_TIMELINE_S // 60
    if claim.samples > MAX_INDEXED_SAMPLES or claim.boxes > MAX_INDEXED_SAMPLES:
        what = "samples (index entries)" if claim.samples > MAX_INDEXED_SAMPLES else "boxes"
        raise TooManySamples(f"{file.name} claims more than {MAX_INDEXED_SAMPLES:,} {what}, more than a {minutes}-"
                             f"minute video holds even at 1,000 frames a second: its index is damaged, or the file "
                             f"is far too long. Trim it to at most {minutes} minutes, or re-mux it "
                             "(ffmpeg -i IN -c copy OUT.mp4), and try again.")  # fmt: skip
    if claim.sound_samples > MAX_SOUND_SAMPLES:
        raise TooManySamples(f"{file.name} claims {claim.sound_samples:,} sound samples, more than "
                             f"{minutes} minutes hold even at 192 kHz: its sample tables are damaged, or the file "
                             f"is far too long. Trim it to at most {minutes} minutes, or convert its sound to "
                             "AAC.")  # fmt: skip
