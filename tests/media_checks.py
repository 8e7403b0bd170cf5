"""Independent checks of output files: what a user would verify, read with PyAV and by parsing MP4 boxes;
and the ffmpeg program, to make test media."""

from __future__ import annotations

import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe


def ffmpeg(*args: str) -> None:
    """Run the ffmpeg program quietly, overwriting its output (test media)."""
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


@dataclass(frozen=True)
class OutputFacts:
    width: int
    height: int
    video_codec: str
    profile: str | None
    pix_fmt: str | None
    frames: int
    fps: float
    video_duration_s: float
    audio_codec: str | None
    sample_rate: int | None
    channels: int | None
    audio_duration_s: float | None
    rotation: int


def facts(path: Path) -> OutputFacts:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        frames = sum(1 for packet in container.demux(video) if packet.size)
        container.seek(0)
        first = next(container.decode(video=0))
        rotation = round(first.rotation or 0)
        return OutputFacts(
            width=video.width,
            height=video.height,
            video_codec=video.codec_context.name,
            profile=video.codec_context.profile,
            pix_fmt=video.codec_context.pix_fmt,
            frames=frames,
            fps=float(video.average_rate or 0),
            video_duration_s=float(video.duration * video.time_base),
            audio_codec=audio.codec_context.name if audio else None,
            sample_rate=audio.codec_context.sample_rate if audio else None,
            channels=audio.codec_context.channels if audio else None,
            audio_duration_s=float(audio.duration * audio.time_base) if audio and audio.duration else None,
            rotation=rotation,
        )


def top_level_boxes(path: Path) -> list[str]:
    """The MP4 top-level box types in file order (for +faststart: moov must come before mdat)."""
    boxes: list[str] = []
    with path.open("rb") as f:
        while header := f.read(8):
            if len(header) < 8:
                break
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
                f.seek(size - 16, 1)
            elif size == 0:
                boxes.append(kind.decode("latin-1"))
                break
            else:
                f.seek(size - 8, 1)
            boxes.append(kind.decode("latin-1"))
    return boxes


def is_faststart(path: Path) -> bool:
    boxes = top_level_boxes(path)
    return "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """The RGB picture shown at ``seconds`` (first frame at or after it)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= seconds - 1e-3:
                return np.asarray(frame.to_ndarray(format="rgb24"))
    raise AssertionError(f"no frame at {seconds} s in {path}")


def audio_samples(path: Path) -> tuple[np.ndarray, int]:
    """All decoded sound as float (channels, samples), and the rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
        chunks = [out.to_ndarray() for frame in container.decode(stream) for out in resampler.resample(frame)]
        chunks += [out.to_ndarray() for out in resampler.resample(None)]
    data = np.concatenate(chunks, axis=1) if chunks else np.zeros((2, 0), dtype=np.float32)
    return data.astype(np.float64), rate


def rms_db(samples: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(samples))) + 1e-12))


def video_packets(path: Path) -> list[tuple[int | None, int | None, int, bool, str]]:
    """Each video packet in file order: its pts, dts, duration, key flag and the SHA-256 of its bytes."""
    import hashlib

    with av.open(str(path)) as container:
        return [(p.pts, p.dts, p.duration, p.is_keyframe, hashlib.sha256(bytes(p)).hexdigest())
                for p in container.demux(video=0) if p.size]  # fmt: skip


def container_tags(path: Path) -> dict[str, str]:
    """The file's own tags (title, comment, encoder...)."""
    with av.open(str(path)) as container:
        return dict(container.metadata)
