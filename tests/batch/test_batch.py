"""Batch scoring: every clip its own music and MP4, failures alone and explained, a rerun does nothing twice;
on a Dask cluster on loopback, the same audio as the local pool, and a worker killed mid-batch costs nothing."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from free_music_ai.batch.loopback_cluster import LoopbackCluster, loopback_cluster
from free_music_ai.engine import sample_media
from media_checks import audio_samples, facts

COLOURS = ["0x1d3557", "0xe63946", "0x457b9d", "0x2a9d8f", "0xe9c46a", "0xf4a261"]


def clips(folder: Path, count: int) -> Path:
    """Clips a phone would make, which the export copies (1080p 16:9 H.264): a batch's cost is then its own work,
    scoring and muxing, where a 720p clip spent a 1080p encode on each (a third of a clip's time in a batch)."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        sample_media.make_scenes(folder / f"clip{k}.mp4", [COLOURS[k % 6], COLOURS[(k + 3) % 6]], scene_s=1.2,
                                 width=1920, height=1080, fps=10)  # fmt: skip
    return folder


def batch(tmp_path: Path, *args: str) -> tuple[int, dict[str, list[object]], str]:
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "batch", *args, "--json"], env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}, done.stderr


def test_a_batch_scores_each_clip_and_a_rerun_does_nothing_twice(tmp_path: Path) -> None:
    inputs = clips(tmp_path / "in", 3)
    (inputs / "broken.mp4").write_text("not a video")
    (inputs / "notes.txt").write_text("ignored: not media")
    code, report, _ = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(tmp_path / "out"), "--workers", "2")
    assert code == 2  # one input failed, with its reason; the others are made
    assert sorted(Path(str(p)).name for p in report["outputs"]) == [f"clip{k}-music.mp4" for k in range(3)]
    assert len(report["failed"]) == 1 and "broken.mp4" in str(report["failed"][0])
    for output in report["outputs"]:
        got = facts(Path(str(output)))
        assert got.video_codec == "h264" and got.audio_codec == "aac" and abs(got.video_duration_s - 2.4) < 0.1
        assert Path(str(output)).with_suffix(".license.json").is_file()
    made = sorted(p.name for p in (tmp_path / "out").iterdir())
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    code, again, _ = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(tmp_path / "out"), "--workers", "2")
    assert code == 2 and again["outputs"] == [] and len(again["skipped"]) == 3  # done once, never twice
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == made  # no second copy
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == stamps


def test_ctrl_c_stops_a_batch_cleanly_and_a_rerun_finishes_it(tmp_path: Path) -> None:
    inputs = clips(tmp_path / "in", 6)
    out = tmp_path / "out"
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache")}
    running = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", "calm", "-o",
                                str(out), "--workers", "1", "--json"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 300
    while not list(out.glob("*.mp4")):  # the first clip is out
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    running.send_signal(signal.SIGINT)  # the clips already handed to the worker (two at most) still finish
    _, err = running.communicate(timeout=120)
    assert running.returncode != 0 and "Traceback" not in err
    first = {p.name for p in out.glob("*.mp4")}
    assert 1 <= len(first) < 6 and not list(out.glob(".*partial*"))  # stopped part-way, nothing half-written
    code, report, _ = batch(tmp_path, str(inputs), "-p", "calm", "-o", str(out), "--workers", "1")
    assert code == 0 and len(report["skipped"]) == len(first) and len(report["outputs"]) == 6 - len(first)
    assert sorted(p.name for p in out.glob("*.mp4")) == [f"clip{k}-music.mp4" for k in range(6)]


