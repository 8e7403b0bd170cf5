"""What the synthesizer plays: timed note events."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __post_init__(self) -> None:
        if not 0 <= self.key <= 127 or not 1 <= self.velocity <= 127:
            raise ValueError(f"key {self.key} and velocity {self.velocity} must be MIDI values (0-127, 1-127)")
        if self.start_s < 0 or self.duration_s <= 0:
            raise ValueError(f"a note needs a start >= 0 and a positive duration, not {self.start_s}/{self.duration_s}")
