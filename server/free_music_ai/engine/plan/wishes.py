"""What the user asked of the music, as typed values (words/wishes.py reads them from a sentence)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from free_music_ai.engine.music.spec import Dynamics, Genre


class Wishes(BaseModel):
    """What the words ask for; None where they say nothing, so the analysis decides."""

    model_config = ConfigDict(frozen=True)

    genre: Genre | None = None
    mood: tuple[float, float] | None = None  # valence, arousal
    bpm: float | None = None
    drums: bool | None = None
    change: tuple[float, float] = (0.0, 0.0)  # "calmer", "darker"...: added to the mood
    dynamics: Dynamics | None = None  # "build up to the end", "keep it steady"
    lead: int | None = Field(default=None, ge=0, le=127)  # the General MIDI program to carry the tune ("a violin")

    @property
    def says_something(self) -> bool:
        wished = (self.genre, self.mood, self.bpm, self.drums, self.dynamics, self.lead)
        return any(v is not None for v in wished) or self.change != (0, 0)
