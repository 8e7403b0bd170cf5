"""What a request says about the music, in English or Chinese: genre, mood, tempo, drums, and edits."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from free_music_ai.engine.music.genres import genre_from_text
from free_music_ai.engine.music.mood_words import mood_changes, mood_from_words
from free_music_ai.engine.music.spec import Dynamics, Genre

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
_BPM = re.compile(r"(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats per minute|拍)", re.IGNORECASE)


class Wishes(BaseModel):
    """What the words ask for; None where they say nothing, so the analysis decides."""

    model_config = ConfigDict(frozen=True)

    genre: Genre | None = None
    mood: tuple[float, float] | None = None  # valence, arousal
    bpm: float | None = None
    drums: bool | None = None
    change: tuple[float, float] = (0.0, 0.0)  # "calmer", "darker"...: added to the mood
    dynamics: Dynamics | None = None  # "build up to the end", "keep it steady"

    @property
    def says_something(self) -> bool:
        wished = (self.genre, self.mood, self.bpm, self.drums, self.dynamics)
        return any(v is not None for v in wished) or self.change != (0, 0)


def read_wishes(text: str) -> Wishes:
    lowered = text.lower()
    bpm_match = _BPM.search(text)
    bpm = float(bpm_match.group(1)) if bpm_match and 40 <= float(bpm_match.group(1)) <= 200 else None
    # "epic" names both a genre family and a mood: both are honoured
    return Wishes(
        genre=genre_from_text(text),
        mood=mood_from_words(text),
        bpm=bpm,
        drums=False if any(phrase in lowered or phrase in text for phrase in _NO_DRUMS) else None,
        change=mood_changes(text),
        dynamics=next((shape for phrase, shape in _DYNAMICS if phrase in lowered or phrase in text), None),
    )
