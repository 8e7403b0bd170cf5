"""Finding which of a table's names a sentence uses: whole words in English (so "harp" is not in "sharp"), any
place in Chinese (no spaces to mark words), the longest name first ("upbeat pop" before "pop")."""

from __future__ import annotations

import re
from collections.abc import Iterable


def first_named(text: str, names: Iterable[str], plural: bool = False) -> str | None:
    """The longest of ``names`` that ``text`` uses (with ``plural``, also followed by an "s"); None when none."""
    lowered = text.lower()
    ending = "s?" if plural else ""
    for name in sorted(names, key=len, reverse=True):
        if name.isascii():
            if re.search(rf"(?<![a-z]){re.escape(name)}{ending}(?![a-z])", lowered):
                return name
        elif name in text:
            return name
    return None


def says_any(text: str, *patterns: str) -> bool:
    """Whether ``text`` matches any of the regular expressions ``patterns``."""
    return any(re.search(p, text) for p in patterns)
