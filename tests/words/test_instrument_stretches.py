"""Instruments taken out of a part of the piece only: read as the drums' stretches are, with their family; the whole
piece's instrument edits, refusals, the user's own instrument and words that are no instrument are left as they
were."""

from __future__ import annotations

import pytest

from free_music_ai.engine.music.families import Family
from free_music_ai.engine.music.moments import Placed
from free_music_ai.words.instrument_stretches import read_instrument_stretches
from free_music_ai.words.wishes import read_wishes


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("remove the piano from 0:10 to 0:20", [(Family.PIANO, 10.0, 20.0)]),
        ("take out the strings between 0:05 and 0:12 please", [(Family.STRINGS, 5.0, 12.0)]),
        ("no strings until 0:08", [(Family.STRINGS, 0.0, 8.0)]),
        ("remove the synth after 0:30", [(Family.SYNTH, 30.0, 1200.0)]),
        ("cut the guitar from 0:04 to 0:09, and make it calmer", [(Family.GUITAR, 4.0, 9.0)]),
    ],
)
def test_instruments_out_for_stretches_said_with_times(text: str, spans: list[tuple[Family, float, float]]) -> None:
    moments, placed = read_instrument_stretches(text)
    assert moments.families_out_s == spans and not placed


@pytest.mark.parametrize(
    ("text", "family", "first", "last", "seconds"),
    [
        ("no piano in the intro", Family.PIANO, 0.0, 0.25, None),
        ("take the guitar out for the last 10 seconds", Family.GUITAR, 1.0, 1.0, 10.0),
        ("cut the bass in the second half", Family.BASS, 0.5, 1.0, None),
        ("no piano in the intro, more strings", Family.PIANO, 0.0, 0.25, None),
        # a part named before the words in Chinese: it took the piano out of the whole piece
        ("开头不要钢琴", Family.PIANO, 0.0, 0.25, None),
        ("前半段去掉钢琴", Family.PIANO, 0.0, 0.5, None),
        ("最后10秒不要吉他", Family.GUITAR, 1.0, 1.0, 10.0),
    ],
)
def test_instruments_out_for_stretches_named_by_their_place(
    text: str, family: Family, first: float, last: float, seconds: float | None
) -> None:
    moments, placed = read_instrument_stretches(text)
    assert not moments.any
    assert placed == (Placed(first=first, last=last, seconds=seconds, kind="drumless", family=family),)
    assert placed[0].moments(0.0, 40.0).families_out_s and not placed[0].moments(0.0, 40.0).drumless_s


@pytest.mark.parametrize(
    "text",
    ["don't remove the piano in the intro", "remove the piano", "my guitar in the intro is too quiet",
     "did you take the piano out of the intro?", "piano music for the intro of my vlog"],
)  # fmt: skip
def test_what_takes_no_instrument_out_of_a_stretch(text: str) -> None:
    moments, placed = read_instrument_stretches(text)
    assert not moments.any and not placed


def test_the_wishes_carry_them_and_name_no_genre_for_them() -> None:
    """ "take the guitar out for the last 10 seconds" made an acoustic piece (the guitar named a genre)."""
    wishes = read_wishes("take the guitar out for the last 10 seconds")
    assert wishes.genre is None and not wishes.instruments_out
    assert [p.family for p in wishes.placed] == [Family.GUITAR]
    wishes = read_wishes("remove the piano from 0:10 to 0:20")
    assert wishes.moments.families_out_s == [(Family.PIANO, 10.0, 20.0)] and wishes.genre is None
    assert wishes.only_edits  # the same piece, edited: no new seed


def test_a_chinese_stretch_takes_its_instrument_out_of_that_stretch_only() -> None:
    assert not read_wishes("开头不要钢琴").instruments_out
    assert read_wishes("去掉钢琴").instruments_out == (Family.PIANO,)  # the whole piece, as before
