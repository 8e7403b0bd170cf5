"""Cut candidates from a packet scan (no decoding) against today's detector: precision, recall and cost.

Issue 31 item 1 ("keyframes first") wants cut candidates from the packets and the keyframes, decoding only
short windows around them. Before any detector is changed, this measures whether the packets can be trusted:
for each clip, today's hard cuts (analyze(), which decodes every I- and P-frame) against

- the keyframes after the first (x264 puts one on most scene changes; a stream of mostly keyframes, such
  as MPEG-4 Part 2 intra-only, says nothing by its keyframes), and
- the packets much larger than their neighbours (a cut's first frame is mostly intra-coded, key or not),

with the CPU time of the packet scan and of a plain ffmpeg decode of the same file, in the same run. Keyframes
at a fixed interval are flagged ("regular"): a fixed GOP, or cuts that come at a fixed interval, which the
packets alone cannot tell apart. A cut counts as found when a candidate lies within 1.5 frames of it.

Usage: python tools/cut_agreement.py [--media ../shared/media]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cpu_time import children_cpu_s
from free_music_ai.engine import sample_media
from free_music_ai.engine.analysis.analyze import analyze
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe

SIZE_RATIO = 4.0  # a packet this many times the median of its neighbours is a candidate
NEIGHBOURS = 8  # packets either side the median is taken over
MIN_BYTES = 64  # smaller packets are never candidates (a flat picture's cut frame can be a few hundred bytes)
INTRA_ONLY = 0.5  # a stream with this share of keyframes or more: its keyframes say nothing


@dataclass(frozen=True)
class Scan:
    candidates: list[float]
    keyframes: list[float]
    regular: bool  # keyframes at a fixed interval
    frame_s: float
    cpu_s: float


def packet_scan(path: Path) -> Scan:
    """Packet times, sizes and key flags, read without decoding; the candidates they point at."""
    import av

    start = time.process_time()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        base = float(stream.time_base or 1 / 90000)
        packets = [(float(p.pts) * base, p.size, p.is_keyframe) for p in container.demux(stream) if p.pts is not None]
        rate = stream.guessed_rate
    packets.sort()
    times = np.array([p[0] for p in packets])
    sizes = np.array([p[1] for p in packets], dtype=np.float64)
    keys = [t for t, _, key in packets if key]
    gaps = np.diff(keys)
    regular = len(gaps) >= 2 and float(np.ptp(gaps)) < 1e-3
    found = [t for t in keys if t > times[0]] if len(keys) < INTRA_ONLY * len(packets) else []
    for i in range(1, len(sizes)):
        around = np.concatenate([sizes[max(0, i - NEIGHBOURS) : i], sizes[i + 1 : i + 1 + NEIGHBOURS]])
        if sizes[i] >= MIN_BYTES and sizes[i] >= SIZE_RATIO * float(np.median(around)):
            found.append(float(times[i]))
    frame_s = float(1 / rate) if rate else 1 / 30
    merged: list[float] = []
    for t in sorted(found):  # a cut that is both a keyframe and a spike, or a spike two frames long: one
        if not merged or t - merged[-1] > 1.5 * frame_s:
            merged.append(t)
    return Scan(merged, keys, regular, frame_s, time.process_time() - start)


def decode_cpu_s(path: Path) -> float:
    """CPU time of a plain ffmpeg decode of the whole file (the limit the analysis is measured against)."""
    before = children_cpu_s()
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], check=True)
    return children_cpu_s() - before


def agreement(today: list[float], candidates: list[float], frame_s: float) -> tuple[int, int, int]:
    """(today's cuts found, candidates matching one, candidates)."""
    near = 1.5 * frame_s + 1e-3
    hit = sum(1 for t in today if any(abs(t - c) <= near for c in candidates))
    right = sum(1 for c in candidates if any(abs(t - c) <= near for t in today))
    return hit, right, len(candidates)


def generated(work: Path) -> list[Path]:
    """The generated cut tests' kind of clip, with x264's scene-cut keyframes and with a fixed GOP."""
    colours = ["red", "navy", "yellow", "green", "white"]
    scenes = sample_media.make_scenes(work / "scenes.mp4", colours, scene_s=1.7)
    fast = sample_media.make_scenes(work / "scenes-480.mp4", colours[:3], scene_s=1.5, width=64, height=64, fps=480)
    fixed = work / "scenes-fixed-gop.mp4"
    pattern = "".join(f"[{k}:v]" for k in range(3))
    inputs = [arg for k in range(3) for arg in ("-f", "lavfi", "-i", f"testsrc2=s=640x360:r=30:d=2,hue=h={k * 120}")]
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *inputs, "-filter_complex", f"{pattern}concat=n=3:v=1[v]",
                    "-map", "[v]", "-c:v", "libx264", "-g", "45", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                    str(fixed)], check=True)  # fmt: skip
    return [scenes, fast, fixed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--media", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "media")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    totals = [0, 0, 0, 0]  # today's cuts, found, candidates, right
    with_fallback = [0, 0]  # today's cuts on clips with irregular keyframes, found there
    with tempfile.TemporaryDirectory(prefix="cut-agreement-") as work_dir:
        work = Path(work_dir)
        real = sorted(p for p in args.media.iterdir() if p.suffix.lower() in (".mp4", ".mkv", ".mov"))
        for clip in [*real, *generated(work)]:
            result = analyze([clip], cache_dir=work / "cache")
            today = [t.time_s for t in result.transitions if t.kind == "cut"]
            scan = packet_scan(clip)
            hit, right, count = agreement(today, scan.candidates, scan.frame_s)
            full = decode_cpu_s(clip)
            totals = [totals[0] + len(today), totals[1] + hit, totals[2] + count, totals[3] + right]
            if not scan.regular:
                with_fallback = [with_fallback[0] + len(today), with_fallback[1] + hit]
            recall = f"{hit}/{len(today)}" if today else "-"
            precision = f"{right}/{count}" if count else "-"
            missed = [t for t in today if not any(abs(t - c) <= 1.5 * scan.frame_s + 1e-3 for c in scan.candidates)]
            said = f"  missed {missed}" if missed else ""
            print(f"{clip.name:28s} cuts {len(today):2d}  recall {recall:5s}  precision {precision:5s}  "
                  f"{'regular' if scan.regular else 'irregular':9s}  scan {scan.cpu_s:5.2f} s CPU = "
                  f"{scan.cpu_s / full:.2f}x a decode ({full:.2f} s){said}")  # fmt: skip
    print(f"all clips: recall {totals[1]}/{totals[0]}, precision {totals[3]}/{totals[2]}")
    print(f"clips with irregular keyframes (the others would keep today's path): recall "
          f"{with_fallback[1]}/{with_fallback[0]}")  # fmt: skip


if __name__ == "__main__":
    main()
