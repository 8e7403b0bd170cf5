"""Titles: the drawtext filter for each overlay, with its text read from a file so it is always literal."""

from __future__ import annotations

import textwrap
import unicodedata
from importlib import resources
from pathlib import Path

from free_music_ai.engine.font_coverage import covered_codepoints
from free_music_ai.engine.render.canvas import Canvas
from free_music_ai.engine.render.filter_escape import escape_option_value
from free_music_ai.engine.render.models import TextOverlay

# Tried in order; the first that has every character of a title draws it. Noto Sans covers Latin, Greek and
# Cyrillic; the others add scripts it lacks; WenQuanYi Micro Hei covers Chinese, Japanese and Korean
# together with Latin, so a mixed title such as "Tokyo 東京" is drawn whole.
FONT_FILES = (
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansHebrew-Bold.ttf",
    "NotoSansDevanagari-Bold.ttf",
    "NotoSansThai-Bold.ttf",
    "wqy-microhei.ttc",
)
FADE_S = 0.35
MAX_LINES = 3


def fonts_dir() -> Path:
    return Path(str(resources.files("free_music_ai") / "assets" / "fonts"))


def choose_font(text: str) -> Path:
    """The first bundled font that draws every visible character; else the one that draws the most."""
    wanted = {ord(c) for c in text if not c.isspace() and unicodedata.category(c)[0] != "C"}
    best, best_missing = fonts_dir() / FONT_FILES[0], len(wanted) + 1
    for name in FONT_FILES:
        path = fonts_dir() / name
        missing = len(wanted - covered_codepoints(path))
        if missing == 0:
            return path
        if missing < best_missing:
            best, best_missing = path, missing
    return best


def layout_text(text: str, canvas: Canvas) -> tuple[str, int]:
    """Wrap the text to the canvas width and pick a font size that keeps it within three lines."""
    clean = "\n".join(line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    size = round(min(canvas.width, canvas.height) * 0.075)
    while True:
        lines = _wrap(clean, _chars_per_line(clean, canvas.width * 0.88, size))
        if len(lines) <= MAX_LINES or size <= 24:
            return "\n".join(lines[: MAX_LINES * 2]), size
        size = round(size * 0.85)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _chars_per_line(text: str, width_px: float, size: int) -> int:
    wide_share = sum(_wide(c) for c in text) / max(1, len(text))
    em_per_char = 0.58 + 0.42 * wide_share  # Latin glyphs average about 0.58 em in a bold sans; CJK are 1 em
    return max(4, int(width_px / (size * em_per_char)))


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if " " in paragraph.strip() or len(paragraph) <= width:
            lines.extend(textwrap.wrap(paragraph, width=width, break_long_words=True) or [""])
        else:  # scripts written without spaces break anywhere
            lines.extend(paragraph[i : i + width] for i in range(0, len(paragraph), width))
    while lines and not lines[-1]:
        lines.pop()
    return lines or [" "]


def drawtext_filter(overlay: TextOverlay, text_file: Path, canvas: Canvas, total_s: float) -> str:
    """One drawtext filter; writes the wrapped text to ``text_file``, which the filter reads literally."""
    wrapped, size = layout_text(overlay.text, canvas)
    text_file.write_text(wrapped, encoding="utf-8")
    start = overlay.start_s
    end = min(overlay.end_s if overlay.end_s is not None else total_s, total_s)
    fade = min(FADE_S, max(0.01, (end - start) / 3))
    y = {
        "top": f"{round(canvas.height * 0.08)}",
        "center": "(h-text_h)/2",
        "bottom": f"h-text_h-{round(canvas.height * 0.1)}",
    }[overlay.position]
    alpha = f"min(1\\,min((t-{start:.3f})/{fade:.3f}\\,({end:.3f}-t)/{fade:.3f}))"
    options = [
        f"fontfile={escape_option_value(str(choose_font(overlay.text)))}",
        f"textfile={escape_option_value(str(text_file))}",
        "expansion=none",
        "text_align=C",
        f"fontsize={size}",
        "fontcolor=white",
        f"borderw={max(2, size // 18)}",
        "bordercolor=black@0.55",
        f"shadowx={max(1, size // 24)}",
        f"shadowy={max(1, size // 24)}",
        "shadowcolor=black@0.45",
        f"line_spacing={size // 5}",
        "x=(w-text_w)/2",
        f"y={y}",
        f"enable=between(t\\,{start:.3f}\\,{end:.3f})",
        f"alpha={alpha}",
    ]
    return "drawtext=" + ":".join(options)
