"""Instruments taken out of a part of the piece only ("no piano in the intro", "remove the strings from 0:10 to
0:20", "take the guitar out for the last 10 seconds", "开头不要钢琴"), or asked for a stretch only ("bring the piano
in at 0:20", "piano only in the second half", "add strings from 0:20 to 0:40", "钢琴在0:20进来": added there to a
piece without it, out elsewhere of one with it): read as the drums' stretches and entrances are, the same words with
the drums named, each then its family's (engine ``Moments.families_out_s`` and ``families_in_s``, ``Placed.family``)."""

from __future__ import annotations

import re

from free_music_ai.engine.music.families import Family
from free_music_ai.engine.music.moments import Moments, Placed
from free_music_ai.words.instruments import families_in_for_a_stretch, families_out_for_a_stretch, zh_stretch_before
from free_music_ai.words.moment_phrases import ONE_TIME, UNTIL_THE_END_S
from free_music_ai.words.moments import read_moments, seconds, untimed
from free_music_ai.words.places import read_places

# how far around an instrument its stretch's words are read: a time or a place is said near it, and a message
# without punctuation is not read whole for each of its phrases (an 8,000-character one took 20 s)
REACH = 80
# where a stretch's words end: the clause (a comma starts what comes next: "no piano in the intro, more strings")
_CLAUSE_END = re.compile(r"[.;!?,\n，。；！？]|\bbut\b|但")
# two times said right after an instrument brought in: "add strings from 0:20 to 0:40", "… between 0:10 and 0:30"
_SPAN_AFTER = re.compile(rf"\s+(?:in\s+)?(?:from|between)\s+{ONE_TIME.pattern}\s*(?:to|-|–|until|till|and)\s*"
                         rf"{ONE_TIME.pattern}", re.I)  # fmt: skip


def read_instrument_stretches(text: str) -> tuple[Moments, tuple[Placed, ...]]:
    """The stretches ``text`` takes an instrument out of: those said with times, and those named by their place."""
    moments, placed = Moments(), []
    for family, phrase_from, words_from in families_out_for_a_stretch(text):
        place_from = zh_stretch_before(text, phrase_from)
        if place_from is not None:  # "开头不要钢琴": read as "开头不要鼓"
            said = read_places(text[place_from:phrase_from] + "不要鼓")
            placed += [p.model_copy(update={"family": family}) for p in said if p.kind == "drumless"]
            continue
        end = _CLAUSE_END.search(text, words_from, words_from + REACH)
        stretch = text[words_from : end.start() if end else words_from + REACH]
        for as_drums in ("no drums" + stretch, "remove the drums" + stretch):  # "no drums until 0:08", "… in the intro"
            found = _as_the_drums(as_drums, family)
            if found is not None:
                moments = moments.merged(found[0])
                placed += [p for p in found[1] if p not in placed]
                break
    for family, word_from, word_to in families_in_for_a_stretch(text):  # "bring the piano in at 0:20"
        starts = [m.end() for m in _CLAUSE_END.finditer(text, max(0, word_from - REACH), word_from)]
        first = starts[-1] if starts else max(0, word_from - REACH)
        end = _CLAUSE_END.search(text, word_to, word_to + REACH)
        clause = text[first : end.start() if end else word_to + REACH]
        at = word_from - first
        only, only_placed = _entrance(clause, at, at + word_to - word_from, family)
        moments = moments.merged(only)
        placed += [p for p in only_placed if p not in placed]
    return moments, tuple(placed)


def _entrance(clause: str, word_from: int, word_to: int, family: Family) -> tuple[Moments, list[Placed]]:
    """Where ``family``, named at ``clause[word_from:word_to]``, is asked to play only: between two times ("add
    strings from 0:20 to 0:40"), from a time to the end ("bring the piano in at 0:20"), or in a place ("piano only in
    the second half"), read as the drums' entrance is, its stretch before the entrance turned round."""
    span = _SPAN_AFTER.match(clause, word_to)
    if span is not None:
        first, last = (seconds(t) for t in ONE_TIME.findall(span.group(0))[:2])
        return Moments(families_in_s=[(family, first, last)] if last > first else []), []
    drums = "鼓" if not clause[word_from].isascii() else "drums"
    words = clause[:word_from] + drums + clause[word_to:]
    timed = read_moments(words).moments
    only = [(family, timed.drums_from_s, UNTIL_THE_END_S)] if timed.drums_from_s else []
    places = []
    for none in read_places(untimed(words)):  # the drums' "none before" or "none after", turned round
        if none.kind == "drumless" and none.seconds is None and (none.first == 0 or none.last == 1):
            first, last = (none.last, 1.0) if none.first == 0 else (0.0, none.first)
            places.append(Placed(first=first, last=last, kind="only", family=family))
    return Moments(families_in_s=only), places


def _as_the_drums(words: str, family: Family) -> tuple[Moments, list[Placed]] | None:
    """The stretches ``words`` would take the drums out of, or bring them in after, as ``family``'s; None if none."""
    timed = read_moments(words).moments
    spans = [*timed.drumless_s, *([(0.0, timed.drums_from_s)] if timed.drums_from_s else [])]
    places = [p.model_copy(update={"family": family}) for p in read_places(untimed(words)) if p.kind == "drumless"]
    if not spans and not places:
        return None
    return Moments(families_out_s=[(family, a, b) for a, b in spans]), places
