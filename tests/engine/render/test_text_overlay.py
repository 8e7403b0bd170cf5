from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.render.canvas import Canvas
from free_music_ai.engine.render.filter_escape import escape_option_value
from free_music_ai.engine.render.models import TextOverlay
from free_music_ai.engine.render.text_overlay import font_config, layout_text, write_titles

CANVAS = Canvas(1280, 720)
TOFU = "\u0378"  # an unassigned code point: no font has it, so it is drawn as an empty box


def _drawn(text: str, folder: Path) -> np.ndarray:
    """The title drawn on grey the way the renderer draws it (the same ASS file and fonts), as pixels."""
    return _drawn_titles([TextOverlay(text=text, position="center")], folder, 2.0, 1.0)


def _drawn_titles(texts: list[TextOverlay], folder: Path, total_s: float, at_s: float) -> np.ndarray:
    titles = folder / "t.ass"
    write_titles(texts, CANVAS, total_s=total_s, path=titles)
    env = {"FONTCONFIG_FILE": str(font_config(folder)), "PATH": "/usr/bin:/bin"}
    command = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", f"color=gray:size={CANVAS.width}x{CANVAS.height}",
               "-vf", f"ass=filename={escape_option_value(str(titles))}", "-ss", f"{at_s:g}", "-frames:v", "1",
               "-f", "rawvideo", "-pix_fmt", "gray", "-"]  # fmt: skip
    raw = subprocess.run(command, env=env, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(CANVAS.height, CANVAS.width).astype(float)


@pytest.mark.parametrize("foreign", ["नमस्ते", "🎉🔥", "🥳🫠", "東京", "שלום", "مرحبا", "สวัสดี", "한국"])
def test_every_character_of_a_mixed_line_is_drawn(tmp_path: Path, foreign: str) -> None:
    """A Cyrillic title with another script or emoji in it: the other part is drawn by a font that has it,
    not as empty boxes (per-character fallback across the bundled fonts)."""
    real = _drawn(f"Привет {foreign} мир", tmp_path)
    boxes = _drawn(f"Привет {TOFU * len(foreign)} мир", tmp_path)
    plain = _drawn("Привет мир", tmp_path)
    assert np.abs(real - plain).mean() > 0.3  # something more was drawn
    assert np.abs(real - boxes).mean() > 0.3, foreign  # and it is not the boxes


def test_titles_are_literal(tmp_path: Path) -> None:
    """Braces cannot open ASS override tags and a backslash cannot start an escape."""
    assert np.abs(_drawn("{\\i1}x", tmp_path) - _drawn("x", tmp_path)).mean() > 0.2  # the tag is drawn as text
    assert np.abs(_drawn("a\\Nb", tmp_path) - _drawn("a\nb", tmp_path)).mean() > 0.2  # not a line break


@pytest.mark.parametrize("position", ["top", "center", "bottom"])
def test_titles_at_the_same_time_stack(tmp_path: Path, position: str) -> None:
    """A second title shown while the first is on screen, at the same place, is drawn beside it (above or
    below), never over it: the first stays where it is alone and the second covers none of its lines."""
    first = TextOverlay(text="First Title", start_s=0.0, end_s=3.0, position=position)
    second = TextOverlay(text="Second Title", start_s=1.0, end_s=4.0, position=position)
    alone = _drawn_titles([first], tmp_path, 4.0, 1.5)
    both = _drawn_titles([first, second], tmp_path, 4.0, 1.5)

    def lines(picture: np.ndarray) -> np.ndarray:
        return np.nonzero((np.abs(picture - 128) > 40).any(axis=1))[0]  # rows with text (or its border) in them

    own = lines(alone)
    assert len(own) > 20
    assert np.abs(both[own] - alone[own]).mean() < 1.0  # the first title as it is alone, nothing drawn over it
    assert len(lines(both)) >= 1.9 * len(own)  # and the second one in rows of its own


def test_long_titles_wrap_within_three_lines_and_fit() -> None:
    canvas = Canvas(1080, 1920)
    text = "A very long title that would never fit on one line of a vertical video for social media posting"
    wrapped, size = layout_text(text, canvas)
    lines = wrapped.split("\n")
    assert 1 < len(lines) <= 3
    assert max(len(line) for line in lines) * size * 0.58 <= canvas.width * 0.9


def test_text_without_spaces_breaks_too() -> None:
    wrapped, _ = layout_text("这是一个非常长的中文标题没有任何空格需要自动换行才能放下", Canvas(1080, 1920))
    assert "\n" in wrapped
