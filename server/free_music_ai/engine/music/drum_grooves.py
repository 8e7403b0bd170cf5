"""The drummer's grooves: several core beats per family, one per piece, chosen by the seed.

With one beat per family every piece of a genre sat on the same kick and snare (a listening critique found 24 of
seed 2's 32 trap bars, 20 of 23 electronic and 17 of 23 pop on a pattern seed 1 played as well). A producer of each
music keeps its signature (trap's clap on three, house's four on the floor, boom-bap's backbeat) and moves the rest:
where the kick falls between the backbeats, how the hats run, what the fourth bar adds. The bass locks to the
kick: a groove names the rhythms a sub or an 808 plays under it.

The first groove of each family is the one it always had, so a seed that draws it plays as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from free_music_ai.engine.music.drum_fills import (
    CLAP,
    CONCERT_KICK,
    KICK,
    LOW_FLOOR_TOM,
    LOW_TOM,
    MID_TOM,
    PEDAL_HAT,
    RIM,
    SNARE,
    TAMBOURINE,
    Hits,
)
from free_music_ai.engine.music.playing_styles import DrumStyle
from free_music_ai.engine.music.seed_places import seed_place


class Hats(StrEnum):
    """How the time is kept over a groove."""

    FAMILY = "family"  # the family's own way (parts_drums._time_keeping): eighths, a shaker, a ride, trap's rolls
    OFFBEAT_OPEN = "offbeat open"  # an open hat on every offbeat (house, disco), sixteenths between at full energy
    SIXTEENTHS = "sixteenths"  # closed hats in sixteenths, the offbeat eighths leaned on (eighths when quiet)
    SHAKER_OFFBEATS = "shaker offbeats"  # an open hat on the offbeats over a shaker in sixteenths
    # a rock verse kept on the floor tom in eighths, the hats shut (the family's ride still opens the chorus)
    FLOOR_TOM = "floor tom"


@dataclass(frozen=True)
class Groove:
    name: str
    core: Hits  # the beat at full energy
    variations: tuple[Hits, ...]  # what a bar adds now and then; the last is the phrase's fourth bar's (the busiest)
    hats: Hats = Hats.FAMILY
    # the rhythms a bass locked to this kick plays (beats its notes start on): an 808 draws one per bar, a sub, a
    # pulse or an r&b bass plays the first; empty: the bass style's own
    bass: tuple[tuple[float, ...], ...] = ()
    # where a rock band's guitars strike in its chorus and peak, (beat, beats held): the band's riff locked to its
    # drummer. Empty: eighths (the palm-muted verse is always eighths)
    open_strikes: tuple[tuple[float, float], ...] = ()


def _four_on_the_floor(accent: float = 1.0, off: float = 1.0) -> Hits:
    return ((0, KICK, accent), (1, KICK, off), (2, KICK, accent), (3, KICK, off))


GROOVES: dict[DrumStyle, tuple[Groove, ...]] = {
    DrumStyle.BOOMBAP: (
        Groove("boom-bap", ((0, KICK, 1), (1.75, KICK, 0.7), (2.5, KICK, 0.85), (1, SNARE, 1), (3, SNARE, 1)),
               (((2.75, KICK, 0.55),), ((0.5, KICK, 0.5), (3.75, SNARE, 0.35)), ((3.25, SNARE, 0.3),))),
        Groove("lazy kick", ((0, KICK, 1), (0.5, KICK, 0.55), (2.25, KICK, 0.8), (1, SNARE, 1), (3, SNARE, 1)),
               (((2.75, KICK, 0.5),), ((1.75, KICK, 0.45), (3.75, SNARE, 0.3)),
                ((3.5, KICK, 0.55), (3.75, SNARE, 0.35)))),
        Groove("double kick", ((0, KICK, 1), (2.5, KICK, 0.85), (2.75, KICK, 0.6), (1, SNARE, 1), (3, SNARE, 1)),
               (((1.5, KICK, 0.5),), ((0.75, KICK, 0.45), (3.25, SNARE, 0.3)), ((3.5, KICK, 0.5), (3.75, SNARE, 0.4)))),
    ),
    DrumStyle.HIPHOP: (
        Groove("hip-hop", ((0, KICK, 1), (0.75, KICK, 0.7), (2.5, KICK, 0.9), (3.25, KICK, 0.6), (1, SNARE, 1),
                           (3, SNARE, 1)),
               (((1.75, SNARE, 0.3),), ((2.0, KICK, 0.6), (3.75, SNARE, 0.35)), ((1.5, KICK, 0.5),)),
               bass=((0, 1.75, 2.5),)),
        Groove("late kick", ((0, KICK, 1), (1.5, KICK, 0.7), (2.25, KICK, 0.85), (1, SNARE, 1), (3, SNARE, 1)),
               (((2.75, KICK, 0.55),), ((0.75, KICK, 0.5), (3.75, SNARE, 0.35)),
                ((3.25, KICK, 0.55), (3.5, SNARE, 0.35))),
               bass=((0, 1.5, 2.25),)),
        Groove("bounce", ((0, KICK, 1), (0.5, KICK, 0.65), (2, KICK, 0.8), (2.75, KICK, 0.7), (1, SNARE, 1),
                          (3, SNARE, 1)),
               (((1.75, SNARE, 0.3),), ((3.5, KICK, 0.5),), ((3.25, SNARE, 0.35), (3.75, KICK, 0.55))),
               hats=Hats.SIXTEENTHS, bass=((0, 2, 2.75),)),
    ),
    DrumStyle.POP: (
        Groove("backbeat", ((0, KICK, 1), (1.5, KICK, 0.6), (2, KICK, 0.9), (1, SNARE, 1), (3, SNARE, 1),
                            (3, CLAP, 0.7)),
               (((2.5, KICK, 0.6),), ((0.75, KICK, 0.5), (3.75, SNARE, 0.35)),
                ((3.5, KICK, 0.55), (2.75, SNARE, 0.3)))),
        Groove("four on the floor", (*_four_on_the_floor(1.0, 0.85), (1, SNARE, 0.9), (3, SNARE, 0.9), (1, CLAP, 0.8),
                                     (3, CLAP, 0.8)),
               (((3.75, SNARE, 0.35),), ((2.5, KICK, 0.4),), ((3.5, CLAP, 0.45), (3.75, SNARE, 0.5))),
               hats=Hats.OFFBEAT_OPEN),
        Groove("syncopated", ((0, KICK, 1), (0.75, KICK, 0.6), (2.5, KICK, 0.85), (1, SNARE, 1), (3, SNARE, 1),
                              (1, CLAP, 0.6), (3, CLAP, 0.6)),
               (((1.5, KICK, 0.5),), ((2.0, KICK, 0.55), (3.75, SNARE, 0.35)),
                ((3.25, KICK, 0.55), (3.5, SNARE, 0.4), (3.75, SNARE, 0.5))),
               hats=Hats.SIXTEENTHS),
    ),
    DrumStyle.EDM: (
        Groove("house", (*_four_on_the_floor(), (1, CLAP, 0.9), (3, CLAP, 0.9)),
               (((3.75, CLAP, 0.4),), ((2.5, KICK, 0.35),), ((3.5, CLAP, 0.45), (3.75, CLAP, 0.5)))),
        Groove("rolling", (*_four_on_the_floor(), (1, CLAP, 0.9), (3, CLAP, 0.9), (1, SNARE, 0.6), (3, SNARE, 0.6)),
               (((3.75, SNARE, 0.4),), ((1.75, CLAP, 0.35),),
                ((3.25, SNARE, 0.4), (3.5, SNARE, 0.5), (3.75, SNARE, 0.6))),
               hats=Hats.SIXTEENTHS),
        Groove("tribal", (*_four_on_the_floor(), (1, CLAP, 0.9), (3, CLAP, 0.9), (0.75, RIM, 0.45), (2.75, RIM, 0.45),
                          (2.5, LOW_TOM, 0.4)),
               (((1.5, RIM, 0.35),), ((3.25, LOW_TOM, 0.4),),
                ((3.25, MID_TOM, 0.45), (3.5, LOW_TOM, 0.5), (3.75, CLAP, 0.5))),
               hats=Hats.SHAKER_OFFBEATS),
    ),
    DrumStyle.ACOUSTIC: (
        Groove("brushed", ((0, KICK, 0.8), (2.5, KICK, 0.6), (1, RIM, 0.78), (3, RIM, 0.78)),
               (((1.5, KICK, 0.45),), ((3.5, RIM, 0.4),), ((2.0, KICK, 0.5), (3.75, RIM, 0.35)))),
        Groove("train", ((0, KICK, 0.8), (1.5, KICK, 0.5), (2, KICK, 0.65), (1, RIM, 0.78), (3, RIM, 0.78)),
               (((2.75, KICK, 0.4),), ((3.5, RIM, 0.4),), ((3.25, RIM, 0.35), (3.75, RIM, 0.45)))),
        Groove("half-time", ((0, KICK, 0.8), (2.75, KICK, 0.45), (2, RIM, 0.8), (3.5, RIM, 0.35)),
               (((1.5, KICK, 0.45),), ((1.0, RIM, 0.35),), ((3.25, KICK, 0.45), (3.75, RIM, 0.4)))),
    ),
    DrumStyle.CORPORATE: (
        Groove("claps", ((0, KICK, 0.9), (2, KICK, 0.8), (2.5, KICK, 0.5), (1, CLAP, 0.85), (3, CLAP, 0.85)),
               (((3.5, KICK, 0.5),), ((1.75, KICK, 0.45),), ((3.25, CLAP, 0.4), (3.75, CLAP, 0.5)))),
        # the bass drives in eighths over the claps; over four on the floor it pumps on the one and the offbeats,
        # over the skip it skips with the kick (one pulse under every seed's groove: two seeds heard as one piece)
        Groove("four on the floor", (*_four_on_the_floor(0.9, 0.7), (1, CLAP, 0.85), (3, CLAP, 0.85)),
               (((3.75, CLAP, 0.35),), ((2.5, KICK, 0.4),), ((3.25, CLAP, 0.4), (3.75, CLAP, 0.5))),
               hats=Hats.OFFBEAT_OPEN, bass=((0, 0.5, 1.5, 2.5, 3.5),)),
        Groove("skip", ((0, KICK, 0.9), (1.5, KICK, 0.6), (2.5, KICK, 0.75), (1, CLAP, 0.85), (3, CLAP, 0.85)),
               (((0.75, KICK, 0.4),), ((3.5, KICK, 0.5),), ((3.25, CLAP, 0.4), (3.5, CLAP, 0.45), (3.75, CLAP, 0.5))),
               hats=Hats.SIXTEENTHS, bass=((0, 0.75, 1.5, 2, 2.5, 3.25),)),
    ),
    DrumStyle.EPIC: (
        Groove("war drums", ((0, LOW_TOM, 1), (0.75, LOW_TOM, 0.6), (1.5, MID_TOM, 0.7), (2, LOW_TOM, 0.9),
                             (2.5, KICK, 0.8), (3, SNARE, 0.9)),
               (((3.5, LOW_TOM, 0.6),), ((1.0, MID_TOM, 0.5),), ((3.25, MID_TOM, 0.55), (3.5, LOW_TOM, 0.7)))),
    ),
    # rock's three bands: the backbeat under eighths; a dance-rock four on the floor, its open hats on the offbeats
    # and its guitars pushing across the bar; a floor-tom verse whose chorus rings in three-three-two (the three seeds
    # a listening critique heard were one band on one groove: kick, snare, hats and chords alike bar for bar)
    DrumStyle.ROCK: (
        Groove("rock", ((0, KICK, 1), (1.5, KICK, 0.55), (2.5, KICK, 0.85), (1, SNARE, 1), (3, SNARE, 1)),
               (((2.75, KICK, 0.55),), ((0.5, KICK, 0.5),), ((3.5, SNARE, 0.5), (3.75, SNARE, 0.6)))),
        Groove("dance rock", (*_four_on_the_floor(1.0, 0.8), (1, SNARE, 1), (3, SNARE, 1)),
               (((3.5, SNARE, 0.45),), ((2.75, KICK, 0.45),), ((3.25, SNARE, 0.5), (3.5, SNARE, 0.55),
                                                               (3.75, SNARE, 0.65))),
               hats=Hats.OFFBEAT_OPEN, open_strikes=((0, 1.5), (1.5, 1.0), (2.5, 0.5), (3, 0.5), (3.5, 0.5))),
        # its kick on the riff's three-three-two (0, 1.5, then the snare on 3): a kick on 1.75 flammed a sixteenth
        # off 5 of 11 chorus strikes (a listening critique)
        Groove("floor tom", ((0, KICK, 1), (1.5, KICK, 0.6), (2.5, KICK, 0.85), (1, SNARE, 1), (3, SNARE, 1)),
               (((3.25, KICK, 0.5),), ((0.75, KICK, 0.5),),
                ((3, LOW_TOM, 0.6), (3.25, LOW_TOM, 0.65), (3.5, LOW_TOM, 0.75), (3.75, LOW_FLOOR_TOM, 0.8))),
               hats=Hats.FLOOR_TOM, bass=((0, 0.5, 1.5, 2, 2.5, 3, 3.5),),  # eighths that skip with the kick
               open_strikes=((0, 1.5), (1.5, 1.5), (3, 1.0))),
    ),
    DrumStyle.JAZZ: (
        Groove("swing", ((0, KICK, 0.45), (1, PEDAL_HAT, 0.7), (3, PEDAL_HAT, 0.7), (2.5, SNARE, 0.3),
                         (3.5, SNARE, 0.25)),
               (((1.5, SNARE, 0.3),), ((3.5, KICK, 0.35),), ((2.75, SNARE, 0.35), (3.5, SNARE, 0.45)))),
    ),
    DrumStyle.TRAP: (
        Groove("trap", ((0, KICK, 1), (0.75, KICK, 0.65), (2.5, KICK, 0.8), (2, CLAP, 1), (2, SNARE, 0.8)),
               (((1.5, KICK, 0.6),), ((3.25, KICK, 0.55),), ((3.5, CLAP, 0.5), (3.75, KICK, 0.6))),
               bass=((0.0, 2.5), (0.0, 0.75, 2.5), (0.0, 1.5, 2.5, 3.5), (0.0, 2.5, 3.25), (0.0, 0.75, 2.5, 3.75))),
        Groove("late kick", ((0, KICK, 1), (1.5, KICK, 0.7), (3.25, KICK, 0.7), (2, CLAP, 1), (2, SNARE, 0.8)),
               (((0.75, KICK, 0.55),), ((2.75, KICK, 0.6),), ((3.5, CLAP, 0.5), (3.75, KICK, 0.6))),
               bass=((0.0, 1.5), (0.0, 1.5, 3.25), (0.0, 1.5, 2.75, 3.25), (0.0, 3.25), (0.0, 0.75, 1.5, 3.25))),
        Groove("stutter", ((0, KICK, 1), (0.5, KICK, 0.6), (1.75, KICK, 0.75), (3.5, KICK, 0.65), (2, CLAP, 1),
                           (2, SNARE, 0.8)),
               (((2.75, KICK, 0.55),), ((1.0, KICK, 0.5),), ((3.5, CLAP, 0.5), (3.75, CLAP, 0.4))),
               bass=((0.0, 1.75), (0.0, 0.5, 1.75), (0.0, 1.75, 3.5), (0.0, 0.5, 1.75, 3.5), (0.0, 1.75, 2.75))),
    ),
    DrumStyle.RNB: (
        Groove("slow jam", ((0, KICK, 1), (1.75, KICK, 0.6), (2.5, KICK, 0.8), (1, SNARE, 0.72), (3, SNARE, 0.72),
                            (3, CLAP, 0.45)),
               (((3.75, KICK, 0.45),), ((0.75, KICK, 0.45),), ((3.5, SNARE, 0.35), (3.75, SNARE, 0.4)))),
        Groove("pushed", ((0, KICK, 1), (0.75, KICK, 0.6), (2.25, KICK, 0.75), (1, SNARE, 0.72), (3, SNARE, 0.72),
                          (1, CLAP, 0.45)),
               (((3.5, KICK, 0.45),), ((1.75, KICK, 0.4),), ((3.25, SNARE, 0.35), (3.75, SNARE, 0.4))),
               bass=((0, 0.75, 2.25),)),
        Groove("sixteenths", ((0, KICK, 1), (1.5, KICK, 0.55), (2.75, KICK, 0.75), (1, SNARE, 0.72), (3, SNARE, 0.72),
                              (3, CLAP, 0.45)),
               (((0.75, KICK, 0.4),), ((3.5, KICK, 0.45),), ((3.25, SNARE, 0.35), (3.75, SNARE, 0.4))),
               hats=Hats.SIXTEENTHS, bass=((0, 1.5, 2.75),)),
    ),
    DrumStyle.FOLK: (
        Groove("tambourine", ((0, KICK, 0.85), (2, KICK, 0.7), (1, TAMBOURINE, 0.75), (3, TAMBOURINE, 0.75),
                              (3, CLAP, 0.55)),
               (((1.5, KICK, 0.45),), ((3.5, TAMBOURINE, 0.4),), ((2.5, KICK, 0.5), (3.5, CLAP, 0.45)))),
        Groove("stomp and clap", (*_four_on_the_floor(0.85, 0.7), (1, CLAP, 0.7), (3, CLAP, 0.7)),
               (((3.5, CLAP, 0.4),), ((2.5, KICK, 0.4),), ((3.25, CLAP, 0.4), (3.5, CLAP, 0.5)))),
        Groove("shuffle", ((0, KICK, 0.85), (1.5, KICK, 0.5), (2, KICK, 0.7), (1, TAMBOURINE, 0.75),
                           (3, TAMBOURINE, 0.75), (2.5, TAMBOURINE, 0.4)),
               (((3.5, KICK, 0.45),), ((0.5, TAMBOURINE, 0.35),), ((2.75, KICK, 0.45), (3.5, TAMBOURINE, 0.5)))),
    ),
    DrumStyle.ORCHESTRAL: (
        Groove("concert", ((0, CONCERT_KICK, 0.9), (2, CONCERT_KICK, 0.6), (3.5, LOW_TOM, 0.45)),
               (((1.0, CONCERT_KICK, 0.4),), ((3.0, LOW_TOM, 0.4),), ((3.25, LOW_TOM, 0.5), (3.5, MID_TOM, 0.55)))),
    ),
    # a thriller's pulse: a heartbeat, a clock's tick against a low drum, or toms stalking in a broken rhythm (one
    # heartbeat under every seed: a listening critique heard seed 2 as seed 1 transposed)
    DrumStyle.PULSE: (
        Groove("heartbeat", ((0, KICK, 0.9), (0.5, KICK, 0.55), (2, LOW_TOM, 0.5), (3.5, KICK, 0.4)),
               (((2.5, LOW_TOM, 0.4),), ((1.0, KICK, 0.35),), ((3.0, LOW_TOM, 0.45), (3.5, LOW_TOM, 0.55)))),
        Groove("clock", ((0, KICK, 0.85), (1, RIM, 0.5), (2, LOW_TOM, 0.55), (3, RIM, 0.5)),
               (((2.5, RIM, 0.35),), ((3.5, KICK, 0.4),), ((3.25, LOW_TOM, 0.45), (3.75, LOW_TOM, 0.55)))),
        Groove("stalking", ((0, LOW_TOM, 0.85), (0.75, LOW_TOM, 0.5), (1.5, KICK, 0.6), (2.5, LOW_TOM, 0.6),
                            (3, KICK, 0.5)),
               (((3.5, LOW_TOM, 0.4),), ((1.0, KICK, 0.35),), ((3.25, MID_TOM, 0.45), (3.5, LOW_TOM, 0.55)))),
    ),
}  # fmt: skip


def family_grooves(family: DrumStyle) -> tuple[Groove, ...]:
    """A family's grooves (pop's for a family without a table, as its patterns always were)."""
    return GROOVES.get(family, GROOVES[DrumStyle.POP])


def groove_of(family: DrumStyle, seed: int) -> Groove:
    """The groove a seed plays in ``family``: its place on the Weyl sequence (seed_places.py), so two neighbouring
    seeds never draw one groove of three."""
    grooves = family_grooves(family)
    if len(grooves) == 1:
        return grooves[0]
    place = seed_place(f"groove-phase:{family.value}", seed)  # per family: one seed's genres differ
    return grooves[int(place * len(grooves))]
