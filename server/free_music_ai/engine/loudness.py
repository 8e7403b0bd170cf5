"""Loudness (ITU-R BS.1770-4 integrated LUFS) and true peak, measured with numpy.

The K-weighting filter is linear and time-invariant, so each 100 ms frame's weighted energy is its
spectrum's energy times |H_K|^2 (Parseval); 400 ms gating blocks are sums of four frames. That is one
batched FFT instead of a sample-by-sample IIR filter, which numpy cannot run fast. The transform is the
frame's own length, so the filter's short tail wraps around inside the frame, standing in for the tail
of the frame before: the result stays within 0.1 LU of a time-domain meter (the tests check it against
pyloudnorm on tones, noise, bursts and music). numpy's FFT releases the GIL, so the batches of frames
are transformed on every core.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from free_music_ai.engine.paged_audio import hand_back

FRAME_S = 0.1
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
# BS.1770 K-weighting at 48 kHz: a high shelf (head effects), then the RLB high-pass.
_SHELF = ((1.53512485958697, -2.69169618940638, 1.19839281085285), (1.0, -1.69065929318241, 0.73248077421585))
_HIGHPASS = ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621))
SUPPORTED_RATE = 48_000


@lru_cache(maxsize=4)
def _k_weighting_power(size: int) -> np.ndarray:
    """|H_K|^2 at the bins of an FFT of ``size`` (read-only: kept for the next call, a music stretch measures every
    5 s block)."""
    z = np.exp(-1j * np.linspace(0, math.pi, size // 2 + 1))
    response = np.ones_like(z)
    for b, a in (_SHELF, _HIGHPASS):
        response *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    power: np.ndarray = np.abs(response) ** 2
    power.setflags(write=False)
    return power


def channels_of(audio: np.ndarray, channels_first: bool) -> list[np.ndarray]:
    """The signal of each channel: audio is (n, channels), or (channels, n) when ``channels_first``."""
    if audio.ndim == 1:
        return [audio]
    return [audio[c] for c in range(audio.shape[0])] if channels_first else [audio[:, c] for c in range(audio.shape[1])]


def frame_energies(audio: np.ndarray, rate: int = SUPPORTED_RATE, channels_first: bool = False, *,
                   workers: int | None = None) -> np.ndarray:  # fmt: skip
    """Mean square of the K-weighted signal per 100 ms frame, summed over channels (a partial last frame is
    left out). Frames are independent, so a gain scales them all alike and an edit re-measures only its own.
    ``workers``: threads to share the batches (default: one per core); 1 for a caller already on every core,
    such as a stretch of the music, for which two new threads per block cost more than they gain."""
    channels = channels_of(audio, channels_first)
    if rate != SUPPORTED_RATE:
        raise ValueError(f"the loudness meter works at {SUPPORTED_RATE} Hz, not {rate}")
    frame = round(FRAME_S * rate)
    count = len(channels[0]) // frame
    size = frame  # 4800 = 2^6 * 3 * 5^2 transforms four times faster than 8192, and is no less exact
    weights = _k_weighting_power(size).astype(np.float32)
    total = np.zeros(count)
    # batches bound the memory for long pieces, and let the cores share the work; cut by the core count alone,
    # so the figures are the same however many threads work them out
    cores = os.cpu_count() or 1
    batch = max(MIN_BATCH, min(MAX_BATCH, -(-count * len(channels) // cores)))
    jobs = [(signal, first) for signal in channels for first in range(0, count, batch)]
    threads = min(workers or cores, len(jobs))

    def energy(job: tuple[np.ndarray, int]) -> tuple[int, np.ndarray]:
        signal, first = job
        frames = signal[first * frame : min(count, first + batch) * frame].reshape(-1, frame)
        spectrum = np.fft.rfft(frames, size, axis=1)
        power = (spectrum.real**2 + spectrum.imag**2) @ weights
        # rfft energy: a bin counts twice except DC and Nyquist; Parseval divides by the FFT size
        power = 2 * power - (np.abs(spectrum[:, 0]) ** 2 * weights[0] + np.abs(spectrum[:, -1]) ** 2 * weights[-1])
        return first, power / size / frame

    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="loudness") as pool:
            results = list(pool.map(energy, jobs))
    else:
        results = [energy(job) for job in jobs]
    for first, power in results:
        total[first : first + len(power)] += power
    return total


MIN_BATCH = 64  # frames per job: smaller ones cost more in hand-over than they gain
MAX_BATCH = 2048


def gated_lufs(frames: np.ndarray) -> float:
    """Integrated loudness of per-frame energies, with the absolute (-70 LUFS) and relative (-10 LU) gates."""
    if len(frames) < 4:
        frames = np.pad(frames, (0, 4 - len(frames)))
    blocks = np.convolve(frames, np.ones(4) / 4, mode="valid")  # 400 ms blocks, 75 % overlap
    loudness = -0.691 + 10 * np.log10(np.maximum(blocks, 1e-20))
    gated = blocks[loudness > ABSOLUTE_GATE]
    if len(gated) == 0:
        return float("-inf")
    relative = -0.691 + 10 * math.log10(float(np.mean(gated))) + RELATIVE_GATE
    final = blocks[(loudness > ABSOLUTE_GATE) & (loudness > relative)]
    return float(-0.691 + 10 * math.log10(float(np.mean(final))))


def integrated_lufs(audio: np.ndarray, rate: int = SUPPORTED_RATE, channels_first: bool = False) -> float:
    """Integrated loudness (BS.1770-4); -inf for silence."""
    return gated_lufs(frame_energies(audio, rate, channels_first))


@lru_cache(maxsize=4)
def _interpolation_kernel(oversample: int, taps: int) -> np.ndarray:
    """Windowed-sinc weights for the points between samples, one row per fractional position (read-only:
    shared by every caller)."""
    half = taps // 2
    offsets = np.arange(-half + 1, half + 1)
    rows = []
    for k in range(1, oversample):
        x = offsets - k / oversample
        rows.append(np.sinc(x) * np.kaiser(taps, 8.0))
    kernel = np.array(rows)
    kernel.flags.writeable = False
    return kernel


def _overshoots(
    signal: np.ndarray, threshold: float, oversample: int = 4, taps: int = 32
) -> tuple[np.ndarray, np.ndarray]:
    """Indexes and peak levels of the spots where the reconstructed waveform rises above ``threshold``.

    Only samples above half the threshold can have an inter-sample peak above it, so only their
    neighbourhoods are interpolated (4x, windowed sinc), on both sides of each sample.
    """
    kernel = _interpolation_kernel(oversample, taps)
    half = taps // 2
    padded = np.pad(signal, (half, half))
    candidates = np.flatnonzero(np.abs(signal) > threshold * 0.5)
    found_at: list[np.ndarray] = []
    found_peak: list[np.ndarray] = []
    for first in range(0, len(candidates), 16384):
        index = candidates[first : first + 16384]
        after = np.abs(padded[index[:, None] + half + np.arange(-half + 1, half + 1)] @ kernel.T).max(axis=1)
        before = np.abs(padded[index[:, None] + half + np.arange(-half, half)] @ kernel.T).max(axis=1)
        peak = np.maximum(np.maximum(after, before), np.abs(signal[index]))
        over = peak > threshold
        found_at.append(index[over])
        found_peak.append(peak[over])
    if not found_at:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(found_at), np.concatenate(found_peak)


def true_peak_db(audio: np.ndarray, channels_first: bool = False, workers: int | None = None, *,
                 context: int = 0, until: int | None = None) -> float:  # fmt: skip
    """The highest level of the reconstructed waveform (4x oversampled), in dBTP, of the samples from ``context`` up
    to ``until``; those around them are only read. A meter fed in pieces reads the end of the piece before and the
    start of the next so: read as a sound's start or end, a piece had silence beside it, and its points between
    samples at the join rose where the sound had none (0.1 dB over the file decoded whole, on a limited piece).

    Points between samples are interpolated with the same windowed sinc as ``_overshoots``, only where they
    could rise above the highest sample (``_piece_true_peak``). The pieces are shared among the cores (numpy
    lets go of the GIL), and a buffer that lives in a file gets each piece's pages back as soon as it is
    measured.
    """
    channels = channels_of(audio, channels_first)
    length = len(channels[0])
    end = length if until is None else until
    pieces = list(range(context, end, PEAK_CHUNK))
    count = max(1, min(workers or os.cpu_count() or 1, len(pieces)))

    def stretch(k: int) -> float:
        peak = 0.0
        for start in pieces[k::count]:
            lo, hi = max(0, start - PEAK_CONTEXT), min(length, start + PEAK_CHUNK + PEAK_CONTEXT)
            own = slice(start - lo, start - lo + min(PEAK_CHUNK, end - start))
            for signal in channels:
                peak = max(peak, _piece_true_peak(np.ascontiguousarray(signal[lo:hi], dtype=np.float32), own))
            if not channels_first:
                hand_back(audio, lo, hi)
        return peak

    if count == 1:
        peak = stretch(0)
    else:
        with ThreadPoolExecutor(max_workers=count, thread_name_prefix="true-peak") as pool:
            peak = max(pool.map(stretch, range(count)))
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def _piece_true_peak(block: np.ndarray, own: slice) -> float:
    """The highest sample or point between samples in ``block[own]`` (the rest is context).

    A point between samples is a weighted sum of the 32 samples around it, so it can rise above the highest
    sample only where those samples reach that level over the weights' largest total (2.37): elsewhere it is
    not computed. On music limited to a ceiling about a sixth of the stretches qualify; each of their points
    is its 32 samples times the weights, all in one matrix product (where most qualify, everything is
    convolved instead)."""
    kernel, gain = _peak_kernel()
    mine = block[own]
    peak = max(float(mine.max()), -float(mine.min())) if len(mine) else 0.0
    if peak <= 0.0:
        return peak
    group_max = _group_peaks(block)
    groups = len(group_max)
    near = group_max.copy()  # a point's 32 samples lie in its own group of 16 and the two either side
    np.maximum(near[1:], group_max[:-1], out=near[1:])
    np.maximum(near[:-1], group_max[1:], out=near[:-1])
    chosen = np.flatnonzero(near * gain > peak)
    if len(chosen) > groups * GATHER_UP_TO:
        return max(peak, _convolved_peak(block, own))
    points = (chosen[:, None] * PEAK_GROUP + np.arange(PEAK_GROUP)).reshape(-1)
    points = points[(points >= own.start) & (points < own.stop)]
    half = PEAK_TAPS // 2
    padded = np.zeros(len(block) + 2 * half, dtype=np.float32)  # silence beyond the block, as a convolution has
    padded[half : half + len(block)] = block
    taps = np.arange(1, PEAK_TAPS + 1)  # the point after sample i reads samples i - 15 .. i + 16
    for first in range(0, len(points), PEAK_POINTS_AT_ONCE):
        around = padded[points[first : first + PEAK_POINTS_AT_ONCE, None] + taps]
        peak = max(peak, float(np.max(np.abs(around @ kernel))))
    return peak


def _group_peaks(block: np.ndarray) -> np.ndarray:
    """The highest magnitude in each group of PEAK_GROUP samples (the last may be shorter), read in place."""
    whole = len(block) // PEAK_GROUP * PEAK_GROUP
    grouped = block[:whole].reshape(-1, PEAK_GROUP)
    peaks: np.ndarray = np.maximum(grouped.max(axis=1), -grouped.min(axis=1))
    if whole < len(block):
        peaks = np.append(peaks, np.abs(block[whole:]).max())
    return peaks


def _convolved_peak(block: np.ndarray, own: slice) -> float:
    """The highest point between samples in ``block[own]``, every one computed: one convolution in C per
    position between samples, cheaper than gathering when most stretches qualify (noise, a loud square)."""
    kernel, _ = _peak_kernel()
    half = PEAK_TAPS // 2
    peak = 0.0
    for weights in kernel.T:  # the value at i + k/4 is the sum of block[i + o] * weights[o], o in -15..16
        between = np.convolve(block, weights[::-1], mode="full")[half : half + len(block)]
        peak = max(peak, float(np.max(np.abs(between[own]))))
    return peak


@lru_cache(maxsize=1)
def _peak_kernel() -> tuple[np.ndarray, float]:
    """The weights of the three points between two samples, one column each (float32), and the largest total
    of one column's magnitudes, a hair over (so rounding never hides a point)."""
    kernel = _interpolation_kernel(4, PEAK_TAPS)
    gain = float(np.abs(kernel).sum(axis=1).max()) * 1.001
    weights = np.ascontiguousarray(kernel.T, dtype=np.float32)
    weights.flags.writeable = False
    return weights, gain


