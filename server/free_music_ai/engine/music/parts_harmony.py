"""The harmony parts: bass line, comping (block, arpeggio, strum, broken, stabs, sustain, power, ostinato), pad.

Chord notes are spread across the stereo field (low notes to one side, high to the other), as a section of
players or a wide piano is heard, so the harmony has width without effects.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TYPE_CHECKING

from free_music_ai.engine.music.bass_808 import bass_808_bar, root_808
from free_music_ai.engine.music.designed_parts import BASS_808_PART, BASS_808_PROGRAM
from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.guitar import pick_bar, strum_bar
from free_music_ai.engine.music.humanize import PANS
from free_music_ai.engine.music.instrument_ranges import in_reach
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.playing_styles import BassStyle, Comping
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.music.theory import Chord, voice_chord

if TYPE_CHECKING:
    from free_music_ai.engine.music.genres import Style

# Comping rhythms, several per style: a player varies the pattern from bar to bar (strums: guitar.py)
BLOCKS = (((0, 1.5, 1.0), (1.5, 1.0, 0.75), (2.5, 1.5, 0.85)), ((0, 2.0, 1.0), (2.75, 1.25, 0.8)),
          ((0, 1.0, 1.0), (1.0, 0.5, 0.7), (2.0, 1.0, 0.85), (3.5, 0.5, 0.7)))  # fmt: skip
STABS = ((0, 0.75, 1.5, 2.5, 3, 3.5), (0, 1.5, 2.5, 3.5), (0, 0.5, 1.5, 2, 3), (0.5, 1.5, 2.5, 3.25))
BASS_RANGE = (28, 50)
SUB_RHYTHM = (0.0, 1.75, 2.5)  # a sub's notes where no groove says (hip-hop's first kick: drum_grooves.py)
CHORD_SPREAD = 0.4  # how far a chord's lowest and highest notes sit from the part's place in the stereo field
DOUBLE_TRACK = (-0.9, 0.9)
SECOND_TAKE = {30: 29, 29: 30}  # distortion guitar doubled by an overdriven one, and the other way round


def spread_pan(count: int, k: int) -> float:
    """Where the k-th of ``count`` chord notes stands, low to one side and high to the other."""
    return 0.0 if count < 2 else CHORD_SPREAD * (2 * k / (count - 1) - 1)


def bass_root(chord: Chord, previous: int | None, register: tuple[int, int] = BASS_RANGE) -> int:
    """The chord's root in the bass register, the octave nearest the previous bass note."""
    options = [n for n in range(register[0], register[1] + 1) if n % 12 == chord.root]
    target = previous if previous is not None else (register[0] + register[1]) // 2 - 1
    return min(options, key=lambda n: abs(n - target))


# the final chord's velocity against the piece's. Ambient's and a solo piano's, at 0.85, were struck 8-11 dB over the
# quiet outro they close (a listening critique: a jolt, where a calm piece settles)
FINAL_CHORD_LEVEL = {Genre.SUSPENSE: 0.6, Genre.AMBIENT: 0.6, Genre.PIANO: 0.55}


def _rnb_figure(root: int, fifth: int) -> tuple[tuple[float, float, int, float], ...]:
    """R&B's own bass figure under its kick on the one, the "and" of two and the "and" of three: (beat, length, key,
    accent)."""
    return (0, 0.6, root, 1.0), (0.75, 0.4, root, 0.72), (1.75, 0.5, fifth, 0.8), (2.5, 0.75, root, 0.92)


def _locked_figure(starts: tuple[float, ...], root: int, fifth: int) -> tuple[tuple[float, float, int, float], ...]:
    """A syncopated bass on its kick's rhythm (``starts``, beats): the root on the one and on a push inside the
    first beat, then the fifth and the root by turns; each note held to just before the next (r&b's one figure
    played over every kick, with 29-46 % of its notes on one: a listening critique)."""
    notes = []
    later = 0
    for k, beat in enumerate(starts):
        following = starts[k + 1] if k + 1 < len(starts) else 3.5
        if beat < 1.0:
            key = root
        else:
            key, later = (fifth if later % 2 == 0 else root), later + 1
        notes.append((beat, min(0.75, following - beat - 0.1), key, 1.0 if k == 0 else 0.85))
    return tuple(notes)


