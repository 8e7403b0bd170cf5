"""Where a club track's drops fall (the drop form of LONG_DROP_GENRES, in phrases of four bars).

A club track is its drops: a build, the drop, a breakdown, a build, the drop again, and the mix out. A long
electronic piece placed its one pair of drops anywhere in its second half and filled the rest with verse and chorus
in turn (at 180 s, 30 bars of them before its first build, or six phrases after its last drop; at 120 s two seeds
of four repeated their phrases past the music report's limit). Without footage to place them, a long piece now
ends on its last drop (a phrase of the hook may follow it), its drops grow to three phrases and its breakdowns to
two from about two minutes, and it drops as often as its length holds: what is left before its first build is one
to six phrases of groove.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from free_music_ai.engine.music.spec import Dynamics

TWICE_FROM = 6  # the peak's phrase from which there is room for a first drop and a breakdown before it
PLANNED_FROM = 8  # phrases from which a piece without footage is planned drop by drop
LONG_FROM = 13  # phrases (about two minutes) from which a drop lasts three phrases and a breakdown two
TAIL_FROM = 10  # phrases from which the seed may let the hook play once more after the last drop


@dataclass(frozen=True)
class ClubShape:
    starts: tuple[int, ...]  # each drop's first phrase, in order; the last is the peak
    span: int  # phrases each drop lasts
    rest: int  # phrases of breakdown between one drop and the build into the next


def planned(count: int, video: list[float] | None, dynamics: Dynamics) -> bool:
    """Whether the drops are placed by the piece's length (not by the footage or the user's dynamics)."""
    return video is None and dynamics not in (Dynamics.BUILD, Dynamics.SETTLE) and count >= PLANNED_FROM


def _span_rest(count: int) -> tuple[int, int]:
    return (3, 2) if count >= LONG_FROM else (2, 1)


def last_drop(count: int, rng: random.Random) -> int:
    """The planned piece's peak phrase: its last drop, at its end or one phrase before it."""
    tail = rng.randrange(2) if count >= TAIL_FROM else 0
    return count - tail - _span_rest(count)[0]


def club_shape(count: int, peak: int, *, by_length: bool) -> ClubShape:
    """The drops of a piece whose last one starts at phrase ``peak``. Placed by the footage or the dynamics: a drop of
    two phrases, and from the peak's seventh phrase a first one four phrases before it with a breakdown between.
    ``by_length``: as many drops as the length holds, each built into, after the groove it starts with."""
    if not by_length:
        return ClubShape((peak - 4, peak) if peak >= TWICE_FROM else (peak,), 2, 1)
    span, rest = _span_rest(count)
    cycle = 1 + span + rest  # a build, the drop, the breakdown after it
    drops = max(2, (count - 2) // cycle)
    starts = [peak - k * cycle for k in reversed(range(drops))]
    return ClubShape(tuple(start for start in starts if start >= 1), span, rest)
