"""Instruments taken out of a part of the piece only ("no piano in the intro", "remove the strings from 0:10 to
0:20", "take the guitar out for the last 10 seconds", "开头不要钢琴"): read as the drums' stretches are, the same
words with the drums named, each then its family's (engine ``Moments.families_out_s``, ``Placed.family``)."""

from __future__ import annotations

import re

from free_music_ai.engine.music.moments import Moments, Placed
from free_music_ai.words.instruments import families_out_for_a_stretch, zh_stretch_before
from free_music_ai.words.moments import read_moments, untimed
from free_music_ai.words.places import read_places

# where a stretch's words end: the clause (a comma starts what comes next: "no piano in the intro, more strings")
_CLAUSE_END = re.compile(r"[.;!?,\n]|\bbut\b|但")


def read_instrument_stretches(text: str) -> tuple[Moments, tuple[Placed, ...]]:
    """The stretches ``text`` takes an instrument out of: those said with times, and those named by their place."""
    moments, placed = Moments(), []
    for family, phrase_from, words_from in families_out_for_a_stretch(text):
        place_from = zh_stretch_before(text, phrase_from)
        if place_from is not None:  # "开头不要钢琴": read as "开头不要鼓"
            said = read_places(text[place_from:phrase_from] + "不要鼓")
            placed += [p.model_copy(update={"family": family}) for p in said if p.kind == "drumless"]
            continue
        end = _CLAUSE_END.search(text, words_from)
        stretch = text[words_from : end.start() if end else len(text)]
        for as_drums in ("no drums" + stretch, "remove the drums" + stretch):  # "no drums until 0:08", "… in the intro"
            timed = read_moments(as_drums).moments
            spans = [*timed.drumless_s, *([(0.0, timed.drums_from_s)] if timed.drums_from_s else [])]
            places = [p.model_copy(update={"family": family}) for p in read_places(untimed(as_drums))
                      if p.kind == "drumless"]  # fmt: skip
            if spans or places:
                moments = moments.merged(Moments(families_out_s=[(family, a, b) for a, b in spans]))
                placed += [p for p in places if p not in placed]
                break
    return moments, tuple(placed)