PEAK_TAPS = 32
PEAK_GROUP = 16  # samples judged together by their loudest
PEAK_POINTS_AT_ONCE = 1 << 13  # points interpolated per matrix product: 1 MB of samples gathered
GATHER_UP_TO = 1 / 3  # share of stretches past which convolving everything is cheaper (measured: 2.9x per point)
PEAK_CHUNK = 1 << 20  # samples per piece: a core measures one, then hands its pages back
PEAK_CONTEXT = 64  # more than the interpolation's 16 taps either side


def repair_true_peaks(
    audio: np.ndarray,
    ceiling_db: float,
    *,
    width_s: float = 0.002,
    rate: int = SUPPORTED_RATE,
    judged: tuple[int, int] | None = None,
) -> np.ndarray:
    """Lower the gain smoothly (a 2 ms dip, both channels alike) wherever the reconstructed waveform of
    channel-first ``audio`` would pass ``ceiling_db``. Far cheaper than oversampling a whole limiter.

    ``judged`` limits which overshoots count (by index) when ``audio`` is one block of a stream: the others
    lack a neighbour and are judged in the block before or after."""
    gain = true_peak_gain(audio, ceiling_db, width_s=width_s, rate=rate, judged=judged)
    if gain is None:
        return audio.copy()
    repaired: np.ndarray = audio * gain
    return repaired


