"""The SoundFont's resonant low-pass, run through its exact frequency response in fixed blocks.

A voice's filter works on a whole waveform at once (we render offline), so it is an overlap-add of FFT blocks
from the voice's start: a sample's value never depends on how long the voice was rendered, and a waveform
rendered longer keeps its first samples bit for bit. Voices that read one sample alike (a piano note's two
layers, each at the few cutoffs its sweep passes) share the forward transforms of that read (``BlockSpectra``).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from free_music_ai.engine.dsp.recursive import ParallelSection

FILTER_OFF_FRACTION = 0.45  # a cutoff this close to Nyquist changes nothing audible
FILTER_OFF_CENTS = 13500  # the spec's default cutoff (19.9 kHz): the font means "no filter"
FILTER_TAIL = 4096
FILTER_BLOCK = 12288  # block + tail = 16384, a fast FFT size
FILTER_SIZE = FILTER_BLOCK + FILTER_TAIL
FILTER_GROUP = 16  # filter blocks transformed at a time: small FFT buffers for long notes
HEAD = 256  # samples ``lowpass_head`` filters


class BlockSpectra:
    """The forward transforms of one signal's filter blocks, each made once, when a filter first needs it."""

    def __init__(self, signal: np.ndarray) -> None:
        self.signal = signal.astype(np.float32, copy=False)
        self._groups: dict[int, np.ndarray] = {}

    def group(self, first: int, rows: int) -> np.ndarray:
        """Spectra of blocks ``first`` .. ``first + rows`` (``first`` a multiple of FILTER_GROUP)."""
        found = self._groups.get(first)
        if found is None:
            count = -(-len(self.signal) // FILTER_BLOCK)
            found = self._groups[first] = _spectra(self.signal, first, min(FILTER_GROUP, count - first))
        return found[:rows]


def _spectra(source: np.ndarray, first: int, rows: int) -> np.ndarray:
    # each block laid out with its tail of zeros, as the transform would pad it (which cost a quarter more)
    blocks = np.zeros((rows, FILTER_SIZE), dtype=np.float32)
    piece = source[first * FILTER_BLOCK : (first + rows) * FILTER_BLOCK]
    whole = len(piece) // FILTER_BLOCK
    blocks[:whole, :FILTER_BLOCK] = piece[: whole * FILTER_BLOCK].reshape(whole, FILTER_BLOCK)
    if whole < rows:  # the signal's last, partial block
        blocks[whole, : len(piece) - whole * FILTER_BLOCK] = piece[whole * FILTER_BLOCK :]
    spectra: np.ndarray = np.fft.rfft(blocks, axis=1)
    return spectra


def lowpass(signal: np.ndarray, cutoff_cents: float, q_cb: float, *, rate: int,
            spectra: BlockSpectra | None = None) -> np.ndarray:  # fmt: skip
    """The SoundFont's two-pole resonant low-pass of ``signal``. ``spectra``: the block transforms of a signal
    that ``signal`` begins (the same read, perhaps longer); its whole blocks are taken from there."""
    cutoff = _cutoff_hz(cutoff_cents, rate)
    if cutoff is None or len(signal) == 0:
        return signal
    response = _lowpass_response(FILTER_SIZE, round(cutoff, 3), round(q_cb, 3), rate)
    source = signal.astype(np.float32, copy=False)
    count = -(-len(source) // FILTER_BLOCK)
    out = np.zeros(count * FILTER_BLOCK + FILTER_TAIL, dtype=np.float32)
    for first in range(0, count, FILTER_GROUP):
        rows = min(FILTER_GROUP, count - first)
        whole = (first + rows) * FILTER_BLOCK <= len(source)  # a last, partial block is this signal's own
        shared = spectra is not None and whole
        transformed = spectra.group(first, rows) if spectra is not None and shared else _spectra(source, first, rows)
        filtered = np.fft.irfft(transformed * response, FILTER_SIZE, axis=1)
        at = first * FILTER_BLOCK
        out[at : at + rows * FILTER_BLOCK] += filtered[:, :FILTER_BLOCK].reshape(-1)
        for k in range(rows):  # each block's ringing spills into the next
            tail_at = at + (k + 1) * FILTER_BLOCK
            out[tail_at : tail_at + FILTER_TAIL] += filtered[k, FILTER_BLOCK:]
    return out[: len(source)]


def filter_q(q_cb: float) -> float:
    """The filter's linear Q as FluidSynth takes the font's resonance: its height in dB over a filter with no
    hump (Q 0.707), so a Q of 0 dB is the smooth Butterworth curve."""
    return float(10.0 ** ((max(0.0, min(96.0, q_cb / 10.0)) - 3.01) / 20.0))


def filter_gain(q_cb: float) -> float:
    """The level the filter gives every voice, cutoff or not: the spec's passband cut of half the resonance
    (in dB), on FluidSynth's Q. Its filter always runs, so a voice with no resonance plays 1.5 dB above the
    sample. A scalar: the mixer applies it with the voice's attenuation."""
    return float(1.0 / math.sqrt(filter_q(q_cb)))


# a piece's filters come back to a few hundred cutoffs (64 missed a third of them on a minute of MuseScore_General's
# pop, half on cinematic, which use about 200); each is 64 KB, 16 MB at most
def lowpass_head(signal: np.ndarray, cutoff_cents: float, q_cb: float, *, rate: int) -> np.ndarray:
    """``lowpass`` over the first HEAD samples of ``signal`` alone (fewer if it is shorter), run as the recursion
    itself, as FluidSynth runs it: a filter-bank level heard only in a voice's first milliseconds (MuseScore's piano
    sweeps through three or four while its modulation envelope opens, within 80 samples) cost a whole block's
    inverse transform each, a quarter of the piano's filtering. It differs from the block transform's samples
    by their float32 rounding (4e-7 of a full-scale signal)."""
    cutoff = _cutoff_hz(cutoff_cents, rate)
    count = min(HEAD, len(signal))
    if cutoff is None or count == 0:
        return signal[:count]
    b0, b1, b2, a0, a1, a2 = _biquad(round(cutoff, 3), round(q_cb, 3), rate)
    head = np.zeros((1, HEAD), dtype=np.float64)  # always HEAD long: the recursion's layout, and so each sample's
    head[0, :count] = signal[:count]  # rounding, does not depend on how long the voice was rendered
    section = ParallelSection((b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0), channels=1)
    filtered: np.ndarray = section(head)[0, :count].astype(np.float32)
    return filtered


def _cutoff_hz(cutoff_cents: float, rate: int) -> float | None:
    """The filter's cutoff in Hz, or None where the font means no filter or it would change nothing audible."""
    cutoff = 8.176 * 2.0 ** (cutoff_cents / 1200.0)
    return None if cutoff_cents >= FILTER_OFF_CENTS or cutoff >= FILTER_OFF_FRACTION * rate else cutoff


def _biquad(cutoff: float, q_cb: float, rate: int) -> tuple[float, float, float, float, float, float]:
    """The RBJ low-pass biquad's b0, b1, b2, a0, a1, a2 at ``cutoff`` Hz, on FluidSynth's Q."""
    q_lin = filter_q(q_cb)
    w0 = 2 * math.pi * max(5.0, cutoff) / rate
    alpha = math.sin(w0) / (2 * q_lin)
    cos_w0 = math.cos(w0)
    return (1 - cos_w0) / 2, 1 - cos_w0, (1 - cos_w0) / 2, 1 + alpha, -2 * cos_w0, 1 - alpha


@lru_cache(maxsize=256)
def _lowpass_response(size: int, cutoff: float, q_cb: float, rate: int) -> np.ndarray:
    """RBJ low-pass biquad H(e^jw) on the rfft bins, on FluidSynth's Q; its passband gain is ``filter_gain``."""
    b0, b1, b2, a0, a1, a2 = _biquad(cutoff, q_cb, rate)
    z = _unit_circle(size)
    response: np.ndarray = (b0 + b1 * z + b2 * z * z) / (a0 + a1 * z + a2 * z * z)
    return response.astype(np.complex64)


@lru_cache(maxsize=2)
def _unit_circle(size: int) -> np.ndarray:
    """z on the rfft bins, the same for every cutoff: its complex exponential was a quarter of the cost of a new
    response, and a piece on MuseScore_General asks for about 200."""
    z: np.ndarray = np.exp(-1j * np.linspace(0, math.pi, size // 2 + 1))
    z.flags.writeable = False
    return z
