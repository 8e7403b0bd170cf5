from __future__ import annotations

from free_music_ai.engine.font_coverage import covered_codepoints
from free_music_ai.engine.render.canvas import Canvas
from free_music_ai.engine.render.text_overlay import choose_font, layout_text


def test_each_script_gets_a_font_that_draws_it() -> None:
    samples = {
        "Urban Dreams": "NotoSans-Bold.ttf",
        "Ελληνικά и кириллица": "NotoSans-Bold.ttf",
        "مرحبا بالعالم": "NotoSansArabic-Bold.ttf",
        "שלום עולם": "NotoSansHebrew-Bold.ttf",
        "नमस्ते दुनिया": "NotoSansDevanagari-Bold.ttf",
        "สวัสดีชาวโลก": "NotoSansThai-Bold.ttf",
        "Tokyo 東京 夜景": "wqy-microhei.ttc",
        "한국어 제목": "wqy-microhei.ttc",
        "ひらがなとカタカナ": "wqy-microhei.ttc",
    }
    for text, expected in samples.items():
        font = choose_font(text)
        assert font.name == expected, text
        assert all(ord(c) in covered_codepoints(font) for c in text if not c.isspace()), text


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
