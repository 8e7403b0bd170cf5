"""From colour, light, motion, cutting and sound to a mood: valence and arousal with the reasons.

The mappings follow what studies of film and images report: brighter, more saturated and warmer pictures
read as more positive; motion, fast cutting, contrast and loud sound raise arousal; darkness lowers
valence. Each feature's push is kept, so the plan can say why the music sounds as it does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reason:
    feature: str
    value: float
    valence: float  # this feature's push on valence
    arousal: float

    def describe(self) -> str:
        return f"{self.feature} {self.value:.2f}"


def mood_from_features(
    *,
    brightness: float,
    saturation: float,
    warmth: float,
    contrast: float,
    motion: float,
    cuts_per_minute: float,
    loudness_db: float | None,
) -> tuple[float, float, list[Reason]]:
    reasons = [
        Reason("brightness", brightness, 1.6 * (brightness - 0.42), 0.3 * (brightness - 0.42)),
        Reason("saturation", saturation, 2.2 * (saturation - 0.16), 0.8 * (saturation - 0.16)),
        Reason("warmth", warmth, 2.0 * warmth, 0.5 * warmth),
        Reason("contrast", contrast, 0.0, 0.9 * (contrast - 0.45)),
        Reason("motion", motion, 0.2 * min(1.0, motion / 0.03 - 0.5), 1.1 * min(1.5, motion / 0.02) - 0.45),
        Reason("cuts per minute", cuts_per_minute, 0.0, 0.5 * min(1.5, cuts_per_minute / 12) - 0.25),
    ]
    if loudness_db is not None:
        reasons.append(Reason("sound level", loudness_db, 0.0, 0.5 * min(1.0, max(-1.0, (loudness_db + 26) / 12))))
    valence = float(np.clip(0.15 + sum(r.valence for r in reasons), -1, 1))
    arousal = float(np.clip(sum(r.arousal for r in reasons), -1, 1))
    return round(valence, 3), round(arousal, 3), sorted(reasons, key=lambda r: -(abs(r.valence) + abs(r.arousal)))
