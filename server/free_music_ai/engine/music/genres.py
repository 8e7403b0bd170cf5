"""How each genre sounds: tempo range, instruments (General MIDI programs), registers, harmony, rhythm, colour."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from free_music_ai.engine.music.playing_styles import BassStyle, Colour, Comping, DrumStyle
from free_music_ai.engine.music.progressions import CHORUS_PROGRESSIONS, PROGRESSIONS, Progressions
from free_music_ai.engine.music.seed_places import seed_place
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.soundfont.events import Vibrato
from free_music_ai.engine.soundfont.names import PIANO_FONT_NAME

# Where each part sits when a genre says nothing: bass low, keys in the middle, the lead above them, the
# counter-line below the lead, layers that join at the peak spread away from the keys.
DEFAULT_REGISTERS: dict[str, tuple[int, int]] = {
    "bass": (28, 50), "keys": (53, 76), "pad": (48, 72), "guitar": (52, 74), "arp": (67, 88), "choir": (62, 81),
    "brass": (50, 69), "counter": (55, 72),
}  # fmt: skip


# a guitar band (folk, acoustic): the strummed or picked guitar is the bed, not the bass, and a string pad only
# under it (the steel guitar stood 10 LU under the bass, the pad 5 LU over the guitar; stems, pyloudnorm)
# the kick under the guitars: at the kit's level it was the loudest stem of a folk or an acoustic band, the mix's
# loudest octave 63 Hz, the side-stick 11 dB under it (a listening critique)
GUITAR_BAND_DB = {"keys": 5.0, "pad": -6.0, "bass": -3.0, "kick": -4.0}
# and the strummed or picked bed in the middle, between the counter guitar and the tune: at the keys' usual place
# (-0.45) the mix leaned 1.6-2.2 dB to the left (each channel's loudness, pyloudnorm, seeds 1-3)
GUITAR_BAND_PANS = {"keys": 0.0}


@dataclass(frozen=True)
class Style:
    genre: Genre
    tempo: tuple[float, float]  # bpm from calm to energetic
    programs: dict[str, int]  # part -> General MIDI program (keys, bass, lead, pad, guitar, arp, counter)
    major_progressions: tuple[tuple[str, ...], ...]  # Roman numerals, one chord per bar
    minor_progressions: tuple[tuple[str, ...], ...]
    drums: DrumStyle
    comping: Comping
    swing: float = 0.0  # 0 straight; 0.33 is full triplet swing of the eighths
    melody_density: float = 0.6  # share of eighth-note slots that start a note at full energy
    bass: BassStyle = BassStyle.ROOT
    reverb: float = 0.2  # send level into the reverb
    room: float = 0.5
    colour: Colour = Colour.NONE
    extra: dict[str, int] = field(default_factory=dict)  # layers that join at the peak
    registers: dict[str, tuple[int, int]] = field(default_factory=dict)  # part -> MIDI range, over the defaults
    pans: dict[str, float] = field(default_factory=dict)  # part -> its place left to right, over humanize.PANS
    lead_centre: int = 72
    ritardando: bool = False  # slows into the last chord (not for music with a fixed groove)
    lead_gain: float = 1.0  # the lead's loudness against the genre's usual, so it never covers the band
    air_db: float = 0.0  # a high shelf above 6 kHz, for genres whose instruments are dull in a GM font
    part_db: dict[str, float] = field(default_factory=dict)  # part -> dB over its usual level (mixdown.PART_LEVELS)
    # other instruments a part may be given, as players of the genre swap them: the seed draws one of these or the
    # part's own program (style_of), so a second piece of a genre is not always played by the same band
    choices: dict[str, tuple[int, ...]] = field(default_factory=dict)
    font: str | None = None  # a bundled SoundFont the genre is played on when the user names none
    # the vibrato a part's player gives the notes it holds (humanize.perform), over the font's own: a guitarist's
    # shake of a held note where the font's guitar holds it straight
    vibrato: dict[str, Vibrato] = field(default_factory=dict)
    # the choruses' and peaks' own progressions, major and minor (progressions.CHORUS_PROGRESSIONS); empty: the verses'
    chorus_progressions: tuple[Progressions, Progressions] = ((), ())
    # the choruses and peaks drawn among the progressions least alike to the verse's (contrast.py): a pop chorus lifts
    # away from its verse, a jazz head's second strain leaves the first's changes
    contrasting_chorus: bool = False

    def register(self, part: str) -> tuple[int, int]:
        return self.registers.get(part, DEFAULT_REGISTERS.get(part, (53, 76)))


STYLES: dict[Genre, Style] = {
    Genre.LOFI: Style(
        Genre.LOFI, (70, 90), {"keys": 4, "bass": 33, "lead": 26, "pad": 89, "counter": 11},  # tune: jazz guitar
        *PROGRESSIONS[Genre.LOFI],
        drums=DrumStyle.BOOMBAP, comping=Comping.BLOCK, colour=Colour.LOFI,
        swing=0.22, melody_density=0.35, reverb=0.22, room=0.45,
        # the chords under the tune: the Rhodes reached 63-77, over most of a jazz guitar's tune (a listening critique)
        registers={"keys": (50, 70)},
        # a flute's loop in place of the jazz guitar, a dusty piano's chords in place of the Rhodes: seeds 1-3 played
        # one Rhodes, pad, bass and vibraphone (their bars' loudness 0.93 alike, a listening critique)
        choices={"lead": (73,), "keys": (0,)},
        pans={"keys": -0.1},  # its Rhodes by the middle: at -0.45 the mix leaned 0.9-2.2 dB left
        part_db={"counter": 6.0},  # the vibraphone's answers heard: 17-18 LU under the band, a token
    ),
    Genre.CINEMATIC: Style(
        Genre.CINEMATIC, (64, 104), {"keys": 0, "bass": 43, "lead": 60, "pad": 48, "counter": 42},
        *PROGRESSIONS[Genre.CINEMATIC],
        drums=DrumStyle.EPIC, comping=Comping.ARPEGGIO, bass=BassStyle.OCTAVES,
        melody_density=0.3, reverb=0.29, room=0.85,
        # the horn's theme in its bright upper octave (centred on 67 seed 1's sang C#4, under the piano's ostinato)
        extra={"choir": 52, "brass": 61}, lead_centre=70, ritardando=True, air_db=10.0,
        registers={"keys": (60, 84), "pad": (43, 67), "counter": (45, 62), "choir": (64, 84), "brass": (46, 65)},
        # a climax led by its theme and its brass: the peak was a flat wall, horn, piano, kick, strings and drums
        # within 0.3-2.2 LU of each other and the brass section 4.3-5.1 LU under them (a listening critique)
        part_db={"keys": -3.0, "brass": 4.0, "kick": -2.0},
    ),
    Genre.POP: Style(
        Genre.POP, (100, 126), {"keys": 1, "bass": 34, "lead": 12, "pad": 50, "guitar": 27},
        *PROGRESSIONS[Genre.POP],
        drums=DrumStyle.POP, comping=Comping.STABS, bass=BassStyle.PULSE,
        melody_density=0.55, reverb=0.18, room=0.4, air_db=7.0,  # MuseScore_General: 6-12 kHz 22.1 dB down at 3
        # the marimba's tune above the comping: centred on 74 a seed's verses sang at 60-67, inside the keys' and
        # pad's voicings (median 62), and under 600 Hz a marimba is nearly all fundamental; seed 3's lead stood
        # 6.1 dB under the band in 600-5000 Hz where it played (buried), seeds 1-7 from -6.1 to +0.1, now -2.7 to +0.5
        # the bass over A1 (a drawn synth bass put 35 % of its notes under it: 56 % of the mix's energy under 120 Hz)
        lead_centre=78, registers={"guitar": (57, 79), "bass": (33, 52)}, contrasting_chorus=True,
        chorus_progressions=CHORUS_PROGRESSIONS[Genre.POP],
        # the marimba read as an explainer video's (the identity critique): a synth voice, the vocal chop's stand-in,
        # sings half the pop tunes (MuseScore's square lead, the obvious other, is not played as FluidSynth plays it).
        # A synth bass drawn on half the seeds was tried and taken back: its sub raised AAC's overshoot of the export's
        # true-peak limit by 0.1-0.17 dB (seeds 1-3 and the one-shot benchmark's), so more exports encoded their sound
        # twice (the benchmark's one-shot 3.67 -> 4.38 s), and it still stood boomy over the kick 3 dB down
        choices={"lead": (54,)},
        # the guitar, 3.4 LU over the piano, nearer the middle than the piano, and the tune in the middle: with the
        # guitar further right than the piano was left and the tune right of centre, the mix leaned 0.7-1.1 dB right
        pans={"keys": -0.55, "guitar": 0.25, "lead": 0.0},
    ),
    Genre.ACOUSTIC: Style(
        Genre.ACOUSTIC, (78, 116), {"keys": 25, "bass": 32, "lead": 22, "pad": 49, "counter": 24},
        *PROGRESSIONS[Genre.ACOUSTIC],
        drums=DrumStyle.ACOUSTIC, comping=Comping.STRUM,
        melody_density=0.45, reverb=0.22, room=0.5, ritardando=True, air_db=7.0,
        registers={"keys": (50, 72), "counter": (52, 70)},
        # a harmonica's or a flute's tune, its answers on a nylon guitar or a piano (seeds 1 and 3 were one band:
        # harmonica, steel, nylon and strings), and those answers heard: they stood 12-17 LU under the band (a
        # listening critique)
        choices={"lead": (73,), "counter": (0,)},
        part_db={**GUITAR_BAND_DB, "counter": 5.0},
        pans=GUITAR_BAND_PANS,
    ),
    Genre.AMBIENT: Style(
        Genre.AMBIENT, (60, 80), {"keys": 0, "bass": 89, "lead": 94, "pad": 88},
        *PROGRESSIONS[Genre.AMBIENT],
        drums=DrumStyle.NONE, comping=Comping.DRIFT, bass=BassStyle.DRONE,
        # the hook's notes around 78 (its first note sat at 76, the rest over it): the tune floats over the piano
        melody_density=0.18, reverb=0.36, room=0.95, lead_centre=78,
        lead_gain=0.7,
        # the piano under the tune: from (60, 86) 78 of 137 tune notes (seeds 1-8) sounded under its top note, the
        # theme lost among its chords (a listening critique); none now
        ritardando=True, registers={"keys": (48, 72), "pad": (48, 74)},
        # a vibraphone's tune in place of the halo's. Not bowed glass: heard as hiss, not pitch (its fundamentals 12-15
        # dB under the band, its 4 kHz octave over the mix's 1 and 2 kHz ones: a listening critique); a harp's plucks
        # stood 6.2 dB under the band in 600-5000 Hz
        choices={"lead": (11,)},
        part_db={"bass": -5.0},  # the drone under the band, not over it: it stood 5-6 LU over the piano
    ),
    Genre.CORPORATE: Style(
        Genre.CORPORATE, (96, 120), {"keys": 0, "bass": 33, "lead": 27, "pad": 48, "guitar": 28, "counter": 45},
        *PROGRESSIONS[Genre.CORPORATE],
        drums=DrumStyle.CORPORATE, comping=Comping.ARPEGGIO, bass=BassStyle.PULSE,
        melody_density=0.4, reverb=0.2, room=0.55,
        # the hook's notes around 81 (its first note sat at 79, the rest over it): over the piano's sixteenths
        lead_centre=81, registers={"guitar": (55, 76), "keys": (55, 79)}, air_db=7.0,  # MuseScore: 23.3 dB down without
        choices={"lead": (12, 11)},  # a clean guitar's pluck, a marimba's or a vibraphone's
        # the string pad covered the vibraphone at the peak (0.5-3.5 dB over it in its band); the bass's pulse stood
        # 5-7 LU over the tune and 3 over the kick, the loudest part in 5 of 6 sections (a listening critique: boxy)
        part_db={"pad": -2.0, "bass": -3.0},
    ),
    Genre.HIPHOP: Style(
        Genre.HIPHOP, (86, 100), {"keys": 0, "bass": 38, "lead": 5, "pad": 49},  # boom-bap's pocket, over lo-fi's
        *PROGRESSIONS[Genre.HIPHOP],
        drums=DrumStyle.HIPHOP, comping=Comping.CHOPS, bass=BassStyle.SUB,
        swing=0.2, melody_density=0.3, reverb=0.16, room=0.4,
        air_db=6.0,  # its top sat at the 22 dB limit (on MuseScore_General 22.4 dB down at 4)
        # the beat in front and the strings far back: its piano and a string pad 1 LU apart read as corporate music
        part_db={"pad": -8.0, "drums": 2.0},
        # the loop under the tune's register: the alto and a guitar both played 62-76 (a listening critique). Not in
        # level: 3 dB off the keys and 1.5 dB on the tune put the tune 1.5-3.6 dB over the loop on 7 of 8 seeds, over
        # the music report's rule for music under a video (the tune at or under its loudest accompaniment)
        registers={"keys": (46, 67)},
        # the loop a producer digs for: a piano, a Rhodes or a jazz guitar's chords, and over it the EP's line, a
        # flute's or an alto saxophone's (two seeds had the same band and sounded like one track with new drums). Not
        # a drawbar organ: its 16' stop sounded its chords an octave or two down, 75 % of it under 250 Hz on the bass
        # (a listening critique); nor the tenor, at hip-hop's centre on its top keys
        choices={"keys": (4, 26), "lead": (73, 65)},
        pans={"keys": -0.25},  # the loop nearer the middle: at -0.45 the mix leaned up to 1 dB left (a critique)
    ),
    Genre.EDM: Style(
        Genre.EDM, (118, 128), {"keys": 81, "bass": 38, "lead": 81, "pad": 90, "arp": 81},
        *PROGRESSIONS[Genre.EDM],
        drums=DrumStyle.EDM, comping=Comping.STABS, bass=BassStyle.OFFBEAT, colour=Colour.PUMP,
        melody_density=0.5, reverb=0.2, room=0.6,
        lead_centre=76, air_db=5.0,  # MuseScore_General: 23.8 dB down without
        # MuseScore's polysynth pad 9 dB over FluidR3Mono's against the rest of the band; the saw's arp 15-17.6 LU
        # under the mix in the choruses (a listening critique: buried)
        part_db={"pad": -8.0, "arp": 3.0},
        # one saw played every part of every seed (keys, lead and arp all program 81): the seed's band draws piano
        # house's chords or a tine electric piano's, a distorted lead, tropical house's marimba for the arp. A synth
        # leads every band: a synthetic voice over a piano had electronic's 2-6 kHz share at pop's (-16 dB against
        # -12 on the saws), and a crystal arp sat 9 dB under the mix in its own band. Each is played as FluidSynth
        # plays it (tests/engine/soundfont); the keys and the lead are matched to the saw's level (mixdown.py)
        choices={"keys": (0, 4), "lead": (84,), "arp": (12,)},
        pans={"arp": 0.6, "keys": -0.25},  # the chords and the arp either side: both left, the mix leaned 1.2-2.1 dB
    ),
    Genre.PIANO: Style(
        Genre.PIANO, (60, 100), {"keys": 0, "lead": 0},  # the grand: a solo piano carries the whole top
        *PROGRESSIONS[Genre.PIANO],
        drums=DrumStyle.NONE, comping=Comping.BROKEN, bass=BassStyle.NONE,
        melody_density=0.5, reverb=0.24, room=0.7, lead_centre=74,
        ritardando=True, air_db=12.0, font=PIANO_FONT_NAME,
        pans={"keys": -0.1, "lead": 0.1},  # the grand from the middle: at -0.45 and 0.15 the mix leaned 1.5-2.4 dB left
    ),
    Genre.JAZZ: Style(
        Genre.JAZZ, (88, 150), {"keys": 0, "bass": 32, "lead": 11, "counter": 26},
        *PROGRESSIONS[Genre.JAZZ],
        drums=DrumStyle.JAZZ, comping=Comping.COMP, bass=BassStyle.WALKING,
        swing=0.3, melody_density=0.5, reverb=0.26, room=0.55,
        lead_centre=74, ritardando=True, registers={"keys": (52, 72)}, air_db=3.0,  # MuseScore: 22.0 dB down without
        contrasting_chorus=True,
        # stood as a combo's records stand it: the piano to one side, the vibraphone across from it (as a quartet
        # stands on a stage), the walking bass in the middle and the ride opposite the piano (parts_drums.KIT_PANS_OF);
        # the usual stage put the piano, the ride and the tune all left of or on the middle
        pans={"keys": -0.5, "lead": 0.3},
        choices={"lead": (66,)},  # a tenor saxophone in the vibraphone's place
        # the ride in front of the walking bass: the bass stood 10 LU over the drums and 6 over the piano. The bass
        # drum feathers under the ride: at the kit's level it stood 3 LU over the ride, snare and hats together, and the
        # bass still 4 LU over the piano and the tune (a listening critique); at -3 dB it still fronted the combo, the
        # loudest part in 5 of 6 sections, 4.4-5.6 LU over the piano and 5-6 over the tune (another): a trio's records
        # put the bass beside the piano, not over it
        part_db={"bass": -5.5, "drums": 3.0, "kick": -6.0},
    ),
    Genre.ROCK: Style(
        Genre.ROCK, (100, 140), {"keys": 30, "bass": 34, "lead": 29, "pad": 16},
        *PROGRESSIONS[Genre.ROCK],
        drums=DrumStyle.ROCK, comping=Comping.POWER, bass=BassStyle.PULSE,
        # the tune over the guitars, not among them: at 71 seed 3's lead sang F#4 (E4-B4), the guitars up to E4
        melody_density=0.45, reverb=0.18, room=0.5, lead_centre=74,
        # the bass on the low strings: from (28, 50) a piece in G played it from G2 up (seed 1's median Bb2), 69 % of
        # its energy at 200-500 Hz, the mix's loudest octave 250 Hz (a listening critique)
        # the tune over the guitars' top (E4) in the verses too: a verse sung from A3 sat inside them (seed 2's
        # verse under its bass by 3-4 LU, a listening critique)
        registers={"keys": (40, 64), "pad": (55, 76), "bass": (28, 45), "lead": (64, 96)},
        air_db=6.0,  # MuseScore_General: 22.6 dB down without
        choices={"pad": (18,), "bass": (33,)},  # a drawbar or a rock organ under the guitars; a picked or a finger bass
        # a wall of guitars: they stood 7 LU under the bass. A backbeat as big as the kick: the snare's hits stood 6 dB
        # under the kick's, the kick the loudest stem (a listening critique)
        part_db={"keys": 4.0, "bass": -3.0, "kick": -2.0, "drums": 2.0},
        # the lead guitar played on the rhythm guitars' samples (one distortion sample set in both fonts) sounded
        # like a third rhythm guitar (a listening critique): its held notes shake as a lead player's do, a wide
        # vibrato a fifth of a second after the pick
        vibrato={"lead": Vibrato.of(depth_cents=30.0, rate_hz=5.5, delay_s=0.18)},
    ),
    Genre.ORCHESTRAL: Style(
        Genre.ORCHESTRAL, (60, 120), {"keys": 48, "bass": 43, "lead": 73, "pad": 49, "counter": 42},
        *PROGRESSIONS[Genre.ORCHESTRAL],
        drums=DrumStyle.ORCHESTRAL, comping=Comping.OSTINATO, bass=BassStyle.ROOT,
        melody_density=0.35, reverb=0.3, room=0.9,
        extra={"brass": 61, "choir": 52}, lead_centre=76, ritardando=True, air_db=19.0,  # MuseScore: 22.2-24.4 at 15
        choices={"lead": (68,)},  # the flute's theme or an oboe's
        registers={"keys": (55, 79), "pad": (60, 84), "counter": (43, 60), "brass": (46, 65), "choir": (60, 79)},
        # a concert bass drum under the orchestra, not a march: the kick stood as loud as the contrabass and 0.7-1.7 LU
        # under the flute at the peak, where the brass stood 4-5 LU under the tune (a listening critique). Its snare and
        # cymbals stay: with them 3 dB down the orchestra's top fell under the report's -22 dB (-22.9 on seed 1)
        part_db={"kick": -6.0, "brass": 3.0},
    ),
    Genre.FOLK: Style(
        Genre.FOLK, (84, 124), {"keys": 25, "bass": 32, "lead": 110, "pad": 48, "counter": 105},
        *PROGRESSIONS[Genre.FOLK],
        drums=DrumStyle.FOLK, comping=Comping.TRAVIS, melody_density=0.4, reverb=0.24, room=0.55,
        lead_centre=74,  # a fiddle's tunes live in D4-B5: at 79 its median was D6, its top C#7 (a listening critique)
        air_db=3.0,  # strings that ring: 0.3-0.4 % of the guitar's energy over 5 kHz, the dullest of the guitar bands
        registers={"keys": (48, 71), "counter": (57, 76)},
        choices={"lead": (78,)},  # a fiddle or a tin whistle
        part_db={**GUITAR_BAND_DB, "pad": -8.0, "counter": 4.0},  # and the banjo heard, not a token
        pans=GUITAR_BAND_PANS,
    ),
    Genre.RNB: Style(
        Genre.RNB, (66, 96), {"keys": 4, "bass": 33, "lead": 65, "guitar": 27},  # no pad: issue 27 heard ambient
        *PROGRESSIONS[Genre.RNB],
        drums=DrumStyle.RNB, comping=Comping.BLOCK, bass=BassStyle.SYNCOPATED,
        swing=0.16, melody_density=0.35, reverb=0.16, room=0.38,
        lead_centre=76, registers={"keys": (52, 74), "guitar": (60, 80)}, air_db=9.0,  # MuseScore: 22.1 dB down at 6
        chorus_progressions=CHORUS_PROGRESSIONS[Genre.RNB],
        choices={"lead": (66,)},  # an alto or a tenor saxophone
        part_db={"drums": 4.0, "keys": -2.0},  # the snare and hats stood 8.5 LU under the Rhodes: smooth jazz
    ),
    Genre.TRAP: Style(
        Genre.TRAP, (130, 150), {"keys": 10, "bass": 38, "lead": 73, "pad": 91},  # a trap flute over music box
        *PROGRESSIONS[Genre.TRAP],
        drums=DrumStyle.TRAP, comping=Comping.SUSTAIN, bass=BassStyle.EIGHT_O_EIGHT,
        melody_density=0.22, reverb=0.18, room=0.5, lead_centre=79,
        registers={"keys": (67, 88), "pad": (52, 72)}, air_db=4.0,  # its top sat at the 22 dB limit
        # its bells by the middle: the loop the beat is built on sat 7-11 dB to the left (a listening critique)
        pans={"keys": 0.0},
        part_db={"keys": 10.0},  # MuseScore's music box 12 dB under FluidR3Mono's against the rest of the band
        # the tune on a flute, a nylon guitar or a piano, over a music box's or a harp's chords: every seed drew one
        # band, and a listening critique heard seeds 1 and 2 as one beat with new notes
        choices={"lead": (24, 0), "keys": (46,)},
    ),
    Genre.SUSPENSE: Style(
        Genre.SUSPENSE, (70, 110), {"keys": 48, "bass": 43, "lead": 8, "pad": 89, "counter": 42},
        *PROGRESSIONS[Genre.SUSPENSE],
        drums=DrumStyle.PULSE, comping=Comping.OSTINATO, bass=BassStyle.DRONE,
        melody_density=0.16, reverb=0.36, room=0.85, lead_centre=79,
        air_db=11.0,  # MuseScore_General: 22.2 dB down at 8
        choices={"lead": (10,)},  # a celesta or a music box
        registers={"keys": (48, 67), "pad": (55, 79), "counter": (40, 57)},
        # the pulse under the strings, not over them (the loudest part: -23 LUFS, strings -30); the double bass's drone
        # then stood level with the heartbeat at each stroke, 6-8 LU over the strings
        part_db={"kick": -4.0, "bass": -3.0},
    ),
}  # fmt: skip


# where a tune's middle sits for an instrument playing another genre's lead (drawn or asked), the mood's shift
# included (the tune's own draw moves it 4 down to 6 up, hook.py): the genre's centre was set for its own lead, and an
# alto saxophone at hip-hop's had half its notes on its top three keys, a flute in its weak low octave (a listening
# critique)
# (a piano drawn for trap's tune sang around F6, thin and toy-like: a listening check)
TUNE_CENTRES: dict[int, tuple[int, int]] = {65: (60, 66), 66: (50, 58), 73: (74, 84), 24: (64, 70), 0: (70, 76)}


def tune_centre(style: Style, program: int | None, shift: int) -> int:
    """The middle of the tune ``program`` plays in ``style``, ``shift`` semitones from the genre's (the mood's): the
    genre's own lead there, another instrument kept inside its own (TUNE_CENTRES)."""
    centre = style.lead_centre + shift
    if program == STYLES[style.genre].programs.get("lead") or program not in TUNE_CENTRES:
        return centre
    low, high = TUNE_CENTRES[program]
    return min(high, max(low, centre))


