"""Words said in the negative ("no piano", "not too epic", "without the violin", "use a violin instead of piano",
"less upbeat", "不要钢琴"): taken out before the genre, the mood and the instrument are read, so that naming what one
does not want never asks for it. "less X" of a mood word is read as a step away from it."""

from __future__ import annotations

import re

from free_music_ai.words.genre import GENRE_WORDS
from free_music_ai.words.instruments import LEAD_WORDS
from free_music_ai.words.mood import MODIFIER_PHRASES, MOOD_WORDS, mood_changes

# A negating word, the little words that may follow it ("don't want it to be too ..."), then what is negated: one
# word, or a name of two ("solo piano", "hip hop"). Each part is bounded, so any message is read in linear time.
# "no" takes its word at once ("no piano"; "No make it happier" is an answer, then a request); "not X enough" wants
# more of X; "nothing but piano" wants piano; "replace X with Y" refuses X only.
_FILLER = (r"want|need|use|add|like|make|made|it|to|be|go|get|sound|feel|have|put|any|the|a|an|too|so|very|overly|much|"
           r"more|of|that|this|please|at|all|anything|something")  # fmt: skip
_WORD = r"(?!but\b)([a-z&'-]{1,20}(?:\s+(?:piano|hop|pop|fi|bap|soul|folk))?)\b(?!\s+enough\b)"
_NEGATED = re.compile(
    rf"\b(?:not|without|never|don'?t|do not|doesn'?t|does not|isn'?t|avoid|instead of|rather than|remove|take out|"
    rf"take away|get rid of|ditch)"
    rf"(?:\s+(?:{_FILLER})\b){{0,6}}\s+{_WORD}"
    rf"|\b(?:no|nothing|less)\s+(?:(?:the|a|an|any|more|too|so|very)\s+){{0,2}}{_WORD}"
    rf"|\breplace\s+(?:the\s+|my\s+)?{_WORD}\s+with\b",
    re.I,
)
# in Chinese only the names the tables know are taken after a negation (不要钢琴要吉他: the guitar is still wanted;
# 特别 is "very", not 别 "don't")
_CHINESE_NAMES = "|".join(sorted((w for w in (*GENRE_WORDS, *MOOD_WORDS, *LEAD_WORDS) if not w.isascii()),
                                 key=len, reverse=True))  # fmt: skip
_NEGATED_ZH = re.compile(rf"(?:不要|不想要|不用|不需要|去掉|拿掉|删掉)(?:太|那么|这么)?(?:{_CHINESE_NAMES})"
                         rf"|把(?:{_CHINESE_NAMES})(?:去掉|拿掉|删掉)")  # fmt: skip
# "not epic enough": more of it (the words taken out, the step added)
_NOT_ENOUGH = re.compile(r"\bnot\s+(?:\w+\s+)?([a-z]{2,20})\s+enough\b", re.I)
_LESS = re.compile(r"\b(?:less|not so|not as)\s+([a-z]{2,20})\b", re.I)
LESS_STEP = 0.4  # "less epic": 0.4 of the way back along the word's own direction (a comparative moves 0.35)
# "more relaxed", "a bit more chill": a step towards that mood (it set the mood to the word's own value, so "more
# relaxed" after "much calmer" made it livelier); "more epic" and the like have steps of their own (mood.py)
# ("gets more intense" is the piece's shape, not a step)
_MORE = re.compile(r"(?<!gets )(?<!getting )(?<!becomes )(?<!becoming )(?<!grows )(?<!growing )(?<!builds )"
                   r"\b(?:a\s+(?:bit|little)\s+|even\s+|much\s+|way\s+)?more\s+([a-z]{2,20})\b", re.I)  # fmt: skip


def without_negated(text: str) -> str:
    """``text`` without the words it says it does not want."""
    return _NEGATED_ZH.sub(" ", _NEGATED.sub(" ", _NOT_ENOUGH.sub(" ", text)))


def less_changes(text: str) -> tuple[float, float]:
    """How "less epic", "not so upbeat" (away from each mood word so named) and "not epic enough" (towards it) move
    valence and arousal."""
    dv = da = 0.0
    for pattern, sign in ((_LESS, -1.0), (_NOT_ENOUGH, 1.0), (_MORE, 1.0)):
        for match in pattern.finditer(text):
            value = _stepped_mood(match) if pattern is _MORE else MOOD_WORDS.get(match.group(1).lower())
            if value is not None:
                dv, da = dv + sign * LESS_STEP * value[0], da + sign * LESS_STEP * value[1]
    return dv, da


def _stepped_mood(match: re.Match[str]) -> tuple[float, float] | None:
    """The mood "more X" steps towards: X's, unless "more X" has a step of its own ("more epic")."""
    word = match.group(1).lower()
    return None if f"more {word}" in MODIFIER_PHRASES else MOOD_WORDS.get(word)


def without_more_moods(text: str) -> str:
    """``text`` without its "more X" of a mood word: a step towards X (less_changes), not the mood X itself."""
    return _MORE.sub(lambda m: " " if _stepped_mood(m) is not None else m.group(0), text)


# how far a step goes when its degree is said just before it: "a bit calmer" half a step, "much calmer" one and three
# quarters ("a bit calmer", "calmer" and "way calmer" were the same step)
_SLIGHTLY = re.compile(r"\b(?:a\s+little\s+bit|a\s+(?:bit|little|touch|tad)|slightly|somewhat|just\s+a\s+bit)\s+"
                       r"((?:more|less)\s+)?([a-z-]{2,20})\b", re.I)  # fmt: skip
_MUCH = re.compile(r"\b(?:much|way|far|a\s+lot|lots|significantly|even\s+more)\s+((?:more|less)\s+)?([a-z-]{2,20})\b",
                   re.I)  # fmt: skip
DEGREES = ((_SLIGHTLY, 0.5), (_MUCH, 1.75))


def changes_said(text: str) -> tuple[float, float]:
    """The mood's moves a message asks for: "calmer", "more epic" (not "don't make it more epic"), "less upbeat";
    half as far said "a bit", further said "much"."""
    dv, da = _steps(text)
    degree = _degree(text)
    return round(dv * degree, 4), round(da * degree, 4)


def _steps(text: str) -> tuple[float, float]:
    dv, da = mood_changes(without_negated(text))
    lv, la = less_changes(text)
    return dv + lv, da + la


def _degree(text: str) -> float:
    """How far the steps go: the degree said just before a word that is a step ("a bit calmer", "much more epic";
    not "thanks so much, calmer", nor "a bit of piano")."""
    for pattern, factor in DEGREES:
        for match in pattern.finditer(text):
            if _steps(f"{match.group(1) or ''}{match.group(2)}") != (0.0, 0.0):
                return factor
    return 1.0
