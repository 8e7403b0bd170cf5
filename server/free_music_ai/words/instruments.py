"""Instruments people ask to carry the tune ("a sad violin", "萨克斯"), as General MIDI programs.

Only instruments that sing in a lead's register are here: a piano or a guitar names a genre (words/genre.py),
low instruments (cello, tuba) would be played high and thin where the tunes sit, and words that mean something
else in a creator's sentence ("good vibes", "screen recorder") are left out.
"""

from __future__ import annotations

from free_music_ai.words.names import first_named

# word -> General MIDI program (0-based), longest words matched first. A saxophone is the soprano: the tunes sit
# around E5-E6, where an alto or a tenor strains
LEAD_WORDS: dict[str, int] = {
    "violin": 40, "fiddle": 40, "viola": 41, "harp": 46, "trumpet": 56, "saxophone": 64, "sax": 64,
    "alto sax": 65, "oboe": 68, "clarinet": 71, "flute": 73, "pan flute": 75,
    "whistle": 78, "whistling": 78, "ocarina": 79, "music box": 10, "vibraphone": 11,
    "marimba": 12, "kalimba": 108, "harmonica": 22, "accordion": 21, "organ": 19, "electric piano": 4,
    "rhodes": 4, "koto": 107, "sitar": 104, "steel drums": 114,
    "小提琴": 40, "中提琴": 41, "竖琴": 46, "小号": 56, "萨克斯": 64, "双簧管": 68, "单簧管": 71, "长笛": 73,
    "笛子": 73, "竖笛": 74, "排箫": 75, "口哨": 78, "陶笛": 79, "八音盒": 10, "音乐盒": 10, "马林巴": 12,
    "口琴": 22, "手风琴": 21, "风琴": 19, "电钢琴": 4, "古筝": 107, "西塔琴": 104,
}  # fmt: skip


def lead_from_words(text: str) -> int | None:
    """The General MIDI program of the instrument ``text`` asks to carry the tune; None when it names none."""
    word = first_named(text, LEAD_WORDS, plural=True)  # "violins" too
    return LEAD_WORDS[word] if word is not None else None
