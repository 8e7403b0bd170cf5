"""The output frame: which 1080p canvas a request gets, and how a picture is fitted into it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from free_music_ai.engine.render.models import AspectChoice

PRESETS: dict[AspectChoice, tuple[int, int]] = {
    AspectChoice.WIDE: (1920, 1080),
    AspectChoice.TALL: (1080, 1920),
    AspectChoice.SQUARE: (1080, 1080),
    AspectChoice.PORTRAIT: (1080, 1350),
}
LONG_SIDE, SHORT_SIDE = 1920, 1080


@dataclass(frozen=True)
class Canvas:
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.width / self.height


def choose_canvas(aspect: AspectChoice, source_width: int, source_height: int) -> Canvas:
    """``auto`` takes the preset closest in shape to the source, so a 720p clip still comes out 1080p."""
    if aspect in PRESETS:
        return Canvas(*PRESETS[aspect])
    if aspect == AspectChoice.SOURCE:
        scale = min(1.0, LONG_SIDE / max(source_width, source_height), SHORT_SIDE / min(source_width, source_height))
        return Canvas(_even(source_width * scale), _even(source_height * scale))
    shape = math.log(source_width / source_height)
    best = min(PRESETS.values(), key=lambda wh: abs(math.log(wh[0] / wh[1]) - shape))
    return Canvas(*best)


def fit_inside(src_w: int, src_h: int, canvas: Canvas) -> tuple[int, int]:
    """The largest size of the source's shape that fits in the canvas (letterbox/foreground)."""
    scale = min(canvas.width / src_w, canvas.height / src_h)
    return min(canvas.width, _even(src_w * scale)), min(canvas.height, _even(src_h * scale))


def cover(src_w: int, src_h: int, canvas: Canvas) -> tuple[int, int]:
    """The smallest size of the source's shape that covers the canvas (crop/background)."""
    scale = max(canvas.width / src_w, canvas.height / src_h)
    return max(canvas.width, _even_up(src_w * scale)), max(canvas.height, _even_up(src_h * scale))


def same_shape(src_w: int, src_h: int, canvas: Canvas, *, tolerance: float = 0.01) -> bool:
    return abs(math.log((src_w / src_h) / canvas.aspect)) < tolerance


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def _even_up(value: float) -> int:
    return max(2, math.ceil(value / 2 - 1e-9) * 2)
