"""What moves while a note sounds: the modulation envelope, the vibrato and modulation LFOs (SoundFont 2.04,
sections 8.1.2 and 9.5), and the low-pass filter that follows them.

Strings and flutes get their vibrato here, brass and pianos their brightness that blooms and fades: without
it every note sits perfectly still. Everything here depends only on the time since note-on (the held course
of the modulation envelope), so a modulated waveform is still rendered once per sample, key and velocity and
reused by every note that plays it; only the modulation envelope's own release is not followed (the volume
envelope's release is, in voice.py).

A moving cutoff is rendered as a crossfade between a few exact low-pass responses a half-octave or more apart
(a filter bank), which keeps the whole voice one vectorized pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from free_music_ai.engine.soundfont.generators import Gen

if TYPE_CHECKING:
    from free_music_ai.engine.soundfont.font import VoiceSpec

LFO_BASE_HZ = 8.176  # 0 absolute cents
FILTER_MIN_CENTS, FILTER_MAX_CENTS = 1500.0, 13500.0  # FluidSynth's clamp of the cutoff
BANK_STEP_CENTS = 600.0  # filter-bank levels at least a half-octave apart
BANK_MAX_LEVELS = 9


def _seconds(timecents: float) -> float:
    return float(2.0 ** (max(-12000.0, min(8000.0, timecents)) / 1200.0))


@dataclass(frozen=True)
class Modulation:
    env_to_pitch: float  # cents at full modulation-envelope level
    vib_to_pitch: float  # cents at the vibrato LFO's peak
    lfo_to_pitch: float
    env_to_filter: float
    lfo_to_filter: float
    lfo_to_volume: float  # centibels at the modulation LFO's peak
    cutoff: float  # the filter's resting cutoff, absolute cents
    q_cb: float
    env_delay: float  # seconds
    env_attack: float
    env_hold: float
    env_decay: float
    env_sustain: float  # 0..1
    lfo_delay: float
    lfo_hz: float
    vib_delay: float
    vib_hz: float

    @property
    def moves_pitch(self) -> bool:
        return bool(self.env_to_pitch or self.vib_to_pitch or self.lfo_to_pitch)

    @property
    def moves_filter(self) -> bool:
        return bool(self.env_to_filter or self.lfo_to_filter) and self.cutoff_range()[0] < FILTER_MAX_CENTS

    @property
    def moves_volume(self) -> bool:
        return bool(self.lfo_to_volume)

    def cutoff_range(self) -> tuple[float, float]:
        """The lowest and highest cutoff the modulators can reach (not the ones a given note does), so the
        filter bank's levels do not depend on how long a waveform is rendered."""
        low = self.cutoff + min(0.0, self.env_to_filter) - abs(self.lfo_to_filter)
        high = self.cutoff + max(0.0, self.env_to_filter) + abs(self.lfo_to_filter)
        return _clamp(low), _clamp(high)

    def envelope(self, length: int, rate: int) -> np.ndarray:
        """The modulation envelope while the key is held: delay, linear attack, hold, linear decay to sustain."""
        t = np.arange(length, dtype=np.float32) / np.float32(rate)
        out = np.zeros(length, dtype=np.float32)
        start = self.env_delay
        attack_end = start + self.env_attack
        hold_end = attack_end + self.env_hold
        rising = (t >= start) & (t < attack_end)
        out[rising] = (t[rising] - start) / max(1e-6, self.env_attack)
        out[(t >= attack_end) & (t < hold_end)] = 1.0
        falling = t >= hold_end
        out[falling] = np.maximum(self.env_sustain, 1.0 - (t[falling] - hold_end) / max(1e-6, self.env_decay))
        return out

    def pitch_ratio(self, length: int, rate: int) -> np.ndarray | None:
        """Per output sample, how much faster than the note's pitch the sample is read; None when steady."""
        if not self.moves_pitch:
            return None
        cents = np.zeros(length, dtype=np.float64)
        if self.env_to_pitch:
            cents += self.env_to_pitch * self.envelope(length, rate)
        if self.vib_to_pitch:
            cents += self.vib_to_pitch * triangle(length, rate, self.vib_delay, self.vib_hz)
        if self.lfo_to_pitch:
            cents += self.lfo_to_pitch * triangle(length, rate, self.lfo_delay, self.lfo_hz)
        ratio: np.ndarray = np.exp2(cents / 1200.0)
        return ratio

    def volume(self, length: int, rate: int) -> np.ndarray | None:
        if not self.moves_volume:
            return None
        swing = triangle(length, rate, self.lfo_delay, self.lfo_hz)
        gain: np.ndarray = (10.0 ** (-self.lfo_to_volume * swing / 200.0)).astype(np.float32)
        return gain

    def cutoff_curve(self, length: int, rate: int) -> np.ndarray:
        cents = np.full(length, self.cutoff, dtype=np.float32)
        if self.env_to_filter:
            cents += np.float32(self.env_to_filter) * self.envelope(length, rate)
        if self.lfo_to_filter:
            cents += np.float32(self.lfo_to_filter) * triangle(length, rate, self.lfo_delay, self.lfo_hz)
        return np.clip(cents, FILTER_MIN_CENTS, FILTER_MAX_CENTS)


