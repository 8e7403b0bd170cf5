"""Measures read from a piece's MIDI file alone (mido and numpy, no librosa): what was played, where.

Every function takes plain values (notes in seconds, a beat grid in seconds, spans), so a test can hand it a MIDI
file written with a known swing, roll, chord or fill and check the answer.

- swing_ratio: long over short eighth (or sixteenth) from onsets against the beat grid; 1.0 straight, 2.0 triplet.
- hat_rolls: runs of hi-hat hits (GM 42, 44, 46 on channel 10) at 1/32 or triplet-sixteenth spacing.
- name_chord / half_bar_chords / harmony_shares: the chord of each half-bar from the harmony parts, and the share
  of I, IV, V, vi and of extended chords (7ths, 9ths, 11ths, 6ths: four or more pitch classes of such a chord).
- fill_prints: the drum notes (key, twelfth of a beat) in the last beat of each bar before a new section
  that holds a fill (a tom, or a run of three places or more).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DRUM_CHANNEL = 9  # General MIDI channel 10, counted from 0 as mido does
HATS = frozenset({42, 44, 46})
# The drummer's clock, not a fill: hats, cymbals, ride, shaker, tambourine, cabasa
TIME_KEEPING = frozenset({42, 44, 46, 49, 51, 52, 53, 55, 57, 59, 54, 69, 70})
TOMS = frozenset({41, 43, 45, 47, 48, 50})
HARMONY_PARTS = frozenset({"keys", "pad", "guitar", "arp", "choir", "brass"})
COMPING_PARTS = frozenset({"keys", "guitar"})
GROOVE_KEYS = frozenset({42, 44, 46, 51, 54, 70})  # the lines a swing is heard in: hats, ride, tambourine, shaker
MIN_SWING_SAMPLES = 8


@dataclass(frozen=True, slots=True)
class MidiNote:
    part: str  # the track's name (the engine names each track after its part)
    channel: int
    key: int
    start: float  # seconds
    end: float
    velocity: int


@dataclass(frozen=True)
class MidiPiece:
    notes: tuple[MidiNote, ...]
    bends: dict[str, int]  # pitch-wheel messages per part

    def part(self, name: str) -> list[MidiNote]:
        return [n for n in self.notes if n.part == name]

    def drums(self, keys: Iterable[int] | None = None) -> list[MidiNote]:
        wanted = None if keys is None else frozenset(keys)
        return [n for n in self.notes if n.channel == DRUM_CHANNEL and (wanted is None or n.key in wanted)]


def read_midi(path: Path) -> MidiPiece:
    """Notes in seconds, through the file's own tempo map (every set_tempo of every track)."""
    import mido

    midi = mido.MidiFile(str(path))
    changes: list[tuple[int, int]] = [(0, 500_000)]
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "set_tempo":
                changes.append((tick, message.tempo))
    changes.sort(key=lambda c: c[0])
    anchors: list[tuple[int, float, int]] = []  # (tick, seconds at that tick, tempo from there)
    seconds = 0.0
    for k, (tick, tempo) in enumerate(changes):
        if k:
            seconds += (tick - anchors[-1][0]) * anchors[-1][2] / 1e6 / midi.ticks_per_beat
        anchors.append((tick, seconds, tempo))

    def to_seconds(tick: int) -> float:
        start, at, tempo = next(a for a in reversed(anchors) if a[0] <= tick)
        return float(at + (tick - start) * tempo / 1e6 / midi.ticks_per_beat)

    notes: list[MidiNote] = []
    bends: dict[str, int] = {}
    for index, track in enumerate(midi.tracks):
        name = next((m.name for m in track if m.type == "track_name"), f"track {index}")
        sounding: dict[tuple[int, int], list[tuple[int, int]]] = {}
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "pitchwheel":
                bends[name] = bends.get(name, 0) + 1
            elif message.type == "note_on" and message.velocity > 0:
                sounding.setdefault((message.channel, message.note), []).append((tick, message.velocity))
            elif message.type in ("note_on", "note_off") and sounding.get((message.channel, message.note)):
                begun, velocity = sounding[(message.channel, message.note)].pop(0)
                notes.append(MidiNote(name, message.channel, message.note, to_seconds(begun), to_seconds(tick),
                                      velocity))  # fmt: skip
    notes.sort(key=lambda n: (n.start, n.part, n.key))
    return MidiPiece(tuple(notes), bends)


