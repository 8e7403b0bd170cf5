"""Each genre's groove (issue 27): fills of its own, trap's rolled hats, rock's chorus on the ride, and the feel
a bar asks for (half-time, a build, a drop), checked on the notes the drummer and bassist write."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.drum_fills import FILLS, TIMPANI
from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.genres import STYLES
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_drums import drum_bar
from free_music_ai.engine.music.parts_harmony import bass_bar
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.theory import chord_from_numeral

KICK, SNARE, CLAP, CLOSED_HAT, CRASH, RIDE = 36, 38, 39, 42, 49, 51
FAMILIES = sorted({style.drums for style in STYLES.values()} - {"none"})


def bar(feel: str = "normal", energy: float = 0.8, fill: bool = False, section: str = "verse", index: int = 4) -> Bar:
    return Bar(index, 4 * index, 4, chord_from_numeral("i", 2, "minor"), energy, section, False, fill,
               frozenset({"drums", "bass"}), "rest", index % 4, feel)  # fmt: skip


def shape(notes: list[Note], start: float) -> frozenset[tuple[float, int]]:
    """Where and what the drummer struck from ``start`` on (a timpani stroke, tuned to the chord, as TIMPANI)."""
    return frozenset((round(n.beat % 4, 4), TIMPANI if n.part == "hits" else n.key) for n in notes
                     if (n.drum or n.part == "hits") and n.beat % 4 >= start - 1e-9)  # fmt: skip


def test_every_groove_has_three_fills_of_its_own() -> None:
    """At least three fills per family, and no fill played by more than three genres (issue 27: one tom run
    closed phrases in 12 of 16)."""
    genres_of: Counter[frozenset[tuple[float, int]]] = Counter()
    for family in FAMILIES:
        fills = {fill.shape() for fill in FILLS[family]}
        assert len(fills) >= 3, family
        assert all(beat >= fill.start for fill in FILLS[family] for beat, _, _ in fill.hits)
        genres = sum(1 for style in STYLES.values() if style.drums == family)
        for fill in fills:
            genres_of[fill] += genres
    assert max(genres_of.values()) <= 3


@pytest.mark.parametrize("family", FAMILIES)
def test_the_drummer_plays_the_familys_fills(family: str) -> None:
    """A bar before a new section ends with one of its family's fills, and over many bars at least three."""
    heard = set()
    own = {fill.shape(): fill.start for fill in FILLS[family]}
    for seed in range(40):
        notes = drum_bar(bar(fill=True), family, 100, random.Random(seed), 0.8)
        played = [s for s, start in own.items() if shape(notes, start) >= s]
        assert played, family
        heard.add(max(played, key=len))
    assert len(heard) >= 3


def _hat_gaps(notes: list[Note]) -> list[float]:
    hats = sorted(n.beat for n in notes if n.drum and n.key == CLOSED_HAT)
    return [round(b - a, 4) for a, b in itertools.pairwise(hats)]


def test_trap_hats_roll_in_32nds_and_triplets() -> None:
    c = compose(MusicSpec(duration_s=60.0, genre=Genre.TRAP, seed=1, energy=[0.8] * 60))
    gaps = Counter(_hat_gaps([n for n in c.notes if n.drum]))
    assert gaps[0.125] >= 8  # 32nd rolls
    assert gaps[round(1 / 6, 4)] + gaps[round(1 / 3, 4)] >= 6  # triplet rolls
    rolled_bars = {int(n.beat // 4) for n in c.notes if n.drum and n.key == CLOSED_HAT and (n.beat * 8) % 1 > 1e-6}
    drum_bars = {int(n.beat // 4) for n in c.notes if n.drum}
    assert len(rolled_bars) >= 0.3 * len(drum_bars)


def test_trap_has_an_808_that_glides_under_a_half_time_backbeat() -> None:
    for seed in (1, 2):
        c = compose(MusicSpec(duration_s=60.0, genre=Genre.TRAP, seed=seed))
        sub = sorted((n for n in c.notes if n.part == "808"), key=lambda n: n.beat)
        assert len(sub) >= 20 and all(n.key <= 53 for n in sub)
        glides = [b for a, b in itertools.pairwise(sub) if b.beat < a.beat + a.length and b.key != a.key]
        assert len(glides) >= 3
        claps = [n.beat % 4 for n in c.notes if n.drum and n.key == CLAP]
        assert Counter(claps).most_common(1)[0][0] == 2  # the clap on beat three
        events = [e for e in c.events if e.part == "bass" and e.expression == 0.0]
        assert len(events) == len(sub) and {e.program for e in events} == {38}  # silent voices, GM Synth Bass


def test_rock_verse_on_closed_hats_chorus_on_the_ride() -> None:
    verse = drum_bar(bar(section="verse"), "rock", 100, random.Random(1), 0.8)
    chorus = drum_bar(bar(section="chorus"), "rock", 100, random.Random(1), 0.8)
    assert any(n.key == CLOSED_HAT for n in verse) and not any(n.key == RIDE for n in verse)
    assert sum(n.key == RIDE for n in chorus) >= 6 and not any(n.key == CLOSED_HAT for n in chorus)
    assert any(n.key == CRASH for n in chorus)


@pytest.mark.parametrize("family", ["rock", "pop", "boombap", "edm", "rnb"])
def test_halftime_moves_the_backbeat_to_three_and_halves_the_bass(family: str) -> None:
    notes = drum_bar(bar(feel="halftime"), family, 100, random.Random(3), 0.8)
    backbeat = {n.beat % 4 for n in notes if n.key in (SNARE, CLAP) and n.velocity > 60}
    assert backbeat == {2.0}
    normal, _ = bass_bar(bar(), "pulse", 33, 100, 0.9, None, random.Random(3))
    half, _ = bass_bar(bar(feel="halftime"), "pulse", 33, 100, 0.9, None, random.Random(3))
    assert len(half) <= len(normal) / 2 and {n.beat % 4 for n in half} <= {0.0, 2.0}


def test_a_build_rolls_faster_and_louder_without_kick_and_with_a_riser() -> None:
    notes = drum_bar(bar(feel="build"), "edm", 100, random.Random(2), 1.0)
    assert not any(n.part == "kick" for n in notes)
    roll = sorted((n for n in notes if n.key == SNARE), key=lambda n: n.beat)
    gaps = [round(b.beat - a.beat, 4) for a, b in itertools.pairwise(roll)]
    assert gaps[0] == 0.5 and 0.25 in gaps and gaps[-1] == 0.125  # eighths, sixteenths, then 32nds
    assert gaps == sorted(gaps, reverse=True)
    assert roll[-1].velocity > roll[0].velocity + 20
    assert [n.part for n in notes if not n.drum] == ["riser"]
    assert bass_bar(bar(feel="build"), "octaves", 38, 100, 0.9, None, random.Random(2))[0] == []


@pytest.mark.parametrize(("family", "bass"), [("edm", "octaves"), ("trap", "808"), ("rock", "pulse")])
def test_a_drop_lands_crash_kick_and_sub_on_the_one(family: str, bass: str) -> None:
    drop = bar(feel="drop", energy=1.0)
    notes = drum_bar(drop, family, 100, random.Random(4), 1.0)
    on_one = {n.key for n in notes if n.beat == drop.start}
    assert {CRASH, KICK} <= on_one
    low, _ = bass_bar(drop, bass, 38, 100, 0.9, None, random.Random(4))
    first = min(low, key=lambda n: n.beat)
    assert first.beat == drop.start and first.length >= 2
