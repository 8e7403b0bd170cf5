"""SoundFont modulators, evaluated once per note: velocity, key number and controllers at their defaults.

A note's modulators are known when it starts (we render offline, no controller moves mid-note), so each
one reduces to a constant added to its destination generator. Sources are mapped as FluidSynth maps them
(the SoundFont reference player our tests compare with): fonts are voiced by ear on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from free_music_ai.engine.soundfont.generators import Gen


class Source(IntEnum):
    """The general controllers a modulator's source names when its CC bit is clear (SoundFont 2.04, 8.2.1)."""

    NO_CONTROLLER = 0
    NOTE_ON_VELOCITY = 2
    NOTE_ON_KEY = 3
    POLY_PRESSURE = 10
    CHANNEL_PRESSURE = 13
    PITCH_WHEEL = 14
    PITCH_WHEEL_SENSITIVITY = 16
    LINK = 127


class Curve(IntEnum):
    """A source's curve type, the operand's bits 10-15 (8.2.4)."""

    LINEAR = 0
    CONCAVE = 1
    CONVEX = 2
    SWITCH = 3


# The source operand's bit fields (8.2): the controller's index, whether it is a MIDI controller (CC), its
# direction (max to min) and its polarity (-1..1), then the curve.
INDEX_MASK = 0x7F
MIDI_CONTROLLER = 0x80
NEGATIVE = 0x100
BIPOLAR = 0x200
CURVE_SHIFT = 10


def source_operand(controller: int, *, cc: bool = False, negative: bool = False, bipolar: bool = False,
           curve: Curve = Curve.LINEAR) -> int:  # fmt: skip
    """A modulator source operand, as the spec packs it."""
    return (controller | (MIDI_CONTROLLER if cc else 0) | (NEGATIVE if negative else 0)
            | (BIPOLAR if bipolar else 0) | (curve << CURVE_SHIFT))  # fmt: skip


VELOCITY_SOURCE = Source.NOTE_ON_VELOCITY
KEY_SOURCE = Source.NOTE_ON_KEY
PITCH_WHEEL_SOURCE = Source.PITCH_WHEEL
STEPS = 128.0  # a source is read as value / 128, so a MIDI value of 64 is exactly the middle (RP-036)
# FluidSynth's channel at reset: volume 100, pan and balance centre, expression full, the sound controllers
# (70-79) at their middle, no RPN or NRPN selected; every other controller at 0. The breath controller (CC2)
# is 0, so MuseScore's "Expr." presets (banks 17 and up; CC2 -> attenuation, negative concave, 80 dB) are
# silent in a plain player until a breath controller moves, here as in FluidSynth; its General MIDI presets
# (bank 0) carry no breath modulator.
CONTROLLER_DEFAULTS = {7: 100, 8: 64, 10: 64, 11: 127, **dict.fromkeys(range(70, 80), 64),
                       **dict.fromkeys((98, 99, 100, 101), 127)}  # fmt: skip


@dataclass(frozen=True)
class Modulator:
    source: int
    destination: int
    amount: int
    amount_source: int
    transform: int

    @property
    def identity(self) -> tuple[int, int, int, int]:
        """Two modulators with the same identity replace each other (the spec's section 9.5)."""
        return (self.source, self.destination, self.amount_source, self.transform)


# The spec's section 8.4.2 velocity-to-cutoff modulator in the form FluidSynth declares it (its second source
# a positive switch, the form fonts use to turn it off). FluidSynth gives any modulator of this form nothing,
# whatever its amount, so velocity never moves the cutoff unless a font says so in a modulator of its own:
# we do the same, or every soft note would be darker than the font's author heard it.
VELOCITY_TO_CUTOFF = Modulator(
    source_operand(Source.NOTE_ON_VELOCITY, negative=True),  # 0x0102
    Gen.INITIAL_FILTER_FC,
    -2400,
    source_operand(Source.NOTE_ON_VELOCITY, curve=Curve.SWITCH),  # 0x0C02
    0,
)
# The spec's default modulators that can change a note rendered offline with controllers at rest. The default
# volume modulator (CC7 -> attenuation) is left out: our notes play at full channel volume, and a part's level
# is the mixer's (NoteEvent.expression), so a note matches FluidSynth's with CC7 at 127.
DEFAULT_MODULATORS = (
    # 8.4.1, velocity -> attenuation, negative concave (0x0502): loudness follows velocity squared
    Modulator(
        source_operand(Source.NOTE_ON_VELOCITY, negative=True, curve=Curve.CONCAVE),
        Gen.INITIAL_ATTENUATION,
        960,
        Source.NO_CONTROLLER,
        0,
    ),
    VELOCITY_TO_CUTOFF,
)


