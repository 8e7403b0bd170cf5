"""Scene changes: hard cuts, fades through black and dissolves, from the per-frame features.

- A hard cut is a spike: one frame differs from the last far more than its neighbours do (the adaptive
  rule of PySceneDetect's AdaptiveDetector: ratio to the local average, plus a minimum change).
- A fade is a stretch of near-black frames entered or left gradually; the scene change is where the
  new picture starts to appear.
- A dissolve is a peak of change between frames half a second apart with no spike: one shot melting
  into the next.
Frames decoded without their non-reference neighbours leave gaps; a hard cut found across a gap is
placed on its exact frame by decoding just that stretch at full rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.analysis.frames import FAST_DECODE, FrameFeatures

SPIKE_RATIO = 4.0
MIN_CHANGE = 30.0
MIN_SCENE_S = 0.4
DARK = 0.085
DISSOLVE_LEVEL = 28.0


@dataclass(frozen=True)
class Transition:
    time_s: float
    kind: str  # "cut", "fade" or "dissolve"


def _hard_cuts(features: FrameFeatures) -> list[int]:
    change = features.change
    found: list[int] = []
    for i in range(1, len(change)):
        around = [change[j] for j in range(max(1, i - 2), min(len(change), i + 3)) if j != i]
        local = float(np.mean(around)) if around else 0.0
        if change[i] >= MIN_CHANGE and change[i] >= SPIKE_RATIO * (local + 1.0):
            if found and features.times[i] - features.times[found[-1]] < MIN_SCENE_S:
                if change[i] > change[found[-1]]:
                    found[-1] = i
                continue
            found.append(i)
    return found


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


def refine_cut(path: Path, before_s: float, after_s: float) -> float:
    """The time of the first frame of the new shot between two decoded frames, by decoding that stretch."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.options = dict(FAST_DECODE)
        time_base = float(stream.time_base or 1 / 90000)
        container.seek(int(before_s / time_base), stream=stream, backward=True)
        best_time, best_change, previous = after_s, -1.0, None
        for frame in container.decode(stream):
            if frame.time is None:
                continue
            if frame.time > after_s + 1e-6:
                break
            small = frame.to_ndarray(format="gray")[::8, ::8].astype(np.float32)
            if previous is not None and frame.time > before_s - 1e-6:
                change = float(np.mean(np.abs(small - previous)))
                if change > best_change:
                    best_time, best_change = float(frame.time), change
            previous = small
    return best_time


def find_transitions(features: FrameFeatures, path: Path | None = None, refine_limit: int = 40) -> list[Transition]:
    times = features.times
    spikes = _hard_cuts(features)
    fades = _fades(features, set(spikes))
    gap = float(np.median(np.diff(times))) if len(times) > 2 else 0.04
    refined = 0

    def placed(index: int) -> float:
        """A spike's time, moved onto its exact frame when frames were skipped around it."""
        nonlocal refined
        t = float(times[index])
        if (
            path is not None
            and index > 0
            and refined < refine_limit
            and times[index] - times[index - 1] > 1.5 * min(gap, 1 / 24)
        ):
            refined += 1
            return refine_cut(path, float(times[index - 1]), t)
        return t

    transitions = [Transition(round(placed(i) if spike else float(times[i]), 3), "cut" if spike else "fade")
                   for _, _, i, spike in fades]  # fmt: skip
    for i in spikes:
        t = float(times[i])
        if any(start - 0.3 <= t <= end + 0.3 for start, end, _, _ in fades):
            continue  # the step into black or out of it: already placed with its fade
        transitions.append(Transition(round(placed(i), 3), "cut"))
    taken = [tr.time_s for tr in transitions]
    transitions += [Transition(round(t, 3), "dissolve") for t in _dissolves(features, taken)]
    return sorted(transitions, key=lambda tr: tr.time_s)
