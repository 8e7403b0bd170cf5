"""Drum parts: a pattern family per genre, thinned or thickened by energy, with fills and crashes."""

from __future__ import annotations

import random
from typing import Protocol

from free_music_ai.engine.music.bass_808 import root_808
from free_music_ai.engine.music.designed_parts import BASS_808_PART, BASS_808_PROGRAM, RISER_PART, RISER_PROGRAM
from free_music_ai.engine.music.drum_fills import FILLS, LOW_FLOOR_TOM, TIMPANI, Fill
from free_music_ai.engine.music.drum_grooves import Groove, Hats, family_grooves
from free_music_ai.engine.music.form import Bar
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.playing_styles import DrumStyle
from free_music_ai.engine.music.theory import voice_chord

KICK, RIM, SNARE, CLAP, CLOSED_HAT, OPEN_HAT, CRASH, RIDE = 36, 37, 38, 39, 42, 46, 49, 51
LOW_TOM, MID_TOM, HIGH_TOM, SHAKER, TAMBOURINE = 43, 47, 50, 70, 54
CONCERT_KICK, PEDAL_HAT = 35, 44


# A kit as a drummer sits at it, heard from the audience: hats and snare a little right, ride and floor tom
# left, toms across; kick and snare stay near the middle.
KIT_PANS = {CLOSED_HAT: 0.35, OPEN_HAT: 0.35, PEDAL_HAT: 0.35, RIDE: -0.4, CRASH: -0.3, SNARE: 0.08, RIM: 0.1,
            HIGH_TOM: 0.3, MID_TOM: 0.0, LOW_TOM: -0.3, LOW_FLOOR_TOM: -0.4, SHAKER: 0.5, TAMBOURINE: -0.45,
            CLAP: -0.08}  # fmt: skip
# A jazz kit as a trio's records place it: heard through its overheads, the ride (which keeps the time) well to one
# side and the hi-hat's foot on the other, and the ride opposite the piano (jazz's Style.pans put the piano left),
# not on the piano's side. With the ride 0.4 left beside the piano and the vibraphone near the middle, jazz's 30 s
# pieces sat 9.6-12.2 dB side under mid (seeds 1-9; the walking bass is three quarters of the mid), stood so 9.1-11.7
KIT_PANS_OF: dict[DrumStyle, dict[int, float]] = {
    DrumStyle.JAZZ: {**KIT_PANS, RIDE: 0.7, CRASH: 0.5, CLOSED_HAT: -0.45, OPEN_HAT: -0.45, PEDAL_HAT: -0.45,
                     SNARE: -0.15, RIM: -0.15, HIGH_TOM: -0.3, LOW_TOM: 0.3},
}  # fmt: skip


class Hit(Protocol):
    def __call__(self, beat: float, key: int, accent: float, length: float = 0.25) -> None: ...


