"""What hostile inputs cost: time and peak memory of the whole process tree (Python and ffmpeg together).

- png, gif: a 16000x16000 PNG (under 1 MB on disk, 1 GB once decoded) and a GIF of 5000 frames: refused from their
  headers;
- late: a file whose sound starts 300 s after its 3 s picture: a 3 s output;
- message: 8,000-character messages, the longest read, parsed (words, one long number, numbers, a list of times);
- index: an MP4 of a few KB whose sample tables claim 85 million frames (FFmpeg's index of it: 3 GB): refused from
  its boxes;
- jpeg: a JPEG whose first frame header says 16x16 and whose next says 16000x16000: refused from its headers;
- inline: the MCP server over stdio sent a file inline (base64 in the message) at the 64 MB cap (a WAV, uploaded)
  and a 499 MB one (refused while it is read): peak, what the server still holds 10 s later, time to the answer;
- with --long: a 20-minute 160x120 video with sound made into a music video (target: under 1 GB for the tree);
  this re-encodes 20 minutes to 1080p, about 9 minutes on 2 cores.
- with --rates: the same 64x64 clip of 120 s at 60, 240 and 1000 frames per second made into a music video:
  the cost follows the seconds, not the frames a file declares (target: 240 and 1000 at most 1.5x the 60;
  each re-encodes 120 s to 1080p60, a few minutes in all on 2 cores).

Usage: python tools/bench_hostile.py [--only png,gif,late,message,index,jpeg,inline] [--long] [--rates] [--rates-only]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cpu_time import children_cpu_s
from free_music_ai.engine import sample_media
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from inline_upload import measure
from tree_memory import peak_tree_mb

CLI = [sys.executable, "-m", "free_music_ai.cli"]
INDEX_BOMB_SAMPLES = 85_000_000
OVER_CAP_MB = 499


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def report(name: str, command: list[str], env: dict[str, str]) -> None:
    mb, seconds, code = peak_tree_mb(command, env)
    print(f"{name:44s} {seconds:7.1f} s  peak tree {mb:6.0f} MB  exit {code}")


def render(work: Path, source: Path, env: dict[str, str], name: str) -> None:
    report(name, [*CLI, "render", str(source), "-p", "calm", "-o", str(work / f"{source.stem}-out.mp4")], env)


def png(work: Path, env: dict[str, str]) -> None:
    bomb = sample_media.grey_png(work / "bomb.png", 16000, 16000)
    print(f"(the PNG is {bomb.stat().st_size / 1e6:.2f} MB on disk)")
    render(work, bomb, env, "16000x16000 PNG, render -p (refused)")


def gif(work: Path, env: dict[str, str]) -> None:
    many = sample_media.many_frame_gif(work / "many.gif", 5000, 64)
    render(work, many, env, "GIF of 5000 frames, render -p (refused)")


def late(work: Path, env: dict[str, str]) -> None:
    clip = work / "late.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3", "-itsoffset", "300", "-f", "lavfi",
           "-i", "sine=frequency=440:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
           str(clip))  # fmt: skip
    render(work, clip, env, "sound 300 s after a 3 s picture, render -p")


def message(work: Path, env: dict[str, str]) -> None:
    from free_music_ai.limits import MAX_MESSAGE_CHARS
    from free_music_ai.words.message import interpret

    # words, then the shapes that cost a pattern matcher most: one long number (a time tried at each of its digits
    # took 17 s before 2026-12-06), numbers between spaces, and a time list that never ends
    shapes = {"words": "make the music calmer and add a title 'x ", "one number": "1", "numbers": "1 ",
              "a list of times": "hits at 0:15, 0:16 and "}  # fmt: skip
    # and a time, spaces, a word (optional words between runs of spaces took over 5 minutes before 2026-12-06), and
    # instruments brought in with no punctuation (each read its whole clause: 20 s)
    padded = {"a time, spaces, a word": ("from 0:10", " ", " strings"),
              "entrances": ("", "bring the piano in at 0:20 ", "")}  # fmt: skip
    messages = {name: (unit * MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS] for name, unit in shapes.items()}
    messages |= {name: (head + unit * MAX_MESSAGE_CHARS)[: MAX_MESSAGE_CHARS - len(tail)] + tail
                 for name, (head, unit, tail) in padded.items()}  # fmt: skip
    for name, words in messages.items():
        start = time.perf_counter()
        interpret(words)
        print(f"{'8,000-character message parsed: ' + name:44s} {time.perf_counter() - start:7.3f} s")


def index(work: Path, env: dict[str, str]) -> None:
    bomb = sample_media.index_bomb_mp4(work / "index-bomb.mp4", INDEX_BOMB_SAMPLES)
    print(f"(the MP4 is {bomb.stat().st_size / 1e3:.1f} KB on disk and claims {INDEX_BOMB_SAMPLES:,} frames)")
    render(work, bomb, env, "MP4 index bomb, render -p (refused)")


def jpeg(work: Path, env: dict[str, str]) -> None:
    render(work, sample_media.two_frame_jpeg(work / "two.jpg", 16000), env, "JPEG 16x16 then 16000x16000 (refused)")


def inline(work: Path, env: dict[str, str]) -> None:
    from free_music_ai.limits import MAX_INLINE_BYTES

    wav = work / "at-cap.wav"  # 16-bit stereo 48 kHz: 192,000 bytes a second
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=330:sample_rate=48000:duration={MAX_INLINE_BYTES // 192_000 - 1}",
           "-ac", "2", str(wav))  # fmt: skip
    server_env = {**env, "FMAI_ALLOWED_DIRS": str(work)}
    for name, source in ((f"inline upload, {wav.stat().st_size / 1e6:.0f} MB WAV (at the cap)", wav),
                         (f"inline upload, {OVER_CAP_MB} MB (over the cap)", OVER_CAP_MB * 1_000_000)):  # fmt: skip
        peak, later, seconds, refused, _ = measure(source, "clip.wav" if isinstance(source, int) else wav.name,
                                                   server_env)  # fmt: skip
        print(f"{name:44s} {seconds:7.1f} s  peak tree {peak:6.0f} MB  10 s later {later:6.0f} MB  "
              f"{'refused' if refused else 'uploaded'}")  # fmt: skip


ROWS: dict[str, Callable[[Path, dict[str, str]], None]] = {
    "png": png, "gif": gif, "late": late, "message": message, "index": index, "jpeg": jpeg, "inline": inline,
}  # fmt: skip


def frame_rate_rows(work: Path, env: dict[str, str]) -> None:
    """The same 64x64 120 s clip at 60, 240 and 1000 fps made into a music video: wall, CPU and peak memory of
    the whole tree, each against the 60 fps clip (issue 31: at most 1.5x)."""
    base: tuple[float, float] | None = None
    for rate in (60, 240, 1000):
        clip = sample_media.make_video(work / f"rate{rate}.mp4", duration_s=120, width=64, height=64, fps=str(rate))
        # an empty cache each time: the three clips differ, but their analyses must not be shared anyway
        rate_env = {**env, "FMAI_CACHE_DIR": str(work / f"cache-rate{rate}")}
        before = children_cpu_s()
        mb, seconds, code = peak_tree_mb([*CLI, "render", str(clip), "-p", "calm music", "--seed", "7", "-o",
                                          str(work / f"rate{rate}-out.mp4")], rate_env)  # fmt: skip
        cpu = children_cpu_s() - before
        base = base or (seconds, cpu)
        print(
            f"{f'64x64 120 s at {rate} fps, render -p':44s} {seconds:7.1f} s  cpu {cpu:7.1f} s  peak tree "
            f"{mb:6.0f} MB  exit {code}  = {seconds / base[0]:.2f}x wall, {cpu / base[1]:.2f}x cpu of 60 fps"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(ROWS), help="rows to run, comma-separated (default: all)")
    parser.add_argument("--long", action="store_true", help="also the 20-minute video (about 9 minutes)")
    parser.add_argument("--rates", action="store_true", help="also 60, 240 and 1000 fps clips (a few minutes)")
    parser.add_argument("--rates-only", action="store_true", help="only the 60, 240 and 1000 fps clips")
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ROWS]
    if unknown:
        parser.error(f"unknown rows {', '.join(unknown)}; choose from {', '.join(ROWS)}")
    print(f"machine: {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as work_dir:
        work = Path(work_dir)
        env = {**os.environ, "FMAI_DATA_DIR": str(work / "data"), "FMAI_CACHE_DIR": str(work / "cache")}
        if args.rates or args.rates_only:
            frame_rate_rows(work, env)
        if args.rates_only:
            return
        for name in chosen:
            ROWS[name](work, env)
        if args.long:
            long_clip = work / "long.mp4"
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30:duration=1199", "-f", "lavfi", "-i",
                   "sine=frequency=300:duration=1199", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                   "-b:a", "64k", "-shortest", str(long_clip))  # fmt: skip
            report("20-minute 160x120 video, render -p", [*CLI, "render", str(long_clip), "-p", "calm music", "-o",
                                                          str(work / "d.mp4")], env)  # fmt: skip


if __name__ == "__main__":
    main()
