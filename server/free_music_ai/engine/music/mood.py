"""From a mood (valence, arousal) to musical choices, weighted as the research on music and emotion has it:
mode first, then tempo, register, loudness, articulation, brightness and dissonance."""

from __future__ import annotations

import random
from dataclasses import dataclass

from free_music_ai.engine.music.genres import Style
from free_music_ai.engine.music.spec import MusicSpec
from free_music_ai.engine.music.theory import pitch_class


@dataclass(frozen=True)
class Character:
    tonic: int
    mode: str
    bpm: float
    register_shift: int  # semitones: happy and excited music sits higher
    velocity: int  # base MIDI velocity at full energy
    legato: float  # share of each note's slot that sounds: 0.95 smooth .. 0.55 detached
    brightness: float  # 0 dark .. 1 bright: picks the master low-pass and lead octave


def _mode_for(valence: float, arousal: float, style: Style) -> str:
    if style.genre.value == "suspense" or (style.genre.value == "trap" and valence < 0.4):
        return "minor"  # these genres live in minor whatever the mood says
    if valence >= 0.55 and arousal < 0.0:
        return "lydian"  # bright and floating
    if valence >= 0.2:
        return "major"
    if valence > -0.2:
        return "dorian" if style.genre.value in ("lo-fi", "hip-hop") else ("mixolydian" if arousal > 0.3 else "major")
    return "minor"  # phrygian only when asked for: without a dominant, sad music is heard in the wrong key


def character_of(spec: MusicSpec, style: Style, rng: random.Random) -> Character:
    level = (spec.arousal + 1) / 2  # 0 calm .. 1 energetic
    low, high = style.tempo
    bpm = spec.bpm if spec.bpm is not None else round(low + (high - low) * level)
    mode = spec.mode or _mode_for(spec.valence, spec.arousal, style)
    # keys that sit well for the instruments; the seed picks among them
    tonic = pitch_class(spec.key) if spec.key else rng.choice([0, 2, 5, 7, 9, 10, 3])
    return Character(
        tonic=tonic,
        mode=mode,
        bpm=float(bpm),
        register_shift=round(3 * spec.valence + 2 * spec.arousal),
        velocity=round(70 + 30 * level),
        legato=0.95 - 0.35 * max(0.0, spec.arousal),
        brightness=min(1.0, max(0.0, 0.5 + 0.3 * spec.valence + 0.2 * spec.arousal)),
    )
