"""Turn a plain list of input files (as a user gives them) into a render request."""

from __future__ import annotations

from pathlib import Path

from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.probe import MediaInfo, probe
from free_music_ai.engine.render.models import (
    DEFAULT_IMAGE_SECONDS,
    AspectChoice,
    AudioLayer,
    FitMode,
    ImageSegment,
    RenderRequest,
    Segment,
    TextOverlay,
    VideoSegment,
)
from free_music_ai.errors import InputError

TITLE_SECONDS = 3.0
MUSIC_FADE_OUT_S = 1.5
# Music sits under the videos' own sound unless the user says otherwise; alone, it plays at full level.
MUSIC_UNDER_SOUND = 0.35  # music under the videos' own sound, on every path (with or without -p)


def default_output(inputs: list[Path], output_dir: Path | None) -> Path:
    folder = output_dir or Path.cwd()
    return folder / f"{inputs[0].stem}-music.mp4"


def assemble(
    inputs: list[Path],
    output: Path,
    music: list[Path] | None = None,
    music_volume: float | None = None,
    title: str | None = None,
    aspect: AspectChoice = "auto",
    fit: FitMode = "blur",
    image_seconds: float = DEFAULT_IMAGE_SECONDS,
    max_bytes: int = 500_000_000,
) -> tuple[RenderRequest, list[MediaInfo]]:
    """Videos and images become the picture in the order given; audio files join ``music`` as layers."""
    if not inputs:
        raise InputError("Give at least one video or image to render.")
    infos = [probe(path, max_bytes) for path in inputs]
    segments: list[Segment] = []
    music_files = list(music or [])
    for path, info in zip(inputs, infos, strict=True):
        if info.kind == MediaKind.VIDEO:
            segments.append(VideoSegment(path=path))
        elif info.kind == MediaKind.IMAGE:
            segments.append(ImageSegment(path=path, duration_s=image_seconds))
        else:
            music_files.append(path)
    if not segments:
        raise InputError("There is no video or image among the inputs: add at least one to put the sound under.")
    has_sound = any(info.kind == MediaKind.VIDEO and info.has_audio for info in infos)
    volume = music_volume if music_volume is not None else (MUSIC_UNDER_SOUND if has_sound else 1.0)
    audio = [AudioLayer()] + [AudioLayer(path=p, volume=volume, fade_out_s=MUSIC_FADE_OUT_S) for p in music_files]
    texts = [TextOverlay(text=title, start_s=0.0, end_s=TITLE_SECONDS)] if title else []
    request = RenderRequest(segments=segments, audio=audio, texts=texts, aspect=aspect, fit=fit, output=output)
    return request, infos
