"""Keyframes first: the picture read in short windows after each keyframe, whole only where a change may hide.

Where the encoder puts a keyframe on a scene change (x264's scenecut, or keyframes at irregular intervals) and
keyframes come often, most of a video need not be decoded to find its cuts: each keyframe and the frames just
after it (WINDOW_S, B-frames skipped as in frames.py) give colour and motion at a low rate, and the rest of a
group of pictures (GOP) is decoded only where there is evidence of a change in it:

- its packets: an I-frame the container does not flag as key, or a frame far larger than others of its kind;
- the next keyframe comes early (the encoder started a new picture there, a scene-cut keyframe);
- the pictures either side of the part not decoded differ (a cut at a regular keyframe, a fade, a dissolve);
- a change near the edge of a window, or dark or melting pictures (fades, dissolves), which need the frames
  around them as the usual pass sees them.

A GOP with such evidence is decoded whole, on into the next window, so every cut, fade and dissolve is judged
by cuts.py on the very frames the usual pass gives it: the same rule, the same times. The one guess is whether
a part not decoded hides a change: a change that shows in none of the evidence above (the pictures either side
alike, no telling packet) would be missed; tools/window_agreement.py --sweep measures that. Where the evidence
is poor (another codec, long or fixed GOPs without scenecut, B-frames the usual pass would not skip, more than
60 frames a second, small pictures) or too much would be decoded whole, ``read_windowed`` returns None and the
caller reads the video the usual way.
"""

from __future__ import annotations

import bisect
import logging
import math
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from free_music_ai.engine.analysis.cuts import (
    CANDIDATE_RATIO,
    DARK,
    DISSOLVE_LEVEL,
    MIN_CHANGE,
    MIN_SCENE_S,
    Transition,
    find_transitions,
)
from free_music_ai.engine.analysis.features import SpanFeatures
from free_music_ai.engine.analysis.frames import (
    FAST_DECODE,
    SAMPLES_PER_S,
    SPARSE_S,
    FrameFeatures,
    sample_step_s,
    small_planes,
)
from free_music_ai.engine.analysis.packets import PacketScan, scan_packets
from free_music_ai.engine.analysis.stop import check

log = logging.getLogger(__name__)
WINDOW_S = 0.5  # decoded after each keyframe: motion and colour at a low rate
MIN_PIXELS = 320 * 180  # smaller pictures cost about as much to decode as their packets cost to look at
LONGEST_GOP_S = 2.5  # keyframes further apart leave too much unseen between windows
INTRA_ONLY = 0.5  # a stream with this share of keyframes or more says nothing by its keyframes
MAX_WHOLE = 0.5  # share of the video decoded whole beyond which the usual pass costs less
# The packets alone asking this much decoded whole: the pictures nearly always add more (x264 film at 2 s GOPs:
# 0.31 from the packets became 0.92 once the windows were read, 0.18 s spent before the usual pass; the windows
# themselves cost 40-50 % of it there), and what could still be saved is small: the usual pass at once. The last
# GOP counts (it is always decoded whole), so a video of fewer than four GOPs is read the usual way: a short one.
MAX_WHOLE_FROM_PACKETS = 0.25
# Pictures either side of a part not decoded that differ this much may hide a cut there, when they differ
# GAP_RATIO times more than the frames decoded next to it differ from each other, or GAP_OTHERS times more than
# the pictures either side of the other parts nearby (GAP_NEIGHBOURS each way): motion adds up across a part
# not decoded, a cut stands out. Measured on moving test pictures: 1.6-2.0 times the frames' change where there
# is no cut, 2.8 to 11 across one; a gap with a cut against the other gaps: 2.1 and more.
GAP_LEVEL = MIN_CHANGE / 2
GAP_RATIO = 2.5
GAP_OTHERS = 1.5
GAP_NEIGHBOURS = 3
CONTEXT_S = 3.5  # around a possible fade or dissolve, decoded whole this far either side (cuts.py looks 3 s)
EDGE_ROWS = 3  # a change this close to a window's edge is judged with the frames beyond it decoded
DISSOLVE_NEAR_CUT_S = 1.2  # cuts.py takes a change this close to a cut for the cut
ROUNDS = 4  # rounds of "decode more where evidence says so"; still more after that: the usual pass


@dataclass
class _Segment:
    """Frames decoded in one run, from a keyframe on: their features, and the first and last pictures."""

    rows: list[tuple[float, float, float, float, float, float, float]] = field(default_factory=list)
    long: list[float] = field(default_factory=list)
    first: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    last: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None


