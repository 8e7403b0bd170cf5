"""The moments the user placed in time (moments.py), honoured by the composer.

- A hit at a time is an anchor of the tempo map before any cut (a cut too close to it gives way), and gets the
  accent a cut gets (crash, kick, bass, chord stab, timpani where the genre has them); one the grid cannot land
  still sounds at its exact time.
- A build's bars take the build feel (snare roll, riser, no kick) and rise in energy to its peak; a bar that
  starts at the peak lands as a drop.
- A quiet stretch's bars lose their drums and most of their energy; the mix lowers it too (mixdown.py).
- A lifted stretch ("a more energetic second half") plays its bars near full energy, with every part the piece's
  fullest bar has, drums and bass in.
- A silent stretch ("no music from 0:10 to 0:20") is played as a band's stop: it starts on the beat at or before
  its start and ends on the next downbeat (or beat), no note starts inside it, a note held into it ends there, the
  mix fades what still rings (mixdown.py), and the music comes back whole: what would still be held is struck
  again, with the cut accent (crash, kick, bass, chord) on the beat it comes back on.
- No drums before a time, or for a stretch: every drum note there is left out.
- A stretch asked sadder or happier ("make the second half sadder") is played in the parallel minor or major, from
  bar line to bar line: each pitched note on a degree of the piece's scale moves to the same degree of the other
  mode (in C major, E, A and B become Eb, Ab and Bb), so chords, bass and tune change mode together, bar by bar as
  its chord allows (``chord_moves``); a note held across the stretch's edge is struck again there in its new key.
- A big final hit: the cut accent, louder, on the final chord.
"""

from __future__ import annotations

import bisect
import dataclasses
import math

from free_music_ai.engine.music.families import Family, plays_in
from free_music_ai.engine.music.form import Form
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.tempo_map import MIN_BEATS_BETWEEN
from free_music_ai.engine.music.theory import BRIGHTNESS, MODES, Chord

QUIET_ENERGY = 0.25
LIFT_RISE_BARS, LIFT_RISE_FROM = 2, 0.6  # a placed lift rises over the 2 bars before it, from this energy
RESTRUCK = 0.9  # a note struck again where a stop ends, a little under its first strike
STRIKE_AGAIN_BEATS = 0.5  # a note held across a mode's edge is struck again there only if this much of it is left
LIFTED_ENERGY = 0.9
BUILD_FROM_ENERGY = 0.45
DROP_WINDOW_BEATS = 0.5  # a bar starting this close to a build's peak is the drop
END_HIT_BOOST = 1.2
DRUM_PARTS = frozenset({"drums", "kick"})


def anchored_cuts(moments: Moments, cuts_s: list[float], bpm: float) -> list[float]:
    """The times the tempo map anchors: the asked hits, then the video's cuts that leave them room."""
    room = MIN_BEATS_BETWEEN * 60.0 / bpm
    kept = [c for c in cuts_s if all(abs(c - h) >= room for h in moments.hits_s)]
    return sorted({*moments.hits_s, *kept})


def lift_beats(form: Form, moments: Moments) -> list[tuple[float, float, bool]]:
    """Each lifted stretch in beats, and whether it brings its own drop: one said with its time lands on the hit
    asked with it ("energetic from 0:20"); one placed by a share of the piece ("a more energetic second half")
    starts on the nearest bar line and brings its own rise and drop there, so the grid and the rest of the piece
    stay as they were (a listening review heard its hit, as a tempo anchor, move the whole piece's tempo)."""
    tempo, spans = form.tempo, []
    downbeats = [bar.start for bar in form.bars if bar.start > 0]
    for first_s, last_s in moments.lifted_s:
        last = min(tempo.beat_at(last_s), float(form.final_beat))
        if first_s <= 0.5 or any(abs(first_s - t) < 0.05 for t in moments.hits_s) or not downbeats:
            spans.append((max(0.0, tempo.beat_at(first_s)), last, False))
            continue
        first = min(downbeats, key=lambda b: abs(b - tempo.beat_at(first_s)))
        if last > first:
            spans.append((float(first), last, True))
    return spans


def drumless_bars(form: Form, moments: Moments) -> list[tuple[float, float]]:
    """Each stretch without drums ("remove the drums from 0:10 to 0:20"), in beats, from bar line to bar line (the
    nearest ones, a bar at least): a band's drummer stops at a bar line and comes back with a fill."""
    return [span for span in (on_bar_lines(form, first, last) for first, last in moments.drumless_s) if span]