def beat_positions(times: Sequence[float], beats_s: Sequence[float]) -> np.ndarray:
    """Seconds to beats along the beat grid (beat k at beats_s[k]); past its ends the nearest period goes on."""
    grid = np.asarray(beats_s, dtype=np.float64)
    t = np.asarray(times, dtype=np.float64)
    inside = np.interp(t, grid, np.arange(len(grid), dtype=np.float64))
    before = (t - grid[0]) / (grid[1] - grid[0])
    after = len(grid) - 1 + (t - grid[-1]) / (grid[-1] - grid[-2])
    return np.where(t < grid[0], before, np.where(t > grid[-1], after, inside))


def _onsets(positions: Iterable[float], together: float = 0.06) -> list[float]:
    """Sorted onsets with a chord's or a strum's notes (closer than ``together`` beats) counted once."""
    kept: list[float] = []
    for p in sorted(positions):
        if not kept or p - kept[-1] >= together:
            kept.append(p)
    return kept


def swing_ratio(lines: Sequence[Sequence[float]]) -> tuple[float, str, int]:
    """Long over short (ratio, "8th" or "16th", samples) from onsets in beats, one sequence per line.

    A sample is a cell (a beat for eighths, half a beat for sixteenths) of one line that has an onset on its
    start, none in its first 40 %, and exactly one between 40 % and 80 %: the off-beat note. Its place f in the
    cell gives long/short = f / (1 - f) (the median f over samples). Cells with straight subdivisions below
    (a sixteenth inside an eighth cell) are left out, so straight sixteenth hats do not read as eighth swing.
    The level with more samples is the one reported; fewer than MIN_SWING_SAMPLES gives nan.
    """
    best = (float("nan"), "-", 0)
    for level, unit in (("8th", 1.0), ("16th", 0.5)):
        places: list[float] = []
        for line in lines:
            cells: dict[int, list[float]] = {}
            for position in _onsets(line):
                scaled = position / unit
                cell = math.floor(scaled + 0.1)
                cells.setdefault(cell, []).append(scaled - cell)
            for fractions in cells.values():
                on_start = any(f < 0.1 for f in fractions)
                early = any(0.1 <= f < 0.4 for f in fractions)
                late = [f for f in fractions if 0.4 <= f < 0.8]
                if on_start and not early and len(late) == 1 and not any(f >= 0.8 for f in fractions):
                    places.append(late[0])
        if len(places) >= MIN_SWING_SAMPLES and len(places) > best[2]:
            f = float(np.median(places))
            best = (f / (1 - f), level, len(places))
    return best


def groove_lines(piece: MidiPiece, beats_s: Sequence[float]) -> list[list[float]]:
    """The lines a swing is heard in, as onsets in beats: the hats/ride/shaker together, and each comping part."""
    lines = [piece.drums(GROOVE_KEYS), *(piece.part(p) for p in sorted(COMPING_PARTS))]
    return [list(beat_positions([n.start for n in line], beats_s)) for line in lines if line]


def hat_rolls(positions: Sequence[float], longest_step: float = 0.21, mean_step: float = 0.19) -> int:
    """Runs of hi-hat onsets (in beats) at 1/32 (0.125 beat) or triplet-sixteenth (0.167) spacing.

    A roll is at least four hits (three steps) each closer than ``longest_step`` beats, whose mean step is at
    most ``mean_step``: straight sixteenths (0.25) drift by a drummer's timing on one step, never over three,
    since every hit stays within a few milliseconds of its grid place."""
    onsets = _onsets(positions, 0.04)
    rolls = 0
    run: list[float] = []
    for step in np.diff(onsets) if len(onsets) > 1 else []:
        if step < longest_step:
            run.append(float(step))
            continue
        rolls += len(run) >= 3 and float(np.mean(run)) <= mean_step
        run = []
    rolls += len(run) >= 3 and float(np.mean(run)) <= mean_step
    return rolls


