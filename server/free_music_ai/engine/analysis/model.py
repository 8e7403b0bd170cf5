"""What the analysis of a video (or a set of images) tells, as one pydantic model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReasonModel(BaseModel):
    model_config = ConfigDict(frozen=True)

    feature: str
    value: float
    valence: float
    arousal: float


class TransitionModel(BaseModel):
    model_config = ConfigDict(frozen=True)

    time_s: float
    kind: str  # cut, fade, dissolve, or "next" (the boundary between two inputs)


class Analysis(BaseModel):
    model_config = ConfigDict(frozen=True)

    duration_s: float
    kind: str  # video, image, or sequence (several inputs)
    transitions: list[TransitionModel]
    valence: float = Field(ge=-1, le=1)
    arousal: float = Field(ge=-1, le=1)
    reasons: list[ReasonModel]
    energy: list[float]  # one value per second, 0..1
    speech_s: list[tuple[float, float]]
    loudness_db: list[float]  # per second, dBFS; -100 where silent
    brightness: float
    saturation: float
    warmth: float
    motion: float
    has_sound: bool

    @property
    def cuts_s(self) -> list[float]:
        return [t.time_s for t in self.transitions]
