"""What a request says about the music, in English or Chinese: genre, mood, tempo, drums, the instrument for
the tune, and edits."""

from __future__ import annotations

import re

from free_music_ai.engine.music.spec import Dynamics
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.words.genre import genre_from_text
from free_music_ai.words.instruments import lead_from_words
from free_music_ai.words.moments import read_moments
from free_music_ai.words.mood import mood_changes, mood_from_words

_NO_DRUMS = ("no drums", "without drums", "no percussion", "drumless", "不要鼓", "无鼓", "没有鼓", "不要打击乐")
# how the loudness should move over the piece, longest phrases first
_DYNAMICS: tuple[tuple[str, Dynamics], ...] = (
    ("build up", Dynamics.BUILD), ("builds up", Dynamics.BUILD), ("build to", Dynamics.BUILD),
    ("builds to", Dynamics.BUILD), ("crescendo", Dynamics.BUILD), ("rising", Dynamics.BUILD),
    ("grow to the end", Dynamics.BUILD), ("bigger at the end", Dynamics.BUILD), ("渐强", Dynamics.BUILD),
    ("越来越", Dynamics.BUILD), ("steady", Dynamics.STEADY), ("constant", Dynamics.STEADY),
    ("consistent", Dynamics.STEADY), ("same level", Dynamics.STEADY), ("平稳", Dynamics.STEADY),
    ("wind down", Dynamics.SETTLE), ("calm ending", Dynamics.SETTLE), ("quiet ending", Dynamics.SETTLE),
    ("settle", Dynamics.SETTLE), ("fade away", Dynamics.SETTLE), ("渐弱", Dynamics.SETTLE),
)  # fmt: skip
_TIMED_BUILD = re.compile(r"build(?:s|ing)?(?:\s+up)?\s+(?:to|until|till|from)\s+\S+|渐强(?:到|至)\S*|\S*开始\s*渐强",
                          re.I)  # fmt: skip
_BPM = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats per minute|拍)", re.IGNORECASE)


def read_wishes(text: str) -> Wishes:
    lowered = text.lower()
    bpm_match = _BPM.search(text)
    bpm = float(bpm_match.group(1)) if bpm_match and 40 <= float(bpm_match.group(1)) <= 200 else None
    timed = read_moments(text)
    # a build with a time is that build, not a piece that builds to its end ("build up to 0:20")
    untimed = text if not timed.moments.builds else _TIMED_BUILD.sub(" ", text)
    untimed_lower = untimed.lower()
    no_drums = any(phrase in lowered or phrase in text for phrase in _NO_DRUMS) and timed.moments.drums_from_s is None
    # "epic" names both a genre family and a mood: both are honoured
    return Wishes(
        genre=genre_from_text(text),
        mood=mood_from_words(text),
        bpm=bpm,
        drums=False if no_drums else None,
        change=mood_changes(text),
        dynamics=next((shape for phrase, shape in _DYNAMICS if phrase in untimed_lower or phrase in untimed), None),
        lead=lead_from_words(text),
        moments=timed.moments,
        music_start_s=timed.music_start_s,
        music_stop_s=timed.music_stop_s,
    )