# where a trap hat roll may begin, and its kinds: (span in beats, time between strokes)
ROLL_STARTS = (0.5, 1.5, 1.75, 2.5, 3.0, 3.5)
ROLL_KINDS = ((0.5, 0.125), (0.5, 1 / 6), (1.0, 1 / 3), (0.25, 0.0625), (1.0, 1 / 6))
ROLL_IN_FIRST_BARS = 0.2  # the share of a loud two bars' first bar that rolls as well
OPEN_SECTIONS = ("chorus", "peak")  # sections where a rock drummer moves from the hats to the ride
RISER_KEY = 60  # the riser is a noise sweep; its note only marks where it starts and ends
TIMPANI_PROGRAM = 47
TREMOLO_STRINGS = 44
PUNCHY = (DrumStyle.HIPHOP, DrumStyle.BOOMBAP, DrumStyle.TRAP)
# trap's hats and their rolls are half of its sound: they stood 12.6-14.8 dB under its snare (the font's hat is 10 dB
# under its snare at one velocity; seeds 1-2, the drum stem's peaks), and 14.5-15.3 under its backbeat of snare and
# clap struck together (by their energy; a listening check), where a producer puts them 8-10 dB under: now 7-8 dB
# under by the strokes' peaks, about 11 by their energy
HAT_LIFT = {DrumStyle.TRAP: 1.4}
HATS = (CLOSED_HAT, OPEN_HAT, PEDAL_HAT)
# how far a build's snare roll rises in accent over the build, from 0.25 (to 1.0, its last bar's 32nds stood over the
# drop; with the build's level, the drop now lands 1.2-4.0 LU over that bar)
ROLL_RISE = 0.4
GHOST_SNARES = (DrumStyle.BOOMBAP, DrumStyle.HIPHOP, DrumStyle.RNB)  # a ghost note on the snare, now and then
PUSHED = (DrumStyle.POP, DrumStyle.HIPHOP, DrumStyle.BOOMBAP, DrumStyle.CORPORATE)  # a kick pushes into the next bar
NO_SECTION_CRASH = (DrumStyle.ACOUSTIC, DrumStyle.FOLK, DrumStyle.PULSE, DrumStyle.JAZZ)
FILM = (DrumStyle.EPIC, DrumStyle.ORCHESTRAL)  # timpani and string swells
RISING = (DrumStyle.EPIC, DrumStyle.PULSE)  # film and thriller cues rise into a new section
# club music stops dead for the last half beat before its drop (the roll and the riser end there: a breath, then
# everything at once), and electronic's drop lands on a sub hit as well (trap's 808 plays its own)
GAPPED_BUILDS = (DrumStyle.EDM, DrumStyle.TRAP)
DROP_GAP_BEATS = 0.5
SUB_BAR_ACCENT = 0.95  # the sub on a drop's later bars, against its first
# The backbeat: what a groove strikes on 2 and 4 (beat 3 in half time, trap's clap), never left out, however soft
# the genre plays it: as weak hits, r&b's snare (0.72), folk's tambourine and claps, acoustic's rim and jazz's hat
# foot were dropped at random or below a bar's energy of 0.48 (a listening critique: 24 of 88 loud r&b bars and 45
# of 122 folk bars missed one, and librosa's beat tracker put 0.08 of r&b seed 1's beats on its grid)
BACKBEAT_KEYS = frozenset({SNARE, CLAP, RIM, TAMBOURINE, PEDAL_HAT})
BACKBEATS = frozenset({1.0, 2.0, 3.0})
# The half-time feel: the backbeat moves to beat three, the kick plays half as often
HALFTIME: dict[str, list[tuple[float, int, float]]] = {
    "default": [(0, KICK, 1), (2, SNARE, 1), (3.5, KICK, 0.5)],
    "edm": [(0, KICK, 1), (2, CLAP, 1), (2, SNARE, 0.8)],
    "trap": [(0, KICK, 1), (2, CLAP, 1), (2, SNARE, 0.8)],
    "jazz": [(0, KICK, 0.45), (2, SNARE, 0.4), (1, PEDAL_HAT, 0.7), (3, PEDAL_HAT, 0.7)],
    "epic": [(0, LOW_TOM, 1), (2, SNARE, 0.9), (2, CONCERT_KICK, 0.8)],
    "orchestral": [(0, CONCERT_KICK, 0.9), (2, LOW_TOM, 0.6)],
    "pulse": [(0, KICK, 0.9), (2, LOW_TOM, 0.6)],
}

TIME_KEEPER = {"acoustic": SHAKER, "folk": SHAKER, "epic": None, "orchestral": None, "pulse": None, "edm": OPEN_HAT,
               "jazz": RIDE, "trap": CLOSED_HAT}  # fmt: skip