# Chord qualities as intervals above the root; the order breaks ties (the plainer reading first)
QUALITIES: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7), "m": (0, 3, 7), "sus4": (0, 5, 7), "sus2": (0, 2, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11), "m7": (0, 3, 7, 10), "m7b5": (0, 3, 6, 10), "6": (0, 4, 7, 9),
    "m6": (0, 3, 7, 9), "dim7": (0, 3, 6, 9), "mmaj7": (0, 3, 7, 11), "7sus4": (0, 5, 7, 10),
    "add9": (0, 2, 4, 7), "madd9": (0, 2, 3, 7), "9": (0, 2, 4, 7, 10), "maj9": (0, 2, 4, 7, 11),
    "m9": (0, 2, 3, 7, 10), "6/9": (0, 2, 4, 7, 9), "11": (0, 2, 4, 5, 7, 10), "m11": (0, 2, 3, 5, 7, 10),
    "9sus4": (0, 2, 5, 7, 10), "maj7#11": (0, 4, 6, 7, 11),
}  # fmt: skip
MINOR_QUALITIES = frozenset({"m", "m7", "m6", "mmaj7", "madd9", "m9", "m11"})
DIMINISHED = frozenset({"dim", "m7b5", "dim7"})


@dataclass(frozen=True)
class HeardChord:
    root: int  # pitch class
    quality: str  # a key of QUALITIES
    pitch_classes: frozenset[int]  # the chord tones heard

    @property
    def extended(self) -> bool:
        """A 7th, 9th, 11th or 6th chord with at least four of its pitch classes sounding."""
        return len(QUALITIES[self.quality]) >= 4 and len(self.pitch_classes) >= 4


def _defining(intervals: tuple[int, ...]) -> int:
    """The tone that gives a chord its colour: the third, or the suspended tone that replaces it."""
    return next((i for i in (4, 3) if i in intervals), intervals[1])


def name_chord(weights: dict[int, float], bass: int | None = None) -> HeardChord | None:
    """The chord that the sounding pitch classes (with their weights: seconds sounded) spell.

    The heard set is every pitch class with at least 10 % of the strongest one's weight. A chord whose tones are
    exactly that set wins; else the smallest chord that holds it (a voicing may leave out the fifth), its root
    and third (or suspended tone) heard. Ties go to the chord whose root the bass plays, then the plainer name.
    If no chord holds the set, the weakest pitch class is taken for a passing note and dropped."""
    classes: dict[int, float] = {}
    for pc, weight in weights.items():
        classes[pc % 12] = classes.get(pc % 12, 0.0) + weight
    if not classes:
        return None
    top = max(classes.values())
    heard = {pc for pc, w in classes.items() if w >= 0.1 * top}
    order = list(QUALITIES)
    while len(heard) >= 2:
        found: list[tuple[int, int, int, int, str]] = []
        for root in sorted(heard):
            for quality, intervals in QUALITIES.items():
                tones = {(root + i) % 12 for i in intervals}
                if not heard <= tones or (root + _defining(intervals)) % 12 not in heard:
                    continue
                found.append((len(tones - heard), root != bass, order.index(quality), root, quality))
        if found:
            _, _, _, root, quality = min(found)
            return HeardChord(root, quality, frozenset(heard))
        heard.discard(min(heard, key=lambda pc: classes[pc]))
    return None


