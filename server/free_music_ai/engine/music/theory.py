"""A small theory layer: keys, modes, chords from Roman numerals, and voice leading."""

from __future__ import annotations

from dataclasses import dataclass

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
# How far each mode's tonic sits above the major key that shares its notes (its key signature)
PARENT_OFFSET = {"major": 0, "lydian": 5, "mixolydian": 7, "dorian": 2, "minor": 9, "phrygian": 4}
FLAT_MAJORS = frozenset({5, 10, 3, 8, 1, 6})  # F, Bb, Eb, Ab, Db, Gb: key signatures in flats
_ALIASES = {"DB": 1, "D#": 3, "GB": 6, "G#": 8, "A#": 10, "CB": 11, "E#": 5, "FB": 4, "B#": 0}

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
}
BRIGHTNESS = {"lydian": 3, "major": 2, "mixolydian": 1, "dorian": 0, "minor": -1, "phrygian": -2}
_NUMERALS = {"I": 0, "II": 1, "III": 2, "IV": 3, "V": 4, "VI": 5, "VII": 6}


def pitch_class(name: str) -> int:
    """'D', 'Bb', 'F#' -> 2, 10, 6. Raises ValueError for anything else."""
    key = name.strip().upper().replace("♭", "B").replace("♯", "#")
    if key in _ALIASES:
        return _ALIASES[key]
    for index, note in enumerate(NOTE_NAMES):
        if note.upper() == key:
            return index
    raise ValueError(f"{name!r} is not a key name (C, C#, D, Eb, E, F, F#, G, Ab, A, Bb, B)")


@dataclass(frozen=True)
class Chord:
    """A chord as pitch classes relative to C, root first, plus its name for humans."""

    root: int
    tones: tuple[int, ...]  # pitch classes, root first
    name: str

    def contains(self, pc: int) -> bool:
        return pc % 12 in self.tones


def scale_pitch_classes(tonic: int, mode: str) -> tuple[int, ...]:
    return tuple((tonic + step) % 12 for step in MODES[mode])


def uses_flats(tonic: int, mode: str) -> bool:
    """Whether the key is written with flats: its parent major key's signature (F# major keeps its sharps)."""
    parent = (tonic - PARENT_OFFSET.get(mode, 0)) % 12
    return parent in FLAT_MAJORS and not (parent == 6 and tonic == 6)


def note_name(pc: int, flats: bool) -> str:
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc % 12]


# chord suffix -> intervals above the root added to (or replacing) the triad; None keeps the triad
_SUFFIXES: dict[str, tuple[tuple[int, ...] | None, tuple[int, ...]]] = {
    "": (None, ()),
    "sus4": ((0, 5, 7), ()),
    "sus2": ((0, 2, 7), ()),
    "7sus4": ((0, 5, 7), (10,)),
    "maj7": (None, (11,)),
    "7": (None, (10,)),
    "6": (None, (9,)),
    "add9": (None, (14,)),
    "9": (None, (10, 14)),
    "maj9": (None, (11, 14)),
    "6/9": (None, (9, 14)),
    "11": (None, (10, 14, 17)),
}


