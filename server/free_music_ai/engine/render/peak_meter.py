"""The true peak of a long sound handed over in pieces, with a bounded memory: what a file's decoder gives, or a
stretch of it (the encoder measures each of its stretches where it made it, on its own core)."""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.loudness import true_peak_db

MEASURED_AT_ONCE = 480_000  # samples decoded and measured at a time: 10 s at 48 kHz, whatever the file's length
HISTORY = 64  # samples of the stretch before: the oversampling filter's reach, so a peak between stretches counts


class PeakMeter:
    """Feed channel-first float blocks in order; ``peak_db`` is the true peak (dBTP) of all of them."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers  # cores for each measurement (1 where the caller runs one meter per core)
        self._peak = -math.inf
        self._pending: list[np.ndarray] = []
        self._held = 0
        self._history = np.zeros((2, 0), dtype=np.float32)

    def feed(self, block: np.ndarray) -> None:
        self._pending.append(block.astype(np.float32, copy=False))
        self._held += block.shape[1]
        if self._held >= MEASURED_AT_ONCE:
            self._measure()

    def peak_db(self) -> float:
        if self._held:
            self._measure()
        return self._peak

    def _measure(self) -> None:
        stretch = np.concatenate([self._history, *self._pending], axis=1)
        peak = true_peak_db(np.ascontiguousarray(stretch), channels_first=True, workers=self.workers)
        self._peak = max(self._peak, peak)
        self._history, self._pending, self._held = stretch[:, -HISTORY:], [], 0
