"""How a genre's band plays, as closed sets (the fields of genres.Style): the drummer's groove, the keys' or
guitar's comping, the bass line and the colour of the mix. Each value is one the part writers know; the values are
the strings the genre table always held."""

from __future__ import annotations

from enum import StrEnum


class DrumStyle(StrEnum):
    """A pattern family of parts_drums.py (its groove, variations, fills and time keeping)."""

    NONE = "none"  # no drums
    BOOMBAP = "boombap"
    HIPHOP = "hiphop"
    POP = "pop"
    EDM = "edm"
    ACOUSTIC = "acoustic"
    CORPORATE = "corporate"
    EPIC = "epic"  # toms and a snare, as film music hits
    ROCK = "rock"
    JAZZ = "jazz"
    TRAP = "trap"
    RNB = "rnb"
    FOLK = "folk"
    ORCHESTRAL = "orchestral"  # concert bass drum and timpani-like toms
    PULSE = "pulse"  # a low heartbeat under suspense


class Comping(StrEnum):
    """How the keys (or a guitar layer) play the chords (parts_harmony.comp_bar)."""

    BLOCK = "block"
    ARPEGGIO = "arpeggio"
    STRUM = "strum"
    TRAVIS = "travis"  # a finger-picked guitar, the thumb alternating on the bass
    BROKEN = "broken"  # a pianist's left hand: the bass note, then the chord broken upward
    STABS = "stabs"
    SUSTAIN = "sustain"  # the chord held for the bar
    POWER = "power"  # a rock guitar's root, fifth and octave
    OSTINATO = "ostinato"  # strings driving a figure on the chord's tones
    COMP = "comp"  # jazz, answering the tune
    CHOPS = "chops"  # looped sampled keys
    DRIFT = "drift"  # ambient tones entering in turn


class BassStyle(StrEnum):
    """The bass line (parts_harmony.bass_bar; the 808 in bass_808.py)."""

    NONE = "none"  # no bass part
    ROOT = "root"
    WALKING = "walking"
    OCTAVES = "octaves"
    DRONE = "drone"
    PULSE = "pulse"
    SUB = "sub"  # a long 808-like note, struck again on the syncopations
    SYNCOPATED = "syncopated"  # an r&b bass: pushed sixteenths around the root
    EIGHT_O_EIGHT = "808"  # trap's tuned kick, gliding between notes
    OFFBEAT = "offbeat"  # house and trance: the root on every offbeat, out of the four-on-the-floor kick's way


class Colour(StrEnum):
    """What the mix does to the whole band."""

    NONE = "none"
    LOFI = "lofi"  # a worn tape: wow, a softened top, a dusty drum bus
    PUMP = "pump"  # the band ducks under the kick (a sidechain)
