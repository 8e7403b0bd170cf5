"""The sound track: loudness over time and where people speak."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from free_music_ai.engine.analysis.speech import RATE, speech_segments
from free_music_ai.engine.analysis.stop import check
from free_music_ai.engine.stream_timing import first_sample_at, origin_in


@dataclass(frozen=True)
class SoundFeatures:
    loudness_db: np.ndarray  # RMS level per second, dBFS (-100 for silence)
    speech_s: list[tuple[float, float]]
    has_sound: bool


BLOCK_S = 60
OVERLAP_S = 2


def read_sound(path: Path, duration_s: float, stopping: threading.Event | None = None) -> SoundFeatures:
    """Decode the first audio stream to 8 kHz mono in one-minute blocks (memory stays flat for long files),
    timed against the first picture (stream_timing.py)."""
    import av

    seconds = max(1, int(np.ceil(duration_s)))
    loudness = np.full(seconds, -100.0)
    speech: list[tuple[float, float]] = []
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return SoundFeatures(loudness, [], False)
        origin = origin_in(container, 0.0)
        pending: list[np.ndarray] = []
        pending_len = 0
        block_start = 0  # in samples
        total = 0
        skip: int | None = None
        for first_time, chunk in _resampled(container, stopping):
            if skip is None:  # the first sound decoded, placed against the first picture
                at = first_sample_at(first_time, origin, RATE)
                if at >= seconds * RATE:  # (a broken or hostile start time)
                    break
                if at > 0:  # it starts late: whole seconds of silence by position, the rest as zeros
                    block_start = at // RATE * RATE
                    chunk = np.concatenate([np.zeros(at - block_start, np.float32), chunk])
                skip = max(0, -at)
            if skip:  # one that starts before the picture loses what plays before it
                cut = min(skip, len(chunk))
                chunk, skip = chunk[cut:], skip - cut
            pending.append(chunk)
            pending_len += len(chunk)
            total += len(chunk)
            if pending_len >= (BLOCK_S + OVERLAP_S) * RATE:
                block = np.concatenate(pending)
                _measure(block, block_start, loudness, speech)
                keep = block[BLOCK_S * RATE :]
                pending, pending_len, block_start = [keep], len(keep), block_start + BLOCK_S * RATE
        if pending_len:
            _measure(np.concatenate(pending), block_start, loudness, speech)
    has_sound = bool(total and loudness.max() > -60)
    return SoundFeatures(loudness, _merged(speech) if has_sound else [], has_sound)


def _resampled(container: Any, stopping: threading.Event | None) -> Iterator[tuple[float, np.ndarray]]:
    """The first audio stream at RATE, mono, a second at a time (a 1024-sample frame at a time costs more in
    Python than in C); each with the time of the first frame decoded. A damaged tail ends it early."""
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE, frame_size=RATE)
    first_time: float | None = None
    try:
        for frame in container.decode(container.streams.audio[0]):
            check(stopping)
            if first_time is None:
                first_time = frame.time or 0.0
            for out in resampler.resample(frame):
                yield first_time, out.to_ndarray().reshape(-1)
    except av.FFmpegError:
        pass  # keep what decoded
    if first_time is not None:
        try:
            for out in resampler.resample(None):  # the last part of a second
                yield first_time, out.to_ndarray().reshape(-1)
        except av.FFmpegError:
            pass


def _measure(block: np.ndarray, start: int, loudness: np.ndarray, speech: list[tuple[float, float]]) -> None:
    first = start // RATE
    whole = min(len(loudness) - first, len(block) // RATE + (1 if len(block) % RATE else 0))
    for k in range(max(0, whole)):
        piece = block[k * RATE : (k + 1) * RATE].astype(np.float64)
        if len(piece):
            loudness[first + k] = max(-100.0, 10 * np.log10(float(np.mean(piece**2)) + 1e-10))
    if np.any(block):
        speech += [(s + start / RATE, e + start / RATE) for s, e in speech_segments(block)]


def _merged(segments: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1] + 0.35:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(round(s, 2), round(e, 2)) for s, e in merged]
