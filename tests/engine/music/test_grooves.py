"""Each genre's groove (issue 27): fills of its own, trap's rolled hats, rock's chorus on the ride, and the feel
a bar asks for (half-time, a build, a drop), checked on the notes the drummer and bassist write."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import replace

import pytest

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.drum_fills import FILLS, TIMPANI
from free_music_ai.engine.music.drum_grooves import GROOVES, Hats, groove_of
from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.genres import STYLES
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_drums import drum_bar
from free_music_ai.engine.music.parts_harmony import bass_bar
from free_music_ai.engine.music.playing_styles import DrumStyle
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.theory import chord_from_numeral

KICK, SNARE, CLAP, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 38, 39, 42, 46, 49, 51
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
        notes = drum_bar(bar(fill=True), family, 100, rng=random.Random(seed), next_energy=0.8)
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


def test_trap_rolls_answer_the_steady_bars() -> None:
    """A producer draws a hat roll in to answer a bar or two of steady hats: in four bars of five, the roll was
    the pattern itself. Now at most six bars in ten roll, most of them the second of two."""
    for seed in (1, 2, 3, 4):
        c = compose(MusicSpec(duration_s=48.0, genre=Genre.TRAP, seed=seed))
        hats: dict[int, list[float]] = {}
        for n in c.notes:
            if n.drum and n.key == CLOSED_HAT:
                hats.setdefault(int(n.beat // 4), []).append(n.beat)
        rolled = [i for i, beats in hats.items() if any((beat * 4) % 1 > 1e-6 for beat in beats)]
        answering = [i for i in rolled if c.form.bars[i].phrase_bar % 2 == 1]
        assert 2 <= len(rolled) <= 0.6 * len(hats), (seed, len(rolled), len(hats))
        assert len(answering) >= 0.7 * len(rolled), seed


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


def test_trap_808_is_heard_through_a_phone() -> None:
    """A phone's speaker plays little under 250 Hz: a low 808 kept 1/300 of its energy over it (-25 dB on the bass
    stem, seeds 2 and 5), and a listening critique heard the beat lose its bass, 15 LU under the flute. Saturated as
    producers do, its overtones now carry it: over -20 dB."""
    import numpy as np

    from free_music_ai.engine.music.produce import produce

    music = produce(MusicSpec(duration_s=20.0, genre=Genre.TRAP, seed=2), keep_stems=True)
    bass = np.asarray(music.stems["bass"], dtype=np.float64).mean(axis=1)
    power = np.abs(np.fft.rfft(bass)) ** 2
    over = power[np.fft.rfftfreq(len(bass), 1 / music.rate) > 250.0].sum() / power.sum()
    assert 10 * np.log10(over) > -20.0


def test_rock_verse_on_closed_hats_chorus_on_the_ride() -> None:
    verse = drum_bar(bar(section="verse"), "rock", 100, rng=random.Random(1), next_energy=0.8)
    chorus = drum_bar(bar(section="chorus"), "rock", 100, rng=random.Random(1), next_energy=0.8)
    assert any(n.key == CLOSED_HAT for n in verse) and not any(n.key == RIDE for n in verse)
    assert sum(n.key == RIDE for n in chorus) >= 6 and not any(n.key == CLOSED_HAT for n in chorus)
    assert any(n.key == CRASH for n in chorus)


@pytest.mark.parametrize("family", ["rock", "pop", "boombap", "edm", "rnb"])
def test_halftime_moves_the_backbeat_to_three_and_halves_the_bass(family: str) -> None:
    notes = drum_bar(bar(feel="halftime"), family, 100, rng=random.Random(3), next_energy=0.8)
    backbeat = {n.beat % 4 for n in notes if n.key in (SNARE, CLAP) and n.velocity > 60}
    assert backbeat == {2.0}
    normal, _ = bass_bar(bar(), "pulse", 33, velocity=100, legato=0.9, previous=None, rng=random.Random(3))
    half, _ = bass_bar(bar(feel="halftime"), "pulse", 33, velocity=100, legato=0.9, previous=None, rng=random.Random(3))
    assert len(half) <= len(normal) / 2 and {n.beat % 4 for n in half} <= {0.0, 2.0}


def test_a_build_rolls_faster_and_louder_without_kick_and_with_a_riser() -> None:
    notes = drum_bar(bar(feel="build"), "edm", 100, rng=random.Random(2), next_energy=1.0)
    assert not any(n.part == "kick" for n in notes)
    roll = sorted((n for n in notes if n.key == SNARE), key=lambda n: n.beat)
    gaps = [round(b.beat - a.beat, 4) for a, b in itertools.pairwise(roll)]
    assert gaps[0] == 0.5 and 0.25 in gaps and gaps[-1] == 0.125  # eighths, sixteenths, then 32nds
    assert gaps == sorted(gaps, reverse=True)
    assert roll[-1].velocity >= roll[0].velocity + 15  # 3.5 dB up, and no further: the drop lands over it
    assert [n.part for n in notes if not n.drum] == ["riser"]
    assert (
        bass_bar(bar(feel="build"), "octaves", 38, velocity=100, legato=0.9, previous=None, rng=random.Random(2))[0]
        == []
    )


@pytest.mark.parametrize(("family", "bass"), [("edm", "octaves"), ("trap", "808"), ("rock", "pulse")])
def test_a_drop_lands_crash_kick_and_sub_on_the_one(family: str, bass: str) -> None:
    drop = bar(feel="drop", energy=1.0)
    notes = drum_bar(drop, family, 100, rng=random.Random(4), next_energy=1.0)
    on_one = {n.key for n in notes if n.beat == drop.start}
    assert {CRASH, KICK} <= on_one
    low, _ = bass_bar(drop, bass, 38, velocity=100, legato=0.9, previous=None, rng=random.Random(4))
    first = min(low, key=lambda n: n.beat)
    assert first.beat == drop.start and first.length >= 2


def test_a_strum_is_strings_struck_in_turn_down_low_to_high_up_high_to_low_and_softer() -> None:
    from free_music_ai.engine.music.guitar import strum_bar

    for numeral in ("i", "bVI", "iv"):
        chord_bar = replace(bar(energy=0.8), chord=chord_from_numeral(numeral, 9, "minor"))
        notes = strum_bar(chord_bar, 25, 100, legato=0.9, rng=random.Random(5), part="keys")
        strokes: dict[float, list[Note]] = {}
        for note in notes:
            strokes.setdefault(note.beat, []).append(note)
        downs: list[list[Note]] = []
        ups: list[list[Note]] = []
        for stroke in strokes.values():
            ordered = sorted(stroke, key=lambda n: n.strum_s)
            gaps = [b.strum_s - a.strum_s for a, b in itertools.pairwise(ordered)]
            assert all(0.004 <= g <= 0.014 for g in gaps)  # a few milliseconds between strings
            keys = [n.key for n in ordered]
            if keys == sorted(keys):
                downs.append(stroke)
            else:
                assert keys == sorted(keys, reverse=True) and len(keys) <= 3  # an up-stroke: the treble strings
                ups.append(stroke)
        assert downs and ups
        down_level = sum(n.velocity for s in downs for n in s) / sum(len(s) for s in downs)
        up_level = sum(n.velocity for s in ups for n in s) / sum(len(s) for s in ups)
        assert up_level < down_level - 5


def test_acoustic_guitar_chords_are_guitar_shapes() -> None:
    """Six-string shapes in the first position: the root on the lowest string, the chord spread over two
    octaves or more (a piano voicing is packed within one)."""
    from free_music_ai.engine.music.guitar import guitar_shape

    for numeral in ("I", "IV", "V", "vi", "ii", "iii"):
        chord = chord_from_numeral(numeral, 7, "major")
        shape = guitar_shape(chord)
        assert shape[0] % 12 == chord.root and 40 <= shape[0] <= 52
        assert len(shape) >= 4 and shape[-1] - shape[0] > 12


def test_jazz_comping_answers_the_tune() -> None:
    """The pianist comps more in the bars where the tune rests than under it."""
    counts: dict[bool, list[int]] = {True: [], False: []}
    for seed in (1, 2, 3):
        c = compose(MusicSpec(duration_s=60.0, genre=Genre.JAZZ, seed=seed))
        for b in c.form.bars:
            if b.energy >= 0.4 and b.beats == 4 and b.section not in ("intro", "outro"):
                onsets = {n.beat for n in c.notes if n.part == "keys" and b.start <= n.beat < b.start + b.beats}
                counts[b.lead == "rest"].append(len(onsets))
    assert counts[True] and counts[False]
    assert sum(counts[True]) / len(counts[True]) > sum(counts[False]) / len(counts[False]) + 1


def test_film_music_opens_sections_on_timpani_and_thrillers_rise_into_them() -> None:
    cinematic = compose(MusicSpec(duration_s=60.0, genre=Genre.CINEMATIC, seed=2))
    timpani = {n.beat for n in cinematic.notes if n.part == "hits" and n.program == 47}
    starts = {b.start for b in cinematic.form.bars if b.section_start and b.energy >= 0.45 and "drums" in b.parts}
    assert starts and starts <= timpani
    suspense = compose(MusicSpec(duration_s=60.0, genre=Genre.SUSPENSE, seed=2))
    assert any(n.part == "riser" for n in suspense.notes)


def test_ambient_tones_move() -> None:
    """Not a blanket: the keys' tones enter at several places in each bar, not all together."""
    c = compose(MusicSpec(duration_s=40.0, genre=Genre.AMBIENT, seed=1))
    for b in c.form.bars[2:-1]:
        onsets = {round(n.beat - b.start) for n in c.notes if n.part == "keys" and b.start <= n.beat < b.start + 4}
        assert len(onsets) >= 3


