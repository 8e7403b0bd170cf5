"""Equalisers: first- and second-order high- and low-pass filters (6 and 12 dB per octave, -3 dB at the cutoff),
shelving filters (Bristow-Johnson's cookbook, slope 1) and its peaking filter, cascaded as second-order sections,
each run as the sum of its one-pole parts in numpy (recursive.py)."""

from __future__ import annotations

import math

import numpy as np

from free_music_ai.engine.dsp.recursive import ParallelSection, Section

__all__ = ["Filter", "Section", "high_shelf", "highpass", "highpass2", "low_shelf", "lowpass", "lowpass2", "peaking"]


def highpass(cutoff_hz: float, rate: int) -> Section:
    """A first-order high-pass (the bilinear transform of s / (s + wc), prewarped)."""
    k = math.tan(math.pi * min(cutoff_hz, 0.49 * rate) / rate)
    norm = 1.0 / (1.0 + k)
    return (norm, -norm, 0.0, 1.0, (k - 1.0) * norm, 0.0)


def lowpass(cutoff_hz: float, rate: int) -> Section:
    """A first-order low-pass (the bilinear transform of wc / (s + wc), prewarped)."""
    k = math.tan(math.pi * min(cutoff_hz, 0.49 * rate) / rate)
    norm = 1.0 / (1.0 + k)
    return (k * norm, k * norm, 0.0, 1.0, (k - 1.0) * norm, 0.0)


def _second_order(cutoff_hz: float, rate: int, high: bool) -> Section:
    w0 = 2.0 * math.pi * min(cutoff_hz, 0.49 * rate) / rate
    cos, alpha = math.cos(w0), math.sin(w0) / math.sqrt(2.0)  # Q = 1/sqrt(2): Butterworth, no peak at the cutoff
    a0 = 1.0 + alpha
    edge = (1.0 + cos) / 2.0 if high else (1.0 - cos) / 2.0
    b1 = -(1.0 + cos) if high else 1.0 - cos
    return (edge / a0, b1 / a0, edge / a0, 1.0, -2.0 * cos / a0, (1.0 - alpha) / a0)


def lowpass2(cutoff_hz: float, rate: int) -> Section:
    """A second-order Butterworth low-pass (12 dB per octave, -3 dB at the cutoff; the cookbook's, Q 0.707)."""
    return _second_order(cutoff_hz, rate, high=False)


def highpass2(cutoff_hz: float, rate: int) -> Section:
    """A second-order Butterworth high-pass (12 dB per octave, -3 dB at the cutoff)."""
    return _second_order(cutoff_hz, rate, high=True)


def _shelf(cutoff_hz: float, gain_db: float, rate: int, high: bool) -> Section:
    amp = 10.0 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * cutoff_hz / rate
    cos, alpha = math.cos(w0), math.sin(w0) / math.sqrt(2.0)  # slope 1
    root = 2.0 * math.sqrt(amp) * alpha
    sign = 1.0 if high else -1.0  # the high shelf is the low shelf with the (A - 1) cos terms' signs turned
    b0 = amp * ((amp + 1) + sign * (amp - 1) * cos + root)
    b1 = -2.0 * sign * amp * ((amp - 1) + sign * (amp + 1) * cos)
    b2 = amp * ((amp + 1) + sign * (amp - 1) * cos - root)
    a0 = (amp + 1) - sign * (amp - 1) * cos + root
    a1 = 2.0 * sign * ((amp - 1) - sign * (amp + 1) * cos)
    a2 = (amp + 1) - sign * (amp - 1) * cos - root
    return (b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0)


def low_shelf(cutoff_hz: float, gain_db: float, rate: int) -> Section:
    """Lifts (or cuts) everything below ``cutoff_hz`` by ``gain_db``; half of it at the cutoff."""
    return _shelf(cutoff_hz, gain_db, rate, high=False)


def high_shelf(cutoff_hz: float, gain_db: float, rate: int) -> Section:
    """Lifts (or cuts) everything above ``cutoff_hz`` by ``gain_db``; half of it at the cutoff."""
    return _shelf(cutoff_hz, gain_db, rate, high=True)


def peaking(centre_hz: float, gain_db: float, rate: int, *, q: float) -> Section:
    """Lifts (or cuts) a band around ``centre_hz`` by ``gain_db``, ``q`` its sharpness (the cookbook's peaking EQ)."""
    amp = 10.0 ** (gain_db / 40.0)
    w0 = 2.0 * math.pi * centre_hz / rate
    cos, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
    a0 = 1.0 + alpha / amp
    return ((1.0 + alpha * amp) / a0, -2.0 * cos / a0, (1.0 - alpha * amp) / a0, 1.0, -2.0 * cos / a0,
            (1.0 - alpha / amp) / a0)  # fmt: skip


class Filter:
    """Sections in cascade over (channels, n) blocks, keeping each section's state between blocks. Computed in
    float64 (a 32 Hz pole sits 0.004 from the unit circle at 48 kHz, too close for float32) and handed back as
    float32. Each section runs as the sum of its one-pole parts (recursive.py)."""

    def __init__(self, sections: list[Section], channels: int = 2) -> None:
        self.sections = [ParallelSection(section, channels) for section in sections]

    def __call__(self, block: np.ndarray) -> np.ndarray:
        signal = block if block.dtype == np.float32 else np.asarray(block, dtype=np.float64)  # the first reads float32
        for section in self.sections:
            signal = section(signal)
        return signal.astype(np.float32)
