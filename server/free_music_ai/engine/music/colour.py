"""Colour the synthesizer does not give: lo-fi tape wow and hiss, ambient air, EDM sidechain pumping, and the
chorus a font asks for (the vinyl's clicks are sound_design.crackle).

Each one follows the piece's own clock (the absolute sample position), not the number of samples an effect has
processed, so a stretch played on another core sounds exactly as it would in one pass.
"""

from __future__ import annotations

import math
import random

import numpy as np

from free_music_ai.engine.dsp.dynamics import Compressor
from free_music_ai.engine.dsp.echo import read_at, read_between
from free_music_ai.engine.dsp.eq import Filter, highpass
from free_music_ai.engine.grid_lines import grid_lines
from free_music_ai.engine.music.spec import Genre

WOW_DEPTH_S, WOW_SPEED_HZ = 0.0012, 0.55
# FluidSynth's default chorus: three voices, 0.3 Hz, about 8 ms deep; here around a 12 ms delay
CHORUS_VOICES, CHORUS_HZ, CHORUS_CENTRE_S, CHORUS_DEPTH_S = 3, 0.3, 0.012, 0.004
CHORUS_HISTORY = 1024  # more than the longest delay, 16 ms
CHORUS_CHUNK = 48_000
SWING_STEP = 32  # samples between the points where the chorus's swing is worked out


def tape_wow_block(block: np.ndarray, history: np.ndarray, start: int, *, rate: int,
                   seed: int) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """A slow pitch wobble (a worn tape or record) on channel-first ``block`` (samples from ``start``): read
    at a wavering speed, never ahead of the tape, so only ``history`` (the end of the block before) is needed.
    Returns the block and the history for the next one."""
    rng = random.Random(seed)
    phase_a, phase_b = rng.uniform(0, 6.28), rng.uniform(0, 6.28)
    n, behind = block.shape[1], history.shape[1]
    t = (start + np.arange(n, dtype=np.float64)) / rate
    wobble = WOW_DEPTH_S * (np.sin(2 * math.pi * WOW_SPEED_HZ * t + phase_a)
                            + 0.4 * np.sin(2 * math.pi * WOW_SPEED_HZ * 2.7 * t + phase_b))  # fmt: skip
    positions = np.clip((t + wobble - WOW_DEPTH_S * 1.4) * rate - start + behind, 0, behind + n - 1)
    tape = np.concatenate([history, block], axis=1)
    index = np.arange(behind + n, dtype=np.float64)
    out = np.stack([np.interp(positions, index, channel).astype(np.float32) for channel in tape])
    return out, np.ascontiguousarray(block[:, n - behind :]) if n >= behind else tape[:, -behind:]


