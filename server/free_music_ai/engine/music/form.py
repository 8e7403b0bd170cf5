"""The shape of a piece: where its final chord falls, its sections, which parts play in each bar, and chords.

The piece is planned in beats, not whole bars, so a 3-second clip still gets a complete gesture (a chord or
two and a cadence). The final chord is struck 1.5-3 s before the end so it rings out. Before it, sections
with a purpose, in one of several forms the seed picks (forms.py): an intro without the lead, verses and
choruses on contrasting progressions, a breakdown, a build and a drop, a half-time bridge or a key lift, the
peak where the video's energy is highest (or where the user's words put it), and an outro that thins out.
Each section says which parts play, so the music breathes and builds.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from free_music_ai.engine.music.contrast import contrasting
from free_music_ai.engine.music.forms import LONG_DROP_GENRES, PHRASE_BARS, chosen_form, plan_sections
from free_music_ai.engine.music.genres import Style
from free_music_ai.engine.music.mood import Character
from free_music_ai.engine.music.playing_styles import Comping, DrumStyle
from free_music_ai.engine.music.spec import Dynamics, Genre, MusicSpec
from free_music_ai.engine.music.tempo_map import BEATS_PER_BAR, TempoMap
from free_music_ai.engine.music.theory import Chord, chord_from_numeral, uses_flats

FINAL_WINDOW_S = (1.5, 3.0)  # how long before the end the last chord is struck
FINAL_TARGET_S = 2.2
MAJOR_FAMILY = ("major", "lydian", "mixolydian")
LEADING_TONE = 11  # semitones over the tonic
SPEECH_SHARE = 0.3  # a bar with speech over this share of its length has no lead

# Modal colour: the progressions are written for major or natural minor; each mode swaps in its own chord.
_MODE_SWAPS = {
    "lydian": {"IV": "II", "IVmaj7": "IImaj7", "IVadd9": "IIadd9"},
    "mixolydian": {"V": "bVII", "V7": "bVII", "iii": "v", "iii7": "v7"},
    "dorian": {"iv": "IV", "iv7": "IV7", "bVI": "IV", "bVImaj7": "IV7"},
    "phrygian": {"V": "bII", "V7": "bII", "bVII": "bII"},
}
# How loud and full each kind of section is, 0..1, before the video's own energy is blended in
INTRO_MAX_S = 7.0  # the longest intro before the beat and the tune (ambient aside)
SECTION_LEVEL = {"intro": 0.3, "verse": 0.5, "chorus": 0.74, "bridge": 0.58, "breakdown": 0.3, "peak": 1.0,
                 "outro": 0.36}  # fmt: skip
# Which parts each section lets play ("lead" still follows the phrase plan and the speech)
SECTION_PARTS = {
    "intro": frozenset({"pad", "keys"}),
    "verse": frozenset({"keys", "bass", "drums", "lead", "pad", "counter"}),
    "chorus": frozenset({"keys", "bass", "drums", "lead", "pad", "guitar", "arp", "counter"}),
    "bridge": frozenset({"keys", "bass", "drums", "pad", "counter", "guitar"}),
    "breakdown": frozenset({"pad", "keys", "counter"}),
    "peak": frozenset({"keys", "bass", "drums", "lead", "pad", "guitar", "arp", "counter", "extra"}),
    "outro": frozenset({"keys", "pad", "bass"}),
}
# beats whose breakdown drops the groove for a bar and then keeps its hats (the drums play only their time at a
# breakdown's level): hip-hop's 48 s pieces went without a beat for a third to a half of their length, a breakdown
# of three silent bars among them (a listening critique); r&b's breakdown was its electric piano alone, 14 LU under
# its peak, a hole in the groove, and pop's three bars of keys and pad 15 LU under its peak
HATS_THROUGH_BREAKDOWN = frozenset({DrumStyle.HIPHOP, DrumStyle.RNB, DrumStyle.POP})
# beats whose band plays on to its last chord, at a chorus's level, and drives into it with a fill: a rock outro of
# keys, pad and bass at 7-9 LU under the peak, then the final chord and crash, was heard as the band fading and
# stabbing (a listening critique)
BAND_TO_THE_END = frozenset({DrumStyle.ROCK})
COLD_OPEN_LEVEL = 0.5  # a cold open's chorus: the level of a verse (at a chorus's the peak stood 1.6-2.6 dB over it)
# each bar of a build a step louder, up to 0.74 after four: rising by 0.14 its last bar stood at 0.98, a drop's level,
# and the drop landed no louder than the bar before it (electronic seeds 1-6: -0.7 to +0.8 LU)
BUILD_STEP = 0.08
SOLO_RISE = 0.2  # how far a head form's solos climb over their run, from a verse's level (0.5)
RISING_STEP = 0.1  # how much each rising bar of a short piece's one phrase adds to the verse's level
VIDEO_WEIGHT = 0.35  # how much the video's energy moves a bar's level against its section's


@dataclass(frozen=True)
class Bar:
    index: int
    start: int  # first beat
    beats: int
    chord: Chord
    energy: float  # 0..1: how full and loud the bar is
    section: str  # intro, verse, chorus, bridge, breakdown, peak, outro
    section_start: bool
    fill: bool  # the last bar before a new section: drums fill it
    parts: frozenset[str] = frozenset()  # which parts play
    lead: str = "rest"  # "question", "answer" or "rest": the lead's role in this bar
    phrase_bar: int = 0  # 0..3 within its four-bar phrase
    # how the groove treats the bar: "normal"; "halftime" (the backbeat on 3, the bass and drums at half the
    # pace); "build" (the bars that rise into a drop: snare roll, riser, no kick); "drop" (the first bar of the
    # section a build leads into: everything lands together)
    feel: str = "normal"
    # the key lift: semitones above the piece's home key (a lift for the last chorus, forms.py). The bar's
    # chord is already in the lifted key; the melody reads this to sing in it
    shift: int = 0
    # the pitch class the bass holds under the chord, when it is not the chord's root: the tonic as a pedal where a
    # phrase begins, so the ear is told the key at every phrase start whatever colour chord sits above it
    pedal: int | None = None


@dataclass(frozen=True)
class Form:
    bars: tuple[Bar, ...]
    final_beat: int
    final_chord: Chord
    tempo: TempoMap
    name: str = "classic"  # the form (forms.py): classic, hook-first, early-break, halftime, drop, lift


def _final_beat(tempo: TempoMap, duration: float) -> int:
    latest, earliest = duration - FINAL_WINDOW_S[0], duration - FINAL_WINDOW_S[1]
    beats = [b for b in range(1, int(tempo.beat_at(latest)) + 2) if earliest <= tempo.time_of(b) <= latest]
    if not beats:
        return max(1, math.floor(tempo.beat_at(latest)))

    def preference(beat: int) -> tuple[int, float]:
        rank = 0 if beat % BEATS_PER_BAR == 0 else (1 if beat % 2 == 0 else 2)
        return rank, abs(tempo.time_of(beat) - (duration - FINAL_TARGET_S))

    return min(beats, key=preference)


def energy_at(spec: MusicSpec, time: float) -> float | None:
    """The video's energy at ``time`` (0..1), or None when the spec has no curve."""
    if not spec.energy:
        return None
    return spec.energy[min(len(spec.energy) - 1, max(0, int(time)))]