def family_bars(form: Form, moments: Moments) -> list[tuple[Family, float, float]]:
    """Each stretch an instrument is out of ("no piano in the intro"), in beats, from bar line to bar line: a player
    stops and comes back at a bar line."""
    spans = [(family, on_bar_lines(form, first, last)) for family, first, last in moments.families_out_s]
    return [(family, *span) for family, span in spans if span]


def on_bar_lines(form: Form, first_s: float, last_s: float) -> tuple[float, float] | None:
    """The bar lines nearest ``first_s`` and ``last_s`` (a bar at least), in beats."""
    tempo = form.tempo
    lines = [bar.start for bar in form.bars] + [form.final_beat]
    first = min(lines, key=lambda b: abs(b - tempo.beat_at(first_s)))
    last = min((b for b in lines if b > first), key=lambda b: abs(b - tempo.beat_at(last_s)), default=None)
    return None if last is None else (float(first), float(last))


def through_the_end(form: Form, last: float) -> float:
    """A stretch's last bar line in beats, or infinity when it is the piece's end: the final chord is in it."""
    return math.inf if last >= form.final_beat else last


def without_families_for(notes: list[Note], form: Form, moments: Moments) -> list[Note]:
    """The notes without those an instrument family out for a stretch plays there ("no piano in the intro"), unless
    it plays every pitched note of that stretch: the music is never made silent by an instrument taken out."""
    for family, first, to in family_bars(form, moments):
        last = through_the_end(form, to)  # to the end: out of the final chord too
        inside = [n for n in notes if not n.drum and first <= n.beat < last]
        if all(plays_in(n, frozenset({family})) for n in inside):
            continue
        notes = [n for n in notes if not (first <= n.beat < last and plays_in(n, frozenset({family})))]
    return notes


def mode_bars(form: Form, moments: Moments, mode: str) -> list[tuple[str, float, float]]:
    """Each stretch asked in another mode than the piece's ``mode`` (the parallel minor or major), in beats, from
    bar line to bar line; one asked in the mode the piece has already is left out (plan.py says so)."""
    asked = [("minor", a, b) for a, b in moments.minor_s] + [("major", a, b) for a, b in moments.major_s]
    spans = [(target, on_bar_lines(form, first, last)) for target, first, last in asked if moves_mode(mode, target)]
    return [(target, *span) for target, span in spans if span]


def moves_mode(mode: str, target: str) -> bool:
    """Whether a stretch asked in ``target`` ("minor": sadder, "major": happier) makes a piece in ``mode`` darker or
    brighter: a minor or phrygian piece has no sadder parallel here, a major or lydian one no happier."""
    return BRIGHTNESS[target] < BRIGHTNESS[mode] if target == "minor" else BRIGHTNESS[target] > BRIGHTNESS[mode]


def in_modes(notes: list[Note], form: Form, moments: Moments, *, tonic: int, mode: str) -> list[Note]:
    """The notes with each stretch asked sadder or happier in the parallel minor or major (``tonic`` and ``mode``
    the piece's home key; a bar's key lift moves its tonic): see the module's notes."""
    starts = [bar.start for bar in form.bars]
    for target, first, last in mode_bars(form, moments, mode):
        last = through_the_end(form, last)  # to the end: the final chord too
        # each bar's moves, and the final chord's (in the last bar's key), with the tonic they are counted from
        moves = [(chord_moves(bar.chord, (tonic + bar.shift) % 12, mode=mode, target=target), tonic + bar.shift)
                 for bar in form.bars]  # fmt: skip
        home = tonic + (form.bars[-1].shift if form.bars else 0)
        final = (chord_moves(form.final_chord, home % 12, mode=mode, target=target), home)
        changed: list[Note] = []
        for note in notes:
            end = note.beat + note.length
            at = max(note.beat, first)
            bar_moves, bar_home = (final if at >= form.final_beat or not starts
                                   else moves[max(0, bisect.bisect_right(starts, at) - 1)])  # fmt: skip
            key = note.key + bar_moves.get((note.key - bar_home) % 12, 0)
            if note.drum or end <= first + 1e-6 or note.beat >= last - 1e-6 or key == note.key:
                changed.append(note)
                continue
            inside = dataclasses.replace(note, key=key)
            if note.beat < first - 1e-6:  # held into the stretch: ended at its edge, and struck again in its new key
                changed.append(dataclasses.replace(note, length=first - note.beat))
                if end - first < STRIKE_AGAIN_BEATS:  # what little rings past the bar line is let go
                    continue
                inside = dataclasses.replace(inside, beat=first, length=end - first,
                                             velocity=clamp_velocity(note.velocity * RESTRUCK))  # fmt: skip
            if end > last + 1e-6:  # held past it: back in its own key there
                changed.append(dataclasses.replace(inside, length=last - inside.beat))
                if end - last >= STRIKE_AGAIN_BEATS:
                    changed.append(dataclasses.replace(note, beat=last, length=end - last,
                                                       velocity=clamp_velocity(note.velocity * RESTRUCK)))  # fmt: skip
                continue
            changed.append(inside)
        notes = changed
    return notes


