"""Music engine speed: compose + synthesize + master, against real time.

Targets on 2 cores: a 10-minute piece at least 50x faster than real time (<= 12 s), and a 30-second piece in
<= 1.5 s once the SoundFont is loaded. Reports the SoundFont's load time, the first 30 s piece (which also
decodes the samples it plays) and later ones, and the peak memory. The allocator is set as the command line
sets it for a command that runs once (allocator.py: `free-music-ai compose` runs so); a server keeps glibc's
defaults, which cost a 600 s piece about a second more of system time in page faults.

Usage: python tools/bench_music.py [--genre G] [--long-seconds 600]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from free_music_ai.allocator import collect_cycles_seldom, keep_freed_memory
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import Instruments
from peak_memory import peak_mb


def main() -> None:
    keep_freed_memory()  # before any thread starts, as free_music_ai.cli.launch does
    collect_cycles_seldom()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--genre", default=Genre.POP.value, choices=[g.value for g in Genre])
    parser.add_argument("--long-seconds", type=float, default=600.0)
    args = parser.parse_args()
    genre = Genre(args.genre)

    instruments = Instruments()  # as the service keeps them: later pieces reuse the waveforms
    start = time.perf_counter()
    instruments.synthesizer()
    load_s = time.perf_counter() - start

    start = time.perf_counter()
    produce(MusicSpec(duration_s=30, genre=genre, seed=1), instruments=instruments)
    first_s = time.perf_counter() - start
    later = []
    for seed in (2, 3, 4):
        start = time.perf_counter()
        produce(
            MusicSpec(duration_s=30, genre=genre, seed=seed, valence=0.1 * seed, arousal=0.2 - 0.1 * seed),
            instruments=instruments,
        )
        later.append(time.perf_counter() - start)

    start = time.perf_counter()
    music = produce(MusicSpec(duration_s=args.long_seconds, genre=genre, seed=5), instruments=instruments)
    long_s = time.perf_counter() - start

    peak = peak_mb()
    exact = round(args.long_seconds * music.rate)
    if music.audio.shape != (exact, 2) or not np.isfinite(music.audio).all():  # the long piece, played to the sample
        raise SystemExit(f"the {args.long_seconds:.0f} s piece is {music.audio.shape[0]} samples, not {exact}")
    print(f"machine: {os.cpu_count()} cores; genre {genre.value}")
    print(f"SoundFont load: {load_s * 1000:.0f} ms")
    print(f"30 s piece, first (decodes its samples): {first_s:.2f} s")
    print(f"30 s piece, font loaded (median of 3 other moods): {statistics.median(later):.2f} s (target <= 1.5 s)")
    print(f"{args.long_seconds:.0f} s piece: {long_s:.2f} s = {args.long_seconds / long_s:.0f}x real time "
          f"(target >= 50x, <= {args.long_seconds / 50:.0f} s); {len(music.composition.events)} notes, "
          f"{music.lufs:.2f} LUFS, {music.true_peak_db:.2f} dBTP")  # fmt: skip
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
