"""The waveforms a synthesizer has rendered, kept for the notes that play them again, bounded in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

# Room for every waveform of a minute of music on a stereo font (MuseScore_General's piano: four voices a note,
# two layers of a stereo pair, 190 MB for a minute of solo piano): a cache too small for one piece renders
# again in the mix what it evicted, which tripled the time of that piece.
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024


class WaveformCache:
    """Least-recently-used waveforms, bounded in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self._items: OrderedDict[tuple[object, ...], np.ndarray] = OrderedDict()
        self._bytes = 0
        self.max_bytes = max_bytes
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
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes
