"""One decoding pass over a video: small per-frame features from the decoder's own planes.

Cost is kept well below a full decode: B-frames are skipped (a cut seen across the gap they leave is
checked and placed afterwards by decoding just that stretch at full rate, see cuts.py), the deblocking filter
is skipped (its output is never looked at), a long video is cut at keyframes into one stretch per core, each
with its own decoder, and features come from every 8th-or-so pixel of the Y, U and V planes: no colour
conversion, no scaling. A stream whose pictures are mostly B-frames is read with fewer skipped, so the
features never get too sparse.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from free_music_ai.engine.analysis.features import Row, SpanFeatures
from free_music_ai.engine.analysis.stop import check
from free_music_ai.engine.stretches import balanced_starts
from free_music_ai.errors import InputError, ProbeError

SMALL_WIDTH = 128  # columns kept per frame: enough for colour, motion and cuts
FAST_DECODE = {"skip_loop_filter": "all", "flags2": "+fast"}
# what the decoder may leave out, most first: B-frames, then frames nothing refers to, then nothing
SKIPPING: tuple[Literal["BIDIR", "NONREF", "DEFAULT"], ...] = ("BIDIR", "NONREF", "DEFAULT")
SPARSE_S = 0.3  # a longer gap between decoded frames makes the reader skip less from there on
# Frames are looked at by time, not by count: at most this many per second of video, whatever its frame rate,
# so a file cannot make the analysis dear by declaring 1000 frames per second (the output plays at 60 at most).
SAMPLES_PER_S = 60
_YUV420 = {"yuv420p", "yuvj420p"}


@dataclass(frozen=True)
class FrameFeatures:
    times: np.ndarray  # s, increasing
    luma: np.ndarray  # mean brightness 0..1
    contrast: np.ndarray  # std of brightness 0..1
    chroma: np.ndarray  # mean colour strength 0..1 (saturation)
    warmth: np.ndarray  # red-difference minus blue-difference, -1..1
    motion: np.ndarray  # mean absolute change from the previous frame, per second, 0..1 scale
    change: np.ndarray  # how different from the previous frame (luma, colour and histogram): the cut score
    long_change: np.ndarray  # how different the pictures half a second before and after are (dissolves)
    frame_s: float = 1 / 30  # the stream's own frame duration: decoded frames further apart left some out


def frame_duration_s(rate: Any) -> float:
    """A stream's frame duration from its guessed frame rate (a Fraction, or None when it has none: 30 fps)."""
    return float(1 / rate) if rate else 1 / 30


def sample_step_s(frame_s: float) -> float:
    """The time between two frames looked at: every frame up to SAMPLES_PER_S per second, then one in so many."""
    return max(frame_s, 1 / SAMPLES_PER_S)


