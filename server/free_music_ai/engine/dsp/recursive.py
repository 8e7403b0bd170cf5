"""Recursive filters in numpy alone: a block's y[n] = x[n] + a * y[n - 1] worked out at once, for any pole
|a| < 1, real or complex; a second-order section as the sum of two such one-pole filters (its partial
fractions); a running minimum over a window.

scipy.signal has these, but importing it costs 0.65 s and 77 MB (it pulls in scipy.stats), more than the whole
mix's effects cost a minute of music. The one-pole recursion is laid out in chunks of m samples, where the pole's
powers stay within a millionfold: inside a chunk y = a^j * cumsum(x * a^-j), and each chunk then takes what
the one before left, which by then has fallen by a^m (at most a millionth) and is carried exactly by a
scan over the chunks."""

from __future__ import annotations

import math

import numpy as np

SPREAD = math.log(1e6)  # the most a chunk's pole powers may span: cumulative sums keep ~10 digits in float64
MAX_CHUNK = 8192
ACROSS_CHUNK = 64  # a real pole's chunks over a long block (``_one_pole_across``)
ACROSS_MIN = 8192  # samples from which a block is worked across its chunks


def _carry_scan(values: np.ndarray, factor: complex, first: np.ndarray) -> np.ndarray:
    """c[0] = first, c[i] = values[i - 1] + factor * c[i - 1] for i = 1..len(values), over (..., count)
    arrays, by doubling until factor's power is negligible (a few steps for long chunks, where |factor| is a
    millionth or less; a dozen for the short chunks of ``_one_pole_across``)."""
    out = np.concatenate([first[..., None], values], axis=-1)
    span, power = 1, factor
    while span < out.shape[-1] and abs(power) > 1e-30:
        shifted = out[..., :-span] * power
        out[..., span:] += shifted
        span, power = span * 2, power * power
    return out[..., :-1]


