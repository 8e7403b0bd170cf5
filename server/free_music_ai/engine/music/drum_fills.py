"""Drum fills, several per groove family, each the kind a player of that music plays into a new section.

Issue 27 heard one three-tom run close phrases in 12 of 16 genres, trap and orchestral included. Here a rock
drummer rolls round the toms, a boom-bap beat drops out and leaves a lone snare, a trap producer rolls the
snare and hats in 32nds and triplets, a jazz drummer sets up the band with a kick "bomb" on the and of four,
an orchestra rolls the timpani or swells a suspended cymbal, folk shakes a tambourine. A fill is a fixed shape
(where and what is struck); only its loudness is played differently each time.
"""

from __future__ import annotations

from dataclasses import dataclass

KICK, RIM, SNARE, CLAP, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 37, 38, 39, 42, 46, 49, 51
LOW_FLOOR_TOM, LOW_TOM, LOW_MID_TOM, MID_TOM, HI_MID_TOM, HIGH_TOM = 41, 43, 45, 47, 48, 50
SHAKER, TAMBOURINE, CONCERT_KICK, PEDAL_HAT, CRASH_2, SPLASH, COWBELL = 70, 54, 35, 44, 57, 55, 56
TIMPANI = -1  # not a drum key: a timpani stroke on the bar's root (General MIDI program 47)
Hits = tuple[tuple[float, int, float], ...]  # (beat in the bar, drum key or TIMPANI, accent 0..1)


@dataclass(frozen=True)
class Fill:
    name: str
    hits: Hits  # (beat in the bar, drum key or TIMPANI, accent 0..1)
    start: float = 3.0  # the groove stops here and the fill takes over

    def shape(self) -> frozenset[tuple[float, int]]:
        """Where and what is struck: two fills with the same shape are the same fill."""
        return frozenset((round(beat, 4), key) for beat, key, _ in self.hits)


def _roll(start: float, end: float, step: float, key: int, low: float, high: float) -> Hits:
    """Even strokes from ``start`` up to ``end`` rising from accent ``low`` to ``high``."""
    count = round((end - start) / step)
    return tuple((start + k * step, key, low + (high - low) * k / max(1, count - 1)) for k in range(count))


def _accelerando(start: float, key: int, low: float, high: float) -> Hits:
    """A roll that speeds up over the last beat: eighths, sixteenths, then 32nds."""
    beats = [start, start + 0.5, start + 0.75, start + 0.875]
    return tuple((b, key, low + (high - low) * k / (len(beats) - 1)) for k, b in enumerate(beats))


