"""Render speed against plain ffmpeg doing the same job, measured in one run on this machine.

1. Copy path: `free-music-ai render clip --music music.wav` (a fresh process, as a user runs it) against
   `ffmpeg -i clip -i music -c:v copy -c:a aac` muxing the same inputs. Target ratio <= 1.5.
2. 16:9 -> 9:16 blurred fill: our render against ffmpeg running the same filter with the same encoder
   settings. Target ratio <= 1.15.

Usage: python tools/bench_render.py [--seconds 60] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.render.canvas import Canvas
from free_music_ai.engine.render.sound_encoder import ffmpeg_aac_args
from free_music_ai.engine.render.video_graph import fit_chain


def timed(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the test clip")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (the median is reported)")
    args = parser.parse_args()
    settings = load_settings()
    ffmpeg = ffmpeg_exe(settings.ffmpeg)
    cli = [sys.executable, "-m", "free_music_ai.cli"]
    quiet = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]

    with tempfile.TemporaryDirectory(prefix="fmai-bench-") as work_dir:
        work = Path(work_dir)
        print(f"machine: {os.cpu_count()} cores; ffmpeg {ffmpeg}")
        print(f"making a {args.seconds:g} s 1080p30 H.264+AAC clip ...", flush=True)
        clip = sample_media.make_video(work / "clip.mp4", duration_s=args.seconds, width=1920, height=1080)
        music = sample_media.make_tone(work / "music.wav", duration_s=args.seconds + 10)

        ours_copy = timed([*cli, "render", str(clip), "--music", str(music), "-o", str(work / "ours.mp4"), "--json"],
                          args.repeats)  # fmt: skip
        plain_copy = timed(
            [*quiet, "-i", str(clip), "-i", str(music), "-map", "0:v", "-map", "1:a", "-c:v", "copy",
             *ffmpeg_aac_args(), "-shortest", "-movflags", "+faststart", str(work / "plain.mp4")],
            args.repeats,
        )  # fmt: skip

        graph = ";".join(fit_chain("0:v", "fit", width=1920, height=1080, canvas=Canvas(1080, 1920), fit="blur"))
        ours_vertical = timed(
            [*cli, "render", str(clip), "--aspect", "9:16", "-o", str(work / "ours916.mp4"), "--json"], args.repeats
        )
        plain_vertical = timed(
            [*quiet, "-i", str(clip), "-filter_complex", f"{graph};[fit]format=yuv420p[v]", "-map", "[v]", "-map",
             "0:a", "-c:v", "libx264", "-preset", settings.x264_preset, "-crf", str(settings.crf), "-profile:v",
             "high", *ffmpeg_aac_args(), "-movflags", "+faststart", str(work / "plain916.mp4")],
            args.repeats,
        )  # fmt: skip

    rows = [
        ("copy path with --music", ours_copy, plain_copy, 1.5),
        ("16:9 -> 9:16 blurred fill", ours_vertical, plain_vertical, 1.15),
    ]
    print(f"\n{'case':<28}{'ours s':>9}{'ffmpeg s':>10}{'ratio':>8}{'target':>8}  verdict")
    for name, ours, plain, target in rows:
        ratio = ours / plain
        verdict = "ok" if ratio <= target else "SLOWER THAN TARGET"
        print(f"{name:<28}{ours:>9.2f}{plain:>10.2f}{ratio:>8.2f}{target:>8.2f}  {verdict}")


if __name__ == "__main__":
    main()
