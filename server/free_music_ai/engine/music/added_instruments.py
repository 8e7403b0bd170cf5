"""Instruments asked into a piece that has none of them ("add some strings", "add a choir at the end", "bring
the piano in at 0:20"), and instruments asked for a stretch only.

An added family plays the piece's chords as that instrument does in a band (a piano breaks them, a guitar strums,
strings, a choir, brass, an organ or a pad hold them, bells ring them out), in a register of its own, under the
tune and the piece's own keys, with random streams of its own (its notes, and its player's timing) so that every
other note of the piece stays as it was, and plays as it did. A family asked for a stretch only is added there
when the piece lacks it, and taken out elsewhere when the piece has it (never leaving the music silent: a solo
piano keeps its piano).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from free_music_ai.engine.music.families import Family, plays_in
from free_music_ai.engine.music.form import Form
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_harmony import comp_bar
from free_music_ai.engine.music.playing_styles import Comping
from free_music_ai.engine.music.timed import on_bar_lines

ADDED_VELOCITY = 0.8  # under the piece's own parts: an added layer accompanies, it does not take over


@dataclass(frozen=True)
class AddedPart:
    part: str  # a part of its own: its MIDI channel, its stem, its level, its player (compose.py)
    program: int  # General MIDI, 0-based
    comping: Comping
    register: tuple[int, int]
    level: float  # in the mix (mixdown.PART_LEVELS), under the piece's keys (0.75)


ADDED: dict[Family, AddedPart] = {
    Family.PIANO: AddedPart("added piano", 0, Comping.BROKEN, (48, 72), 0.6),
    Family.GUITAR: AddedPart("added guitar", 25, Comping.STRUM, (52, 71), 0.55),
    Family.STRINGS: AddedPart("added strings", 48, Comping.SUSTAIN, (55, 79), 0.45),
    Family.CHOIR: AddedPart("added choir", 52, Comping.SUSTAIN, (55, 76), 0.5),
    Family.BRASS: AddedPart("added brass", 61, Comping.SUSTAIN, (53, 74), 0.55),
    Family.ORGAN: AddedPart("added organ", 16, Comping.SUSTAIN, (52, 76), 0.5),
    Family.PAD: AddedPart("added pad", 89, Comping.SUSTAIN, (55, 79), 0.55),
    Family.BELLS: AddedPart("added bells", 9, Comping.ARPEGGIO, (72, 88), 0.4),
}
ADDED_PARTS = frozenset(added.part for added in ADDED.values())
ADDED_LEVELS = {added.part: added.level for added in ADDED.values()}


def with_added(notes: list[Note], form: Form, *, added: list[Family], moments: Moments, velocity: int,
               legato: float, seed: int) -> list[Note]:  # fmt: skip
    """``notes`` with the families ``added`` to the whole piece and those asked for stretches only
    (``moments.families_in_s``) added there, where the piece does not play them already (those it plays are taken
    out elsewhere: ``only_where_asked``)."""
    for family in dict.fromkeys(added):
        if family in ADDED and not _plays(notes, family):
            notes = notes + _layer(form, family, None, velocity=velocity, legato=legato, seed=seed)
    for family, there in _asked_spans(form, moments).items():
        if family in ADDED and not _plays(notes, family):
            notes = notes + _layer(form, family, there, velocity=velocity, legato=legato, seed=seed)
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
            spans.setdefault(family, []).append((span[0], math.inf if span[1] >= form.final_beat else span[1]))
    return spans


def _plays(notes: list[Note], family: Family) -> bool:
    return any(plays_in(n, frozenset({family})) for n in notes)


def _layer(form: Form, family: Family, there: list[tuple[float, float]] | None, *, velocity: int, legato: float,
           seed: int) -> list[Note]:  # fmt: skip
    """``family`` playing the chords of every bar (``there``: of the bars starting in those spans, in beats)."""
    added = ADDED[family]
    rng = random.Random(f"{seed}:{family.value}")  # its own stream: the piece's other notes stay as they were
    notes: list[Note] = []
    previous: list[int] | None = None
    for bar in form.bars:
        if there is not None and not any(a <= bar.start < b for a, b in there):
            previous = None
            continue
        played, previous = comp_bar(bar, added.comping, added.program, velocity=round(velocity * ADDED_VELOCITY),
                                    legato=legato, register=added.register, previous=previous, rng=rng,
                                    part=added.part)  # fmt: skip
        notes += played
    return notes
