"""A copied picture and a finished soundtrack put together into the MP4 by this process, not by ffmpeg's program.

When the picture is copied (the source's own stream, or an earlier render's) and the sound is encoded already,
making the file only moves packets. The ffmpeg program took 0.25-0.35 s of an export for it, a quarter of the way
from the music to the file: a process forked from ours (its page tables copied: tens of ms once the analysis and
the music have grown it), both inputs probed again, then the same muxer. Here the same libavformat (PyAV's) writes
the same packets: the video's bytes and timestamps as they are in the source, the AAC frames of the M4A with its
priming and its exact length (the edit list), the moov before the mdat (+faststart). Tags follow what the program
did: the video file's own, then the request's (a comment).
"""

from __future__ import annotations

import errno
import heapq
import math
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from free_music_ai.engine.render.ffmpeg_runner import ProgressCallback
from free_music_ai.errors import RenderError, disk_error

DEFAULT_MOVIE_TIMESCALE = 1000  # libavformat's own
PROGRESS_EVERY = 256  # packets between two progress reports
WRITE_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM})


def mux_copied_picture(picture: Path, soundtrack: Path, output: Path, *, tags_from: Path, metadata: Mapping[str, str],
                       total_s: float, on_progress: ProgressCallback | None = None) -> None:  # fmt: skip
    """Write ``output`` (MP4, moov first): the first video stream of ``picture`` copied, the first sound stream of
    ``soundtrack`` (AAC in M4A) copied, the packets interleaved by time; tagged with the tags of ``tags_from`` (the
    first input of an export: an earlier render's comment is not this one's), then ``metadata``."""
    import av

    try:
        with av.open(str(picture)) as video_in, av.open(str(soundtrack)) as sound_in:
            # the picture probe.py reads (a cover picture is no video), and the first sound
            video = next(s for s in video_in.streams.video if not s.disposition & av.stream.Disposition.attached_pic)
            sound = sound_in.streams.audio[0]
            tags = dict(video_in.metadata) if tags_from == picture else _tags_of(tags_from)
            options = {"movflags": "+faststart", "movie_timescale": str(_movie_timescale(video, sound))}
            with av.open(str(output), "w", format="mp4", options=options) as out:
                out.metadata.update({**tags, **metadata})
                video_out = out.add_stream_from_template(video)
                video_out.metadata.update(video.metadata)
                sound_out = out.add_stream_from_template(sound)
                sound_out.metadata.update(sound.metadata)
                # each packet's time in ticks of a clock both streams' clocks divide: compared exactly, and without
                # a Fraction per packet (a sixth of the mux's own time)
                ticks = _common_ticks(video, sound)
                merged = heapq.merge(_timed(video_in, video, video_out, ticks),
                                     _timed(sound_in, sound, sound_out, ticks), key=lambda timed: timed[0])  # fmt: skip
                for count, (at, packet) in enumerate(merged):
                    out.mux(packet)
                    if on_progress is not None and total_s > 0 and count % PROGRESS_EVERY == 0:
                        on_progress(min(0.999, max(0.0, at / ticks / total_s)), "Mixing sound")
    except av.FFmpegError as exc:
        if isinstance(exc, OSError) and exc.errno in WRITE_FAILURES:  # the output's disk: not the inputs' fault
            raise disk_error(exc, "the video") from None
        raise RenderError(f"Rendering failed: {exc}. Check that the inputs play in a media player; convert them to "
                          "MP4 (H.264) if not.") from None  # fmt: skip
    except OSError as exc:
        raise disk_error(exc, "the video") from None
    if on_progress is not None:
        on_progress(1.0, "Mixing sound")


def _movie_timescale(*streams: Any) -> int:
    """The tracks' clocks' least common multiple, as ffmpeg's program picks it (its muxer is newer than PyAV's): the
    edit lists, written on this clock, then cut the sound at its exact sample, not at the nearest millisecond."""
    scale = _common_ticks(*streams)
    return scale if 0 < scale < 2**31 else DEFAULT_MOVIE_TIMESCALE


def _tags_of(path: Path) -> dict[str, str]:
    import av

    with av.open(str(path)) as container:
        return dict(container.metadata)


def _common_ticks(*streams: Any) -> int:
    """Ticks a second of a clock every stream's clock divides (the least common multiple of their denominators)."""
    return math.lcm(*(stream.time_base.denominator for stream in streams if stream.time_base is not None))


def _timed(container: Any, stream: Any, into: Any, ticks: int) -> Iterator[tuple[int, Any]]:
    """Each real packet of ``stream`` (not the demuxer's empty last one) moved to the output stream ``into``, with
    its decoding time in ``ticks`` a second. As ffmpeg's program does, the file's start (its earliest stream's)
    becomes the output's zero: a file whose clock starts at 1.075 s does not begin with 1.075 s of nothing."""
    start = Fraction(container.start_time or 0, 1_000_000)
    base = stream.time_base
    shift = round(start / base) if base else 0
    per_unit = base.numerator * (ticks // base.denominator) if base else 0  # ticks in one unit of the stream's clock
    for packet in container.demux(stream):
        if packet.size == 0:
            continue
        if shift:
            packet.pts = packet.pts - shift if packet.pts is not None else None
            packet.dts = packet.dts - shift if packet.dts is not None else None
        at = packet.dts if packet.dts is not None else packet.pts or 0  # an MP4's packets all have one
        packet.stream = into
        yield at * per_unit, packet