def drum_bar(bar: Bar, family: DrumStyle, base_velocity: int, *, rng: random.Random, next_energy: float,
             fill: Fill | None = None, pickup: bool = False,
             build: tuple[float, float] | None = None, groove: Groove | None = None) -> list[Note]:  # fmt: skip
    """One bar of drums, on the piece's ``groove`` (drum_grooves.py; the family's first when none is given). A bar
    before a new section ends with ``fill`` (one of the family's, drawn when none is given); a ``pickup`` bar is one
    the drums sit out but for that fill, which brings them back in (the last bar of an intro or a breakdown).
    ``build``: in a build bar, the beats of the build before it and the build's whole length (``build_runs``): its
    roll speeds up over the whole build, not bar by bar."""
    groove = groove or family_grooves(family)[0]
    if family == DrumStyle.NONE or (bar.energy < 0.15 and bar.feel == "normal" and not pickup):
        return []
    notes: list[Note] = []
    energy = max(bar.energy, next_energy) if pickup else bar.energy  # a pickup is played for what it leads into
    pans = KIT_PANS_OF.get(family, KIT_PANS)

    def hit(beat: float, key: int, accent: float, length: float = 0.25) -> None:
        if beat < bar.beats:
            velocity = base_velocity * (0.55 + 0.45 * accent) * (0.8 + 0.25 * energy)
            if key in (KICK, SNARE) and family in PUNCHY:
                velocity *= 1.2  # boom-bap's kick and snare are the loudest things in the record
            if key in HATS:
                velocity *= HAT_LIFT.get(family, 1.0)
            if key == TIMPANI:  # the orchestra's drum is tuned: a stroke on the bar's root
                root = min((n for n in range(38, 53) if n % 12 == bar.chord.root), key=lambda n: abs(n - 45))
                notes.append(Note(bar.start + beat, 1.0, root, clamp_velocity(velocity), "hits", TIMPANI_PROGRAM))
                return
            part = "kick" if key in (KICK, CONCERT_KICK) else "drums"  # the kick has its own dry bus
            notes.append(Note(bar.start + beat, length, key, clamp_velocity(velocity), part, drum=True,
                              pan=pans.get(key, 0.0)))  # fmt: skip

    if pickup:
        if bar.fill and bar.beats == 4:
            _play_fill(hit, fill or choose_fill(family, rng), rng, 1.0)
        return notes
    if bar.feel == "build":
        return _build(bar, hit, notes, base_velocity, build or (0.0, float(bar.beats)), gap=family in GAPPED_BUILDS)
    core = groove.core if bar.feel != "halftime" else HALFTIME.get(family, HALFTIME["default"])
    if energy >= 0.42 or bar.feel == "drop":
        for beat, key, accent in core:
            backbeat = key in BACKBEAT_KEYS and beat in BACKBEATS  # a soft snare is a backbeat still
            if energy < 0.48 and accent < 0.75 and not backbeat:
                continue  # lower energy keeps only the strong hits
            if accent < 0.8 and rng.random() < 0.15 and not backbeat:
                continue  # a weak hit now and then left out
            hit(beat, key, accent)
        variations = groove.variations if bar.feel != "halftime" else ()
        if variations and energy >= 0.45:
            # the busiest on the phrase's last bar (counted from the piece's first bar, an intro of two or three bars
            # put it on the phrases' first three bars in 58 of 60 cases, a snare run in a rock phrase's second bar)
            last = bar.phrase_bar == 3
            choice = variations[-1] if last else variations[rng.randrange(len(variations) - 1)]
            if last or rng.random() < 0.55:
                for beat, key, accent in choice:
                    hit(beat, key, accent * rng.uniform(0.85, 1.1))
        if family in GHOST_SNARES and rng.random() < 0.5:
            hit(rng.choice((0.75, 1.75, 2.25, 3.75)), SNARE, 0.22 * rng.uniform(0.8, 1.2), 0.1)
        if energy >= 0.82 and family in PUSHED:
            hit(3.5, KICK, 0.55)  # a push into the next bar
    _time_keeping(hit, family, bar, rng, groove.hats)
    if (bar.section_start and energy >= 0.55 and family not in NO_SECTION_CRASH) or (bar.feel == "drop"):
        hit(0, CRASH, 1.0 if bar.feel == "drop" else 0.9, 2.0)
    if bar.feel == "drop" and not any(n.beat == bar.start and n.part == "kick" for n in notes):
        hit(0, KICK, 1.0)  # the drop lands: crash, kick and the bass's sub together on the one
    if family == DrumStyle.EDM and (bar.feel == "drop" or (bar.section == "peak" and bar.feel == "normal")):
        # and a sub hit under them, a boom that drops in pitch, struck again on every bar of the drop: its low end
        # is its own (after the first hit, a drop's bars stood 0.5-1 dB over a chorus's below 100 Hz)
        root = bar.chord.root if bar.pedal is None else bar.pedal  # under the bass's own note
        accent = 1.1 if bar.feel == "drop" else SUB_BAR_ACCENT
        notes.append(Note(bar.start, bar.beats - 0.125, root_808(root, None), clamp_velocity(base_velocity * accent),
                          BASS_808_PART, BASS_808_PROGRAM))  # fmt: skip
    if family in FILM and bar.section_start and energy >= 0.45:
        hit(0, TIMPANI, 0.95)  # a new section of film music opens on a timpani stroke
    if bar.fill and next_energy >= 0.4 and family in RISING:  # a riser into the new section
        notes.append(Note(bar.start, bar.beats, RISER_KEY, clamp_velocity(base_velocity * 0.75), RISER_PART,
                          RISER_PROGRAM))  # fmt: skip
    if bar.fill and next_energy >= 0.4 and family in FILM:
        notes += string_swell(bar, base_velocity)
    if bar.fill and bar.beats == 4:  # into a quieter section (a breakdown, the outro) the fill is played softer
        fill = fill or choose_fill(family, rng)
        # the groove stops for the fill; a thriller's clock (its ticking hats) runs on under it, as a sequencer does
        clock = family == DrumStyle.PULSE
        notes = [n for n in notes if n.beat < bar.start + fill.start or (clock and n.key == CLOSED_HAT)]
        _play_fill(hit, fill, rng, 1.0 if next_energy >= 0.4 else 0.8)
    return notes


