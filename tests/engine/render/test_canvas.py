from __future__ import annotations

import pytest

from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.engine.render.canvas import Canvas, choose_canvas, cover, fit_inside


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1280, 720, (1920, 1080)),  # 720p comes out 1080p
        (3840, 2160, (1920, 1080)),
        (720, 1280, (1080, 1920)),  # phone portrait
        (1000, 1000, (1080, 1080)),
        (1080, 1350, (1080, 1350)),
        (1024, 576, (1920, 1080)),
        (480, 320, (1920, 1080)),  # 3:2 is nearer 16:9 than 1:1
    ],
)
def test_auto_picks_the_closest_1080p_preset(width: int, height: int, expected: tuple[int, int]) -> None:
    canvas = choose_canvas("auto", width, height)
    assert (canvas.width, canvas.height) == expected


@pytest.mark.parametrize(
    ("aspect", "expected"),
    [("16:9", (1920, 1080)), ("9:16", (1080, 1920)), ("1:1", (1080, 1080)), ("4:5", (1080, 1350))],
)
def test_presets(aspect: str, expected: tuple[int, int]) -> None:
    canvas = choose_canvas(Aspect(aspect), 640, 480)
    assert (canvas.width, canvas.height) == expected


def test_source_scales_down_to_fit_1080p_and_never_up() -> None:
    assert choose_canvas("source", 3840, 1600) == Canvas(1920, 800)
    assert choose_canvas("source", 1080, 2400) == Canvas(864, 1920)
    assert choose_canvas("source", 640, 480) == Canvas(640, 480)


def test_fit_and_cover_keep_shape_and_even_sizes() -> None:
    canvas = Canvas(1080, 1920)
    assert fit_inside(1920, 1080, canvas) == (1080, 608)
    w, h = cover(1920, 1080, canvas)
    assert h == 1920 and w >= 3412 and w % 2 == 0
