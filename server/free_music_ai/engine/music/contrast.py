"""How alike two progressions sound, so a chorus can be drawn that leaves its verse's colours.

A genre's table holds progressions that differ on paper and not to the ear: jazz's Imaj7-VI7-ii7-bII7 and
Imaj7-bIII7-ii7-bII7 differ in one chord (a tritone substitute of the other), pop's iii-ii-vi-V and vi-iii-IV-ii are
built of the same six diatonic chords and their relatives (vi beside I, ii beside IV share two notes). Drawn by index,
such a chorus was its verse again: 30 s jazz and pop pieces whose only non-adjacent 4-bar phrases were more than 0.9
alike in chroma (the music report's rep%). The ear compares the notes sounding bar against bar, and a section need
not start where the other did (an intro of one bar, a breakdown of three), so two progressions are as alike as their
chords' shared pitch classes at the worst alignment.
"""

from __future__ import annotations

from collections.abc import Sequence

from free_music_ai.engine.music.theory import chord_from_numeral


def _tones(numeral: str, family: str) -> frozenset[int]:
    return frozenset(chord_from_numeral(numeral, 0, family).tones)


def alikeness(first: Sequence[str], second: Sequence[str], family: str) -> float:
    """0..1: the share of pitch classes the two progressions' chords have in common bar by bar (Jaccard), at the
    bar offset where they are most alike."""
    a = [_tones(n, family) for n in first]
    b = [_tones(n, family) for n in second]
    if not a or not b:
        return 0.0
    span = max(len(a), len(b))

    def at(shift: int) -> float:
        pairs = [(a[k % len(a)], b[(k + shift) % len(b)]) for k in range(span)]
        return sum(len(x & y) / len(x | y) for x, y in pairs) / span

    return max(at(shift) for shift in range(len(b)))


def contrasting(table: Sequence[Sequence[str]], verse: Sequence[str], *, preferred: Sequence[int], family: str) -> int:
    """The index in ``table`` of a chorus that leaves the verse's colours: the first of ``preferred`` (the seed's
    order) among the half of the table least alike to the verse, so two seeds with one verse still differ. A chorus
    that opens on the verse's opening chord is heard as the verse coming round again: it comes last."""
    opening = chord_from_numeral(verse[0], 0, family).root if verse else None

    def rank(k: int) -> tuple[bool, float]:
        same_start = bool(table[k]) and chord_from_numeral(table[k][0], 0, family).root == opening
        return same_start, alikeness(verse, table[k], family)

    ranked = sorted(range(len(table)), key=rank)
    keep = set(ranked[: max(1, len(ranked) // 2)])
    return next((k for k in preferred if k in keep), ranked[0])
