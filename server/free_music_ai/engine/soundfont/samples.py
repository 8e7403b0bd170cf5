"""Sample data: 16-bit PCM read straight from the file (sf2), or Ogg Vorbis decoded on first use (sf3)."""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass

import numpy as np

from free_music_ai.engine.soundfont.hydra import SampleHeader
from free_music_ai.engine.soundfont.riff import Chunk
from free_music_ai.errors import SoundFontError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SampleData:
    """A sample as float32 in [-1, 1], with its loop as indexes into ``audio``."""

    audio: np.ndarray
    loop_start: int
    loop_end: int
    sample_rate: int


class SampleStore:
    """Decodes each sample once, when a note first needs it, and keeps it for the life of the font."""

    def __init__(self, data: memoryview, smpl: Chunk, headers: tuple[SampleHeader, ...], name: str) -> None:
        self._data = data
        self._smpl = smpl
        self._headers = headers
        self._name = name
        self._cache: dict[int, SampleData] = {}
        self._lock = threading.Lock()
        self._decoding: dict[int, threading.Lock] = {}  # one lock per sample: threads decode different ones at once
        self._pcm = (
            None
            if any(h.compressed for h in headers)
            else np.frombuffer(data, dtype="<i2", count=smpl.size // 2, offset=smpl.offset)
        )

    def get(self, index: int) -> SampleData:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        with self._lock:
            lock = self._decoding.setdefault(index, threading.Lock())
        with lock:
            cached = self._cache.get(index)
            if cached is None:
                cached = self._decode(self._headers[index])
                self._cache[index] = cached
        return cached

    @property
    def decoded_count(self) -> int:
        return len(self._cache)

    def _decode(self, header: SampleHeader) -> SampleData:
        if header.compressed:
            audio = self._vorbis(header)
            # sf3 keeps loop points relative to the sample's own start: the decoded stream starts at 0
            loop_start, loop_end = header.loop_start, header.loop_end
        else:
            pcm = (
                self._pcm
                if self._pcm is not None
                else np.frombuffer(self._data, dtype="<i2", count=self._smpl.size // 2, offset=self._smpl.offset)
            )
            end = min(header.end, len(pcm))
            audio = pcm[header.start : end].astype(np.float32) / 32768.0
            loop_start, loop_end = header.loop_start - header.start, header.loop_end - header.start
        length = len(audio)
        loop_start = min(max(0, loop_start), length)
        loop_end = min(max(loop_start, loop_end), length)
        return SampleData(
            audio=audio, loop_start=loop_start, loop_end=loop_end, sample_rate=header.sample_rate or 44100
        )

    def _vorbis(self, header: SampleHeader) -> np.ndarray:
        import soundfile

        first, last = self._smpl.offset + header.start, self._smpl.offset + header.end
        if not self._smpl.offset <= first < last <= self._smpl.offset + self._smpl.size:
            raise SoundFontError(f"{self._name} is malformed: sample {header.name!r} lies outside the sample data.")
        try:
            audio, _ = soundfile.read(io.BytesIO(bytes(self._data[first:last])), dtype="float32", always_2d=True)
        except (RuntimeError, soundfile.LibsndfileError) as exc:
            raise SoundFontError(f"{self._name}: sample {header.name!r} cannot be decoded ({exc}).") from None
        return np.ascontiguousarray(audio[:, 0])
