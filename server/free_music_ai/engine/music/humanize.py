"""From written notes to played ones: swing, small timing deviations, breathing dynamics, then real time.

A metronome plays every note exactly on the grid at one level; a player leans on strong beats, rushes or
drags a few milliseconds, and swells and fades over bars. Timing deviations are kept small (drums +-8 ms,
others +-20 ms) so beats still land on the video's cuts.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence

from free_music_ai.engine.music.designed_parts import DESIGNED_PARTS, SILENT_EXPRESSION, plays_designed
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.tempo_map import TempoMap
from free_music_ai.engine.soundfont import NoteEvent
from free_music_ai.engine.soundfont.events import Vibrato

TIMING_SD_S = {"drums": 0.007, "kick": 0.007, "bass": 0.008}
DEFAULT_TIMING_SD_S = 0.009
TIMING_LIMIT_S = {"drums": 0.012, "kick": 0.012}
DEFAULT_TIMING_LIMIT_S = 0.02
LAID_BACK_S = {"lead": 0.006, "keys": 0.003}  # melody and chords sit a hair behind the beat
# a player shakes the notes held this long: every note of 0.4 s and more shook, rock's quarter notes too, a swing and a
# half each cut off mid-swing, and the chorus line warbled note after note (a listening critique)
VIBRATO_HELD_BEATS = 1.5
# Where each part stands, as a mixing engineer would place a band: bass, kick and lead in the middle, the
# accompaniment spread wide (chords also spread their own notes, see parts_harmony)
PANS = {"drums": 0.0, "bass": 0.0, "keys": -0.45, "lead": 0.15, "pad": 0.0, "guitar": 0.65, "arp": -0.6,
        "choir": 0.5, "brass": -0.5, "counter": 0.6, "hits": 0.0}  # fmt: skip


def _swung(beat: float, swing: float) -> float:
    """Where a written beat is played with ``swing``: the offbeat eighth late by ``swing`` half beats, and every other
    place in the beat moved with it, the first half stretched and the second squeezed. Only the offbeat moved, a
    sixteenth after it came 0.14 beat later (110 ms in a hip-hop groove, whose beat tracking fell to 0.75 from the
    straight genres' 0.94-1.0); now the beat's four sixteenths are long, long, short, short. A triplet (a jazz fill,
    a trap roll) is played even: swing is the triplet's feel already."""
    fraction = beat % 1.0
    binary = abs(fraction * 32 - round(fraction * 32)) < 1e-6  # on the grid of 32nds
    if swing <= 0 or not binary or fraction < 1e-6 or fraction > 1 - 1e-6:
        return beat
    if abs(fraction - 0.5) < 1e-6:
        return beat + swing * 0.5
    offbeat = 0.5 + swing * 0.5
    if fraction < 0.5:
        return beat - fraction + fraction * 2 * offbeat
    return beat - fraction + offbeat + (fraction - 0.5) * 2 * (1 - offbeat)


def perform(notes: list[Note], tempo: TempoMap, *, swing: float, rng: random.Random, end_s: float,
            exact: set[float] | None = None, pans: Mapping[str, float] = PANS,
            unheard: Sequence[Note] = (), vibrato: Mapping[str, Vibrato] | None = None) -> list[NoteEvent]:  # fmt: skip
    """Played notes; those that start on a beat in ``exact`` (accents on cuts) are placed on it exactly; each part
    stands where ``pans`` puts it (``PANS`` with the genre's own stage over it, ``Style.pans``). ``unheard``: notes
    played silently (taken out of the piece), so that every other note's timing and velocity is what it was with
    them. ``vibrato``: the shake a part's player gives the notes it holds (Style.vibrato)."""
    exact = exact or set()
    vibrato = vibrato or {}
    dynamics: dict[int, float] = {}  # a slow swell and ebb across bars
    level = 0.0
    events: list[NoteEvent] = []
    silent = Counter(unheard)
    for note in sorted([*notes, *unheard], key=lambda n: (n.beat, n.part, n.key)):
        bar = int(note.beat // 4)
        while bar not in dynamics:
            level = max(-0.08, min(0.08, level + rng.gauss(0, 0.03)))
            dynamics[len(dynamics)] = level
        on_cut = note.beat in exact
        beat = note.beat if on_cut else _swung(note.beat, swing if note.part != "pad" else 0.0)
        # a designed sound (the 808, a riser, the supersaw) plays in its part with a General MIDI program for the
        # MIDI file, its synthesizer voice silent: sound_design.py plays it
        part, program = DESIGNED_PARTS.get(note.part, (note.part, note.program))
        expression = SILENT_EXPRESSION if plays_designed(note.part, note.program) else 1.0
        sd = TIMING_SD_S.get(part, DEFAULT_TIMING_SD_S)
        limit = TIMING_LIMIT_S.get(part, DEFAULT_TIMING_LIMIT_S)
        offset = max(-limit, min(limit, rng.gauss(0, sd))) + LAID_BACK_S.get(part, 0.0) + note.strum_s
        if on_cut:
            offset = note.strum_s
        start = max(0.0, tempo.time_of(beat) + offset)
        if start >= end_s - 0.05:
            continue
        end = min(end_s, tempo.time_of(_swung(note.beat + note.length, swing)) + offset)
        length = max(0.03, (end - start) * rng.uniform(0.97, 1.0))
        on_beat = abs(note.beat - round(note.beat)) < 1e-6
        accent = 1.04 if on_beat and round(note.beat) % 4 == 0 else (1.0 if on_beat else 0.95)
        velocity = clamp_velocity(note.velocity * accent * (1 + dynamics[bar]) + rng.gauss(0, 3.5))
        pan = max(-1.0, min(1.0, pans.get(part, 0.0) + note.pan))
        if silent[note] > 0:
            silent[note] -= 1
            continue
        shaken = vibrato.get(note.part) if note.length >= VIBRATO_HELD_BEATS else None
        events.append(NoteEvent(start, length, note.key, velocity, program, 0, note.drum, pan=pan,
                                expression=expression, part=part, vibrato=shaken))  # fmt: skip
    return events
