"""Notes as the composer writes them: in beats, before humanizing and before the tempo map turns them into time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Note:
    beat: float
    length: float  # in beats
    key: int
    velocity: int
    part: str
    program: int = 0
    drum: bool = False
    pan: float = 0.0
    strum_s: float = 0.0  # played this much later than the beat (a strummed chord's later strings)


def clamp_velocity(value: float) -> int:
    return max(1, min(127, round(value)))
