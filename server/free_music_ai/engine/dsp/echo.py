"""Time effects on a bus: a feedback echo and a stereo chorus.

The echo's recursion w[n] = x[n - D] + feedback * w[n - D] only looks D samples back, so the block is laid out
in rows of D samples and the recursion runs down the columns: one first-order filter over the rows, in C.
"""

from __future__ import annotations

import math

import numpy as np


class Echo:
    """Repeats of the signal every ``delay_s``, each ``feedback`` as loud as the one before, mixed in at ``mix``
    (the dry signal at 1 - ``mix``)."""

    def __init__(self, delay_s: float, feedback: float, mix: float, rate: int, channels: int = 2) -> None:
        self.delay = max(1, round(delay_s * rate))
        self.feedback, self.mix = feedback, mix
        self.line = np.zeros((channels, self.delay), dtype=np.float64)  # the last D samples of x + feedback * w

    def __call__(self, block: np.ndarray) -> np.ndarray:
        from scipy.signal import lfilter

        channels, n = block.shape
        delay = self.delay
        rows = -(-n // delay)
        padded = np.zeros((channels, rows * delay), dtype=np.float64)
        padded[:, :n] = block
        # v[n] = x[n] + feedback * v[n - D] is what the line holds; the echo heard is w[n] = v[n - D]
        columns = padded.reshape(channels, rows, delay)
        held, _ = lfilter([1.0], [1.0, -self.feedback], columns, axis=1, zi=self.feedback * self.line[:, None, :])
        held = held.reshape(channels, rows * delay)[:, :n]
        heard = np.concatenate([self.line, held], axis=1)[:, :n]
        self.line = np.concatenate([self.line, held], axis=1)[:, -delay:]
        return (block * np.float32(1.0 - self.mix) + heard * self.mix).astype(np.float32)


class Chorus:
    """Each side read at its own slowly swinging delay (a quarter cycle apart), mixed with the dry signal. The
    swing follows the piece's clock from ``start`` (the sample the first block begins at), so a stretch played
    on another core swings as it would in one pass."""

    def __init__(self, rate_hz: float, centre_s: float, depth_s: float, mix: float, rate: int, start: int = 0,
                 channels: int = 2) -> None:  # fmt: skip
        self.rate_hz, self.centre, self.depth = rate_hz, centre_s * rate, depth_s * rate
        self.mix, self.rate = mix, rate
        self.behind = math.ceil(self.centre + self.depth) + 2
        self.history = np.zeros((channels, self.behind), dtype=np.float32)
        self.position = start  # the piece's clock

    def __call__(self, block: np.ndarray) -> np.ndarray:
        channels, n = block.shape
        line = np.concatenate([self.history, block], axis=1)
        t = (self.position + np.arange(n, dtype=np.float64)) / self.rate
        out = np.empty_like(block)
        for side in range(channels):
            swing = np.sin(2.0 * math.pi * self.rate_hz * t + side * math.pi / 2.0)
            at = np.arange(self.behind, self.behind + n, dtype=np.float64) - (self.centre + self.depth * swing)
            index = at.astype(np.int64)
            share = (at - index).astype(np.float32)
            left = line[side, index]
            wet = left + share * (line[side, index + 1] - left)
            out[side] = block[side] * np.float32(1.0 - self.mix) + wet * np.float32(self.mix)
        self.history = line[:, -self.behind :].copy()
        self.position += n
        return out
