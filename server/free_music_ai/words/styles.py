"""Styles and occasions people name that are not one of the genres by name ("reggae", "bossa nova", "country music",
"meditation music", "a lullaby", "halloween"), each read as the genre that plays it nearest, with the mood (and
the instrument for the tune) that bring it closer. A style the engine does not play as such is said so in the
reply ("Reggae is not a style I play yet: ..."); an occasion or a kind of a genre ("meditation", "drum and bass")
is simply that genre. Before, these names were read as nothing: "meditation music" got upbeat pop from the footage,
and the reply did not say the word was not understood."""

from __future__ import annotations

from dataclasses import dataclass

from free_music_ai.engine.music.spec import Genre
from free_music_ai.words.names import first_named


@dataclass(frozen=True)
class StandIn:
    genre: Genre
    mood: tuple[float, float] | None = None  # valence, arousal: used when the words name no mood of their own
    lead: int | None = None  # the General MIDI program for the tune, when the style has one of its own
    own: bool = False  # True: a style of its own the genre only stands in for (the reply says so)


def _style(genre: Genre, mood: tuple[float, float] | None = None, lead: int | None = None) -> StandIn:
    return StandIn(genre, mood, lead, own=True)


_REGGAE = _style(Genre.RNB, (0.6, 0.1))  # laid back, the bass up front
_FUNK = _style(Genre.RNB, (0.65, 0.65))
_COUNTRY = _style(Genre.FOLK, (0.55, 0.35), lead=40)  # the fiddle over strummed guitar
_BOSSA = _style(Genre.JAZZ, (0.5, -0.3), lead=73)  # soft, the flute over nylon-string comping
_LATIN = _style(Genre.POP, (0.75, 0.75))
_TANGO = _style(Genre.ACOUSTIC, (-0.2, 0.5), lead=21)  # the bandoneon's nearest, the accordion
_BLUES = _style(Genre.JAZZ, (-0.3, -0.1), lead=22)  # the harmonica
_GOSPEL = _style(Genre.RNB, (0.75, 0.45), lead=19)  # the church organ
_AFRO = _style(Genre.RNB, (0.75, 0.6))
_REGGAETON = _style(Genre.HIPHOP, (0.6, 0.7))
_CALM = (0.5, -0.85)

# name -> the genre that plays it nearest; the longest name said wins ("drum and bass" over "bass")
STYLE_WORDS: dict[str, StandIn] = {
    # styles of their own
    "reggae": _REGGAE, "ska": _REGGAE, "dancehall": _REGGAE, "雷鬼": _REGGAE,
    "funk": _FUNK, "funky": _FUNK, "motown": _FUNK, "放克": _FUNK,
    "country music": _COUNTRY, "country song": _COUNTRY, "country style": _COUNTRY, "country-style": _COUNTRY,
    "bluegrass": _COUNTRY, "americana": _COUNTRY, "乡村音乐": _COUNTRY, "乡村风": _COUNTRY,
    "bossa nova": _BOSSA, "bossa": _BOSSA, "samba": _BOSSA, "波萨诺瓦": _BOSSA,
    "latin": _LATIN, "salsa": _LATIN, "cumbia": _LATIN, "拉丁": _LATIN,
    "tango": _TANGO, "flamenco": _TANGO, "探戈": _TANGO, "弗拉门戈": _TANGO,
    "blues": _BLUES, "bluesy": _BLUES, "蓝调": _BLUES,
    "gospel": _GOSPEL, "福音": _GOSPEL,
    "afrobeat": _AFRO, "afrobeats": _AFRO, "amapiano": _AFRO,
    "reggaeton": _REGGAETON,
    # kinds of a genre, and occasions: that genre, in their mood
    "synthwave": StandIn(Genre.EDM, (0.3, 0.55)), "retrowave": StandIn(Genre.EDM, (0.3, 0.55)),
    "vaporwave": StandIn(Genre.EDM, (0.2, -0.3)), "chiptune": StandIn(Genre.EDM, (0.7, 0.7), lead=80),
    "8-bit": StandIn(Genre.EDM, (0.7, 0.7), lead=80), "8 bit": StandIn(Genre.EDM, (0.7, 0.7), lead=80),
    "disco": StandIn(Genre.EDM, (0.8, 0.7)), "trance": StandIn(Genre.EDM, (0.5, 0.8)),
    "dubstep": StandIn(Genre.EDM, (-0.2, 0.9)), "drum and bass": StandIn(Genre.EDM, (0.2, 0.9)),
    "drum & bass": StandIn(Genre.EDM, (0.2, 0.9)), "dnb": StandIn(Genre.EDM, (0.2, 0.9)),
    "future bass": StandIn(Genre.EDM, (0.6, 0.75)), "video game": StandIn(Genre.EDM, (0.5, 0.75)),
    "gaming": StandIn(Genre.EDM, (0.4, 0.8)), "phonk": StandIn(Genre.TRAP, (-0.4, 0.75)),
    "grunge": StandIn(Genre.ROCK, (-0.4, 0.7)), "emo": StandIn(Genre.ROCK, (-0.5, 0.6)),
    "meditation": StandIn(Genre.AMBIENT, _CALM), "yoga": StandIn(Genre.AMBIENT, _CALM),
    "spa": StandIn(Genre.AMBIENT, _CALM), "sleep music": StandIn(Genre.AMBIENT, _CALM),
    "冥想": StandIn(Genre.AMBIENT, _CALM), "瑜伽": StandIn(Genre.AMBIENT, _CALM), "助眠": StandIn(Genre.AMBIENT, _CALM),
    "lullaby": StandIn(Genre.PIANO, (0.5, -0.8), lead=10), "摇篮曲": StandIn(Genre.PIANO, (0.5, -0.8), lead=10),
    "ballad": StandIn(Genre.PIANO, (0.2, -0.45)), "抒情": StandIn(Genre.PIANO, (0.2, -0.45)),
    "halloween": StandIn(Genre.SUSPENSE, (-0.6, 0.3)), "spooky": StandIn(Genre.SUSPENSE, (-0.6, 0.3)),
    "creepy": StandIn(Genre.SUSPENSE, (-0.7, 0.2)), "万圣节": StandIn(Genre.SUSPENSE, (-0.6, 0.3)),
    "wedding": StandIn(Genre.ORCHESTRAL, (0.6, -0.2)), "婚礼": StandIn(Genre.ORCHESTRAL, (0.6, -0.2)),
    "christmas": StandIn(Genre.ORCHESTRAL, (0.8, 0.4), lead=9), "xmas": StandIn(Genre.ORCHESTRAL, (0.8, 0.4), lead=9),
    "圣诞": StandIn(Genre.ORCHESTRAL, (0.8, 0.4), lead=9),
    "kids music": StandIn(Genre.POP, (0.85, 0.55)), "children's music": StandIn(Genre.POP, (0.85, 0.55)),
    "儿歌": StandIn(Genre.POP, (0.85, 0.55)),
}  # fmt: skip


def style_from_text(text: str) -> tuple[str, StandIn] | None:
    """The style or occasion ``text`` names and the genre that plays it; None when it names none."""
    word = first_named(text, STYLE_WORDS)
    return (word, STYLE_WORDS[word]) if word is not None else None
