"""Measurements of music made outside the code under test: loudness, true peak, onsets, key, brightness."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import soundfile

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe

RATE = 48_000
HOP = 480  # 10 ms


def ebur128(audio: np.ndarray, work: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter measures them."""
    path = work / "measure.wav"
    soundfile.write(str(path), audio, RATE, subtype="FLOAT")
    return ebur128_of_file(path)


def ebur128_of_file(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of a file's sound (a WAV, an M4A, an MP4...), by ffmpeg."""
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)  # fmt: skip
    summary = done.stderr[done.stderr.rfind("Summary:") :]
    lufs = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return lufs, peak


def onset_envelope(audio: np.ndarray) -> np.ndarray:
    """Spectral flux every 10 ms: how much new energy appears, summed over frequencies (half-wave rectified)."""
    mono = audio.mean(axis=1)
    frames = np.lib.stride_tricks.sliding_window_view(mono, 2048)[::HOP]
    spectrum = np.log1p(100 * np.abs(np.fft.rfft(frames * np.hanning(2048), axis=1)))
    flux = np.maximum(0, np.diff(spectrum, axis=0)).sum(axis=1)
    return np.concatenate([[0.0], flux])


def onset_periodicity(audio: np.ndarray, beat_s: float) -> float:
    """How machine-regular the onsets are at the beat: the normalized autocorrelation of the onset envelope at
    the beat period (searched +-10 %). A click track scores near 1; played music with varied rhythm, accents
    and timing scores lower."""
    env = onset_envelope(audio)
    # subtract the local mean (0.5 s): slow swells (a pad fading in) are not onsets and must not count
    local = np.convolve(env, np.ones(50) / 50, mode="same")
    env = np.maximum(0.0, env - local)
    env = env - env.mean()
    ac = np.correlate(env, env, mode="full")[len(env) - 1 :]
    ac = ac / ac[0]
    lag = beat_s * RATE / HOP
    window = ac[int(lag * 0.9) : int(lag * 1.1) + 2]
    return float(window.max())


def onset_near(audio: np.ndarray, time_s: float, tolerance_s: float = 0.03) -> float:
    """The strongest onset within the tolerance of ``time_s``, relative to the median onset strength."""
    env = onset_envelope(audio)
    centre = round(time_s * RATE / HOP)
    reach = round(tolerance_s * RATE / HOP) + 1
    local = env[max(0, centre - reach) : centre + reach + 1]
    return float(local.max() / (np.median(env[env > 0]) + 1e-9))


_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def estimate_key(audio: np.ndarray) -> tuple[int, str]:
    """Krumhansl-Schmuckler key finding on a chroma vector from the long-term spectrum."""
    mono = audio.mean(axis=1)
    frames = np.lib.stride_tricks.sliding_window_view(mono, 8192)[::4096]
    power = (np.abs(np.fft.rfft(frames * np.hanning(8192), axis=1)) ** 2).mean(axis=0)
    freqs = np.fft.rfftfreq(8192, 1 / RATE)
    chroma = np.zeros(12)
    band = (freqs > 60) & (freqs < 2000)
    pcs = (np.round(12 * np.log2(freqs[band] / 440.0)) + 9) % 12
    np.add.at(chroma, pcs.astype(int), np.sqrt(power[band]))
    best = max(
        ((np.corrcoef(chroma, np.roll(profile, tonic))[0, 1], tonic, mode)
         for tonic in range(12) for profile, mode in ((_MAJOR, "major"), (_MINOR, "minor"))),
    )  # fmt: skip
    return best[1], best[2]


def spectral_centroid(audio: np.ndarray) -> float:
    mono = audio.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono))
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    return float((spectrum * freqs).sum() / spectrum.sum())


def rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x))) + 1e-12))


def short_term_loudness(audio: np.ndarray, work: Path) -> tuple[np.ndarray, np.ndarray]:
    """ffmpeg's ebur128 short-term loudness (3 s windows, LUFS) every 100 ms: the times and the values."""
    path = work / "short-term.wav"
    soundfile.write(str(path), audio, RATE, subtype="FLOAT")
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af",
                           "ebur128=metadata=1,ametadata=print:key=lavfi.r128.S", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    # each frame's time and its value read as a pair: silence reads "nan", which must not shift the later values
    pairs = re.findall(r"pts_time:([\d.]+)\s*\n[^\n]*lavfi\.r128\.S=(\S+)", done.stderr)
    times = np.array([float(t) for t, _ in pairs])
    values = np.array([float(v) for _, v in pairs])
    return times, np.where(np.isnan(values), -np.inf, values)


def onset_time(audio: np.ndarray, time_s: float, reach_s: float = 0.06) -> float:
    """When the biggest attack within ``reach_s`` of ``time_s`` happens, to the millisecond: the power in 4 ms
    windows every millisecond, and where the 20 ms after rise most over the 20 ms before (a broadband measure
    held over 20 ms: a hiss, a vinyl click or a riser's grain does not move it; a struck chord does)."""
    mono = audio.mean(axis=1).astype(np.float64)
    step, window, span = RATE // 1000, RATE // 250, 20
    lo = max(0, round((time_s - reach_s) * RATE) - span * step)
    hi = min(len(mono) - window, round((time_s + reach_s) * RATE) + span * step)
    starts = np.arange(lo, hi, step)
    power = np.array([np.mean(mono[k : k + window] ** 2) for k in starts]) + 1e-12
    level = 10 * np.log10(power)
    rise = np.array([level[k : k + span].mean() - level[k - span : k].mean() for k in range(span, len(level) - span)])
    return float(starts[span + int(np.argmax(rise))] / RATE)


def alike_phrase_pairs(audio: np.ndarray, beats_s: tuple[float, ...], end_s: float) -> list[bool]:
    """The music report's rep%, heard with librosa: for each pair of non-adjacent 4-bar phrases (counted from the
    first bar), whether their bar-by-bar constant-Q chroma is more than 0.9 alike. ``beats_s``: the piece's beats;
    ``end_s``: where its last bar ends (its final chord)."""
    import itertools

    import librosa  # the dev extra installs it (the music report's ear)

    y = librosa.resample(audio.mean(axis=1), orig_sr=RATE, target_sr=22050)
    chroma = librosa.feature.chroma_cqt(y=y, sr=22050, hop_length=512)
    times = librosa.frames_to_time(np.arange(chroma.shape[1]), sr=22050, hop_length=512)
    edges = [*beats_s[::4], end_s]
    spans = [(times >= a) & (times < b) for a, b in itertools.pairwise(edges)]
    bars = np.array([chroma[:, at].mean(axis=1) if at.any() else np.zeros(12) for at in spans])
    bars /= np.linalg.norm(bars, axis=1, keepdims=True) + 1e-9
    phrases = [bars[i : i + 4].reshape(-1) for i in range(0, len(bars) - 3, 4)]
    pairs = [(a, b) for i, a in enumerate(phrases) for b in phrases[i + 2 :]]
    return [float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))) > 0.9 for a, b in pairs]
