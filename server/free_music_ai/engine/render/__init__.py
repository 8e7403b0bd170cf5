"""The export engine: a list of visual segments, audio layers and titles in, one ready-to-post MP4 out."""

from free_music_ai.engine.render.models import (
    AspectChoice,
    AudioLayer,
    FitMode,
    ImageSegment,
    RenderRequest,
    RenderResult,
    Segment,
    TextOverlay,
    VideoSegment,
)
from free_music_ai.engine.render.render import render

__all__ = [
    "AspectChoice",
    "AudioLayer",
    "FitMode",
    "ImageSegment",
    "RenderRequest",
    "RenderResult",
    "Segment",
    "TextOverlay",
    "VideoSegment",
    "render",
]
