"""Whether a change to the music engine keeps every render to the bit: the SHA-256 of produce()'s float32 samples
for several genres on both bundled fonts, recorded before the change and checked after it.

The pieces are the one-shot's kind: a mood and an energy curve like a video's, not finished (as an export takes
them). The render depends on the core count (a piece is played in stretches, one per core), so record and check
on the same machine.

Usage: python tools/music_fingerprints.py record FILE [--seconds 60] [--genres pop,...]
       python tools/music_fingerprints.py check FILE      (exits 1 when a piece differs)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from free_music_ai.allocator import keep_freed_memory
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import Instruments, bundled_soundfont
from free_music_ai.engine.soundfont.names import BUNDLED_FONTS

GENRES = ("upbeat pop", "cinematic", "lo-fi", "corporate", "jazz", "solo piano", "electronic", "ambient", "rock",
          "trap")  # fmt: skip


def fingerprint(genre: Genre, font: str, seconds: float) -> str:
    energy = [0.59 + 0.015 * math.sin(k / 2.3) for k in range(math.ceil(seconds))]  # a lively clip's curve
    spec = MusicSpec(duration_s=seconds, genre=genre, valence=1.0, arousal=0.311, energy=energy, seed=622027)
    music = produce(spec, soundfont=bundled_soundfont(font), instruments=Instruments(), finish=False)
    return hashlib.sha256(np.ascontiguousarray(music.audio, dtype=np.float32).tobytes()).hexdigest()


def main() -> None:
    keep_freed_memory()  # as the command line sets it
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["record", "check"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--genres", default=",".join(GENRES))
    args = parser.parse_args()
    if args.mode == "check":
        recorded = json.loads(args.file.read_text())
        seconds, pieces = recorded["seconds"], recorded["pieces"]
    else:
        seconds, pieces = args.seconds, {f"{font}|{g}": "" for font in BUNDLED_FONTS for g in args.genres.split(",")}
    found: dict[str, str] = {}
    for name in pieces:
        font, genre = name.split("|")
        start = time.perf_counter()
        found[name] = fingerprint(Genre(genre), font, seconds)
        same = "" if args.mode == "record" else (" same" if found[name] == pieces[name] else " DIFFERENT")
        print(f"{name}: {found[name][:16]} ({time.perf_counter() - start:.1f} s){same}", flush=True)
    if args.mode == "record":
        args.file.write_text(json.dumps({"seconds": seconds, "pieces": found}, indent=1))
        return
    differ = [name for name in pieces if found[name] != pieces[name]]
    print(f"{len(pieces) - len(differ)} of {len(pieces)} pieces the same to the bit")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
