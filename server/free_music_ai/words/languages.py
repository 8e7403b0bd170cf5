"""Which other language a message not understood seems to be in: the words are read in English and Chinese only,
and a creator who wrote in Spanish heard "I could not tell what to change" with no word of why (the creator probe)."""

from __future__ import annotations

import re

# words and letters that mark a language and are not English: two of them (a letter only that language writes counts
# as two: _OWN_LETTERS)
_MARKERS: dict[str, re.Pattern[str]] = {
    "Spanish": re.compile(r"\b(?:música|canción|más|tranquila|tranquilo|hazla|hazlo|quiero|fondo|alegre|triste|"
                          r"por favor|para mi|sin|con)\b", re.I),
    "Portuguese": re.compile(r"\b(?:música|canção|mais|calma|faça|quero|fundo|vídeo|sem|com|por favor)\b|ç", re.I),
    "French": re.compile(r"\b(?:musique|chanson|plus|calme|rends|moins|douce|fond|avec|sans|vidéo|s'il vous plaît)\b"
                         r"|[èêàùœ]", re.I),
    "German": re.compile(r"\b(?:musik|bitte|ruhiger|lauter|leiser|schneller|langsamer|mach|mache|hintergrundmusik|"
                         r"ohne|mit)\b|[äöü]", re.I),
    "Italian": re.compile(r"\b(?:musica|canzone|più|tranquilla|per favore|fammi|senza|sfondo)\b", re.I),
}  # fmt: skip
_OWN_LETTERS: dict[str, re.Pattern[str]] = {
    "Spanish": re.compile(r"[ñ¿¡]"), "Portuguese": re.compile(r"[ãõ]"), "German": re.compile(r"[ß]"),
}  # fmt: skip


def other_language(text: str) -> str | None:
    """The language ``text`` seems to be written in, when it is one the words are not read in (None: English,
    Chinese, or too little to tell)."""
    sample = text[:2000]  # a few sentences tell; a flood is not read further
    scores = {name: len({m.group(0).lower() for m in pattern.finditer(sample)}) for name, pattern in _MARKERS.items()}
    for name, letters in _OWN_LETTERS.items():
        if letters.search(sample):
            scores[name] += 2
    name, score = max(scores.items(), key=lambda item: item[1])
    return name if score >= 2 else None
