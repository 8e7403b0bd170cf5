"""Instruments people ask to carry the tune ("a sad violin", "萨克斯"), as General MIDI programs.

Only instruments that sing in a lead's register are here: a piano or a guitar names a genre (words/genre.py),
low instruments (cello, tuba) would be played high and thin where the tunes sit, and words that mean something
else in a creator's sentence ("good vibes", "screen recorder") are left out.
"""

from __future__ import annotations

import re

from free_music_ai.engine.music.families import Family
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


# word -> the instrument family "remove the X" takes out of the piece, whichever part plays it (families.py)
FAMILY_WORDS: dict[str, Family] = {
    "piano": Family.PIANO, "pianos": Family.PIANO, "electric piano": Family.PIANO, "rhodes": Family.PIANO,
    "bells": Family.BELLS, "glockenspiel": Family.BELLS, "music box": Family.BELLS, "marimba": Family.BELLS,
    "vibraphone": Family.BELLS, "organ": Family.ORGAN, "organs": Family.ORGAN, "guitar": Family.GUITAR,
    "guitars": Family.GUITAR, "bass": Family.BASS, "bassline": Family.BASS, "bass line": Family.BASS,
    "strings": Family.STRINGS, "violin": Family.STRINGS, "violins": Family.STRINGS, "cello": Family.STRINGS,
    "harp": Family.STRINGS, "choir": Family.CHOIR, "brass": Family.BRASS, "horns": Family.BRASS,
    "trumpet": Family.BRASS, "trumpets": Family.BRASS, "sax": Family.SAX, "saxophone": Family.SAX,
    "flute": Family.FLUTE, "flutes": Family.FLUTE, "woodwinds": Family.FLUTE, "synth": Family.SYNTH,
    "synths": Family.SYNTH, "synthesizer": Family.SYNTH, "pad": Family.PAD, "pads": Family.PAD,
    "钢琴": Family.PIANO, "吉他": Family.GUITAR, "贝斯": Family.BASS, "弦乐": Family.STRINGS, "小提琴": Family.STRINGS,
    "铜管": Family.BRASS, "小号": Family.BRASS, "萨克斯": Family.SAX, "长笛": Family.FLUTE, "合成器": Family.SYNTH,
    "风琴": Family.ORGAN, "合唱": Family.CHOIR,
}  # fmt: skip
_FAMILY = "|".join(sorted((re.escape(w) for w in FAMILY_WORDS if w.isascii()), key=len, reverse=True))
_FAMILY_ZH = "|".join(w for w in FAMILY_WORDS if not w.isascii())
# "remove the piano", "take out the guitar", "no strings", "without the synth", "replace the piano with a violin",
# "去掉钢琴", "把吉他去掉" (not "no piano music": a piece refused, not an instrument taken out of one)
_OUT = re.compile(rf"\b(?:(?:remove|take out|take away|mute|cut|kill|lose|get rid of|drop|delete|ditch|without|replace|"
                  rf"swap(?: out)?)\s+(?:the\s+|that\s+|all\s+(?:the\s+)?|any\s+|of\s+the\s+)?|no\s+(?:more\s+)?)"
                  rf"(?P<word>{_FAMILY})\b(?!\s+(?:is|are|was|sounds?|looks?|seems?)\b)"
                  rf"(?!\s+(?:music|genre|track|song|piece|version|vibes?|style|solo piece))"
                  rf"|(?:去掉|拿掉|删掉|不要|关掉)(?P<zh>{_FAMILY_ZH})|把(?P<zh2>{_FAMILY_ZH})(?:去掉|拿掉|删掉|关掉)",
                  re.I)  # fmt: skip
# "bring the piano back", "put the strings back in", "add the guitar back", "把钢琴加回来"
_BACK = re.compile(rf"\b(?:bring|put|add)\s+back\s+(?:the\s+)?(?P<word>{_FAMILY})\b"
                   rf"|\b(?:bring|put|add)\s+(?:the\s+)?(?P<word2>{_FAMILY})\s+back\b"
                   rf"|把(?P<zh>{_FAMILY_ZH})加回来", re.I)  # fmt: skip


def _families(pattern: re.Pattern[str], text: str) -> tuple[Family, ...]:
    matches = [m for m in pattern.finditer(text) if not m.group(0).lower().startswith("drop the bass")]  # a drop
    return tuple(dict.fromkeys(FAMILY_WORDS[next(w for w in m.groups() if w).lower()] for m in matches))


def without_family_words(text: str) -> str:
    """``text`` without the instruments it takes out or puts back: "bring the piano back" asks for no piano piece."""
    return _BACK.sub(" ", _OUT.sub(" ", text))


def families_out(text: str) -> tuple[Family, ...]:
    """The instrument families ``text`` asks to take out of the piece ("remove the piano", "no strings")."""
    return _families(_OUT, text)


def families_back(text: str) -> tuple[Family, ...]:
    """The instrument families ``text`` asks to put back ("bring the piano back")."""
    return _families(_BACK, text)