def one_pole(x: np.ndarray, pole: complex, state: np.ndarray, *, gain: complex = 1.0,
             add_to: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """y[n] = x[n] + pole * y[n - 1] along the last axis of (channels, n) ``x``; ``state`` is y[-1] per channel.
    Returns ``gain`` * y (a filter's residue, applied with the last scaling: no pass of its own) and y's last value
    per channel (the next block's state). With ``add_to`` (float64, shaped as ``x``), ``gain`` * y (its real part)
    is added into it, and it is what is returned: a block's sum of parts made without a copy of each part."""
    n = x.shape[-1]
    kind = np.complex128 if isinstance(pole, complex) and pole.imag != 0 else np.float64
    pole = pole if kind is np.complex128 else float(pole.real)
    if n == 0:
        return _added(np.zeros(x.shape, dtype=kind), add_to), state
    size = abs(pole)
    if size < 1e-12:
        return _added(np.asarray(x, dtype=np.float64) * gain, add_to), x[..., -1].astype(kind)
    limit = max(1, min(MAX_CHUNK, int(SPREAD / -math.log(size)), n))
    if kind is np.float64 and n >= ACROSS_MIN and complex(gain).imag == 0:
        chunk = min(ACROSS_CHUNK, limit)
        falling: np.ndarray = pole ** np.arange(chunk, dtype=np.float64)  # pole^j
        return _one_pole_across(x, pole, state, float(gain.real), chunk, falling, add_to)
    chunk = next((c for c in range(limit, max(1, limit // 2) - 1, -1) if n % c == 0), limit)  # no padding if it can
    count = -(-n // chunk)
    falling = np.asarray(pole, dtype=kind) ** np.arange(chunk)  # pole^j
    if kind is np.complex128 and chunk <= ACROSS_CHUNK and n >= ACROSS_MIN:  # a high pole's short chunks
        return _one_pole_across(x, pole, state, gain, chunk, falling, add_to)
    if count * chunk == n:
        grid = x.reshape(*x.shape[:-1], count, chunk)
    else:
        padded = np.zeros((*x.shape[:-1], count * chunk), dtype=x.dtype)
        padded[..., :n] = x
        grid = padded.reshape(*x.shape[:-1], count, chunk)
    local = grid * (1.0 / falling)  # the one block-sized array made here: every later step works in it
    np.cumsum(local, axis=-1, out=local)  # each chunk's sum of x[k] pole^-k
    carries = _carry_scan(local[..., -1] * falling[-1], pole**chunk, np.asarray(state, dtype=kind))
    local += (carries * pole)[..., None]  # what the chunk before left, as the recursion carries it
    flat = local.reshape(*x.shape[:-1], count * chunk)
    last = flat[..., n - 1] * falling[(n - 1) % chunk]
    local *= falling if gain == 1.0 else falling * gain
    return _added(flat[..., :n], add_to), last


def _added(part: np.ndarray, add_to: np.ndarray | None) -> np.ndarray:
    if add_to is None:
        return part
    add_to += part.real if np.iscomplexobj(part) else part
    return add_to


def _one_pole_across(x: np.ndarray, pole: complex, state: np.ndarray, gain: complex, chunk: int, falling: np.ndarray,
                     add_to: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """``one_pole`` over a long block in chunks of ``chunk`` (``falling`` = pole^j over one), laid out chunk
    position by chunk: each position is summed across all the chunks at once (one vectorized add over thousands of
    chunks, where numpy's running sum along each chunk adds one number at a time: 3.4 ns a sample, most of a bus
    filter's time), then the chunks are carried by the scan. The same sums, in the same order, as a running sum
    along each chunk: only the layout differs. A real pole's block takes short chunks (ACROSS_CHUNK; a 5 s stereo
    block through a 32 Hz high-pass: 2.4 ms down to 1.7 ms); its sums are rounded in another order than the long
    chunks' (1e-15 of full scale, closer to the recursion). A complex pole's keeps its chunks (short ones only: a high
    shelf's 20 samples, 3.8-5.2 ms down to 2.0-2.6 ms a 5 s stereo block; a call per chunk position does not pay
    for a low shelf's 800)."""
    lead, n = x.shape[:-1], x.shape[-1]
    count = -(-n // chunk)
    if count * chunk == n:
        rows = x.reshape(-1, chunk)
    else:
        padded = np.zeros((*lead, count * chunk), dtype=x.dtype)
        padded[..., :n] = x
        rows = padded.reshape(-1, chunk)
    local = np.empty((chunk, rows.shape[0]), dtype=falling.dtype)  # chunk position by chunk
    if chunk % 8 == 0:  # rows of whole cache lines: written through the transpose, numpy reads them in their order
        np.multiply(rows, 1.0 / falling, out=local.T)  # (a 32 Hz high-pass on 5 s of stereo: 1.6 ms down to 1.4)
    else:
        np.multiply(rows.T, (1.0 / falling)[:, None], out=local)
    for j in range(1, chunk):  # each chunk's running sum of x[k] pole^-k, all chunks at once
        np.add(local[j - 1], local[j], out=local[j])
    first = np.asarray(state, dtype=falling.dtype)
    carries = _carry_scan(local[-1].reshape(*lead, count) * falling[-1], pole**chunk, first)
    local += (carries * pole).reshape(-1)  # what the chunk before left, as the recursion carries it
    end = (n - 1) % chunk
    last = local[end].reshape(*lead, count)[..., (n - 1) // chunk] * falling[end]
    local *= (falling if gain == 1.0 else falling * gain)[:, None]
    if add_to is not None and count * chunk == n and add_to.flags.c_contiguous:
        into = add_to.reshape(-1, chunk)  # added straight from the chunk layout: no block-sized copy in between
        np.add(into, (local.real if np.iscomplexobj(local) else local).T, out=into)
        return add_to, last
    return _added(local.T.reshape(*lead, count * chunk)[..., :n], add_to), last


Section = tuple[float, float, float, float, float, float]  # b0 b1 b2 a0 a1 a2, a0 == 1


class ParallelSection:
    """One second-order section (or a first-order one: b2 = a2 = 0) as a direct gain plus one-pole filters:
    H(z) = direct + sum of residue / (1 - pole z^-1). Its state is each one-pole filter's last output."""

    def __init__(self, section: Section, channels: int) -> None:
        b0, b1, b2, _, a1, a2 = section
        self.terms: list[tuple[complex, complex]] = []  # (residue, pole)
        self.fir = 0.0
        if a2 == 0.0 and b2 == 0.0:  # first order: (b0 + b1 w) / (1 + a1 w), w = z^-1
            if abs(a1) < 1e-9:  # no pole (a low-pass at a quarter of the rate): a two-tap FIR
                self.direct, self.fir = b0, b1
            else:
                self.direct = b1 / a1  # H as w grows without bound
                self.terms.append((complex(b0 - self.direct), complex(-a1)))
        else:  # poles p, q: the roots of z^2 + a1 z + a2; residue at p: N(p) / (p (p - q)), N(z) = b0 z^2 + b1 z + b2
            root = np.sqrt(complex(a1 * a1 - 4.0 * a2))
            poles = ((-a1 + root) / 2.0, (-a1 - root) / 2.0)
            if abs(poles[0] - poles[1]) < 1e-12:
                raise ValueError("a second-order section with a double pole")  # none of our designs has one
            self.direct = b2 / a2
            for pole, other in (poles, poles[::-1]):
                self.terms.append((complex((b0 * pole * pole + b1 * pole + b2) / (pole * (pole - other))), pole))
        self.conjugate = len(self.terms) == 2 and abs(self.terms[0][1].imag) > 1e-15
        used = self.terms[:1] if self.conjugate else self.terms
        self.states = [np.zeros(channels, dtype=np.complex128 if self.conjugate else np.float64) for _ in used]
        self.previous = np.zeros(channels)  # the FIR's last input

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """(channels, n) float64 out; in, float64, or float32 (a filter's first section: read as float64 where it is
        used, the same numbers without a float64 copy of the block)."""
        if self.fir or x.dtype != np.float32:
            x = np.asarray(x, dtype=np.float64)
        y: np.ndarray = np.multiply(x, self.direct, dtype=np.float64)
        if self.fir:
            y[..., 1:] += self.fir * x[..., :-1]
            y[..., 0] += self.fir * self.previous
            self.previous = x[..., -1].copy()
        if self.conjugate:  # conjugate poles: twice the real part of one term
            residue, pole = self.terms[0]
            _, self.states[0] = one_pole(x, pole, self.states[0], gain=2.0 * residue, add_to=y)
            return y
        for k, (residue, pole) in enumerate(self.terms):
            _, self.states[k] = one_pole(x, pole.real, self.states[k], gain=residue.real, add_to=y)
        return y


def running_min(values: np.ndarray, width: int) -> np.ndarray:
    """out[i] = min(values[i : i + width]) for i in range(len(values) - width + 1): van Herk and Gil-Werman's
    prefix and suffix minima over blocks of ``width``, three passes whatever the width."""
    n = len(values)
    count = -(-n // width)
    padded = np.full(count * width, np.inf)
    padded[:n] = values
    blocks = padded.reshape(count, width)
    prefix = np.minimum.accumulate(blocks, axis=1).reshape(-1)
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    last = n - width + 1
    return np.minimum(suffix[:last], prefix[width - 1 : width - 1 + last])