Picture = tuple[FrameFeatures, list[Transition]]


def read_windowed(path: Path, *, stopping: threading.Event | None = None,
                  decoding: threading.Event | None = None) -> Picture | None:  # fmt: skip
    """The picture's features and scene changes read keyframes first, or None where that cannot be trusted."""
    try:
        return _read_windowed(path, stopping, decoding)
    except (ArithmeticError, LookupError, ValueError) as exc:  # a stream odd in a way not foreseen: the usual pass
        log.info("reading %s the usual way: %s", path.name, exc)
        return None


def _read_windowed(path: Path, stopping: threading.Event | None, decoding: threading.Event | None) -> Picture | None:
    scan = scan_packets(path, max_fps=SAMPLES_PER_S * 1.01, min_pixels=MIN_PIXELS)
    if scan is None or not trusted(scan):
        return None
    starts = scan.keyframe_s
    ends = np.append(starts[1:], scan.times[-1] + scan.frame_s)
    whole = _certainly_whole(starts, ends)
    # the packets' evidence is added after the windows are read: if the pictures then show that too much would
    # be decoded whole, the usual pass starts having spent only the windows
    pending = _whole_from_packets(scan, starts, ends)
    if _too_much(pending, starts, ends, share=MAX_WHOLE_FROM_PACKETS):
        return None  # the packets alone say so: nothing spent
    decoded: dict[tuple[float, float], _Segment] = {}
    if decoding is not None:
        decoding.set()
    for _ in range(ROUNDS):
        spans = _spans(starts, ends, whole)
        todo = [span for span in spans if span not in decoded]
        decoded.update(_decode(path, todo, scan.frame_s, stopping))
        segments = [decoded[span] for span in spans]
        if any(not segment.rows for segment in segments):
            return None  # a window that decoded nothing: a damaged stream
        more = (_whole_from_pictures(spans, segments, starts, ends, whole) | pending) & ~whole
        pending = np.zeros_like(whole)
        if not more.any():
            break
        whole |= more
        if _too_much(whole, starts, ends):
            return None
    else:
        return None
    features = _joined(segments, scan.frame_s)
    check(stopping)
    return features, find_transitions(features, path)


def _too_much(whole: np.ndarray, starts: np.ndarray, ends: np.ndarray, *, share: float = MAX_WHOLE) -> bool:
    """Whether decoding these GOPs whole, windows besides, would cost about as much as the usual pass."""
    return float(np.sum((ends - starts)[whole])) > share * float(ends[-1] - starts[0])


def trusted(scan: PacketScan) -> bool:
    """Whether the keyframes tell where scenes change, and come often enough for windows after them."""
    keys = scan.keyframe_s
    if scan.codec != "h264" or len(keys) < 2 or len(keys) >= INTRA_ONLY * len(scan.times):
        return False
    decoded = scan.times[~scan.bidir]  # the frames both passes decode: no gap between them that would make
    # the usual pass skip fewer frames from there on (frames.py), so both look at the very same frames
    if scan.frame_s < 1 / SAMPLES_PER_S * 0.99 or float(np.diff(decoded).max(initial=0.0)) > SPARSE_S:
        return False
    gaps = np.diff(np.append(keys, scan.times[-1] + scan.frame_s))
    if keys[0] > scan.times[0] + scan.frame_s / 2 or gaps.max() > LONGEST_GOP_S:
        return False
    irregular = len(gaps) > 2 and float(np.ptp(gaps[:-1])) > scan.frame_s / 2
    return bool(scan.scenecut and scan.scenecut > 0) or irregular


