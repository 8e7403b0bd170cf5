"""Where people speak: a voice activity detector that tells speech from music and noise.

Why our own: the detectors with wheels everywhere are either fooled by music and noise (WebRTC's VAD calls
97 % of music "speech") or need a neural runtime of hundreds of megabytes (Silero needs torch). Speech
differs from music in ways a few numbers show, each over a one-second window:
- it comes in syllables, 3-8 a second, with deep dips between them (music sustains);
- it is voiced only part of the time (40-85 %: consonants and pauses), where instruments hold notes and
  noise is never voiced;
- its voiced stretches are short (syllables), and its pitch glides (intonation) instead of holding
  steady notes.
Each window gets a score from these; speech is where the score stays high, in segments of at least 0.4 s.
"""

from __future__ import annotations

import numpy as np

RATE = 8_000  # speech's pitch and syllables live below 4 kHz
FRAME = 256  # 32 ms
HOP = 80  # 10 ms
WINDOW_FRAMES = 100  # 1 s
MIN_SPEECH_S = 0.4
MERGE_GAP_S = 0.35


def _frames(signal: np.ndarray) -> np.ndarray:
    if len(signal) < FRAME:
        signal = np.pad(signal, (0, FRAME - len(signal)))
    return np.lib.stride_tricks.sliding_window_view(signal, FRAME)[::HOP]


def frame_features(signal: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per 10 ms: level (dB), voicing strength (0..1) and pitch (Hz, 0 when unvoiced)."""
    frames = _frames(signal.astype(np.float32))
    level = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-10)
    windowed = (frames - frames.mean(axis=1, keepdims=True)) * np.hanning(FRAME).astype(np.float32)
    spectrum = np.fft.rfft(windowed, 2 * FRAME, axis=1)
    ac = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :FRAME]
    lo, hi = RATE // 400, RATE // 70  # pitch from 70 to 400 Hz
    energy = ac[:, 0] + 1e-9
    # the analysis window shrinks the autocorrelation with lag: divide by the window's own
    norm = np.correlate(np.hanning(FRAME), np.hanning(FRAME), mode="full")[FRAME - 1 :]
    scaled = ac[:, lo:hi] / (norm[lo:hi] / norm[0])
    lag = np.argmax(scaled, axis=1) + lo
    voicing = np.clip(scaled[np.arange(len(lag)), lag - lo] / energy, 0.0, 1.0)
    voiced = (voicing > 0.5) & (level > level.max() - 45)
    pitch = np.where(voiced, RATE / lag, 0.0)
    return level, np.where(voiced, voicing, 0.0), pitch


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def speech_scores(signal: np.ndarray) -> np.ndarray:
    """A speech score per 10 ms frame (0..1), from the one-second window around it."""
    level, voicing, pitch = frame_features(signal)
    n = len(level)
    voiced = voicing > 0
    active = level > max(level.max() - 40, -65)
    scores = np.zeros(n)
    # voiced-run lengths and pitch glides, per frame
    run_length = np.zeros(n)
    for a, b in _runs(voiced):
        run_length[a:b] = (b - a) * HOP / RATE
    glide = np.zeros(n)
    step = np.abs(np.diff(np.log(np.maximum(pitch, 1.0))))
    both = voiced[1:] & voiced[:-1]
    glide[1:] = both & (step > 0.002) & (step < 0.06)
    half = WINDOW_FRAMES // 2
    centres = range(0, n, 20)  # a score every 0.2 s, spread over its neighbours
    dips = _dips(level, centres, half)
    for centre, dip in zip(centres, dips, strict=True):
        a, b = max(0, centre - half), min(n, centre + half)
        if active[a:b].mean() < 0.3:
            continue
        voiced_share = voiced[a:b].mean()
        runs = run_length[a:b][voiced[a:b]]
        short_runs = float(np.mean(runs < 0.35)) if len(runs) else 0.0
        pairs = both[a : b - 1]
        gliding = float(glide[a + 1 : b][pairs].mean()) if pairs.any() else 0.0
        score = (
            _band(dip, 9, 18)
            * _band_between(voiced_share, 0.25, 0.4, 0.85, 0.95)
            * (0.3 + 0.7 * short_runs)
            * (0.35 + 0.65 * min(1.0, gliding / 0.45))
        )
        scores[max(0, centre - 10) : centre + 10] = score
    return scores


def _dips(level: np.ndarray, centres: range, half: int) -> list[float]:
    """The syllable dips of each centre's window (dB, 90th less 15th percentile of the level): the whole
    windows in one call, the few cut short by either end one by one."""
    n = len(level)
    dips = [0.0] * len(centres)
    whole = [k for k, centre in enumerate(centres) if centre >= half and centre + half <= n]
    if whole:
        windows = np.lib.stride_tricks.sliding_window_view(level, 2 * half)[[centres[k] - half for k in whole]]
        high, low = np.percentile(windows, [90, 15], axis=1)
        for k, dip in zip(whole, (high - low).tolist(), strict=True):
            dips[k] = dip
    for k, centre in enumerate(centres):
        if centre < half or centre + half > n:
            window = level[max(0, centre - half) : min(n, centre + half)]
            dips[k] = float(np.percentile(window, 90) - np.percentile(window, 15))
    return dips


def _band(value: float, low: float, high: float) -> float:
    """0 below ``low``, 1 above ``high``, a straight line between."""
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


def _band_between(value: float, rise_from: float, full_from: float, full_to: float, fall_to: float) -> float:
    if value <= rise_from or value >= fall_to:
        return 0.0
    if value < full_from:
        return (value - rise_from) / (full_from - rise_from)
    if value > full_to:
        return (fall_to - value) / (fall_to - full_to)
    return 1.0


def speech_segments(signal: np.ndarray, threshold: float = 0.35) -> list[tuple[float, float]]:
    """[start, end] seconds of speech in a mono signal at RATE."""
    if len(signal) < RATE // 2 or not np.any(signal):
        return []
    scores = speech_scores(signal)
    smooth = np.convolve(scores, np.ones(30) / 30, mode="same")
    segments: list[tuple[float, float]] = []
    for a, b in _runs(smooth > threshold):
        start, end = a * HOP / RATE, (b * HOP + FRAME) / RATE
        if segments and start - segments[-1][1] < MERGE_GAP_S:
            segments[-1] = (segments[-1][0], end)
        else:
            segments.append((start, end))
    return [(round(s, 2), round(e, 2)) for s, e in segments if e - s >= MIN_SPEECH_S]
