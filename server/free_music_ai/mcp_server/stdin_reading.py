"""The stdio protocol's input as raw lines, each read under a bound, with nothing of the MCP SDK loaded.

Both the SDK's transport (stdio_lines.py) and the handshake answered before the SDK has loaded
(stdio_start.py) read lines this way, so a line past the limit costs a megabyte of memory either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

PIECE_BYTES = 1024 * 1024  # read at a time
KEPT_BYTES = 64 * 1024  # of an over-long line's start and end: where its method and id are


@dataclass(frozen=True)
class TooLong:
    """A line past the limit, read to its end and thrown away but for its two ends."""

    size: int
    head: bytes
    tail: bytes


@contextmanager
def claimed_stdin() -> Iterator[BinaryIO]:
    """The protocol's input; meanwhile fd 0 points at the null device, so no child process reads the protocol
    (the SDK's own stdio transport does the same), and it is given back at the end."""
    try:
        private = os.dup(0)
    except OSError:  # no descriptor to move: read the stream in place
        yield sys.stdin.buffer
        return
    try:
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.close(nothing)
        moved = True
    except OSError:  # fd 0 keeps the protocol: read it through the copy all the same
        moved = False
    try:
        # never closed: a reading thread may still wait on it after the server stops (closefd=False)
        yield os.fdopen(private, "rb", closefd=False)
    finally:
        if moved:
            os.dup2(private, 0)


def read_line(binary: BinaryIO, limit: int) -> bytes | TooLong | None:
    """The next line (with its newline, if it had one) when it has at most ``limit`` bytes, a TooLong when it
    has more, None at the end of the input."""
    pieces: list[bytes] = []
    size = 0
    while size <= limit:
        piece = binary.readline(min(PIECE_BYTES, limit + 1 - size))
        if not piece:
            return b"".join(pieces) or None
        pieces.append(piece)
        size += len(piece)
        if piece.endswith(b"\n"):
            return b"".join(pieces)
    head, tail = _ends(pieces)
    pieces.clear()
    while not tail.endswith(b"\n"):  # read on to the line's end, keeping only its last bytes
        piece = binary.readline(PIECE_BYTES)
        if not piece:
            break
        size += len(piece)
        tail = (tail + piece)[-KEPT_BYTES:]
    return TooLong(size, head, tail)


def _ends(pieces: list[bytes]) -> tuple[bytes, bytes]:
    """The first and last KEPT_BYTES of the pieces, without joining them all."""
    head = bytearray()
    for piece in pieces:
        head += piece[: KEPT_BYTES - len(head)]
        if len(head) >= KEPT_BYTES:
            break
    tail = bytearray()
    for piece in reversed(pieces):
        tail[:0] = piece[-(KEPT_BYTES - len(tail)) :]
        if len(tail) >= KEPT_BYTES:
            break
    return bytes(head), bytes(tail)
