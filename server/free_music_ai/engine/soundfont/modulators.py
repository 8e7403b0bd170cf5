"""SoundFont modulators, evaluated once per note: velocity, key number and controllers at their defaults.

A note's modulators are known when it starts (we render offline, no controller moves mid-note), so each
one reduces to a constant added to its destination generator. Fonts use them to shape dynamics: FluidR3
turns off the default velocity-to-cutoff modulator, MuseScore_General adds its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

VELOCITY_SOURCE = 2
KEY_SOURCE = 3
PITCH_WHEEL_SOURCE = 14
# General MIDI reset values: volume 100, pan centre, expression full; everything else at 0.
CONTROLLER_DEFAULTS = {7: 100, 10: 64, 11: 127}


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


# The spec's default modulators that can change a note rendered offline with controllers at rest.
DEFAULT_MODULATORS = (
    Modulator(0x0502, 48, 960, 0, 0),  # velocity -> attenuation, concave: loudness follows velocity squared
    # velocity -> filter cutoff in the 2.04 form: notes softer than the middle velocity are darker, up to two
    # octaves; harder ones keep the font's cutoff (so they match FluidSynth, which leaves it out)
    Modulator(0x0102, 8, -2400, 0x0D02, 0),
)


def _concave(x: float) -> float:
    if x >= 1.0:
        return 1.0
    return min(1.0, max(0.0, -(400.0 / 960.0) * math.log10(max(1e-9, 1.0 - x))))


def _source_value(source: int, key: int, velocity: int) -> float:
    index, is_cc = source & 0x7F, bool(source & 0x80)
    negative, bipolar, kind = bool(source & 0x100), bool(source & 0x200), source >> 10
    if is_cc:
        raw = CONTROLLER_DEFAULTS.get(index, 0) / 128.0
    elif index == 0:
        return 1.0  # "no controller": the modulator applies at full amount
    elif index == VELOCITY_SOURCE:
        raw = velocity / 128.0
    elif index == KEY_SOURCE:
        raw = key / 128.0
    elif index == PITCH_WHEEL_SOURCE:
        raw = 0.5
    else:
        raw = 0.0  # pressure and the like: at rest
    x = 1.0 - raw if negative else raw
    if kind == 1:
        y = _concave(x)
    elif kind == 2:
        y = 1.0 - _concave(1.0 - x)
    elif kind == 3:
        y = 1.0 if x >= 0.5 else 0.0
    else:
        y = x
    return 2.0 * y - 1.0 if bipolar else y


def evaluate(modulators: list[Modulator], key: int, velocity: int) -> dict[int, float]:
    """The constant each destination generator receives from these modulators for this note."""
    totals: dict[int, float] = {}
    for mod in modulators:
        value = mod.amount * _source_value(mod.source, key, velocity)
        if mod.amount_source:
            value *= _source_value(mod.amount_source, key, velocity)
        if mod.transform == 2:  # absolute value
            value = abs(value)
        totals[mod.destination] = totals.get(mod.destination, 0.0) + value
    return totals


def merge(base: list[Modulator], override: list[Modulator]) -> list[Modulator]:
    """``override`` replaces modulators of the same identity in ``base`` and adds the rest."""
    replaced = {mod.identity: mod for mod in base}
    for mod in override:
        replaced[mod.identity] = mod
    return list(replaced.values())
