"""The one-bar rhythms each genre's hooks are drawn from (beats; hook.CELLS for the rest).

One table for every genre gave one seed the same hook rhythm in every genre (1369 of 1425 genre pairs of seeds
1-12 matched; the same genre over neighbouring seeds, 0 of 174): a listener heard the seed, not the genre. These
are each genre's own: trap's sixteenth-note flow, jazz's eighth-note lines with an anticipation, rock's riffs that
hammer beats 1 and 2, electronic's 3-3-2 plucks, suspense's and ambient's few long notes, hip-hop's and lo-fi's
lazy offbeats (no sixteenths where the eighths swing). Every cell has at least three notes, so a hook can repeat
one and leap; the genres whose hooks are clapped push on an offbeat, the broad themes of film and orchestra may not."""

from __future__ import annotations

from free_music_ai.engine.music.spec import Genre

Cells = tuple[tuple[float, ...], ...]

GENRE_CELLS: dict[Genre, Cells] = {
    Genre.TRAP: ((0.0, 0.25, 0.75, 1.5, 2.0, 2.75), (0.0, 0.5, 0.75, 1.5, 2.5, 2.75, 3.5), (0.0, 0.75, 1.5, 2.25, 3.0),
                 (0.25, 0.75, 1.0, 2.0, 2.75, 3.25)),
    Genre.HIPHOP: ((0.5, 1.5, 2.0, 3.5), (0.0, 1.5, 2.5, 3.0), (0.0, 1.0, 2.5, 3.5), (0.5, 1.0, 2.5, 3.0)),
    Genre.LOFI: ((0.5, 1.5, 3.0), (0.0, 1.5, 2.5, 3.0), (0.5, 1.0, 2.5), (0.0, 2.5, 3.0, 3.5)),
    Genre.RNB: ((0.0, 0.5, 1.5, 2.5, 3.5), (0.5, 1.0, 2.0, 3.5), (0.0, 1.5, 2.0, 3.5), (0.5, 1.5, 2.0, 2.5, 3.0)),
    Genre.JAZZ: ((0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.5), (0.5, 1.0, 1.5, 2.0, 3.5), (0.0, 1.0, 1.5, 2.5, 3.5),
                 (0.0, 0.5, 1.5, 2.5, 3.0, 3.5)),
    Genre.ROCK: ((0.0, 0.5, 1.0, 2.0, 2.5, 3.0), (0.0, 0.5, 1.5, 2.0, 2.5, 3.5), (0.0, 1.0, 1.5, 2.0, 3.0)),
    Genre.EDM: ((0.0, 0.75, 1.5, 2.0, 2.75, 3.5), (0.0, 0.75, 1.5, 2.5, 3.0), (0.5, 1.0, 1.75, 2.5, 3.0, 3.5)),
    Genre.SUSPENSE: ((0.0, 2.0, 3.0), (0.0, 1.5, 3.0), (0.0, 2.5, 3.0), (0.0, 1.0, 3.0)),
    Genre.AMBIENT: ((0.0, 2.0, 3.0), (0.0, 1.5, 3.0), (0.0, 2.5, 3.0)),
    Genre.CINEMATIC: ((0.0, 1.5, 2.0, 3.0), (0.0, 1.0, 1.5, 2.0, 3.0), (0.0, 2.0, 2.5, 3.0), (0.0, 1.5, 3.0)),
    Genre.ORCHESTRAL: ((0.0, 1.5, 2.0, 3.0), (0.0, 1.0, 1.5, 2.0, 3.0), (0.0, 2.0, 2.5, 3.0), (0.0, 0.5, 1.0, 3.0)),
    Genre.CORPORATE: ((0.0, 1.0, 2.0, 2.5, 3.5), (0.0, 0.5, 1.5, 2.0, 3.0), (0.0, 1.0, 1.5, 3.0)),
}  # fmt: skip
