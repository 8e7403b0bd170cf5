"""What shapes a render's picture, as one value: two requests with the same key give the same video stream.

x264 is deterministic: the same frames with the same settings and threads encode to the same bytes. So an export
whose picture key is an earlier render's can copy that render's video stream instead of encoding the picture again
(an edit of the music, its volume, the ducking or the video's own sound changes only the sound). Everything the
picture depends on is in the key: each visual's file (its path, trim and stamp, so a file replaced under the same
name is another picture), the canvas and fit, the titles and their timing, the encoder's settings and the cores
it threads over, the ffmpeg binary, the fonts the titles are drawn with, and the picture pipeline's own code (any
change to the render engine makes every key new). What cannot be known (a file that cannot be read) makes no key:
the picture is encoded.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from free_music_ai.config import Settings
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.render.models import FileStamp, RenderRequest

KEY_FORMAT = 1  # raised when the key's own fields change meaning
# the code that turns a request into a picture: the render engine's modules, and the probe whose readings (size,
# rotation, frame rate) choose the canvas, the fit and the rate
PIPELINE_MODULES = ("engine/render", "engine/probe.py", "engine/formats.py")


class PictureKey(BaseModel):
    """Everything that shapes the picture of a render; ``digest`` is what a render records and compares."""

    model_config = ConfigDict(frozen=True)

    key_format: int = KEY_FORMAT
    pipeline: str
    ffmpeg: tuple[str, FileStamp]
    x264_preset: str
    crf: int
    cores: int  # x264's threads follow the cores it may use, and its output follows its threads
    max_fps: int
    visuals: tuple[tuple[dict[str, Any], FileStamp], ...]
    aspect: str
    fit: str
    titles: tuple[dict[str, Any], ...]
    fonts: tuple[tuple[str, FileStamp], ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()


def picture_key(request: RenderRequest, settings: Settings) -> PictureKey | None:
    """The key of ``request``'s picture, or None when something it depends on cannot be read."""
    try:
        binary = Path(ffmpeg_exe(settings.ffmpeg)).resolve()
        visuals = tuple(
            (json.loads(segment.model_dump_json()), FileStamp.of(segment.path.resolve()))
            for segment in request.segments
        )
        return PictureKey(
            pipeline=_pipeline_digest(),
            ffmpeg=(str(binary), FileStamp.of(binary)),
            x264_preset=settings.x264_preset,
            crf=settings.crf,
            cores=_usable_cores(),
            max_fps=settings.max_fps,
            visuals=visuals,
            aspect=request.aspect,
            fit=request.fit,
            titles=tuple(json.loads(text.model_dump_json()) for text in request.texts),
            fonts=_font_stamps() if request.texts else (),
        )
    except OSError:
        return None


@lru_cache(maxsize=1)
def _pipeline_digest() -> str:
    """The package's version and a hash of the picture pipeline's source, read once per process."""
    from free_music_ai import __version__

    root = Path(str(resources.files("free_music_ai")))
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for module in PIPELINE_MODULES:
        place = root / module
        files = sorted(place.glob("*.py")) if place.is_dir() else [place]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode("utf-8"))
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _usable_cores() -> int:
    """The cores this process may run on, as FFmpeg counts them for x264's threads."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _font_stamps() -> tuple[tuple[str, FileStamp], ...]:
    from free_music_ai.engine.render.text_overlay import FONT_FILES, fonts_dir

    folder = fonts_dir()
    return tuple((name, FileStamp.of(folder / name)) for name in FONT_FILES)