def style_of(genre: Genre, seed: int) -> Style:
    """The genre's style with the band one seed draws: each part with choices gets one of them or its own program,
    by the seed's place among them (seed_places.py: with three, two neighbouring seeds never share that part's
    instrument; with two, a quarter of them do, where a draw of its own per seed gave half of them one band)."""
    style = STYLES[genre]
    if not style.choices:
        return style
    drawn = {}
    for part, others in style.choices.items():
        options = (style.programs[part], *others)
        drawn[part] = options[int(seed_place(f"band:{genre.value}:{part}", seed) * len(options))]
    return replace(style, programs={**style.programs, **drawn})


def choose_genre(valence: float, arousal: float) -> Genre:
    """A genre for a mood when the user names none. Dark, tense footage gets suspense music, never a beat;
    epic and heroic moods (strong, neither sad nor sunny) get the orchestra of film music."""
    if valence < -0.45 and arousal > -0.2:
        return Genre.SUSPENSE
    if arousal > 0.45:
        if valence < -0.35:
            return Genre.SUSPENSE
        if valence < 0.6:
            return Genre.CINEMATIC
        return Genre.EDM if arousal > 0.8 else Genre.POP
    if arousal > 0.1:
        if valence < 0.2:
            return Genre.CINEMATIC
        return Genre.POP if valence >= 0.7 else Genre.CORPORATE
    if arousal > -0.35:
        if valence < -0.15:
            return Genre.AMBIENT
        return Genre.LOFI if valence < 0.45 else Genre.ACOUSTIC
    return Genre.PIANO if valence < -0.2 else Genre.AMBIENT


def genre_names() -> str:
    """The genres as a user may name them, for help texts and errors."""
    return ", ".join(g.value for g in Genre)


def font_name_for(genre: Genre) -> str | None:
    """The bundled SoundFont a genre is played on by default (None: the synthesizer's default)."""
    return STYLES[genre].font