# a walking bass's second and third beats, as steps from the root: up the chord, up the scale, down under the root,
# down from the fifth. One shape in every bar (root, third, fifth, seventh) was an arpeggio exercise, not a walk
# (a listening critique: 15 of 20 bars, 1 of 20 bar ends stepping into the next root)
WALK_SHAPES = ("up", "steps", "down", "from the fifth")


def _walk(bar: Bar, root: int, fifth: int, next_chord: Chord | None, register: tuple[int, int],
          rng: random.Random) -> list[int]:  # fmt: skip
    """A walking bass's bar: the root on one, two notes that move through the chord or the scale, and on the last
    beat a note a semitone (or the fifth) away from the next bar's root, which the line steps into. Without a next
    chord the last beat is the chord's own seventh (a major seventh leads home)."""
    third = root + 4 if bar.chord.contains(root + 4) else root + 3
    seventh = next(
        (root + i for i in (11, 10, 9) if bar.chord.contains(root + i)), root + (9 if third - root == 4 else 10)
    )
    shape = WALK_SHAPES[int(rng.random() * len(WALK_SHAPES))]
    middle = {
        "up": [third, fifth],
        "steps": [root + 2, third],
        "down": [seventh - 12, fifth - 12 if fifth > root else fifth],
        "from the fifth": [fifth, third],
    }[shape]
    line = [root, *middle]
    if next_chord is None:
        line.append(seventh)
    else:
        target = bass_root(next_chord, root, register)  # where the next bar's root will be (bass_bar's own choice)
        if rng.random() < 0.25:  # the next root's fifth over it: a dominant's pull
            line.append(target + 7 if target + 7 <= register[1] + 5 else target - 5)
        else:  # chromatically, from the side the line comes from
            line.append(target - 1 if target >= line[-1] else target + 1)
    return [n + 12 if n < register[0] - 2 else (n - 12 if n > register[1] + 5 else n) for n in line][: bar.beats]


