"""How a genre's band plays is a closed set (engine/music/playing_styles.py), and each value is one the part
writers play: no groove without its patterns and fills, no comping or bass line that falls through to another's
notes, and the genre table holds only those values."""

from __future__ import annotations

import random

import pytest

from free_music_ai.engine.music.drum_fills import FILLS
from free_music_ai.engine.music.drum_grooves import GROOVES as DRUM_GROOVES
from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.genres import STYLES
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_drums import drum_bar
from free_music_ai.engine.music.parts_harmony import bass_bar, comp_bar
from free_music_ai.engine.music.playing_styles import BassStyle, Colour, Comping, DrumStyle
from free_music_ai.engine.music.theory import chord_from_numeral

GROOVES = [style for style in DrumStyle if style is not DrumStyle.NONE]


def loud_bar() -> Bar:
    return Bar(4, 16, 4, chord_from_numeral("i", 2, "minor"), 0.8, "chorus", False, False,
               frozenset({"drums", "bass", "keys"}), "rest", 0, "normal")  # fmt: skip


def heard(notes: list[Note]) -> list[tuple[float, float, int]]:
    return sorted((round(n.beat, 3), round(n.length, 3), n.key) for n in notes)


def test_the_genre_table_holds_only_the_closed_sets() -> None:
    for genre, style in STYLES.items():
        assert isinstance(style.drums, DrumStyle) and isinstance(style.comping, Comping), genre
        assert isinstance(style.bass, BassStyle) and isinstance(style.colour, Colour), genre


def test_every_groove_has_its_patterns_and_fills_and_no_other_is_written() -> None:
    for table in (DRUM_GROOVES, FILLS):
        assert set(table) == set(GROOVES)  # a groove without a table would play pop's; a stray key is a typo


@pytest.mark.parametrize("groove", GROOVES)
def test_every_groove_is_played_its_own_way(groove: DrumStyle) -> None:
    played = {
        style: heard(drum_bar(loud_bar(), style, 100, rng=random.Random(5), next_energy=0.8)) for style in GROOVES
    }
    assert played[groove], groove
    assert all(played[groove] != notes for style, notes in played.items() if style is not groove), groove
    assert drum_bar(loud_bar(), DrumStyle.NONE, 100, rng=random.Random(5), next_energy=0.8) == []


def test_every_comping_plays_its_own_notes() -> None:
    """A value no branch knows is held as a sustained chord: each other value must sound unlike that."""
    played = {style: heard(comp_bar(loud_bar(), style, 0, velocity=100, legato=0.9, register=(55, 79), previous=None,
                                    rng=random.Random(3))[0])
              for style in Comping}  # fmt: skip
    held = played[Comping.SUSTAIN]
    assert held and all(notes and notes != held for style, notes in played.items() if style is not Comping.SUSTAIN)


def test_every_bass_line_plays_its_own_notes() -> None:
    """A value no branch knows is played as the root line: each other value must sound unlike it."""
    played = {
        style: heard(bass_bar(loud_bar(), style, 33, velocity=100, legato=0.9, previous=None, rng=random.Random(3))[0])
        for style in BassStyle
    }
    assert played[BassStyle.NONE] == [] and played[BassStyle.ROOT]
    others = [style for style in BassStyle if style not in (BassStyle.NONE, BassStyle.ROOT)]
    assert all(played[style] and played[style] != played[BassStyle.ROOT] for style in others)