def marked_processes(marker: str) -> dict[int, str]:
    """Processes (and their names) whose environment carries ``marker``: a batch, its pool's workers, the pool's
    resource tracker and their ffmpeg children all inherit it, whoever becomes their parent."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
            except OSError:  # ended meanwhile, or not ours to read
                continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_batch_leaves_no_process_and_a_rerun_makes_each_clip_once(tmp_path: Path) -> None:
    inputs = clips(tmp_path / "in", 4)
    out = tmp_path / "out"
    marker = f"FMAI_TEST_MARK=batch-{os.getpid()}-{time.monotonic_ns()}"
    name, _, value = marker.partition("=")
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           name: value}  # fmt: skip
    running = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", "calm", "-o",
                                str(out), "--workers", "2", "--json"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    workers: set[int] = set()
    while not list(out.glob("*.mp4")):  # the first clip is out
        assert running.poll() is None and time.monotonic() < deadline
        workers |= set(marked_processes(marker)) - {running.pid}
        time.sleep(0.05)
    running.kill()  # kill -9: no clean-up of its own can run
    running.wait(timeout=10)
    deadline = time.monotonic() + 5
    while marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = marked_processes(marker)
    for pid in left:  # a failing run must not leave them behind either
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert left == {}  # workers, resource tracker, ffmpeg: all ended with the batch
    code, report, _ = batch(tmp_path, str(inputs), "-p", "calm", "-o", str(out), "--workers", "2")
    assert code == 0, report
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [f"clip{k}-music.mp4" for k in range(4)] + [f"clip{k}-music.license.json" for k in range(4)]
    )  # no "-1"
    assert len(report["outputs"]) + len(report["skipped"]) == 4
    scratch = Path(tempfile.gettempdir())
    assert workers and not [p for pid in workers for p in scratch.glob(f"fmai-batch-p{pid}-*")]  # swept


def test_two_batches_at_once_into_one_folder_make_each_clip_once(tmp_path: Path) -> None:
    inputs = clips(tmp_path / "in", 3)
    out = tmp_path / "out"
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", "calm", "-o", str(out),
               "--workers", "1", "--json"]  # fmt: skip
    both = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    answers = [running.communicate(timeout=600) for running in both]  # both read to the end, pipes closed
    reports = []
    for running, (stdout, stderr) in zip(both, answers, strict=True):
        assert running.returncode == 0 and "Traceback" not in stderr, stderr
        reports.append(json.loads(stdout))
    made = [Path(str(p)).name for report in reports for p in report["outputs"]]
    assert sorted(made) == [f"clip{k}-music.mp4" for k in range(3)]  # each made by one batch only
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [f"clip{k}-music.mp4" for k in range(3)] + [f"clip{k}-music.license.json" for k in range(3)]
    )  # no "-1"


# on a Dask cluster ------------------------------------------------------------------------------------------
distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LoopbackCluster]:
    """A scheduler and two one-thread workers on loopback, started here and stopped by their pids (each test
    gets its own: one of them kills a worker)."""
    with loopback_cluster(tmp_path / "cluster") as started:
        yield started


@pytest.mark.cluster
def test_the_cluster_makes_the_same_audio_as_the_pool(tmp_path: Path, cluster: LoopbackCluster) -> None:
    """Each clip's seed is set before it is sent: a pool here and workers elsewhere make the same audio."""
    address = cluster.address
    inputs = clips(tmp_path / "in", 2)
    _, pooled, _ = batch(tmp_path / "p", str(inputs), "-p", "warm acoustic", "-o", str(tmp_path / "pool"))
    code, clustered, _ = batch(tmp_path / "c", str(inputs), "-p", "warm acoustic", "-o", str(tmp_path / "dask"),
                               "--cluster", address)  # fmt: skip
    assert code == 0 and len(clustered["outputs"]) == 2 and len(pooled["outputs"]) == 2
    for name in ("clip0-music.mp4", "clip1-music.mp4"):
        a, _ = audio_samples(tmp_path / "pool" / name)
        b, _ = audio_samples(tmp_path / "dask" / name)
        assert np.array_equal(a, b), name


@pytest.mark.cluster
def test_a_worker_killed_mid_batch_costs_no_output(tmp_path: Path, cluster: LoopbackCluster) -> None:
    address = cluster.address
    inputs = clips(tmp_path / "in", 4)
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache")}
    running = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "batch", str(inputs), "-p", "calm",
                                "-o", str(tmp_path / "out"), "--cluster", address, "--json"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 300
    while not list((tmp_path / "out").glob("*.mp4")):  # the first clip is out: the workers are busy
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    cluster.workers[0].kill()  # one worker is killed outright
    out, err = running.communicate(timeout=600)
    assert running.returncode == 0, err
    report = json.loads(out)
    assert sorted(Path(p).name for p in report["outputs"]) == [f"clip{k}-music.mp4" for k in range(4)]
    assert not [p for p in (tmp_path / "out").iterdir() if re.search(r"partial|\.part$", p.name)]
