"""Where each beat falls in time: a steady tempo, bent by at most 3 % between anchors so beats land on cuts.

A cut is honoured when it is at least two beats after the previous anchor: the beats between are spread
evenly so that one of them, or the eighth between two (a downbeat when the tempo allows), lands exactly on
the cut. The base tempo is
itself searched within 3 % of the mood's tempo to honour as many cuts as possible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_STRETCH = 0.03
BEATS_PER_BAR = 4
MIN_BEATS_BETWEEN = 2


@dataclass(frozen=True)
class TempoMap:
    bpm: float  # the base tempo
    anchors: tuple[tuple[float, float], ...]  # (beat, time in s), beat 0 at 0 s first; a beat may be an eighth
    cut_beats: tuple[float, ...] = ()  # the anchors that are cuts: beats (or eighths) that land on one
    end_period: float | None = None  # seconds a beat after the last anchor: the last stretch's, not a jump back

    @property
    def period_after(self) -> float:
        return self.end_period if self.end_period is not None else 60.0 / self.bpm

    def time_of(self, beat: float) -> float:
        """The time of a (fractional) beat: linear between anchors, the base tempo after the last."""
        period = 60.0 / self.bpm
        if beat <= 0:
            return beat * period
        for (b0, t0), (b1, t1) in zip(self.anchors, self.anchors[1:], strict=False):
            if beat <= b1:
                return t0 + (beat - b0) * (t1 - t0) / (b1 - b0)
        last_beat, last_time = self.anchors[-1]
        return last_time + (beat - last_beat) * self.period_after

    def beat_at(self, time: float) -> float:
        """The (fractional) beat at a time: the inverse of ``time_of``."""
        for (b0, t0), (b1, t1) in zip(self.anchors, self.anchors[1:], strict=False):
            if time <= t1:
                return b0 + (time - t0) * (b1 - b0) / (t1 - t0)
        last_beat, last_time = self.anchors[-1]
        return last_beat + (time - last_time) / self.period_after

    def with_ritardando(self, final_beat: int, beats: int = 3, slowest: float = 0.14) -> TempoMap:
        """Slow the last ``beats`` before ``final_beat`` progressively (each beat longer than the one before)."""
        start = final_beat - beats
        if start <= 0 or any(b > start for b, _ in self.anchors):
            return self  # a cut is anchored in the ending: it wins over the ritardando
        period = self.period_after
        anchors = [a for a in self.anchors if a[0] < start] + [(start, self.time_of(start))]
        time = anchors[-1][1]
        for k in range(1, beats + 1):
            time += period * (1 + slowest * k / beats)
            anchors.append((start + k, time))
        return TempoMap(bpm=self.bpm, anchors=tuple(anchors), cut_beats=self.cut_beats, end_period=period)


MAX_DRIFT = 0.12  # how far the tempo may wander from the base over many cuts
BEAM = 24


@dataclass(frozen=True)
class _Path:
    score: float
    anchors: tuple[tuple[float, float], ...]
    period: float


def _align(bpm: float, cuts: list[float]) -> tuple[tuple[tuple[float, float], ...], float, float]:
    """Anchor cuts with a beam search: each stretch's tempo within 3 % of the one before (and of the base at
    the start), never more than 12 % from the base; downbeats count more than other beats, beats more than
    the eighths between them."""
    base = 60.0 / bpm
    paths = [_Path(0.0, ((0.0, 0.0),), base)]
    for cut in cuts:
        grown: list[_Path] = []
        for path in paths:
            grown.append(path)  # leaving this cut unanchored is always possible
            beat, time = path.anchors[-1]
            span = cut - time
            if span < MIN_BEATS_BETWEEN * path.period * (1 - MAX_STRETCH):
                continue
            # in eighths, so a cut between two beats can take the offbeat; a stretch that needs more than 3 %
            # gets there in two steps (a tempo ramp), each within 3 % of the one before
            reach = (1 + MAX_STRETCH) ** 2
            lowest = max(2 * MIN_BEATS_BETWEEN, math.ceil(2 * span / (path.period * reach)))
            highest = math.floor(2 * span * reach / path.period)
            for eighths in range(lowest, highest + 1):
                steps = _stretch(path.period, span, eighths / 2)
                if steps is None or any(abs(period / base - 1) > MAX_DRIFT for _, period in steps):
                    continue
                landing = beat + eighths / 2
                gain = 1.0 if landing % BEATS_PER_BAR == 0 else (0.8 if landing == int(landing) else 0.6)
                gain -= 0.5 * abs(steps[-1][1] / base - 1) + (0.15 if len(steps) > 1 else 0.0)
                anchors = list(path.anchors)
                at_time = time
                for beats, period in steps[:-1]:
                    at_time += beats * period
                    anchors.append((anchors[-1][0] + beats, at_time))
                anchors.append((landing, cut))
                grown.append(_Path(path.score + gain, tuple(anchors), steps[-1][1]))
        grown.sort(key=lambda p: -p.score)
        paths = grown[:BEAM]
    best = max(paths, key=lambda p: p.score)
    return best.anchors, best.score, best.period


def _stretch(period: float, span: float, beats: float) -> list[tuple[float, float]] | None:
    """How to cover ``span`` seconds in ``beats`` beats from a tempo of ``period`` s a beat: one steady stretch
    within 3 %, or two (the first whole beats at up to 3 %, the rest within 3 % of that), or None."""
    needed = span / beats
    if abs(needed / period - 1) <= MAX_STRETCH + 1e-9:
        return [(beats, needed)]
    first = math.floor(beats / 2)
    if first < 1:
        return None
    step = max(-MAX_STRETCH, min(MAX_STRETCH, needed / period - 1))
    p1 = period * (1 + step)
    p2 = (span - p1 * first) / (beats - first)
    if abs(p2 / p1 - 1) > MAX_STRETCH + 1e-9:
        return None
    return [(float(first), p1), (beats - first, p2)]


def build_tempo_map(bpm: float, cuts: list[float], duration_s: float, *, base_freedom: float = 0.08) -> TempoMap:
    """The tempo map that honours the most cuts (downbeats preferred) with the base tempo nearest ``bpm``.

    The base tempo may move by ``base_freedom`` (a mood's tempo is approximate; a tempo the user asked for is
    not, and gets a small freedom); from there each stretch between anchors changes tempo by 3 % at most.
    """
    usable = [c for c in cuts if 0 < c < duration_s - 0.05]
    if not usable:
        return TempoMap(bpm=bpm, anchors=((0.0, 0.0),))
    best: tuple[float, float, TempoMap] | None = None
    steps = max(1, round(base_freedom / 0.01))
    for step in range(-steps, steps + 1):
        candidate = bpm * (1 + step * base_freedom / steps)
        anchors, score, period = _align(candidate, usable)
        key = (round(score, 6), -abs(step))
        if best is None or key > (best[0], best[1]):
            hits = tuple(b for b, t in anchors[1:] if t in usable)
            best = (key[0], key[1], TempoMap(bpm=candidate, anchors=anchors, cut_beats=hits, end_period=period))
    assert best is not None
    return best[2]
