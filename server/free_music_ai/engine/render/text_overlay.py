"""Titles: every title of a video in one ASS subtitle file, drawn by libass (ffmpeg's ``ass`` filter).

libass shapes each script (Arabic joined, Devanagari conjuncts, right-to-left order) and, character by
character, falls back to whichever bundled font draws it: a title such as "Привет नमस्ते 🎉 東京" is drawn
whole. The fonts it may use are exactly the bundled ones (a fontconfig file that names only our folder), so a
title looks the same on every machine. Text is escaped so a title is always literal: braces cannot open
override tags and a backslash cannot start an escape. Titles on screen at the same time stack, never overlap.
"""

from __future__ import annotations

import textwrap
import unicodedata
from importlib import resources
from pathlib import Path

from free_music_ai.engine.render.canvas import Canvas
from free_music_ai.engine.render.models import TextOverlay

# Noto Sans covers Latin, Greek and Cyrillic; the others add scripts it lacks; WenQuanYi Micro Hei covers
# Chinese, Japanese and Korean; Noto Emoji draws emoji in one colour up to Unicode 15 (Symbola stops at 9) and
# Symbola the other symbols.
FONT_FILES = (
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansHebrew-Bold.ttf",
    "NotoSansDevanagari-Bold.ttf",
    "NotoSansThai-Bold.ttf",
    "wqy-microhei.ttc",
    "NotoEmoji-Bold.ttf",
    "Symbola.ttf",
)
FADE_S = 0.35
MAX_LINES = 3


def fonts_dir() -> Path:
    return Path(str(resources.files("free_music_ai") / "assets" / "fonts"))


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


WORD_JOINER = "\u2060"  # invisible; after a backslash it keeps the next letter from making an escape


def ass_text(text: str) -> str:
    """Text that libass draws exactly as written, lines joined by its line break."""
    printable = "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")
    literal = printable.replace("\\", "\\" + WORD_JOINER).replace("{", "\\{").replace("}", "\\}")
    return "\\N".join(literal.split("\n"))


def _time(seconds: float) -> str:
    centis = max(0, round(seconds * 100))
    return f"{centis // 360000}:{centis // 6000 % 60:02d}:{centis // 100 % 60:02d}.{centis % 100:02d}"


_ALIGN = {"top": 8, "center": 5, "bottom": 2}
_MARGIN = {"top": 0.08, "center": 0.0, "bottom": 0.1}


def write_titles(texts: list[TextOverlay], canvas: Canvas, *, total_s: float, path: Path) -> None:
    """The ASS file for ``texts`` on ``canvas``: sizes in the canvas's own pixels, a fade in and out."""
    lines = ["[Script Info]", "ScriptType: v4.00+", f"PlayResX: {canvas.width}", f"PlayResY: {canvas.height}",
             "WrapStyle: 2", "ScaledBorderAndShadow: yes", "", "[V4+ Styles]",
             "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
             "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
             "Alignment, MarginL, MarginR, MarginV, Encoding"]  # fmt: skip
    events = ["", "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"]
    for k, overlay in enumerate(texts):
        wrapped, size = layout_text(overlay.text, canvas)
        start = overlay.start_s
        end = min(overlay.end_s if overlay.end_s is not None else total_s, total_s)
        fade = round(1000 * min(FADE_S, max(0.01, (end - start) / 3)))
        margin = round(canvas.height * _MARGIN[overlay.position])
        # white, a black border at 55 % and a shadow at 45 % (ASS alpha counts down from opaque 00)
        lines.append(f"Style: T{k},Noto Sans,{size},&H00FFFFFF,&H00FFFFFF,&H73000000,&H8C000000,-1,0,0,0,100,100,0,"
                     f"0,1,{max(2, size // 18)},{max(1, size // 24)},{_ALIGN[overlay.position]},"
                     f"{round(canvas.width * 0.06)},{round(canvas.width * 0.06)},{margin},1")  # fmt: skip
        # one layer for all: libass keeps titles of the same layer apart, so a title shown while another is on
        # screen is stacked beside it (the first stays where it is) instead of drawn over it
        events.append(f"Dialogue: 0,{_time(start)},{_time(end)},T{k},,0,0,0,,{{\\fad({fade},{fade})}}"
                      f"{ass_text(wrapped)}")  # fmt: skip
    path.write_text("\n".join(lines + events) + "\n", encoding="utf-8")


def font_config(folder: Path) -> Path:
    """A fontconfig file in ``folder`` that offers libass the bundled fonts and nothing else (its cache kept
    there too); pass it to ffmpeg as FONTCONFIG_FILE."""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{_xml(str(fonts_dir()))}</dir>\n  <cachedir>{_xml(str(folder / 'font-cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