def test_ambient_changes_its_pedal_with_the_harmony() -> None:
    """Each chord is itself from its first beat: its root enters first, and no keys tone of the chord before, not in
    this one, still sounds past a short overlap (held two beats on, they blurred the first half of every bar into a
    chord of neither, and the report heard 76-82 % of ambient's half-bars on I, IV, V or vi)."""
    for seed in (1, 2, 3):
        c = compose(MusicSpec(duration_s=48.0, genre=Genre.AMBIENT, seed=seed))
        keys = [n for n in c.notes if n.part == "keys"]
        for before, bar in itertools.pairwise(c.form.bars[:-1]):
            entering = sorted((n for n in keys if bar.start <= n.beat < bar.start + bar.beats), key=lambda n: n.beat)
            assert entering and entering[0].key % 12 == bar.chord.root
            ringing = {n.key % 12 for n in keys if n.beat < bar.start < n.beat + n.length - 0.25}
            assert not ringing - set(bar.chord.tones), (seed, before.chord.name, bar.chord.name, ringing)


def test_hip_hop_keys_loop_like_a_sample() -> None:
    c = compose(MusicSpec(duration_s=60.0, genre=Genre.HIPHOP, seed=3))
    assert c.style.swing >= 0.18
    by_section: dict[str, set[tuple[float, ...]]] = {}
    for b in c.form.bars:
        rhythm = tuple(
            sorted({n.beat - b.start for n in c.notes if n.part == "keys" and b.start <= n.beat < b.start + 4})
        )
        if b.energy >= 0.45 and b.beats == 4 and rhythm:
            by_section.setdefault(b.section, set()).add(rhythm)
    assert by_section and all(len(rhythms) == 1 for rhythms in by_section.values())


