"""Where a file's sound sits against its picture.

A file's streams need not start together: a screen recorder or an editor may start the sound half a second
after the first picture (or before it). The picture sets the timeline, as players do, so the sound is
placed by its own timestamps against the first picture shown, and lips stay in sync.

The times follow the ffmpeg program's conventions, since the same segment may be cut by it: a seek ``from_s``
into a file is counted from the file's start (its earliest stream), and a segment's first instant is the
later of that point and the first picture.
"""

from __future__ import annotations

from typing import Any


def stream_start_s(stream: Any) -> float | None:
    """The stream's first timestamp in seconds, when the file states it."""
    if stream.start_time is None or stream.time_base is None:
        return None
    return float(stream.start_time * stream.time_base)


def file_start_s(container: Any) -> float:
    """The file's start: its earliest stream's first timestamp (0 when unstated)."""
    return container.start_time / 1_000_000 if container.start_time is not None else 0.0


def segment_origin_s(picture_start_s: float | None, file_start: float, from_s: float) -> float:
    """The file time shown at the first instant of a segment that starts ``from_s`` into the file."""
    seek = file_start + from_s
    return seek if picture_start_s is None else max(picture_start_s, seek)


def sound_lead_s(
    picture_start_s: float | None, sound_start_s: float | None, *, file_start: float, from_s: float
) -> float:
    """Seconds after a segment's first instant that its sound begins (negative: the sound begins earlier)."""
    seek = file_start + from_s
    sound = seek if sound_start_s is None else max(sound_start_s, seek)
    return sound - segment_origin_s(picture_start_s, file_start, from_s)


def origin_in(container: Any, from_s: float) -> float:
    """``segment_origin_s`` of an open file: where its first video stream starts counts as the first picture."""
    picture = stream_start_s(container.streams.video[0]) if container.streams.video else None
    return segment_origin_s(picture, file_start_s(container), from_s)


def first_sample_at(frame_time: float | None, origin_s: float, rate: int) -> int:
    """Where the first sound decoded belongs, in samples from the origin: positive means silence comes before
    it, negative that so many of its samples play before the origin and are left out."""
    return round(((frame_time or 0.0) - origin_s) * rate)
