"""Batch throughput: 20 short clips scored with 1 and 2 local workers, from and to object storage (an S3 server
on loopback) with 2 local workers, and on a loopback Dask cluster of two one-thread workers; clips per minute,
the parallel efficiency (the speed-up over 1 worker, per worker), and the CPU time of each batch's processes.

Usage: python tools/bench_batch.py [--clips 20]
(the object-storage part needs pip install -e ".[cluster,dev]" (s3fs, moto); the cluster part ".[cluster]")
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from free_music_ai.engine import sample_media

COLOURS = ["0x1d3557", "0xe63946", "0x457b9d", "0x2a9d8f", "0xe9c46a", "0xf4a261"]


CPU = {"cpu": 0.0}  # the CPU seconds (user + sys) of the last run's processes: the batch, its workers, ffmpeg


def run(inputs: Path | str, out: Path | str, data: Path, *extra: str, env: dict[str, str] | None = None) -> float:
    full = {**os.environ, "FMAI_DATA_DIR": str(data), "FMAI_CACHE_DIR": str(data / "cache"), **(env or {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", "upbeat pop",
                           "-o", str(out), "--json", *extra], env=full, capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU["cpu"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
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
        print(f"local pool, 1 worker:  {one:6.1f} s = {60 * args.clips / one:5.1f} clips/min; CPU {CPU['cpu']:.1f} s")
        two = run(inputs, work / "two", work / "d2", "--workers", "2")
        print(f"local pool, 2 workers: {two:6.1f} s = {60 * args.clips / two:5.1f} clips/min, "
              f"efficiency {one / two / 2:.0%}; CPU {CPU['cpu']:.1f} s")  # fmt: skip
        object_storage(inputs, work, args.clips, two)
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


def object_storage(inputs: Path, work: Path, clips: int, local: float) -> None:
    """The same clips from s3://bench/clips/ to s3://bench/scored/ on an S3 server on loopback (in this process:
    its CPU is counted apart from the batch's), 2 workers, against the local-folder run with 2 workers."""
    try:
        import moto.server  # noqa: F401 - only whether the test server is there
        import s3fs  # noqa: F401 - only whether the batch can reach object storage
    except ImportError:
        print("(no object-storage part: s3fs or moto[server] is not installed)")
        return
    from free_music_ai.batch.loopback_s3 import loopback_s3

    with loopback_s3(work / "aws") as s3:
        s3.make_bucket("bench")
        s3.upload(inputs, "bench", "clips/")
        server_before = resource.getrusage(resource.RUSAGE_SELF)
        seconds = run("s3://bench/clips/", "s3://bench/scored/", work / "d4", "--workers", "2", env=s3.env)
        server_after = resource.getrusage(resource.RUSAGE_SELF)
        made = [key for key in s3.objects("bench", "scored/") if key.endswith(".mp4")]
    assert len(made) == clips, made
    server = server_after.ru_utime - server_before.ru_utime + server_after.ru_stime - server_before.ru_stime
    print(f"S3 on loopback, 2 workers: {seconds:6.1f} s = {60 * clips / seconds:5.1f} clips/min "
          f"({local / seconds:.0%} of the local folders' rate); CPU {CPU['cpu']:.1f} s, and the S3 server "
          f"{server:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
