"""Text from a door (a message, a title given as a value or in words) is checked here before anything reads or
stores it: a lone surrogate cannot be written out as UTF-8 (it would fail deep inside a save), and control
characters draw as boxes or break a title's layout. The answer is a sentence that says what to change."""

from __future__ import annotations

import re
import unicodedata

from free_music_ai.errors import InputError

# line breaks and tabs are part of a message; a title may break its lines, nothing else
MESSAGE_CONTROLS = frozenset("\n\r\t")
TITLE_CONTROLS = frozenset("\n")


def checked_text(text: str, what: str, allowed_controls: frozenset[str] = MESSAGE_CONTROLS) -> str:
    """``text`` as it is when it holds only characters we can store and draw; otherwise an InputError naming
    ``what`` (e.g. "The message", "The title") and the first character refused, by its position."""
    for position, char in enumerate(text, start=1):
        if "\ud800" <= char <= "\udfff":
            raise InputError(f"{what} has a broken character at position {position} (a lone UTF-16 surrogate, "
                             f"U+{ord(char):04X}). Retype that part of the text and send it again.")  # fmt: skip
        if unicodedata.category(char) == "Cc" and char not in allowed_controls:
            raise InputError(f"{what} has a control character at position {position} (U+{ord(char):04X}), which "
                             "cannot be shown. Remove it and send the text again.")  # fmt: skip
    return text


def checked_title(text: str) -> str:
    """A title's text: line breaks are allowed, other control characters are not."""
    return checked_text(text, "The title", TITLE_CONTROLS)


def without_matches(text: str, matches: list[re.Match[str]]) -> str:
    """``text`` with each of ``matches`` (found in it, in order) made a space: what ``pattern.sub(" ", text)`` makes,
    without reading the text a second time (an 8,000-character message is read by some 30 patterns)."""
    if not matches:
        return text
    kept, at = [], 0
    for match in matches:
        kept += [text[at : match.start()], " "]
        at = match.end()
    return "".join([*kept, text[at:]])
