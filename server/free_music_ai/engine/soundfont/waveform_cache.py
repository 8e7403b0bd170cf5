"""The waveforms a synthesizer has rendered, kept for the notes that play them again, bounded in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

# Room for every waveform of a minute of music on a stereo font (MuseScore_General's piano: four voices a note,
# two layers of a stereo pair, 190 MB for a minute of solo piano): a cache too small for one piece renders
# again in the mix what it evicted, which tripled the time of that piece.
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
# How far a synthesizer's own cache grows while it plays a piece whose waveforms all fit in that much and not in
# the default (``reserve``): a minute of cinematic on MuseScore_General needs 453 MB (its held strings ring for
# 20 s; one 5-second block of its climax reads 341 MB of them). In 256 MB the mix rendered its waveforms again and
# again, up to 28 times, on one core: 10.4 s of CPU against 4.3 s, for 120 MB more at its peak (560 -> 685 MB).
# A piece that needs more than this asks for room for what its mix reads at once (working_set.py), within this too.
PIECE_CACHE_BYTES = 512 * 1024 * 1024


class WaveformCache:
    """Least-recently-used waveforms, bounded in bytes. ``piece_bytes``: how far ``reserve`` may let it grow for
    the pieces playing (by default not at all)."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES, *, piece_bytes: int | None = None) -> None:
        self._items: OrderedDict[tuple[object, ...], np.ndarray] = OrderedDict()
        self._bytes = 0
        self.base_bytes = self.max_bytes = max_bytes
        self.piece_bytes = max(max_bytes, piece_bytes or max_bytes)
        self._reserved: dict[int, int] = {}  # bytes held for each piece playing, by its id
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[object, ...]) -> np.ndarray | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: tuple[object, ...], wave: np.ndarray) -> None:
        with self._lock:
            replaced = self._items.pop(key, None)  # a waveform grown longer takes the place of the shorter one
            if replaced is not None:
                self._bytes -= replaced.nbytes
            self._items[key] = wave
            self._bytes += wave.nbytes
            self._evict()

    def reserve(self, owner: int, needed: int) -> bool:
        """Room for all ``needed`` bytes of one piece's waveforms (``owner``: its id), held until ``release``: True
        when they fit, beside the other pieces playing, within ``piece_bytes``."""
        with self._lock:
            others = sum(size for held, size in self._reserved.items() if held != owner)
            if needed <= self.base_bytes and not others:
                return True
            if others + needed > self.piece_bytes:
                return False
            self._reserved[owner] = needed
            self.max_bytes = max(self.base_bytes, others + needed)
            return True

    def release(self, owner: int) -> None:
        """The piece ``owner`` is played: the room it held is given back, the least recently used let go."""
        with self._lock:
            if self._reserved.pop(owner, None) is None:
                return
            self.max_bytes = max(self.base_bytes, sum(self._reserved.values()))
            self._evict()

    def _evict(self) -> None:
        while self._bytes > self.max_bytes and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self._bytes -= old.nbytes
