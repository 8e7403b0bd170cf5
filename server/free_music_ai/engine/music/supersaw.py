"""Electronic music's lead: the supersaw, seven saws a few cents apart spread across the stereo field.

No General MIDI font has it: a font's "sawtooth lead" is one mono saw (a listening critique measured electronic's lead
17 dB side under mid, a thin line where a club track's hook is a wall). Each saw here is band-limited (a wavetable of
the harmonics under 16 kHz, read with linear interpolation), detuned by its own number of cents so they beat slowly
against each other, and panned to its own place; the sum is high-passed out of the bass's way and low-passed by a
filter that opens at the attack and settles (a pluck inside a held note), the sound of the trance and big-room lead.

A note's waveform depends only on its key and length (its loudness is a gain where it is placed), so a hook's repeats
share one waveform, and a piece played in stretches on several cores is the same bit for bit as in one pass.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from free_music_ai.engine.dsp.eq import Filter, Section, highpass2, lowpass2

# each saw's detune in cents, level and pan: the centre saw strongest, the outer ones widest and quietest. Uneven
# steps, so no two pairs beat at one rate (an even spread throbs like a tremolo)
DETUNE_CENTS = (-21.0, -12.5, -5.0, 0.0, 5.5, 13.0, 20.0)
SAW_LEVELS = (0.6, 0.75, 0.9, 1.0, 0.9, 0.75, 0.6)
SAW_PANS = (-0.85, 0.55, -0.3, 0.0, 0.3, -0.55, 0.85)
# each saw starts at its own point of its cycle (a free-running oscillator's), the same for every note
START_PHASES = (0.13, 0.71, 0.42, 0.0, 0.88, 0.27, 0.59)
TABLE_SIZE = 2048
TOP_HZ = 16_000.0  # the highest harmonic a wavetable holds: under the rate's Nyquist for every rate we play at
LOW_CUT_HZ = 170.0  # the bass's room; a low chord's note keeps its fundamental (LOW_CUT_SHARE of it)
LOW_CUT_SHARE = 0.6
BRIGHT_HZ, SETTLED_HZ = 9_000.0, 3_600.0  # the filter at the attack, and where it settles
PLUCK_S = 0.11  # how fast it settles
ATTACK_S = 0.004
SUSTAIN, DECAY_S = 0.8, 0.35  # the level falls from 1 to SUSTAIN after the attack
NORM = 0.3  # the sum of seven saws back to about a single saw's peak
QUANTUM_S = 0.125  # waveforms are rendered in whole eighths of a second, so notes of near lengths share one


@functools.lru_cache(maxsize=128)
def _wavetable(key: int, rate: int) -> np.ndarray:
    """One cycle of a saw at ``key`` with every harmonic the detuned saws keep under TOP_HZ (and the rate's
    Nyquist), with its first sample repeated at the end for interpolation."""
    highest_hz = 440.0 * 2.0 ** ((key - 69) / 12.0 + max(DETUNE_CENTS) / 1200.0)
    harmonics = max(1, int(min(TOP_HZ, 0.45 * rate) // highest_hz))
    x = np.arange(TABLE_SIZE + 1, dtype=np.float64) / TABLE_SIZE
    h = np.arange(1, harmonics + 1, dtype=np.float64)
    # a saw's Fourier series (falling ramp), each harmonic at 1/h; the edge's ripple smoothed (Lanczos sigma)
    sigma = np.sinc(h / (harmonics + 1))
    return np.asarray((np.sin(2.0 * math.pi * np.outer(x, h)) @ (sigma / h)) * (2.0 / math.pi))


@functools.lru_cache(maxsize=128)
def _filters(key: int, rate: int) -> tuple[Section, Section, Section]:
    """Second-order Butterworth sections (our own, dsp/eq.py: scipy.signal costs 0.65 s to import on every start)."""
    fundamental = 440.0 * 2.0 ** ((key - 69) / 12.0)
    low_cut = highpass2(min(LOW_CUT_HZ, LOW_CUT_SHARE * fundamental), rate)
    return low_cut, lowpass2(min(BRIGHT_HZ, 0.45 * rate), rate), lowpass2(SETTLED_HZ, rate)


def wave_length(samples: int, rate: int) -> int:
    """The length a note of ``samples`` is rendered at: whole quanta, so that notes of near lengths share one."""
    quantum = round(QUANTUM_S * rate)
    return quantum * -(-samples // quantum)


@functools.lru_cache(maxsize=256)
def supersaw(key: int, length: int, rate: int) -> np.ndarray:
    """A supersaw note (2, length) float32 at unit level, sounding for all of ``length``; its release is a fade
    where it is placed."""
    n = np.arange(length, dtype=np.float64)
    table = _wavetable(key, rate)
    hz = 440.0 * 2.0 ** ((key - 69) / 12.0)
    left = np.zeros(length, dtype=np.float64)
    right = np.zeros(length, dtype=np.float64)
    for cents, level, pan, start in zip(DETUNE_CENTS, SAW_LEVELS, SAW_PANS, START_PHASES, strict=True):
        cycles = start + n * (hz * 2.0 ** (cents / 1200.0) / rate)
        place = (cycles - np.floor(cycles)) * TABLE_SIZE
        index = place.astype(np.int64)
        frac = place - index
        saw = table[index] + (table[index + 1] - table[index]) * frac
        angle = (pan + 1.0) * math.pi / 4.0  # constant power, as the synthesizer pans a voice
        left += saw * (level * math.cos(angle))
        right += saw * (level * math.sin(angle))
    low_cut, bright, settled = _filters(key, rate)
    both = Filter([low_cut])(np.stack([left, right])).astype(np.float64)
    settle = np.exp(-n / (PLUCK_S * rate))
    dark = Filter([settled])(both).astype(np.float64)
    shaped = dark + (Filter([bright])(both) - dark) * settle
    attack = max(1, round(ATTACK_S * rate))
    amplitude = SUSTAIN + (1.0 - SUSTAIN) * np.exp(-n / (DECAY_S * rate))
    amplitude[:attack] *= np.arange(attack) / attack
    return np.asarray(shaped * (amplitude * NORM), dtype=np.float32)