def chord_from_numeral(numeral: str, tonic: int, mode: str, *, flats: bool | None = None) -> Chord:
    """Build a chord on a scale degree: 'I', 'vi7', 'IVmaj7', 'V7', 'iisus4', 'bVII', 'iiadd9', 'ii7b5'.

    Upper case asks for a major triad and lower case for minor, whatever the mode says, so borrowed chords
    (bVII in major, IV in dorian) are written the way musicians write them. The name is spelled in the key's
    own accidentals (Db in F minor, not C#).
    """
    text = numeral
    flat = text.startswith("b")
    if flat:
        text = text[1:]
    letters = ""
    while text and text[0].upper() in "IV":
        letters += text[0]
        text = text[1:]
    degree = _NUMERALS[letters.upper()]
    scale = MODES["major"] if flat else MODES[mode]
    root = (tonic + scale[degree] - (1 if flat else 0)) % 12
    major = letters.isupper()
    third = 4 if major else 3
    fifth = 7
    suffix = text
    if suffix.startswith("dim"):
        third, fifth, suffix = 3, 6, suffix[3:]
    if suffix == "7b5":
        third, fifth, suffix = 3, 6, "7"
    if suffix not in _SUFFIXES:
        raise ValueError(f"unknown chord suffix in {numeral!r}")
    replaced, added = _SUFFIXES[suffix]
    tones = [*(replaced or (0, third, fifth)), *added]
    quality = "dim" if fifth == 6 and 10 not in added else ("" if major or replaced else "m")
    spelled = note_name(root, uses_flats(tonic, mode) if flats is None else flats)
    name = f"{spelled}{quality}{'m7b5' if fifth == 6 and 10 in added else suffix}"
    if quality == "m" and suffix.startswith("maj"):
        name = f"{spelled}m({suffix})"  # the minor chord with a major seventh: Am(maj7), not Ammaj7
    return Chord(root=root, tones=tuple(sorted({(root + t) % 12 for t in tones}, key=lambda pc: (pc - root) % 12)),
                 name=name)  # fmt: skip


# Which chord tones a player keeps when there are more than fingers (intervals above the root): the root, the third
# that says major or minor, the seventh, the ninth; the fifth goes first. Four voices spread over Cmaj9 played
# E-G-B-D (an E minor seventh) and over Dm9 played A-C-D-E (no F): the colour chords buried the key's third and
# the piece was heard in its mediant (C major as E minor) or its parallel major
_KEEP_ORDER = (0, 3, 4, 10, 11, 2, 5, 9, 6, 8, 1, 7)


def _kept_tones(chord: Chord, size: int) -> frozenset[int]:
    if len(chord.tones) <= size:
        return frozenset(chord.tones)
    rank = {pc: _KEEP_ORDER.index((pc - chord.root) % 12) for pc in chord.tones}
    return frozenset(sorted(chord.tones, key=lambda pc: rank[pc])[:size])


def voice_chord(chord: Chord, previous: list[int] | None, *, low: int, high: int, size: int = 4) -> list[int]:
    """MIDI notes for the chord within [low, high], moving as little as possible from the previous voicing; a
    chord with more tones than voices keeps its root, third, seventh and ninth before its fifth."""
    kept = _kept_tones(chord, size)
    if kept != frozenset(chord.tones):
        chord = Chord(chord.root, tuple(pc for pc in chord.tones if pc in kept), chord.name)
    candidates = [n for n in range(low, high + 1) if chord.contains(n)]
    if not candidates:
        return []
    if not previous:
        centre = (low + high) // 2
        start = min(range(len(candidates)), key=lambda i: abs(candidates[i] - centre))
        voicing = _spread(chord, candidates, start, size)
        return voicing
    best: list[int] = []
    best_cost = 1e9
    for start in range(len(candidates)):
        voicing = _spread(chord, candidates, start, size)
        if len(voicing) < min(size, len(chord.tones)):
            continue
        cost = sum(min(abs(n - p) for p in previous) for n in voicing) + 0.5 * abs(len(voicing) - len(previous))
        if cost < best_cost:
            best, best_cost = voicing, cost
    return best or _spread(chord, candidates, 0, size)


def _spread(chord: Chord, candidates: list[int], start: int, size: int) -> list[int]:
    """Consecutive chord tones upward from candidates[start], covering every tone before doubling one."""
    voicing: list[int] = []
    for note in candidates[start:]:
        if len(voicing) >= size:
            break
        if note % 12 in {v % 12 for v in voicing} and len({v % 12 for v in voicing}) < len(chord.tones):
            continue
        voicing.append(note)
    return voicing


def nearest_in_scale(note: int, scale: tuple[int, ...]) -> int:
    for delta in (0, -1, 1, -2, 2):
        if (note + delta) % 12 in scale:
            return note + delta
    return note


def key_name(tonic: int, mode: str) -> str:
    return f"{note_name(tonic, uses_flats(tonic, mode))} {mode}"
