"""What a media file really is: kind, container, duration, picture and sound, read with PyAV.

The kind comes from the streams found, not from the name: an .mp4 holding only sound is audio, a .gif with
many frames is a video, and a text file renamed .mp4 is refused with a message that says so.
"""

from __future__ import annotations

import itertools
import logging
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from free_music_ai.engine.formats import (
    ACCEPTED_DEMUXERS,
    IMAGE_CODECS,
    IMAGE_DEMUXERS,
    SUPPORTED_EXTENSIONS,
    MediaKind,
)
from free_music_ai.engine.media_claims import check_claims, check_pixels
from free_music_ai.engine.probe_memory import ProbeMemory
from free_music_ai.engine.stream_timing import file_start_s, stream_start_s
from free_music_ai.errors import (
    SUPPORTED_FORMATS_TEXT,
    FileMissing,
    FileTooLarge,
    NotAFile,
    ProbeError,
    UnsupportedFormat,
)

if TYPE_CHECKING:
    import av.container

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 500_000_000
PICTURE_SLACK_S = 1.0  # sound that runs this much longer than the picture is still part of the video
# How many packets the frame-rate check reads: enough to see dropped frames, cheap even for 4K.
VFR_SAMPLE_PACKETS = 300


class VideoInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    codec: str
    width: int  # coded size, as stored
    height: int
    display_width: int  # as shown: sample aspect ratio and rotation applied
    display_height: int
    fps: float
    frame_rate: str  # the same rate as an exact fraction for ffmpeg, e.g. "30000/1001"
    vfr: bool
    rotation: int  # degrees clockwise to turn the stored picture to show it upright: 0, 90, 180 or 270
    pix_fmt: str | None
    sample_aspect_ratio: str  # "1:1" for square pixels
    start_s: float | None = None  # the first picture's timestamp, when the file states it


class AudioInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    codec: str
    sample_rate: int
    channels: int
    start_s: float | None = None  # the first sound's timestamp, when the file states it


class MediaInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    kind: MediaKind
    container: str
    duration_s: float  # 0 for a still image
    size_bytes: int
    start_s: float = 0.0  # the file's start (its earliest stream): seeks count from here
    video: VideoInfo | None
    audio: AudioInfo | None

    @property
    def has_audio(self) -> bool:
        return self.audio is not None


def probe(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, memory: ProbeMemory | None = None) -> MediaInfo:
    """Read what ``path`` is. Raises an ``InputError`` subclass, with what to do next, for anything unusable.
    With ``memory`` (its engine's), a file probed before and unchanged since is not read again."""
    file = Path(path).expanduser()
    size = check_file(file, max_bytes)
    if memory is None:
        return _probe_file(file, size)
    return memory.recall(file, lambda: _probe_file(file, size))


def _probe_file(file: Path, size: int) -> MediaInfo:
    import av  # heavy: loaded on first probe, not at server start

    check_claims(file)  # a picture's frames and a video's index, before any decoder or demuxer allocates for them
    try:
        container = av.open(str(file), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, OSError) as exc:
        raise _unreadable(file, exc) from None
    try:
        return _describe(file, size, container)
    except av.FFmpegError as exc:
        raise _unreadable(file, exc) from None
    finally:
        container.close()


def check_file(file: Path, max_bytes: int) -> int:
    """The size of a regular, non-empty file within the limit; the typed error that says what to do if not."""
    if not file.exists():
        raise FileMissing(f"No file at {file}. Check the path, or upload the file again.")
    if not file.is_file():
        raise NotAFile(f"{file} is a folder or a special file, not a media file. Give the path of a file inside it.")
    size = file.stat().st_size
    if size == 0:
        raise ProbeError(f"{file.name} is empty (0 bytes). The copy or download may have failed: send it again.")
    if size > max_bytes:
        raise FileTooLarge(
            f"{file.name} is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit. "
            f"Trim it or compress it below {max_bytes / 1e6:.0f} MB and try again."
        )
    return size


def _unreadable(file: Path, exc: BaseException) -> ProbeError | UnsupportedFormat:
    log.info("cannot open %s: %s", file, exc)
    if file.suffix.lower() not in SUPPORTED_EXTENSIONS:
        return UnsupportedFormat(
            f"{file.name} is not a media file we can read. Supported formats: {SUPPORTED_FORMATS_TEXT}."
        )
    return ProbeError(
        f"{file.name} could not be read as {file.suffix.lower().lstrip('.')}: it is damaged, incomplete, or not "
        f"really that kind of file. Export or download it again, or convert it to MP4 (H.264)."
    )