def _progressions(style: Style, mode: str, *, chorus: bool = False) -> tuple[tuple[str, ...], ...]:
    """The genre's progressions in the mode; ``chorus``: those of its choruses and peaks, where it has its own."""
    major, minor = style.chorus_progressions if chorus else (style.major_progressions, style.minor_progressions)
    base = major if mode in MAJOR_FAMILY else minor
    if chorus and not base:
        return _progressions(style, mode)
    swaps = _MODE_SWAPS.get(mode, {})
    return tuple(tuple(swaps.get(numeral, numeral) for numeral in prog) for prog in base)


def _cadence(mode: str, arousal: float) -> tuple[str, str, str]:
    """The last chords: a predominant, then a perfect cadence for energy or plagal for calm; minor keys through
    V or bVII."""
    if mode in MAJOR_FAMILY:
        return ("ii", "V", "I") if arousal > -0.2 else ("vi", "IV", "I")
    if mode == "phrygian":
        return ("iv", "bII", "i")
    return ("iv", "V", "i")  # the raised leading tone: a calm bVII-i ending was heard in the relative major


def _coloured(cadence: tuple[str, str, str], progressions: tuple[tuple[str, ...], ...]) -> tuple[str, str, str]:
    """The cadence's predominant and dominant in the genre's own colour where its progressions have one (jazz's
    ii7 and V7, r&b's ii11 and V11, lo-fi's ii9): the plain triads of a hymn closed every genre alike. The last
    chord stays the tonic triad, so the key lands."""
    used = [numeral for progression in progressions for numeral in progression]

    def colour(numeral: str) -> str:
        return next((n for n in used if re.fullmatch(rf"{numeral}(7|9|11|maj7|maj9|7sus4|sus4|add9)?", n)), numeral)

    return colour(cadence[0]), colour(cadence[1]), cadence[2]