def bass_bar(bar: Bar, style: BassStyle, program: int, *, velocity: int, legato: float, previous: int | None,
             rng: random.Random, register: tuple[int, int] = BASS_RANGE,
             rhythms: tuple[tuple[float, ...], ...] = (),
             next_chord: Chord | None = None) -> tuple[list[Note], int | None]:  # fmt: skip
    """One bar of the bass. ``rhythms``: where the drummer's kick puts a sub's or an 808's notes (drum_grooves.py);
    ``next_chord``: the chord the next bar's bass plays, which a walking line leads into (None: the piece ends or
    the bass rests)."""
    if style == BassStyle.NONE:
        return [], previous
    if style == BassStyle.EIGHT_O_EIGHT:
        return bass_808_bar(bar, velocity, previous, rng=rng, rhythms=rhythms)
    # a walking line moves from the chord's own root; where a jazz bass holds its note (a quiet bar, a drop), it holds
    # the pedal as every bass does (under the intro's colour chord it held that chord's root: a ii's D under C)
    walks = style == BassStyle.WALKING and bar.energy >= 0.4 and bar.feel == "normal"
    held = bar.chord if bar.pedal is None or walks else replace(bar.chord, root=bar.pedal)
    root = bass_root(held, previous, register)
    fifth = root + 7 if root + 7 <= register[1] + 5 else root - 5
    v = velocity * (0.8 + 0.25 * bar.energy)
    notes: list[Note] = []

    def play(beat: float, length: float, key: int, accent: float = 1.0) -> None:
        if beat < bar.beats:
            length = min(length, bar.beats - beat)
            notes.append(Note(bar.start + beat, length * legato, key, clamp_velocity(v * accent), "bass", program))

    if bar.feel == "build":  # the bass leaves the build to the snare roll and the riser; it returns on the drop
        return [], root
    if style == BassStyle.DRONE or bar.energy < 0.4 or bar.feel == "drop":
        play(0, bar.beats, root)  # on a drop: the root struck on the one with the kick and crash, held
    elif bar.feel == "halftime":  # half the pace: the root, then the fifth or the root on three
        play(0, 2, root)
        play(2, 2, fifth if rng.random() < 0.5 else root, 0.9)
    elif style == BassStyle.SUB:  # a long 808-like note, struck again on the kick's syncopations, held to the next
        starts = rhythms[0] if rhythms else SUB_RHYTHM
        for k, beat in enumerate(starts):
            length = (starts[k + 1] if k + 1 < len(starts) else bar.beats) - beat
            last = k == len(starts) - 1 and k > 0
            accent = 1.0 if k == 0 else (0.9 if last else 0.8)
            play(beat, length / legato, root if not last or rng.random() < 0.6 else root + 12, accent)  # the octave
    elif style == BassStyle.SYNCOPATED:  # an r&b bass: pushed sixteenths around the root, a seventh leading on
        seventh = root + 10 if root + 10 <= register[1] + 5 else root - 2
        figure = _locked_figure(rhythms[0], root, fifth) if rhythms else _rnb_figure(root, fifth)
        for beat, length, key, accent in (*figure, (3.5, 0.4, seventh, 0.75)):
            if accent >= 0.8 or bar.energy >= 0.55:
                play(beat, length / legato, key, accent)
    elif style == BassStyle.PULSE:  # driving eighths on the root, or the groove's own rhythm (locked to its kick)
        for beat in rhythms[0] if rhythms else tuple(k / 2 for k in range(int(bar.beats * 2))):
            play(beat, 0.5, root, 1.0 if beat % 1 == 0 else 0.8)
    elif style == BassStyle.OFFBEAT:  # the kick owns the beat, the bass the offbeats (the last a leap up the octave)
        for k in range(int(bar.beats)):
            leap = k == int(bar.beats) - 1 and bar.energy >= 0.75
            play(k + 0.5, 0.4, root + 12 if leap else root, 0.9 if leap else 1.0)
    elif style == BassStyle.OCTAVES:
        for k in range(int(bar.beats * 2)):
            play(k / 2, 0.5, root + (12 if k % 2 else 0), 1.0 if k % 2 == 0 else 0.75)
    elif style == BassStyle.WALKING:
        for k, key in enumerate(_walk(bar, root, fifth, next_chord, register, rng)):
            play(k, 1, key, 1.0 if k == 0 else 0.85)
    else:  # root: the bar's root and a move to the fifth, syncopated when the energy is up
        play(0, 1.5 if bar.energy > 0.6 else 2, root)
        if bar.energy > 0.6:
            play(1.5, 1, root, 0.8)
        # under a minor chord the move goes to its third: root and fifth alone (the fifth the loudest note after the
        # root) left the minor third buried and a lo-fi piece in D minor was heard in D major
        minor = (
            bar.pedal is None and bar.chord.contains(bar.chord.root + 3) and not bar.chord.contains(bar.chord.root + 4)
        )
        play(2, 1.5, (root + 3 if minor else fifth) if rng.random() < 0.5 else root, 0.9)
        if bar.energy > 0.7:
            play(3.5, 0.5, root, 0.75)
    return notes, root


