"""The hook: a motif of one or two bars that a listener could clap and hum, stated in every chorus and peak.

Issue 27 heard no hook: every lead wandered through a fresh line in one fixed register. A hook here is a rhythm
built on a syncopated cell (a note pushed onto an offbeat and held across the beat), with a repeated note and
one leap, over a few scale steps. It comes back in each chorus and peak with its rhythm kept: transposed to the
bar's chord, with its ending changed (a question that stays open, an answer that lands on the tonic or the
third). The verses sing other material (parts_melody). The seed also sets the piece's register, its span and
the shape of its verse phrases, so two seeds sing in different places and directions.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.instrument_ranges import playable
from free_music_ai.engine.music.notes import Note, clamp_velocity

# One-bar rhythms in beats, each with a syncopation: an onset on an offbeat with no onset on the beat after it
CELLS: tuple[tuple[float, ...], ...] = (
    (0.0, 0.5, 1.5, 2.5, 3.0),
    (0.0, 0.75, 1.5, 2.0, 3.0),
    (0.0, 1.5, 3.0),
    (0.5, 1.0, 1.5, 2.5),
    (0.0, 0.5, 1.0, 2.5, 3.5),
    (0.0, 0.5, 1.5, 2.0, 2.5),
    (0.0, 1.0, 1.5, 2.5, 3.0, 3.5),
)
# How a two-bar hook's second bar ends: short and held, so the hook breathes before it comes back
ENDINGS: tuple[tuple[float, ...], ...] = ((0.0, 0.5, 1.0), (0.0, 1.5), (0.0, 0.5, 1.5), (0.0, 1.0))
SHAPES = ("arch", "rising", "falling", "wave", "valley")
LEAD_LOWEST, LEAD_HIGHEST = 57, 96  # where a lead stays clear of the bass and the keys' low end, and not shrill
STEP_RANGE = (-4, 7)  # scale steps a hook moves below and above its first note
SEMITONES_A_STEP = 12 / 7  # a scale step's width, on average
HOOK_VELOCITY = (
    0.94  # the hook against the band's base velocity: above the verses, still under the loudest accompaniment
)
VERSE_VELOCITY = 0.86
CLOSING_HALF = 2.0  # beats: a one-bar hook's closing statement keeps its notes before this


@dataclass(frozen=True)
class Hook:
    onsets: tuple[float, ...]  # beats from the hook's start, over ``bars`` bars
    steps: tuple[int, ...]  # scale steps from the hook's first note, one per onset
    bars: int  # 1 or 2


@dataclass(frozen=True)
class Tune:
    """The piece's melodic identity, drawn by the seed: where the lead sits, how far the verses range, their
    contour, and the hook."""

    centre: int  # MIDI note the hook is anchored near
    verse_centre: int  # the verses sit lower (or higher) than the hook, so the chorus lifts
    span: int  # scale steps the verse phrases cover
    shape: str  # the verses' contour: arch, rising, falling, wave, valley
    hook: Hook


def new_tune(lead_centre: int, rng: random.Random, cells: tuple[tuple[float, ...], ...] = CELLS, *,
             reach: tuple[int, int] | None = None) -> Tune:  # fmt: skip
    """The seed's tune around a genre's lead centre (already moved by the mood), its hook in one of ``cells``, inside
    ``reach`` (the instrument's lowest and highest key, instrument_ranges.py) as well as the lead's register."""
    lowest, highest = lead_register(reach)
    shape = rng.choice(SHAPES)
    centre = min(highest - 9, max(lowest + 7, lead_centre + rng.randrange(-5, 6)))  # the seed's place, either side
    span = rng.randrange(3, 10)
    # a verse line climbs up to about two semitones a step above its centre: it tops out near the hook (or a
    # little under it), so the chorus lifts, and stays inside the lead's register
    verse_centre = centre - round(1.6 * span) + rng.choice((-3, -1, 1, 3))
    verse_centre = min(highest - 2 * span - 3, max(lowest + 2, verse_centre))
    return Tune(centre, verse_centre, span, shape, new_hook(shape, rng, cells))


def lead_register(reach: tuple[int, int] | None) -> tuple[int, int]:
    """The lead's register (LEAD_LOWEST..LEAD_HIGHEST) inside an instrument's ``reach``, where it is narrower; an
    instrument that reaches lower may go down to half an octave over its lowest note (a tenor held over G3 sang its
    r&b hook on its strained top keys: 11 of 16 notes within four of its highest, a listening check)."""
    if reach is None:
        return LEAD_LOWEST, LEAD_HIGHEST
    low, high = reach
    return max(low, min(LEAD_LOWEST, low + 6)), min(LEAD_HIGHEST, high)


def new_hook(shape: str, rng: random.Random, cells: tuple[tuple[float, ...], ...] = CELLS) -> Hook:
    """A rhythm you could clap (a syncopated cell, a repeated note, a leap) over one or two bars."""
    first = rng.choice(cells)
    if rng.random() < 0.5:
        onsets = first
        bars = 1
    else:
        onsets = first + tuple(4.0 + t for t in rng.choice(ENDINGS))
        bars = 2
    count = len(onsets)
    repeat = rng.randrange(1, count)  # this note repeats the one before it: the easiest thing to remember
    leap = rng.choice([k for k in range(1, count) if k != repeat] or [repeat])
    upward = {"rising": 0.8, "falling": 0.2, "valley": 0.35}.get(shape, 0.6)
    steps = [0]
    for k in range(1, count):
        if k == repeat:
            steps.append(steps[-1])
            continue
        if k == leap + 1 and leap != repeat:  # a leap is filled in: the line steps back the other way
            move = -1 if steps[-1] > steps[-2] else 1
        else:
            size = rng.choice((3, 4, 5)) if k == leap else rng.choice((1, 1, 2))  # a fourth to a sixth, or a step
            pull = min(0.9, max(0.1, upward - 0.1 * (steps[-1] - 1)))  # a line far from home leans back to it
            move = size if rng.random() < pull else -size
        if not STEP_RANGE[0] <= steps[-1] + move <= STEP_RANGE[1]:
            move = -move  # turn back inside the hook's range rather than sticking at its edge
        steps.append(steps[-1] + move)
    return Hook(tuple(onsets), tuple(steps), bars)


def hook_phrase(
    bars: list[Bar],
    playing: list[bool],
    hook: Hook,
    *,
    scale: tuple[int, ...],
    centre: int,
    program: int,
    velocity: int,
    legato: float,
    rng: random.Random,
) -> list[Note]:
    """The hook over one chorus or peak phrase: stated, then restated on the next chord (or with its second
    half), with its ending changed to ask where the phrase goes on and to answer where it closes."""
    scale_notes = [n for n in range(LEAD_LOWEST - 12, LEAD_HIGHEST + 13) if n % 12 in scale]
    floor = lead_register(playable(program))[0]  # a low instrument's own (a tenor's G3 rubbed: Ab3 lay under A3)
    notes: list[Note] = []
    anchor: int | None = None
    for b, bar in enumerate(bars):
        if not playing[b]:
            continue
        unit, offset = divmod(b, hook.bars)
        start_beat = offset * 4.0
        picked = [(k, t - start_beat) for k, t in enumerate(hook.onsets) if start_beat <= t < start_beat + 4.0]
        if not picked:
            continue
        closing = b + 1 >= len(bars) or not playing[b + 1]
        last_of_unit = offset == hook.bars - 1 or closing
        # a one-bar hook stated three times closes on its first half, held (a a a b): played whole four times
        # running it looped (a listening critique: the solo piano's peak, ambient's sequence of one cell)
        if hook.bars == 1 and closing and b >= 2:
            picked = [(k, beat) for k, beat in picked if beat < CLOSING_HALF] or picked[:1]
        if offset == 0 or anchor is None:  # each statement starts on a tone of its own bar's chord
            # after a key lift the first statement starts on a tone the old key did not have, so the lift is heard
            # in the tune and not only under it (F#-A-B after G -> A major sang in both keys)
            fresh = frozenset(scale) - {(pc - bar.shift) % 12 for pc in scale} if bar.shift and anchor is None else None
            anchor = _anchor(bar, centre, scale_notes, hook, anchor, fresh or frozenset(), reach=playable(program))
        base = scale_notes.index(anchor)
        for n, (k, beat) in enumerate(picked):
            if beat >= bar.beats:
                continue
            pitch = scale_notes[max(0, min(len(scale_notes) - 1, base + hook.steps[k]))]
            final = last_of_unit and n == len(picked) - 1
            # the ending changes: an open degree, or home at the close; a one-bar hook's only at the close (each
            # bar's last note rewritten turned its contour: up-down stated, up-up at the peak)
            if final and (closing if hook.bars == 1 else unit > 0 or closing):
                before = notes[-1].key if notes and n > 0 else None
                pitch = _ending(
                    pitch, scale, bar, scale_notes, answer=closing or unit % 2 == 1, before=before, lowest=floor
                )
            following = picked[n + 1][1] if n + 1 < len(picked) else min(bar.beats, beat + 2.0)
            length = max(0.25, (following - beat) * (1.0 if final else legato))
            length = min(length, bar.beats - beat)
            if length >= 1.0 and not final:  # a held note rests on the chord: a long passing tone blurs the key
                pitch = _onto_chord(pitch, bar, scale_notes)
            if length >= 0.5:  # a phrase's last note too: held longest, it rubbed longest (hip-hop's Ab5 over Cm7)
                pitch = off_the_rub(pitch, bar, lowest=floor)
            offbeat = beat % 1 != 0
            accent = (1.0 if beat % 2 == 0 else (0.97 if offbeat else 0.9)) * rng.uniform(0.95, 1.03)
            notes.append(Note(bar.start + beat, length, pitch, clamp_velocity(velocity * accent), "lead", program))
    return notes


def _anchor(bar: Bar, centre: int, scale_notes: list[int], hook: Hook, previous: int | None,
            prefer: frozenset[int] = frozenset(), *, reach: tuple[int, int] | None = None) -> int:  # fmt: skip
    """The statement's first note: a chord tone of its bar, near the previous statement's (so a restated hook
    moves with the harmony, not around the keyboard), the whole statement inside the lead's register and the
    instrument's ``reach``."""
    # a phrase's first statement is placed so the hook's notes sit around the centre, not start on it: a hook climbs
    # up to seven steps over its first note, and anchored by it the hooks of every genre sat 2-6 semitones over their
    # centre on average, up to 14 (suspense's and trap's tunes at C6 and over in 10 of 24 seeds: a listening critique)
    target = previous if previous is not None else centre - round(SEMITONES_A_STEP * statistics.fmean(hook.steps))
    low, high = min(hook.steps), max(hook.steps)
    lowest, highest = lead_register(reach)

    def fits(i: int) -> bool:
        return i + low >= 0 and i + high < len(scale_notes) and scale_notes[i + low] >= lowest and (
            scale_notes[i + high] <= highest)  # fmt: skip

    options = [i for i, n in enumerate(scale_notes) if bar.chord.contains(n) and fits(i)]
    # a preferred tone (one the old key lacked, after a lift) among the chord's, else among the scale's: the lift
    # must be heard in the tune even when the first lifted chord keeps to tones both keys share
    fresh = [i for i in options if scale_notes[i] % 12 in prefer]
    fresh = fresh or [i for i, n in enumerate(scale_notes) if n % 12 in prefer and fits(i)]
    options = fresh or options
    if not options:
        options = [i for i in range(len(scale_notes)) if fits(i)] or [len(scale_notes) // 2]
    return scale_notes[min(options, key=lambda i: abs(scale_notes[i] - target))]


def _onto_chord(pitch: int, bar: Bar, scale_notes: list[int]) -> int:
    """The nearest tone of the bar's chord in the scale, a step away at most (the contour barely moves)."""
    near = [n for n in scale_notes if bar.chord.contains(n) and abs(n - pitch) <= 2 and n >= LEAD_LOWEST]
    return min(near, key=lambda n: (abs(n - pitch), n)) if near else pitch


def off_the_rub(pitch: int, bar: Bar, *, lowest: int = 0) -> int:
    """A note held over a chord a semitone from one of its tones, and not one itself, moved onto that tone (not under
    ``lowest``): the key's own notes rub against a borrowed chord (pop's tune held E5 over the Cm of its G major
    chorus, and F#5 against its G: a listening check), which a singer would bend onto the chord."""
    if bar.chord.contains(pitch):
        return pitch
    near = [n for n in (pitch - 1, pitch + 1) if bar.chord.contains(n) and n >= lowest]
    return min(near) if near else pitch


def _ending(pitch: int, scale: tuple[int, ...], bar: Bar, scale_notes: list[int], answer: bool,
            before: int | None = None, lowest: int = LEAD_LOWEST) -> int:  # fmt: skip
    """An answer lands on the tonic or the third, a question on the 2nd or 5th: a chord tone of the bar when
    one is near, and not the note ``before`` it where another will do (a closing bar's repeated notes then one more
    of them, Ab5 Ab5 Ab5 or F5 F5 F5, stood still where the phrase should land: a listening critique)."""
    wanted = (scale[0], scale[2]) if answer else (scale[1], scale[4])
    candidates = [n for n in scale_notes if n % 12 in wanted and abs(n - pitch) <= 5 and n >= lowest]
    if not candidates:
        return pitch
    in_chord = [n for n in candidates if bar.chord.contains(n)]
    # judged as it will sound: a held note off its chord is bent onto it after this (off_the_rub)
    return min(in_chord or candidates,
               key=lambda n: (off_the_rub(n, bar, lowest=lowest) == before, abs(n - pitch), n != pitch))  # fmt: skip
