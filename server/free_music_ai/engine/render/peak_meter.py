"""The true peak of a long sound handed over in pieces, with a bounded memory: what a file's decoder gives, or a
stretch of it (the encoder measures each of its stretches where it made it, on its own core)."""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.loudness import true_peak_db

MEASURED_AT_ONCE = 480_000  # samples decoded and measured at a time: 10 s at 48 kHz, whatever the file's length
# samples read on either side of a join, past the oversampling filter's reach (16): the end of the stretch before,
# and the last samples fed, measured once the next ones come
HISTORY = 64


class PeakMeter:
    """Feed channel-first float blocks in order; ``peak_db`` is the true peak (dBTP) of all of them but the first
    ``lead`` and the last ``tail`` samples, which are only read: a stretch of a longer sound, its neighbours' samples
    around it (at most HISTORY each side)."""

    def __init__(self, workers: int | None = None, *, lead: int = 0, tail: int = 0) -> None:
        self.workers = workers  # cores for each measurement (1 where the caller runs one meter per core)
        self.tail = min(tail, HISTORY)
        self._peak = -math.inf
        self._pending: list[np.ndarray] = []
        self._held = 0
        self._history = np.zeros((2, 0), dtype=np.float32)
        # of the history, the samples already measured or only read (the rest is measured with what comes next); at
        # first, those of the sound before
        self._read = lead

    def feed(self, block: np.ndarray) -> None:
        self._pending.append(block.astype(np.float32, copy=False))
        self._held += block.shape[1]
        if self._held >= MEASURED_AT_ONCE:
            self._measure()

    def peak_db(self) -> float:
        if self._held or self._history.shape[1] > self._read + self.tail:
            self._measure(last=True)
        return self._peak

    def _measure(self, *, last: bool = False) -> None:
        stretch = np.concatenate([self._history, *self._pending], axis=1)
        length = stretch.shape[1]
        # the last samples once what follows is here (the sound's own last ones, where a neighbour's follow, never)
        until = max(self._read, length - (self.tail if last else HISTORY))
        peak = true_peak_db(np.ascontiguousarray(stretch), channels_first=True, workers=self.workers,
                            context=self._read, until=until)  # fmt: skip
        self._peak = max(self._peak, peak)
        kept = length - max(0, until - HISTORY)  # the samples read again: those measured, and those still to be
        self._history, self._pending, self._held = stretch[:, length - kept :], [], 0
        self._read = until - (length - kept)