def comp_bar(
    bar: Bar,
    style: Comping,
    program: int,
    *,
    velocity: int,
    legato: float,
    register: tuple[int, int],
    previous: list[int] | None,
    rng: random.Random,
    part: str = "keys",
    open_strikes: tuple[tuple[float, float], ...] = (),
) -> tuple[list[Note], list[int]]:
    """One bar of the chords. ``open_strikes``: where a rock band's guitars strike in its chorus and peak, and for
    how long (its groove's, drum_grooves.py); eighths when empty."""
    low, high = register
    voicing = voice_chord(bar.chord, previous, low=low, high=high, size=4 if len(bar.chord.tones) > 3 else 3)
    v = velocity * (0.62 + 0.3 * bar.energy)
    notes: list[Note] = []

    def chord_at(beat: float, length: float, accent: float = 1.0, spread_s: float = 0.0) -> None:
        if beat >= bar.beats:
            return
        length = min(length, bar.beats - beat)
        order = voicing if spread_s >= 0 else list(reversed(voicing))
        for k, key in enumerate(order):
            notes.append(Note(bar.start + beat, length, key, clamp_velocity(v * accent * (0.92 + 0.08 * (k == 0))),
                              part, program, pan=spread_pan(len(voicing), voicing.index(key)),
                              strum_s=abs(spread_s) * k))  # fmt: skip

    if style == Comping.COMP and voicing and bar.energy >= 0.4:
        return _jazz_comp(bar, voicing, v, part, program, rng), voicing
    if style == Comping.CHOPS and voicing and bar.energy >= 0.45:
        return _chops(bar, voicing, v, part, program), voicing
    if style == Comping.DRIFT and voicing:
        return _drift(bar, voicing, v, part, program, rng), voicing
    if style == Comping.POWER and voicing:  # a rock guitar: root, fifth and octave, chugged in eighths
        power = power_chord(bar.chord.root, low)
        step = 0.5 if bar.energy >= 0.45 else 2.0
        # palm-muted and tight in the verse; in the chorus the chords ring open and louder, on the band's riff
        opened = bar.section in ("chorus", "peak")
        # at the peak a touch under the chorus's strike: the band's other layers join there, and the guitars grew
        # 8-9 LU from the verse where the tune grew 2-5 (it stood 0.1-2.6 LU under them, a listening critique)
        ring, level = (0.9, 0.85 if bar.section == "peak" else 1.0) if opened else (0.5, 0.8)
        strikes = (
            [(beat, held * ring, 1.0 if beat == 0 else 0.9) for beat, held in open_strikes]
            if opened and open_strikes and step < 1
            else [(k * step, step * (ring if step < 1 else 0.95), 1.0 if k % 4 == 0 else 0.8)
                  for k in range(int(bar.beats / step))]
        )  # fmt: skip
        for beat, length, stress in strikes:
            if beat >= bar.beats:
                continue
            for side, take in zip(DOUBLE_TRACK, (program, SECOND_TAKE.get(program, program)), strict=True):
                # played twice, hard left and right, on two guitars: the takes differ, so the width is real
                accent = stress * rng.uniform(0.88, 1.06)
                for key in power:
                    notes.append(Note(bar.start + beat, min(length, bar.beats - beat), key,
                                      clamp_velocity(v * accent * 0.8 * level), part, take,
                                      pan=side - PANS.get(part, 0.0)))  # fmt: skip
        return notes, voicing
    if style == Comping.OSTINATO and voicing and bar.energy >= 0.3:  # strings: a driving figure on chord tones
        figure: tuple[int, ...] = (0, 2, 1, 2) if rng.random() < 0.5 else (0, 1, 2, 1)
        step = 0.5 if bar.energy < 0.8 else 0.25
        for k in range(int(bar.beats / step)):
            key = voicing[figure[k % len(figure)] % len(voicing)]
            accent = (1.0 if k % 4 == 0 else 0.78) * rng.uniform(0.9, 1.05)
            notes.append(Note(bar.start + k * step, step * 0.9, key, clamp_velocity(v * accent), part, program,
                              pan=spread_pan(len(voicing), voicing.index(key))))  # fmt: skip
        return notes, voicing
    if style == Comping.STRUM and bar.energy >= 0.55:
        return strum_bar(bar, program, velocity, legato=legato, rng=rng, part=part), voicing
    if style in (Comping.STRUM, Comping.TRAVIS) and bar.energy >= 0.3:  # quieter, a guitarist picks the chord
        return pick_bar(bar, program, velocity, rng=rng, part=part, travis=style == Comping.TRAVIS), voicing
    if style == Comping.ARPEGGIO and bar.energy >= 0.3:
        figure = rng.choice(((0, 1, 2, 3, 2, 1, 3, 2), (0, 2, 1, 3, 1, 2, 0, 3), (0, 1, 3, 1, 2, 1, 3, 2)))
        pattern = [voicing[i % len(voicing)] for i in figure] if voicing else []
        step = 0.5 if bar.energy < 0.75 else 0.25
        # in sixteenths the figure's second half climbs an octave, but not into the tune over it: corporate's piano
        # went over its tune's lowest note in 8-9 of 10-11 bars where it played (a listening critique)
        climbs = step == 0.25 and not (part == "keys" and bar.lead != "rest")
        for k in range(int(bar.beats / step)):
            if k % 2 == 1 and rng.random() < 0.12:
                continue  # the picking hand lets a weak note go now and then
            key = pattern[k % len(pattern)] + (12 if climbs and k % 8 >= 4 else 0)
            accent = (0.95 if k % 2 == 0 else 0.78) * rng.uniform(0.85, 1.08)
            notes.append(Note(bar.start + k * step, step * 1.6, key, clamp_velocity(v * accent), part, program,
                              pan=spread_pan(4, figure[k % len(figure)] % 4)))  # fmt: skip
    elif style == Comping.BROKEN:  # the left hand of a pianist: bass note, then the chord broken upward
        # the chord's root below the voicing (not its lowest voice, which may be the third of an inversion)
        bass = max(n for n in range(low - 24, low) if n % 12 == (bar.chord.root if bar.pedal is None else bar.pedal))
        third = next((n for n in range(bass + 12, bass + 24) if bar.chord.contains(n) and (n - bass) % 12 in (3, 4)),
                     bass + 12)  # fmt: skip
        # under a pedal the left hand holds the tonic and breaks the chord above it
        broken = [bass, bass + 7, third, bass + 12] if bar.pedal is None else [bass, *sorted(voicing)[:3]]
        step = 0.5 if bar.energy > 0.35 else 1.0
        for k in range(int(bar.beats / step)):
            accent = 1.0 if k == 0 else 0.78
            notes.append(Note(bar.start + k * step, bar.beats - k * step, broken[k % len(broken)],
                              clamp_velocity(v * accent), part, program))  # fmt: skip
    elif style == Comping.STABS and bar.energy >= 0.5:
        stabs = STABS[rng.randrange(len(STABS))] if bar.energy > 0.75 else STABS[1 + rng.randrange(len(STABS) - 1)]
        for beat in stabs:
            chord_at(beat, 0.35, (1.0 if beat == 0 else 0.8) * rng.uniform(0.88, 1.05))
    elif style == Comping.BLOCK and bar.energy >= 0.5:
        blocks = BLOCKS[0] if rng.random() < 0.4 else BLOCKS[1 + rng.randrange(len(BLOCKS) - 1)]
        for beat, length, accent in blocks:
            chord_at(beat, length * legato, accent * rng.uniform(0.9, 1.05))
    else:  # sustain, and every style when the energy is low: the chord held for the bar
        chord_at(0, bar.beats * 0.98, 0.9, 0.01)
    return notes, voicing


