"""Where a section of a composed piece plays ("the chorus": its chorus and peak bars), in seconds of the piece: what
a stretch named by its section ("no drums in the chorus") covers."""

from __future__ import annotations

from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.music.moments import Section

# the form's labels a listener calls by each name: the peak is the last, biggest chorus
LABELS: dict[Section, tuple[str, ...]] = {
    "chorus": ("chorus", "peak"),
    "verse": ("verse",),
    "breakdown": ("breakdown",),
    "bridge": ("bridge",),
}


def section_spans(composition: Composition, section: Section) -> list[tuple[float, float]]:
    """The stretches (s) where ``composition`` plays ``section``, its bars joined where they follow each other."""
    spans: list[tuple[float, float]] = []
    tempo = composition.form.tempo
    for bar in composition.form.bars:
        if bar.section not in LABELS[section]:
            continue
        first, last = tempo.time_of(bar.start), tempo.time_of(bar.start + bar.beats)
        if spans and abs(spans[-1][1] - first) < 1e-3:
            spans[-1] = (spans[-1][0], last)
        else:
            spans.append((first, last))
    return [(round(first, 3), round(min(last, composition.spec.duration_s), 3)) for first, last in spans]
