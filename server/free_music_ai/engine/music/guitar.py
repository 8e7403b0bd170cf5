"""An acoustic guitar as it is played: chord shapes on six strings, strummed or picked.

Issue 27 heard the acoustic strum as synthetic: four piano-spaced notes struck together. A guitarist frets a
shape in the first position (open strings ring), and a strum is the strings struck one after another a few
milliseconds apart: a down-stroke from the low string up, an up-stroke from the high strings down, softer and
on fewer strings, on a strumming pattern. Picking takes the same shape: a bass string on the beat (alternating
root and fifth, Travis style, in folk) and the treble strings between.
"""

from __future__ import annotations

import random

from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.theory import Chord

STRINGS = (40, 45, 50, 55, 59, 64)  # E2 A2 D3 G3 B3 E4, standard tuning
MAX_FRET = 4  # the first position: open strings ring and the hand stays put
DOWN_STRING_S = 0.009  # time between strings on a down-stroke (about 45 ms across six strings)
UP_STRING_S = 0.007
UP_STRINGS = 3  # an up-stroke catches the treble strings only
RING_BEATS = 1.0
MIDDLE_STRINGS = 4  # a down-stroke off the strong beats misses the bass strings
UP_ACCENT = 0.72  # and is softer
# Strumming patterns: (beat, down-stroke, accent). "Down, down-up, up-down-up" and its relatives.
STRUM_PATTERNS = (
    ((0, True, 1.0), (1, True, 0.75), (1.5, False, 1.0), (2.5, False, 1.0), (3, True, 0.85), (3.5, False, 1.0)),
    ((0, True, 1.0), (1, True, 0.8), (2, True, 0.9), (2.5, False, 1.0), (3, True, 0.85), (3.5, False, 1.0)),
    ((0, True, 1.0), (0.5, False, 0.9), (1.5, False, 1.0), (2, True, 0.9), (3, True, 0.85), (3.5, False, 1.0)),
    ((0, True, 1.0), (1.5, False, 1.0), (2, True, 0.85), (2.5, False, 0.9), (3.5, False, 1.0)),
)


def guitar_shape(chord: Chord) -> list[int]:
    """The chord as a guitarist frets it in the first position, low string to high: the root on the lowest
    string that can play it within the position, every string above it on its nearest chord tone."""
    shape: list[int] = []
    for string in STRINGS:
        frets = [f for f in range(MAX_FRET + 1) if chord.contains(string + f)]
        if not shape:
            roots = [f for f in frets if (string + f) % 12 == chord.root]
            if roots and string <= 50:  # the bass string: E, A or D
                shape.append(string + roots[0])
            continue
        if frets:
            shape.append(string + frets[0])
    if len(shape) < 3:  # a chord the first position cannot reach: the root and the tones above it in order
        root = next(n for n in range(40, 52) if n % 12 == chord.root)
        shape = [root, *[n for n in range(root + 1, root + 20) if chord.contains(n)][:4]]
    return shape


def strum_bar(bar: Bar, program: int, velocity: int, *, legato: float, rng: random.Random, part: str) -> list[Note]:
    shape = guitar_shape(bar.chord)
    pattern = STRUM_PATTERNS[rng.randrange(len(STRUM_PATTERNS))]
    v = velocity * (0.6 + 0.3 * bar.energy)
    notes: list[Note] = []
    strokes = [(beat, down, accent) for beat, down, accent in pattern if beat < bar.beats]
    for beat, down, accent in strokes:
        # a down-stroke takes the bass strings on the strong beats and brushes the upper ones between them
        downward = shape if beat in (0, 2) else shape[-MIDDLE_STRINGS:]
        strings = downward if down else list(reversed(shape))[:UP_STRINGS]
        gap = DOWN_STRING_S if down else UP_STRING_S
        level = v * accent * (1.0 if down else UP_ACCENT) * rng.uniform(0.92, 1.05)
        for order, key in enumerate(strings):
            # the first strings struck are hit hardest; the stroke loses a little on its way across
            # every stroke rings one length (a beat): the synthesizer renders one waveform per string and length
            notes.append(Note(bar.start + beat, RING_BEATS * legato, key,
                              clamp_velocity(level * (1.0 - 0.025 * order)), part, program,
                              pan=0.25 * (shape.index(key) / max(1, len(shape) - 1) - 0.5),
                              strum_s=gap * order + rng.uniform(0.0, 0.002)))  # fmt: skip
    return notes


def pick_bar(bar: Bar, program: int, velocity: int, *, rng: random.Random, part: str, travis: bool) -> list[Note]:
    """Fingerpicking: the bass string on each beat (alternating root and the string above it in Travis style),
    the treble strings on the offbeats, each string let ring."""
    shape = guitar_shape(bar.chord)
    bass, treble = shape[0], shape[-3:]
    alternate = shape[1] if len(shape) > 3 else bass
    v = velocity * (0.55 + 0.3 * bar.energy)
    notes: list[Note] = []
    order = (2, 1, 0, 1) if rng.random() < 0.5 else (1, 2, 0, 2)
    for k in range(int(bar.beats * 2)):
        beat = k / 2
        if k % 2 == 0:
            key = alternate if travis and k % 4 == 2 else bass
            accent = 1.0 if k == 0 else 0.85
        else:
            key = treble[order[(k // 2) % len(order)] % len(treble)]
            accent = 0.72
            if rng.random() < 0.1:
                continue  # the picking hand lets a note go now and then
        notes.append(Note(bar.start + beat, min(1.0, bar.beats - beat), key,
                          clamp_velocity(v * accent * rng.uniform(0.9, 1.06)), part, program))  # fmt: skip
        if travis and k in (3, 7) and len(shape) >= 4:  # a pinch: the top string with the bass's answer
            notes.append(Note(bar.start + beat, min(1.5, bar.beats - beat), shape[-1], clamp_velocity(v * 0.6),
                              part, program))  # fmt: skip
    return notes