def test_trap_marks_cuts_and_ends_on_its_808_with_no_second_bass() -> None:
    c = compose(MusicSpec(duration_s=30.0, genre=Genre.TRAP, seed=2, cuts_s=[8.0, 16.0]))
    sub_beats = {n.beat for n in c.notes if n.part == "808"}
    cut_beats = {b for b in c.form.tempo.cut_beats if b < c.form.final_beat}
    assert cut_beats and cut_beats <= sub_beats and c.form.final_beat in sub_beats
    assert all(e.expression == 0.0 for e in c.events if e.part == "bass")  # every bass note is the 808


def test_solo_piano_marks_a_cut_with_its_left_hand() -> None:
    """Solo piano has no bass and no drums: a cut's accent was its right hand's chord alone (its big final hit rose
    2.6 dB over the plain final chord in A). The left hand now strikes the chord's root in octaves, low."""
    c = compose(MusicSpec(duration_s=30.0, genre=Genre.PIANO, seed=2, cuts_s=[8.0, 16.0]))
    cut_beats = [b for b in c.form.tempo.cut_beats if b < c.form.final_beat]
    assert cut_beats
    for beat in cut_beats:
        root = next(bar.chord.root for bar in c.form.bars if bar.start <= beat < bar.start + bar.beats)
        low = {n.key for n in c.notes if n.beat == beat and n.part == "keys" and n.key < 48}
        assert {key % 12 for key in low} == {root} and len(low) >= 1, (beat, low)


