"""Instruments taken out of a part of the piece only, or brought in at a time or a place (so out before it): read as
the drums' stretches and entrances are, with their family; the whole piece's instrument edits, refusals, the user's
own instrument and words that are no instrument are left as they were."""

from __future__ import annotations

import pytest

from free_music_ai.engine.music.families import Family
from free_music_ai.engine.music.moments import Placed
from free_music_ai.words.instrument_stretches import read_instrument_stretches
from free_music_ai.words.moment_phrases import UNTIL_THE_END_S
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


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("bring the piano in at 0:20", [(Family.PIANO, 20.0, UNTIL_THE_END_S)]),
        ("bring in the strings at 0:12", [(Family.STRINGS, 12.0, UNTIL_THE_END_S)]),
        ("let the guitar come in at 0:10", [(Family.GUITAR, 10.0, UNTIL_THE_END_S)]),
        ("the strings should enter after 0:15", [(Family.STRINGS, 15.0, UNTIL_THE_END_S)]),
        ("then have the bass kick in at 0:08", [(Family.BASS, 8.0, UNTIL_THE_END_S)]),
        ("add strings from 0:20 to 0:40", [(Family.STRINGS, 20.0, 40.0)]),
        ("add a choir between 0:10 and 0:30", [(Family.CHOIR, 10.0, 30.0)]),
        ("钢琴在0:20进来", [(Family.PIANO, 20.0, UNTIL_THE_END_S)]),
        ("0:20之后再加钢琴", [(Family.PIANO, 20.0, UNTIL_THE_END_S)]),
        ("0:12加入吉他", [(Family.GUITAR, 12.0, UNTIL_THE_END_S)]),
        ("0:20加钢琴", [(Family.PIANO, 20.0, UNTIL_THE_END_S)]),
    ],
)
def test_an_instrument_brought_in_at_a_time_plays_from_then(
    text: str, spans: list[tuple[Family, float, float]]
) -> None:
    """ "bring the piano in at 0:20" made a solo piano piece, and "let the guitar come in at 0:10" an acoustic one
    (the instrument named a genre): that instrument is now asked for that stretch only, in the same piece (added
    there to a piece without it, out before it of one with it: engine/music/added_instruments.py)."""
    wishes = read_wishes(text)
    assert wishes.moments.families_in_s == spans, text
    assert wishes.genre is None and not wishes.instruments_out and wishes.only_edits, text


@pytest.mark.parametrize(
    ("text", "family", "first", "last"),
    [
        ("piano only in the second half", Family.PIANO, 0.5, 1.0),
        ("I want the piano only in the second half", Family.PIANO, 0.5, 1.0),
        ("the piano should only play in the second half", Family.PIANO, 0.5, 1.0),
        ("strings only at the end", Family.STRINGS, 0.75, 1.0),
        ("the strings enter after the intro", Family.STRINGS, 0.25, 1.0),
        ("have the bass join in the second half", Family.BASS, 0.5, 1.0),
        ("bring the guitar in for the last part", Family.GUITAR, 0.75, 1.0),
        ("add a choir at the end", Family.CHOIR, 0.75, 1.0),
        ("piano only in the intro", Family.PIANO, 0.0, 0.25),
    ],
)
def test_an_instrument_asked_for_a_place_only(text: str, family: Family, first: float, last: float) -> None:
    wishes = read_wishes(text)
    assert wishes.placed == (Placed(first=first, last=last, kind="only", family=family),), text
    assert wishes.genre is None and not wishes.instruments_out and not wishes.moments.any, text


def test_an_instrument_out_of_a_chinese_place_named_before_it() -> None:
    """ "结尾的钢琴去掉": the place before the instrument, with no 把, was not read."""
    wishes = read_wishes("结尾的钢琴去掉")
    assert wishes.placed == (Placed(first=0.75, last=1.0, kind="drumless", family=Family.PIANO),)


@pytest.mark.parametrize(
    ("text", "added", "genre_if_new"),
    [
        ("add some strings", (Family.STRINGS,), "orchestral"),
        ("add a choir", (Family.CHOIR,), None),
        ("add some piano", (Family.PIANO,), "solo piano"),
        ("add brass and a choir", (Family.BRASS, Family.CHOIR), None),
        ("加点弦乐", (Family.STRINGS,), None),
    ],
)
def test_an_instrument_added_to_the_piece(text: str, added: tuple[Family, ...], genre_if_new: str | None) -> None:
    """ "add some strings" made an orchestral piece in place of the one there: it now adds strings to it (the genre
    the words name is kept for a first piece only)."""
    wishes = read_wishes(text)
    assert wishes.instruments_added == added and wishes.genre is None and wishes.only_edits, text
    assert (wishes.genre_if_new.value if wishes.genre_if_new else None) == genre_if_new, text


@pytest.mark.parametrize(
    "text", ["add piano music", "add more piano", "add the piano back", "add a violin", "don't add strings"]
)
def test_what_adds_no_instrument(text: str) -> None:
    """A genre, a level, an instrument put back, the tune's instrument, a refusal."""
    assert not read_wishes(text).instruments_added, text


@pytest.mark.parametrize(
    ("text", "genre"),
    [("bring in the piano", "solo piano"), ("add a guitar", "acoustic"), ("don't bring the piano in at 0:20", None)],
)
def test_an_instrument_brought_in_with_no_time_or_place_is_read_as_before(text: str, genre: str | None) -> None:
    """For a first piece: "bring in the piano" with no music yet is a piano piece, as it was."""
    wishes = read_wishes(text)
    assert not wishes.moments.families_in_s and not wishes.placed, text
    named = wishes.genre or wishes.genre_if_new
    assert (named.value if named else None) == genre, text


def test_drums_brought_in_at_a_time_or_place_are_asked_for_the_piece() -> None:
    """ "add drums at 0:20" asked for drums in the whole piece; a piece without drums now gets them from 0:20."""
    wishes = read_wishes("add drums at 0:20")
    assert wishes.drums is True and wishes.moments.drums_from_s == 20.0
    wishes = read_wishes("add drums in the second half")
    assert wishes.drums is True and wishes.placed == (Placed(first=0.0, last=0.5, kind="drumless"),)
    assert read_wishes("鼓在0:20进来").moments.drums_from_s == 20.0
