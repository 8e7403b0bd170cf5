"""Per-frame features of one stretch of video, computed a batch of small pictures at a time.

A dozen numpy calls per frame cost more in Python than in arithmetic, and every one holds the GIL that the
other decoding threads wait for; one call per batch does the same arithmetic and leaves the cores to the
decoders. The results are those of frame-by-frame code: the same formulas, batch boundaries bridged by
the previous frame and the last second of pictures.
"""

from __future__ import annotations

import numpy as np

Row = tuple[float, float, float, float, float, float, float]  # time, luma, contrast, chroma, warmth, motion, change
BATCH = 48  # pictures per batch: about 1.5 MB of small planes
HALF_SPAN_S = 0.5  # the long change compares pictures this far either side of a moment (dissolves)
WINDOW_S = 2 * HALF_SPAN_S + 0.05  # how far back a picture is kept for it
LATE_S = 0.1  # the picture a second back may be this much later than exactly a second back


class SpanFeatures:
    """Feed small Y, U and V planes (uint8, same shape) in display order; read ``rows`` and ``long_changes``."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self._long: dict[int, float] = {}
        self._pending: list[tuple[float, np.ndarray, np.ndarray, np.ndarray]] = []
        self._previous: tuple[float, np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._recent: list[tuple[float, int, np.ndarray]] = []  # (time, row index, luma) of the last second

    def add(self, time: float, planes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """The frame shown at ``time``, as its small Y, U and V planes."""
        y, u, v = planes  # copies: the decoder reuses the memory of a frame's planes
        self._pending.append((time, np.array(y), np.array(u), np.array(v)))
        if len(self._pending) >= BATCH:
            self.flush()

    def long_changes(self) -> list[float]:
        """How different the pictures half a second before and after each frame are (0 where unknown)."""
        self.flush()
        return [self._long.get(k, 0.0) for k in range(len(self.rows))]

    def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        count = len(batch)
        times = np.array([b[0] for b in batch])
        y8 = np.stack([b[1] for b in batch])
        y = y8.astype(np.float32)
        u = np.stack([b[2] for b in batch]).astype(np.float32) - 128
        v = np.stack([b[3] for b in batch]).astype(np.float32) - 128
        # the cumulative histogram: its L1 distance is the earth mover's distance, which grows smoothly as a
        # picture brightens (a flat grey frame crossing a bin edge must not look like a cut)
        bins = (y8.reshape(count, -1) >> 4).astype(np.intp) + 16 * np.arange(count)[:, None]
        hist = np.cumsum(np.bincount(bins.ravel(), minlength=16 * count).reshape(count, 16), axis=1) / y8[0].size
        # each picture against the one before (the first of a stretch against itself: no change)
        last_t, last_y, last_u, last_v, last_h = self._previous or (times[0], y[0], u[0], v[0], hist[0])
        before_t = np.concatenate([[last_t], times[:-1]])
        luma = np.abs(y - np.concatenate([last_y[None], y[:-1]])).mean(axis=(1, 2))
        colour = (np.abs(u - np.concatenate([last_u[None], u[:-1]])).mean(axis=(1, 2))
                  + np.abs(v - np.concatenate([last_v[None], v[:-1]])).mean(axis=(1, 2)))  # fmt: skip
        change = luma + colour + 8 * np.abs(hist - np.concatenate([last_h[None], hist[:-1]])).sum(axis=1)
        motion = luma / 255 / np.maximum(1 / 60, times - before_t) / 30  # per frame at 30 fps
        brightness, contrast = y.mean(axis=(1, 2)) / 255, y.std(axis=(1, 2)) / 128
        chroma = (np.abs(u) + np.abs(v)).mean(axis=(1, 2)) / 181
        warmth = np.clip((v - u).mean(axis=(1, 2)) / 128, -1.0, 1.0)
        first = len(self.rows)
        self.rows += [(float(times[k]), float(brightness[k]), float(contrast[k]), float(chroma[k]), float(warmth[k]),
                       float(motion[k]), float(change[k])) for k in range(count)]  # fmt: skip
        self._long_changes(times, y, first)
        self._previous = (float(times[-1]), y[-1], u[-1], v[-1], hist[-1])

    def _long_changes(self, times: np.ndarray, luma: np.ndarray, first: int) -> None:
        """For each new picture: score the frame half a second back with the picture a second back."""
        known = self._recent + [(float(times[k]), first + k, luma[k]) for k in range(len(times))]
        at = np.array([entry[0] for entry in known])
        now = at[len(self._recent) :]
        oldest = np.searchsorted(at, now - WINDOW_S, side="left")  # the first picture of the last second
        middle = np.searchsorted(at, now - HALF_SPAN_S, side="right") - 1  # the frame half a second back
        scored = np.flatnonzero(at[oldest] <= now - 2 * HALF_SPAN_S + LATE_S)
        if len(scored):
            then = np.stack([known[oldest[k]][2] for k in scored])
            values = np.abs(luma[scored] - then).mean(axis=(1, 2))
            for k, value in zip(scored, values, strict=True):
                self._long.setdefault(known[middle[k]][1], float(value))  # the first score of a frame stands
        self._recent = [entry for entry in known if entry[0] >= now[-1] - WINDOW_S]