def pad_bar(
    bar: Bar, program: int, velocity: int, *, previous: list[int] | None, always: bool, register: tuple[int, int]
) -> tuple[list[Note], list[int] | None]:
    if not always and bar.energy < 0.25:
        return [], previous
    voicing = voice_chord(bar.chord, previous, low=register[0], high=register[1], size=3)
    v = clamp_velocity(velocity * (0.45 + 0.3 * bar.energy))
    return [Note(bar.start, bar.beats * 1.02, key, v, "pad", program, pan=spread_pan(len(voicing), k) * 1.6)
            for k, key in enumerate(voicing)], voicing  # fmt: skip


def power_chord(root: int, low: int) -> list[int]:
    """A rock guitar's chord on pitch class ``root``: the root at ``low`` or the octave over it, its fifth, its
    octave."""
    bottom = min(n for n in range(low, low + 12) if n % 12 == root)
    return [bottom, bottom + 7, bottom + 12]


def final_chord(beat: int, length_beats: float, chord: Chord, *, programs: dict[str, int], velocity: int,
                drums: bool, style: Style) -> list[Note]:  # fmt: skip
    """The last chord: the whole band on it, held until the very end so it rings out (a thriller's strings, struck
    at the band's level, came in 7 LU over the outro: it closes as it ends, softly)."""
    v = clamp_velocity(velocity * FINAL_CHORD_LEVEL.get(style.genre, 0.85))
    notes: list[Note] = []
    root = bass_root(chord, 36, style.register("bass"))
    if style.bass == BassStyle.EIGHT_O_EIGHT:  # the last note on the 808 too, ringing out under the final chord
        notes.append(Note(beat, length_beats, root_808(chord.root, None), v, BASS_808_PART, BASS_808_PROGRAM))
    elif "bass" in programs and style.bass != BassStyle.NONE:
        notes.append(Note(beat, length_beats, root, v, "bass", programs["bass"]))
    low, high = style.register("keys")
    keys = voice_chord(chord, None, low=low, high=high, size=4)
    if style.comping == Comping.POWER:  # a rock band ends on its guitars' power chord, not a ninth chord's colour
        keys = power_chord(chord.root, low)
    if not any(n.part in ("bass", BASS_808_PART) for n in notes):  # no bass: the pianist's left hand takes the root
        keys = [max(n for n in range(style.register("keys")[0] - 24, min(keys, default=60)) if n % 12 == chord.root),
                *keys]  # fmt: skip
    for k, key in enumerate(keys):
        notes.append(Note(beat, length_beats, key, v, "keys", programs.get("keys", 0), pan=spread_pan(len(keys), k)))
    if "pad" in programs:
        low, high = style.register("pad")
        pad = voice_chord(chord, None, low=low, high=high, size=3)
        for k, key in enumerate(pad):
            notes.append(Note(beat, length_beats, key, clamp_velocity(v * 0.6), "pad", programs["pad"],
                              pan=spread_pan(len(pad), k) * 1.6))  # fmt: skip
    if "lead" in programs and programs.get("lead") != programs.get("keys"):
        top = in_reach(min((n for n in range(72, 86) if n % 12 == chord.root), default=72), programs["lead"])
        notes.append(Note(beat, length_beats, top, clamp_velocity(v * 0.8), "lead", programs["lead"]))
    if drums:
        notes.append(Note(beat, 2.0, 49, clamp_velocity(v * 0.8), "drums", drum=True))
        notes.append(Note(beat, 0.5, 36, clamp_velocity(v * 0.9), "kick", drum=True))
    return notes


