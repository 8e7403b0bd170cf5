"""Stretches named by their place in the music ("make the second half more energetic", "no music during the
intro"), read as typed values, and placed in time once the music's length is known."""

from __future__ import annotations

import pytest

from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.music.moments import Placed
from free_music_ai.engine.plan.plan import plan_music
from free_music_ai.words.message import interpret
from free_music_ai.words.places import read_places
from free_music_ai.words.wishes import read_wishes


@pytest.mark.parametrize(
    ("message", "placed"),
    [
        ("make the second half more energetic", Placed(first=0.5, last=1.0, kind="lift")),
        ("a more energetic second half", Placed(first=0.5, last=1.0, kind="lift")),
        ("calmer towards the end", Placed(first=0.75, last=1.0, kind="quiet")),
        ("make the ending quieter", Placed(first=0.75, last=1.0, kind="quiet")),
        ("make the middle part calmer", Placed(first=1 / 3, last=2 / 3, kind="quiet")),
        ("the end of the video more intense", Placed(first=0.75, last=1.0, kind="lift")),
        ("no music during the intro", Placed(first=0.0, last=0.25, kind="silent")),
        ("quieter for the last 10 seconds", Placed(first=1.0, last=1.0, seconds=10.0, kind="quiet")),
        ("the last 10 seconds should be calm", Placed(first=1.0, last=1.0, seconds=10.0, kind="quiet")),
        ("后半段更有活力", Placed(first=0.5, last=1.0, kind="lift")),
        ("结尾安静一点", Placed(first=0.75, last=1.0, kind="quiet")),
        ("开头不要音乐", Placed(first=0.0, last=0.25, kind="silent")),
        ("cut the drums in the intro", Placed(first=0.0, last=0.25, kind="drumless")),
        ("no drums in the first half", Placed(first=0.0, last=0.5, kind="drumless")),
        ("开头不要鼓", Placed(first=0.0, last=0.25, kind="drumless")),
        # the drums brought in at a place: none before it (these were read as nothing, or as no edit at all)
        ("bring the drums in for the second half", Placed(first=0.0, last=0.5, kind="drumless")),
        ("the drums should come in after the intro", Placed(first=0.0, last=0.25, kind="drumless")),
        ("drums only at the end", Placed(first=0.0, last=0.75, kind="drumless")),
        ("let the drums join in the last part", Placed(first=0.0, last=0.75, kind="drumless")),
        # and kept to a first part: none after it
        ("drums only in the intro", Placed(first=0.25, last=1.0, kind="drumless")),
        # a mood for a stretch: the parallel minor or major there (these made the whole piece sadder or happier)
        ("make the second half sadder", Placed(first=0.5, last=1.0, kind="minor")),
        ("happier in the second half", Placed(first=0.5, last=1.0, kind="major")),
        ("make the ending darker", Placed(first=0.75, last=1.0, kind="minor")),
        ("a happy ending", Placed(first=0.75, last=1.0, kind="major")),
        ("end on a hopeful note", Placed(first=0.75, last=1.0, kind="major")),
        ("the last 10 seconds should be more melancholic", Placed(first=1.0, last=1.0, seconds=10.0, kind="minor")),
        ("后半段更欢快", Placed(first=0.5, last=1.0, kind="major")),
        ("结尾悲伤一点", Placed(first=0.75, last=1.0, kind="minor")),
    ],
)
def test_a_stretch_named_by_its_place_edits_that_stretch_not_the_whole_piece(message: str, placed: Placed) -> None:
    intent = interpret(message)
    assert intent.wishes.placed == (placed,), message
    assert intent.adjust and not intent.generate, message  # the music that is there, edited
    assert intent.wishes.mood is None and intent.wishes.change == (0.0, 0.0), message  # not a calmer piece
    assert intent.wishes.drums is None, message  # drums out of a stretch, not of the piece


@pytest.mark.parametrize(
    "message",
    ["make it calmer", "calm music for the intro of my vlog", "bigger at the end", "calm ending", "hit at the end",
     "start the music at 0:05", "add a title at the end"],
)  # fmt: skip
def test_words_that_name_no_stretch_are_read_as_before(message: str) -> None:
    assert read_places(message) == (), message


def _footage(duration_s: float) -> Analysis:
    return Analysis.model_validate(dict(
        duration_s=duration_s, kind="video", transitions=[], valence=0.3, arousal=0.2, reasons=[],
        energy=[0.5] * int(duration_s), speech_s=[], loudness_db=[-30.0] * int(duration_s), brightness=0.5,
        saturation=0.3, warmth=0.1, motion=0.02, has_sound=False,
    ))  # fmt: skip


