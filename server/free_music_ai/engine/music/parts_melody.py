"""The melody: a two-bar motif that repeats and varies across each four-bar phrase.

A motif is a rhythm (onsets on an eighth-note grid, denser with energy) and a contour (mostly steps, the
odd leap answered by a step back). Each repetition re-fits the contour to the chords underneath, so the
tune recognisably returns while its notes follow the harmony; the phrase ends on a held chord tone.
New sections, and every third return of one, bring a new motif, so long pieces do not loop audibly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.theory import nearest_in_scale

SLOTS = 16  # eighth notes in two bars


@dataclass(frozen=True)
class Motif:
    onsets: tuple[int, ...]  # slots that start a note
    steps: tuple[int, ...]  # scale steps from the previous note, one per onset


def new_motif(density: float, rng: random.Random) -> Motif:
    weights = [1.0 if k % 4 == 0 else (0.7 if k % 2 == 0 else 0.45) for k in range(SLOTS)]
    onsets = [k for k in range(SLOTS) if rng.random() < min(0.95, density * weights[k] * 1.6)]
    if 0 not in onsets:
        onsets.insert(0, 0)
    steps: list[int] = []
    direction = rng.choice((-1, 1))
    for _ in onsets:
        if steps and abs(steps[-1]) >= 3:
            step = -1 if steps[-1] > 0 else 1  # a leap is answered by a step the other way
        elif rng.random() < 0.18:
            step = direction * rng.choice((2, 3, 4))
        else:
            step = direction * rng.choice((0, 1, 1, 1, 2))
        if rng.random() < 0.3:
            direction = -direction
        steps.append(step)
    return Motif(tuple(onsets), tuple(steps))


def melody_phrase(bars: list[Bar], motif: Motif, scale: tuple[int, ...], centre: int, program: int, velocity: int,
                  legato: float, rng: random.Random) -> list[Note]:  # fmt: skip
    """The motif over up to four bars: stated, repeated to fit new chords, and closed on a held chord tone."""
    notes: list[Note] = []
    pitch = centre
    for half in range(0, len(bars), 2):
        pair = bars[half : half + 2]
        closing = half + 2 >= len(bars)
        onsets = list(motif.onsets)
        if closing:  # end the phrase: keep the first half of the motif, then one long note
            onsets = [k for k in onsets if k < 8] + [8]
        pitch = _fit(centre if half == 0 else pitch, centre)
        for n, slot in enumerate(onsets):
            bar = pair[min(len(pair) - 1, slot // 8)]
            beat_in_bar = (slot % 8) / 2
            if beat_in_bar >= bar.beats:
                continue
            step = motif.steps[n % len(motif.steps)]
            pitch = _walk(pitch, step, scale, centre)
            strong = slot % 4 == 0
            if strong or (closing and n == len(onsets) - 1):
                pitch = _to_chord_tone(pitch, bar, scale)
            following = onsets[n + 1] if n + 1 < len(onsets) else 16
            slots_long = max(1, following - slot) if not (closing and n == len(onsets) - 1) else 8
            length = min(slots_long / 2 * legato, bar.beats * 2 - beat_in_bar)
            accent = 1.0 if strong else 0.82
            energy_level = 0.7 + 0.3 * bar.energy
            notes.append(Note(bar.start + beat_in_bar, length, pitch, clamp_velocity(velocity * accent * energy_level),
                              "lead", program))  # fmt: skip
    return notes


def _walk(pitch: int, step: int, scale: tuple[int, ...], centre: int) -> int:
    """Move ``step`` scale degrees, bending back toward the centre when the line strays more than an octave."""
    if abs(pitch - centre) > 9:
        step = -abs(step) if pitch > centre else abs(step)
    direction = 1 if step > 0 else -1
    for _ in range(abs(step)):
        pitch += direction
        while pitch % 12 not in scale:
            pitch += direction
    return pitch


def _fit(pitch: int, centre: int) -> int:
    while pitch - centre > 7:
        pitch -= 12
    while centre - pitch > 7:
        pitch += 12
    return pitch


def _to_chord_tone(pitch: int, bar: Bar, scale: tuple[int, ...]) -> int:
    for delta in (0, -1, 1, -2, 2, -3, 3):
        if bar.chord.contains(pitch + delta):
            return pitch + delta
    return nearest_in_scale(pitch, scale)
