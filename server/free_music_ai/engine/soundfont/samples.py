"""Sample data: 16-bit PCM read straight from the file (sf2), or Ogg Vorbis decoded on first use (sf3), only as
far as the notes read it: a piece's notes read about half of MuseScore_General's samples (a short piano note, the
first seconds of a sample eight seconds long), and decoding was a quarter of its first minute's extra time. The
stream stays open until it is read to its end, and reads on from where it stopped: the same samples, to the bit,
as one read of the whole."""

from __future__ import annotations

import io
import logging
import os
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from free_music_ai.engine.soundfont.hydra import SampleHeader
from free_music_ai.engine.soundfont.riff import Chunk
from free_music_ai.errors import SoundFontError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SampleData:
    """A sample as float32 in [-1, 1], with its loop as indexes into it. ``audio`` holds its first frames: all
    ``length`` of them, or (an sf3 sample decoded as far as notes have read it) fewer, and ``audio_to`` more."""

    audio: np.ndarray
    loop_start: int
    loop_end: int
    sample_rate: int
    length: int  # frames in the whole sample
    decode_to: Callable[[int], SampleData] | None = None  # the sample decoded to at least n frames

    def audio_to(self, frames: int) -> np.ndarray:
        """The audio holding at least the first ``frames`` frames (all of the sample at most)."""
        if self.decode_to is None or len(self.audio) >= min(frames, self.length):
            return self.audio
        return self.decode_to(frames).audio


