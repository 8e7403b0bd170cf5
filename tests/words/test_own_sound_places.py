"""The video's own sound for a stretch named by its place ("lower my voice at the end"): read with its level, its
times once the video's length is known; the whole sound's level is left as it was."""

from __future__ import annotations

import pytest

from free_music_ai.project.edits import OwnSoundPlace
from free_music_ai.words.message import interpret
from free_music_ai.words.own_sound_places import read_own_sound_places


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("lower my voice at the end", OwnSoundPlace(0.75, 1.0, None, 0.5)),
        ("mute the original sound in the intro", OwnSoundPlace(0.0, 0.25, None, 0.0)),
        ("original audio 30% for the last 10 seconds", OwnSoundPlace(1.0, 1.0, 10.0, 0.3)),
        ("mute my voice during the second half", OwnSoundPlace(0.5, 1.0, None, 0.0)),
        ("raise the voice in the first 5 seconds", OwnSoundPlace(0.0, 0.0, 5.0, 1.5)),
        ("结尾原声静音", OwnSoundPlace(0.75, 1.0, None, 0.0)),
        ("最后5秒原声小一点", OwnSoundPlace(1.0, 1.0, 5.0, 0.5)),
    ],
)
def test_the_own_sound_for_a_place(text: str, place: OwnSoundPlace) -> None:
    assert read_own_sound_places(text) == (place,)
    intent = interpret(text)
    assert intent.original_places == [place]
    assert intent.original_volume is None and intent.original_scale is None  # not the whole sound


@pytest.mark.parametrize(
    "text", ["don't mute my voice at the end", "mute the intro", "lower the music at the end", "lower my voice"]
)
def test_what_is_no_own_sound_for_a_place(text: str) -> None:
    assert read_own_sound_places(text) == ()
