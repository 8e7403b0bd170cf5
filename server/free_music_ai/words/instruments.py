"""Instruments people ask to carry the tune ("a sad violin", "萨克斯"), as General MIDI programs.

Only instruments that sing in a lead's register are here: a piano or a guitar names a genre (words/genre.py),
low instruments (cello, tuba) would be played high and thin where the tunes sit, and words that mean something
else in a creator's sentence ("good vibes", "screen recorder") are left out.
"""

from __future__ import annotations

import re

from free_music_ai.engine.music.families import Family
from free_music_ai.words.asked import asked
from free_music_ai.words.moment_phrases import ONE_TIME
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
                  rf"swap(?: out)?)\s+(?:the\s+|that\s+|all\s+(?:the\s+)?|any\s+|of\s+the\s+)?|no\s+(?:more\s+)?"
                  rf"|(?:take|pull|leave|cut|keep)\s+(?=(?:the\s+)?(?:{_FAMILY})\s+out\b)(?:the\s+)?)"
                  rf"(?P<word>{_FAMILY})(?:\s+out\b)?\b(?!\s+(?:is|are|was|sounds?|looks?|seems?)\b)"
                  rf"(?!\s+(?:music|genre|track|song|piece|version|vibes?|style|solo piece|rumble|noise|hum))"
                  rf"|(?:去掉|拿掉|删掉|不要|关掉)(?P<zh>{_FAMILY_ZH})|把(?P<zh2>{_FAMILY_ZH})(?:去掉|拿掉|删掉|关掉)"
                  rf"|(?P<zh3>{_FAMILY_ZH})(?:去掉|拿掉|删掉|关掉)",
                  re.I)  # fmt: skip
# "bring the piano back", "put the strings back in", "add the guitar back", "把钢琴加回来"
_BACK = re.compile(rf"\b(?:bring|put|add)\s+back\s+(?:the\s+)?(?P<word>{_FAMILY})\b"
                   rf"|\b(?:bring|put|add)\s+(?:the\s+)?(?P<word2>{_FAMILY})\s+back\b"
                   rf"|把(?P<zh>{_FAMILY_ZH})加回来", re.I)  # fmt: skip


# an instrument added to the piece there ("add some strings", "add a choir", "加点弦乐"): it plays the chords
# (engine/music/added_instruments.py). Not an instrument that carries a tune ("add a violin": LEAD_WORDS), nor "add
# more piano" (a level), nor "add piano music" (a genre), nor "add the piano back"
_ADDABLE = ("piano", "pianos", "strings", "string section", "choir", "brass", "horns", "guitar", "guitars",
            "acoustic guitar", "pad", "pads", "synth pad", "bells", "glockenspiel", "chimes")  # fmt: skip
ADDABLE_WORDS = {"string section": Family.STRINGS, "acoustic guitar": Family.GUITAR, "synth pad": Family.PAD,
                 "glockenspiel": Family.BELLS, "chimes": Family.BELLS,
                 **{w: FAMILY_WORDS[w] for w in _ADDABLE if w in FAMILY_WORDS}}  # fmt: skip
_ADDABLE_WORD = "|".join(sorted(map(re.escape, _ADDABLE), key=len, reverse=True))
_ADD = re.compile(rf"\b(?:add|throw\s+in|put\s+in|layer\s+in|include|bring\s+in)\s+(?:some\s+|a\s+|an\s+|the\s+|"
                  rf"a\s+(?:bit|touch)\s+of\s+|a\s+little\s+)?(?P<word>{_ADDABLE_WORD})\b"
                  rf"(?!\s+(?:back|music|genre|track|song|piece|version|vibes?|style|solo|only)\b)"
                  rf"|(?:加|加上|加入|加点|加一点|加些)(?P<zh>弦乐|钢琴|合唱|铜管|吉他)(?!曲|音乐)", re.I)  # fmt: skip


_AND_MORE = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:some\s+|a\s+|an\s+|the\s+)?(?P<word>{_ADDABLE_WORD})\b",
                       re.I)  # fmt: skip


def families_added(text: str) -> tuple[Family, ...]:
    """The instrument families ``text`` adds to the whole piece ("add some strings"), not for a stretch only."""
    found = [m for m in _ADD.finditer(text) if asked(text, m) and not _ENTRANCE_AT.match(text, m.end())
             and not (m.group("zh") and _ZH_ENTRANCE_BEFORE.search(text[max(0, m.start("zh") - 20) : m.start("zh")]))
             and not _THEIR_OWN.search(text[max(0, m.start() - 30) : m.start()])]  # fmt: skip
    words = [m.group("word").lower() if m.group("word") else m.group("zh") for m in found]
    for match in found:  # "add brass and a choir", "add strings, a choir and some bells"
        at = match.end()
        while (more := _AND_MORE.match(text, at)) and not _ENTRANCE_AT.match(text, more.end()):
            words.append(more.group("word").lower())
            at = more.end()
    return tuple(dict.fromkeys(ADDABLE_WORDS.get(w) or FAMILY_WORDS[w] for w in words))


