"""The shape of a piece: where its final chord falls, its bars, their energy, sections and chords.

The piece is planned in beats, not whole bars, so a 3-second clip still gets a complete gesture (a chord or
two and a cadence). The final chord is struck 1.5-3 s before the end so it rings out; the bars before it
follow the energy curve, grouped into four-bar phrases that form sections (intro, build, main, lift, outro).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from free_music_ai.engine.music.genres import Style
from free_music_ai.engine.music.mood import Character
from free_music_ai.engine.music.spec import MusicSpec
from free_music_ai.engine.music.tempo_map import BEATS_PER_BAR, TempoMap
from free_music_ai.engine.music.theory import Chord, chord_from_numeral

FINAL_WINDOW_S = (1.5, 3.0)  # how long before the end the last chord is struck
FINAL_TARGET_S = 2.2
PHRASE_BARS = 4
MAJOR_FAMILY = ("major", "lydian", "mixolydian")

# Modal colour: the progressions are written for major or natural minor; each mode swaps in its own chord.
_MODE_SWAPS = {
    "lydian": {"IV": "II", "IVmaj7": "IImaj7", "IVadd9": "IIadd9"},
    "mixolydian": {"V": "bVII", "V7": "bVII", "iii": "v", "iii7": "v7"},
    "dorian": {"iv": "IV", "iv7": "IV7", "bVI": "IV", "bVImaj7": "IV7"},
    "phrygian": {"V": "bII", "V7": "bII", "bVII": "bII", "iv": "iv", "bIII": "bIII"},
}


@dataclass(frozen=True)
class Bar:
    index: int
    start: int  # first beat
    beats: int
    chord: Chord
    energy: float  # 0..1
    section: str  # intro, build, main, lift, outro
    section_start: bool
    fill: bool  # the last bar before a new section: drums fill it


@dataclass(frozen=True)
class Form:
    bars: tuple[Bar, ...]
    final_beat: int
    final_chord: Chord
    tempo: TempoMap


def _final_beat(tempo: TempoMap, duration: float) -> int:
    latest, earliest = duration - FINAL_WINDOW_S[0], duration - FINAL_WINDOW_S[1]
    beats = [b for b in range(1, int(tempo.beat_at(latest)) + 2) if earliest <= tempo.time_of(b) <= latest]
    if not beats:
        return max(1, math.floor(tempo.beat_at(latest)))

    def preference(beat: int) -> tuple[int, float]:
        rank = 0 if beat % BEATS_PER_BAR == 0 else (1 if beat % 2 == 0 else 2)
        return rank, abs(tempo.time_of(beat) - (duration - FINAL_TARGET_S))

    return min(beats, key=preference)


def energy_at(spec: MusicSpec, time: float) -> float:
    """The energy the user's curve asks for at ``time``; without a curve, an arc that rises and settles."""
    if spec.energy:
        index = min(len(spec.energy) - 1, max(0, int(time)))
        return spec.energy[index]
    if spec.duration_s < 15:
        return 0.55 + 0.25 * spec.arousal
    x = time / spec.duration_s
    arc = 0.3 + 0.6 * float(math.sin(math.pi * min(1.0, x * 1.15))) ** 0.7
    return float(min(1.0, max(0.0, arc + 0.15 * spec.arousal)))


def _progressions(style: Style, mode: str) -> tuple[tuple[str, ...], ...]:
    base = style.major_progressions if mode in MAJOR_FAMILY else style.minor_progressions
    swaps = _MODE_SWAPS.get(mode, {})
    return tuple(tuple(swaps.get(numeral, numeral) for numeral in prog) for prog in base)


def _cadence(mode: str, arousal: float) -> tuple[str, str]:
    """The last two chords: perfect cadence for energy, plagal for calm; minor keys through V or bVII."""
    if mode in MAJOR_FAMILY:
        return ("V", "I") if arousal > -0.2 else ("IV", "I")
    if mode == "phrygian":
        return ("bII", "i")
    return ("V", "i") if arousal > 0.0 else ("bVII", "i")


def plan_form(spec: MusicSpec, style: Style, character: Character, tempo: TempoMap, rng: random.Random) -> Form:
    final = _final_beat(tempo, spec.duration_s)
    if final >= 6:
        slowed = tempo.with_ritardando(final)
        if slowed.time_of(final) <= spec.duration_s - FINAL_WINDOW_S[0]:
            tempo = slowed
    family = "major" if character.mode in MAJOR_FAMILY else "minor"
    progressions = _progressions(style, character.mode)
    cadence = _cadence(character.mode, spec.arousal)

    starts = list(range(0, final, BEATS_PER_BAR))
    energies = [energy_at(spec, tempo.time_of(s + min(BEATS_PER_BAR, final - s) / 2)) for s in starts]
    sections = _sections(energies)
    section_progression: dict[str, int] = {}
    bars: list[Bar] = []
    previous_section = ""
    occurrence: dict[str, int] = {}
    for index, (start, energy, section) in enumerate(zip(starts, energies, sections, strict=True)):
        section_start = section != previous_section or (index % PHRASE_BARS == 0 and index > 0 and section == "main")
        if section_start:
            occurrence[section] = occurrence.get(section, 0) + 1
            # the same section type keeps its progression, but every third return brings a new one
            variant = (occurrence[section] - 1) // 3
            section_progression[section] = (hash_section(section) + variant + rng.randrange(2)) % len(progressions)
        progression = progressions[section_progression[section]]
        numeral = progression[index % len(progression)]
        bars.append(Bar(index, start, min(BEATS_PER_BAR, final - start), _chord(numeral, character, family),
                        energy, section, section_start, False))  # fmt: skip
        previous_section = section
    if bars:
        last = bars[-1]
        bars[-1] = Bar(last.index, last.start, last.beats, _chord(cadence[0], character, family), last.energy,
                       last.section, last.section_start, False)  # fmt: skip
    for i in range(len(bars) - 1):
        if bars[i + 1].section_start:
            b = bars[i]
            bars[i] = Bar(b.index, b.start, b.beats, b.chord, b.energy, b.section, b.section_start, True)
    return Form(tuple(bars), final, _chord(cadence[1], character, family), tempo)


def hash_section(section: str) -> int:
    return sum(ord(c) for c in section)


def _chord(numeral: str, character: Character, family: str) -> Chord:
    return chord_from_numeral(numeral, character.tonic, family)


def _sections(energies: list[float]) -> list[str]:
    """Label four-bar phrases by their energy and where they sit in the piece."""
    phrases = [energies[i : i + PHRASE_BARS] for i in range(0, len(energies), PHRASE_BARS)]
    labels: list[str] = []
    previous = None
    for k, phrase in enumerate(phrases):
        level = sum(phrase) / len(phrase)
        if k == 0 and len(phrases) >= 3:
            label = "intro"
        elif k == len(phrases) - 1 and len(phrases) >= 4:
            label = "outro"
        elif level >= 0.72:
            label = "lift"
        elif previous is not None and level - previous > 0.12:
            label = "build"
        else:
            label = "main"
        labels += [label] * len(phrase)
        previous = level
    return labels
