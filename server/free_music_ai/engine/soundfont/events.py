"""What the synthesizer plays: timed note events."""

from __future__ import annotations

import math
from dataclasses import dataclass

# A SoundFont player sets a channel's generators from MIDI as offsets in steps of the generator's own unit (the
# SoundFont NRPNs, 2.04 section 9.6: controller 99 = 120, 98 = the generator, data entry from 8192): depth and
# delay in steps of 2 (cents, timecents), rate in steps of 4 (cents), as FluidSynth scales them
NRPN_STEPS = {"depth": 2, "rate": 4, "delay": 2}
NRPN_REACH = 8191  # steps either way of the centre a data entry's 14 bits hold
LFO_BASE_HZ = 8.176  # a vibrato LFO at 0 cents
NO_DELAY_TIMECENTS = -12000  # the vibrato delay generator's default: 1 ms


@dataclass(frozen=True, slots=True)
class Vibrato:
    """A player's vibrato on a note, as offsets to the font's vibrato LFO: ``depth`` cents of pitch at its peak,
    ``rate`` cents over 8.176 Hz, ``delay`` timecents over 1 ms. The MIDI file sets them with the SoundFont NRPNs,
    so another SoundFont player plays the same vibrato; ``of`` rounds them to the steps those messages carry."""

    depth: int
    rate: int
    delay: int

    @staticmethod
    def of(depth_cents: float, rate_hz: float, delay_s: float) -> Vibrato:
        def step(value: float, name: str) -> int:  # on the messages' grid, inside their 14 bits around 8192
            steps = max(-NRPN_REACH, min(NRPN_REACH, round(value / NRPN_STEPS[name])))
            return steps * NRPN_STEPS[name]

        return Vibrato(
            step(depth_cents, "depth"),
            step(1200 * math.log2(rate_hz / LFO_BASE_HZ), "rate"),
            step(1200 * math.log2(max(delay_s, 0.001)) - NO_DELAY_TIMECENTS, "delay"),
        )


@dataclass(frozen=True, slots=True)
class NoteEvent:
    """One note. ``drum`` plays key ``key`` of drum kit ``program`` (General MIDI channel 10)."""

    start_s: float
    duration_s: float
    key: int
    velocity: int = 100
    program: int = 0
    bank: int = 0
    drum: bool = False
    pan: float = 0.0  # -1 left .. 1 right, added to the font's own pan
    expression: float = 1.0  # a linear gain for this note (0..1)
    part: str = "main"  # which stem the note belongs to
    vibrato: Vibrato | None = None  # a player's vibrato over the font's own

    def __post_init__(self) -> None:
        if not 0 <= self.key <= 127 or not 1 <= self.velocity <= 127:
            raise ValueError(f"key {self.key} and velocity {self.velocity} must be MIDI values (0-127, 1-127)")
        if self.start_s < 0 or self.duration_s <= 0:
            raise ValueError(f"a note needs a start >= 0 and a positive duration, not {self.start_s}/{self.duration_s}")