@pytest.mark.parametrize("family", ["epic", "orchestral"])
def test_film_music_swells_into_a_section(family: str) -> None:
    notes = drum_bar(bar(fill=True), family, 100, rng=random.Random(1), next_energy=0.9)
    swell = [n for n in notes if n.program == 44 and not n.drum]
    levels = [max(n.velocity for n in swell if n.beat == beat) for beat in sorted({n.beat for n in swell})]
    assert len(levels) >= 6 and levels == sorted(levels) and levels[-1] > 2 * levels[0]


KEEPING_TIME = frozenset({42, 44, 46, 49, 51, 52, 53, 54, 55, 57, 59, 69, 70})  # hats, cymbals, shaker, tambourine
TOMS = frozenset({41, 43, 45, 47, 48, 50})


def _closing_fills(c: object) -> set[tuple[tuple[int, int], ...]]:
    """What the drummer strikes in the last beat of each bar before a new section (a stroke as drum key and
    twelfth of the beat), where that is a run (three places or more, or a tom) and not the bar before's."""
    form = c.form  # type: ignore[attr-defined]
    strokes = [(n.key, n.beat) for n in c.notes if n.drum and n.key not in KEEPING_TIME]  # type: ignore[attr-defined]

    def last_beat(bar: Bar) -> tuple[tuple[int, int], ...]:
        last = bar.start + bar.beats - 1
        return tuple(sorted({(key, round((beat - last) * 12)) for key, beat in strokes if last <= beat < last + 1}))

    fills = set()
    for k, (here, after) in enumerate(itertools.pairwise(form.bars)):
        if here.section != after.section:
            fill = last_beat(here)
            run = len({place for _, place in fill}) >= 3 or any(key in TOMS for key, _ in fill)
            if run and (k == 0 or fill != last_beat(form.bars[k - 1])):
                fills.add(fill)
    return fills


@pytest.mark.parametrize("genre", [g for g in Genre if STYLES[g].drums != "none"])
def test_two_seeds_of_a_genre_close_their_sections_with_three_fills_or_more(genre: Genre) -> None:
    """Issue 27: at least three fills per genre heard in a 48 s piece over two seeds (a drummer varies them;
    drawn independently, one piece closed three sections with one fill)."""
    for first in (1, 3, 5):
        heard = set()
        for seed in (first, first + 1):
            heard |= _closing_fills(compose(MusicSpec(duration_s=48.0, genre=genre, seed=seed)))
        assert len(heard) >= 3, (first, heard)


def test_neighbouring_seeds_draw_two_grooves_and_every_groove_is_played() -> None:
    for family, grooves in GROOVES.items():
        drawn = [groove_of(family, seed) for seed in range(1, 31)]
        assert set(drawn) == set(grooves), family  # no groove written and never played
        if len(grooves) > 1:
            assert all(a != b for a, b in itertools.pairwise(drawn)), family


def _skeletons(seed: int, genre: Genre) -> list[frozenset[tuple[float, int]]]:
    """The kick, snare, claps, rims and toms of each verse, chorus or peak bar of a 60 s piece (no fills, no hats)."""
    c = compose(MusicSpec(duration_s=60.0, genre=genre, seed=seed))
    hats = {CLOSED_HAT, OPEN_HAT, 44, 70, CRASH, RIDE}
    return [
        frozenset((round(n.beat - b.start, 2), n.key) for n in c.notes
                  if n.drum and n.key not in hats and b.start <= n.beat < b.start + b.beats)
        for b in c.form.bars
        if b.feel == "normal" and b.section in ("verse", "chorus", "peak") and not b.fill
    ]  # fmt: skip