def plan_form(spec: MusicSpec, style: Style, character: Character, *, tempo: TempoMap, rng: random.Random) -> Form:
    final = _final_beat(tempo, spec.duration_s)
    if final >= 6 and style.ritardando:
        slowed = tempo.with_ritardando(final)
        if slowed.time_of(final) <= spec.duration_s - FINAL_WINDOW_S[0]:
            tempo = slowed
    family = "major" if character.mode in MAJOR_FAMILY else "minor"
    flats = uses_flats(character.tonic, character.mode)
    progressions = _progressions(style, character.mode)
    choruses = _progressions(style, character.mode, chorus=True)
    cadence = _coloured(_cadence(character.mode, spec.arousal), progressions)

    def chord(numeral: str, shift: int = 0) -> Chord:
        if not shift:
            return chord_from_numeral(numeral, character.tonic, family, flats=flats)
        lifted = (character.tonic + shift) % 12  # a lifted section is spelled in its own key
        return chord_from_numeral(numeral, lifted, family, flats=uses_flats(lifted, character.mode))

    starts = list(range(0, final, BEATS_PER_BAR))
    middles = [tempo.time_of(s + min(BEATS_PER_BAR, final - s) / 2) for s in starts]
    video_curve = [energy_at(spec, t) for t in middles]
    video = None if any(v is None for v in video_curve) else [float(v or 0.0) for v in video_curve]
    drums = spec.drums is not False and style.drums != DrumStyle.NONE
    # the intro by its length in seconds, not in bars: four bars at 80 bpm kept a lo-fi or hip-hop beat and its tune
    # back for 12 s, a fifth of a minute's video; ambient's slow swell keeps its own
    bar_s = BEATS_PER_BAR * 60.0 / tempo.bpm
    intro_bars = len(starts) if style.genre == Genre.AMBIENT else max(1, int(INTRO_MAX_S / bar_s))
    shape = plan_sections(len(starts), video, dynamics=spec.dynamics,
                          name=chosen_form(style.genre, drums, len(starts), rng=rng, seed=spec.seed, kept=spec.form),
                          rng=rng,
                          intro_bars=intro_bars, long_drop=style.genre in LONG_DROP_GENRES)  # fmt: skip
    labels = shape.labels
    # contrasting progressions: verses, choruses and bridges each their own, drawn by the seed
    order = rng.sample(range(len(progressions)), k=min(3, len(progressions)))
    chosen = {"verse": order[0], "chorus": order[1 % len(order)], "bridge": order[2 % len(order)]}
    if style.contrasting_chorus:
        seeds_order = [k % len(choruses) for k in order[1:]]
        chosen["chorus"] = contrasting(choruses, progressions[order[0]], preferred=seeds_order, family=family)
    chosen.update(intro=chosen["verse"], outro=chosen["verse"], peak=chosen["chorus"], breakdown=chosen["bridge"])
    solos = shape.name == "head"
    if solos:  # the band's last head is reharmonized: the tune comes back over other changes, not as a loop
        chosen["peak"] = (chosen["chorus"] + 1) % len(choruses)
    speech = [_speech_share(spec, tempo.time_of(s), tempo.time_of(s + BEATS_PER_BAR)) for s in starts]
    solo_bars = labels.count("verse")
    club = style.genre in LONG_DROP_GENRES  # a club track's drop: its bass and its hooks hold the tonic
    bars: list[Bar] = []
    occurrence: dict[str, int] = {}
    phrase_start = 0
    for index, (start, label) in enumerate(zip(starts, labels, strict=True)):
        section_start = index == 0 or labels[index - 1] != label or (index - phrase_start) % PHRASE_BARS == 0
        if index == 0 or labels[index - 1] != label:
            phrase_start = index
            occurrence[label] = occurrence.get(label, 0) + 1
            if occurrence[label] % 3 == 0:  # every third return of a section brings another progression
                chosen[label] = (chosen[label] + 1 + rng.randrange(len(progressions) - 1)) % len(progressions)
        elif solos and label == "verse" and (index - phrase_start) % PHRASE_BARS == 0:
            # a solo walks on through the tune's changes, phrase by phrase (a 90 s jazz piece soloed 28 bars over
            # one four-chord turnaround)
            chosen[label] = (chosen[label] + 1) % len(progressions)
        table = choruses if label in ("chorus", "peak") else progressions
        progression = table[chosen[label] % len(table)]
        position = index - phrase_start
        # an intro holds each chord two bars; a breakdown moves a chord a bar, as its progression does: held two bars
        # from the chord after the tonic, four bars were two colour chords, and 59 of 81 breakdowns over 16 genres
        # were heard in another key (librosa's chroma over the breakdown: rock's G/A G Bm Bm in A was B minor); 36 now
        slow = label == "intro"
        # a breakdown departs from the tonic: it starts on its progression's first other chord (a breakdown from I
        # held two bars, after an intro held on I, gave a solo piano five bars of nine on its tonic)
        # a major-key intro's second bar is a colour chord over the tonic pedal (a minor loop's intro holds its
        # tonic: the beat's two-chord loop starts on it, and coloured it made hip-hop's phrases repeat, 33 -> 67 %)
        coloured_intro = label == "intro" and position == 1 and family == "major"
        departs = label == "breakdown" or coloured_intro
        away = next((k for k, n in enumerate(progression) if not re.match(r"[Ii](?![IiVv])", n)), 0) if departs else 0
        numeral = progression[((position // 2 if slow else position) + away) % len(progression)]
        if label == "intro" and (position == 0 or (position == 1 and not coloured_intro)):
            numeral = "I" if family == "major" else "i"  # the piece opens on its tonic: the key is heard first
        elif label == "outro":
            # the close winds down between the tonic and the cadence's own predominant (ii, vi or iv in the genre's
            # colour), so the last bars walk into the cadence: I ii | V | I
            numeral = ("I" if family == "major" else "i") if position % 2 == 0 else cadence[0]
        feel = shape.feels[index]
        level = SECTION_LEVEL[label] if spec.dynamics != Dynamics.STEADY or label in ("intro", "outro") else 0.62
        if shape.name in ("hook-first", "head") and label == "chorus" and "verse" not in shape.labels[:index]:
            level = COLD_OPEN_LEVEL  # the hook stated first over a lighter band: the piece still grows to its peak
        if solos and label == "verse" and spec.dynamics != Dynamics.STEADY and solo_bars > 1:
            # the solos build, chorus after chorus, from the verse's level towards the tune's (a head form held its
            # solos at one level: the report's loudness range fell from 8.7-14.6 to 4.4-6.0 LU)
            level += SOLO_RISE * shape.labels[:index].count("verse") / (solo_bars - 1)
        if feel == "build":  # the bars before a drop rise, so the drop lands on a lift, not a plateau
            rising = 1  # how many build bars up to and including this one
            while index - rising >= 0 and shape.feels[index - rising] == "build":
                rising += 1
            level = 0.42 + BUILD_STEP * rising
        last_of_section = index + 1 == len(labels) or labels[index + 1] != label
        if label == "breakdown" and (position % PHRASE_BARS == PHRASE_BARS - 1 or last_of_section):
            level += 0.2  # the breakdown's last bar lifts into the peak (a short breakdown's too)
        if label == "intro" and position >= 2:
            level += 0.08
        if index in shape.rising:  # a short piece's one phrase comes in at a verse's level and grows into itself
            level = min(level, SECTION_LEVEL["verse"] + RISING_STEP * (index - min(shape.rising)))
        if video is not None:
            level = (1 - VIDEO_WEIGHT) * level + VIDEO_WEIGHT * video[index]
        level = min(1.0, max(0.0, level + 0.08 * spec.arousal))
        parts = set(SECTION_PARTS[label])
        if index in shape.rising:
            parts &= SECTION_PARTS["verse"]  # the layers the phrase adds to a verse join in its third bar
        if label == "intro" and position >= 2 and len(starts) >= 16:
            parts |= {"bass", "drums"}  # a long intro grows: bass and a light beat join in its second half
        if label == "outro" and (position == 0 or style.drums in BAND_TO_THE_END):
            parts.add("drums")
        if label == "outro" and style.drums in BAND_TO_THE_END:
            level = max(level, SECTION_LEVEL["chorus"])
        if label == "breakdown" and position > 0 and style.drums in HATS_THROUGH_BREAKDOWN:
            parts.add("drums")
        lead = _lead_role(label, position % PHRASE_BARS, index, speech[index], solo=solos)
        if feel == "build":
            lead = "rest"  # the build belongs to the riser and the snare; the tune comes back on the drop
            parts -= {"counter", "guitar", "arp", "extra"}  # thinned, so the drop lands everything at once
        shift = shape.shifts[index]
        home = (character.tonic + shift) % 12
        if label == "intro" and position < 2:
            parts.add("bass")  # the opening tonic with its root in the bass: the key stated before anything else
        the_chord = chord(numeral, shift)
        # a piece under 16 bars has one or two phrases to tell its key in: the pedal comes back in their third bar
        # (folk's ii-V-iii-ii, twice over a pedal on the first bar only, was heard in the key of its dominant)
        # and a club track's hooks and drops, whose loops never touch I, hold it under both halves of each phrase
        pedal_at = (0, 2) if len(starts) < 16 or (club and label in ("chorus", "peak")) else (0,)
        # the intro's second bar is the genre's first colour chord over the tonic still held in the bass
        pedal_here = position % PHRASE_BARS in pedal_at or coloured_intro
        # a chorus that leaves the verse's colours leaves its tonic pedal too: the bass moves with the chorus's roots
        # (a 30 s pop peak over a G pedal on every other bar sounded the verse's G under its own IVmaj7 and iii7)
        pedal_here = pedal_here and not (style.contrasting_chorus and label in ("chorus", "peak"))
        # a club drop lands on the tonic in the bass (electronic's drop loops, vi-IV-ii-bVII, never touch I: eight bars
        # of them were heard in the key of IV)
        lands = feel == "normal" or (feel == "drop" and club)
        # a power chord (root and fifth, no third) whose fifth or root is the leading tone stands a major seventh over
        # the pedal: a rock guitar's iii over the tonic grinds (B5 over G1 for 3-4 beats: a listening critique)
        grinds = style.comping == Comping.POWER and LEADING_TONE in {
            (the_chord.root - home) % 12,
            (the_chord.root + 7 - home) % 12,
        }
        pedal = home if pedal_here and the_chord.root != home and lands and not grinds else None
        bars.append(Bar(index, start, min(BEATS_PER_BAR, final - start), the_chord, level, label, section_start,
                        False, frozenset(parts), lead, position % PHRASE_BARS, feel, shift, pedal))  # fmt: skip
    _ration_lead(bars, solos=solos)
    last_shift = bars[-1].shift if bars else 0
    _close(bars, cadence, lambda numeral: chord(numeral, last_shift))
    for i in range(len(bars) - 1):
        if bars[i + 1].section_start and bars[i + 1].section != bars[i].section:
            bars[i] = replace(bars[i], fill=True)
    if bars and bars[-1].section == "outro" and style.drums in BAND_TO_THE_END:
        bars[-1] = replace(bars[-1], fill=True)  # the drummer drives into the last chord
    return Form(tuple(bars), final, chord(cadence[2], last_shift), tempo, shape.name)


def _lead_role(label: str, position: int, index: int, speech: float, *, solo: bool = False) -> str:
    """The lead's part in the bar: it asks (bars 1-2 of a phrase) and answers (bars 3-4); in verses the
    counter-line answers instead (a soloist's verse plays on into the third bar), and a chorus leaves its last bar
    to breathe. It never plays in the first two bars, in intros, breakdowns, bridges and outros, or over speech."""
    if index < 2 or speech > SPEECH_SHARE or label in ("intro", "breakdown", "bridge", "outro"):
        return "rest"
    if label == "verse" and solo:
        return "question" if position < 2 else ("answer" if position == 2 else "rest")
    if label == "verse":
        return "question" if position < 2 else "rest"
    if label == "chorus" and position == 3:
        return "rest"
    return "question" if position < 2 else "answer"


LEAD_SHARE_MAX = 2 / 3  # the lead rests in at least a third of the bars, whatever the form


def _ration_lead(bars: list[Bar], *, solos: bool = False) -> None:
    """A form with a chorus up front and a long peak could give the lead most bars; it gives back verse bars
    (their second bar first), then the answering bars of choruses, until it rests in a third of the piece. Where
    the verses are solos (the head form), the tune's answering bars go first: a solo cut short is no solo."""
    allowed = math.floor(LEAD_SHARE_MAX * len(bars))
    playing = [b.index for b in bars if b.lead != "rest"]
    order = sorted(playing, key=lambda i: ((bars[i].section == "verse") == solos, -bars[i].phrase_bar, -i))
    for i in order[: max(0, len(playing) - allowed)]:
        bars[i] = replace(bars[i], lead="rest")


def _speech_share(spec: MusicSpec, start: float, end: float) -> float:
    if not spec.speech_s or end <= start:
        return 0.0
    covered = sum(max(0.0, min(end, b) - max(start, a)) for a, b in spec.speech_s)
    return covered / (end - start)


def _close(bars: list[Bar], cadence: tuple[str, str, str], chord: Callable[[str], Chord]) -> None:
    """The last bar leads into the final chord; the bar before it prepares it, so no chord sounds twice."""
    if not bars:
        return
    dominant = chord(cadence[1])
    bars[-1] = replace(bars[-1], chord=dominant, pedal=None)  # the cadence's bass moves: V-I (or IV-I) lands
    if len(bars) >= 2 and bars[-2].chord.root == dominant.root:
        bars[-2] = replace(bars[-2], chord=chord(cadence[0]), pedal=None)
