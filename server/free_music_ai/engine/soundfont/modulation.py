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
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from free_music_ai.engine.grid_lines import grid_lines
from free_music_ai.engine.soundfont.events import LFO_BASE_HZ
from free_music_ai.engine.soundfont.generators import Gen

if TYPE_CHECKING:
    from free_music_ai.engine.soundfont.font import VoiceSpec

FILTER_MIN_CENTS, FILTER_MAX_CENTS = 1500.0, 13500.0  # FluidSynth's clamp of the cutoff
BANK_STEP_CENTS = 600.0  # filter-bank levels at least a half-octave apart
BANK_MAX_LEVELS = 9
SHARE_MARGIN = 1e-3  # in bank steps


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
        return _upsample(self._envelope_at(_control_times(length, rate)), length)

    def _envelope_at(self, t: np.ndarray) -> np.ndarray:
        out = np.zeros(len(t), dtype=np.float64)
        start = self.env_delay
        attack_end = start + self.env_attack
        hold_end = attack_end + self.env_hold
        rising = (t >= start) & (t < attack_end)
        out[rising] = (t[rising] - start) / max(1e-6, self.env_attack)
        out[(t >= attack_end) & (t < hold_end)] = 1.0
        falling = t >= hold_end
        out[falling] = np.maximum(self.env_sustain, 1.0 - (t[falling] - hold_end) / max(1e-6, self.env_decay))
        return out

    def advance(self, length: int, rate: int, step: float) -> np.ndarray | None:
        """Per output sample, how far into the sample the note has read (in source samples, from 0), with its
        pitch bent; None when the pitch is steady. Integrated at the control points, interpolated between
        them: within 32 samples a vibrato's bend is far below a thousandth of a sample."""
        if not self.moves_pitch:
            return None
        t = _control_times(length, rate)
        ratio = self._ratio_at(t)
        at = t * rate
        read = np.concatenate([[0.0], np.cumsum(np.diff(at) * (ratio[:-1] + ratio[1:]) * 0.5 * step)])
        bent: np.ndarray = np.interp(np.arange(length, dtype=np.float64), at, read)
        return bent

    def _ratio_at(self, t: np.ndarray) -> np.ndarray:
        cents = np.zeros(len(t), dtype=np.float64)
        if self.env_to_pitch:
            cents += self.env_to_pitch * self._envelope_at(t)
        if self.vib_to_pitch:
            cents += self.vib_to_pitch * triangle_at(t, self.vib_delay, self.vib_hz)
        if self.lfo_to_pitch:
            cents += self.lfo_to_pitch * triangle_at(t, self.lfo_delay, self.lfo_hz)
        ratio: np.ndarray = np.exp2(cents / 1200.0)
        return ratio

    def volume(self, length: int, rate: int) -> np.ndarray | None:
        if not self.moves_volume:
            return None
        t = _control_times(length, rate)
        return _upsample(10.0 ** (-self.lfo_to_volume * triangle_at(t, self.lfo_delay, self.lfo_hz) / 200.0), length)

    def cutoff_points(self, length: int, rate: int) -> np.ndarray:
        """The cutoff in cents at the control points (every CONTROL_STEP samples, one past the end)."""
        t = _control_times(length, rate)
        cents = np.full(len(t), self.cutoff, dtype=np.float64)
        if self.env_to_filter:
            cents += self.env_to_filter * self._envelope_at(t)
        if self.lfo_to_filter:
            cents += self.lfo_to_filter * triangle_at(t, self.lfo_delay, self.lfo_hz)
        return np.clip(cents, FILTER_MIN_CENTS, FILTER_MAX_CENTS)


def _clamp(cents: float) -> float:
    return max(FILTER_MIN_CENTS, min(FILTER_MAX_CENTS, cents))


CONTROL_STEP = 32  # samples between control values: LFOs and envelopes move far slower than 1.5 kHz


def _control_points(length: int) -> np.ndarray:
    """Sample positions of the control points: every CONTROL_STEP samples, one past the end. They do not depend
    on where the render stops, so a waveform rendered longer repeats a shorter one sample for sample."""
    return np.arange(0, length + CONTROL_STEP, CONTROL_STEP, dtype=np.float64)


def _control_times(length: int, rate: int) -> np.ndarray:
    """Seconds of the control points."""
    times: np.ndarray = _control_points(length) / rate
    return times


def _upsample(values: np.ndarray, length: int) -> np.ndarray:
    """Control values (every CONTROL_STEP samples) to one per sample, in straight lines between."""
    return grid_lines(values, CONTROL_STEP, skip=0, length=length).astype(np.float32)