@pytest.mark.parametrize("genre", [Genre.TRAP, Genre.POP, Genre.EDM, Genre.ROCK, Genre.HIPHOP, Genre.SUSPENSE])
def test_two_neighbouring_seeds_of_a_genre_play_two_beats(genre: Genre) -> None:
    """A listening critique found 24 of seed 2's 32 trap bars on a beat seed 1 played too (20 of 23 electronic, 17 of
    23 pop): each genre had one beat. Now a seed draws its groove (drum_grooves.py): of the next seed's bars, under a
    quarter play a kick, snare and clap pattern the first played as often (bars paired one to one: with one beat,
    seeds 1-3 shared trap 73-78 %, electronic 73 %, rock 67-80 %, pop 50-60 %, hip-hop 22-33 %; now 0-7 %). Suspense's
    one heartbeat joined them later (a second critique heard its seed 2 as seed 1 transposed)."""
    played = {seed: Counter(_skeletons(seed, genre)) for seed in (1, 2, 3)}
    for a, b in ((1, 2), (2, 3)):
        shared, bars = sum((played[a] & played[b]).values()), sum(played[b].values())
        assert shared < 0.25 * bars, (genre, a, b, shared, bars)


def test_hip_hops_sub_falls_with_its_kick() -> None:
    """The sub strikes where the groove's kick does (two thirds of its notes did, on every seed; now nine in ten)."""
    for seed in (1, 2, 3):
        c = compose(MusicSpec(duration_s=60.0, genre=Genre.HIPHOP, seed=seed))
        kicks = {round(n.beat, 3) for n in c.notes if n.drum and n.key == KICK}
        full = [b for b in c.form.bars if b.feel == "normal" and b.energy >= 0.5]
        subs = [n for n in c.notes if n.part == "bass" and any(b.start <= n.beat < b.start + b.beats for b in full)]
        assert subs and sum(round(n.beat, 3) in kicks for n in subs) >= 0.85 * len(subs), seed


def test_the_hats_run_as_the_groove_says() -> None:
    def hats(kind: Hats, energy: float) -> list[tuple[float, int]]:
        groove = next(g for g in GROOVES[DrumStyle.POP] if g.hats == kind)
        notes = drum_bar(
            bar(energy=energy), DrumStyle.POP, 100, rng=random.Random(3), next_energy=energy, groove=groove
        )
        return sorted((n.beat - 16, n.key) for n in notes if n.key in (CLOSED_HAT, OPEN_HAT))

    full = hats(Hats.SIXTEENTHS, 0.8)
    assert len(full) == 16 and [b for b, _ in full] == [k / 4 for k in range(16)]  # every sixteenth, one hat each
    assert [b for b, _ in hats(Hats.SIXTEENTHS, 0.4)] == [k / 2 for k in range(8)]  # eighths when it is quiet
    disco = hats(Hats.OFFBEAT_OPEN, 0.6)
    assert [(b, k) for b, k in disco if k == OPEN_HAT] == [(0.5, OPEN_HAT), (1.5, OPEN_HAT), (2.5, OPEN_HAT),
                                                           (3.5, OPEN_HAT)]  # fmt: skip


def test_another_version_plays_another_beat() -> None:
    """ "another version" of a trap piece: a seed whose groove differs too (a random seed kept it one time in three)."""
    from free_music_ai.engine.music.versions import another_seed

    draws = random.Random(7)
    for seed in range(1, 11):
        spec = MusicSpec(duration_s=30.0, genre=Genre.TRAP, seed=seed)
        other = another_seed(spec, lambda: draws.randrange(1, 1_000_000))
        assert groove_of(DrumStyle.TRAP, other) != groove_of(DrumStyle.TRAP, seed), seed


def test_swung_sixteenths_keep_their_order_and_triplets_stay_even() -> None:
    """Swing moved only the offbeat eighth: a sixteenth after it came 0.14 beat later (hip-hop's beat tracking fell
    to 0.75). Played from the performed events: each beat's sixteenths long, long, short, short; a triplet even."""
    from free_music_ai.engine.music.humanize import perform
    from free_music_ai.engine.music.tempo_map import build_tempo_map

    tempo = build_tempo_map(60.0, [], 8.0)  # a beat a second
    written = [Note(k / 4, 0.1, 60, 90, "keys", 0) for k in range(4)] + [Note(1 + k / 3, 0.1, 62, 90, "keys", 0)
                                                                         for k in range(3)]  # fmt: skip
    events = perform(written, tempo, swing=0.22, rng=random.Random(1), end_s=8.0)
    sixteenths = sorted(e.start_s for e in events if e.key == 60)
    gaps = [b - a for a, b in itertools.pairwise([*sixteenths, 1.0])]
    assert gaps[0] > 0.28 and gaps[1] > 0.28 and 0.15 < gaps[2] < 0.22 and 0.15 < gaps[3] < 0.24, gaps
    triplet = sorted(e.start_s for e in events if e.key == 62)
    assert all(abs(t - (1 + k / 3)) < 0.03 for k, t in enumerate(triplet)), triplet