def _concave(index: float) -> float:
    """The spec's concave curve on 0..127 (FluidSynth's table, interpolated between its steps)."""
    if index <= 0:
        return 0.0
    if index >= STEPS - 1:
        return 1.0
    low = int(index)
    a, b = _concave_step(low), _concave_step(low + 1)
    return a + (b - a) * (index - low)


def _concave_step(i: int) -> float:
    if i <= 0:
        return 0.0
    if i >= STEPS - 1:
        return 1.0
    return -(400.0 / 960.0) * math.log10((STEPS - 1 - i) / (STEPS - 1))


def _convex(index: float) -> float:
    return 1.0 - _concave(STEPS - 1 - index) if 0 < index < STEPS - 1 else (0.0 if index <= 0 else 1.0)


def _raw(source: int, key: int, velocity: int) -> float | None:
    """The source's value over its range (0..1), or None for "no controller"."""
    index, is_cc = source & INDEX_MASK, bool(source & MIDI_CONTROLLER)
    if is_cc:
        return CONTROLLER_DEFAULTS.get(index, 0) / STEPS
    if index == Source.NO_CONTROLLER:
        return None
    if index == VELOCITY_SOURCE:
        return velocity / STEPS
    if index == KEY_SOURCE:
        return key / STEPS
    if index == PITCH_WHEEL_SOURCE:
        return 0.5  # centred (8192 of 16384)
    return 0.0  # pressure and the like: at rest


@lru_cache(maxsize=65_536)  # a piece's notes come back to a few hundred keys and velocities: each source once
def _source_value(source: int, key: int, velocity: int) -> float:
    raw = _raw(source, key, velocity)
    if raw is None:
        return 1.0  # "no controller": the modulator applies at full amount
    negative, bipolar, kind = bool(source & NEGATIVE), bool(source & BIPOLAR), source >> CURVE_SHIFT
    top = (STEPS - 1) / STEPS  # the largest value a source reaches: 127/128
    x = top - raw if negative else raw  # a negative source runs from 127/128 down to 0
    if not bipolar:
        if kind == Curve.SWITCH:
            return 1.0 if x >= 0.5 else 0.0
        if kind in (Curve.CONCAVE, Curve.CONVEX):
            return min((_concave if kind == Curve.CONCAVE else _convex)(STEPS * x), top)
        return x
    y = x if x == top else 2.0 * x - 1.0  # the middle value (64) is exactly 0
    if kind == Curve.SWITCH:
        return 1.0 if y >= 0 else -1.0
    if kind in (Curve.CONCAVE, Curve.CONVEX):
        curve = _concave if kind == Curve.CONCAVE else _convex
        return min(curve(STEPS * y), top) if y >= 0 else -curve(-STEPS * y)
    return y


def evaluate(modulators: list[Modulator], key: int, velocity: int) -> dict[int, float]:
    """The constant each destination generator receives from these modulators for this note."""
    totals: dict[int, float] = {}
    for mod in modulators:
        if (mod.source, mod.destination, mod.amount_source) == _FLUID_EXCEPTION:
            continue  # FluidSynth's exception, above
        value = mod.amount * _source_value(mod.source, key, velocity)
        if mod.amount_source:
            value *= _source_value(mod.amount_source, key, velocity)
        if mod.transform == 2:  # absolute value
            value = abs(value)
        totals[mod.destination] = totals.get(mod.destination, 0.0) + value
    return totals


_FLUID_EXCEPTION = VELOCITY_TO_CUTOFF.identity[:3]


def merge(base: list[Modulator], override: list[Modulator]) -> list[Modulator]:
    """``override`` replaces modulators of the same identity in ``base`` and adds the rest."""
    replaced = {mod.identity: mod for mod in base}
    for mod in override:
        replaced[mod.identity] = mod
    return list(replaced.values())
