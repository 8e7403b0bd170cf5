"""Media made from nothing with ffmpeg's lavfi sources: the demo's sample, test fixtures, benchmark clips."""

from __future__ import annotations

import subprocess
from pathlib import Path

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.errors import RenderError


def _run(args: list[str], ffmpeg: str | None) -> None:
    command = [ffmpeg_exe(ffmpeg), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RenderError(f"Could not make sample media: {done.stderr.strip()[-300:]}")


def make_video(
    path: Path,
    *,
    duration_s: float = 6.0,
    width: int = 1280,
    height: int = 720,
    fps: str = "30",
    audio: bool = True,
    tone_hz: float = 440.0,
    ffmpeg: str | None = None,
) -> Path:
    """A moving test pattern (H.264 yuv420p) with a tone (AAC 48 kHz) when ``audio``."""
    args = ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}:duration={duration_s}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency={tone_hz}:sample_rate=48000:duration={duration_s}"]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-g", str(int(float(fps)) * 2)]
    if audio:
        args += ["-c:a", "aac", "-b:a", "128k", "-ac", "2"]
    _run([*args, "-t", str(duration_s), str(path)], ffmpeg)
    return path


def make_scenes(
    path: Path,
    colors: list[str],
    *,
    scene_s: float = 2.0,
    width: int = 1280,
    height: int = 720,
    fps: int = 30,
    ffmpeg: str | None = None,
) -> Path:
    """Flat colour scenes joined by hard cuts at multiples of ``scene_s``: a clip whose cut times are known."""
    args: list[str] = []
    for color in colors:
        args += ["-f", "lavfi", "-i", f"color=c={color}:size={width}x{height}:rate={fps}:duration={scene_s}"]
    joined = "".join(f"[{i}:v]" for i in range(len(colors)))
    args += ["-filter_complex", f"{joined}concat=n={len(colors)}:v=1:a=0[v]", "-map", "[v]"]
    _run([*args, "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", str(path)], ffmpeg)
    return path


def make_tone(path: Path, *, duration_s: float = 10.0, tone_hz: float = 220.0, ffmpeg: str | None = None) -> Path:
    """A tone with a gentle tremolo, as a stand-in for music; the format follows the file's extension."""
    source = f"sine=frequency={tone_hz}:sample_rate=48000:duration={duration_s}"
    _run(["-f", "lavfi", "-i", source, "-af", "tremolo=f=2:d=0.4", "-ac", "2", str(path)], ffmpeg)
    return path


def make_image(
    path: Path, *, width: int = 1200, height: int = 800, color: str = "teal", ffmpeg: str | None = None
) -> Path:
    """A still picture with a pattern on it, so motion and fitting are visible; PNG, JPEG, GIF or WebP by name."""
    source = f"testsrc2=size={width}x{height}:rate=1,drawbox=x=iw/8:y=ih/8:w=iw/4:h=ih/4:color={color}:t=fill"
    _run(["-f", "lavfi", "-i", source, "-frames:v", "1", str(path)], ffmpeg)
    return path


def grey_png(path: Path, width: int, height: int) -> Path:
    """A grey PNG of any size, written row by row (never held whole): light on disk however large it claims
    to be, as a picture bomb is."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))  # fmt: skip
    return path


def many_frame_gif(path: Path, frames: int, size: int = 2) -> Path:
    """A GIF of ``frames`` tiny frames (a few bytes each)."""
    import struct

    head = b"GIF89a" + struct.pack("<HHBBB", size, size, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, size, size, 0) + b"\x02\x02\x44\x01\x00"
    path.write_bytes(head + frame * frames + b"\x3b")
    return path


def index_bomb_mp4(path: Path, samples: int, ffmpeg: str | None = None) -> Path:
    """A one-frame MP4 whose sample tables claim ``samples`` frames of one byte each: a few KB on disk, while a
    demuxer's index of it takes 24 bytes or more per claimed sample (an index bomb)."""
    import struct

    made = path.with_name(f".{path.name}.one-frame.mp4")
    _run(["-f", "lavfi", "-i", "color=c=gray:size=16x16:rate=1:duration=1", "-c:v", "libx264", "-preset",
          "ultrafast", str(made)], ffmpeg)  # fmt: skip
    data = made.read_bytes()
    made.unlink()

    def full(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I4sI", 12 + len(body), kind, 0) + body

    def rebuilt(blob: bytes) -> bytes:
        out, at = b"", 0
        while at + 8 <= len(blob):
            size, kind = struct.unpack(">I4s", blob[at : at + 8])
            body = blob[at + 8 : at + size]
            if kind in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
                body = rebuilt(body)
                out += struct.pack(">I4s", 8 + len(body), kind) + body
            elif kind == b"stts":
                out += full(kind, struct.pack(">III", 1, samples, 1))
            elif kind == b"stsz":
                out += full(kind, struct.pack(">II", 1, samples))
            elif kind == b"stsc":
                out += full(kind, struct.pack(">IIII", 1, 1, samples, 1))
            elif kind not in (b"stss", b"ctts", b"sdtp"):  # stco keeps its one chunk (the mdat comes first)
                out += blob[at : at + size]
            at += size
        return out

    path.write_bytes(rebuilt(data))
    return path


def two_frame_jpeg(path: Path, second_size: int, ffmpeg: str | None = None) -> Path:
    """A 16x16 JPEG followed by a second picture whose frame header says ``second_size`` square (its data is the
    first's): a check of the first frame header alone lets it through."""
    import struct

    small = path.with_name(f".{path.name}.small.jpg")
    _run(["-f", "lavfi", "-i", "color=c=gray:size=16x16", "-frames:v", "1", str(small)], ffmpeg)
    first = small.read_bytes()
    small.unlink()
    sof = first.index(b"\xff\xc0")
    second = first[: sof + 5] + struct.pack(">HH", second_size, second_size) + first[sof + 9 :]
    path.write_bytes(first + second)
    return path
