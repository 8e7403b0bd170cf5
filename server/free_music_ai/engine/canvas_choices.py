"""The closed sets a user picks the output frame from, written once: every door's choices, the words' formats, the
project's fields and the renderer's canvas come from these. The values are the strings stored projects, the store
and the JSON of the doors have always held, so nothing stored changes."""

from __future__ import annotations

from enum import StrEnum


class Aspect(StrEnum):
    """The canvas of an export: a 1080p preset by its shape, or one chosen from the source."""

    AUTO = "auto"  # the preset closest in shape to the first video
    WIDE = "16:9"  # YouTube, landscape
    TALL = "9:16"  # TikTok, Reels, Shorts, stories
    SQUARE = "1:1"
    PORTRAIT = "4:5"  # an Instagram portrait post
    SOURCE = "source"  # the source's own shape, at most 1080p

    @property
    def is_preset(self) -> bool:
        """A fixed 1080p frame (not chosen from the source)."""
        return self not in (Aspect.AUTO, Aspect.SOURCE)


class Fit(StrEnum):
    """How a picture or video of another shape than the canvas fills it."""

    BLUR = "blur"  # fitted inside, over a blurred copy that covers the frame
    LETTERBOX = "letterbox"  # fitted inside, on black
    CROP = "crop"  # covers the frame, the overflow cut away


PRESETS = tuple(aspect for aspect in Aspect if aspect.is_preset)


def choices(values: type[StrEnum] | tuple[StrEnum, ...]) -> str:
    """The values a user may give, for help texts and errors: "16:9, 9:16, 1:1, 4:5"."""
    return ", ".join(str(value) for value in values)