def _play_fill(hit: Hit, fill: Fill, rng: random.Random, level: float) -> None:
    for beat, key, accent in fill.hits:
        hit(beat, key, level * accent * rng.uniform(0.9, 1.05), 0.2)


def choose_fill(family: DrumStyle, rng: random.Random) -> Fill:
    return rng.choice(FILLS.get(family, FILLS["pop"]))


class FillCycle:
    """The fills of one piece. A drummer varies them: the family's fills in an order the seed shuffles, each
    played once before any comes back (drawn independently, one piece closed three sections with one fill and
    two seeds of a genre played fewer than three between them)."""

    def __init__(self, family: DrumStyle, rng: random.Random) -> None:
        self._fills = list(FILLS.get(family, FILLS["pop"]))
        rng.shuffle(self._fills)
        self._played = 0

    def next(self) -> Fill:
        fill = self._fills[self._played % len(self._fills)]
        self._played += 1
        return fill


def build_runs(bars: list[Bar]) -> dict[int, tuple[float, float]]:
    """Each build bar's place in its build: the build's beats before the bar, and the build's whole length."""
    runs: dict[int, tuple[float, float]] = {}
    k = 0
    while k < len(bars):
        if bars[k].feel != "build":
            k += 1
            continue
        last = k
        while last + 1 < len(bars) and bars[last + 1].feel == "build":
            last += 1
        total = float(sum(b.beats for b in bars[k : last + 1]))
        before = 0.0
        for bar in bars[k : last + 1]:
            runs[bar.index] = (before, total)
            before += bar.beats
        k = last + 1
    return runs


def roll_step(left: float, total: float) -> float:
    """The snare roll's note length with ``left`` beats to the drop: the last beat in 32nds, the one before in
    sixteenths, two more in eighths, quarters before (in a build of four bars or more the last two beats in 32nds,
    two in sixteenths, four in eighths): a one-bar build rolls eighths, sixteenths and 32nds."""
    fast = 2.0 if total >= 16 else 1.0
    if left <= fast + 1e-9:
        return 0.125
    if left <= 2 * fast + 1e-9:
        return 0.25
    return 0.5 if left <= 4 * fast + 1e-9 else 1.0


def _build(bar: Bar, hit: Hit, notes: list[Note], base_velocity: int, run: tuple[float, float], *,
           gap: bool) -> list[Note]:  # fmt: skip
    """The bars that rise into a drop: no kick, a snare roll that speeds up and grows louder over the whole build
    (a build of two bars restarted its roll in each, and was heard as a bar played twice), and a riser (a noise
    sweep synthesised in sound_design.py) under it; with ``gap`` both stop half a beat before the drop."""
    before, total = run
    silent = DROP_GAP_BEATS if gap else 0.0
    beat = 0.0
    while beat < bar.beats - 1e-9 and total - before - beat > silent + 1e-9:
        hit(beat, SNARE, 0.25 + ROLL_RISE * (before + beat) / total, 0.1)
        beat += roll_step(total - before - beat, total)
    velocity = clamp_velocity(base_velocity * (0.7 + 0.3 * bar.energy))
    length = min(bar.beats, total - before - silent)
    notes.append(Note(bar.start, length, RISER_KEY, velocity, RISER_PART, RISER_PROGRAM))
    return notes


