"""What Content Credentials add to an export: the seal of a 60 s 1080p MP4 (hashing its 60 s of music from the
stored samples, then signing the file with the local certificate), timed apart from the render; and, for
comparison, the seal of the music's own 60 s WAV, which C2PA's library can only sign by writing a signed copy.

The MP4's manifest is appended after its last box (service/appended_manifest.py): the figure to watch besides
the time is the fresh memory touched (minor page faults), which inside a busy export cost more than the work.

Usage: python tools/bench_credentials.py [--seconds 60] [--runs 5] [--video EXPORT.mp4]
Budget: under 0.2 s for a 60 s export. On a shared machine the best run is the cost; the median, its load.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from free_music_ai.config import load_settings
from free_music_ai.engine.audio_file import write_audio
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.sound_stream import SoundStream
from free_music_ai.service.credentials import MusicRecord, pcm_sha256, seal_for, stream_blocks
from free_music_ai.service.licence import font_record


def export_like(path: Path, seconds: float) -> Path:
    """A 1080p30 H.264 + AAC MP4 made as an export is (veryfast, CRF 20, faststart), with moving content."""
    subprocess.run([ffmpeg_exe(None), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size=1920x1080:rate=30:duration={seconds}", "-f", "lavfi", "-i",
                    f"sine=frequency=330:duration={seconds}:sample_rate=48000", "-c:v", "libx264", "-preset",
                    "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", "-ac", "2",
                    "-movflags", "+faststart", str(path)], check=True)  # fmt: skip
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--video", type=Path, help="sign this MP4 instead of making one (to repeat a run quickly)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-credentials-") as work_dir:
        work = Path(work_dir)
        settings = load_settings({"credentials_dir": work / "config"})
        video = args.video or export_like(work / "export.mp4", args.seconds)
        spec = MusicSpec(duration_s=args.seconds, valence=0.3, arousal=0.2, genre=Genre.POP, seed=1)
        music = produce(spec, target_lufs=settings.target_lufs, soundfont=settings.soundfont, finish=False)
        stored = work / "music.npy"
        np.save(stored, np.asarray(music.audio, dtype=np.float32))  # as the music job keeps it
        record = MusicRecord(spec=spec.model_dump(mode="json"), soundfont=font_record(None, Genre.POP.value),
                             target_lufs=settings.target_lufs, mastered=False)  # fmt: skip
        start = time.perf_counter()
        pcm_hash = pcm_sha256(stream_blocks(SoundStream.of_npy(stored)))
        hashing = time.perf_counter() - start
        seal = seal_for(settings, record, lambda: pcm_hash)  # an export hashes while ffmpeg renders
        assert seal is not None
        seal(shutil.copyfile(video, work / "warm.mp4"))  # the local certificate is made on first use, once
        signed = timed_seals(seal, video, work, args.runs)
        wav = write_audio(np.asarray(music.audio, dtype=np.float32), work / "music.wav", 48_000)
        copied = timed_seals(seal, wav, work, args.runs)
        size_mb, wav_mb = video.stat().st_size / 1e6, wav.stat().st_size / 1e6
        print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; a {args.seconds:g} s 1080p export "
              f"of {size_mb:.1f} MB")  # fmt: skip
        print(f"hash of the music's PCM: {hashing * 1000:6.1f} ms (during the render, in a thread beside ffmpeg)")
        print(f"signing the MP4 (after the render; budget 200 ms): {signed}")
        print(f"signing the music's {wav_mb:.1f} MB WAV (a signed copy): {copied}")


class Runs:
    """Wall and CPU seconds, minor page faults and growth of each run of a seal."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.faults: list[int] = []
        self.grown: list[int] = []

    def __str__(self) -> str:
        median = statistics.median
        return (f"median {median(self.wall) * 1000:6.1f} ms wall, {median(self.cpu) * 1000:6.1f} ms CPU, "
                f"{median(self.faults) * 4 / 1024:5.1f} MB of fresh pages; best {min(self.wall) * 1000:6.1f} ms wall, "
                f"{min(self.cpu) * 1000:6.1f} ms CPU over {len(self.wall)} runs; the file grew "
                f"{median(self.grown) / 1e3:.1f} kB")  # fmt: skip


def timed_seals(seal: Callable[[Path], None], original: Path, work: Path, runs: int) -> Runs:
    """Seal a fresh copy of ``original`` ``runs`` times, one file at a time as a render leaves it."""
    measured = Runs()
    for run in range(runs):
        target = shutil.copyfile(original, work / f"run{run}{original.suffix}")
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        start, started_cpu = time.perf_counter(), time.process_time()
        seal(target)
        measured.wall.append(time.perf_counter() - start)
        measured.cpu.append(time.process_time() - started_cpu)
        measured.faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults)
        measured.grown.append(target.stat().st_size - original.stat().st_size)
        target.unlink()
    return measured


if __name__ == "__main__":
    main()
