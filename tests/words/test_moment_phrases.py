"""Timed edits said the many ways creators and host LLMs say them (found by a probe of ~680 messages): each is read
as the moment asked for, on the piece that is there, never as new music or the whole track muted."""

from __future__ import annotations

import pytest

from free_music_ai.words.message import interpret

END = 1200.0  # "to the end of the piece" (cut to its length where it is used)


def _read(message: str) -> dict[str, object]:
    """What a user would check of a timed edit: where the music starts and stops, its stretches, hits and what
    is taken away, and whether the piece there is edited (not replaced, not muted)."""
    intent = interpret(message)
    wishes, moments = intent.wishes, intent.wishes.moments
    read: dict[str, object] = {
        "start": wishes.music_start_s, "stop": wishes.music_stop_s, "silent": moments.silent_s,
        "quiet": moments.quiet_s, "lifted": moments.lifted_s, "hits": moments.hits_s,
        "removed_hits": wishes.hits_removed_s, "removed_builds": wishes.builds_removed_s,
        "removed_stretches": wishes.stretches_removed_s, "no_end_hit": wishes.end_hit_removed,
        "placed": [(round(p.first, 2), p.last, p.seconds, p.kind) for p in wishes.placed],
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
        ("build up to 0:30 then drop", {"hits": [30.0]}),
        ("0:30来个drop", {"hits": [30.0]}),
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
