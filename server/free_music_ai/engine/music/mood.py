"""From a mood (valence, arousal) to musical choices, weighted as the research on music and emotion has it:
mode first, then tempo, register, loudness, articulation, brightness and dissonance."""

from __future__ import annotations

import random
from dataclasses import dataclass

from free_music_ai.engine.music.genres import Style
from free_music_ai.engine.music.seed_places import seed_place
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.theory import pitch_class

# The keys each genre's instruments sit well in, as players of that music choose them: open-string keys for
# guitars and fiddles, flat keys for horns and a jazz rhythm section, the keys a producer's 808 sounds deepest
# in (its fundamental between 31 and 55 Hz). The seed picks among them, per genre, so one seed spans many keys.
GENRE_KEYS: dict[Genre, tuple[str, ...]] = {
    Genre.LOFI: ("C", "D", "Eb", "F", "G", "A", "Bb"),
    Genre.CINEMATIC: ("C", "D", "Eb", "F", "G", "A", "Bb"),
    Genre.POP: ("C", "D", "E", "F", "G", "A", "Bb"),
    Genre.ACOUSTIC: ("G", "D", "A", "E", "C"),
    Genre.AMBIENT: ("C", "Db", "D", "E", "F", "Ab", "A", "B"),
    Genre.CORPORATE: ("C", "D", "E", "F", "G", "A", "Bb"),
    Genre.HIPHOP: ("C", "C#", "D", "E", "F", "G", "A", "Bb"),
    Genre.EDM: ("C", "D", "E", "F", "F#", "G", "A", "B"),
    Genre.PIANO: ("C", "Db", "D", "Eb", "E", "F", "G", "Ab", "A", "Bb"),
    Genre.JAZZ: ("F", "Bb", "Eb", "Ab", "C", "G", "Db"),
    Genre.ROCK: ("E", "A", "D", "G", "C", "B"),
    Genre.ORCHESTRAL: ("C", "D", "Eb", "F", "G", "A", "Bb"),
    Genre.FOLK: ("G", "D", "A", "C", "E"),
    Genre.RNB: ("C", "Db", "Eb", "E", "F", "Ab", "Bb", "B"),
    Genre.TRAP: ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "A"),
    Genre.SUSPENSE: ("C", "C#", "D", "E", "F", "F#", "G", "A"),
}
TEMPO_BAND = 0.18  # the seed moves the tempo by up to this share of the genre's range either way (at least 4 bpm)
MIN_TEMPO_MOVE = 4.0


@dataclass(frozen=True)
class Character:
    tonic: int
    mode: str
    bpm: float
    register_shift: int  # semitones: happy and excited music sits higher
    velocity: int  # base MIDI velocity at full energy
    legato: float  # share of each note's slot that sounds: 0.95 smooth .. 0.55 detached
    brightness: float  # 0 dark .. 1 bright: picks the master low-pass and lead octave


# Genres whose major-key loops all borrow the flat seventh (electronic's vi-IV-ii-bVII and the rest, progressions.py)
# play in mixolydian: over them a major scale put the lead's sharp seventh against their bVII chord, and a listener
# heard the key of IV (the pitches of those loops are its scale)
FLAT_SEVENTH_GENRES = frozenset({Genre.EDM})


def _mode_for(valence: float, arousal: float, style: Style) -> str:
    mode = _mood_mode(valence, arousal, style)
    return "mixolydian" if mode == "major" and style.genre in FLAT_SEVENTH_GENRES else mode


def _mood_mode(valence: float, arousal: float, style: Style) -> str:
    genre = style.genre
    if genre == Genre.SUSPENSE or (genre == Genre.TRAP and valence < 0.4):
        return "minor"  # these genres live in minor whatever the mood says
    if genre in (Genre.HIPHOP, Genre.LOFI) and valence < 0.55:
        # minor-key loops and minor sevenths; only a bright mood takes them to major sevenths. Dorian where the
        # mood is neither (the form's outro and cadence are aeolian, so dorian is kept to that band)
        return "dorian" if -0.2 < valence < 0.2 else "minor"
    if valence >= 0.55 and arousal < 0.0:
        return "lydian"  # bright and floating
    if valence >= 0.2:
        return "major"
    if valence > -0.2:
        return "mixolydian" if arousal > 0.3 else "major"
    return "minor"  # phrygian only when asked for: without a dominant, sad music is heard in the wrong key


def _genre_rng(spec: MusicSpec, genre: Genre, what: str) -> random.Random:
    """A generator of its own for a choice made per genre and seed: the piece's rng is the same for every genre
    of one seed, so drawing from it would put all of them in one key."""
    return random.Random(f"{what}:{genre.value}:{spec.seed}")


def tempo_for(spec: MusicSpec, style: Style) -> float:
    """The mood places the tempo in the genre's range (calm low, energetic high); the seed moves it within a
    band around that place, never outside the range."""
    if spec.bpm is not None:
        return float(spec.bpm)
    low, high = style.tempo
    level = (spec.arousal + 1) / 2  # 0 calm .. 1 energetic
    centre = low + (high - low) * level
    reach = max(MIN_TEMPO_MOVE, TEMPO_BAND * (high - low))
    place = seed_place(f"tempo-phase:{style.genre.value}", spec.seed)  # per genre, so genres differ on one seed
    moved = centre + reach * (2 * place - 1)
    return float(round(min(high, max(low, moved))))


def tonic_for(spec: MusicSpec, style: Style) -> int:
    if spec.key:
        return pitch_class(spec.key)
    return pitch_class(_genre_rng(spec, style.genre, "key").choice(GENRE_KEYS[style.genre]))


def character_of(spec: MusicSpec, style: Style, rng: random.Random) -> Character:
    level = (spec.arousal + 1) / 2  # 0 calm .. 1 energetic
    mode = spec.mode or _mode_for(spec.valence, spec.arousal, style)
    return Character(
        tonic=tonic_for(spec, style),
        mode=mode,
        bpm=tempo_for(spec, style),
        register_shift=round(3 * spec.valence + 2 * spec.arousal),
        velocity=round(70 + 30 * level),
        legato=0.95 - 0.35 * max(0.0, spec.arousal),
        brightness=min(1.0, max(0.0, 0.5 + 0.3 * spec.valence + 0.2 * spec.arousal)),
    )
