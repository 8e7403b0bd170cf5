"""Measures heard in the stems (numpy; librosa only for the pitch track): the lead against the band in the
presence range, and the 808 (a sustained sub-bass tone) and its glides on the bass stem.

- lead_against_band: lead stem over the sum of every other stem, 600-5000 Hz, only in the bars the lead plays.
- sub_share: the bass stem's energy under 100 Hz as a share of all of it.
- sub_ring: how long a bass note's sub band (25-100 Hz) stays within 20 dB of its peak (capped at the next note).
- count_glides: continuous pitch slides of 2 semitones or more in a pitch track (the bass stem's, from pyin);
  slides quicker than about 0.1 s cannot be told from a new note and are not counted.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

PRESENCE_HZ = (600.0, 5000.0)
SUB_HZ = 100.0
RING_DROP_DB = 20.0
RING_WINDOW = 4096  # samples at 48 kHz: 85 ms, bins of 11.7 Hz
GLIDE_SEMITONES = 2.0
GLIDE_MIN_TRANSITION_S = 0.2
STEADY_SEMITONES = 0.3  # just over pyin's 0.25-semitone bins: a held tone wobbles by one


def _mono(x: np.ndarray) -> np.ndarray:
    return (x.mean(axis=1) if x.ndim == 2 else x).astype(np.float64)


def band_energy(signal: np.ndarray, rate: int, low: float, high: float) -> float:
    """The energy of ``signal`` between ``low`` and ``high`` Hz (a sum of FFT bin powers)."""
    if len(signal) == 0:
        return 0.0
    power = np.abs(np.fft.rfft(signal)) ** 2
    freqs = np.fft.rfftfreq(len(signal), 1 / rate)
    return float(power[(freqs >= low) & (freqs < high)].sum())


def lead_against_band(stems: dict[str, np.ndarray], rate: int, spans: Sequence[tuple[float, float]]) -> float:
    """dB of the lead stem over the sum of all other stems in 600-5000 Hz, over the spans (seconds) where the
    lead plays; nan without a lead or without such spans."""
    if "lead" not in stems or not spans or len(stems) < 2:
        return float("nan")
    lead = _mono(stems["lead"])
    rest = np.zeros_like(lead)
    for name, stem in stems.items():
        if name != "lead":
            rest += _mono(stem)
    lead_energy = rest_energy = 0.0
    for start, end in spans:
        a, b = max(0, round(start * rate)), min(len(lead), round(end * rate))
        if b - a > rate // 20:
            lead_energy += band_energy(lead[a:b], rate, *PRESENCE_HZ)
            rest_energy += band_energy(rest[a:b], rate, *PRESENCE_HZ)
    if lead_energy <= 0 or rest_energy <= 0:
        return float("nan")
    return float(10 * np.log10(lead_energy / rest_energy))


def sub_share(bass: np.ndarray, rate: int) -> float:
    """Percent of the bass stem's energy (above 20 Hz) that lies under 100 Hz."""
    mono = _mono(bass)
    total = band_energy(mono, rate, 20.0, rate / 2)
    return 100.0 * band_energy(mono, rate, 20.0, SUB_HZ) / total if total > 0 else float("nan")


def sub_envelope(bass: np.ndarray, rate: int, hop_s: float = 0.02) -> tuple[np.ndarray, float]:
    """The 25-100 Hz energy of the bass stem, frame by frame (an 85 ms Hann window every ``hop_s``)."""
    mono = _mono(bass)
    size = RING_WINDOW * rate // 48_000
    hop = round(hop_s * rate)
    if len(mono) < size:
        return np.zeros(0), hop / rate
    frames = np.lib.stride_tricks.sliding_window_view(mono, size)[::hop] * np.hanning(size)
    freqs = np.fft.rfftfreq(size, 1 / rate)
    band = (freqs >= 25.0) & (freqs < SUB_HZ)
    return (np.abs(np.fft.rfft(frames, axis=1)[:, band]) ** 2).sum(axis=1), hop / rate