def small_planes(frame: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Small Y, U and V arrays (uint8) read from the frame's planes with strides; other formats converted."""
    if frame.format.name not in _YUV420:  # 10-bit, 4:2:2, RGB...: one conversion to a small 4:2:0 picture
        height = max(2, frame.height * SMALL_WIDTH * 2 // max(1, frame.width) // 2 * 2)
        frame = frame.reformat(format="yuv420p", width=SMALL_WIDTH * 2, height=height)
    width, height = frame.width, frame.height
    step = max(2, width // SMALL_WIDTH) // 2 * 2
    planes = []
    for index, (w, h, s) in enumerate(((width, height, step), (width // 2, height // 2, step // 2),
                                       (width // 2, height // 2, step // 2))):  # fmt: skip
        plane = frame.planes[index]
        data = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:h, :w]
        planes.append(data[:: max(1, s), :: max(1, s)])
    y, u, v = planes
    rows, cols = min(y.shape[0], u.shape[0]), min(y.shape[1], u.shape[1])
    return y[:rows, :cols], u[:rows, :cols], v[:rows, :cols]


def read_frames(path: Path, *, fast: bool = True, stopping: threading.Event | None = None,
                decoding: threading.Event | None = None) -> FrameFeatures:  # fmt: skip
    """The features of the picture's frames. ``decoding`` is set once the file is opened and split, when
    what is left runs mostly in C, without the GIL."""
    import av

    try:
        container = av.open(str(path))
    except av.FFmpegError as exc:
        raise ProbeError(f"{path.name} cannot be read as a video ({exc}). Convert it to MP4 (H.264).") from None
    with container:
        if not container.streams.video:
            raise InputError(f"{path.name} has no picture to analyze. Give a video or an image.")
        rate = container.streams.video[0].guessed_rate
        frame_s = frame_duration_s(rate)
        skipping = _skipping_for(container, container.streams.video[0], frame_s) if fast else len(SKIPPING) - 1
        starts = _span_starts(container, container.streams.video[0]) if fast else [0.0]
    if decoding is not None:
        decoding.set()
    if len(starts) == 1:
        # one decoding thread more than cores keeps every core busy while a frame waits on its references
        rows, long = _read_span(path, None, None, skipping, (os.cpu_count() or 1) + 1, frame_s, stopping)
    else:
        # one decoder per stretch between keyframes, each on its own core: frame threading leaves about a
        # third of two cores idle while frames wait on their references; independent stretches do not wait.
        # Each stretch reads on past the next one's start, so every frame keeps its neighbours either side.
        ends = [*starts[1:], None]
        with ThreadPoolExecutor(max_workers=len(starts)) as pool:
            spans = zip(starts, ends, strict=True)
            parts = list(
                pool.map(lambda span: _read_span(path, span[0], span[1], skipping, 1, frame_s, stopping), spans)
            )
        rows, long = [], []
        for k, (part_rows, part_long) in enumerate(parts):
            lo = starts[k] + OVERLAP_S / 2 if k > 0 else -math.inf
            hi = starts[k + 1] + OVERLAP_S / 2 if k + 1 < len(starts) else math.inf
            keep = [i for i, row in enumerate(part_rows) if lo <= row[0] < hi]
            rows += [part_rows[i] for i in keep]
            long += [part_long[i] for i in keep]
    if not rows:
        raise ProbeError(f"{path.name} has no decodable frames. Export it again or convert it to MP4 (H.264).")
    order = sorted(range(len(rows)), key=lambda k: rows[k][0])
    table = np.array([rows[k] for k in order], dtype=np.float64)
    long_change = np.array([long[k] for k in order])
    return FrameFeatures(times=table[:, 0], luma=table[:, 1], contrast=table[:, 2], chroma=table[:, 3],
                         warmth=table[:, 4], motion=table[:, 5], change=table[:, 6],
                         long_change=long_change, frame_s=frame_s)  # fmt: skip


# A stretch reads this far past the next one's start: half of it gives the frames there their neighbours
# 0.5 s later (dissolves), the other half is where the next stretch has its own frames 0.5 s earlier.
OVERLAP_S = 2.4
MIN_SPAN_S = 8.0  # shorter clips are decoded in one stretch: splitting costs a seek and an overlap


def _skipping_for(container: Any, stream: Any, frame_s: float) -> int:
    """How much the reader may skip (an index into SKIPPING): B-frames, unless they come in long runs.

    A B-frame is decoded after the later picture it refers to, so in the packets (decoding order) a run of
    pts below the highest seen so far is a run of B-frames; skipping them leaves gaps one frame longer.
    """
    import av

    longest = run = 0
    highest = None
    try:
        for count, packet in enumerate(container.demux(stream)):
            if count >= PACKETS_LOOKED_AT:
                break
            if packet.pts is None:
                continue
            if highest is not None and packet.pts < highest:
                run += 1
                longest = max(longest, run)
            else:
                run, highest = 0, packet.pts
    except av.FFmpegError:
        pass
    container.seek(0)
    return 0 if (longest + 1) * frame_s <= SPARSE_S else 1


PACKETS_LOOKED_AT = 240


def _span_starts(container: Any, stream: Any) -> list[float]:
    """Keyframe times that split the video into one stretch per core (just [0.0] when it is short)."""
    import av

    duration = float(container.duration or 0) / 1e6
    count = min(os.cpu_count() or 1, int(duration // MIN_SPAN_S))
    if count < 2 or stream.time_base is None:
        return [0.0]
    starts = [0.0]
    # each decoder reads as much, the overlap past its end included
    for at in balanced_starts(duration, count, tail=OVERLAP_S)[1:]:
        try:
            container.seek(int(at / stream.time_base), stream=stream, backward=True)
            packet = next((p for p in container.demux(stream) if p.pts is not None), None)
        except av.FFmpegError:
            return [0.0]
        if packet is None or not packet.is_keyframe:
            return [0.0]  # a seek that does not land on a keyframe: read the file in one stretch
        time = float(packet.pts * stream.time_base)
        if time > starts[-1] + OVERLAP_S:
            starts.append(time)
    return starts


def _read_span(path: Path, start: float | None, stop: float | None, skipping: int, threads: int, frame_s: float,
               stopping: threading.Event | None = None) -> tuple[list[Row], list[float]]:  # fmt: skip
    """Features of the frames from the keyframe at ``start`` to ``stop`` + the overlap, and their long change.

    ``skipping`` says which frames the decoder leaves out (an index into SKIPPING); if that leaves gaps
    longer than SPARSE_S, it leaves out less from there on.
    """
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.thread_count = threads
        if skipping < len(SKIPPING) - 1:
            stream.codec_context.options = dict(FAST_DECODE)
            stream.codec_context.skip_frame = SKIPPING[skipping]
        if start and stream.time_base is not None:
            container.seek(int(start / stream.time_base), stream=stream, backward=True)
        features = SpanFeatures()
        last_time: float | None = None
        # a frame closer than this to the last one looked at is passed over: at most SAMPLES_PER_S a second
        # (half a frame of slack, so a stream at exactly that rate keeps every frame). A cut after frames
        # passed over is checked and placed at full rate, as one after skipped B-frames (cuts.py).
        closest = sample_step_s(frame_s) - frame_s / 2
        try:
            for frame in container.decode(stream):
                check(stopping)
                if frame.time is None:
                    continue
                if stop is not None and frame.time > stop + OVERLAP_S:
                    break
                if last_time is not None and frame.time - last_time > SPARSE_S and skipping < len(SKIPPING) - 1:
                    skipping += 1  # mostly B-frames (or frames nothing refers to): keep more of them
                    stream.codec_context.skip_frame = SKIPPING[skipping]
                if last_time is not None and frame.time - last_time < closest:
                    continue
                features.add(frame.time, small_planes(frame))
                last_time = frame.time
        except av.FFmpegError as exc:
            if last_time is None:
                raise ProbeError(f"The picture in {path.name} cannot be decoded ({exc}).") from None
    long_change = features.long_changes()
    return features.rows, long_change
