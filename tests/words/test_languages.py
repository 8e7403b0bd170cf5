"""A message in a language the words are not read in is told so (the creator probe's Spanish got "I could not tell
what to change" and no word of why)."""

from __future__ import annotations

import pytest

from free_music_ai.words.languages import other_language


@pytest.mark.parametrize(
    ("message", "language"),
    [("música tranquila para mi video", "Spanish"), ("hazla más tranquila, por favor", "Spanish"),
     ("musique plus calme s'il vous plaît", "French"), ("Mach die Musik bitte ruhiger", "German"),
     ("fammi la musica più tranquilla", "Italian"), ("deixa a música mais calma", "Portuguese"),
     ("make it calmer", None), ("music plus a title", None), ("lo-fi with piano", None), ("安静一点", None),
     ("con calma", None)],
)  # fmt: skip
def test_the_language_of_a_message_not_read_is_named(message: str, language: str | None) -> None:
    assert other_language(message) == language
