"""SoundFont synthesizer speed: a dense 10-minute General MIDI arrangement, rendered with the bundled font.

Drums (kick, snare, closed and open hi-hats in eighths), bass in eighths, four-note piano chords, a string
pad and a melody, with humanized timing, velocity and length, so notes repeat the way real parts do but are
not identical copies. Target: at least 100x faster than real time on 2 cores. Also reports the font's load
time, the first-render cost (sample decoding), and peak memory.

Usage: python tools/bench_synth.py [--minutes 10] [--font PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import time

from free_music_ai.engine.soundfont import NoteEvent, Synthesizer, bundled_soundfont, load_soundfont
from peak_memory import peak_mb

CHORDS = [(0, 4, 7, 11), (9, 12, 16, 19), (5, 9, 12, 16), (7, 11, 14, 17)]  # Cmaj7 Am7 Fmaj7 G7


def arrangement(minutes: float, seed: int = 7) -> list[NoteEvent]:
    rng = random.Random(seed)
    beat = 0.5  # 120 bpm
    bars = int(minutes * 60 / (4 * beat))
    events: list[NoteEvent] = []

    def jitter() -> float:
        return rng.uniform(-0.008, 0.008)

    def add(start: float, length: float, key: int, velocity: int, **kw: object) -> None:
        events.append(
            NoteEvent(
                max(0.0, start + jitter()),
                length * rng.uniform(0.85, 1.0),
                key,
                max(1, min(127, velocity + rng.randint(-12, 12))),
                **kw,
            )
        )  # type: ignore[arg-type]

    for bar in range(bars):
        t0 = bar * 4 * beat
        root = 36 + CHORDS[bar % 4][0]
        for eighth in range(8):
            t = t0 + eighth * beat / 2
            add(t, 0.1, 42 if eighth != 7 else 46, 80, drum=True, part="drums")
            add(t, beat / 2 * 0.9, root + (12 if eighth % 4 == 3 else 0), 90, program=33, part="bass")
            if rng.random() < 0.7:
                add(t, beat / 2 if rng.random() < 0.6 else beat, 72 + rng.choice([0, 2, 4, 7, 9, 12]), 85,
                    program=73, part="melody")  # fmt: skip
        for quarter in range(4):
            t = t0 + quarter * beat
            add(t, 0.2, 36 if quarter % 2 == 0 else 38, 100, drum=True, part="drums")
            for interval in CHORDS[bar % 4]:
                add(t, beat * 0.8, 60 + interval, 70, program=0, part="chords")
        if bar % 2 == 0:
            for interval in CHORDS[bar % 4][:3]:
                add(t0, 8 * beat, 48 + interval, 60, program=48, part="pad")
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--font", default=None, help="an sf2/sf3 file (default: the bundled font)")
    args = parser.parse_args()
    path = args.font or bundled_soundfont()

    start = time.perf_counter()
    font = load_soundfont(path)
    load_s = time.perf_counter() - start
    events = arrangement(args.minutes)
    synth = Synthesizer(font)

    start = time.perf_counter()
    audio = synth.render(events)
    first_s = time.perf_counter() - start
    synth_warm = Synthesizer(font, cache=None)  # samples stay decoded; waveforms are rendered again
    start = time.perf_counter()
    synth_warm.render(events)
    warm_s = time.perf_counter() - start

    seconds = len(audio) / synth.rate
    peak = peak_mb()
    print(f"machine: {os.cpu_count()} cores; font {font.name}")
    print(f"font load (parse): {load_s * 1000:.0f} ms; samples decoded by the render: {font.samples.decoded_count}")
    print(f"{len(events)} notes, {seconds:.0f} s of audio")
    print(f"first render (decodes samples): {first_s:.2f} s = {seconds / first_s:.0f}x real time")
    print(f"render with samples decoded:    {warm_s:.2f} s = {seconds / warm_s:.0f}x real time (target >= 100x)")
    print(f"waveform cache: {synth.cache.hits} hits, {synth.cache.misses} misses")
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
