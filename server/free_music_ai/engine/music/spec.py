"""What to compose: a pydantic model that the planner fills from a video and the user's words."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from free_music_ai.engine.music.families import Family
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.music.theory import MODES, pitch_class

MIN_DURATION_S = 3.0
MAX_DURATION_S = 1200.0


class Genre(StrEnum):
    LOFI = "lo-fi"
    CINEMATIC = "cinematic"
    POP = "upbeat pop"
    ACOUSTIC = "acoustic"
    AMBIENT = "ambient"
    CORPORATE = "corporate"
    HIPHOP = "hip-hop"
    EDM = "electronic"
    PIANO = "solo piano"
    JAZZ = "jazz"
    ROCK = "rock"
    ORCHESTRAL = "orchestral"
    FOLK = "folk"
    RNB = "r&b"
    TRAP = "trap"
    SUSPENSE = "suspense"


class Dynamics(StrEnum):
    """The loudness plan over the piece: an arc that follows the video, or the user's own words."""

    AUTO = "auto"  # intro, sections and a peak laid along the video's energy
    BUILD = "build"  # "build up to the end": the peak is the last section
    STEADY = "steady"  # one level throughout, after the intro
    SETTLE = "settle"  # "calm ending", "wind down": the peak early, then a long quiet close


class MusicSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    duration_s: float = Field(ge=MIN_DURATION_S, le=MAX_DURATION_S, description="Exact length of the music.")
    valence: float = Field(default=0.3, ge=-1, le=1, description="Sad/dark (-1) to happy/bright (+1).")
    arousal: float = Field(default=0.0, ge=-1, le=1, description="Calm (-1) to energetic (+1).")
    genre: Genre | None = Field(default=None, description="None: chosen from the mood.")
    bpm: float | None = Field(default=None, ge=40, le=200, description="None: chosen from genre and mood.")
    key: str | None = Field(default=None, description="Tonic such as 'D' or 'Bb'; None: chosen by seed.")
    mode: str | None = Field(default=None, description=f"One of {', '.join(MODES)}; None: from the mood.")
    instruments: dict[str, int] = Field(
        default_factory=dict, description="Part name -> General MIDI program, overriding the genre's choice."
    )
    drums: bool | None = Field(default=None, description="False: no drums at all; None: as the genre plays.")
    instruments_db: dict[Family, float] = Field(
        default_factory=dict, description="Instrument families' levels against the genre's usual ('piano louder')."
    )
    instruments_out: list[Family] = Field(
        default_factory=list, description="Instrument families taken out, whichever part plays them ('no piano')."
    )
    instruments_added: list[Family] = Field(
        default_factory=list,
        description="Instrument families added to a piece without them, playing its chords ('add some strings').",
    )
    energy: list[float] = Field(default_factory=list, description="Energy over time, one value per second, 0..1.")
    cuts_s: list[float] = Field(default_factory=list, description="Times (s) where a beat should land.")
    speech_s: list[tuple[float, float]] = Field(
        default_factory=list, description="Spans (s) where someone speaks: the lead rests there."
    )
    dynamics: Dynamics = Field(default=Dynamics.AUTO, description="The loudness plan over the piece.")
    moments: Moments = Field(default_factory=Moments, description="Hits, builds, quiet stretches asked at times.")
    texture: int = Field(default=0, ge=-3, le=2, description="Fewer (<0) or more (>0) layers than the genre plays.")
    drums_db: float = Field(default=0.0, ge=-18, le=6, description="The drums' level against the genre's usual.")
    seed: int = Field(default=1, ge=0)
    form: str | None = Field(
        default=None,
        description="The form the piece took when first planned (forms.py), kept when it is fitted to a re-cut video "
        "or edited; None: the seed's.",
    )
    verse_theme: bool | None = Field(
        default=None,
        description="Whether the verses sing the hook (a piece with no chorus does), kept when the piece is fitted "
        "to a re-cut video or edited; None: as its sections say.",
    )

    @field_validator("key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        if value is not None:
            pitch_class(value)
        return value

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str | None) -> str | None:
        if value is not None and value not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        return value

    @field_validator("energy")
    @classmethod
    def _energy(cls, value: list[float]) -> list[float]:
        return [min(1.0, max(0.0, float(v))) for v in value]

    @field_validator("speech_s")
    @classmethod
    def _speech(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return sorted((float(a), float(b)) for a, b in value if b > a)

    @field_validator("cuts_s")
    @classmethod
    def _cuts(cls, value: list[float]) -> list[float]:
        return sorted(float(v) for v in value if v > 0)

    def instruments_described(self) -> list[str]:
        """What the words changed in the band, in words ("no piano", "strings added", "drums -3 dB"), for the
        summary line: the genre's name alone does not say the piano was taken out of it."""
        said = [f"no {family.value}" for family in self.instruments_out]
        said += [f"{family.value} added" for family in self.instruments_added]
        if self.drums is False:
            said.append("no drums")
        said += [f"{family.value} {db:+g} dB" for family, db in sorted(self.instruments_db.items()) if db]
        if self.drums_db and self.drums is not False:
            said.append(f"drums {self.drums_db:+g} dB")
        return said