def half_bar_chords(piece: MidiPiece, spans: Sequence[tuple[float, float]]) -> list[HeardChord | None]:
    """The chord heard in each span (seconds) from the harmony parts, the bass's longest note breaking ties."""
    harmony = [n for n in piece.notes if n.part in HARMONY_PARTS and n.channel != DRUM_CHANNEL]
    bass_notes = piece.part("bass")
    chords: list[HeardChord | None] = []
    for start, end in spans:
        weights: dict[int, float] = {}
        for n in harmony:
            overlap = min(end, n.end) - max(start, n.start)
            if overlap > 0:
                weights[n.key % 12] = weights.get(n.key % 12, 0.0) + overlap
        bass_weights: dict[int, float] = {}
        for n in bass_notes:
            overlap = min(end, n.end) - max(start, n.start)
            if overlap > 0:
                bass_weights[n.key % 12] = bass_weights.get(n.key % 12, 0.0) + overlap
        bass = max(bass_weights, key=lambda pc: bass_weights[pc]) if bass_weights else None
        chords.append(name_chord(weights, bass))
    return chords


def is_primary(chord: HeardChord, tonic: int) -> bool:
    """I, IV, V or vi of a major key (with their sevenths and added tones: a Imaj7 is still the I)."""
    degree = (chord.root - tonic) % 12
    if degree == 9:
        return chord.quality in MINOR_QUALITIES
    return degree in (0, 5, 7) and chord.quality not in MINOR_QUALITIES | DIMINISHED


def harmony_shares(chords: Sequence[HeardChord | None], tonic: int) -> tuple[float, float, int]:
    """Percent of half-bars on I, IV, V or vi, percent on extended chords, and how many half-bars had a chord."""
    named = [c for c in chords if c is not None]
    if not named:
        return float("nan"), float("nan"), 0
    primary = 100.0 * sum(is_primary(c, tonic) for c in named) / len(named)
    extended = 100.0 * sum(c.extended for c in named) / len(named)
    return primary, extended, len(named)


FillPrint = tuple[tuple[int, int], ...]


def fill_prints(
    piece: MidiPiece, beats_s: Sequence[float], bars: Sequence[tuple[int, int, str]], offbeat: float | None = None
) -> list[FillPrint]:
    """The drum fill closing each section: (key, twelfth of a beat) of the drum notes in the last beat of every
    bar whose next bar starts another section, hats and cymbals left out (they keep time). ``bars`` holds
    (first beat, beats, section).

    A fill has a tom or hits on three places or more (a run), and differs from the same beat of the bar before;
    else it is the groove going on (a snare on four, a kick pushing into the next bar). A note within 0.04 beat
    of ``offbeat`` (the swung off-beat eighth's place, from swing_ratio) is read as the off-beat: a fill swung
    is the same fill as played straight (swung near triplets, a note on a triplet's second place reads so too)."""
    drums = [n for n in piece.drums() if n.key not in TIME_KEEPING]
    positions = beat_positions([n.start for n in drums], beats_s) if drums else np.zeros(0)
    placed = list(zip((n.key for n in drums), (float(p) for p in positions), strict=True))

    def place(fraction: float) -> int:
        return 6 if offbeat is not None and abs(fraction - offbeat) <= 0.04 else round(fraction * 12)

    def last_beat(start: int, beats: int) -> FillPrint:
        last = start + beats - 1
        notes = {(key, place(p - last)) for key, p in placed if last - 0.04 <= p < last + 0.96}
        return tuple(sorted(notes, key=lambda kp: (kp[1], kp[0])))

    prints: list[FillPrint] = []
    for k, ((start, beats, section), (_, _, following)) in enumerate(itertools.pairwise(bars)):
        if section == following:
            continue
        fill = last_beat(start, beats)
        groove = last_beat(*bars[k - 1][:2]) if k > 0 else ()
        run = len({place for _, place in fill}) >= 3 or any(key in TOMS for key, _ in fill)
        if run and fill != groove:
            prints.append(fill)
    return prints


def describe_fill(fill: FillPrint) -> str:
    """A fill as key@place pairs, place in twelfths of the bar's last beat (3 = its second sixteenth)."""
    return " ".join(f"{key}@{place}" for key, place in fill)