def chorus_block(send: np.ndarray, history: np.ndarray, start: int, *, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The chorus's wet output, channel-first, for the mono ``send`` (samples from ``start``): three copies read
    at slowly swinging delays a third of a cycle apart, one to each side and one to both. ``history`` is the end
    of the send before; returns the output and the history for the next block. Worked a second at a time, so
    its float64 positions cost a few megabytes whatever the block.

    The swing is worked out every SWING_STEP samples of the piece's clock and followed in straight lines
    between (its delay bends by at most 3e-7 samples per sample squared, so the lines are off by less than
    4e-5 of a sample), and each copy reads between two samples by a straight line too."""
    n, behind = len(send), len(history)
    line = np.concatenate([history, send])
    out = np.empty((2, n), dtype=np.float32)
    for first in range(0, n, CHORUS_CHUNK):
        last = min(n, first + CHORUS_CHUNK)
        here = np.arange(behind + first, behind + last, dtype=np.float64)  # places in ``line``
        anchor = (start + first) // SWING_STEP * SWING_STEP  # the control points sit on the piece's clock
        skip = start + first - anchor
        rows = -(-(skip + last - first) // SWING_STEP)
        points = (anchor + SWING_STEP * np.arange(rows + 1, dtype=np.float64)) / rate
        copies = []
        for voice in range(CHORUS_VOICES):
            swing = np.sin(2 * math.pi * (CHORUS_HZ * points + voice / CHORUS_VOICES))
            delay = (CHORUS_CENTRE_S + CHORUS_DEPTH_S * swing) * rate
            at = read_at(here, grid_lines(delay, SWING_STEP, skip=skip, length=last - first))
            copies.append(read_between(line, *at))
        middle = copies[1] * np.float32(0.5)
        for side, copy in ((0, copies[0]), (1, copies[2])):
            copy += middle
            np.divide(copy, np.float32(1.5), out=out[side, first:last])
    return out, np.ascontiguousarray(line[-behind:])


AIR_CHUNK = 4096  # noise is drawn a chunk of the piece's clock at a time, each chunk from its own seed
AIR_HIGHPASS_HZ = 4500.0
AIR_SWELL_S = 9.0  # ambient's air swells and drifts from side to side over this many seconds
# the air under each genre, in dBFS of the mix before its loudness is set: lo-fi's tape hiss, soft but present;
# ambient's breath of wind, which moves. On the bundled font the instruments of both stop short of 6 kHz (lo-fi's
# keys, tune and pad 60-90 dB under their body there; only the hats reach it), so 6-12 kHz sat 33-35 dB (lo-fi) and
# 40 dB (ambient) under 200-2000 Hz; with the air, 24-26 and 25-28 dB on two seeds (issue 27: 26 and 30)
AIR_DB = {Genre.LOFI: -30.0, Genre.AMBIENT: -32.0}


def chunked_noise(start: int, length: int, seed: int) -> np.ndarray:
    """(2, length) white noise for samples [start, start + length) of the piece: any block, from any start, gets
    the same samples, so a stretch played on another core hears what one pass would."""
    first, last = start // AIR_CHUNK, (start + length - 1) // AIR_CHUNK
    noise = np.concatenate([np.random.default_rng((seed, k)).standard_normal((2, AIR_CHUNK), dtype=np.float32)
                            for k in range(first, last + 1)], axis=1)  # fmt: skip
    skip = start - first * AIR_CHUNK
    return noise[:, skip : skip + length]


class Air:
    """High-passed noise under the music: a tape's hiss, or air that swells and drifts across the stereo field."""

    def __init__(self, level_db: float, *, moving: bool, seed: int, rate: int) -> None:
        self.level = 10.0 ** (level_db / 20.0)
        self.moving, self.seed, self.rate = moving, seed, rate
        self.filter = Filter([highpass(AIR_HIGHPASS_HZ, rate), highpass(AIR_HIGHPASS_HZ, rate)])

    def __call__(self, start: int, length: int) -> np.ndarray:
        air = self.filter(chunked_noise(start, length, self.seed))
        if not self.moving:
            return air * np.float32(self.level)
        t = (start + np.arange(length, dtype=np.float64)) / self.rate
        for side in range(2):  # the two sides a third of a cycle apart: it wanders, never quite still
            swell = 0.55 + 0.45 * np.sin(2 * math.pi * t / AIR_SWELL_S + side * 2.1)
            air[side] *= (self.level * swell).astype(np.float32)
        return air


def air_for(genre: Genre, seed: int, rate: int) -> Air | None:
    level = AIR_DB.get(genre)
    return None if level is None else Air(level, moving=genre == Genre.AMBIENT, seed=seed, rate=rate)


def pump(rate: int) -> Compressor:
    """The breathing of dance music: a compressor on the band keyed by the kick drum's own sound. A kick at
    -6 dBFS (a strong one, before the master's level) ducks the band by about 9 dB, a soft one by 4-6; it
    swells back as the kick dies away and the detector releases (150 ms)."""
    return Compressor(threshold_db=-24.0, ratio=2.0, attack_s=0.004, release_s=0.15, rate=rate)
