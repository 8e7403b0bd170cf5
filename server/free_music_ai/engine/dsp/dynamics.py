"""Dynamics: a compressor (with a sidechain: any signal may key it) and a brick-wall limiter.

Both follow a level that jumps up at once and falls back exponentially. That recursion, e[i] = max(x[i],
a * e[i - 1]), is the one a sample loop would compute; here it is worked out for a whole block at once in the
log domain, where it becomes a running maximum: log e[i] = (i + 1) log a + max(log e[-1], max over k <= i of
(log x[k] - (k + 1) log a)). The block's first value carries the state from the block before. The compressor
stays in the log domain (decibels are a scale of it) until its gain.
"""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.dsp.recursive import one_pole, running_min

FLOOR = 1e-12  # -240 dB: the log of silence
DB_PER_NEPER = 20.0 / math.log(10.0)


def released_log(level: np.ndarray, previous: float, release_s: float, *, rate: int) -> np.ndarray:
    """The natural log of the peak envelope of ``level`` (>= 0, float64): up at once, down by e every
    ``release_s`` seconds; ``previous`` is the envelope's log just before the block."""
    step = -1.0 / (release_s * rate)  # log a: the fall per sample
    ramp = np.arange(1, len(level) + 1, dtype=np.float64)
    ramp *= step
    peaks: np.ndarray = np.log(np.maximum(level, FLOOR))
    peaks -= ramp
    np.maximum.accumulate(peaks, out=peaks)
    np.maximum(peaks, previous, out=peaks)
    peaks += ramp
    return peaks


def block_peak(block: np.ndarray) -> np.ndarray:
    """The louder channel's magnitude at each sample of a channel-first block (or a mono one), float64. Taken in the
    block's own type and widened last (both exact): a third of the memory traffic of widening the block first."""
    magnitude = np.abs(block)
    return np.asarray(magnitude if magnitude.ndim == 1 else np.max(magnitude, axis=0), dtype=np.float64)


class Compressor:
    """Lowers what rises over ``threshold_db`` to 1/``ratio`` of its excess. Its detector follows the signal's
    magnitude through a low-pass of ``attack_s`` (a transient shorter than that barely registers, as a
    compressor's attack lets it through), then holds it and lets it fall over ``release_s``. Stereo-linked:
    both channels get one gain, so the image does not move. ``gain`` takes a key signal: the block itself, or a
    sidechain (the kick drum, for the pump of dance music)."""

    def __init__(self, threshold_db: float, ratio: float, attack_s: float, *, release_s: float, rate: int) -> None:
        self.threshold_db, self.slope = threshold_db, 1.0 - 1.0 / ratio
        self.release_s, self.rate = release_s, rate
        self.smooth = math.exp(-1.0 / (attack_s * rate))
        self.follower = 0.0  # the attack low-pass's state at the end of the block before
        self.envelope = math.log(FLOOR)  # the envelope's log at the end of the block before

    def gain(self, key: np.ndarray) -> np.ndarray:
        """The gain (float32, one per sample) the compressor applies while hearing ``key``."""
        peak = block_peak(key)
        peak *= 1.0 - self.smooth
        followed, state = one_pole(peak[None, :], self.smooth, np.array([self.follower]))
        followed = followed[0]
        self.follower = float(state[0])
        envelope = released_log(followed, self.envelope, self.release_s, rate=self.rate)
        self.envelope = float(envelope[-1])
        envelope *= DB_PER_NEPER
        envelope -= self.threshold_db
        reduction = np.maximum(envelope, 0.0, out=envelope)
        reduction *= -self.slope / DB_PER_NEPER
        gain: np.ndarray = np.exp(reduction).astype(np.float32)
        return gain

    def __call__(self, block: np.ndarray) -> np.ndarray:
        return np.asarray(block * self.gain(block), dtype=np.float32)


class BrickwallLimiter:
    """A gain that keeps every sample at or under ``ceiling_db``, looking ``lookahead`` samples ahead.

    The gain a sample needs is min(1, ceiling / |x|). Each point takes the least of what the next ``lookahead``
    samples need, recovers exponentially over ``release_s`` (as 1 - gain), and the gain applied is the mean of
    the last ``lookahead + 1`` of those: every term of that mean already covers the sample, so the mean does
    too, and the gain eases down over the lookahead instead of jumping (a jump would click)."""

    def __init__(self, ceiling_db: float, release_s: float, lookahead: int, *, rate: int) -> None:
        self.ceiling = 10.0 ** (ceiling_db / 20.0)
        self.release_s, self.rate, self.lookahead = release_s, rate, lookahead
        self.recovery = math.log(FLOOR)  # the log of 1 - the released gain just before the block
        self.history = np.ones(lookahead, dtype=np.float64)  # the released gains of the samples before

    def gain(self, peaks: np.ndarray) -> np.ndarray:
        """The gains (float64) of a block's samples, given the peaks of the block and of the ``lookahead``
        samples after it (``len(peaks) - lookahead`` gains; zeros beyond the end of the audio are fine)."""
        count, ahead = len(peaks) - self.lookahead, self.lookahead
        needed = np.minimum(1.0, self.ceiling / np.maximum(peaks, FLOOR))
        # the least need over [i, i + lookahead]: a window of lookahead + 1 placed to start at i
        soonest = running_min(needed, ahead + 1)[:count]
        recovery = np.exp(released_log(1.0 - soonest, self.recovery, self.release_s, rate=self.rate))
        self.recovery = math.log(max(float(recovery[-1]), FLOOR))
        gains = np.concatenate([self.history, 1.0 - recovery])
        totals = np.concatenate([[0.0], np.cumsum(gains)])
        mean = (totals[ahead + 1 :] - totals[:count]) / (ahead + 1)
        self.history = gains[count:]
        return np.asarray(mean, dtype=np.float64)