def _describe(file: Path, size: int, container: av.container.InputContainer) -> MediaInfo:
    demuxer = container.format.name
    if demuxer not in ACCEPTED_DEMUXERS:
        raise UnsupportedFormat(
            f"{file.name} is a {demuxer} file, which we do not accept. Supported formats: {SUPPORTED_FORMATS_TEXT}."
        )
    video_stream = next((s for s in container.streams.video if not (s.disposition & _attached_pic_flag())), None)
    audio_stream = container.streams.audio[0] if container.streams.audio else None
    if video_stream is None and audio_stream is None:
        raise UnsupportedFormat(
            f"{file.name} has neither picture nor sound. Supported formats: {SUPPORTED_FORMATS_TEXT}."
        )

    video: VideoInfo | None = None
    kind = MediaKind.AUDIO
    if video_stream is not None:
        check_pixels(file, int(video_stream.codec_context.width or 0), int(video_stream.codec_context.height or 0))
        rotation, frames_seen = _first_frames(file, container, video_stream)
        still = frames_seen <= 1 and (video_stream.codec_context.name in IMAGE_CODECS or demuxer in IMAGE_DEMUXERS)
        kind = MediaKind.IMAGE if still else MediaKind.VIDEO
        video = _video_info(container, video_stream, rotation, still)
    audio = _audio_info(file, container, audio_stream) if audio_stream is not None and kind != MediaKind.IMAGE else None

    duration = 0.0 if kind == MediaKind.IMAGE else _duration(container, video_stream or audio_stream)
    if kind == MediaKind.VIDEO:
        duration = _picture_length(container, video_stream, duration)
    if kind != MediaKind.IMAGE:
        if duration <= 0:
            raise ProbeError(f"{file.name} has no length (0 s). Export it again with at least one second of content.")
        _check_complete(file, container, duration)
    return MediaInfo(
        path=str(file.resolve()),
        kind=kind,
        container=demuxer,
        duration_s=round(duration, 6),
        size_bytes=size,
        start_s=file_start_s(container),
        video=video,
        audio=audio,
    )


def _attached_pic_flag() -> int:
    import av

    return int(av.stream.Disposition.attached_pic)


def _first_frames(file: Path, container: av.container.InputContainer, stream: Any) -> tuple[int, int]:
    """Decode up to two frames: proves the picture decodes, gives the rotation, tells a still from a movie."""
    import av

    frames = 0
    rotation = 0
    try:
        for frame in container.decode(stream):
            if frames == 0:
                rotation = round(-(frame.rotation or 0)) % 360
            frames += 1
            if frames >= 2:
                break
    except av.FFmpegError as exc:
        log.info("decode failed in %s: %s", file, exc)
        frames = frames or 0
    if frames == 0:
        raise ProbeError(
            f"The picture in {file.name} cannot be decoded: the file is damaged or uses a codec we cannot read. "
            "Convert it to MP4 (H.264) and try again."
        )
    container.seek(0)
    return rotation - rotation % 90, frames


def _video_info(container: av.container.InputContainer, stream: Any, rotation: int, still: bool) -> VideoInfo:
    ctx = stream.codec_context
    width, height = int(stream.width or ctx.width), int(stream.height or ctx.height)
    sar = stream.sample_aspect_ratio or ctx.sample_aspect_ratio
    sar_fraction = Fraction(sar) if sar and sar > 0 else Fraction(1)
    display_w, display_h = _even(width * sar_fraction), height
    if sar_fraction < 1:  # keep the full height and width resolution: shrink nothing, stretch the short side
        display_w, display_h = width, _even(height / sar_fraction)
    if rotation in (90, 270):
        display_w, display_h = display_h, display_w
    rate, vfr = (Fraction(30), False) if still else _frame_rate(container, stream)
    return VideoInfo(
        codec=ctx.name,
        width=width,
        height=height,
        display_width=display_w,
        display_height=display_h,
        fps=round(float(rate), 3),
        frame_rate=f"{rate.numerator}/{rate.denominator}",
        vfr=vfr,
        rotation=rotation,
        pix_fmt=ctx.pix_fmt,
        sample_aspect_ratio=f"{sar_fraction.numerator}:{sar_fraction.denominator}",
        start_s=stream_start_s(stream),
    )


def _even(value: Fraction | float | int) -> int:
    return max(2, round(float(value) / 2) * 2)


