"""Instruments asked into a piece that has none of them ("add some strings", "add a choir at the end", "bring
the piano in at 0:20"), and instruments asked for a stretch only.

An added family plays the piece's chords as that instrument does in a band, in a part of its own (its MIDI channel,
its stem, its level, its player: compose.py), with random streams of its own, so that every other note of the piece
stays as it was and plays as it did. A listening review of 32 renders (16 genres x 2 seeds) set how:

- it sits above the piece's keys, not on them (held parts doubled the keys in unison, 36 of 36 notes in hip-hop),
  and any note it would strike in unison with the piece is left out;
- nothing of it goes under C3 where the piece has a bass (a broken piano's left hand and a guitar's low E sat on the
  bass and the 808);
- it comps as the genre does (a trap piano plays held chords, not a ballad's broken eighths; a hip-hop guitar
  picks), follows the arrangement (it rests where the piece is nearly bare, its velocity follows each bar's energy),
  swells in where it is asked for a stretch, and holds the final chord with the rest of the band;
- its level is set against the piece's own keys in the mix (mixdown.part_levels), not fixed.

A family asked for a stretch only is added there when the piece lacks it, and taken out elsewhere when the piece
has it (never leaving the music silent: a solo piano keeps its piano).
"""

from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass

from free_music_ai.engine.music.families import BASS_PARTS, Family, plays_in
from free_music_ai.engine.music.form import Form
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.parts_harmony import comp_bar
from free_music_ai.engine.music.playing_styles import Comping
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.music.theory import voice_chord
from free_music_ai.engine.music.timed import on_bar_lines, through_the_end

ADDED_VELOCITY = 0.8  # under the piece's own parts: an added layer accompanies, it does not take over
RESTS_UNDER_ENERGY = 0.3  # a bar this bare (an intro's first bars, a breakdown) goes without it
ENTRANCE_VELOCITY = 0.75  # the first bar of a stretch it is asked for: it swells in
FLOOR, CEILING = 48, 96  # C3: nothing added under it where the piece has a bass line; C7: nor over it
HALFTIME = frozenset({Genre.HIPHOP, Genre.TRAP, Genre.RNB, Genre.LOFI})  # a held chord or a picked guitar there


@dataclass(frozen=True)
class AddedPart:
    part: str
    program: int  # General MIDI, 0-based
    comping: Comping
    under_keys_db: float  # its level against the piece's keys (mixdown.part_levels)
    over_keys: tuple[int, int] | None  # its register against the top of the keys' (semitones), or its own below
    register: tuple[int, int] = (55, 79)


ADDED: dict[Family, AddedPart] = {
    # strings an octave over the keys' top, choir and brass between the keys and the tune, a pad wide under them
    Family.PIANO: AddedPart("added piano", 0, Comping.BLOCK, -4.0, (-12, 4)),
    Family.GUITAR: AddedPart("added guitar", 25, Comping.STRUM, -4.0, None, (52, 74)),
    Family.STRINGS: AddedPart("added strings", 48, Comping.SUSTAIN, -6.0, (-2, 12)),
    Family.CHOIR: AddedPart("added choir", 52, Comping.SUSTAIN, -6.0, (-10, 4)),
    Family.BRASS: AddedPart("added brass", 61, Comping.SUSTAIN, -5.0, (-12, 2)),
    Family.ORGAN: AddedPart("added organ", 16, Comping.SUSTAIN, -5.0, (-14, 0)),
    Family.PAD: AddedPart("added pad", 89, Comping.SUSTAIN, -6.0, (-22, -6)),
    Family.BELLS: AddedPart("added bells", 9, Comping.SUSTAIN, -8.0, None, (72, 88)),
}
ADDED_PARTS = frozenset(added.part for added in ADDED.values())
ADDED_OF_PART = {added.part: added for added in ADDED.values()}


@dataclass(frozen=True)
class Band:
    """What an added part plays along with: the piece's form, its keys' register, its genre, its final chord's
    length in beats, and its notes."""

    form: Form
    keys: tuple[int, int]
    genre: Genre
    tail_beats: float
    notes: list[Note]


def with_added(band: Band, *, added: list[Family], moments: Moments, velocity: int, legato: float,
               seed: int) -> list[Note]:  # fmt: skip
    """The band's notes with the families ``added`` to the whole piece and those asked for stretches only
    (``moments.families_in_s``) added there, where the piece does not play them already (those it plays are taken
    out elsewhere: ``only_where_asked``)."""
    notes = band.notes
    for family in dict.fromkeys(added):
        if family in ADDED and not _plays(notes, family):
            notes = notes + _layer(band, family, None, velocity=velocity, legato=legato, seed=seed)
    for family, there in _asked_spans(band.form, moments).items():
        if family in ADDED and not _plays(notes, family):
            notes = notes + _layer(band, family, there, velocity=velocity, legato=legato, seed=seed)
    return notes


