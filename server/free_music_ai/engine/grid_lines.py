"""Values known every so many samples, drawn in straight lines between: envelopes, LFOs, the chorus's swing and
the piece's loudness arc are all worked out on a grid and followed sample by sample.

np.interp does the same arithmetic but first looks up, for every sample, which two points surround it; on a
regular grid the answer is known, so each step's row is its slope times the distance into it, plus its point.
"""

from __future__ import annotations

import numpy as np


def grid_lines(values: np.ndarray, step: int, *, skip: int, length: int) -> np.ndarray:
    """``length`` samples (float64), starting ``skip`` samples after the first point, where ``values[k]`` is the
    value at sample ``k * step`` and the values reach past the last sample asked for. The same numbers as
    np.interp over those points: the slope of each step (its rise over ``step``), times how far into it, plus
    the point."""
    rows = -(-(skip + length) // step)
    fine = (np.diff(values[: rows + 1]) / step)[:, None] * np.arange(step, dtype=np.float64)
    fine += values[:rows, None]
    return fine.reshape(-1)[skip : skip + length]
