"""Where the instruments a tune is given can play (concert pitch, MIDI keys): a player has no note under the
lowest, and the last few keys at the top squeal (an r&b alto sang its hook up to B5, past its top Ab; a flute has no
B3). A SoundFont plays any key, so the music must keep to these itself."""

from __future__ import annotations

# lowest, highest: soprano sax written Bb3-F6, alto and tenor and baritone the same written range sounding a 2nd, a
# 6th, a 9th and a 13th lower; the clarinet's written E3 a tone down, to a top a player reaches cleanly; the flute
# C4-C7; the trumpet's written F#3 to C6, a tone down; a nylon-string guitar's E2 (written an octave up) to its
# 19th fret's B5; a D tin whistle's D5 to its second octave's D7 (a folk tune under it sang G#4, a whistle's none:
# the font's sample all but silent there); a fiddle's open G3 to the E7 a player reaches in first positions and up
RANGES: dict[int, tuple[int, int]] = {64: (56, 87), 65: (49, 80), 66: (44, 75), 67: (37, 68), 71: (50, 91),
                                      73: (60, 96), 56: (52, 82), 24: (40, 83), 78: (74, 98),
                                      110: (55, 100)}  # fmt: skip


def playable(program: int | None) -> tuple[int, int] | None:
    """The lowest and highest key ``program`` plays as its player would; None for an instrument not listed (a
    keyboard's or a synthesizer's reach is not a tune's limit: the lead's register is)."""
    return RANGES.get(program) if program is not None else None


def in_reach(key: int, program: int) -> int:
    """``key`` moved by octaves into ``program``'s range, as a player moves a note it cannot reach."""
    reach = playable(program)
    if reach is None:
        return key
    low, high = reach
    while key < low and key + 12 <= 127:
        key += 12
    while key > high and key - 12 >= low:
        key -= 12
    return key
