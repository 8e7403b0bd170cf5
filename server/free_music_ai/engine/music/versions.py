"""Another version of a piece ("another one", "try again"): a new seed, chosen so the new piece is heard as
another piece. A seed drawn at random kept the last one's key one time in seven or more, its band (the lead a seed
draws) one time in two or three, and played within 2 bpm of it one time in three; a third of them on its beat."""

from __future__ import annotations

from collections.abc import Callable

from free_music_ai.engine.music.drum_grooves import GROOVES, groove_of
from free_music_ai.engine.music.genres import choose_genre, style_of
from free_music_ai.engine.music.mood import MIN_TEMPO_MOVE, tempo_for, tonic_for
from free_music_ai.engine.music.spec import MusicSpec

TRIES = 32  # seeds drawn at most; each costs microseconds (nothing is composed)


def another_seed(spec: MusicSpec, draw: Callable[[], int]) -> int:
    """A seed from ``draw`` for another version of ``spec``'s piece (its genre and mood kept, and what the user named:
    a tempo, a key or an instrument is not compared): the first whose key, band, tempo (``MIN_TEMPO_MOVE`` bpm or
    more) and drum groove all differ from this piece's, else the one that differs in the most of them, the farthest
    in tempo first."""
    genre = spec.genre or choose_genre(spec.valence, spec.arousal)
    style = style_of(genre, spec.seed)
    tempo, tonic = tempo_for(spec, style), tonic_for(spec, style)
    drawn_parts = [part for part in style.choices if part not in spec.instruments]
    grooves = len(GROOVES.get(style.drums, ()))
    best, best_score = spec.seed, (-1, -1.0)
    for _ in range(TRIES):
        seed = draw()
        if seed == spec.seed:
            continue
        other, other_style = spec.model_copy(update={"seed": seed}), style_of(genre, seed)
        apart = abs(tempo_for(other, other_style) - tempo)
        differs = (
            spec.bpm is not None or apart >= MIN_TEMPO_MOVE,
            spec.key is not None or tonic_for(other, other_style) != tonic,
            not drawn_parts or any(other_style.programs[p] != style.programs[p] for p in drawn_parts),
            grooves < 2 or groove_of(style.drums, seed) != groove_of(style.drums, spec.seed),
        )
        if all(differs):
            return seed
        score = (sum(differs), apart)
        if score > best_score:
            best, best_score = seed, score
    return best