def _time_keeping(hit: Hit, family: DrumStyle, bar: Bar, rng: random.Random, hats: Hats = Hats.FAMILY) -> None:
    energy = bar.energy
    keeper = TIME_KEEPER.get(family, CLOSED_HAT)
    if family == DrumStyle.ROCK and bar.section in OPEN_SECTIONS and energy >= 0.5:
        keeper = RIDE  # the chorus opens up: the ride in eighths, a crash on the one every other bar
        if bar.phrase_bar % 2 == 0:
            hit(0, CRASH, 0.75, 2.0)
    if family == DrumStyle.JAZZ:  # the ride's swing: every beat, and the skip before two and four
        for beat in (0, 1, 1.5, 2, 3, 3.5):
            hit(beat, RIDE, (0.7 if beat in (1, 3) else 0.55) * rng.uniform(0.85, 1.1), 0.3)
        return
    if family == DrumStyle.TRAP:
        trap_hats(hit, energy, rng, phrase_bar=bar.phrase_bar)
        return
    if family == DrumStyle.PULSE:  # a thriller's clock: soft sixteenth ticks that thicken with the tension
        for k in range(16):
            if k % 2 == 0 or energy >= 0.6:
                hit(k / 4, CLOSED_HAT, (0.4 if k % 4 == 0 else 0.25) * rng.uniform(0.8, 1.15), 0.05)
        return
    if family == DrumStyle.EPIC and bar.section == "peak" and bar.phrase_bar % 2 == 0 and energy >= 0.85:
        hit(0, CRASH, 0.8, 3.0)  # a film cue's peak: a cymbal crash with its hits, every other bar once all are in
    if family == DrumStyle.EPIC and energy >= 0.45:  # a shaker drives the orchestra's percussion in eighths
        for k in range(8):
            hit(k / 2, SHAKER, (0.5 if k % 2 == 0 else 0.35) * rng.uniform(0.8, 1.15), 0.1)
    if keeper is None:
        if energy >= 0.7 and family == DrumStyle.EPIC:
            for quarter in (0, 1, 2, 3):
                hit(quarter, RIDE if energy > 0.85 else CLOSED_HAT, 0.4)
        return
    if hats == Hats.OFFBEAT_OPEN or (hats == Hats.FAMILY and family == DrumStyle.EDM):
        for offbeat in (0.5, 1.5, 2.5, 3.5):
            hit(offbeat, OPEN_HAT, 0.7, 0.25)
        if energy >= 0.75:
            for k in range(16):
                if k % 2 == 1:
                    hit(k / 4, CLOSED_HAT, 0.35 + 0.2 * rng.random(), 0.1)
        return
    if hats == Hats.SHAKER_OFFBEATS:  # the open hats over a shaker that fills the sixteenths once the floor is full
        for offbeat in (0.5, 1.5, 2.5, 3.5):
            hit(offbeat, OPEN_HAT, 0.62, 0.25)
        if energy >= 0.6:
            for k in range(16):
                hit(k / 4, SHAKER, (0.45 if k % 2 else 0.3) * rng.uniform(0.8, 1.15), 0.08)
        return
    if hats == Hats.SIXTEENTHS:
        _sixteenths(hit, energy, rng)
        return
    if hats == Hats.FLOOR_TOM and keeper != RIDE and energy >= 0.45:  # the verse's drive on the floor tom
        # played light, leaning on one and three: at a hat's accents it rang as a held low note, 7.6 dB over the bass
        # in 40-90 Hz (a listening critique)
        for k in range(8):
            hit(k / 2, LOW_FLOOR_TOM, (0.42 if k % 4 == 0 else 0.24) * rng.uniform(0.88, 1.08), 0.3)
        hit(0, PEDAL_HAT, 0.5)  # the hats shut on the one, a foot's tick under the toms
        hit(2, PEDAL_HAT, 0.45)
        return
    step = 0.25 if energy >= 0.85 and family in (DrumStyle.HIPHOP, DrumStyle.POP) else (0.5 if energy >= 0.3 else 1.0)
    open_at = rng.choice((1.5, 3.5)) if energy >= 0.6 and keeper == CLOSED_HAT and rng.random() < 0.4 else None
    k = 0
    while k * step < 4:
        beat = k * step
        on_beat = beat == int(beat)
        accent = (0.7 if on_beat else 0.42) + 0.3 * rng.random()  # a hand never hits twice the same
        if beat == open_at:
            hit(beat, OPEN_HAT, 0.6, 0.4)
        elif keeper == SHAKER:  # a shaker sits low in the mix and is never even
            if energy >= 0.5 and rng.random() > 0.3:
                hit(beat, SHAKER, accent * rng.uniform(0.35, 0.75), 0.1)
        elif family == DrumStyle.BOOMBAP:  # a lazy, uneven hat: soft, some offbeats skipped, the odd one leaned on
            if on_beat or rng.random() > 0.3:
                hit(beat, keeper, accent * rng.uniform(0.45, 0.9), 0.1)
        elif keeper == RIDE:  # a ride is played evenly, its bell on the beat
            hit(beat, RIDE, (0.75 if on_beat else 0.5) * rng.uniform(0.9, 1.05), 0.4)
        elif on_beat or rng.random() > 0.14:  # now and then a hat is left out: a player breathes
            hit(beat, keeper, accent, 0.1)
        k += 1