FILLS: dict[str, tuple[Fill, ...]] = {
    "rock": (
        Fill("tom run", ((3, SNARE, 0.8), (3.25, HIGH_TOM, 0.85), (3.5, MID_TOM, 0.9), (3.75, LOW_FLOOR_TOM, 1.0),
                         (3, KICK, 0.8), (3.5, KICK, 0.8))),
        Fill("snare into toms", (*_roll(2, 3, 0.25, SNARE, 0.55, 0.8), (3, HIGH_TOM, 0.85), (3.25, HIGH_TOM, 0.8),
                                 (3.5, LOW_TOM, 0.9), (3.75, LOW_FLOOR_TOM, 1.0), (2, KICK, 0.8)), 2.0),
        Fill("floor tom and snare unison", tuple(h for b in (2, 2.5, 3, 3.5) for h in ((b, SNARE, 0.8 + 0.05 * (b - 2)),
                                                 (b, LOW_FLOOR_TOM, 0.85))), 2.0),
        Fill("snare flams", ((3, SNARE, 0.75), (3.5, SNARE, 0.85), (3.75, SNARE, 1.0), (3, KICK, 0.85),
                             (3.5, KICK, 0.85), (3.5, CRASH, 0.6))),
    ),
    "pop": (
        Fill("snare sixteenths", _roll(3, 4, 0.25, SNARE, 0.5, 1.0)),
        Fill("clap pickup", ((3, OPEN_HAT, 0.6), (3.5, CLAP, 0.7), (3.75, CLAP, 0.9), (3.5, SNARE, 0.6),
                             (3.75, SNARE, 0.8), (3, KICK, 0.9))),
        Fill("kick and snare trade", ((3, KICK, 0.9), (3.25, SNARE, 0.6), (3.5, KICK, 0.85), (3.75, SNARE, 0.95))),
    ),
    "corporate": (
        Fill("clap doubles", ((3, KICK, 0.9), (3.5, CLAP, 0.75), (3.75, CLAP, 0.95), (3.5, CLOSED_HAT, 0.4))),
        Fill("snare eighths rising", (*_roll(2, 3.5, 0.5, SNARE, 0.45, 0.8), (3.25, KICK, 0.7), (3.75, SNARE, 0.95)),
             2.0),
        Fill("high toms", ((3, HI_MID_TOM, 0.7), (3.25, HI_MID_TOM, 0.75), (3.5, LOW_MID_TOM, 0.85),
                           (3.75, LOW_MID_TOM, 0.95), (3, KICK, 0.8))),
    ),
    "hiphop": (
        Fill("beat drops out", ((3.75, SNARE, 0.9),)),
        Fill("double snare", ((3, SNARE, 0.9), (3.5, KICK, 0.85), (3.75, SNARE, 0.75))),
        Fill("rim pickup", ((3, OPEN_HAT, 0.55), (3.5, RIM, 0.6), (3.75, RIM, 0.8), (3, KICK, 0.9))),
        Fill("snare stutter", ((3, SNARE, 0.8), (3.25, SNARE, 0.5), (3.5, KICK, 0.8), (3.75, SNARE, 0.9))),
    ),
    "boombap": (
        Fill("lazy kick drag", ((3, SNARE, 0.85), (3.25, KICK, 0.6), (3.5, KICK, 0.7), (3.75, SNARE, 0.35))),
        Fill("soft rim roll", _roll(3.5, 4, 0.125, RIM, 0.3, 0.6), 3.5),
        Fill("tape stop", ((3.5, KICK, 0.55),)),
        Fill("dusty triplet", ((3, SNARE, 0.6), (3 + 1 / 3, SNARE, 0.4), (3 + 2 / 3, KICK, 0.6))),
    ),
    "trap": (
        Fill("snare roll", _roll(3, 4, 0.125, SNARE, 0.35, 1.0)),
        Fill("hat roll triplets to 32nds", (*_roll(2, 3, 1 / 6, CLOSED_HAT, 0.4, 0.65),
                                            *_roll(3, 4, 0.125, CLOSED_HAT, 0.45, 0.9), (2, CLAP, 1.0),
                                            (3, SNARE, 0.6), (3.5, KICK, 0.8), (3.75, KICK, 0.7)), 2.0),
        Fill("clap stutter", ((3, CLAP, 0.7), (3.5, CLAP, 0.75), (3.75, CLAP, 0.85), (3.875, CLAP, 1.0))),
        Fill("everything cut", ((3.75, KICK, 0.9),)),
        Fill("snare triplets", (*_roll(3, 4, 1 / 3, SNARE, 0.5, 0.95), (3, KICK, 0.85))),
    ),
    "edm": (
        Fill("snare sixteenths up", _roll(2, 4, 0.25, SNARE, 0.35, 1.0), 2.0),
        Fill("clap eighths to sixteenths", (*_roll(2, 3, 0.5, CLAP, 0.5, 0.65), *_roll(3, 4, 0.25, CLAP, 0.7, 1.0)),
             2.0),
        Fill("kick cut", ((3, SNARE, 0.6), (3.5, CLAP, 0.7), (3.75, CLAP, 0.9), (3.75, OPEN_HAT, 0.6))),
    ),
    "jazz": (
        Fill("kick bomb on the and of four", ((3, RIDE, 0.6), (3, SNARE, 0.35), (3 + 1 / 3, SNARE, 0.45),
                                              (3 + 2 / 3, SNARE, 0.8), (3 + 2 / 3, KICK, 0.9))),
        Fill("snare triplets", ((3, SNARE, 0.5), (3 + 1 / 3, SNARE, 0.6), (3 + 2 / 3, HIGH_TOM, 0.75),
                                (3, RIDE, 0.55))),
        Fill("comping the band in", ((2 + 2 / 3, KICK, 0.7), (3 + 1 / 3, SNARE, 0.65), (3 + 2 / 3, LOW_TOM, 0.8),
                                     (2, RIDE, 0.55)), 2.0),
        Fill("round the toms", ((3, HIGH_TOM, 0.6), (3 + 1 / 3, MID_TOM, 0.7), (3 + 2 / 3, LOW_FLOOR_TOM, 0.85))),
    ),
    "rnb": (
        Fill("rim sixteenths", ((3, RIM, 0.5), (3.25, KICK, 0.7), (3.5, RIM, 0.6), (3.75, RIM, 0.75))),
        Fill("snare drag", ((3, SNARE, 0.7), (3.75, SNARE, 0.35), (3.875, SNARE, 0.5), (3.5, KICK, 0.7))),
        Fill("open hat and clap", ((3, KICK, 0.8), (3.5, OPEN_HAT, 0.55), (3.5, RIM, 0.3), (3.75, CLAP, 0.7))),
    ),
    "acoustic": (
        Fill("rim eighths", ((3, RIM, 0.7), (3.5, RIM, 0.8), (3.5, KICK, 0.7), (3.75, RIM, 0.6))),
        Fill("shaker swell", (*_roll(3, 4, 0.25, SHAKER, 0.35, 0.85), (3, KICK, 0.6), (3.5, KICK, 0.65),
                              (3.75, RIM, 0.7))),
        Fill("soft snare pickup", ((3.5, SNARE, 0.45), (3.75, SNARE, 0.6), (3, KICK, 0.7))),
        Fill("floor tom pickup", ((3, LOW_FLOOR_TOM, 0.65), (3.5, LOW_FLOOR_TOM, 0.75), (3.75, SNARE, 0.6))),
    ),
    "folk": (
        Fill("stomp and clap", ((3, KICK, 0.9), (3.5, KICK, 0.8), (3.75, CLAP, 0.9))),
        Fill("tambourine shake", (*_roll(3, 4, 0.125, TAMBOURINE, 0.35, 0.8), (3, KICK, 0.7), (3 + 1 / 3, KICK, 0.6),
                                  (3 + 2 / 3, KICK, 0.8))),
        Fill("bodhran triplets", ((3, LOW_FLOOR_TOM, 0.85), (3 + 1 / 3, LOW_FLOOR_TOM, 0.6),
                                  (3 + 2 / 3, LOW_FLOOR_TOM, 0.75))),
    ),
    "epic": (
        Fill("tom ensemble", tuple((3 + k / 6, LOW_TOM if k % 2 else LOW_FLOOR_TOM, 0.55 + 0.08 * k)
                                   for k in range(6))),
        Fill("taiko booms", ((3, CONCERT_KICK, 0.9), (3.5, CONCERT_KICK, 0.8), (3.75, LOW_FLOOR_TOM, 1.0),
                             (3, TIMPANI, 0.8))),
        Fill("cymbal swell", (*_roll(2, 4, 0.125, CRASH_2, 0.2, 0.75), (3.5, LOW_TOM, 0.7),
                              (3.75, LOW_FLOOR_TOM, 0.85), (3.75, CONCERT_KICK, 0.9)), 2.0),
    ),
    "orchestral": (
        Fill("timpani roll", (*_roll(3, 4, 0.125, TIMPANI, 0.3, 0.9), (3, CONCERT_KICK, 0.5),
                              (3.5, CONCERT_KICK, 0.65), (3.75, CONCERT_KICK, 0.8))),
        Fill("suspended cymbal", (*_roll(3, 4, 0.125, SPLASH, 0.15, 0.6), *_roll(3, 3.75, 1 / 6, SNARE, 0.2, 0.5),
                                  (3.75, CONCERT_KICK, 0.8))),
        Fill("timpani strokes", ((3, TIMPANI, 0.7), (3.5, TIMPANI, 0.8), (3.75, TIMPANI, 0.95), (3, CONCERT_KICK, 0.6),
                                 (3.5, SNARE, 0.55), (3.75, CONCERT_KICK, 0.8))),
        Fill("snare drum roll", _roll(3, 4, 1 / 6, SNARE, 0.25, 0.85)),
    ),
    "pulse": (
        Fill("heartbeat quickens", _accelerando(3, KICK, 0.5, 0.9)),
        Fill("low tom triplets", ((2, LOW_FLOOR_TOM, 0.5), (2 + 1 / 3, LOW_FLOOR_TOM, 0.55),
                                  (2 + 2 / 3, LOW_FLOOR_TOM, 0.6), (3, LOW_FLOOR_TOM, 0.7),
                                  (3 + 1 / 3, LOW_FLOOR_TOM, 0.8), (3 + 2 / 3, LOW_FLOOR_TOM, 0.9)), 2.0),
        Fill("held breath", ((3.75, PEDAL_HAT, 0.5),)),
        Fill("clock ticks", _roll(3, 4, 0.25, RIM, 0.35, 0.75)),
    ),
}  # fmt: skip
