"""Sound read a block at a time, from wherever it is: a file's audio decoded as it is needed, music saved as
.npy, or an array already in memory. The export's soundtrack mixes a 20-minute video from blocks, so it holds
one full-length buffer (its own result) and never a second or third copy of the sources.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np


class SoundStream:
    """Channel-first float32 blocks, in order: ``read(n)`` gives the next ``n`` samples, silence past the end."""

    def __init__(self, blocks: Iterator[np.ndarray], length: int) -> None:
        self.length = length  # samples
        self._blocks = blocks
        self._held = np.zeros((2, 0), dtype=np.float32)

    def read(self, n: int) -> np.ndarray:
        out = np.zeros((2, n), dtype=np.float32)
        filled = 0
        while filled < n:
            if self._held.shape[1] == 0:
                nxt = next(self._blocks, None)
                if nxt is None:
                    break
                self._held = nxt
            take = min(n - filled, self._held.shape[1])
            out[:, filled : filled + take] = self._held[:, :take]
            self._held = self._held[:, take:]
            filled += take
        return out

    @classmethod
    def of_array(cls, audio: np.ndarray, channels_first: bool) -> SoundStream:
        """An array in memory, (2, n) or (n, 2)."""
        frames = audio if channels_first else audio.T
        step = 1 << 18

        def blocks() -> Iterator[np.ndarray]:
            for start in range(0, frames.shape[1], step):
                yield np.asarray(frames[:, start : start + step], dtype=np.float32)

        return cls(blocks(), int(frames.shape[1]))

    @classmethod
    def of_npy(cls, path: Path) -> SoundStream:
        """An (n, 2) float32 .npy file read a block at a time (its pages are never all in memory at once)."""
        file = path.open("rb")
        version = np.lib.format.read_magic(file)
        shape, fortran, dtype = _header(file, version)
        if len(shape) != 2 or shape[1] != 2 or fortran or dtype != np.dtype("<f4"):
            file.close()
            raise ValueError(f"{path.name} is not (n, 2) float32 music")
        step = 1 << 17

        def blocks() -> Iterator[np.ndarray]:
            with file:
                remaining = int(shape[0])
                while remaining > 0:
                    count = min(step, remaining)
                    data = np.fromfile(file, dtype="<f4", count=count * 2)
                    if data.size < count * 2:
                        return  # a file cut short: the rest is silence
                    remaining -= count
                    yield np.ascontiguousarray(data.reshape(count, 2).T)

        return cls(blocks(), int(shape[0]))


def _header(file: BinaryIO, version: tuple[int, int]) -> tuple[tuple[int, ...], bool, np.dtype[np.generic]]:
    if version == (1, 0):
        return np.lib.format.read_array_header_1_0(file)
    return np.lib.format.read_array_header_2_0(file)
