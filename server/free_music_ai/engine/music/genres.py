"""How each genre sounds: tempo range, instruments (General MIDI programs), harmony, rhythm and colour."""

from __future__ import annotations

from dataclasses import dataclass, field

from free_music_ai.engine.music.spec import Genre


@dataclass(frozen=True)
class Style:
    genre: Genre
    tempo: tuple[float, float]  # bpm from calm to energetic
    programs: dict[str, int]  # part -> General MIDI program
    major_progressions: tuple[tuple[str, ...], ...]  # Roman numerals, one chord per bar
    minor_progressions: tuple[tuple[str, ...], ...]
    drums: str  # a pattern family in drums.py, or "none"
    comping: str  # "block", "arpeggio", "strum", "broken", "stabs", "sustain"
    swing: float = 0.0  # 0 straight; 0.33 is full triplet swing of the eighths
    melody_density: float = 0.6  # share of eighth-note slots that start a note at full energy
    bass: str = "root"  # "root", "walking", "octaves", "drone", "pulse"
    reverb: float = 0.2  # wet level
    room: float = 0.5
    colour: str = "none"  # "lofi", "pump", "none"
    extra: dict[str, int] = field(default_factory=dict)  # layers that join at high energy


STYLES: dict[Genre, Style] = {
    Genre.LOFI: Style(
        Genre.LOFI, (70, 90), {"keys": 4, "bass": 33, "lead": 11, "pad": 89},
        (("IImaj7", "V7", "Imaj7", "vi7"), ("Imaj7", "vi7", "ii7", "V7"), ("IVmaj7", "iii7", "ii7", "Imaj7")),
        (("i7", "iv7", "bVIImaj7", "bIIImaj7"), ("i7", "bVImaj7", "iv7", "V7"), ("ii7", "V7", "i7", "i7")),
        drums="boombap", comping="block", swing=0.22, melody_density=0.35, reverb=0.22, room=0.45, colour="lofi",
    ),
    Genre.CINEMATIC: Style(
        Genre.CINEMATIC, (64, 104), {"keys": 0, "bass": 43, "lead": 60, "pad": 48},
        (("I", "V", "vi", "IV"), ("I", "IV", "vi", "V"), ("vi", "IV", "I", "V")),
        (("i", "bVI", "bIII", "bVII"), ("i", "iv", "bVI", "V"), ("i", "bVII", "bVI", "bVII")),
        drums="epic", comping="arpeggio", melody_density=0.3, bass="octaves", reverb=0.32, room=0.85,
        extra={"choir": 52, "brass": 61},
    ),
    Genre.POP: Style(
        Genre.POP, (100, 126), {"keys": 1, "bass": 34, "lead": 80, "pad": 50, "guitar": 27},
        (("I", "V", "vi", "IV"), ("vi", "IV", "I", "V"), ("I", "iii", "IV", "V")),
        (("vi", "IV", "I", "V"), ("i", "bVI", "bIII", "bVII"), ("i", "iv", "bVII", "bIII")),
        drums="pop", comping="stabs", melody_density=0.55, bass="pulse", reverb=0.16, room=0.4,
    ),
    Genre.ACOUSTIC: Style(
        Genre.ACOUSTIC, (78, 116), {"keys": 25, "bass": 32, "lead": 73, "pad": 49},
        (("I", "IV", "vi", "V"), ("I", "V", "IV", "I"), ("IV", "I", "V", "vi")),
        (("vi", "IV", "I", "V"), ("i", "bVII", "bVI", "bVII"), ("i", "iv", "i", "V")),
        drums="acoustic", comping="strum", melody_density=0.45, reverb=0.2, room=0.5,
    ),
    Genre.AMBIENT: Style(
        Genre.AMBIENT, (60, 80), {"keys": 0, "bass": 89, "lead": 94, "pad": 88},
        (("Imaj7", "IVmaj7", "Imaj7", "IVmaj7"), ("Iadd9", "vi7", "IVmaj7", "Iadd9"), ("Imaj7", "iii7", "IVmaj7", "V")),
        (("i9", "bVImaj7", "i9", "bVImaj7"), ("i7", "iv7", "bVImaj7", "i7"), ("i", "bVII", "bVI", "i")),
        drums="none", comping="sustain", melody_density=0.18, bass="drone", reverb=0.42, room=0.95,
    ),
    Genre.CORPORATE: Style(
        Genre.CORPORATE, (96, 120), {"keys": 0, "bass": 33, "lead": 45, "pad": 48, "guitar": 28},
        (("I", "V", "vi", "IV"), ("IV", "I", "V", "vi"), ("I", "vi", "IV", "V")),
        (("vi", "IV", "I", "V"), ("i", "bVI", "bIII", "bVII"), ("i", "bVII", "bVI", "bVII")),
        drums="corporate", comping="arpeggio", melody_density=0.4, bass="pulse", reverb=0.18, room=0.55,
    ),
    Genre.HIPHOP: Style(
        Genre.HIPHOP, (80, 96), {"keys": 0, "bass": 38, "lead": 5, "pad": 49},
        (("vi7", "IVmaj7", "Imaj7", "V"), ("ii7", "V7", "Imaj7", "Imaj7")),
        (("i", "bVI", "bVII", "i"), ("i7", "iv7", "i7", "V"), ("i", "i", "bVI", "V")),
        drums="hiphop", comping="block", swing=0.12, melody_density=0.3, reverb=0.14, room=0.4,
    ),
    Genre.EDM: Style(
        Genre.EDM, (118, 128), {"keys": 81, "bass": 38, "lead": 80, "pad": 90, "arp": 81},
        (("vi", "IV", "I", "V"), ("I", "V", "vi", "IV"), ("IV", "V", "vi", "vi")),
        (("i", "bVI", "bIII", "bVII"), ("i", "bVII", "bVI", "V"), ("i", "iv", "bVI", "bVII")),
        drums="edm", comping="stabs", melody_density=0.5, bass="octaves", reverb=0.18, room=0.6, colour="pump",
    ),
    Genre.PIANO: Style(
        Genre.PIANO, (60, 100), {"keys": 0, "lead": 0},
        (("I", "vi", "IV", "V"), ("Imaj7", "IVmaj7", "iii7", "vi7"), ("I", "V", "vi", "iii", "IV", "I", "IV", "V")),
        (("i", "iv", "bVII", "bIII"), ("i", "bVI", "iv", "V"), ("i", "v", "bVI", "bIII", "iv", "i", "iv", "V")),
        drums="none", comping="broken", melody_density=0.5, bass="none", reverb=0.22, room=0.7,
    ),
}  # fmt: skip


