"""Which upload a message means, with several in one session: its file name ("beach.mp4", "beach"), its number
("video 2", "the second clip", "第二个视频"), "the next video", or "all together" for the uploads played one
after another. project/focus.py then switches the project to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

_NOUN = r"(?:video|clip|file|image|photo|picture|one)"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}  # fmt: skip
_CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


class Upload(Protocol):
    """What focus needs of an asset row."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


def pick(message: str, uploads: Sequence[Upload], current: Sequence[str]) -> list[str] | None:
    """The asset ids the message points at, or None when it names none (or there is only one upload)."""
    if len(uploads) < 2:
        return None
    # words in quotes are a title's text, not a file: 'add title "beach"' must not switch to beach.mp4
    low = re.sub(r"[\"“”「『][^\"“”」』]*[\"“”」』]", " ", message).lower()
    ids = [u.id for u in uploads]
    if re.search(r"\b(all|both|every)\b.{0,20}\b(videos|clips|files|images|photos|together)\b"
                 r"|\bjoin (them|all|the)|全部|所有|合在一起|一起", low):  # fmt: skip
        return ids
    named = [u.id for u in uploads if _names(low, u.name)]
    if len(named) == 1:
        return named
    if re.search(rf"\bnext {_NOUN}\b|下一个", low):
        last = ids.index(current[-1]) if current and current[-1] in ids else -1
        return [ids[(last + 1) % len(ids)]]
    number = _number(low, len(ids))
    return [ids[number - 1]] if number is not None else None


# a bare stem that is an everyday word names its upload only where a sentence points at an upload: "back to beach",
# "work on dog", "the dog clip", "beach:" — not "make the intro calmer" or "a hit when the dog jumps" (intro.mp4 and
# dog.mp4 uploaded). A stem no one writes as a word ("IMG_1234", "beach-day", "clip2") counts anywhere
_POINTING_BEFORE = r"(?:\b(?:to|on|with|use|using|open|edit|select|pick|choose|for|into)\s+(?:the\s+|my\s+)?|^\s*)"
_POINTING_AFTER = rf"(?:\s+{_NOUN}s?\b|\s*[:,]|\s*$)"


def _names(low: str, name: str) -> bool:
    stem = name.rsplit(".", 1)[0].lower()
    if name.lower() in low:
        return True
    # a bare stem must stand as a word, and be long enough not to be an everyday word ("a.mp4")
    if len(stem) < 3:
        return False
    word = rf"(?<![\w.]){re.escape(stem)}(?![\w])"
    if not re.fullmatch(r"[a-z]+", stem):
        return re.search(word, low) is not None
    return re.search(rf"{_POINTING_BEFORE}{word}|{word}{_POINTING_AFTER}", low) is not None


def _number(low: str, count: int) -> int | None:
    found: int | None = None
    if match := re.search(rf"\b{_NOUN}\s*(?:(?:#|no\.?|number)\s*)?(\d{{1,2}})\b", low):
        found = int(match.group(1))
    elif match := re.search(rf"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last) {_NOUN}",
                            low):  # fmt: skip
        found = count if match.group(1) == "last" else _ORDINALS[match.group(1)]
    elif match := re.search(r"第\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:个|段|张)", low):
        word = match.group(1)
        found = int(word) if word.isdigit() else _CHINESE_NUMBERS[word]
    elif re.search("最后一个", low):
        found = count
    return found if found is not None and 1 <= found <= count else None
