"""Batch throughput: 20 short clips scored with 1 and 2 local workers, and on a loopback Dask cluster of two
one-thread workers; clips per minute and the parallel efficiency (the speed-up over 1 worker, per worker).

Usage: python tools/bench_batch.py [--clips 20]   (the cluster part needs: pip install -e ".[cluster]")
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from free_music_ai.engine import sample_media

COLOURS = ["0x1d3557", "0xe63946", "0x457b9d", "0x2a9d8f", "0xe9c46a", "0xf4a261"]


def run(inputs: Path, out: Path, data: Path, *extra: str) -> float:
    env = {**os.environ, "FMAI_DATA_DIR": str(data), "FMAI_CACHE_DIR": str(data / "cache")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", "upbeat pop",
                           "-o", str(out), "--json", *extra], env=env, capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - start
    report = json.loads(done.stdout)
    assert done.returncode == 0 and not report["failed"], done.stderr[-500:]
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=20)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {args.clips} clips of 6 s, 1280x720, each its own music and MP4")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as work_dir:
        work = Path(work_dir)
        inputs = work / "in"
        inputs.mkdir()
        for k in range(args.clips):
            sample_media.make_scenes(inputs / f"clip{k:02d}.mp4", [COLOURS[k % 6], COLOURS[(k + 2) % 6],
                                                                   COLOURS[(k + 4) % 6]], scene_s=2.0)  # fmt: skip
        one = run(inputs, work / "one", work / "d1", "--workers", "1")
        two = run(inputs, work / "two", work / "d2", "--workers", "2")
        print(f"local pool, 1 worker:  {one:6.1f} s = {60 * args.clips / one:5.1f} clips/min")
        print(f"local pool, 2 workers: {two:6.1f} s = {60 * args.clips / two:5.1f} clips/min, "
              f"efficiency {one / two / 2:.0%}")  # fmt: skip
        try:
            import distributed  # noqa: F401 - only whether the cluster extra is there
        except ImportError:
            print("(no cluster part: the cluster extra is not installed)")
            return
        from free_music_ai.batch.loopback_cluster import loopback_cluster

        with loopback_cluster(work / "cluster") as cluster:
            dask = run(inputs, work / "dask", work / "d3", "--cluster", cluster.address)
        print(f"loopback Dask, 2 workers: {dask:6.1f} s = {60 * args.clips / dask:5.1f} clips/min, "
              f"efficiency {one / dask / 2:.0%} (against the 1-worker pool)")  # fmt: skip


if __name__ == "__main__":
    main()
