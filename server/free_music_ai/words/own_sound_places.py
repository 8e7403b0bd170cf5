"""The video's own sound for a stretch named by its place, not by times ("lower my voice at the end", "mute the
original sound in the intro", "original audio 30% for the last 10 seconds", "结尾原声静音"): typed values whose
times are known once the video's length is (service/edits.py), as the music's placed stretches are (places.py)."""

from __future__ import annotations

import re

from free_music_ai.project.edits import OwnSoundPlace
from free_music_ai.words.asked import asked
from free_music_ai.words.moment_phrases import OWN_SOUND
from free_music_ai.words.moments import own_sound_level
from free_music_ai.words.places import OF, PART, SHARES
from free_music_ai.words.plain_text import without_matches

_VERB = (r"(?P<verb>mute|silence|cut|remove|kill|turn\s+off|switch\s+off|lower|turn\s+down|reduce|soften|duck|raise|"
         r"boost|turn\s+up)")  # fmt: skip
_WHERE = rf"(?:in|during|for|at|over|towards?|near|throughout)\s+the\s+{PART}{OF}"
# each its own pattern, so that each can name its groups alike
_PLACED = (
    re.compile(rf"\b{_VERB}\s+{OWN_SOUND}\s+{_WHERE}", re.I),  # "lower my voice at the end"
    # "original audio 30% for the last 10 seconds", "my voice off in the intro"
    re.compile(rf"\b{OWN_SOUND}\s+(?:(?P<off>off|muted)|(?:at\s+|to\s+)?(?P<pct>\d{{1,3}})\s*%)\s+{_WHERE}", re.I),
)
_PLACED_CHINESE = re.compile(r"(?P<part>开头|结尾|前半段|后半段|中间|最后\s*(?P<n>\d{1,4})\s*秒)(?:的)?\s*原声\s*"
                             r"(?P<zh>静音|关掉|去掉|小一点|小声|调低)")  # fmt: skip


def _matches(text: str) -> list[re.Match[str]]:
    """Every phrase of the patterns, in the text's order, none inside another."""
    found = sorted(
        (m for pattern in (*_PLACED, _PLACED_CHINESE) for m in pattern.finditer(text)), key=lambda m: m.start()
    )
    kept: list[re.Match[str]] = []
    for match in found:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def without_own_sound_places(text: str) -> str:
    """``text`` without them: "mute the original sound in the intro" mutes no whole sound."""
    return without_matches(text, _matches(text))


def read_own_sound_places(text: str) -> tuple[OwnSoundPlace, ...]:
    """The stretches of the video's own sound ``text`` names by their place, each with its level."""
    found: list[OwnSoundPlace] = []
    for match in _matches(text):
        if not asked(text, match):
            continue
        groups = match.groupdict()
        level = own_sound_level(groups)
        part = re.sub(r"\s+", " ", match.group("part").lower()).replace("very ", "")
        if groups.get("n"):  # "the last 10 seconds", "最后10秒", "the first 10 seconds"
            at_end = (groups.get("edge") or "last").lower() != "first"
            found.append(OwnSoundPlace(float(at_end), float(at_end), float(groups["n"]), level))
        elif part in SHARES:
            first, last = SHARES[part]
            found.append(OwnSoundPlace(first, last, None, level))
    return tuple(dict.fromkeys(found))