def only_where_asked(notes: list[Note], form: Form, moments: Moments) -> list[Note]:
    """The notes without those of a family asked for stretches only ("piano only in the second half") outside
    them, unless it plays every pitched note left there: the music is never made silent."""
    for family, there in _asked_spans(form, moments).items():
        inside = [any(a <= n.beat < b for a, b in there) for n in notes]
        outside = [n for n, kept in zip(notes, inside, strict=True) if not kept and not n.drum]
        if not all(plays_in(n, frozenset({family})) for n in outside):
            notes = [n for n, kept in zip(notes, inside, strict=True) if kept or not plays_in(n, frozenset({family}))]
    return notes


def addable(family: Family) -> bool:
    return family in ADDED


def _asked_spans(form: Form, moments: Moments) -> dict[Family, list[tuple[float, float]]]:
    """Each family asked for stretches only, and those stretches in beats, from bar line to bar line (to the end:
    the final chord too)."""
    spans: dict[Family, list[tuple[float, float]]] = {}
    for family, first_s, last_s in moments.families_in_s:
        span = on_bar_lines(form, first_s, last_s)
        if span is not None:
            spans.setdefault(family, []).append((span[0], through_the_end(form, span[1])))
    return spans


def _plays(notes: list[Note], family: Family) -> bool:
    return any(plays_in(n, frozenset({family})) for n in notes)


def _comping(added: AddedPart, genre: Genre) -> Comping:
    """How the family comps in this genre: held chords for a piano over a half-time groove, stabs in electronic
    music, a picked guitar where the groove is half-time."""
    if added.comping == Comping.BLOCK and genre in HALFTIME:
        return Comping.SUSTAIN
    if added.comping == Comping.BLOCK and genre == Genre.EDM:
        return Comping.STABS
    if added.comping == Comping.STRUM and genre in HALFTIME:
        return Comping.TRAVIS
    return added.comping


def _register(added: AddedPart, keys: tuple[int, int]) -> tuple[int, int]:
    """Its register: over the top of the keys' (off their notes), or its own; never under C3 nor over C7."""
    if added.over_keys is None:
        return added.register
    low, high = keys[1] + added.over_keys[0], keys[1] + added.over_keys[1]
    return max(FLOOR, min(low, 84)), max(FLOOR + 12, min(high, CEILING))


def _layer(band: Band, family: Family, there: list[tuple[float, float]] | None, *, velocity: int, legato: float,
           seed: int) -> list[Note]:  # fmt: skip
    """``family`` playing the chords of every bar with some energy (``there``: of the bars starting in those spans,
    in beats), and the final chord when it plays to the end."""
    added = ADDED[family]
    rng = random.Random(f"{seed}:{family.value}")  # its own stream: the piece's other notes stay as they were
    comping, register = _comping(added, band.genre), _register(added, band.keys)
    notes: list[Note] = []
    previous: list[int] | None = None
    for bar in band.form.bars:
        inside = there is None or any(a <= bar.start < b for a, b in there)
        if not inside or bar.energy < RESTS_UNDER_ENERGY:
            previous = None
            continue
        entrance = there is not None and previous is None and bar.start > 0  # the first bar after a rest
        level = velocity * ADDED_VELOCITY * (0.7 + 0.5 * bar.energy) * (ENTRANCE_VELOCITY if entrance else 1.0)
        played, previous = comp_bar(bar, comping, added.program, velocity=round(level), legato=legato,
                                    register=register, previous=previous, rng=rng, part=added.part)  # fmt: skip
        notes += played
    last = band.form.bars[-1] if band.form.bars else None
    if last is not None and notes and (there is None or any(b == math.inf for _, b in there)) and band.tail_beats > 0:
        voicing = voice_chord(band.form.final_chord, previous, low=register[0], high=register[1], size=3)
        notes += [Note(float(band.form.final_beat), band.tail_beats, key, clamp_velocity(velocity * ADDED_VELOCITY *
                       0.85), added.part, added.program) for key in voicing]  # fmt: skip
    return _clear_of(notes, band.notes)


def _clear_of(layer: list[Note], piece: list[Note]) -> list[Note]:
    """The layer with a note the piece strikes at the same moment on the same key (a unison adds nothing but level)
    moved an octave up, or left out when that is struck too or too high; and, where the piece has a bass line,
    without a note under C3."""
    struck = {(n.beat, n.key) for n in piece if not n.drum}
    bass = any(n.part in BASS_PARTS for n in piece)
    clear: list[Note] = []
    for note in layer:
        if bass and note.key < FLOOR:
            continue
        if (note.beat, note.key) in struck:
            up = note.key + 12
            if up > CEILING or (note.beat, up) in struck:
                continue
            note = dataclasses.replace(note, key=up)
        clear.append(note)
    return clear
