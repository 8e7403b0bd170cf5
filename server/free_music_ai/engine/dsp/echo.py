"""Time effects on a bus: a feedback echo and a stereo chorus.

The echo's recursion w[n] = x[n - D] + feedback * w[n - D] only looks D samples back, so it is worked out D
samples at a time, each stretch from the one before.
"""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.grid_lines import grid_lines

SWING_STEP = 32  # the swing bends by ~1e-9 of a sample per sample squared: straight lines over 32 are exact enough


class Echo:
    """Repeats of the signal every ``delay_s``, each ``feedback`` as loud as the one before, mixed in at ``mix``
    (the dry signal at 1 - ``mix``)."""

    def __init__(self, delay_s: float, feedback: float, mix: float, *, rate: int, channels: int = 2) -> None:
        self.delay = max(1, round(delay_s * rate))
        self.feedback, self.mix = np.float32(feedback), np.float32(mix)
        self.line = np.zeros((channels, self.delay), dtype=np.float32)  # the last D samples of x + feedback * w

    def __call__(self, block: np.ndarray) -> np.ndarray:
        channels, n = block.shape
        delay = self.delay
        # v[n] = x[n] + feedback * v[n - D] is what the line holds; the echo heard is w[n] = v[n - D]. Row by
        # row of D samples, each row needs only the one before.
        held = np.empty((channels, delay + n), dtype=np.float32)
        held[:, :delay] = self.line
        for first in range(0, n, delay):
            last = min(n, first + delay)
            np.multiply(held[:, first:last], self.feedback, out=held[:, delay + first : delay + last])
            held[:, delay + first : delay + last] += block[:, first:last]
        self.line = held[:, n:].copy()
        out = block * (np.float32(1.0) - self.mix)
        heard = held[:, :n]  # no longer needed as it is: scaled where it lies
        heard *= self.mix
        out += heard
        return out


class Chorus:
    """Each side read at its own slowly swinging delay (a quarter cycle apart), mixed with the dry signal. The
    swing follows the piece's clock from ``start`` (the sample the first block begins at), so a stretch played
    on another core swings as it would in one pass."""

    def __init__(self, rate_hz: float, centre_s: float, depth_s: float, *, mix: float, rate: int, start: int = 0,
                 channels: int = 2) -> None:  # fmt: skip
        self.rate_hz, self.centre, self.depth = rate_hz, centre_s * rate, depth_s * rate
        self.mix, self.rate = mix, rate
        self.behind = math.ceil(self.centre + self.depth) + 2
        self.history = np.zeros((channels, self.behind), dtype=np.float32)
        self.position = start  # the piece's clock

    def __call__(self, block: np.ndarray) -> np.ndarray:
        channels, n = block.shape
        line = np.concatenate([self.history, block], axis=1)
        # the swing worked out every SWING_STEP samples of the piece's clock and followed in straight lines
        anchor = self.position // SWING_STEP * SWING_STEP
        skip = self.position - anchor
        points = (anchor + SWING_STEP * np.arange(-(-(skip + n) // SWING_STEP) + 1, dtype=np.float64)) / self.rate
        here = np.arange(self.behind, self.behind + n, dtype=np.float64)
        out = np.empty_like(block)
        for side in range(channels):
            swing = np.sin(2.0 * math.pi * self.rate_hz * points + side * math.pi / 2.0)
            at = read_at(here, grid_lines(self.centre + self.depth * swing, SWING_STEP, skip=skip, length=n))
            wet = read_between(line[side], *at)
            wet *= np.float32(self.mix)
            np.multiply(block[side], np.float32(1.0 - self.mix), out=out[side])
            out[side] += wet
        self.history = line[:, -self.behind :].copy()
        self.position += n
        return out


def read_at(here: np.ndarray, delay: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where a delay line is read ``delay`` samples behind ``here``: the sample before (never negative where the
    line's history is longer than the longest delay) and the share of the one after (float32). Worked in
    ``delay``'s own array: no second one the length of the block."""
    at = np.subtract(here, delay, out=delay)
    index = at.astype(np.int64)
    at -= index
    return index, at.astype(np.float32)


def read_between(line: np.ndarray, index: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Mono ``line`` read between each sample at ``index`` and the next by a straight line: left + share * (right -
    left), worked in one array."""
    left = line[index]
    wet: np.ndarray = line[1:][index]  # the sample after each: line[index + 1] without a second array of indices
    wet -= left
    wet *= share
    wet += left
    return wet