def _sixteenths(hit: Hit, energy: float, rng: random.Random) -> None:
    """Closed hats in sixteenths, the beat and its offbeat leaned on, the sixteenths between soft (eighths in a quiet
    bar, quarters in a near-silent one); at full energy the bar's last offbeat now and then opens into the next."""
    step = 0.25 if energy >= 0.5 else (0.5 if energy >= 0.3 else 1.0)
    opened = energy >= 0.75 and rng.random() < 0.5
    for k in range(round(4 / step)):
        beat = k * step
        if opened and beat == 3.5:
            hit(beat, OPEN_HAT, 0.55, 0.3)  # a hat is open or closed, never both
            continue
        level = 0.62 if beat == int(beat) else (0.5 if beat * 2 == int(beat * 2) else 0.3)
        hit(beat, CLOSED_HAT, level + 0.15 * rng.random(), 0.06)


def trap_hats(hit: Hit, energy: float, rng: random.Random, *, phrase_bar: int = 1) -> None:
    """Trap hi-hats: eighths or sixteenths, broken up by rolls a producer draws in: 32nds (four strokes in an
    eighth), sixteenth triplets (three in an eighth) and eighth triplets (three in a beat), rising in level. The
    rolls answer the steady bars: in the second bar of each two, now and then in a first one at full energy (a
    roll in four bars of five was heard as the pattern itself, and stopped standing out)."""
    step = 0.25 if energy >= 0.5 else 0.5
    rolls: list[tuple[float, float, float]] = []  # (start, span, stroke)
    answering = phrase_bar % 2 == 1 or (energy >= 0.7 and rng.random() < ROLL_IN_FIRST_BARS)
    if energy >= 0.4 and answering:
        count = 1 if energy < 0.7 else rng.choice((1, 2, 2))
        for start in sorted(rng.sample(ROLL_STARTS, count)):
            span, stroke = rng.choice(ROLL_KINDS)
            if start + span <= 4 and all(start >= s + sp or start + span <= s for s, sp, _ in rolls):
                rolls.append((start, span, stroke))
    k = 0
    while k * step < 4:
        beat = k * step
        if not any(s <= beat < s + sp for s, sp, _ in rolls):
            hit(beat, CLOSED_HAT, (0.6 if k % 2 == 0 else 0.42) * rng.uniform(0.85, 1.1), 0.08)
        k += 1
    for start, span, stroke in rolls:
        strokes = round(span / stroke)
        for j in range(strokes):
            hit(start + j * stroke, CLOSED_HAT, (0.32 + 0.35 * j / max(1, strokes - 1)) * rng.uniform(0.92, 1.06), 0.04)
    if energy >= 0.6 and rng.random() < 0.35:
        hit(rng.choice((1.5, 3.5)), OPEN_HAT, 0.5, 0.3)


def string_swell(bar: Bar, base_velocity: int) -> list[Note]:
    """The orchestra's swell into a new section: tremolo strings (General MIDI 45) on the chord, struck again
    each half beat a little louder, from pianissimo to forte."""
    voicing = voice_chord(bar.chord, None, low=48, high=72, size=4)
    steps = int(bar.beats * 2)
    notes: list[Note] = []
    for k in range(steps):
        level = clamp_velocity(base_velocity * (0.3 + 0.8 * (k + 1) / steps))
        for j, key in enumerate(voicing):
            notes.append(Note(bar.start + k / 2, 0.55, key, level, "pad", TREMOLO_STRINGS,
                              pan=0.6 * (2 * j / max(1, len(voicing) - 1) - 1)))  # fmt: skip
    return notes
