"""The loudness a piece is given when part of it was asked louder or quieter: the rest stays where it was.

A piece (and an export's soundtrack) is brought to the target loudness by one gain. Measured over the whole, a
stretch asked louder ("make the second half more energetic") pulled everything else down to pay for it, and a
stretch asked quieter pushed it up: the part nobody asked to change moved by up to 5.3 dB (lifted) and 5.9 dB
(quiet) against the same piece unasked. So the target is what the piece would measure unasked (its *nominal*
loudness), and the whole is louder or quieter than the target by what was asked (its *excess*, kept with the music
so the export's mix is levelled alike, engine/soundtrack.py).

The nominal loudness is known exactly when the piece edits one that was heard (the same spec but for its moments):
the frames neither piece changed are the same notes, so the new one is given the gain that makes them measure as
they did. Otherwise it is estimated from the piece itself:

- a lift's own envelope (its dB over the arc) is taken out of the frames it raised, which are still measured
  (its fuller bars count as the piece's own, as the unasked piece's fullest bars do);
- a quiet stretch, a stop and a build's pull-back are left out (their sparser bars and dips would raise the rest).

Measured on 16 genres x 2 seeds x 2 lengths against the same pieces unasked (pyloudnorm), the estimate leaves
the part before a lifted second half 0.7 dB from where it was on average (at most 3.3), before a quiet second half
1.7 dB (at most 3.3); matched to the piece heard, within 0.3 dB.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from free_music_ai.engine.loudness import FRAME_S, gated_lufs
from free_music_ai.engine.music.timed import LIFT_RISE_BARS  # a placed lift rises over them: changed as much

Envelope = tuple[Sequence[float], Sequence[float]]  # (times in s, levels in dB)
Span = tuple[float, float]
# a measure left with less than this is too little of the piece to stand for it (the whole is measured instead)
MIN_REFERENCE_S = 4.0
MIN_REFERENCE_SHARE = 0.2


@dataclass(frozen=True)
class Heard:
    """The piece a new one edits, as it was heard: its loudness frames (100 ms), the spans its own asked moments
    changed (s), and its nominal loudness (the target it was made for)."""

    energies: np.ndarray
    changed_s: Sequence[Span]
    nominal_lufs: float


def envelope_spans(envelopes: Sequence[Envelope]) -> list[Span]:
    """The time each of ``envelopes`` spans, its first point to its last."""
    return [(min(times), max(times)) for times, _ in envelopes if len(times)]


def rise_spans(lifts: Sequence[Span], downbeats_s: Sequence[float]) -> list[Span]:
    """The bars each of ``lifts`` rises over before it, from the piece's ``downbeats_s``."""
    spans = []
    for first, _ in lifts:
        before = [d for d in downbeats_s if d < first - 1e-6]
        if before:
            spans.append((before[-min(LIFT_RISE_BARS, len(before))], first))
    return spans


def outside(spans: Sequence[Span], frames: int) -> np.ndarray | None:
    """Which of ``frames`` loudness frames lie outside every one of ``spans``; None when too few to stand for the
    piece."""
    keep = np.ones(frames, dtype=bool)
    for first, last in spans:
        keep[max(0, math.floor(first / FRAME_S)) : max(0, math.ceil(last / FRAME_S))] = False
    kept = int(keep.sum())
    return None if kept * FRAME_S < MIN_REFERENCE_S or kept < MIN_REFERENCE_SHARE * frames else keep


def nominal_lufs(energies: np.ndarray, *, apart: Sequence[Span] = (), raised: Sequence[Envelope] = (),
                 changed: Sequence[Span] = (), heard: Heard | None = None) -> float:  # fmt: skip
    """The loudness the piece whose frames are ``energies`` would measure unasked. ``heard``: the piece it edits,
    matched on the frames neither changed (``changed``: every span this piece's moments changed); else estimated,
    ``apart`` left out and ``raised``'s envelopes taken out of the frames they cover."""
    if heard is not None and len(heard.energies) == len(energies):
        keep = outside([*changed, *heard.changed_s], len(energies))
        if keep is not None:
            nominal = gated_lufs(energies[keep]) - gated_lufs(heard.energies[keep]) + heard.nominal_lufs
            if math.isfinite(nominal):
                return nominal
    keep = outside(apart, len(energies)) if apart else None
    centres = (np.arange(len(energies)) + 0.5) * FRAME_S
    unasked = energies.copy()
    for times, levels in raised:
        unasked *= 10.0 ** (-np.interp(centres, times, levels, left=0.0, right=0.0) / 10.0)
    return gated_lufs(unasked if keep is None else unasked[keep])
