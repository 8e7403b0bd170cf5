"""What the synthesizer plays: timed note events."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from free_music_ai.engine.soundfont.generators import Gen

# A SoundFont player sets a channel's generators from MIDI as offsets in steps of the generator's own unit (the
# SoundFont NRPNs, 2.04 section 9.6: controller 99 = 120, 98 = the generator, data entry from 8192), and clamps the
# sum to the generator's range, as FluidSynth scales and clamps them
NRPN_REACH = 8191  # steps either way of the centre a data entry's 14 bits hold
LFO_BASE_HZ = 8.176  # a vibrato LFO at 0 cents
NO_DELAY_TIMECENTS = -12000  # the vibrato delay generator's default: 1 ms


class VibratoGenerator(NamedTuple):
    """A generator of the vibrato LFO a Vibrato moves: its NRPN's step and the range it is clamped to."""

    gen: Gen
    step: int
    low: int
    high: int


# a Vibrato's depth (cents of pitch), rate (cents) and delay (timecents), in that order
VIBRATO_GENERATORS = (VibratoGenerator(Gen.VIB_LFO_TO_PITCH, 2, -12000, 12000),
                      VibratoGenerator(Gen.FREQ_VIB_LFO, 4, -16000, 4500),
                      VibratoGenerator(Gen.DELAY_VIB_LFO, 2, -12000, 5000))  # fmt: skip


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
        wanted = (depth_cents, 1200 * math.log2(rate_hz / LFO_BASE_HZ),
                  1200 * math.log2(max(delay_s, 0.001)) - NO_DELAY_TIMECENTS)  # fmt: skip
        # on the messages' grid, inside their 14 bits around 8192
        depth, rate, delay = (max(-NRPN_REACH, min(NRPN_REACH, round(value / target.step))) * target.step
                              for target, value in zip(VIBRATO_GENERATORS, wanted, strict=True))  # fmt: skip
        return Vibrato(depth, rate, delay)

    @property
    def offsets(self) -> tuple[tuple[VibratoGenerator, int], ...]:
        """Each vibrato generator with the offset this vibrato adds to it."""
        return tuple(zip(VIBRATO_GENERATORS, (self.depth, self.rate, self.delay), strict=True))


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
