"""Full-length audio buffers that do not have to stay in memory.

A 20-minute piece is 460 MB of float32 stereo, and a long export holds two such buffers one after the other
(the music, then the mixed soundtrack): kept in RAM they were most of the process's peak. A long buffer is
therefore a shared mapping of a file, and the code that fills or reads it a block at a time hands each block's
pages back once it is done with them (``hand_back``): the kernel keeps them in its page cache (or writes them
out), and the next pass over the buffer maps them again. Measured on a 20-minute buffer, three passes cost
0.21 s instead of 0.15 s, and the process's resident memory for it falls from 474 MB to a few blocks.

The file's space is reserved before anything is written (posix_fallocate), so a full disk is an OSError when
the buffer is made, never a SIGBUS in the middle of a render. Where the system lacks either call (macOS,
Windows), and for short buffers, the buffer is an ordinary array and ``hand_back`` does nothing.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np

PAGED_FROM_BYTES = 96 * 1024 * 1024  # about 4 minutes of stereo at 48 kHz; shorter buffers stay in memory
# A fault maps the whole page-cache folio around it (up to 2 MB on Linux 6 file systems), so a pass that hands
# back only what it read leaves a folio behind at each end: 100 MB over a 20-minute buffer, measured
AROUND = 2 * 1024 * 1024
_DTYPE = np.dtype("<f4")


class _PagedArray(np.ndarray):
    """An (n, 2) float32 array over a file mapping, which knows its mapping (a plain ndarray does not)."""

    mapping: mmap.mmap | None
    data_offset: int  # where the samples start in the mapping (after the .npy header)
    address: int  # where they start in memory
    path: Path | None  # the file, unless it is an anonymous one

    def __array_finalize__(self, obj: Any) -> None:
        # views and results of arithmetic inherit these; ``hand_back`` only trusts the buffer itself
        self.mapping = getattr(obj, "mapping", None)
        self.data_offset = getattr(obj, "data_offset", 0)
        self.address = getattr(obj, "address", 0)
        self.path = getattr(obj, "path", None)


def can_page() -> bool:
    return hasattr(os, "posix_fallocate") and hasattr(mmap, "MADV_DONTNEED")


def stereo_buffer(frames: int, file: Path | None = None) -> np.ndarray:
    """A zeroed (frames, 2) float32 buffer. A long one lives in ``file`` (written as a complete .npy, so it
    can be renamed into place once filled) or, without one, in an anonymous temporary file."""
    size = frames * 2 * _DTYPE.itemsize
    if size < PAGED_FROM_BYTES or not can_page():
        return np.zeros((frames, 2), dtype=np.float32)
    try:
        with file.open("w+b") if file is not None else tempfile.TemporaryFile() as handle:
            header = {"descr": np.lib.format.dtype_to_descr(_DTYPE), "fortran_order": False, "shape": (frames, 2)}
            np.lib.format.write_array_header_1_0(handle, header)
            offset = handle.tell()
            handle.flush()
            os.posix_fallocate(handle.fileno(), 0, offset + size)  # a full disk fails here, cleanly
            mapping = mmap.mmap(handle.fileno(), offset + size)  # the mapping keeps the file open
    except OSError:
        if file is not None:
            raise  # the caller's file: its disk is full, and the caller says so
        return np.zeros((frames, 2), dtype=np.float32)  # a small temporary folder: memory it is, as before
    samples = np.frombuffer(mapping, dtype=_DTYPE, count=frames * 2, offset=offset).reshape(frames, 2)
    paged = samples.view(_PagedArray)
    paged.mapping, paged.data_offset, paged.address, paged.path = mapping, offset, samples.ctypes.data, file
    return paged


def is_paged(audio: np.ndarray) -> TypeGuard[_PagedArray]:
    """Whether ``audio`` is a whole buffer that lives in a file (not a view of one, nor an array in memory)."""
    return isinstance(audio, _PagedArray) and audio.mapping is not None and audio.ctypes.data == audio.address


def file_of(audio: np.ndarray) -> Path | None:
    """The .npy file a buffer made by ``stereo_buffer(frames, file)`` lives in."""
    return audio.path if is_paged(audio) else None


def hand_back(audio: np.ndarray, first: int, last: int) -> None:
    """Let the kernel take back the pages of rows ``first:last`` of a buffer made by ``stereo_buffer``, and
    those within ``AROUND`` of them (their contents stay in its file); for anything else, nothing.

    A page handed back that someone still uses is only mapped again: a shared file mapping's page lives in the
    page cache, so a write before or after lands in the same page, and concurrent writers lose nothing."""
    if not is_paged(audio) or (mapping := audio.mapping) is None:
        return
    page = mmap.PAGESIZE
    row = 2 * _DTYPE.itemsize
    start = -(-max(0, audio.data_offset + first * row - AROUND) // page) * page
    end = min(len(mapping), audio.data_offset + last * row + AROUND) // page * page
    if end > start:
        mapping.madvise(mmap.MADV_DONTNEED, start, end - start)