def _clamp(cents: float) -> float:
    return max(FILTER_MIN_CENTS, min(FILTER_MAX_CENTS, cents))


def triangle(length: int, rate: int, delay_s: float, hz: float) -> np.ndarray:
    """An LFO as FluidSynth runs it: silent for its delay, then a triangle from 0 up to 1, down to -1, back."""
    t = np.arange(length, dtype=np.float64) / rate - delay_s
    phase = np.where(t > 0, t * hz, 0.0) % 1.0
    wave = np.where(phase < 0.25, 4 * phase, np.where(phase < 0.75, 2 - 4 * phase, 4 * phase - 4))
    return np.where(t > 0, wave, 0.0).astype(np.float32)


def modulation_of(spec: VoiceSpec, key: int) -> Modulation:
    offset = 60 - key  # key scaling of the modulation envelope's hold and decay, as for the volume envelope
    return Modulation(
        env_to_pitch=spec.gen(Gen.MOD_ENV_TO_PITCH),
        vib_to_pitch=spec.gen(Gen.VIB_LFO_TO_PITCH),
        lfo_to_pitch=spec.gen(Gen.MOD_LFO_TO_PITCH),
        env_to_filter=spec.gen(Gen.MOD_ENV_TO_FILTER_FC),
        lfo_to_filter=spec.gen(Gen.MOD_LFO_TO_FILTER_FC),
        lfo_to_volume=spec.gen(Gen.MOD_LFO_TO_VOLUME),
        cutoff=spec.gen(Gen.INITIAL_FILTER_FC),
        q_cb=spec.gen(Gen.INITIAL_FILTER_Q),
        env_delay=_seconds(spec.gen(Gen.DELAY_MOD_ENV)),
        env_attack=_seconds(spec.gen(Gen.ATTACK_MOD_ENV)),
        env_hold=_seconds(spec.gen(Gen.HOLD_MOD_ENV) + spec.gen(Gen.KEYNUM_TO_MOD_ENV_HOLD) * offset),
        env_decay=_seconds(spec.gen(Gen.DECAY_MOD_ENV) + spec.gen(Gen.KEYNUM_TO_MOD_ENV_DECAY) * offset),
        env_sustain=1.0 - max(0.0, min(1000.0, spec.gen(Gen.SUSTAIN_MOD_ENV))) / 1000.0,
        lfo_delay=_seconds(spec.gen(Gen.DELAY_MOD_LFO)),
        lfo_hz=LFO_BASE_HZ * 2.0 ** (spec.gen(Gen.FREQ_MOD_LFO) / 1200.0),
        vib_delay=_seconds(spec.gen(Gen.DELAY_VIB_LFO)),
        vib_hz=LFO_BASE_HZ * 2.0 ** (spec.gen(Gen.FREQ_VIB_LFO) / 1200.0),
    )


def bank_levels(low: float, high: float) -> list[float]:
    """Cutoffs of the filter bank spanning [low, high]: at least a half-octave apart, at most nine."""
    if high - low < 1.0:
        return [low]
    count = min(BANK_MAX_LEVELS, max(2, math.ceil((high - low) / BANK_STEP_CENTS) + 1))
    return [low + (high - low) * k / (count - 1) for k in range(count)]


def weights(curve: np.ndarray, levels: list[float]) -> list[np.ndarray | None]:
    """Each bank level's share of the output per sample (hat functions that sum to one); None where a level
    is never heard, so it need not be filtered at all."""
    if len(levels) == 1:
        return [np.ones(len(curve), dtype=np.float32)]
    position = (curve - levels[0]) / np.float32((levels[-1] - levels[0]) / (len(levels) - 1))
    shares: list[np.ndarray | None] = []
    for k in range(len(levels)):
        share = np.maximum(np.float32(0.0), np.float32(1.0) - np.abs(position - np.float32(k)))
        shares.append(share if share.any() else None)
    return shares
