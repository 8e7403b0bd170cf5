"""Video analysis speed and memory, against one full decode of the same clip by ffmpeg, in one run.

Target: analysis time <= 0.25x `ffmpeg -i clip -f null -` on a 60 s 1080p30 H.264 clip, on 2 cores (issue 31:
keyframes first); peak memory under 500 MB whatever the input's length (measured in a child process, so only
the analysis counts). CPU time (user + sys of each child process) is reported beside wall time: it is less
disturbed by other work on the machine.

Usage: python tools/bench_analysis.py [--seconds 60] [--repeats 3]
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

from cpu_time import children_cpu_s
from free_music_ai.engine import sample_media
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from peak_memory import peak_mb

CHILD = """
import sys, time, resource
from pathlib import Path
from free_music_ai.engine.analysis.analyze import analyze
start, cpu = time.perf_counter(), time.process_time()
analyze([Path(sys.argv[1])])
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fmai-bench-") as work:
        clip = sample_media.make_video(Path(work) / "clip.mp4", duration_s=args.seconds, width=1920, height=1080)
        decode, ours, inside, decode_cpu, ours_cpu, inside_cpu = [], [], [], [], [], []
        for _ in range(args.repeats):
            start, cpu = time.perf_counter(), children_cpu_s()
            subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(clip), "-f", "null", "-"], check=True)
            decode.append(time.perf_counter() - start)
            decode_cpu.append(children_cpu_s() - cpu)
            start, cpu = time.perf_counter(), children_cpu_s()
            done = subprocess.run([sys.executable, "-c", CHILD, str(clip)], check=True, capture_output=True,
                                  text=True)  # fmt: skip
            ours.append(time.perf_counter() - start)
            ours_cpu.append(children_cpu_s() - cpu)
            wall, cpu_s = done.stdout.split()
            inside.append(float(wall))
            inside_cpu.append(float(cpu_s))
        peak = peak_mb(children=True)
    d, o, i = statistics.median(decode), statistics.median(ours), statistics.median(inside)
    dc, oc, ic = statistics.median(decode_cpu), statistics.median(ours_cpu), statistics.median(inside_cpu)
    print(f"machine: {os.cpu_count()} cores; {args.seconds:g} s 1080p30 H.264 + AAC clip")
    print(f"ffmpeg full decode: {d:.2f} s ({dc:.2f} s CPU); medians of {args.repeats}")
    print(f"analysis (analyze() itself): {i:.2f} s = {i / d:.2f}x the decode (target <= 0.25); "
          f"{ic:.2f} s CPU = {ic / dc:.2f}x")  # fmt: skip
    print(f"analysis with Python start-up and imports: {o:.2f} s = {o / d:.2f}x; {oc:.2f} s CPU = {oc / dc:.2f}x")
    print(f"peak memory of the largest child process: {peak:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
