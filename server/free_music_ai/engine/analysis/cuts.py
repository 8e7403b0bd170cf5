"""Scene changes: hard cuts, fades through black and dissolves, from the per-frame features.

- A hard cut is a spike: one frame differs from the last far more than its neighbours do (the adaptive
  rule of PySceneDetect's AdaptiveDetector: ratio to the local average, plus a minimum change).
- A fade is a stretch of near-black frames entered or left gradually; the scene change is where the
  new picture starts to appear.
- A dissolve is a peak of change between frames half a second apart with no spike: one shot melting
  into the next.
The features skip B-frames, and across the gap they leave, motion adds up while a cut does not: so a
milder spike there is only a candidate, and decoding just that stretch at full rate decides whether one
frame really stands out, and which frame starts the new shot.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.analysis.features import SpanFeatures
from free_music_ai.engine.analysis.frames import FAST_DECODE, FrameFeatures, small_planes

SPIKE_RATIO = 4.0
CANDIDATE_RATIO = 3.0  # below SPIKE_RATIO, worth a look at full rate (see _candidates)
MIN_CHANGE = 30.0
MIN_SCENE_S = 0.4
DARK = 0.085
DISSOLVE_LEVEL = 28.0
REFINE_LIMIT = 60  # stretches decoded at full rate per video; stronger candidates first
REFINE_BUDGET_S = 1.0  # wall time for the full-rate checks of one video, plus...
REFINE_BUDGET_PER_S = 0.02  # ...this much per second of it (a first pass takes about 0.03 s per second)
REFINE_LEAD_S = 0.5  # B-frames are decoded from this far before a stretch (their references are then whole)


@dataclass(frozen=True)
class Transition:
    time_s: float
    kind: str  # "cut", "fade" or "dissolve"


def _spike_ratio(change: np.ndarray, i: int) -> float:
    around = [change[j] for j in range(max(1, i - 2), min(len(change), i + 3)) if j != i]
    return float(change[i] / ((float(np.mean(around)) if around else 0.0) + 1.0))


def _candidates(features: FrameFeatures) -> list[tuple[int, float]]:
    """Spikes as (index, ratio to their neighbours), including milder ones: skipped frames inflate the change
    of the neighbours (motion adds up across a gap), so a real cut can look mild there."""
    times, change = features.times, features.change
    found: list[tuple[int, float]] = []
    for i in range(1, len(change)):
        ratio = _spike_ratio(change, i)
        if change[i] < MIN_CHANGE or ratio < CANDIDATE_RATIO:
            continue
        if found and times[i] - times[found[-1][0]] < MIN_SCENE_S:
            if change[i] > change[found[-1][0]]:
                found[-1] = (i, ratio)
            continue
        found.append((i, ratio))
    return found


def _cuts(features: FrameFeatures, path: Path | None, refine_limit: int) -> dict[int, float]:
    """The hard cuts: index of the first decoded frame of each new shot -> the time that shot starts."""
    times, frame_s = features.times, features.frame_s
    cuts: dict[int, float] = {}
    to_check: list[tuple[int, float]] = []
    for i, ratio in _candidates(features):
        if ratio >= SPIKE_RATIO and times[i] - times[i - 1] <= 1.5 * frame_s:
            cuts[i] = float(times[i])  # a clear spike with nothing skipped before it: the new shot's first frame
        elif path is not None:
            to_check.append((i, ratio))
        elif ratio >= SPIKE_RATIO:
            cuts[i] = float(times[i])
    to_check.sort(key=lambda item: -item[1])  # the strongest first: they matter most if time runs out
    checked, unchecked = to_check[:refine_limit], to_check[refine_limit:]
    if checked and path is not None:
        # each check decodes from the keyframe before it: with long GOPs and many candidates that could
        # cost more than the first pass, so checks stop after a budget and the rest fall back to the rule
        duration = float(times[-1] - times[0]) if len(times) else 0.0
        deadline = time.monotonic() + REFINE_BUDGET_S + REFINE_BUDGET_PER_S * duration

        def check(item: tuple[int, float]) -> tuple[bool, float | None]:
            """(whether it was checked, the cut's time or None when it is no cut)."""
            if time.monotonic() > deadline:
                return False, None
            return True, refine_cut(path, float(times[item[0] - 1]), float(times[item[0]]), frame_s=frame_s)

        with ThreadPoolExecutor(max_workers=min(len(checked), os.cpu_count() or 1)) as pool:
            found = list(pool.map(check, checked))
        cuts.update({i: t for (i, _), (_, t) in zip(checked, found, strict=True) if t is not None})
        unchecked += [item for item, (done, _) in zip(checked, found, strict=True) if not done]
    cuts.update({i: float(times[i]) for i, ratio in unchecked if ratio >= SPIKE_RATIO})
    return dict(sorted(cuts.items()))


def _dark_spans(features: FrameFeatures) -> list[tuple[int, int]]:
    dark = features.luma < DARK
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(dark):
        if dark[i]:
            j = i
            while j + 1 < len(dark) and dark[j + 1]:
                j += 1
            spans.append((i, j))
            i = j + 1
        else:
            i += 1
    return spans


def _fades(features: FrameFeatures, spikes: set[int]) -> list[tuple[float, float, int, bool]]:
    """Each stretch of black: (start, end, index of the scene change, whether that change is a spike).

    Left by a spike: a cut out of black (a title card, then the first shot). Entered by a spike: a cut
    into a shot that fades in from dark. Otherwise the new scene starts where the picture comes out of black
    (fade out, then in), or where it went into it (a fade to black at the end).
    """
    times, luma = features.times, features.luma
    fades: list[tuple[float, float, int, bool]] = []
    for first, last in _dark_spans(features):
        before = np.flatnonzero((times >= times[first] - 0.6) & (times < times[first]))
        after = np.flatnonzero((times > times[last]) & (times <= times[last] + 0.6))
        fading_out = len(before) >= 2 and luma[before[0]] > DARK * 1.5 and np.all(np.diff(luma[before]) <= 0.01)
        fading_in = len(after) >= 2 and luma[after[-1]] > DARK * 1.5 and np.all(np.diff(luma[after]) >= -0.01)
        leaving = min(len(times) - 1, last + 1)
        if leaving in spikes:
            change, spike = leaving, True
        elif first in spikes:
            change, spike = first, True
        elif fading_in:
            change, spike = leaving, False
        elif fading_out:
            change, spike = first, False
        else:
            continue
        start = float(times[before[0]]) if fading_out else float(times[first])
        end = float(times[after[-1]]) if fading_in else float(times[last])
        fades.append((start, end, change, spike))
    return fades


def _dissolves(features: FrameFeatures, taken: list[float]) -> list[float]:
    times, score = features.times, features.long_change
    found: list[float] = []
    for i in range(1, len(times) - 1):
        window = (times > times[i] - 3) & (times < times[i] + 3)
        if (
            score[i] < DISSOLVE_LEVEL
            or score[i] < 2.5 * float(np.median(score[window]))
            or score[i] < score[window].max()
        ):
            continue
        if any(abs(times[i] - t) < 1.2 for t in taken):
            continue  # a cut or fade already explains the change
        found.append(float(times[i]))
    return found


def refine_cut(path: Path, before_s: float, after_s: float, *, frame_s: float) -> float | None:
    """Between two decoded frames, the first frame of a new shot, or None when no frame there stands out.

    Every frame from a little before ``before_s`` to a little after ``after_s`` is decoded (B-frames skipped
    until shortly before), and the spike rule is applied at full rate.
    """
    import av

    margin = 2.5 * frame_s
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.options = dict(FAST_DECODE)
        stream.codec_context.skip_frame = "BIDIR"
        time_base = float(stream.time_base or 1 / 90000)
        container.seek(int(max(0.0, before_s - REFINE_LEAD_S) / time_base), stream=stream, backward=True)
        skipping = True
        features = SpanFeatures()  # the same cut score as the first pass, frame by frame
        try:
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                if skipping:
                    if frame.time < before_s - REFINE_LEAD_S:
                        continue
                    stream.codec_context.skip_frame = "DEFAULT"  # from here on every frame is decoded
                    skipping = False
                if frame.time > after_s + margin:
                    break
                if frame.time >= before_s - margin:
                    features.add(frame.time, small_planes(frame))
        except av.FFmpegError:
            pass  # a damaged stretch: judge what decoded
    features.flush()
    times = [row[0] for row in features.rows[1:]]  # the first has no frame before it to differ from
    changes = [row[6] for row in features.rows[1:]]
    inside = [k for k, t in enumerate(times) if before_s + 1e-6 < t <= after_s + 1e-6]
    if not inside:
        return None
    best = max(inside, key=lambda k: changes[k])
    if changes[best] < MIN_CHANGE or _spike_ratio(np.array(changes), best) < SPIKE_RATIO:
        return None
    return times[best]


def find_transitions(features: FrameFeatures, path: Path | None = None,
                     refine_limit: int = REFINE_LIMIT) -> list[Transition]:  # fmt: skip
    """Cuts, fades and dissolves; with ``path``, cuts across skipped frames are checked and placed at full rate."""
    times = features.times
    cuts = _cuts(features, path, refine_limit)
    fades = _fades(features, set(cuts))
    transitions = [Transition(round(cuts[i] if spike else float(times[i]), 3), "cut" if spike else "fade")
                   for _, _, i, spike in fades]  # fmt: skip
    for i, t in cuts.items():
        if any(start - 0.3 <= times[i] <= end + 0.3 for start, end, _, _ in fades):
            continue  # the step into black or out of it: already placed with its fade
        transitions.append(Transition(round(t, 3), "cut"))
    taken = [tr.time_s for tr in transitions]
    transitions += [Transition(round(t, 3), "dissolve") for t in _dissolves(features, taken)]
    return sorted(transitions, key=lambda tr: tr.time_s)
