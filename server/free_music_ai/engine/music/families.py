"""Instrument families of General MIDI, by program: what "remove the piano" or "no strings" takes out of a piece,
whichever part plays it (the keys, the tune, a layer)."""

from __future__ import annotations

from enum import StrEnum

from free_music_ai.engine.music.notes import Note


class Family(StrEnum):
    PIANO = "piano"
    BELLS = "bells"
    ORGAN = "organ"
    GUITAR = "guitar"
    BASS = "bass"
    STRINGS = "strings"
    CHOIR = "choir"
    BRASS = "brass"
    SAX = "sax"
    FLUTE = "flute"
    SYNTH = "synth"
    PAD = "pad"


# the programs (0-based) of each family; a synth's pads are synths too, so "no synths" takes them with it
PROGRAMS: dict[Family, frozenset[int]] = {
    Family.PIANO: frozenset(range(0, 8)),  # acoustic and electric pianos, harpsichord, clavinet
    Family.BELLS: frozenset(range(8, 16)),  # celesta to dulcimer: music box, vibraphone, marimba
    Family.ORGAN: frozenset(range(16, 24)),
    Family.GUITAR: frozenset(range(24, 32)),
    Family.BASS: frozenset(range(32, 40)),
    Family.STRINGS: frozenset(range(40, 52)) - {47},  # solo strings, harp, the ensembles; not the timpani
    Family.CHOIR: frozenset(range(52, 55)),
    Family.BRASS: frozenset(range(56, 64)),
    Family.SAX: frozenset(range(64, 68)),
    Family.FLUTE: frozenset(range(68, 80)),  # the reeds and pipes: oboe, clarinet, flutes, whistles
    Family.SYNTH: frozenset(range(80, 104)),
    Family.PAD: frozenset(range(88, 96)),
}


BASS_PARTS = frozenset({"bass", "808"})  # a bass line is the bass, whatever plays it (a contrabass, the 808)


def part_in(part: str, program: int, family: Family) -> bool:
    """Whether ``family`` plays ``part`` (whose instrument is ``program``): a bass line is the bass."""
    return family == Family.BASS if part in BASS_PARTS else program in PROGRAMS[family]


def plays_in(note: Note, families: frozenset[Family]) -> bool:
    """Whether one of ``families`` plays ``note`` (a drum note is in none)."""
    return not note.drum and any(part_in(note.part, note.program, family) for family in families)


def said(family: Family) -> str:
    """ "there is no piano", "there are no strings": the family as a sentence names it."""
    return f"there {'are' if family.value.endswith('s') else 'is'} no {family.value}"
