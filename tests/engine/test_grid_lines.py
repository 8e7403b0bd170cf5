"""Straight lines between points on a grid of samples: the numbers np.interp gives, from any sample."""

from __future__ import annotations

import numpy as np
import pytest

from free_music_ai.engine.grid_lines import grid_lines


@pytest.mark.parametrize("step", [7, 32, 480])
@pytest.mark.parametrize("start", [0, 5, 479, 1_234_567])
def test_the_same_as_np_interp(step: int, start: int) -> None:
    length = 10_000
    points = np.arange(start - start % step, start + length + 2 * step, step, dtype=np.float64)
    values = np.random.default_rng(step + start).standard_normal(len(points)) * 3
    expected = np.interp(np.arange(start, start + length, dtype=np.float64), points, values)
    assert np.array_equal(grid_lines(values, step, skip=start % step, length=length), expected)
