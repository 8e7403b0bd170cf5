"""The melody and the counter-line: phrases that ask and answer, drawn from a contour with one peak note.

A phrase is four bars: the first two ask (rising to a peak and stopping on an open degree, the 2nd or 5th),
the last two answer (falling home to the tonic or the 3rd). The rhythm is a two-bar motif kept per section,
so a chorus comes back recognisably; the pitches follow the contour, land on chord tones on strong beats and
rarely repeat. The counter-line is sparser and lower, and plays where the lead rests: call and response.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.hook import off_the_rub
from free_music_ai.engine.music.notes import Note, clamp_velocity

SLOTS = 16  # eighth notes in two bars


@dataclass(frozen=True)
class Motif:
    onsets: tuple[int, ...]  # slots that start a note, over two bars
    peak_at: float  # where in the phrase (0..1) the contour peaks
    span: int  # scale steps from the phrase's lowest to its peak
    shape: str = "arch"  # the contour: arch, rising, falling, wave, valley (hook.SHAPES)


def new_motif(density: float, rng: random.Random, *, span: int = 6, shape: str = "arch", least: int = 0) -> Motif:
    """A two-bar rhythm (downbeats likelier than offbeats, a rest somewhere) and a contour; with ``least``, one of
    at least that many notes (a solo's line: one draw in fifty left a soloist six notes in two bars), drawn again
    up to eight times from the same generator, the busiest kept."""
    drawn = [_one_motif(density, rng, span=span, shape=shape)]
    while len(drawn[-1].onsets) < least and len(drawn) < 8:
        drawn.append(_one_motif(density, rng, span=span, shape=shape))
    return max(drawn, key=lambda motif: min(len(motif.onsets), least))


def _one_motif(density: float, rng: random.Random, *, span: int, shape: str) -> Motif:
    weights = [1.0 if k % 4 == 0 else (0.62 if k % 2 == 0 else 0.4) for k in range(SLOTS)]
    onsets = [k for k in range(SLOTS) if rng.random() < min(0.92, density * weights[k] * 1.7)]
    if 0 not in onsets and rng.random() < 0.6:
        onsets.insert(0, 0)
    if len(onsets) < 3:
        onsets = sorted(set(onsets) | {0, 4, 8})
    # a breath: two to four slots left empty in the second bar, so phrases are sung, not typed
    gap = rng.choice((10, 11, 12))
    onsets = [k for k in onsets if not gap <= k < gap + rng.choice((2, 3))] or [0, 4]
    return Motif(tuple(onsets), peak_at=rng.uniform(0.45, 0.75), span=span, shape=shape)


def _degree_pitch(scale_notes: list[int], degree: float) -> int:
    index = max(0, min(len(scale_notes) - 1, round(degree)))
    return scale_notes[index]


def phrase_notes(
    bars: list[Bar],
    playing: list[bool],
    motif: Motif,
    *,
    scale: tuple[int, ...],
    centre: int,
    program: int,
    velocity: int,
    legato: float,
    rng: random.Random,
    part: str = "lead",
) -> list[Note]:
    """The voice over one phrase (up to four bars), in the bars where ``playing`` says so."""
    scale_notes = [n for n in range(centre - 19, centre + 20) if n % 12 in scale]
    home = min(range(len(scale_notes)), key=lambda i: (abs(scale_notes[i] - centre), scale_notes[i] % 12 != scale[0]))
    tonic_degrees = [i for i, n in enumerate(scale_notes) if n % 12 == scale[0]]
    tonic = min(tonic_degrees, key=lambda i: abs(i - home))
    notes: list[Note] = []
    previous: int | None = None
    repeats = 0
    total = len(bars)
    for b, bar in enumerate(bars):
        if not playing[b]:
            previous = None
            continue
        half = b // 2  # 0 asks, 1 answers
        closing = b % 2 == 1 and (b + 1 >= total or not playing[b + 1] or b == 1)
        onsets = [k - 8 * (b % 2) for k in motif.onsets if 8 * (b % 2) <= k < 8 * (b % 2 + 1)]
        if closing:
            onsets = [k for k in onsets if k < 4] + [4]
        if not onsets:
            continue
        for n, slot in enumerate(onsets):
            beat_in_bar = slot / 2
            if beat_in_bar >= bar.beats:
                continue
            x = (b + slot / 8) / max(1, total)
            last = closing and n == len(onsets) - 1
            target = tonic + _contour(x, half, motif)
            pitch_degree = round(target)
            pitch = _degree_pitch(scale_notes, pitch_degree)
            if slot % 4 == 0 or last:
                pitch = _chord_tone(pitch, bar, scale_notes)
            if last:
                pitch = _cadence_note(pitch, half, scale, bar, scale_notes)
            if previous is not None:
                if pitch == previous:
                    repeats += 1
                    if repeats >= 1 and not last:  # a repeated note moves on, toward where the line is going
                        step = 1 if target >= pitch_degree else -1
                        pitch = _degree_pitch(scale_notes, _index_of(scale_notes, pitch) + step)
                        repeats = 0
                else:
                    repeats = 0
                if abs(pitch - previous) > 9:  # no wild leaps: an octave at most, and rarely
                    pitch = _degree_pitch(
                        scale_notes, _index_of(scale_notes, previous) + (3 if pitch > previous else -3)
                    )
            following = onsets[n + 1] if n + 1 < len(onsets) else 8
            slots_long = (8 - slot) if last else max(1, following - slot)
            length = min(slots_long / 2 * (1.0 if last else legato), bar.beats - beat_in_bar)
            if length >= 0.5:
                pitch = off_the_rub(pitch, bar)
            accent = (1.0 if slot % 4 == 0 else 0.84) * (0.75 + 0.25 * bar.energy) * rng.uniform(0.94, 1.04)
            notes.append(Note(bar.start + beat_in_bar, length, pitch, clamp_velocity(velocity * accent), part, program))
            previous = pitch
    return notes


def _contour(x: float, half: int, motif: Motif) -> float:
    """Scale steps above the tonic along the phrase, in the motif's shape: an arch rises to its peak and falls
    home, a rising line climbs, a falling one descends from the top, a wave turns twice, a valley dips."""
    peak = motif.peak_at
    arch = math.sin(0.5 * math.pi * x / peak) if x <= peak else math.cos(0.5 * math.pi * (x - peak) / (1 - peak))
    shape = {
        "arch": arch,
        "rising": min(1.0, x / peak),
        "falling": 1.0 - min(1.0, x / peak) * 0.85,
        "wave": 0.5 + 0.5 * math.sin(3 * math.pi * x),
        "valley": 1.0 - arch * 0.8,
    }.get(motif.shape, arch)
    lift = 1.0 if half == 0 else 0.8
    return 1 + (motif.span - 1) * shape * lift


def _index_of(scale_notes: list[int], pitch: int) -> int:
    return min(range(len(scale_notes)), key=lambda i: abs(scale_notes[i] - pitch))


def _chord_tone(pitch: int, bar: Bar, scale_notes: list[int]) -> int:
    for delta in (0, -1, 1, -2, 2, -3, 3):
        if bar.chord.contains(pitch + delta) and (pitch + delta) in scale_notes:
            return pitch + delta
    for delta in (0, -1, 1, -2, 2, -3, 3):
        if bar.chord.contains(pitch + delta):
            return pitch + delta
    return pitch


def _cadence_note(pitch: int, half: int, scale: tuple[int, ...], bar: Bar, scale_notes: list[int]) -> int:
    """A question stops on an open degree (the 2nd or 5th), an answer on the tonic or the 3rd; a chord tone of
    the bar when one of those is in it."""
    wanted = (scale[1], scale[4]) if half == 0 else (scale[0], scale[2])
    candidates = [n for n in scale_notes if n % 12 in wanted and abs(n - pitch) <= 5]
    if not candidates:
        return pitch
    in_chord = [n for n in candidates if bar.chord.contains(n)]
    return min(in_chord or candidates, key=lambda n: abs(n - pitch))