def chord_moves(chord: Chord, home: int, *, mode: str, target: str) -> dict[int, int]:
    """Semitones each degree of ``mode``'s scale (counted from ``home``) moves under ``chord`` to reach ``target``'s,
    as a musician changes mode. A chord with a tone from outside the scale (a secondary dominant, a borrowed bII), a
    major piece's ii (a held ii° sounds wrong, not sad) and a minor piece's bVII (vii° would replace it) keep their
    own tones, the tune around them moving; the dominant keeps its leading tone, as harmonic minor does. Notes off
    the scale stay: a major piece's borrowed bVII is the minor's own."""
    source = MODES[mode]
    moves = {a: b - a for a, b in zip(source, MODES[target], strict=True) if a != b}
    tones = {(tone - home) % 12 for tone in chord.tones}
    root = (chord.root - home) % 12
    if not tones <= set(source) or (target == "minor" and root == 2) or (target == "major" and root == 10):
        return {degree: by for degree, by in moves.items() if degree not in tones}
    if target == "minor" and root == 7:
        moves.pop(11, None)
    return moves


def shaped(form: Form, moments: Moments) -> Form:
    """The bars with the builds', lifts', quiet and drumless stretches' feel, energy and parts."""
    if not (moments.builds or moments.quiet_s or moments.lifted_s or moments.drumless_s):
        return form
    drumless = drumless_bars(form, moments)
    tempo = form.tempo
    fullest = max(form.bars, key=lambda b: (b.energy, len(b.parts))).parts if form.bars else frozenset()
    lifts = lift_beats(form, moments)
    bars = []
    for k, bar in enumerate(form.bars):
        start_s, end_s = tempo.time_of(bar.start), tempo.time_of(bar.start + bar.beats)
        for first, _, own in lifts:  # a placed lift's own rise over the bars before it, and its drop
            ahead = sum(1 for b in form.bars[k:] if b.start < first)
            if own and 0 < ahead <= LIFT_RISE_BARS and bar.feel != "drop":
                energy = LIFT_RISE_FROM + (LIFTED_ENERGY - LIFT_RISE_FROM) * (LIFT_RISE_BARS - ahead) / LIFT_RISE_BARS
                bar = dataclasses.replace(bar, feel="build", energy=max(bar.energy, energy),
                                          parts=bar.parts | {"drums"})  # fmt: skip
            elif own and bar.start == first:
                bar = dataclasses.replace(bar, feel="drop")
        for build in moments.builds:
            peak_beat = tempo.beat_at(build.peak_s)
            if abs(bar.start - peak_beat) <= DROP_WINDOW_BEATS and bar.start > 0:
                bar = dataclasses.replace(bar, feel="drop", energy=max(bar.energy, 0.9),
                                          parts=bar.parts | {"drums", "bass"})  # fmt: skip
            elif end_s > build.start_s and start_s < build.peak_s - 0.05:
                rise = (min(end_s, build.peak_s) - build.start_s) / (build.peak_s - build.start_s)
                energy = BUILD_FROM_ENERGY + (1.0 - BUILD_FROM_ENERGY) * max(0.0, min(1.0, rise))
                bar = dataclasses.replace(bar, feel="build", energy=energy, parts=bar.parts | {"drums"})
        if any(bar.start >= a - 1e-6 and bar.start < b - 0.05 for a, b, _ in lifts) and bar.feel != "build":
            # the arrangement of the piece's fullest bar, drums and bass in
            bar = dataclasses.replace(bar, energy=max(bar.energy, LIFTED_ENERGY),
                                      parts=bar.parts | fullest | {"drums", "bass"})  # fmt: skip
        for first, last in drumless:  # the drums out, and a fill in the stretch's last bar brings them back
            if first <= bar.start < last:
                back = bar.start + bar.beats >= last and last < form.final_beat
                bar = dataclasses.replace(bar, parts=bar.parts - DRUM_PARTS, fill=bar.fill or back)
        if any(_mostly_within(start_s, end_s, a, b) for a, b in moments.quiet_s):
            bar = dataclasses.replace(bar, energy=min(bar.energy, QUIET_ENERGY), parts=bar.parts - DRUM_PARTS,
                                      feel="normal" if bar.feel in ("build", "drop") else bar.feel)  # fmt: skip
        bars.append(bar)
    return dataclasses.replace(form, bars=tuple(bars))