def true_peak_gain(
    audio: np.ndarray,
    ceiling_db: float,
    *,
    width_s: float = 0.002,
    rate: int = SUPPORTED_RATE,
    judged: tuple[int, int] | None = None,
) -> np.ndarray | None:
    """The gain curve ``repair_true_peaks`` applies to channel-first ``audio``; None where nothing passes."""
    ceiling = 10 ** (ceiling_db / 20)
    half = max(2, round(width_s * rate / 2))
    dip_shape = np.hanning(2 * half + 1)
    gain: np.ndarray | None = None
    for signal in audio:
        where, peaks = _overshoots(signal, ceiling)
        if judged is not None:
            chosen = (where >= judged[0]) & (where < judged[1])
            where, peaks = where[chosen], peaks[chosen]
        if len(where) and gain is None:
            gain = np.ones(audio.shape[1], dtype=np.float32)
        for index, peak in zip(where.tolist(), peaks.tolist(), strict=True):
            assert gain is not None
            needed = ceiling / peak * 0.995
            lo, hi = max(0, index - half), min(len(gain), index + half + 1)
            window = 1.0 - (1.0 - needed) * dip_shape[lo - (index - half) : hi - (index - half)]
            np.minimum(gain[lo:hi], window.astype(np.float32), out=gain[lo:hi])
    return gain
