"""The values a door hands over with a message (tool arguments, CLI flags, the page's controls), checked by one
typed model before anything reads or stores them: a value the project cannot hold (an aspect "7:3", a volume of
NaN, a negative seed) is refused here with the field's name and the values it takes, rather than being saved and
breaking every later load of the session."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from free_music_ai.engine.canvas_choices import Aspect, Fit, choices
from free_music_ai.errors import InputError
from free_music_ai.project.model import MAX_MUSIC_VOLUME
from free_music_ai.words.plain_text import checked_text, checked_title

MAX_SEED = 2**31 - 1

# what each field takes, said the way the doors take it (the music's level in percent)
ALLOWED = {
    "genre": "a genre name (see the list of genres)",
    "mood": "mood words such as calm, warm, happy, epic",
    "title": "the title's text",
    "seed": f"a whole number from 0 to {MAX_SEED}",
    "aspect": f"one of {choices(Aspect)}",
    "fit": f"one of {choices(Fit)}",
    "music_volume": f"a number from 0 to {round(MAX_MUSIC_VOLUME * 100)} (percent)",
    "image_seconds": "a number of seconds from 0.5 to 600",
    "bpm": "a number of beats per minute from 40 to 200",
    "video": "the file name or number of an upload, or 'all'",
    "keep_music": "true or false",
}


class MessageOptions(BaseModel):
    """Every field a message may come with, as every door hands it to a backend; ``None`` (or left out): not
    asked. Built by ``options`` (a door's values, the music's level in percent) or ``checked_fields``."""

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

    @field_validator("seed", "music_volume", "image_seconds", "bpm", mode="before")
    @classmethod
    def _not_a_switch(cls, value: object) -> object:
        if isinstance(value, bool):  # true is not a level of 1 or a seed of 1: a door sent the wrong kind
            raise ValueError("a number, not true or false")
        return value

    @field_validator("mood", "genre", "video")
    @classmethod
    def _plain(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else checked_text(value, f"The {info.field_name}")

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return None if value is None else checked_title(value)


def checked_fields(fields: dict[str, Any] | None) -> MessageOptions:
    """The fields given (``None`` values dropped), once each is one the project can hold; otherwise an
    InputError that names the field and the values it takes."""
    given = {key: value for key, value in (fields or {}).items() if value is not None}
    try:
        return MessageOptions.model_validate(given)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "a field"
        if name not in ALLOWED:
            raise InputError(f"Unknown field {name!r}. The fields are: {', '.join(ALLOWED)}.") from None
        # the value itself is not repeated: a door may have scaled it (percent to a fraction)
        raise InputError(f"The {name} given cannot be used: give {ALLOWED[name]}.") from None


def options(*, music_volume_percent: object = None, **fields: Any) -> MessageOptions:
    """A door's values as a backend takes them: the music's level from the percent every door speaks to a
    fraction (here, once), then checked as ``checked_fields`` checks them."""
    if isinstance(music_volume_percent, int | float) and not isinstance(music_volume_percent, bool):
        fields["music_volume"] = music_volume_percent / 100
    elif music_volume_percent is not None:
        fields["music_volume"] = music_volume_percent  # not a number: refused below, by name
    return checked_fields(fields)


def given(options: MessageOptions | None) -> dict[str, Any]:
    """The fields a message was given, by name (for the engine's word rules and the cloud's sentence)."""
    return {} if options is None else options.model_dump(exclude_none=True)
