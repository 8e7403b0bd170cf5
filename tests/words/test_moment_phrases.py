"""Timed edits said the many ways creators and host LLMs say them (found by a probe of ~680 messages): each is read
as the moment asked for, on the piece that is there, never as new music or the whole track muted."""

from __future__ import annotations

import pytest

from free_music_ai.words.message import interpret
from free_music_ai.words.moment_phrases import UNTIL_THE_END_S
from free_music_ai.words.wishes import read_wishes

END = 1200.0  # "to the end of the piece" (cut to its length where it is used)


def _read(message: str) -> dict[str, object]:
    """What a user would check of a timed edit: where the music starts and stops, its stretches, hits and what
    is taken away, and whether the piece there is edited (not replaced, not muted)."""
    intent = interpret(message)
    wishes, moments = intent.wishes, intent.wishes.moments
    read: dict[str, object] = {
        "start": wishes.music_start_s, "stop": wishes.music_stop_s, "silent": moments.silent_s,
        "quiet": moments.quiet_s, "lifted": moments.lifted_s, "hits": moments.hits_s,
        "builds": [(b.start_s, b.peak_s) for b in moments.builds],
        "removed_hits": wishes.hits_removed_s, "removed_builds": wishes.builds_removed_s,
        "removed_stretches": wishes.stretches_removed_s, "no_end_hit": wishes.end_hit_removed,
        "placed": [(round(p.first, 2), p.last, p.seconds, p.kind) for p in wishes.placed],
        "shift": wishes.music_shift_s, "cleared": wishes.kinds_cleared,
    }  # fmt: skip
    assert not intent.generate and intent.music_volume is None and intent.wishes.mood is None, message
    return read


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # the music taken away for a stretch: before, these made music play ONLY there, or muted the whole track
        ("I don't want any music from 0:10 to 0:20", {"silent": [(10.0, 20.0)], "start": None, "stop": None}),
        ("without music from 0:10 to 0:20", {"silent": [(10.0, 20.0)]}),
        ("switch off the music between 0:10 and 0:20", {"silent": [(10.0, 20.0)]}),
        ("skip the music from 0:10 to 0:20", {"silent": [(10.0, 20.0)]}),
        ("no bgm from 0:10 to 0:20", {"silent": [(10.0, 20.0)]}),
        ("music off from 0:10 to 0:20", {"silent": [(10.0, 20.0)]}),
        ("please keep the music out of 0:10 to 0:20", {"silent": [(10.0, 20.0)]}),
        ("between 0:10 and 0:20 mute the music", {"silent": [(10.0, 20.0)]}),
        ("0:10 - 0:20: silence", {"silent": [(10.0, 20.0)]}),
        ("same song, but mute it from 0:10 to 0:20", {"silent": [(10.0, 20.0)]}),
        ("mute the music at 0:30 for 2 seconds", {"silent": [(30.0, 32.0)], "stop": None}),
        ("pause the music at 0:30 for two seconds", {"silent": [(30.0, 32.0)], "stop": None}),
        ("0:10到0:20音乐静音", {"silent": [(10.0, 20.0)]}),
        ("从0:10到0:20不要背景音乐", {"silent": [(10.0, 20.0)]}),
        # its start and stop, said other ways
        ("after 0:30 mute the music", {"stop": 30.0}),
        ("stop it at 0:40", {"stop": 40.0}),
        ("make it stop at 0:58", {"stop": 58.0}),
        ("在0:40停止音乐", {"stop": 40.0}),
        ("0:30以后不要音乐", {"stop": 30.0}),
        ("don't start the music until 0:12", {"start": 12.0}),
        ("keep this track but start it at 0:05", {"start": 5.0}),
        ("for the first 10 seconds, no music", {"start": 10.0}),
        ("前5秒不要音乐", {"start": 5.0}),
        ("I want music from 0:05 to 0:50", {"start": 5.0, "stop": 50.0}),
        # a level said of a stretch is that stretch's ("raise" was the whole track, and its span the music's own)
        ("music too loud between 0:10 and 0:20", {"quiet": [(10.0, 20.0)], "start": None, "stop": None}),
        ("raise the music from 0:30 to 0:40", {"lifted": [(30.0, 40.0)], "start": None, "stop": None}),
        ("energetic from 0:20 to 0:40", {"lifted": [(20.0, 40.0)], "hits": [20.0]}),
        ("more epic after 0:45", {"lifted": [(45.0, END)], "hits": [45.0]}),  # before: an epic (cinematic) piece
        ("more energetic after 0:20", {"lifted": [(20.0, END)], "hits": [20.0], "builds": [(12.0, 20.0)]}),
        # a refusal takes away or leaves alone; it never adds
        ("don't mute the music from 0:10 to 0:20", {"silent": [], "removed_stretches": ((10.0, 20.0),)}),
        ("don't make the music quiet from 0:10 to 0:20", {"quiet": [], "removed_stretches": ((10.0, 20.0),)}),
        ("there shouldn't be a drop at 0:30", {"hits": [], "removed_hits": (30.0,), "removed_builds": (30.0,)}),
        ("I never asked for a hit at 0:15", {"hits": [], "removed_hits": (15.0,)}),
        ("no hit at the end", {"no_end_hit": True}),
        ("get rid of the hit at 0:15", {"removed_hits": (15.0,)}),
        ("cancel the build to 0:30", {"removed_builds": (30.0,)}),
        ("把0:15的重音删掉", {"removed_hits": (15.0,)}),
        ("0:30不要drop", {"removed_hits": (30.0,), "removed_builds": (30.0,)}),
        ("don't change anything, just add a hit at 0:15", {"hits": [15.0]}),
        # moved, and dropped where a build peaks
        ("move the hit from 0:15 to 0:18", {"hits": [18.0], "removed_hits": (15.0,)}),
        ("the drop at 0:30 should be at 0:40", {"hits": [40.0], "removed_hits": (30.0,), "removed_builds": (30.0,)}),
        # moved without the old time: the piece's drops (or hits, or builds) taken away, one placed ("cleared")
        ("move the drop to 0:40", {"hits": [40.0], "builds": [(32.0, 40.0)], "cleared": ("drops",)}),
        ("the drop should come at 0:40", {"hits": [40.0], "cleared": ("drops",)}),
        ("put the hit at 0:18 instead", {"hits": [18.0], "builds": [], "cleared": ("lone_hits",)}),
        ("drop at 0:40 instead", {"hits": [40.0], "cleared": ("drops",)}),
        ("move the build to 0:30", {"hits": [], "builds": [(22.0, 30.0)], "cleared": ("builds",)}),
        ("make the climax happen at 0:45", {"hits": [45.0], "cleared": ("drops", "builds")}),
        ("把drop移到0:40", {"hits": [40.0], "cleared": ("drops",)}),
        ("put a drop at 0:40", {"hits": [40.0], "cleared": ()}),  # "a" drop: one more
        ("build up to 0:30 then drop", {"hits": [30.0]}),
        ("0:30来个drop", {"hits": [30.0]}),
        # builds, silences and stops said other ways
        ("0:20到0:40渐强", {"builds": [(20.0, 40.0)], "hits": []}),
        ("The user wants the build to start at 0:20 and peak at 0:40.", {"builds": [(20.0, 40.0)]}),
        ("can we get a build-up before 0:30?", {"builds": [(22.0, 30.0)]}),
        ("start building at 0:20", {"builds": [(20.0, 28.0)]}),
        ("I want total silence at 0:42 for 3 seconds for the punchline", {"silent": [(42.0, 45.0)]}),
        ("kill the music for 5 seconds at 0:30", {"silent": [(30.0, 35.0)]}),
        ("the music should drop out at 0:30 and come back at 0:35", {"silent": [(30.0, 35.0)], "stop": None}),
        ("music until 0:40", {"stop": 40.0}),
        ("let it play until 0:40", {"stop": 40.0}),
        ("drop the music at 0:20", {"stop": 20.0}),
        ("the music is only needed from 0:20 to 0:50", {"start": 20.0, "stop": 50.0}),
        ("start music after the intro at 0:08", {"start": 8.0}),
        ("duck the music while I speak (0:05-0:15)", {"quiet": [(5.0, 15.0)]}),
        ("I talk from 0:05 to 0:15, keep the music low there", {"quiet": [(5.0, 15.0)]}),
        ("0:20到0:40安静一点", {"quiet": [(20.0, 40.0)]}),
        ("take the music out for the intro", {"placed": [(0.0, 0.25, None, "silent")]}),
        ("cut the last 10 seconds of music", {"placed": [(1.0, 1.0, 10.0, "silent")]}),
        ("make the music 10 seconds shorter", {"placed": [(1.0, 1.0, 10.0, "silent")]}),
        ("delay the music by 5 seconds", {"shift": 5.0, "start": None, "stop": None}),
        ("push the music back 3 seconds", {"shift": 3.0}),
        ("start the music 2 seconds earlier", {"shift": -2.0}),
        # every moment of a kind taken away, or one stretch said by a time inside it
        ("remove the drops", {"placed": []}),
        ("remove the silence at 0:30", {"removed_stretches": ((29.99, 30.01),)}),
        # a place said before what is asked of it
        ("for the intro, no music", {"placed": [(0.0, 0.25, None, "silent")]}),
        ("in the last 5 seconds, no music", {"placed": [(1.0, 1.0, 5.0, "silent")]}),
        ("the music in the second half is too loud", {"placed": [(0.5, 1.0, None, "quiet")]}),
        ("calm down the first 20 seconds", {"placed": [(0.0, 0.0, 20.0, "quiet")]}),
        ("make the last 20 seconds epic", {"placed": [(1.0, 1.0, 20.0, "lift")]}),
        ("give it a big finish", {"placed": [(0.75, 1.0, None, "lift")]}),
        ("最后10秒不要音乐", {"placed": [(1.0, 1.0, 10.0, "silent")]}),
        ("后半部分音乐小声一点", {"placed": [(0.5, 1.0, None, "quiet")]}),
        ("don't make the second half more energetic", {"placed": []}),
    ],
)
def test_timed_edits_said_other_ways_are_read_as_meant(message: str, expected: dict[str, object]) -> None:
    read = _read(message)
    for key, value in expected.items():
        assert read[key] == value, (message, key, read[key])