class SampleStore:
    """Decodes each sample when a note first needs it, as far as asked, and keeps it for the life of the font."""

    def __init__(self, data: memoryview, smpl: Chunk, headers: tuple[SampleHeader, ...], *, name: str) -> None:
        self._data = data
        self._smpl = smpl
        self._headers = headers
        self._name = name
        self._cache: dict[int, SampleData] = {}
        self._lock = threading.Lock()
        self._decoding: dict[int, threading.Lock] = {}  # one lock per sample: threads decode different ones at once
        self._streams: dict[int, _Stream] = {}  # the sf3 samples read part of the way
        self._pcm = (
            None
            if any(h.compressed for h in headers)
            else np.frombuffer(data, dtype="<i2", count=smpl.size // 2, offset=smpl.offset)
        )

    def get(self, index: int, frames: int | None = None) -> SampleData:
        """The sample, decoded to at least ``frames`` frames (all of it when None; its length and loop are known
        whatever it holds)."""
        cached = self._cache.get(index)
        if cached is not None and _holds(cached, frames):
            return cached
        with self._lock:
            lock = self._decoding.setdefault(index, threading.Lock())
        with lock:
            cached = self._cache.get(index)
            if cached is None or not _holds(cached, frames):
                cached = self._decode(index, self._headers[index], frames, cached)
                self._cache[index] = cached
        return cached

    @property
    def decoded_count(self) -> int:
        return len(self._cache)

    def _decode(self, index: int, header: SampleHeader, frames: int | None, held: SampleData | None) -> SampleData:
        decode_to: Callable[[int], SampleData] | None = None
        if header.compressed:
            audio, length = self._vorbis(index, header, frames, None if held is None else held.audio)
            # sf3 keeps loop points relative to the sample's own start: the decoded stream starts at 0
            loop_start, loop_end = header.loop_start, header.loop_end
            if len(audio) < length:
                decode_to = lambda more: self.get(index, more)  # noqa: E731
        else:
            pcm = (
                self._pcm
                if self._pcm is not None
                else np.frombuffer(self._data, dtype="<i2", count=self._smpl.size // 2, offset=self._smpl.offset)
            )
            end = min(header.end, len(pcm))
            audio = pcm[header.start : end].astype(np.float32) / 32768.0
            length = len(audio)
            loop_start, loop_end = header.loop_start - header.start, header.loop_end - header.start
        loop_start = min(max(0, loop_start), length)
        loop_end = min(max(loop_start, loop_end), length)
        return SampleData(audio=audio, loop_start=loop_start, loop_end=loop_end,
                          sample_rate=header.sample_rate or 44100, length=length, decode_to=decode_to)  # fmt: skip

    def _vorbis(self, index: int, header: SampleHeader, frames: int | None,
                held: np.ndarray | None) -> tuple[np.ndarray, int]:  # fmt: skip
        """The first ``frames`` frames (all when None), read on from ``held`` (what was read of it before), and the
        length of the whole."""
        import soundfile

        first, last = self._smpl.offset + header.start, self._smpl.offset + header.end
        if not self._smpl.offset <= first < last <= self._smpl.offset + self._smpl.size:
            raise SoundFontError(f"{self._name} is malformed: sample {header.name!r} lies outside the sample data.")
        stream = self._streams.pop(index, None)  # open when it was read part of the way, and left open
        have = np.zeros(0, dtype=np.float32) if stream is None or held is None else held
        if stream is None and frames == 0:  # only its length: read from its last page, not from a decoder
            length = ogg_length(self._data[first:last])
            if length is not None:
                return have, length
        try:
            if stream is None:  # read from the start
                stream = _Stream(self._data[first:last])
            length = stream.file.frames
            count = -1 if frames is None else max(0, min(frames, length) - len(have))  # -1: to the stream's end
            read = stream.file.read(count, dtype="float32", always_2d=True)
        except (RuntimeError, soundfile.LibsndfileError) as exc:
            if stream is not None:
                stream.close()
            raise SoundFontError(f"{self._name}: sample {header.name!r} cannot be decoded ({exc}).") from None
        audio = np.concatenate([have, read[:, 0]]) if len(have) else np.ascontiguousarray(read[:, 0])
        if frames is None or len(read) < count:  # read to its end (a stream may hold other than its header says)
            length = len(audio)
        if len(audio) < length:
            self._streams[index] = stream  # read on from here when a note needs more
        else:
            stream.close()
        return audio, length

    def close_stream(self, index: int) -> None:
        """Close sample ``index``'s stream when it was read part of the way (a later read opens it again)."""
        with self._lock:
            lock = self._decoding.setdefault(index, threading.Lock())
        with lock:
            stream = self._streams.pop(index, None)
        if stream is not None:
            stream.close()

    def close_streams(self) -> None:
        """Close the streams left open part of the way (a later read opens its sample again, from the start)."""
        with self._lock:
            streams, self._streams = self._streams, {}
        for stream in streams.values():
            stream.close()


class _Stream:
    """A decoder on one sample's bytes. Where the system can (Linux), they are handed to libsndfile as a file in
    memory, which it reads with no call back into Python: read through a Python file object, each of its forty-odd
    reads of a sample waited for the interpreter lock, which the piece's planning holds while its samples are
    decoded (decoding 120 of MuseScore_General's samples beside a busy thread: 2.7-7.7 s, against 0.2 s alone)."""

    def __init__(self, data: memoryview) -> None:
        import soundfile

        self._fd = _memory_file(data)
        try:
            self.file = soundfile.SoundFile(io.BytesIO(bytes(data)) if self._fd is None else self._fd, closefd=False)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if hasattr(self, "file"):
            self.file.close()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _memory_file(data: memoryview) -> int | None:
    """A file descriptor of a file in memory holding ``data``, at its start (None where there is no such file)."""
    create = getattr(os, "memfd_create", None)
    if create is None:
        return None
    try:
        fd: int = create("fmai-sample", os.MFD_CLOEXEC)
    except OSError:
        return None
    try:
        written = 0
        while written < len(data):
            written += os.write(fd, data[written:])
        os.lseek(fd, 0, os.SEEK_SET)
    except OSError:
        os.close(fd)
        return None
    return fd


def ogg_length(stream: memoryview) -> int | None:
    """The frames in an Ogg Vorbis stream: its last page's granule position, where a decoder opened on it finds
    it too (libsndfile: the same on every one of MuseScore_General's 1254 samples). Opening a decoder only to learn a
    sample's length cost 0.7 ms a sample, most of it in Python's virtual file calls, which hold the interpreter
    lock, before a piece's notes could be planned. None when the stream does not end in a whole last page."""
    tail = bytes(stream[-65_307:])  # a page is at most 27 + 255 + 255 * 255 bytes
    at = tail.rfind(b"OggS")
    if at < 0 or len(tail) - at < 27:
        return None
    version, flags, granule = struct.unpack_from("<BBq", tail, at + 4)
    segments = tail[at + 26]
    table = tail[at + 27 : at + 27 + segments]
    if version != 0 or not flags & 4 or granule < 0 or len(table) != segments:  # 4: the end of the stream
        return None
    if at + 27 + segments + sum(table) != len(tail):  # a whole page, ending where the stream ends
        return None
    return int(granule)


def _holds(sample: SampleData, frames: int | None) -> bool:
    return len(sample.audio) >= (sample.length if frames is None else min(frames, sample.length))
