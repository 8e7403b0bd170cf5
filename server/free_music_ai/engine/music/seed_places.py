"""Where a seed falls among a choice's options: the golden ratio's Weyl sequence, so neighbouring seeds land far apart
(seeds one apart differ by 38 % of the range, two apart by 24 %) where an independent draw per seed played ambient at
73 bpm on seeds 1 and 2 alike. Each choice has its own phase, so one seed's choices do not move together."""

from __future__ import annotations

import random

GOLDEN = 0.6180339887498949


def seed_place(choice: str, seed: int) -> float:
    """The seed's place in 0..1 for ``choice`` (a name that fixes the sequence's phase)."""
    phase = random.Random(choice).random()
    return (phase + GOLDEN * (seed % 1_000_003)) % 1.0