def choose_genre(valence: float, arousal: float) -> Genre:
    """A genre for a mood when the user names none: the mood's quadrant picks a family."""
    if arousal > 0.45:
        return Genre.EDM if valence < -0.2 else Genre.POP
    if arousal > 0.1:
        return Genre.CINEMATIC if valence < -0.2 else Genre.CORPORATE
    if arousal > -0.35:
        return Genre.HIPHOP if valence < -0.3 else (Genre.LOFI if valence < 0.45 else Genre.ACOUSTIC)
    return Genre.PIANO if valence < -0.2 else Genre.AMBIENT


_GENRE_WORDS: dict[str, Genre] = {
    "lo-fi": Genre.LOFI, "lofi": Genre.LOFI, "lo fi": Genre.LOFI, "chillhop": Genre.LOFI,
    "cinematic": Genre.CINEMATIC, "orchestral": Genre.CINEMATIC, "film": Genre.CINEMATIC, "epic": Genre.CINEMATIC,
    "pop": Genre.POP, "upbeat pop": Genre.POP, "acoustic": Genre.ACOUSTIC, "folk": Genre.ACOUSTIC,
    "guitar": Genre.ACOUSTIC, "ambient": Genre.AMBIENT, "atmospheric": Genre.AMBIENT, "corporate": Genre.CORPORATE,
    "business": Genre.CORPORATE, "hip-hop": Genre.HIPHOP, "hip hop": Genre.HIPHOP, "hiphop": Genre.HIPHOP,
    "rap": Genre.HIPHOP, "trap": Genre.HIPHOP, "electronic": Genre.EDM, "edm": Genre.EDM, "dance": Genre.EDM,
    "house": Genre.EDM, "techno": Genre.EDM, "solo piano": Genre.PIANO, "piano": Genre.PIANO,
    "钢琴": Genre.PIANO, "电子": Genre.EDM, "嘻哈": Genre.HIPHOP, "史诗": Genre.CINEMATIC, "电影": Genre.CINEMATIC,
    "流行": Genre.POP, "民谣": Genre.ACOUSTIC, "吉他": Genre.ACOUSTIC, "氛围": Genre.AMBIENT, "企业": Genre.CORPORATE,
}  # fmt: skip


def genre_from_text(text: str) -> Genre | None:
    """The genre a name or a sentence names ("lofi", "some epic orchestral music", "钢琴"), longest match first."""
    import re

    lowered = text.lower()
    for word in sorted(_GENRE_WORDS, key=len, reverse=True):
        if (word.isascii() and re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered)) or (
            not word.isascii() and word in text
        ):
            return _GENRE_WORDS[word]
    return None
