"""The trap 808 line: long sub notes locked to the kick, the root held, and slides a producer draws in.

A slide is written as trap producers write it: the note before is held into the next one, whose pitch it
glides to (sound_design.py hears the overlap and glides). Notes that do not slide end an eighth of a beat
early, so no humanized timing can make them overlap by accident.
"""

from __future__ import annotations

import random

from free_music_ai.engine.music.designed_parts import BASS_808_PART, BASS_808_PROGRAM
from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.notes import Note, clamp_velocity

REGISTER_808 = (28, 41)  # E1..F2: the fundamental between 41 and 87 Hz, its saturation heard above
SLIDE_OVERLAP = 0.125  # beats a sliding note's predecessor is held into it
GAP = 0.125  # beats a note that does not slide ends before the next
# Rhythms on trap's first kick (0, 0.75 and 2.5); each groove has its own (drum_grooves.py)
RHYTHMS_808 = ((0.0, 2.5), (0.0, 0.75, 2.5), (0.0, 1.5, 2.5, 3.5), (0.0, 2.5, 3.25), (0.0, 0.75, 2.5, 3.75))
# Where a slide goes, in semitones from the root: up the octave, down to the fifth below, up a minor third...
SLIDE_TARGETS = (12, -5, 3, 7, 10, -2)


def root_808(root_pc: int, previous: int | None) -> int:
    options = [n for n in range(REGISTER_808[0], REGISTER_808[1] + 1) if n % 12 == root_pc]
    target = previous if previous is not None else (REGISTER_808[0] + REGISTER_808[1]) // 2
    return min(options, key=lambda n: abs(n - target))


def bass_808_bar(bar: Bar, velocity: int, previous: int | None, *, rng: random.Random,
                 rhythms: tuple[tuple[float, ...], ...] = ()) -> tuple[list[Note], int]:  # fmt: skip
    """One bar of the 808, on one of ``rhythms`` (the kick's: the groove's own; trap's first groove's by default)."""
    root = root_808(bar.chord.root, previous)
    v = velocity * (0.85 + 0.2 * bar.energy)
    if bar.feel == "build":
        return [], root  # the sub drops out under the build, so the drop hits
    if bar.feel == "drop" or bar.energy < 0.4:
        return [_note(bar, 0.0, bar.beats - GAP, root, v)], root  # one long sub from the one
    if bar.feel == "halftime":
        starts: tuple[float, ...] = (0.0, 2.0)
    else:
        rhythms = rhythms or RHYTHMS_808
        starts = rhythms[rng.randrange(len(rhythms))]
    starts = tuple(s for s in starts if s < bar.beats)
    keys = [root] * len(starts)
    slide = -1  # which note slides in from the one before it
    if len(starts) >= 2 and bar.energy >= 0.5 and rng.random() < 0.6:
        slide = rng.randrange(1, len(starts))
        interval = rng.choice(SLIDE_TARGETS)
        target = root + interval
        if not REGISTER_808[0] <= target <= REGISTER_808[1] + 12:
            target = root - (12 - interval % 12) if interval > 0 else root + 12 + interval
        keys[slide] = target
        for k in range(slide + 1, len(starts)):  # after a slide up the octave the line may stay there a beat
            keys[k] = target if rng.random() < 0.3 else root
    notes: list[Note] = []
    for k, start in enumerate(starts):
        following = starts[k + 1] if k + 1 < len(starts) else bar.beats
        held = following - start + (SLIDE_OVERLAP if k + 1 == slide else -GAP)
        notes.append(_note(bar, start, held, keys[k], v * (1.0 if k == 0 else 0.88)))
    return notes, root


def _note(bar: Bar, beat: float, length: float, key: int, velocity: float) -> Note:
    return Note(bar.start + beat, max(0.125, length), key, clamp_velocity(velocity), BASS_808_PART, BASS_808_PROGRAM)