def test_places_become_times_of_the_music_and_silence_at_an_edge_moves_its_start_or_end() -> None:
    """On a 40 s video: the second half lifted is a rise into a drop on the bar line nearest 0:20 and more energy to
    the end (not a hit at 0:20, which as a tempo anchor moved the whole piece's tempo); the
    middle third is quiet in whole seconds; "no music during the intro" starts the music at 0:10 (a piece that
    begins, not one that comes back from a stop); "no music for the last 10 seconds" ends it at 0:30."""
    video = _footage(40.0)
    plan = plan_music(video, read_wishes("make the second half more energetic"))
    lifted = plan.spec.moments
    assert lifted.lifted_s == [(20.0, 40.0)] and lifted.hits_s == [] and lifted.builds == []  # no tempo anchor
    from free_music_ai.engine.music.compose import compose

    played = compose(plan.spec)  # landed on the bar line nearest 0:20, rising over the 2 bars before it
    bars = {round(played.form.tempo.time_of(b.start), 3): b.feel for b in played.form.bars}
    first = played.lifted_s[0][0]
    assert abs(first - 20.0) < 2.5 and bars[round(first, 3)] == "drop"
    assert sorted(bars.items())[[t for t, _ in sorted(bars.items())].index(round(first, 3)) - 1][1] == "build"
    assert plan_music(video, read_wishes("make the middle part calmer")).spec.moments.quiet_s == [(13.0, 27.0)]
    intro = plan_music(video, read_wishes("no music during the intro"))
    assert intro.start_s == 10.0 and intro.spec.duration_s == 30.0 and not intro.spec.moments.silent_s
    last = plan_music(video, read_wishes("no music for the last 10 seconds"))
    assert last.start_s == 0.0 and last.spec.duration_s == 30.0 and "ending at 0:30" in last.explanation
    middle = plan_music(video, read_wishes("no music in the middle")).spec.moments
    assert middle.silent_s == [(13.0, 27.0)]


def test_a_mood_step_said_beside_a_place_is_that_places_unless_the_whole_piece_is_named() -> None:
    """ "the last 10 sec feel too busy, calm it down" made a new calm piece; the calming is the last 10 seconds'."""
    said = interpret("music is good but the last 10 sec feel too busy, calm it down")
    assert said.wishes.placed == (Placed(first=1.0, last=1.0, seconds=10.0, kind="quiet"),)
    assert said.adjust and not said.generate and said.wishes.mood is None and said.wishes.change == (0.0, 0.0)
    whole = interpret("make the second half more energetic and the whole thing calmer").wishes
    assert whole.placed and whole.change[1] < 0  # the whole piece calmer as well


def test_calm_it_down_moves_the_piece_there_a_step() -> None:
    """ "calm it down" made a new calm piece (a new seed, the moments lost); it is a step of the piece there."""
    for message, arousal in (("calm it down", -0.35), ("liven it up", 0.35), ("tone it down", -0.35)):
        intent = interpret(message)
        assert intent.adjust and not intent.generate and intent.wishes.mood is None, message
        assert intent.wishes.change[1] == arousal, message


def test_a_mood_said_of_the_footage_at_a_place_is_still_the_pieces() -> None:
    """ "it gets sad at the end" describes the video (no edit): its music is sad, as before."""
    intent = interpret("it gets sad at the end")
    assert intent.wishes.placed == () and intent.wishes.mood is not None and intent.wishes.mood[0] < 0


@pytest.mark.parametrize(
    ("message", "kind", "section"),
    [("no drums in the chorus", "drumless", "chorus"), ("remove the drums in the chorus", "drumless", "chorus"),
     ("make the chorus more energetic", "lift", "chorus"), ("a quieter verse", "quiet", "verse"),
     ("no music in the bridge", "silent", "bridge"), ("the verse is too loud", "quiet", "verse"),
     ("louder in the hook", "lift", "chorus"), ("副歌不要鼓", "drumless", "chorus"),
     ("主歌安静一点", "quiet", "verse")],
)  # fmt: skip
def test_a_stretch_named_by_its_section(message: str, kind: str, section: str) -> None:
    """ "remove the drums in the chorus" took the drums out of the whole piece; "make the chorus more energetic" and
    "a quieter verse" were not read. A section is a place now, found in the piece's bars once it is composed."""
    wishes = interpret(message).wishes
    assert [(p.kind, p.section) for p in wishes.placed] == [(kind, section)] and wishes.drums is None
