"""The main job, end to end: `free-music-ai render CLIP -p "..."` on a 60 s 1080p30 H.264+AAC clip.

Targets on 2 cores, when the picture can be copied: <= 8 s wall, and <= 1.0x `ffmpeg -i clip -f null -`
(one full decode) measured in the same run. Also reports the 16:9 -> 9:16 case, which re-encodes. Each run
starts cold: a fresh process, an empty analysis cache and an empty session store.

Usage: python tools/bench_e2e.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from free_music_ai.engine import sample_media
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from one_shot import time_one_shot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fmai-bench-") as work_dir:
        work = Path(work_dir)
        clip = sample_media.make_video(work / "clip.mp4", duration_s=args.seconds, width=1920, height=1080)
        start = time.perf_counter()
        subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(clip), "-f", "null", "-"], check=True)
        decode = time.perf_counter() - start
        copied = time_one_shot(clip, work / "copied.mp4", work)
        vertical = time_one_shot(clip, work / "vertical.mp4", work, "--aspect", "9:16")
    print(f"machine: {os.cpu_count()} cores; {args.seconds:g} s 1080p30 H.264 + AAC clip")
    print(f"ffmpeg full decode:                 {decode:.2f} s")
    print(f"one-shot, picture copied:           {copied:.2f} s = {copied / decode:.2f}x the decode "
          f"(targets: <= 8 s, <= 1.0x)")  # fmt: skip
    print(f"one-shot, 16:9 -> 9:16 re-encoded:  {vertical:.2f} s = {vertical / decode:.2f}x the decode")


if __name__ == "__main__":
    main()