def _frame_rate(container: av.container.InputContainer, stream: Any) -> tuple[Fraction, bool]:
    """The nominal rate, and whether frames actually arrive at a steady rate (read from packet timestamps)."""
    base = stream.base_rate or stream.guessed_rate or stream.average_rate
    average = stream.average_rate
    nominal = Fraction(base) if base else Fraction(average) if average else Fraction(30)
    pts: list[int] = []
    for packet in container.demux(stream):
        if packet.pts is not None:
            pts.append(packet.pts)
        if len(pts) >= VFR_SAMPLE_PACKETS:
            break
    container.seek(0)
    vfr = False
    if average and base and abs(float(Fraction(average)) / float(Fraction(base)) - 1) > 0.01:
        vfr = True
    if len(pts) > 3:
        pts.sort()
        deltas = sorted(b - a for a, b in itertools.pairwise(pts) if b > a)
        if deltas:
            median = deltas[len(deltas) // 2]
            # 1-tick jitter is rounding (Matroska stores milliseconds); a frame held twice as long is a drop.
            uneven = sum(1 for d in deltas if abs(d - median) > max(1, 0.15 * median))
            vfr = vfr or uneven > max(1, len(deltas) // 100)
    # A variable-rate file keeps the rate it was shot at as its base rate (dropped frames lower only the
    # average); a base rate beyond any camera's is a timebase artefact, so the average stands in for it.
    if (nominal > 120 or nominal <= 0) and average:
        nominal = Fraction(average)
    return _standard_rate(nominal), vfr


_STANDARD_RATES = (
    Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30000, 1001), Fraction(30),
    Fraction(48), Fraction(50), Fraction(60000, 1001), Fraction(60), Fraction(120),
)  # fmt: skip


def _standard_rate(rate: Fraction) -> Fraction:
    """Snap a measured rate to the standard one it is meant to be (16.05 stays 16.05; 29.97003 becomes 30000/1001)."""
    closest = min(_STANDARD_RATES, key=lambda standard: abs(float(rate) - float(standard)))
    if abs(float(rate) / float(closest) - 1) < 0.0005:  # 30 and 29.97 differ by 0.1%: keep them apart
        return closest
    return rate.limit_denominator(1001)


def _audio_info(file: Path, container: av.container.InputContainer, stream: Any) -> AudioInfo | None:
    import av

    ctx = stream.codec_context
    try:
        for _ in container.decode(stream):
            break
    except av.FFmpegError as exc:
        log.info("audio in %s does not decode: %s", file, exc)
        return None  # a broken sound track is dropped, the picture still counts
    finally:
        container.seek(0)
    return AudioInfo(codec=ctx.name, sample_rate=int(ctx.sample_rate or 0), channels=int(ctx.channels or 0),
                     start_s=stream_start_s(stream))  # fmt: skip


def _duration(container: av.container.InputContainer, stream: Any) -> float:
    if container.duration is not None and container.duration > 0:
        return float(container.duration) / 1_000_000
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    last = 0.0  # no header duration (some WebM/AVI): read the timestamps
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base is not None:
            last = max(last, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    container.seek(0)
    return last


def _picture_length(container: av.container.InputContainer, stream: Any, duration: float) -> float:
    """A video lasts as long as its picture: a sound that starts or runs on minutes later (a stray stream,
    a hostile file) does not make the video longer. Small differences keep the container's length."""
    if stream.duration is None or stream.time_base is None:
        return duration
    start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
    picture_end = start + float(stream.duration * stream.time_base) - file_start_s(container)
    return picture_end if 0 < picture_end < duration - PICTURE_SLACK_S else duration


def _check_complete(file: Path, container: av.container.InputContainer, duration: float) -> None:
    """A file cut short in transfer still has its header; seeking near the end finds no data in it."""
    import av

    if duration < 1.0:
        return
    stream = container.streams.video[0] if container.streams.video else container.streams.audio[0]
    try:
        container.seek(int((duration - 0.5) * 1_000_000), any_frame=False, backward=True)
        got = any(p.size > 0 for p, _ in zip(container.demux(stream), range(8), strict=False))
    except av.FFmpegError as exc:
        log.info("seek near the end of %s failed: %s", file, exc)
        got = False
    if not got:
        raise ProbeError(
            f"{file.name} is incomplete: its header promises {duration:.1f} s but the data ends early. "
            "The upload or download was probably cut short: copy the file again."
        )
    container.seek(0)