def without_added(text: str) -> str:
    """``text`` without its phrases that add an instrument: "add some piano" asks for no piano piece (when music
    is there)."""
    return _ADD.sub(" ", text)


# an instrument brought in at a time or at a place, so left out before it: "bring the piano in at 0:20", "let the
# guitar come in at 0:10", "the strings enter after the intro", "piano only in the second half", "钢琴在0:20进来",
# "0:20之后再加钢琴". Read as the drums' entrances are (words/moment_phrases.py, words/places.py), with the drums named
_IN = r"(?:\s+in\b(?=\s+(?:at|from|after|in|for|during|towards?)\b))?"  # "come in at 0:20", "join in the second half"
_ENTERS = re.compile(
    rf"\b(?:bring|add|start)\s+(?:in\s+)?(?:the\s+|some\s+|a\s+|an\s+)?(?P<word>{_FAMILY}){_IN}"
    rf"|\b(?:the\s+)?(?P<word2>{_FAMILY})\s+(?:should\s+|will\s+|to\s+)?(?:come|kick|start|enter|join)s?{_IN}"
    rf"|\b(?:the\s+)?(?P<word3>{_FAMILY})\s+(?:should\s+)?only(?:\s+(?:play|come in|enter|join)s?)?\b"
    rf"|(?P<zh>{_FAMILY_ZH})\s*(?=(?:在|从)\s*{ONE_TIME.pattern}\s*(?:(?:开始)\s*)?(?:进来|加入|进))"
    rf"|(?<=进|加|入)(?P<zh2>{_FAMILY_ZH})",
    re.I,
)  # fmt: skip
# what must follow the English words for them to name an entrance: a time, or a place in the piece
_ENTRANCE_AT = re.compile(r"\s+(?:at|from|after|in|for|during|towards?|between)\s+(?:the\s+)?(?:\d|second half|"
                          r"latter half|last half|back half|last part|ending|end\b|outro|intro|beginning|opening|start|"
                          r"first part|first half|front half)", re.I)  # fmt: skip
# what must come before a Chinese "进钢琴"/"加钢琴": a time (then "之后", "再", "才")
_ZH_ENTRANCE_BEFORE = re.compile(rf"{ONE_TIME.pattern}\s*(?:(?:之后|以后)\s*)?(?:(?:再|才|开始)\s*)?(?:加入|进|加)$",
                                 re.I)  # fmt: skip


def families_in_for_a_stretch(text: str) -> list[tuple[Family, int, int]]:
    """The instrument families ``text`` brings in at a time or a place, so out before it ("bring the piano in at
    0:20", "piano only in the second half"): each family, and where its word starts and ends."""
    return [(FAMILY_WORDS[match.group(key).lower()], *match.span(key)) for match, key in _entrances(text)
            if asked(text, match)
            and not _THEIR_OWN.search(text[max(0, match.start() - 30) : match.start(key)])]  # fmt: skip


def _entrances(text: str) -> list[tuple[re.Match[str], str]]:
    """Every phrase that brings an instrument in at a time or place, asked or not, and the name of its word's group."""
    found = []
    for match in _ENTERS.finditer(text):
        key = next(k for k, v in match.groupdict().items() if v)
        if not key.startswith("zh") and not _ENTRANCE_AT.match(text, match.end()):
            continue
        if key == "zh2" and not _ZH_ENTRANCE_BEFORE.search(text[max(0, match.start(key) - 20) : match.start(key)]):
            continue
        found.append((match, key))
    return found


# an instrument named for a part of the piece only ("no piano in the intro", "remove the strings from 0:10 to 0:20"):
# not taken out of the whole piece, which is all an instrument edit can do
_OF_A_STRETCH = re.compile(r"\s*(?:in|during|for|from|after|before|at|until|between|over)\s+(?:the\s+)?(?:intro|"
                           r"ending|end|outro|first|second|last|middle|beginning|start|chorus|\d)", re.I)  # fmt: skip


# a part of the piece named before the words in Chinese ("开头不要钢琴", "最后10秒不要吉他"): that stretch's only
_ZH_STRETCH_BEFORE = re.compile(
    r"(?:开头|结尾|前半段|后半段|前半部分|后半部分|中间部分|中间|最后\s*\d{1,4}\s*秒)(?:的)?\s*$"
)


# the user's own instrument or voice, in the footage: "my guitar is too quiet", "my voice has too much bass"
_THEIR_OWN = re.compile(
    r"\b(?:my|our|his|her|their)\s+(?:\w+\s+)?$|\b(?:voice|vocals|mic|microphone)\b[^.,;!?]*$", re.I
)


