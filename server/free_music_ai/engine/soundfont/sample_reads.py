"""A piece's samples decoded as far as its notes read them, on the threads that render its waveforms, from while it is
still being planned.

A sample that every note reads to its end (a drum hit, a sample that does not loop) is asked for as soon as the
first of them is planned, the others as soon as the plan says how far, the longest first; the waveforms' renders
follow them on the same threads, each waiting only for its own sample, where before every render waited for every
sample (a minute of pop: 0.12 s of decoding on two threads, then a barrier, before any waveform). The planning
holds the interpreter lock, which each of the decoder's calls takes back, so most of the decoding still falls
after the plan (a minute of pop: a quarter of it before). A read decodes on from where the one before stopped, so
the samples are the same to the bit however the reads fall.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future
from types import TracebackType

from free_music_ai.engine.soundfont.samples import SampleStore


class SampleReads:
    """Reads of ``samples``, on ``pool`` when given (each in its turn; leaving the ``with`` block waits for them),
    else at once."""

    def __init__(self, samples: SampleStore, pool: Executor | None = None) -> None:
        self.samples = samples
        self.pool = pool
        self._asked: dict[int, int] = {}  # frames already asked of each sample
        self._reading: list[Future[None]] = []

    def read(self, index: int, frames: int) -> None:
        """Sample ``index`` decoded to ``frames`` frames at least (nothing more when as many were asked already)."""
        if frames <= self._asked.get(index, 0):
            return
        self._asked[index] = frames
        if self.pool is None:
            self._read(index, frames)
        else:
            self._reading.append(self.pool.submit(self._read, index, frames))

    def _read(self, index: int, frames: int) -> None:
        self.samples.get(index, frames)
        # as far as the piece reads it: its decoder let go at once, not held beside the waveforms rendered next
        self.samples.close_stream(index)

    def __enter__(self) -> SampleReads:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Wait for the reads, then close the streams read part of the way (a note that reads further later opens
        its sample again). A sample that could not be decoded raises its error here, unless one is raised already."""
        failed = [reading.exception() for reading in self._reading]  # all of them over before a stream is closed
        self._reading = []
        self.samples.close_streams()
        if kind is None:
            for failure in failed:
                if failure is not None:
                    raise failure
