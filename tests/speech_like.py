"""A synthetic voice for tests: what a voice activity detector must call speech, made without a recording.

Glottal pulses at a gliding pitch (intonation) excite three vowel formants; syllables come about 4.5 times
a second with consonant noise between them, and words and phrases are separated by pauses.
"""

from __future__ import annotations

import numpy as np

VOWELS = [(730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480), (570, 840, 2410)]


def _formant_filter(rate: int, formants: tuple[int, int, int]) -> np.ndarray:
    t = np.arange(int(0.025 * rate)) / rate
    return sum(np.exp(-np.pi * 90 * t) * np.sin(2 * np.pi * f * t) / (k + 1) for k, f in enumerate(formants))


def speech_like(seconds: float, rate: int = 48_000, seed: int = 0, f0: float = 140.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.zeros(round(seconds * rate))
    t = 0.05
    while t < seconds - 0.3:
        for _ in range(rng.integers(2, 5)):  # a word of 2-4 syllables
            length = rng.uniform(0.12, 0.22)
            n = round(length * rate)
            start = round(t * rate)
            if start + n >= len(out):
                break
            pitch = f0 * (
                1 + 0.25 * np.sin(2 * np.pi * rng.uniform(0.5, 1.5) * np.arange(n) / rate + rng.uniform(0, 6))
            )
            phase = np.cumsum(pitch / rate)
            pulses = (np.diff(np.floor(phase), prepend=0) > 0).astype(float)
            voiced = np.convolve(pulses, _formant_filter(rate, VOWELS[rng.integers(len(VOWELS))]))[:n]
            envelope = np.sin(np.pi * np.arange(n) / n) ** 0.6
            out[start : start + n] += voiced * envelope
            t += length
            consonant = round(rng.uniform(0.03, 0.07) * rate)  # a fricative between syllables
            c0 = round(t * rate)
            if c0 + consonant < len(out):
                out[c0 : c0 + consonant] += rng.normal(0, 0.08, consonant) * np.hanning(consonant)
            t += consonant / rate
        t += rng.uniform(0.08, 0.2) if rng.random() < 0.7 else rng.uniform(0.45, 0.8)  # between words / phrases
    return (0.3 * out / (np.abs(out).max() + 1e-9)).astype(np.float32)
