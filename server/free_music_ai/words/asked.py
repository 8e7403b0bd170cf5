"""Whether a phrase of a message is asked for, in its own clause: not refused ("don't stop the music at 0:40"),
not a description of the footage ("there's silence from 0:10 to 0:20 in my footage") and not a question about the
music ("why did you mute the intro?")."""

from __future__ import annotations

import re

# a refusal in the clause just before a phrase: "don't stop the music at 0:40", "there shouldn't be a drop at 0:30",
# "I never asked for a hit at 0:15", "不要在0:40停止音乐" (not past a comma or a "but": "no, but add a hit at 0:15")
_REFUSAL = re.compile(r"\b(?:don'?t|do not|doesn'?t|does not|didn'?t|never|shouldn'?t|should not|mustn'?t|won'?t|"
                      r"not|no need (?:for|to)|no)\b|不要|别|不用|不需要|不想", re.I)  # fmt: skip
_CLAUSE_END = re.compile(r"[.,;:!?，。；！？]|\b(?:but|then|just|instead|and|also)\b", re.I)
REFUSAL_REACH = 40  # characters before a phrase where its refusal may be


# a phrase that describes the footage or asks about the music rather than asks for it: "there's silence from 0:10 to
# 0:20 in my footage", "why did you mute the intro?", "did you remove the bass?", "my video is silent in the second
# half", "it sounds empty without the bass", "the drop at 0:30 is awesome", "too much bass on my mic"
_NOT_ASKED_BEFORE = re.compile(
    r"\b(?:why|did you|didn'?t you|have you|does it|is there|are there|was there|there'?s|there is|there are|had|"
    r"what does|what happens|how do i|how can i|things like|if i|"
    r"there was|my (?:video|footage|clip|recording) (?:is|has|goes)|(?:it|this|that) (?:sounds?|feels?|is|was) \w+|"
    r"(?:it|everyone|everything|he|she) (?:gets|goes|becomes)|they (?:go|get|become)|"
    r"how come)\b|为什么|是不是|有没有",
    re.I,
)
_NOT_ASKED_AFTER = re.compile(
    r"^\s*(?:is|was|are|were|sounds|looks|feels)\b(?!\s+(?:too|a bit too|way too)\b)"
    r"|^[^.,;!?]{0,30}?\b(?:in|on|from|of) my (?:footage|video|clip|recording|mic|voice|audio)\b",
    re.I,
)


def not_asked(text: str, start: int, end: int) -> bool:
    """Whether the phrase at ``start:end`` of ``text`` describes the footage or asks about the music, in its own
    clause, rather than asks for something."""
    before = _CLAUSE_END.split(text[max(0, start - REFUSAL_REACH) : start])[-1]
    return bool(_NOT_ASKED_BEFORE.search(before) or _NOT_ASKED_AFTER.search(text[end : end + REFUSAL_REACH]))


def asked(text: str, match: re.Match[str]) -> bool:
    """Whether a phrase is asked for: neither refused ("don't remove the piano") nor said of the footage or asked
    about ("did you remove the bass?")."""
    return not refused_before(text, match.start()) and not not_asked(text, match.start(), match.end())


def refused_before(text: str, start: int) -> bool:
    """Whether the phrase at ``start`` of ``text`` is refused by the words just before it, in its own clause."""
    before = text[max(0, start - REFUSAL_REACH) : start]
    return bool(_REFUSAL.search(_CLAUSE_END.split(before)[-1]))