def test_the_busiest_bar_of_a_groove_closes_its_phrase() -> None:
    """The phrase's fourth bar plays the groove's busiest variation: it was counted from the piece's first bar, and
    an intro of two or three bars put it on a phrase's first three bars (58 of 60 times in a listening critique)."""
    for groove in GROOVES[DrumStyle.ROCK]:
        marks = {(beat, key) for beat, key, _ in groove.variations[-1]}
        for index, phrase_bar, played in ((5, 3, True), (7, 2, False)):
            at = replace(bar(index=index), phrase_bar=phrase_bar)
            notes = drum_bar(at, DrumStyle.ROCK, 100, rng=random.Random(2), next_energy=0.8, groove=groove)
            assert (marks <= {(n.beat - at.start, n.key) for n in notes}) is played, (groove.name, index)


def test_electronic_bass_plays_the_offbeats_under_its_kick() -> None:
    """The bass played eighths under every kick (the kick 4.2-4.6 dB over it below 100 Hz); a house bass takes the
    offbeats, and the kick the beats."""
    c = compose(MusicSpec(duration_s=48.0, genre=Genre.EDM, seed=1))
    groove = [b for b in c.form.bars if b.feel == "normal" and b.section in ("verse", "chorus", "peak")]
    bass = [n.beat % 1 for b in groove for n in c.notes if n.part == "bass" and b.start <= n.beat < b.start + b.beats]
    kicks = [n.beat % 1 for b in groove for n in c.notes if n.key == KICK and b.start <= n.beat < b.start + b.beats]
    assert bass and all(abs(f - 0.5) < 1e-6 for f in bass)
    assert kicks.count(0.0) >= 0.9 * len(kicks)