def _mostly_within(start_s: float, end_s: float, first_s: float, last_s: float) -> bool:
    """Whether a bar from ``start_s`` to ``end_s`` is the stretch's: half of it or more inside, or the whole stretch
    inside it. Any overlap made a bar from 12.15 to 15.19 s quiet for "quiet from 0:15" (79 bpm): the music fell
    3 s early, before the time the reply said."""
    inside = min(end_s, last_s) - max(start_s, first_s)
    return inside >= (end_s - start_s) / 2 or (start_s <= first_s and last_s <= end_s)


def missed_hit_beats(form: Form, moments: Moments) -> list[float]:
    """The asked hits the grid did not land on a beat or an eighth (a video's cut too close), each at its exact,
    fractional beat: they still sound at their time. Those it landed get the cuts' accents already."""
    tempo = form.tempo
    beats = [tempo.beat_at(t) for t in moments.hits_s]
    return [b for b in beats if b < form.final_beat - 0.25 and not any(abs(b - c) < 1e-3 for c in tempo.cut_beats)]


def without_early_drums(notes: list[Note], form: Form, moments: Moments) -> list[Note]:
    """No drum note before ``drums_from_s``, nor in a stretch without drums ("no drums after 0:30", "remove the
    drums from 0:10 to 0:20")."""
    beats = [(-1.0, form.tempo.beat_at(moments.drums_from_s) - 1e-6)] if moments.drums_from_s is not None else []
    # a stretch's last bar keeps the fill that brings the drums back (shaped() leaves the rest of it without drums)
    beats += [(first - 1e-6, math.inf if last >= form.final_beat else last - _last_bar(form, last) - 1e-6)
              for first, last in drumless_bars(form, moments)]  # fmt: skip
    if not beats:
        return notes
    return [n for n in notes
            if not ((n.drum or n.part in DRUM_PARTS) and any(a <= n.beat < b for a, b in beats))]  # fmt: skip


def silence_beats(form: Form, moments: Moments) -> list[tuple[float, float]]:
    """Each silent stretch as a band plays a stop, in beats: from the last beat at or before its start, to the first
    downbeat at or after its end when that is within half a bar, else to the first beat after it."""
    tempo, spans = form.tempo, []
    downbeats = [bar.start for bar in form.bars]
    for first_s, last_s in moments.silent_s:
        first = math.floor(tempo.beat_at(first_s) + 1e-6)
        last = tempo.beat_at(last_s)
        bar = next((b for b in downbeats if b >= last - 1e-6), None)
        half = 0.5 * next((b.beats for b in form.bars if b.start == bar), 4) if bar is not None else 0.0
        last = float(bar) if bar is not None and bar - last <= half else float(math.ceil(last - 1e-6))
        if last > first:
            spans.append((float(first), min(last, float(form.final_beat))))
    return spans


def silenced(notes: list[Note], spans: list[tuple[float, float]]) -> list[Note]:
    """The notes without what would sound in a stop (``spans`` in beats): none starts inside one, a note held
    into one ends where it starts, and what the band would still be holding when it ends is struck again there (a
    chord, a pad, the bass), so the music comes back whole."""
    if not spans:
        return notes
    kept: list[Note] = []
    for note in notes:
        end = note.beat + note.length
        for _, last in spans:
            if not note.drum and note.beat < last - 1e-6 < end - 1e-6:  # still held when the stop ends
                kept.append(dataclasses.replace(note, beat=last, length=end - last,
                                                velocity=clamp_velocity(note.velocity * RESTRUCK)))  # fmt: skip
        if any(first - 1e-6 <= note.beat < last - 1e-6 for first, last in spans):
            continue
        ends = [first for first, _ in spans if note.beat < first < end]
        kept.append(dataclasses.replace(note, length=min(ends) - note.beat) if ends else note)
    return kept


def _last_bar(form: Form, end: float) -> float:
    """The length in beats of the bar that ends at ``end``."""
    return next((float(bar.beats) for bar in form.bars if bar.start + bar.beats == end), 4.0)


def louder(notes: list[Note], factor: float = END_HIT_BOOST) -> list[Note]:
    return [dataclasses.replace(n, velocity=clamp_velocity(n.velocity * factor)) for n in notes]