def triangle_at(t: np.ndarray, delay_s: float, hz: float) -> np.ndarray:
    """An LFO as FluidSynth runs it at times ``t``: silent for its delay, then a triangle from 0 up to 1, down
    to -1 and back."""
    since = t - delay_s
    wave = 4.0 * np.abs((np.maximum(since, 0.0) * hz + 0.75) % 1.0 - 0.5) - 1.0
    wave[since <= 0] = 0.0
    return wave


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


class Heard(NamedTuple):
    """Where a filter-bank level is heard: its shares from sample ``first``, then ``held`` (its share where the
    cutoff stands still, to the end of the note's course) up to sample ``end``."""

    first: int
    share: np.ndarray
    held: np.float32
    end: int


def heard_shares(points: np.ndarray, levels: list[float], length: int, *, step: int = 1) -> list[Heard | None]:
    """Each bank level's share of the output (hat functions that sum to one), only over the stretch where it is
    heard, or None where it never is. ``points`` are the cutoff's cents every ``step`` samples (the control
    points: a long note's cutoff is looked at 32 times less often, and only the stretches where a level sounds
    are drawn sample by sample). Where the cutoff stands still to the end (a modulation envelope at its sustain:
    all but the first few ms of MuseScore_General's notes) a level's share is one number, not drawn."""
    if len(levels) == 1:
        return [Heard(0, np.ones(length, dtype=np.float32), np.float32(0.0), length)]
    spacing = (levels[-1] - levels[0]) / (len(levels) - 1)
    coarse = (points - levels[0]) / spacing
    if len(coarse) == 1:
        coarse = np.repeat(coarse, 2)
    low, high = np.minimum(coarse[:-1], coarse[1:]), np.maximum(coarse[:-1], coarse[1:])
    moving = np.flatnonzero(np.diff(points))
    still = min(length, (int(moving[-1]) + 1 if len(moving) else 0) * step)  # the line is flat from here on
    # its value there, as the drawn line gives it (float32), and its position between the levels
    still_at = (_stretch(points, step, still, still + 1) - levels[0]) / spacing if still < length else None
    out: list[Heard | None] = []
    for k in range(len(levels)):
        # a level may sound on a control step whose straight line comes within one of it (with room for the
        # float32 rounding of the drawn line); the shares then say exactly where
        steps = np.flatnonzero((low < k + 1 + SHARE_MARGIN) & (high > k - 1 - SHARE_MARGIN))
        if len(steps) == 0:
            out.append(None)
            continue
        first = min(length, int(steps[0]) * step)
        last = min(length, (int(steps[-1]) + 1) * step + 1)  # the step's far end included
        if last <= first:
            out.append(None)
            continue
        held = np.float32(0.0)
        drawn_to = last
        if still_at is not None and last > still:
            held = _hat(still_at, k)[0]
            drawn_to = max(first, still)
        share = _hat((_stretch(points, step, first, drawn_to) - levels[0]) / spacing, k)
        if held:  # heard to the end of the stretch: only its start is trimmed
            span = _nonzero_span(share, 2 * step + 1) if len(share) else None
            start = span[0] if span is not None else len(share)
            out.append(Heard(first + start, share[start:], held, last))
            continue
        found = _nonzero_span(share, 2 * step + 1) if len(share) else None
        if found is None:
            out.append(None)
            continue
        a, b = found
        out.append(Heard(first + a, share[a:b], held, first + b))
    return out


def _hat(position: np.ndarray, k: int) -> np.ndarray:
    """A level's share at (float32) positions between the levels: 1 on it, falling to 0 one level away."""
    return np.maximum(np.float32(0.0), np.float32(1.0) - np.abs(position - np.float32(k))).astype(np.float32)


def _nonzero_span(share: np.ndarray, ends: int) -> tuple[int, int] | None:
    """From the first to past the last nonzero share. The stretch was cut to the control steps where the level
    sounds, so both are found among its first and last ``ends`` samples; a long held note is not scanned whole."""
    head = np.flatnonzero(share[:ends])
    tail = np.flatnonzero(share[-ends:])
    if len(head) and len(tail):
        return int(head[0]), len(share) - ends + int(tail[-1]) + 1 if len(share) > ends else int(tail[-1]) + 1
    heard = np.flatnonzero(share)
    return (int(heard[0]), int(heard[-1]) + 1) if len(heard) else None


def _stretch(points: np.ndarray, step: int, first: int, last: int) -> np.ndarray:
    """Samples ``first`` to ``last`` of the straight lines through ``points`` (one every ``step`` samples)."""
    if step == 1:
        return points[first:last].astype(np.float32)
    row = first // step  # from the step the stretch starts in: the same numbers as drawing every step
    return grid_lines(points[row:], step, skip=first - row * step, length=last - first).astype(np.float32)