def _whole_from_packets(scan: PacketScan, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """GOPs to decode whole on the packets' word: a change in the part after the window, or an early keyframe."""
    whole = _certainly_whole(starts, ends)
    marked = (scan.intra & ~scan.key) | scan.size_spikes()
    gop = np.searchsorted(starts, scan.times[marked], side="right") - 1
    after_window = scan.times[marked] >= starts[gop] + WINDOW_S - 1.5 * scan.frame_s
    whole[gop[after_window]] = True
    frames = np.rint(np.diff(starts) / scan.frame_s)
    if scan.keyint:
        early = frames != scan.keyint  # x264 starts a GOP early only on a scene change
    else:
        values, counts = np.unique(frames, return_counts=True)
        early = frames != values[np.argmax(counts)]
    whole[:-1] |= early  # the frame before that keyframe is needed to judge it
    return np.asarray(whole, dtype=bool)


def _certainly_whole(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Short GOPs (they cost little more whole, and a part not read shorter than MIN_SCENE_S would let cuts.py
    weigh candidates either side of it against each other) and the last one (no keyframe after it to compare
    its end with)."""
    whole = np.asarray(ends - starts <= WINDOW_S + MIN_SCENE_S, dtype=bool)
    whole[-1] = True
    return whole


def _spans(starts: np.ndarray, ends: np.ndarray, whole: np.ndarray) -> list[tuple[float, float]]:
    """Runs decoded in one go: from a keyframe, through GOPs decoded whole, to the end of the next window."""
    spans: list[tuple[float, float]] = []
    first = 0
    for k in range(len(starts)):
        if whole[k] and k + 1 < len(starts):
            continue
        end = float(ends[k]) if whole[k] else min(float(starts[k]) + WINDOW_S, float(ends[k]))
        spans.append((float(starts[first]), end))
        first = k + 1
    return spans


def _whole_from_pictures(spans: list[tuple[float, float]], segments: list[_Segment], starts: np.ndarray,
                         ends: np.ndarray, whole: np.ndarray) -> np.ndarray:  # fmt: skip
    """GOPs to decode whole on the decoded pictures' word (see the module's docstring)."""
    more = np.zeros(len(starts), dtype=bool)

    def gop_at(time: float) -> int:
        return int(np.searchsorted(starts, time + 1e-6, side="right")) - 1

    def around(time: float) -> None:
        more[(ends > time - CONTEXT_S) & (starts < time + CONTEXT_S)] = True

    across = _across(segments)
    for k, (span, segment) in enumerate(zip(spans, segments, strict=True)):
        change = np.array([row[6] for row in segment.rows])
        if k > 0:
            steps = [row[6] for row in segments[k - 1].rows[1:][-EDGE_ROWS:] + segment.rows[1 : 1 + EDGE_ROWS]]
            typical = float(np.mean(steps)) if steps else 0.0
            others = np.delete(across[max(1, k - GAP_NEIGHBOURS) : k + GAP_NEIGHBOURS + 1], min(k - 1, GAP_NEIGHBOURS))
            usual_gap = float(np.median(others)) if len(others) else math.inf
            stands_out = across[k] >= GAP_LEVEL and (
                across[k] >= GAP_RATIO * typical or across[k] >= GAP_OTHERS * usual_gap
            )
            if stands_out or _edge_spike(change, range(1, 1 + EDGE_ROWS)):
                more[gop_at(span[0]) - 1] = True  # a cut at this keyframe, or just after: the frames before it
        last_gop = gop_at(segment.rows[-1][0])
        if not whole[last_gop] and _edge_spike(change, range(len(change) - EDGE_ROWS, len(change))):
            more[last_gop] = True  # a change at the window's end: judged with the frames after it
        times = np.array([row[0] for row in segment.rows])
        for row, long in zip(segment.rows, segment.long, strict=True):
            near = change[np.abs(times - row[0]) <= DISSOLVE_NEAR_CUT_S]
            if row[1] < 1.5 * DARK or (long >= DISSOLVE_LEVEL and near.max() < MIN_CHANGE):
                around(row[0])  # a fade, or a dissolve: judged with the frames around it as the usual pass has them
    return np.asarray(more & ~whole)


def _across(segments: list[_Segment]) -> np.ndarray:
    """The cut score between each span's first picture and the previous span's last (0 for the first span)."""
    across = np.zeros(len(segments))
    for k in range(1, len(segments)):
        before, after = segments[k - 1].last, segments[k].first
        assert before is not None and after is not None
        pair = SpanFeatures()
        pair.add(0.0, before)
        pair.add(1.0, after)
        pair.flush()
        across[k] = pair.rows[1][6]
    return across


def _edge_spike(change: np.ndarray, rows: range) -> bool:
    """Whether one of ``rows`` (near a span's edge, where frames either side were not read) may be a cut.

    cuts.py looks at a frame whose change is CANDIDATE_RATIO times the mean of its four neighbours'; the ones
    not read could have changed by nothing, so that is possible where the change is CANDIDATE_RATIO / 4 times
    the sum of the neighbours read. Below that, neither the usual pass nor the joined table (where a span's
    first frame has no change) sees a candidate there.
    """
    for i in rows:
        if not 0 < i < len(change) or change[i] < MIN_CHANGE:
            continue
        read = np.delete(change[max(1, i - 2) : i + 3], i - max(1, i - 2))  # a span's first frame: not a change
        if change[i] >= CANDIDATE_RATIO / 4 * float(np.sum(read)):
            return True
    return False


def _decode(path: Path, spans: list[tuple[float, float]], frame_s: float,
            stopping: threading.Event | None) -> dict[tuple[float, float], _Segment]:  # fmt: skip
    """The spans' frames, the spans shared between the cores by their length."""
    if not spans:
        return {}
    workers = min(os.cpu_count() or 1, len(spans))
    lengths = np.cumsum([end - start for start, end in spans])
    share = np.minimum((lengths - 1e-9) * workers // lengths[-1], workers - 1).astype(int)
    groups = [[span for span, s in zip(spans, share, strict=True) if s == w] for w in range(workers)]
    groups = [group for group in groups if group]
    threads = 1 if len(groups) > 1 else (os.cpu_count() or 1) + 1
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        parts = list(pool.map(lambda group: _decode_group(path, group, frame_s, threads, stopping), groups))
    return {
        span: segment
        for group, part in zip(groups, parts, strict=True)
        for span, segment in zip(group, part, strict=True)
    }


def _decode_group(path: Path, spans: list[tuple[float, float]], frame_s: float, threads: int,
                  stopping: threading.Event | None) -> list[_Segment]:  # fmt: skip
    """One decoder fed only the packets of its spans (each from its keyframe); other packets never decoded."""
    import av

    segments = [_Segment() for _ in spans]
    features = [SpanFeatures() for _ in spans]
    span_starts = [start - 1e-6 for start, _ in spans]
    last_time: list[float | None] = [None] * len(spans)
    closest = sample_step_s(frame_s) - frame_s / 2

    def take(frames: Iterable[Any], base: float) -> None:
        for frame in frames:
            check(stopping)
            if frame.pts is None:
                continue
            time = float(frame.pts * base)  # flushed frames have no time base of their own
            k = bisect.bisect_right(span_starts, time) - 1
            if k < 0 or time > spans[k][1] - 1e-6:
                continue  # outside every span: a frame decoded only as a reference
            previous = last_time[k]
            if previous is not None and time - previous < closest:
                continue
            planes = small_planes(frame)
            features[k].add(time, planes)
            copies = (np.array(planes[0]), np.array(planes[1]), np.array(planes[2]))
            if segments[k].first is None:
                segments[k].first = copies
            segments[k].last = copies
            last_time[k] = time

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.thread_count = threads
        stream.codec_context.options = dict(FAST_DECODE)
        stream.codec_context.skip_frame = "BIDIR"
        base = float(stream.time_base or 1 / 90000)
        if spans[0][0] > 0:
            container.seek(round(spans[0][0] / base), stream=stream, backward=True)
        at, sending = 0, False
        try:
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                time = packet.pts * base
                following = at + 1 if sending else at  # the span whose keyframe may come next
                if packet.is_keyframe and following < len(spans) and abs(time - spans[following][0]) < frame_s / 2:
                    at, sending = following, True
                elif sending and time > spans[at][1]:
                    # B-frames are never decoded here, and I- and P-frames come in the order they are shown:
                    # the window is complete, and nothing after it is needed until the next span's keyframe
                    sending, at = False, at + 1
                if at >= len(spans):
                    break
                if sending:
                    take(stream.decode(packet), base)
            take(stream.decode(None), base)
        except av.FFmpegError:
            pass  # a damaged stretch: a span left empty sends the caller the usual way
    for segment, feature in zip(segments, features, strict=True):
        segment.long = feature.long_changes()
        segment.rows = feature.rows
    return segments


def _joined(segments: list[_Segment], frame_s: float) -> FrameFeatures:
    """One table of features; a span's first frame, which has nothing decoded just before it, takes the motion
    of the next one instead of none."""
    rows: list[tuple[float, float, float, float, float, float, float]] = []
    long: list[float] = []
    for segment in segments:
        first = segment.rows[0]
        if len(segment.rows) > 1:
            first = (*first[:5], segment.rows[1][5], first[6])
        rows += [first, *segment.rows[1:]]
        long += segment.long
    table = np.array(rows, dtype=np.float64)
    return FrameFeatures(times=table[:, 0], luma=table[:, 1], contrast=table[:, 2], chroma=table[:, 3],
                         warmth=table[:, 4], motion=table[:, 5], change=table[:, 6], long_change=np.array(long),
                         frame_s=frame_s)  # fmt: skip