@pytest.mark.parametrize("genre", [Genre.HIPHOP, Genre.RNB])
def test_hip_hop_and_r_and_b_keep_their_time_through_a_breakdown(genre: Genre) -> None:
    """Hip-hop's 48 s pieces went without a beat for a third to a half of their length, a breakdown of three silent
    bars among them, and r&b's breakdown was its electric piano alone, 14 LU under its peak (listening critiques).
    The breakdown now drops the groove for one bar and keeps its hats after it: from the first bar with drums to the
    outro, no two bars in a row are without them (seeds 1-8, 48 and 90 s).
    """
    for seed in range(1, 9):
        for duration in (48.0, 90.0):
            piece = compose(MusicSpec(duration_s=duration, genre=genre, seed=seed))
            outro = min(bar.index for bar in piece.form.bars if bar.section == "outro")
            with_drums = sorted({int(n.beat // 4) for n in piece.notes if n.drum and n.beat < 4 * outro} | {outro})
            assert max(b - a for a, b in itertools.pairwise(with_drums)) <= 2, (seed, duration, with_drums)


@pytest.mark.parametrize("genre", [Genre.RNB, Genre.FOLK, Genre.ACOUSTIC, Genre.JAZZ, Genre.SUSPENSE])
def test_the_backbeat_is_never_left_out(genre: Genre) -> None:
    """R&B's snare (0.72), folk's tambourine and claps, acoustic's rim and jazz's hat foot on 2 and 4 were weak hits,
    left out of one bar in seven at random and of every bar under an energy of 0.48: 24 of 88 loud r&b bars and 45 of
    122 folk bars (seeds 1-12) missed a backbeat, and librosa's beat tracker lost r&b seed 1's grid (a listening
    critique). Every bar that plays its groove now strikes each of the groove's backbeats (seeds 1-12, 48 s)."""
    backbeat_keys = {37, 38, 39, 44, 54}  # General MIDI's rim, snare, clap, hat foot and tambourine
    checked = 0
    for seed in range(1, 13):
        piece = compose(MusicSpec(duration_s=48.0, genre=genre, seed=seed))
        groove = groove_of(piece.style.drums, seed)
        backbeats = {beat for beat, key, _ in groove.core if key in backbeat_keys and beat in (1, 2, 3)}
        struck = {round(n.beat, 3) for n in piece.notes if n.drum and n.key in backbeat_keys}
        for bar in piece.form.bars:
            if "drums" not in bar.parts or bar.feel != "normal" or bar.fill or bar.beats != 4 or bar.energy < 0.42:
                continue  # a bar that plays no groove: its time only, a fill, a build
            checked += 1
            missing = [beat for beat in backbeats if round(bar.start + beat, 3) not in struck]
            assert not missing, (seed, bar.index, bar.section, round(bar.energy, 2), missing)
    assert checked >= 60


def test_a_bass_locks_to_its_drummers_kick() -> None:
    """R&B's bass played one figure over every kick (29-46 % of its notes with a kick on 4 of seeds 1-8), and
    corporate's one eighth-note pulse under every seed's groove (a listening critique heard two seeds as one piece):
    the groove's own bass rhythm now leads each. Over seeds 1-8, at least 60 % of r&b's bass notes fall on a kick,
    and corporate's bass plays three rhythms."""
    rhythms = set()
    for seed in range(1, 9):
        rnb = compose(MusicSpec(duration_s=48.0, genre=Genre.RNB, seed=seed))
        kicks = [n.beat for n in rnb.notes if n.part == "kick"]
        bass = [n.beat for n in rnb.notes if n.part == "bass"]
        assert sum(any(abs(b - k) < 0.01 for k in kicks) for b in bass) >= 0.6 * len(bass), seed
        corporate = compose(MusicSpec(duration_s=48.0, genre=Genre.CORPORATE, seed=seed))
        rhythms.add(frozenset(round(n.beat % 4, 2) for n in corporate.notes if n.part == "bass"))
    assert len(rhythms) >= 3, rhythms


def _chorus_strikes(seed: int) -> Counter[tuple[float, ...]]:
    """The beats rock's guitars strike in each full chorus or peak bar of a 60 s piece (its left-hand take)."""
    c = compose(MusicSpec(duration_s=60.0, genre=Genre.ROCK, seed=seed))
    return Counter(
        tuple(sorted({round(n.beat - b.start, 2) for n in c.notes if n.part == "keys" and n.pan < 0
                      and b.start <= n.beat < b.start + b.beats}))
        for b in c.form.bars if b.section in ("chorus", "peak") and b.feel == "normal" and b.energy >= 0.45
    )  # fmt: skip


def test_rock_seeds_are_three_bands_on_three_riffs() -> None:
    """A listening critique heard rock's seeds as one band on one groove: the kick, the hats and the guitars' eighths
    alike bar for bar. A seed now draws a backbeat under eighths, a dance-rock four on the floor under open hats with
    its guitars pushing across the bar, or a verse driven on the floor tom whose chorus rings in three-three-two: the
    chorus guitars of seeds drawing each strike in three different rhythms, on the groove's own beats."""
    drawn = {groove_of(DrumStyle.ROCK, seed).name: seed for seed in range(1, 9)}
    assert set(drawn) == {"rock", "dance rock", "floor tom"}
    rhythms = {}
    for name, seed in drawn.items():
        strikes = _chorus_strikes(seed)
        rhythms[name], bars = strikes.most_common(1)[0]
        assert bars >= 0.75 * sum(strikes.values()), (name, strikes)
    assert rhythms["rock"] == tuple(k / 2 for k in range(8))
    assert rhythms["floor tom"] == (0.0, 1.5, 3.0)
    assert rhythms["dance rock"] == (0.0, 1.5, 2.5, 3.0, 3.5)


def test_a_rock_verse_on_the_floor_tom_opens_onto_the_ride() -> None:
    """The floor-tom groove keeps a verse's time on the floor tom in eighths, the hats shut; its chorus moves to the
    ride as every rock groove's does."""
    groove = next(g for g in GROOVES[DrumStyle.ROCK] if g.hats == Hats.FLOOR_TOM)
    verse = drum_bar(bar(section="verse"), "rock", 100, rng=random.Random(1), next_energy=0.8, groove=groove)
    chorus = drum_bar(bar(section="chorus"), "rock", 100, rng=random.Random(1), next_energy=0.8, groove=groove)
    floor = sorted(n.beat % 4 for n in verse if n.key == 41)
    assert floor == [k / 2 for k in range(8)] and not any(n.key in (CLOSED_HAT, RIDE) for n in verse)
    assert sum(n.key == RIDE for n in chorus) >= 6 and not any(n.key == 41 for n in chorus)