def _asked(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The phrases of ``pattern`` the text asks for: not refused, not asked about, not said of a stretch only, not
    the user's own instrument, not a bass drop."""
    return [m for m in pattern.finditer(text) if asked(text, m) and not _of_a_stretch(text, m)
            and not _THEIR_OWN.search(text[max(0, m.start() - 30) : m.start()] + _word_start(m))
            and not m.group(0).lower().startswith("drop the bass")]  # fmt: skip


def _of_a_stretch(text: str, match: re.Match[str]) -> bool:
    """Whether the phrase names its instrument for a part of the piece only: after it ("no piano in the intro"), or
    before it in Chinese ("开头不要钢琴")."""
    return bool(_OF_A_STRETCH.match(text, match.end()) or _ZH_STRETCH_BEFORE.search(text[max(0, match.start() - 12) :
                                                                                           match.start()]))  # fmt: skip


def _word_start(match: re.Match[str]) -> str:
    """The matched phrase up to its instrument word ("the " of "the guitar is too quiet")."""
    found = {k: v for k, v in match.groupdict().items() if v}
    key = next((k for k in ("word", "word2", "word3", "word5", "zh", "zh2", "zh3") if k in found), None)
    return match.group(0)[: match.start(key) - match.start()] if key else ""


def _families(pattern: re.Pattern[str], text: str) -> tuple[Family, ...]:
    return tuple(dict.fromkeys(FAMILY_WORDS[next(w for w in m.groups() if w).lower()] for m in _asked(pattern, text)))


# an instrument's level: "make the piano louder", "turn down the strings", "the bass is too loud", "more bass",
# "钢琴大声一点"
_UP = r"louder|up|more present|stronger"
_DOWN = r"quieter|softer|down|lower|less present"
_LEVEL = re.compile(
    rf"\b(?:make|turn|bring|have|get)\s+(?:the\s+)?(?P<word>{_FAMILY})\s+(?:a\s+(?:bit|little)\s+|much\s+)?"
    rf"(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b"
    rf"|\b(?:turn|bring)\s+(?:(?P<up2>up)|(?P<down2>down))\s+the\s+(?P<word2>{_FAMILY})\b"
    rf"|\b(?:the\s+)?(?P<word3>{_FAMILY})\s+(?:is|are|sounds?|feels?)\s+(?:a\s+bit\s+|way\s+|kind\s+of\s+|much\s+)?"
    rf"(?:too\s+(?:(?P<down3>loud|much|strong|busy|harsh)|(?P<up3>quiet|soft|low|weak))|(?P<up4>barely audible))\b"
    rf"|\b(?:(?P<up5>more|louder|boost(?:\s+the)?)|(?P<down5>less|quieter|softer|too\s+much))\s+(?P<word5>{_FAMILY})\b"
    rf"|(?P<zh>{_FAMILY_ZH})(?:声音|的声音)?\s*(?:(?P<upzh>大声|大|响|多)|(?P<downzh>小声|小|轻|少))\s*(?:一点|一些|点)?",
    re.I,
)  # fmt: skip
FAMILY_STEP_DB, FAMILY_UP_DB = -4.0, 3.0  # as the drums move ("less drums", "more drums")


def family_levels(text: str) -> dict[Family, float]:
    """The steps of the instruments' levels ``text`` asks for, in dB ("make the piano louder": +3)."""
    steps: dict[Family, float] = {}
    for match in _asked(_LEVEL, text):
        found = {k: v for k, v in match.groupdict().items() if v}
        word = next(found[k] for k in ("word", "word2", "word3", "word5", "zh") if k in found)
        up = any(k.startswith("up") for k in found)
        steps[FAMILY_WORDS[word.lower()]] = FAMILY_UP_DB if up else FAMILY_STEP_DB
    return steps


def without_family_words(text: str) -> str:
    """``text`` without the instruments it takes out, puts back, brings in at a time or sets the level of: "bring the
    piano back" or "make the piano louder" ask for no piano piece."""
    entering = [match.span(key) for match, key in _entrances(text)]
    for a, b in reversed(entering):  # "bring the piano in at 0:20" asks for no piano piece, nor does its refusal
        text = text[:a] + " " + text[b:]
    return _LEVEL.sub(" ", _BACK.sub(" ", _OUT.sub(" ", text)))


def families_out(text: str) -> tuple[Family, ...]:
    """The instrument families ``text`` asks to take out of the piece ("remove the piano", "no strings")."""
    return _families(_OUT, text)


def families_out_for_a_stretch(text: str) -> list[tuple[Family, int, int]]:
    """The instrument families ``text`` asks to take out of a part of the piece only ("no piano in the intro",
    "remove the strings from 0:10 to 0:20"): each family, and where its phrase starts and its stretch's words start."""
    return [(FAMILY_WORDS[next(w for w in m.groups() if w).lower()], m.start(), m.end()) for m in _OUT.finditer(text)
            if asked(text, m) and _of_a_stretch(text, m)
            and not _THEIR_OWN.search(text[max(0, m.start() - 30) : m.start()] + _word_start(m))]  # fmt: skip


def zh_stretch_before(text: str, at: int) -> int | None:
    """Where a Chinese part of the piece named just before ``at`` starts ("开头" of "开头不要钢琴"), or None."""
    found = _ZH_STRETCH_BEFORE.search(text[max(0, at - 12) : at])
    return max(0, at - 12) + found.start() if found else None


def families_back(text: str) -> tuple[Family, ...]:
    """The instrument families ``text`` asks to put back ("bring the piano back")."""
    return _families(_BACK, text)
