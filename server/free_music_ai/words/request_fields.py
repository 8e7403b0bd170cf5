"""The values a door hands over with a message (tool arguments, CLI flags, the page's controls), checked by one
typed model before anything reads or stores them: a value the project cannot hold (an aspect "7:3", a volume of
NaN, a negative seed) is refused here with the field's name and the values it takes, rather than being saved and
breaking every later load of the session."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from free_music_ai.errors import InputError
from free_music_ai.project.model import MAX_MUSIC_VOLUME, Aspect, Fit
from free_music_ai.words.plain_text import checked_text, checked_title

MAX_SEED = 2**31 - 1

# what each field takes, said the way the doors take it (the music's level in percent)
ALLOWED = {
    "genre": "a genre name (see the list of genres)",
    "mood": "mood words such as calm, warm, happy, epic",
    "title": "the title's text",
    "seed": f"a whole number from 0 to {MAX_SEED}",
    "aspect": "one of auto, 16:9, 9:16, 1:1, 4:5, source",
    "fit": "one of blur, letterbox, crop",
    "music_volume": f"a number from 0 to {round(MAX_MUSIC_VOLUME * 100)} (percent)",
    "image_seconds": "a number of seconds from 0.5 to 600",
    "bpm": "a number of beats per minute from 40 to 200",
    "video": "the file name or number of an upload, or 'all'",
    "keep_music": "true or false",
}


class RequestFields(BaseModel):
    """Every field a message may come with; ``None`` (or left out): not asked."""

    model_config = ConfigDict(extra="forbid")

    genre: str | None = Field(default=None, max_length=100)
    mood: str | None = Field(default=None, max_length=1000)
    title: str | None = None
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED)
    aspect: Aspect | None = None
    fit: Fit | None = None
    music_volume: float | None = Field(default=None, ge=0, le=MAX_MUSIC_VOLUME, allow_inf_nan=False)  # a fraction
    image_seconds: float | None = Field(default=None, ge=0.5, le=600, allow_inf_nan=False)
    bpm: float | None = Field(default=None, ge=40, le=200, allow_inf_nan=False)
    video: str | None = Field(default=None, max_length=1000)
    keep_music: bool | None = None
    # the MusicSpec of an earlier export, which the CLI read and validated from its licence sidecar: never raw input
    fit_spec: object | None = None

    @field_validator("mood", "genre", "video")
    @classmethod
    def _plain(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else checked_text(value, f"The {info.field_name}")

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return None if value is None else checked_title(value)


def checked_fields(fields: dict[str, Any] | None) -> dict[str, Any]:
    """The fields given (``None`` values dropped), once each is one the project can hold; otherwise an
    InputError that names the field and the values it takes."""
    given = {key: value for key, value in (fields or {}).items() if value is not None}
    try:
        RequestFields.model_validate(given)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "a field"
        if name not in ALLOWED:
            raise InputError(f"Unknown field {name!r}. The fields are: {', '.join(ALLOWED)}.") from None
        # the value itself is not repeated: a door may have scaled it (percent to a fraction)
        raise InputError(f"The {name} given cannot be used: give {ALLOWED[name]}.") from None
    return given