# A jazz pianist's comping: sparse while the tune plays (the Charleston, off-beat pushes), busier in its rests
COMP_UNDER_TUNE = ((0.0, 1.5), (1.5, 3.5), (0.5, 2.5), (0.0, 2.5))
COMP_IN_RESTS = ((0.0, 1.5, 2.5, 3.5), (0.5, 1.5, 2.0, 3.5), (0.0, 1.0, 2.5, 3.5), (0.5, 1.0, 2.5, 3.0, 3.5))
# Sampled keys in hip-hop: a chopped chord that loops, the same rhythm through a section
CHOPS = ((0.0, 0.75, 2.5), (0.0, 1.5, 2.75), (0.0, 0.5, 1.5, 3.0), (0.0, 2.0, 2.75, 3.5))


def _jazz_comp(bar: Bar, voicing: list[int], v: float, part: str, program: int, rng: random.Random) -> list[Note]:
    rhythm = COMP_IN_RESTS if bar.lead == "rest" else COMP_UNDER_TUNE
    notes: list[Note] = []
    for beat in rhythm[rng.randrange(len(rhythm))]:
        if beat < bar.beats:
            accent = (0.95 if beat % 1 else 0.85) * rng.uniform(0.9, 1.05) * (1.0 if bar.lead == "rest" else 0.85)
            for k, key in enumerate(voicing):
                notes.append(Note(bar.start + beat, 0.45, key, clamp_velocity(v * accent), part, program,
                                  pan=spread_pan(len(voicing), k)))  # fmt: skip
    return notes


def _chops(bar: Bar, voicing: list[int], v: float, part: str, program: int) -> list[Note]:
    rhythm = CHOPS[sum(map(ord, bar.section)) % len(CHOPS)]  # one loop per section, as a sample is looped
    notes: list[Note] = []
    for k, beat in enumerate(rhythm):
        following = rhythm[k + 1] if k + 1 < len(rhythm) else 4.0
        if beat < bar.beats:
            for j, key in enumerate(voicing):
                notes.append(Note(bar.start + beat, min(following - beat, 1.5) * 0.9, key,
                                  clamp_velocity(v * (1.0 if k == 0 else 0.88)), part, program,
                                  pan=spread_pan(len(voicing), j)))  # fmt: skip
    return notes


def _drift(bar: Bar, voicing: list[int], v: float, part: str, program: int, rng: random.Random) -> list[Note]:
    """Ambient keys: the chord's tones enter one at a time, each left ringing to the chord change, in an order
    that changes, so the texture moves instead of sitting as one block. The pedal is changed with the harmony, as
    a pianist changes it (the room's reverb carries the wash on): tones held two beats into the next chord blurred
    the first half of every bar into a chord of neither (a iii7 under the ii9's tail heard as the tonic's 11th)."""
    order = list(voicing)
    rng.shuffle(order)
    # the root enters first, so each chord is itself from its first beat: behind the last bar's tones still
    # ringing, a chord that began on its ninth or fifth was heard as its neighbour (a iii7 as a V, a ii9 as a IV)
    order.sort(key=lambda key: key % 12 != bar.chord.root)
    step = bar.beats / max(1, len(order))
    onsets = [bar.start + k * step + rng.uniform(0.0, 0.25) for k in range(len(order))]
    return [Note(onset, bar.start + bar.beats + 0.1 - onset, key, clamp_velocity(v * rng.uniform(0.8, 1.0)), part,
                 program, pan=spread_pan(len(voicing), voicing.index(key)) * 1.5)
            for onset, key in zip(onsets, order, strict=True)]  # fmt: skip
