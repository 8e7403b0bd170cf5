"""Effects in series and in parallel: a bus's or the master's chain."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from free_music_ai.engine.dsp.eq import Filter, Section

Effect = Callable[[np.ndarray], np.ndarray]  # channel-first float32 block in, the same shape out; keeps state


class Chain:
    """Effects one after another. Filters given next to each other are joined into one cascade (one pass)."""

    def __init__(self, stages: Sequence[Effect | Section]) -> None:
        self.effects: list[Effect] = []
        pending: list[Section] = []
        for stage in stages:
            if isinstance(stage, tuple):
                pending.append(stage)
                continue
            if pending:
                self.effects.append(Filter(pending))
                pending = []
            self.effects.append(stage)
        if pending:
            self.effects.append(Filter(pending))

    def __call__(self, block: np.ndarray) -> np.ndarray:
        for effect in self.effects:
            block = effect(block)
        return block


class Beside:
    """The signal plus a branch of it: a parallel effect (an exciter's harmonics added to the dry sound)."""

    def __init__(self, branch: Effect) -> None:
        self.branch = branch

    def __call__(self, block: np.ndarray) -> np.ndarray:
        return block + self.branch(block)


class Gain:
    def __init__(self, gain_db: float) -> None:
        self.gain = np.float32(10.0 ** (gain_db / 20.0))

    def __call__(self, block: np.ndarray) -> np.ndarray:
        return block * self.gain


class Saturation:
    """A soft clip: tanh of the signal driven ``drive_db`` into it (no make-up gain)."""

    def __init__(self, drive_db: float) -> None:
        self.drive = np.float32(10.0 ** (drive_db / 20.0))

    def __call__(self, block: np.ndarray) -> np.ndarray:
        driven = block * self.drive
        return np.tanh(driven, out=driven)


class Width:
    """The side (L - R) raised by ``side_db`` and the middle left as it is: a wider image, the same in mono."""

    def __init__(self, side_db: float) -> None:
        self.side = np.float32(10.0 ** (side_db / 20.0))

    def __call__(self, block: np.ndarray) -> np.ndarray:
        mid = block[0] + block[1]
        mid *= np.float32(0.5)
        side = block[0] - block[1]
        side *= np.float32(0.5) * self.side
        out = np.empty((2, block.shape[1]), dtype=np.result_type(mid, side))
        np.add(mid, side, out=out[0])
        np.subtract(mid, side, out=out[1])
        return out