def sub_ring(bass: np.ndarray, rate: int, onsets: Sequence[float]) -> float:
    """The median time (s) a bass note's sub band stays within 20 dB of its own peak, counted from its onset and
    capped at the next onset (a tone held until the next note rings that long). Notes whose sub peak is more than
    20 dB under the loudest note's (high notes with little sub) are left out; nan when none is left."""
    envelope, hop = sub_envelope(bass, rate)
    if not len(envelope) or not onsets:
        return float("nan")
    # the window is centred half its length after each frame's start
    centre = 0.5 * RING_WINDOW / 48_000
    times = np.arange(len(envelope)) * hop + centre
    starts = sorted(set(onsets))
    rings: list[tuple[float, float]] = []
    for k, onset in enumerate(starts):
        following = starts[k + 1] if k + 1 < len(starts) else onset + 4.0
        near = (times >= onset - 0.05) & (times < min(following, onset + 0.25))
        if not near.any():
            continue
        first = int(np.argmax(near))
        peak_at = first + int(np.argmax(envelope[near]))
        peak = float(envelope[peak_at])
        after = np.nonzero(envelope[peak_at:] < peak * 10 ** (-RING_DROP_DB / 10))[0]
        end = times[peak_at + after[0]] if len(after) else times[-1]
        rings.append((peak, min(float(end), following) - onset))
    if not rings:
        return float("nan")
    loudest = max(p for p, _ in rings)
    kept = [r for p, r in rings if p >= loudest * 10 ** (-RING_DROP_DB / 10)]
    return float(np.median(kept))


def count_glides(semitones: np.ndarray, hop_s: float, min_transition_s: float = GLIDE_MIN_TRANSITION_S) -> int:
    """Continuous pitch slides in a pitch track (MIDI semitones per frame, nan where unvoiced).

    The track is cut into steady stretches (within 0.3 semitone over 30 ms either side). Between two steady
    stretches 2 semitones or more apart, a slide is a passage that is voiced throughout, stays between the two
    pitches and lasts ``min_transition_s`` or more. A pitch tracker smears even a sudden new note over about its
    window: with bass_pitch's settings, tones that step take 0.14-0.15 s from steady to steady, slides of 0.1 s
    take 0.19-0.25 s and of 0.15 s 0.24-0.29 s (measured on sine tones), so slides under 0.1 s read as steps."""
    track = np.asarray(semitones, dtype=np.float64)
    lag = 3
    finite = np.isfinite(track)
    steady = np.zeros(len(track), dtype=bool)
    if len(track) > 2 * lag:
        middle = track[lag:-lag]
        with np.errstate(invalid="ignore"):
            steady[lag:-lag] = (finite[: -2 * lag] & finite[lag:-lag] & finite[2 * lag :]
                                & (np.abs(middle - track[: -2 * lag]) < STEADY_SEMITONES)
                                & (np.abs(track[2 * lag :] - middle) < STEADY_SEMITONES))  # fmt: skip
    marks = np.nonzero(steady)[0]
    glides = 0
    for a, b in itertools.pairwise(marks):
        if b - a < 2 or abs(track[b] - track[a]) < GLIDE_SEMITONES or (b - a) * hop_s < min_transition_s:
            continue
        passage = track[a : b + 1]
        low, high = min(track[a], track[b]) - 0.5, max(track[a], track[b]) + 0.5
        glides += bool(np.isfinite(passage).all() and (passage >= low).all() and (passage <= high).all())
    return glides


def bass_pitch(bass: np.ndarray, rate: int) -> tuple[np.ndarray, float]:
    """The bass stem's pitch track (MIDI semitones, nan where unvoiced) from librosa's pyin: 10 ms frames, a
    128 ms window (two periods of 30 Hz, the lowest 808), the stem resampled to 2 kHz to keep it quick."""
    import librosa

    low_rate = 2000
    y = librosa.resample(_mono(bass), orig_sr=rate, target_sr=low_rate)
    hop = 20
    f0, voiced, _ = librosa.pyin(
        y, fmin=30.0, fmax=300.0, sr=low_rate, frame_length=256, hop_length=hop, resolution=0.25
    )
    f0 = np.where(voiced, f0, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 69 + 12 * np.log2(f0 / 440.0), hop / low_rate


def bass_glides(bass: np.ndarray, rate: int) -> int:
    """Slides of 2 semitones or more heard in the bass stem."""
    track, hop_s = bass_pitch(bass, rate)
    return count_glides(track, hop_s)
