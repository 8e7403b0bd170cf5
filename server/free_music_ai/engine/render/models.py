"""What a render takes and what it gives back. Times are in seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from free_music_ai.engine.canvas_choices import Aspect, Fit

AspectChoice = Aspect  # the renderer's names for the frame's closed sets (engine/canvas_choices.py)
FitMode = Fit
TextPosition = Literal["top", "center", "bottom"]

DEFAULT_IMAGE_SECONDS = 4.0


class VideoSegment(BaseModel):
    """A video file, optionally cut to [start_s, end_s)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["video"] = "video"
    path: Path
    start_s: float = Field(default=0.0, ge=0)
    end_s: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> VideoSegment:
        if self.end_s is not None and self.end_s <= self.start_s:
            raise ValueError(f"the end ({self.end_s} s) must come after the start ({self.start_s} s)")
        return self


class ImageSegment(BaseModel):
    """A still image shown for ``duration_s`` with a slow pan/zoom."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["image"] = "image"
    path: Path
    duration_s: float = Field(default=DEFAULT_IMAGE_SECONDS, gt=0, le=3600)


Segment = Annotated[VideoSegment | ImageSegment, Field(discriminator="kind")]


class AudioLayer(BaseModel):
    """A sound layer: a file, or (``path=None``) the original sound of the video segments."""

    model_config = ConfigDict(frozen=True)

    path: Path | None = None
    volume: float = Field(default=1.0, ge=0, le=4, description="Linear gain: 1.0 keeps the level, 0.35 is 35%.")
    start_s: float = Field(default=0.0, ge=0, description="Where the layer starts in the output.")
    fade_in_s: float = Field(default=0.0, ge=0)
    fade_out_s: float = Field(default=0.0, ge=0, description="Fade at the end of the output (or of the layer).")

    @property
    def is_original(self) -> bool:
        return self.path is None


class TextOverlay(BaseModel):
    """A title or caption drawn literally: no character of ``text`` is ever read as filter syntax."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(min_length=1, max_length=500)
    start_s: float = Field(default=0.0, ge=0)
    end_s: float | None = Field(default=None, gt=0, description="None: until the end of the video.")
    position: TextPosition = "center"


class FileStamp(BaseModel):
    """What tells one file from another under the same path: a file deleted, replaced or written into since has
    another stamp."""

    model_config = ConfigDict(frozen=True)

    size: int
    mtime_ns: int
    file_id: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        found = path.stat()
        return cls(size=found.st_size, mtime_ns=found.st_mtime_ns, file_id=found.st_ino)


class EarlierPicture(BaseModel):
    """A video this program rendered before, with the picture key it was made with and its stamp when written.
    A render whose picture key is the same copies this file's video stream instead of encoding the picture again,
    while the file is still the one that was written."""

    model_config = ConfigDict(frozen=True)

    path: Path
    stamp: FileStamp
    picture_key: str


class RenderRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    segments: list[Segment] = Field(min_length=1)
    audio: list[AudioLayer] = Field(default_factory=list)
    soundtrack: Path | None = Field(
        default=None,
        description="A finished AAC soundtrack (M4A) exactly as long as the video: copied in as it is, "
        "instead of mixing ``audio``.",
    )
    texts: list[TextOverlay] = Field(default_factory=list)
    aspect: AspectChoice = Aspect.AUTO
    fit: FitMode = Fit.BLUR
    output: Path
    companions: tuple[str, ...] = Field(
        default=(),
        description="Files that will follow the output's name, by suffix (its licence: OUT.license.json for "
        "OUT.mp4): the output takes only a name whose companions' names are free too.",
    )
    metadata: dict[str, str] = Field(default_factory=dict, description="MP4 tags such as comment.")
    earlier: tuple[EarlierPicture, ...] = Field(
        default=(),
        description="Videos rendered before, newest first: the first whose picture is this request's gives its "
        "video stream, copied, when the picture would otherwise be encoded (an edit of the sound only).",
    )

    @model_validator(mode="after")
    def _one_sound(self) -> RenderRequest:
        if self.soundtrack is not None and self.audio:
            raise ValueError("give either a finished soundtrack or audio layers to mix, not both")
        return self


class RenderResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    output: Path
    duration_s: float
    width: int
    height: int
    video_copied: bool = Field(description="The source's video stream was copied as it is, not encoded.")
    video_reused: bool = Field(
        default=False, description="The video stream was copied from an earlier render of the same picture."
    )
    picture_key: str = Field(default="", description="What shapes the picture, as a digest (picture_key.py).")
    renamed: bool = Field(description="True when the requested name existed and a -N suffix was added.")
    fps: float = Field(description="The output's frame rate.")
    source_fps: float = Field(description="The first video's own frame rate: above ``fps`` when it was capped.")
