"""Music that steps back: a gain envelope that lowers it under speech and under loud original sound."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # numpy loads where a plan is applied: a project (which holds one) loads without it
    import numpy as np

SPEECH_DUCK_DB = -12.0
LOUD_DUCK_DB = -6.0
LOUD_SOUND_DB = -20.0  # original sound this loud (RMS dBFS over a second) asks the music to make room
ATTACK_S = 0.2
RELEASE_S = 0.5


class DuckingPlan(BaseModel):
    """Gain in dB at times in seconds, joined by straight lines (0 dB outside the points)."""

    model_config = ConfigDict(frozen=True)

    points: list[tuple[float, float]] = Field(default_factory=list)
    spans: list[tuple[float, float]] = Field(default_factory=list, description="Where the music is lowered.")

    def gain(self, rate: int, length: int, start: int = 0) -> np.ndarray:
        """The linear gain per sample for ``length`` samples at ``rate`` from sample ``start``."""
        import numpy as np

        if not self.points:
            return np.ones(length, dtype=np.float32)
        end_s = max(self.points[-1][0], (start + length) / rate) + 1
        times = np.array([0.0] + [t for t, _ in self.points] + [end_s])
        levels = np.array([0.0] + [g for _, g in self.points] + [0.0])
        t = np.arange(start, start + length, dtype=np.float64) / rate
        db = np.interp(t, times, levels)
        gain: np.ndarray = np.power(10.0, db / 20.0).astype(np.float32)
        return gain


def plan_ducking(speech_s: list[tuple[float, float]], loudness_db: list[float], duration_s: float,
                 *, speech_db: float = SPEECH_DUCK_DB) -> DuckingPlan:  # fmt: skip
    """Lower the music by ``speech_db`` while people speak and by 6 dB where the original sound is loud.

    The music starts down 200 ms before the first word, so the word is clear, and comes back up over 500 ms
    after the last one; spans closer than that are joined, so the music does not bob between sentences.
    """
    spans: list[tuple[float, float, float]] = [(s, e, speech_db) for s, e in speech_s]
    for second, level in enumerate(loudness_db):
        if level > LOUD_SOUND_DB and not any(s <= second + 0.5 <= e for s, e, _ in spans):
            spans.append((float(second), float(second + 1), LOUD_DUCK_DB))
    spans.sort()
    merged: list[tuple[float, float, float]] = []
    for start, end, depth in spans:
        if merged and start <= merged[-1][1] + ATTACK_S + RELEASE_S:
            s0, e0, d0 = merged[-1]
            merged[-1] = (s0, max(e0, end), min(d0, depth))
        else:
            merged.append((start, end, depth))
    points: list[tuple[float, float]] = []
    for start, end, depth in merged:
        down = max(0.0, start - ATTACK_S)
        points += [(round(down, 3), 0.0), (round(max(start, down + 0.01), 3), depth), (round(end, 3), depth),
                   (round(min(duration_s, end + RELEASE_S), 3), 0.0)]  # fmt: skip
    return DuckingPlan(points=points, spans=[(round(s, 2), round(e, 2)) for s, e, _ in merged])
