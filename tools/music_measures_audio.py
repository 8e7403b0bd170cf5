"""Measures heard in the stems (numpy; scipy for the bass's low-pass): the lead against the band in the
presence range, and the 808 (a sustained sub-bass tone) and its glides on the bass stem.

- lead_against_band: lead stem over the sum of every other stem, 600-5000 Hz, only in the bars the lead plays.
- sub_share: the bass stem's energy under 100 Hz as a share of all of it.
- sub_ring: how long a bass note's sub band (25-100 Hz) stays within 20 dB of its peak, over notes with 0.6 s
  or more before the next.
- bass_cycles / count_glides: continuous pitch slides of 2 semitones or more, read cycle by cycle from the bass
  stem low-passed at 250 Hz (sound for a sub bass, close to a sine; a bass rich in harmonics below 250 Hz may
  cross zero more than once a cycle, which reads as noise, never as a slide between steady pitches).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

PRESENCE_HZ = (600.0, 5000.0)
SUB_HZ = 100.0
RING_DROP_DB = 20.0
ROOM_S = 0.6  # a note needs this long before the next to show its ring
RING_WINDOW = 4096  # samples at 48 kHz: 85 ms, bins of 11.7 Hz
GLIDE_SEMITONES = 1.9  # 2 semitones, less what a measured pitch may be off
GATE_DB = 30.0
STEADY_SEMITONES = 0.3


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


def sub_ring(bass: np.ndarray, rate: int, onsets: Sequence[float], room_s: float = ROOM_S) -> float:
    """The median time (s) a bass note's sub band stays within 20 dB of its own peak, counted from its onset, over
    the notes with ``room_s`` or more before the next one (a note cut short by the next cannot show how long it
    rings); capped at the next onset. Notes whose sub peak is more than 20 dB under the loudest note's (high
    notes with little sub) are left out; nan when no note is left."""
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
        if not near.any() or following - onset < room_s:
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


def bass_cycles(bass: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bass stem cycle by cycle: each cycle's start (s), pitch (MIDI semitones; nan where the stem is more
    than 30 dB under its loud cycles, or outside 25-400 Hz) and peak level. A cycle runs from one upward zero
    crossing to the next of the stem low-passed at 250 Hz (zero-phase): a sub bass is close to a sine, so each
    cycle gives its pitch within a few milliseconds, where a pitch tracker's window (pyin's 128 ms for 30 Hz)
    would smear a 70 ms slide into the look of a new note."""
    from scipy.signal import butter, sosfiltfilt  # type: ignore[import-untyped]

    y = sosfiltfilt(butter(4, 250.0, btype="low", fs=rate, output="sos"), _mono(bass))
    negative = np.signbit(y)
    rising = np.nonzero(negative[:-1] & ~negative[1:])[0]
    if len(rising) < 3:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    starts = rising + (-y[rising]) / (y[rising + 1] - y[rising])  # where the line between the samples crosses 0
    peaks = np.maximum.reduceat(np.abs(y), rising)[:-1]
    freq = rate / np.diff(starts)
    loud = peaks >= np.percentile(peaks, 99) * 10 ** (-GATE_DB / 20)
    with np.errstate(divide="ignore"):
        semitones = np.where(loud & (freq >= 25.0) & (freq <= 400.0), 69 + 12 * np.log2(freq / 440.0), np.nan)
    return starts[:-1] / rate, semitones, peaks


def count_glides(times: np.ndarray, semitones: np.ndarray, levels: np.ndarray | None = None) -> int:
    return len(glide_times(times, semitones, levels))


def glide_times(
    times: np.ndarray,
    semitones: np.ndarray,
    levels: np.ndarray | None = None,
    margin: float = 0.4,
    min_span_s: float = 0.025,
) -> list[float]:
    """Where each continuous pitch slide of 2 semitones or more begins (s), in a cycle-by-cycle pitch track:
    each cycle's start (s), pitch (nan where silent) and peak level.

    A cycle is steady when its neighbours are within 0.3 semitone of it. Between two steady cycles 2 semitones
    or more apart, a slide is a passage that sounds throughout, never under half the level of the steady cycle
    before it nor 12 dB over it (a note struck after a silence, or after the one before faded in its release,
    is a new note, even if it drops into its pitch from above as an 808's knock does), stays between the two
    pitches (give or take half a semitone; its first three cycles may stray, where two notes' waves join), and
    on its way to the new pitch (until it first comes within ``margin`` of it: a vibrato there is not the
    slide) passes through two cycles or more strictly between them that last ``min_span_s`` together. A new
    note played legato has one cycle at most that straddles the change, or a few very short ones on a high note
    (the low-pass smears a few milliseconds); a slide, even of 70 ms, holds two or more cycles of a sub bass on
    its way."""
    track = np.asarray(semitones, dtype=np.float64)
    starts = np.asarray(times, dtype=np.float64)
    steady = np.zeros(len(track), dtype=bool)
    if len(track) > 2:
        with np.errstate(invalid="ignore"):
            steady[1:-1] = (np.abs(track[1:-1] - track[:-2]) < STEADY_SEMITONES) & (
                np.abs(track[2:] - track[1:-1]) < STEADY_SEMITONES
            )
    glides: list[float] = []
    for a, b in itertools.pairwise(np.nonzero(steady)[0]):
        low, high = sorted((track[a], track[b]))
        passage = np.arange(a + 1, b)
        if b - a < 2 or high - low < GLIDE_SEMITONES or not np.isfinite(track[passage]).all():
            continue
        if levels is not None:
            before = float(levels[a])
            if float(np.min(levels[passage])) < 0.5 * before or float(np.max(levels[a + 1 : b + 1])) > 4.0 * before:
                continue  # under half: a silence or a release before a new note; 12 dB over: a new note's attack
        stray = (track[passage] < low - 0.5) | (track[passage] > high + 0.5)
        if stray[3:].any():  # only the first cycles may stray: where two notes' waves join
            continue
        passage = passage[~stray]
        # the way there ends where the pitch first reaches the new note (a vibrato on it is not the slide)
        rising = track[b] > track[a]
        there = (track[passage] >= track[b] - margin) if rising else (track[passage] <= track[b] + margin)
        way = passage[: int(np.argmax(there))] if there.any() else passage
        inside = way[(track[way] > low + margin) & (track[way] < high - margin)]
        span = float(np.sum(starts[inside + 1] - starts[inside])) if len(inside) else 0.0
        if len(inside) >= 2 and span >= min_span_s:
            glides.append(float(starts[a + 1]))
    return glides


def bass_glides(bass: np.ndarray, rate: int) -> int:
    """Slides of 2 semitones or more heard in the bass stem."""
    return count_glides(*bass_cycles(bass, rate))
