"""Words said in the negative ("no piano", "not too epic", "without the violin", "use a violin instead of piano",
"less upbeat", "不要钢琴"): taken out before the genre, the mood and the instrument are read, so that naming what one
does not want never asks for it. "less X" of a mood word is read as a step away from it."""

from __future__ import annotations

import re

from free_music_ai.words.mood import MOOD_WORDS, mood_changes

# a negating word, the little words that may follow it ("don't want it to be too ..."), then what is negated: one
# word, or a name of two ("solo piano", "hip hop"). Each part is bounded, so any message is read in linear time.
_FILLER = (r"want|need|use|add|like|make|made|it|to|be|sound|feel|have|put|any|the|a|an|too|so|very|overly|much|"
           r"more|of|that|this|please|at|all|anything|something|with")  # fmt: skip
_NEGATED = re.compile(
    r"\b(?:no|not|without|never|nothing|don'?t|do not|doesn'?t|does not|isn'?t|avoid|instead of|rather than|"
    rf"replace|less)(?:\s+(?:{_FILLER})\b){{0,6}}\s+([a-z&'-]{{1,20}}(?:\s+(?:piano|hop|pop|fi|bap|soul|folk))?)",
    re.I,
)
_NEGATED_ZH = re.compile(r"(?:不要|别|不想要|不用|不是|没有|不需要)(?:太|那么|这么)?([\u4e00-\u9fff]{1,4})")
_LESS = re.compile(r"\b(?:less|not so|not as)\s+([a-z]{2,20})\b", re.I)
LESS_STEP = 0.4  # "less epic": 0.4 of the way back along the word's own direction (a comparative moves 0.35)


def without_negated(text: str) -> str:
    """``text`` without the words it says it does not want."""
    return _NEGATED_ZH.sub(" ", _NEGATED.sub(" ", text))


def less_changes(text: str) -> tuple[float, float]:
    """How "less epic", "not so upbeat"... move valence and arousal: away from each mood word so named."""
    dv = da = 0.0
    for match in _LESS.finditer(text):
        value = MOOD_WORDS.get(match.group(1).lower())
        if value is not None:
            dv, da = dv - LESS_STEP * value[0], da - LESS_STEP * value[1]
    return dv, da


def changes_said(text: str) -> tuple[float, float]:
    """The mood's moves a message asks for: "calmer", "more epic" (not "don't make it more epic"), "less upbeat"."""
    dv, da = mood_changes(without_negated(text))
    lv, la = less_changes(text)
    return dv + lv, da + la