@pytest.mark.parametrize(
    "message",
    ["don't stop the music at 0:40", "I don't want the music to stop at 0:40", "don't start the music at 0:05"],
)
def test_a_refused_start_or_stop_changes_nothing_and_makes_no_new_music(message: str) -> None:
    intent = interpret(message)
    assert (intent.wishes.music_start_s, intent.wishes.music_stop_s) == (None, None)
    assert not intent.generate and not intent.regenerate, message


@pytest.mark.parametrize(
    ("message", "hits", "removed"),
    [
        ("can we get a hit at 0:15?", [15.0], ()),  # a request worded as a question is done, not answered
        ("could the drop be at 0:40?", [40.0], ()),
        ("when the door opens at 0:15, add a hit", [15.0], ()),
        ("at 0:15, a big hit please", [15.0], ()),
        ("do not add a hit at 0:15", [], (15.0,)),  # a refusal, not a question: before, it was answered and ignored
    ],
)
def test_requests_worded_as_questions_or_with_the_time_first_are_done(
    message: str, hits: list[float], removed: tuple[float, ...]
) -> None:
    from free_music_ai.words.questions import questions_in

    assert questions_in(message) == [], message
    wishes = interpret(message).wishes
    assert (wishes.moments.hits_s, wishes.hits_removed_s) == (hits, removed), message
    assert questions_in("where are the hits?") and questions_in("what key is it in?")  # questions still answered


