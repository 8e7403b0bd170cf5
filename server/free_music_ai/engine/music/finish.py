"""The last step of a piece or of an export's soundtrack, in place on its one full-length buffer: the fade
into silence, then loudness and peaks (the gain that reaches the target, a brick-wall limiter, and a repair of
the few inter-sample peaks left), streamed in blocks so a 20-minute piece needs no second copy of itself.

The ceiling is held by a brick-wall limiter without make-up gain (engine/dsp/dynamics.py), applied after the
gain that reaches the target loudness. The limiter keeps its state from block to block. The loudness after
limiting is measured on the way; the gain is corrected and the pass run again until both targets hold. A buffer
in memory is limited into a copy, so the pass that lands is kept; a long one (in a file) is measured, and only
its last pass writes.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from free_music_ai.engine.dsp.dynamics import BrickwallLimiter, block_peak
from free_music_ai.engine.loudness import (
    FRAME_S,
    frame_energies,
    gated_lufs,
    integrated_lufs,
    true_peak_db,
    true_peak_gain,
)
from free_music_ai.engine.paged_audio import hand_back, is_paged

CEILING_DB = -1.5  # the limiter's ceiling, a margin below the -1 dBTP promise
PEAK_LIMIT_DB = -1.0
LOUDNESS_TOLERANCE = 0.2
BLOCK = 96_000  # 2 s at 48 kHz: whole 100 ms loudness frames
LOOKAHEAD = 96  # 2 ms: the limiter eases the gain down over this many samples before a peak
RELEASE_S = 0.12
# The peak repair reads 16 samples either side of an overshoot and lowers the gain up to 48 samples either side
MARGIN = 128
DIP = 64


def fade_out(audio: np.ndarray, seconds: float, rate: int) -> None:
    """A cos^2 fade over the last ``seconds`` of (n, 2) ``audio``, in place."""
    fade = min(len(audio), round(seconds * rate))
    if fade > 0:
        curve = np.cos(np.linspace(0, math.pi / 2, fade, dtype=np.float32)) ** 2
        audio[len(audio) - fade :] *= curve[:, None]
        hand_back(audio, len(audio) - fade, len(audio))


def level_in_place(audio: np.ndarray, rate: int, target_lufs: float,
                   *, energies: np.ndarray | None = None) -> tuple[float, float]:  # fmt: skip
    """Reach ``target_lufs`` by gain alone (no limiting); the loudness and the sample peak in dBFS."""
    measured = gated_lufs(energies) if energies is not None else integrated_lufs(audio, rate)
    if not math.isfinite(measured):
        return measured, float("-inf")
    gain = np.float32(10 ** ((target_lufs - measured) / 20))
    peak = 0.0
    for start in range(0, len(audio), BLOCK):  # in blocks: a 20-minute piece gets no second copy of itself
        block = audio[start : start + BLOCK]
        block *= gain
        peak = max(peak, float(np.max(np.abs(block))))
        hand_back(audio, start, start + BLOCK)
    return target_lufs, 20 * math.log10(peak) if peak > 0 else float("-inf")


def normalize_in_place(audio: np.ndarray, rate: int, target_lufs: float, *, energies: np.ndarray | None = None,
                       kept: np.ndarray | None = None) -> tuple[float, float]:  # fmt: skip
    """Reach ``target_lufs`` with true peaks at or below -1 dBTP, on (n, 2) ``audio`` in place; returns the
    loudness and the true peak. ``energies`` are the frames' energies when the caller measured them already;
    ``kept`` as for ``limit_in_place``."""
    return limit_in_place(audio, rate, target_lufs, energies=energies, kept=kept), true_peak_db(audio)


def limit_in_place(audio: np.ndarray, rate: int, target_lufs: float, *, energies: np.ndarray | None = None,
                   kept: np.ndarray | None = None) -> float:  # fmt: skip
    """``normalize_in_place`` without measuring the result's true peak (an export measures its encoded file's
    instead, a pass over the whole mix saved); the loudness.

    ``kept``: the loudness frames (100 ms) the limiting must leave at the level the gain gives them, when only part
    of the piece was asked louder: what the limiter takes from that part is not made up on the rest."""
    if kept is not None and energies is None:
        energies = frame_energies(audio, rate)
    measured = gated_lufs(energies) if energies is not None else integrated_lufs(audio, rate)
    if not math.isfinite(measured):
        return measured
    gain_db = target_lufs - measured
    aim, judged = target_lufs, gated_lufs
    if kept is not None and energies is not None:
        aim, judged = _kept_lufs(energies, kept) + gain_db, functools.partial(_kept_lufs, kept=kept)
    # a buffer in memory is limited into a copy, and the pass that lands is kept instead of run again; a long one
    # (in a file) would need a second file, so its last gain is applied by a pass of its own
    scratch = None if is_paged(audio) else np.empty_like(audio)
    limited = None
    for _ in range(5):
        energies_after = _limit(audio, 10 ** (gain_db / 20), rate, into=scratch)
        miss = aim - judged(energies_after)
        if abs(miss) <= LOUDNESS_TOLERANCE:
            if scratch is not None:
                np.copyto(audio, scratch)
                limited = energies_after
            break
        gain_db += miss * 1.15  # limiting eats part of each boost: aim a little past it
    del scratch
    if limited is None:
        limited = _limit(audio, 10 ** (gain_db / 20), rate, into=audio)
    return gated_lufs(_repair_in_place(audio, rate, limited))


def _kept_lufs(energies: np.ndarray, kept: np.ndarray) -> float:
    count = min(len(energies), len(kept))
    return gated_lufs(energies[:count][kept[:count]])


def _stretches(total: int, rate: int, workers: int | None) -> list[int]:
    """Bounds of one stretch per core, on whole loudness frames."""
    frame = round(FRAME_S * rate)
    frames = total // frame
    count = max(1, min(workers or os.cpu_count() or 1, frames // 300))
    return [frames * k // count * frame for k in range(count)] + [total]


Result = TypeVar("Result")


def _on_each(count: int, job: Callable[[int], Result]) -> list[Result]:
    """``job`` for each of ``count`` stretches, on as many threads, its results in order."""
    if count == 1:
        return [job(0)]
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="finish") as pool:
        return list(pool.map(job, range(count)))


def _limit(audio: np.ndarray, gain: float, rate: int, into: np.ndarray | None,
           workers: int | None = None) -> np.ndarray:  # fmt: skip
    """The gain and the brick-wall limiter over ``audio``, written ``into`` a buffer of its shape (``audio``
    itself, or None for a measurement alone); the frames' energies after it. One stretch per core, each
    limiter first hearing a second of what comes before its stretch: its release is 120 ms, so it is then
    where one pass would have it. The limiter looks LOOKAHEAD samples ahead, read from the buffer."""
    bounds = _stretches(len(audio), rate, workers)
    frame = round(FRAME_S * rate)
    scale = np.float32(gain)
    # what follows each stretch, copied before any stretch writes: the next one may overwrite it meanwhile
    following = [np.ascontiguousarray(audio[end : end + LOOKAHEAD].T) * scale for end in bounds[1:]]
    # with a stretch on every core, each measures its blocks on its own thread (the same figures: loudness.py)
    measuring = 1 if len(bounds) > 2 else None

    def stretch(k: int) -> np.ndarray:
        first, last = bounds[k], bounds[k + 1]
        limiter = BrickwallLimiter(CEILING_DB, RELEASE_S, LOOKAHEAD, rate=rate)
        found: list[np.ndarray] = []
        pending = np.zeros((2, 0), dtype=np.float32)  # own samples limited but not yet measured (part of a frame)
        start = max(0, first - rate)
        while start < last:
            end = min(last, start + BLOCK)
            block = np.ascontiguousarray(audio[start:end].T) * scale
            ahead = np.zeros((2, LOOKAHEAD), dtype=np.float32)  # silence after the end of the piece
            after = following[k] if end == last else np.ascontiguousarray(audio[end : end + LOOKAHEAD].T) * scale
            ahead[:, : after.shape[1]] = after
            block *= limiter.gain(block_peak(np.concatenate([block, ahead], axis=1))).astype(np.float32)
            own = max(start, first) - start
            if own < block.shape[1]:
                if into is not None:
                    into[start + own : end] = block[:, own:].T
                    hand_back(into, start + own, end)
                pending = np.concatenate([pending, block[:, own:]], axis=1)
                whole = pending.shape[1] // frame * frame
                if whole:
                    found.append(frame_energies(pending[:, :whole], rate, channels_first=True, workers=measuring))
                    pending = pending[:, whole:]
            hand_back(audio, start, end)
            start = end
        return np.concatenate(found) if found else np.zeros(0)

    return np.concatenate(_on_each(len(bounds) - 1, stretch))


def _repair_in_place(audio: np.ndarray, rate: int, energies: np.ndarray, workers: int | None = None) -> np.ndarray:
    """The few inter-sample peaks the limiter leaves, repaired (2 ms dips, both channels alike); ``energies``
    (the frames' energies before) with the frames it touched measured again. Each stretch judges the
    overshoots in its own samples and those a little before and after it, reading its neighbours' samples, so
    a dip across a border is applied on both sides; the gains are all found before any is applied."""
    bounds = _stretches(len(audio), rate, workers)
    count = len(bounds) - 1

    def find(k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        dips: list[tuple[np.ndarray, np.ndarray]] = []
        for start in range(bounds[k], bounds[k + 1], BLOCK):
            end = min(bounds[k + 1], start + BLOCK)
            lo, hi = max(0, start - MARGIN), min(len(audio), end + MARGIN)
            gain = true_peak_gain(np.ascontiguousarray(audio[lo:hi].T), PEAK_LIMIT_DB - 0.2, rate=rate,
                                  judged=(start - lo - DIP, end - lo + DIP))  # fmt: skip
            if gain is not None:
                own = gain[start - lo : end - lo]
                where = np.flatnonzero(own < 1.0)
                dips.append((start + where, own[where]))
            hand_back(audio, lo, hi)
        return dips

    found = _on_each(count, find)
    frame = round(FRAME_S * rate)
    touched: set[int] = set()
    for dips in found:
        for where, gain in dips:
            audio[where] *= gain[:, None]
            touched.update((where // frame).tolist())
            if len(where):
                hand_back(audio, int(where[0]), int(where[-1]) + 1)
    out = energies.copy()
    for index in sorted(i for i in touched if i < len(out)):
        out[index] = frame_energies(audio[index * frame : (index + 1) * frame], rate)[0]
        hand_back(audio, (index - 1) * frame, (index + 2) * frame)  # with what the kernel mapped around it
    return out
