"""Mood words (English and Chinese) as valence/arousal, so "calm, warm" or "欢快" can steer the music."""

from __future__ import annotations

import re

# word -> (valence, arousal), each in [-1, 1]; placed after the usual valence-arousal (circumplex) studies
MOOD_WORDS: dict[str, tuple[float, float]] = {
    "happy": (0.8, 0.4), "joyful": (0.85, 0.55), "cheerful": (0.8, 0.45), "upbeat": (0.7, 0.7),
    "uplifting": (0.75, 0.5), "bright": (0.7, 0.3), "fun": (0.75, 0.6), "playful": (0.7, 0.45),
    "energetic": (0.5, 0.85), "exciting": (0.55, 0.85), "powerful": (0.3, 0.8), "epic": (0.2, 0.85),
    "intense": (-0.2, 0.9), "tense": (-0.5, 0.6), "angry": (-0.7, 0.8), "aggressive": (-0.5, 0.9),
    "dark": (-0.7, 0.1), "sad": (-0.75, -0.4), "melancholic": (-0.6, -0.35), "melancholy": (-0.6, -0.35),
    "lonely": (-0.65, -0.5), "nostalgic": (-0.1, -0.3), "sentimental": (0.0, -0.3), "emotional": (-0.2, 0.1),
    "romantic": (0.55, -0.2), "warm": (0.55, -0.2), "tender": (0.5, -0.45), "calm": (0.3, -0.7),
    "peaceful": (0.5, -0.7), "relaxed": (0.45, -0.6), "relaxing": (0.45, -0.6), "chill": (0.35, -0.45),
    "dreamy": (0.4, -0.55), "serene": (0.5, -0.75), "gentle": (0.4, -0.55), "soft": (0.3, -0.6),
    "mysterious": (-0.3, -0.1), "suspense": (-0.5, 0.4), "suspenseful": (-0.5, 0.4), "hopeful": (0.6, 0.15),
    "inspiring": (0.65, 0.45), "triumphant": (0.75, 0.8), "heroic": (0.5, 0.8), "confident": (0.55, 0.5),
    "quiet": (0.1, -0.75), "slow": (0.0, -0.6), "fast": (0.2, 0.7), "groovy": (0.5, 0.4),
    "轻松": (0.5, -0.4), "放松": (0.45, -0.6), "欢快": (0.8, 0.6), "快乐": (0.8, 0.45), "开心": (0.8, 0.45),
    "愉快": (0.75, 0.4), "激昂": (0.4, 0.85), "热血": (0.4, 0.9), "史诗": (0.2, 0.85), "伤感": (-0.7, -0.35),
    "悲伤": (-0.8, -0.4), "忧郁": (-0.6, -0.4), "平静": (0.35, -0.7), "安静": (0.2, -0.75), "温暖": (0.55, -0.2),
    "浪漫": (0.55, -0.2), "温柔": (0.5, -0.5), "紧张": (-0.5, 0.65), "神秘": (-0.3, -0.1), "黑暗": (-0.7, 0.1),
    "梦幻": (0.4, -0.5), "怀旧": (-0.1, -0.3), "励志": (0.65, 0.5), "动感": (0.5, 0.75), "舒缓": (0.35, -0.65),
}  # fmt: skip
_MODIFIERS = {"calmer": (0.0, -0.35), "more upbeat": (0.25, 0.35), "darker": (-0.35, 0.0), "brighter": (0.3, 0.1),
              "happier": (0.35, 0.1), "sadder": (-0.35, -0.1), "more epic": (0.0, 0.35), "faster": (0.0, 0.3),
              "slower": (0.0, -0.3), "more energetic": (0.05, 0.35), "softer": (0.0, -0.3),
              "更平静": (0.0, -0.35), "更安静": (0.0, -0.35), "更欢快": (0.25, 0.35), "更暗": (-0.35, 0.0),
              "更史诗": (0.0, 0.35), "更快": (0.0, 0.3), "更慢": (0.0, -0.3), "更悲伤": (-0.35, -0.1),
              "更开心": (0.35, 0.1),
              # the same steps said in other words
              "speed it up": (0.0, 0.3), "pick up the pace": (0.0, 0.3), "tad quicker": (0.0, 0.3),
              "bit quicker": (0.0, 0.3), "little quicker": (0.0, 0.3), "quicker tempo": (0.0, 0.3),
              "slow it down": (0.0, -0.3), "more energy": (0.05, 0.35), "tone it down": (0.0, -0.35),
              "calm it down": (0.0, -0.35), "liven it up": (0.05, 0.35), "pump it up": (0.05, 0.35),
              # (not the bare 快一点: "快一点导出吧" asks for the export soon)
              "节奏快一点": (0.0, 0.3), "速度快一点": (0.0, 0.3), "再快一点": (0.0, 0.3), "节奏慢一点": (0.0, -0.3),
              "速度慢一点": (0.0, -0.3), "慢一点": (0.0, -0.3)}  # fmt: skip


def mood_from_words(text: str) -> tuple[float, float] | None:
    """The valence and arousal of the mood words in ``text``; None when it names no mood.

    Each word counts on each axis as strongly as it leans there: "sad, calm piano" is sad (calm is barely
    positive, so it does not cancel the sadness) and calm (sad is only a little low in energy), as "dark epic"
    is dark and epic. A plain average would make the first nearly neutral, and the music major."""
    lowered = text.lower()
    found: list[tuple[float, float]] = []
    for word, value in MOOD_WORDS.items():
        if word.isascii():
            if re.search(rf"\b{re.escape(word)}\b", lowered):
                found.append(value)
        elif word in text:
            found.append(value)
    if not found:
        return None
    return _leaning([v for v, _ in found]), _leaning([a for _, a in found])


def _leaning(values: list[float]) -> float:
    """The values averaged with each weighted by its own size (a plain average when all are zero)."""
    weight = sum(abs(value) for value in values)
    if weight == 0:
        return 0.0
    return sum(value * abs(value) for value in values) / weight


_LONGEST_FIRST = tuple(sorted(_MODIFIERS, key=len, reverse=True))
MODIFIER_PHRASES = frozenset(_MODIFIERS)


def mood_changes(text: str) -> tuple[float, float]:
    """How much "calmer", "darker", "more epic"... move valence and arousal (for edits of a previous spec)."""
    lowered = text.lower()
    dv = da = 0.0
    for phrase in _LONGEST_FIRST:  # each word counted once: "更快一点" is one step
        if phrase in lowered:
            v, a = _MODIFIERS[phrase]
            dv, da = dv + v, da + a
            lowered = lowered.replace(phrase, " ")
    return dv, da