def test_a_new_track_asked_with_a_moment_is_new_music() -> None:
    intent = interpret("make a new track with a drop at 0:30")
    assert intent.generate and not intent.adjust and intent.wishes.moments.hits_s == [30.0]


@pytest.mark.parametrize(
    ("message", "kinds"),
    [
        ("remove the drops", ("drops",)),
        ("no drop", ("drops",)),
        ("no more hits", ("hits",)),
        ("remove the build", ("builds",)),
        ("don't make it build up", ("builds",)),
        ("no big ending", ("end_hit",)),
        ("remove the silence", ("silent",)),
        ("remove the quiet parts", ("quiet",)),
    ],
)
def test_every_moment_of_a_kind_is_taken_away_and_nothing_else(message: str, kinds: tuple[str, ...]) -> None:
    from free_music_ai.engine.music.moments import Build, Moments

    intent = interpret(message)
    assert intent.wishes.kinds_cleared == kinds and intent.adjust and not intent.generate, message
    before = Moments(hits_s=[15.0, 30.0], builds=[Build(start_s=22.0, peak_s=30.0), Build(start_s=40.0, peak_s=48.0)],
                     silent_s=[(5.0, 7.0)], quiet_s=[(50.0, 55.0)], end_hit=True)  # fmt: skip
    after = before.without_kinds(intent.wishes.kinds_cleared)
    expected = {
        "drops": (after.hits_s == [15.0] and after.builds == [Build(start_s=40.0, peak_s=48.0)]),  # the drop at 0:30
        "hits": after.hits_s == [] and len(after.builds) == 2,
        "builds": after.builds == [] and after.hits_s == [15.0, 30.0],
        "end_hit": not after.end_hit and after.hits_s == [15.0, 30.0],
        "silent": after.silent_s == [] and after.quiet_s == [(50.0, 55.0)],
        "quiet": after.quiet_s == [] and after.silent_s == [(5.0, 7.0)],
    }
    assert expected[kinds[0]], (message, after)


@pytest.mark.parametrize(
    "message",
    [
        # refusals of the new edits (found by a probe of ~2,500 messages against the code before them)
        "no need to stop the music", "I don't want you to stop the music", "stop the music repeating",
        "don't remove the piano", "don't lose the bass", "I didn't ask you to remove the bass", "不要把钢琴去掉",
        "don't make the piano louder", "don't turn down the bass", "don't remove the drums",
        # the footage described, or the music asked about
        "why did you mute the intro?", "为什么开头没有音乐？", "did you remove the bass?",
        "why did the drums stop at 0:30?", "why does the music stop at 0:40?", "it sounds empty without the bass",
        "there's silence from 0:10 to 0:20 in my footage", "my video is silent in the second half",
        "there's no music in the intro", "the silence at the end is perfect", "remove the silence at the start",
        "keep the music playing from 0:10 to 0:20", "the drop at 0:30 is awesome", "everyone goes quiet at the end",
        "it gets exciting in the second half", "what happens if I remove the piano?", "version 2 had no piano",
        # the user's own sound or instrument
        "my voice is too loud at the end", "too much bass on my mic", "my voice has too much bass",
        "the drums are too loud in my video", "mute the piano in my video, it's from the restaurant",
    ],
)  # fmt: skip
def test_what_is_refused_described_or_asked_about_edits_nothing(message: str) -> None:
    intent = interpret(message)
    wishes, moments = intent.wishes, intent.wishes.moments
    assert not (
        moments.silent_s
        or moments.quiet_s
        or moments.lifted_s
        or moments.drumless_s
        or moments.hits_s
        or wishes.placed
        or wishes.instruments_out
        or wishes.instruments_db
        or wishes.drums is not None
        or wishes.drums_db
        or wishes.music_stop_s is not None
        or wishes.music_start_s is not None
    ), message
    assert intent.music_volume is None and intent.music_scale is None and not intent.generate, message


@pytest.mark.parametrize(
    ("message", "stretches", "silent"),
    [
        ("mute my voice from 0:10 to 0:20", [(10.0, 20.0, 0.0)], []),
        ("mute the original audio from 0:10 to 0:20", [(10.0, 20.0, 0.0)], []),
        ("lower the original audio between 0:10 and 0:20", [(10.0, 20.0, 0.5)], []),
        ("original sound 30% from 0:10 to 0:20", [(10.0, 20.0, 0.3)], []),
        ("raise my voice from 0:05 to 0:08", [(5.0, 8.0, 1.5)], []),
        ("0:10到0:20原声静音", [(10.0, 20.0, 0.0)], []),
        ("only the original sound from 0:10 to 0:20", [], [(10.0, 20.0)]),  # the music is what goes there
        ("just my voice from 0:10 to 0:20, no music", [], [(10.0, 20.0)]),  # not the whole track muted
        ("don't mute my voice from 0:10 to 0:20", [], []),
    ],
)
def test_the_videos_own_sound_for_a_stretch_is_its_own_edit_never_the_musics(
    message: str, stretches: list[tuple[float, float, float]], silent: list[tuple[float, float]]
) -> None:
    intent = interpret(message)
    assert intent.original_stretches == stretches and intent.wishes.moments.silent_s == silent, message
    assert intent.original_volume is None and intent.music_volume is None and not intent.generate, message
    assert not intent.wishes.moments.quiet_s, message  # not the music lowered there


@pytest.mark.parametrize("message", ["no piano in the intro", "remove the strings from 0:10 to 0:20"])
def test_an_instrument_for_a_stretch_is_out_of_that_stretch_only(message: str) -> None:
    """Taken out where it was said (words/instrument_stretches.py), never out of the whole piece."""
    wishes = interpret(message).wishes
    assert not wishes.instruments_out and (wishes.moments.families_out_s or [p.family for p in wishes.placed])


@pytest.mark.parametrize(
    ("text", "minor", "major"),
    [
        ("sadder from 0:20 to 0:40", [(20.0, 40.0)], []),
        ("make it darker between 0:10 and 0:20", [(10.0, 20.0)], []),
        ("happier after 0:30", [], [(30.0, UNTIL_THE_END_S)]),
        ("0:20到0:40悲伤一点", [(20.0, 40.0)], []),
        ("0:30之后欢快一点", [], [(30.0, UNTIL_THE_END_S)]),
        ("don't make it sadder after 0:30", [], []),
    ],
)
def test_a_mood_for_a_stretch_said_with_times(text: str, minor: list[tuple[float, float]],
                                              major: list[tuple[float, float]]) -> None:  # fmt: skip
    """ "happier after 0:30" made the whole piece happier; it is now that stretch in the parallel major."""
    wishes = read_wishes(text)
    assert (wishes.moments.minor_s, wishes.moments.major_s) == (minor, major), text
    assert wishes.mood is None and wishes.change == (0.0, 0.0), text
