"""How the parts are mixed: their levels, their buses (each with its EQ), what each sends into the one reverb,
the master chain, and the piece's dynamic arc.

A band is mixed this way rather than with one reverb on everything: bass and kick stay dry and centred, the
reverb's return is high-passed so the low end stays clear, and the lead gets its own echo. The loudness arc
(quiet intro and breakdown, full peak) is a gain curve drawn from the sections, applied after compression so
the compressor cannot flatten it. stream.py runs these a block at a time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from free_music_ai.engine.dsp.chain import Beside, Chain, Effect, Gain, Saturation, Width
from free_music_ai.engine.dsp.dynamics import Compressor
from free_music_ai.engine.dsp.echo import Chorus, Echo
from free_music_ai.engine.dsp.eq import Section, high_shelf, highpass, low_shelf, peaking
from free_music_ai.engine.dsp.reverb import Impulse, impulse_response
from free_music_ai.engine.grid_lines import grid_lines
from free_music_ai.engine.loudness import integrated_lufs
from free_music_ai.engine.music.added_instruments import ADDED_OF_PART
from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.music.families import part_in
from free_music_ai.engine.music.genres import STYLES
from free_music_ai.engine.music.level_reference import envelope_spans, rise_spans
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.music.timed import mode_bars
from free_music_ai.engine.soundfont.events import NoteEvent

if TYPE_CHECKING:
    from free_music_ai.engine.soundfont.synth import Synthesizer

PART_LEVELS = {"drums": 0.95, "kick": 0.95, "bass": 0.9, "keys": 0.75, "lead": 0.6, "pad": 0.55, "guitar": 0.55,
               "arp": 0.42, "choir": 0.5, "brass": 0.55, "counter": 0.5, "hits": 0.7, "strings": 0.45}  # fmt: skip
# an added instrument ("add some strings") sits this much lower in genres whose keys carry the piece alone or nearly
ADDED_QUIETER_DB = {Genre.PIANO: -2.0, Genre.JAZZ: -2.0, Genre.AMBIENT: -2.0}
HELD_S = 2.0  # how long a note's energy is counted: a held chord, a bar at a moderate tempo
# everything else shares the "music" bus; the kick has its own, dry and centred like the bass
BUS_OF_PART = {"drums": "drums", "kick": "kick", "bass": "bass", "lead": "lead"}
SENDS = {"drums": 0.12, "kick": 0.0, "bass": 0.0, "lead": 1.25, "music": 1.0}  # how much of each bus the reverb hears
RETURN_HIGHPASS_HZ = 280.0
MUSIC_SIDE_DB = 4.5  # the band's keys, pads and guitars a little wider (jazz and rock sat 12-13 dB side under mid)
# a combo with no pad and no guitar layer: its piano is all the width it has (jazz's side sat 9.5-12.5 dB under its
# mid over seeds 1-12, the walking bass and the vibraphone in the middle), so it is spread as a stereo piano is
# a solo grand is one instrument: its stereo samples are all the width it has (widened with the band's, its channels
# correlated 0.17-0.31: washed, a listening critique)
MORE_SIDE_DB = {Genre.JAZZ: 2.0, Genre.PIANO: -MUSIC_SIDE_DB}
CHORUS_RETURN = 0.5  # the chorus return's level: a font's 10-15 % send is a shimmer, not a second instrument
ARC_RANGE_DB = 5.5  # the quietest section sits this far below the peak
# calm genres: their final chord not raised over the outro, and a louder section swelled into over up to SWELL_S
# before it (ambient's peak came in as a step: the loudness of one second 12-13 dB over the second before)
SETTLING_ENDINGS = frozenset({Genre.AMBIENT, Genre.PIANO})
SWELL_S = 4.0
# an acoustic guitar as a record has it, its box taken down and its strings lifted (centre Hz, dB, Q): the font's steel
# guitar held 51-56 % of its energy at 200-500 Hz and 0.3-0.7 % over 5 kHz, a folk mix's 2-4 kHz octave 10 dB under
# its 250-500 Hz one (a listening critique: dull and boxy)
GUITAR_BAND_EQ = {genre: ((320.0, -3.0, 0.9), (3200.0, 3.0, 0.8)) for genre in (Genre.FOLK, Genre.ACOUSTIC)}
ARC_STEP = 480  # the arc's gain is computed every 10 ms and interpolated: its ramps last half a second
# the asked moments (moments.py): a build pulled back this far over the 2.5 s before it starts (it then rises to
# full level at its peak: 4 dB and more of short-term loudness over its last 8 s), a quiet stretch lowered this far
BUILD_DIP_DB, BUILD_SETTLE_S, BUILD_LOW_S = 9.0, 1.0, 2.5
QUIET_DB, QUIET_RAMP_S = 9.0, 0.4
# a lifted stretch ("a more energetic second half") plays fuller and its parts but the drums this much over the arc:
# 1 dB more beside drums, whose peaks are not raised (lift_envelopes), so the lift is heard as much (a lifted acoustic
# half gained 1.0 LU on the piece unasked with 2.5 dB, 1.4 with 3.5; a lifted solo piano, with no drums, gained 5.5
# and its limiter's bite grew from 3.6 to 4.5 dB with 3.5). Hip-hop's grooves (drum_grooves.py) with their busiest
# bar on each phrase's last: its lifted halves gained 1.9-2.6 LU with 3.5 dB, 2.1-2.7 with 4 (seeds 5-7)
LIFT_DB, LIFT_BESIDE_DRUMS_DB = 2.5, 4.0
# hip-hop's beat stands in front of its loop (Style.part_db), which leaves the band less of the loudness the lift
# raises: a Rhodes or an organ under its drums gained 1.64-1.71 LU with 4 dB on seed 5, 2.05 with 5 (the limiter's
# bite in those halves 3.0-3.3 dB, under the piano's 4.0). Jazz's and r&b's drums stand up only to be heard at all.
LIFT_BESIDE_DRUMS_OF: dict[Genre, float] = {Genre.HIPHOP: 5.0}
# a silent stretch: what still rings where it starts (release tails, reverb) fades over a quarter second, as a
# played stop would; the level is back just before the music's first note after it
SILENT_DB, SILENCE_FADE_S, SILENCE_RETURN_S = 100.0, 0.25, 0.03
CHANGE_TAIL_S = 2.0  # a stretch asked louder or quieter still sounds in the level of what follows it for this long
FADE_SHARES = (0.0, 0.25, 0.5, 0.7, 0.85, 0.95, 1.0)  # points of a fade even in amplitude, drawn in dB
LOFI_TOP_HZ, LOFI_TOP_DB = 3500.0, -6.0  # lo-fi's top: soft but present (a low-pass made it 30 dB under the body)
ECHO_GENRES = (Genre.POP, Genre.EDM, Genre.CORPORATE, Genre.RNB, Genre.TRAP, Genre.AMBIENT, Genre.LOFI)


def part_levels(composition: Composition, synth: Synthesizer) -> dict[str, float]:
    """Each part's level in the mix. A tune given to another instrument (the spec's ``instruments``) is
    brought to the level the genre's own lead has: a font voices its instruments at very different loudness
    (the bundled font's flute is 9 dB over its piano in a note's first half second), and the tune must still
    give way to the voice."""
    # the genre's own lead is the one its level is set for; another (the user's, or the one a seed drew) is matched
    usual = STYLES[composition.genre].programs
    chosen = composition.spec.instruments.get("lead", composition.style.programs.get("lead"))
    own = usual.get("lead")
    lead = PART_LEVELS["lead"] * 10.0 ** (LEAD_LEVEL_DB.get(composition.genre, 0.0) / 20.0)
    if chosen is not None and own is not None and chosen != own:
        lead *= _played_ratio(synth, own, chosen, composition, "lead", composition.style.lead_centre)
    levels = PART_LEVELS if lead == PART_LEVELS["lead"] else {**PART_LEVELS, "lead": lead}
    programs, asked = composition.style.programs, composition.spec.instruments
    # a part whose instrument the font voices far from the rest of the band; not when another one plays it
    moved = {part: db for part, db in composition.style.part_db.items() if asked.get(part, programs.get(part)) ==
             usual.get(part)}  # fmt: skip
    levels = _moved(levels, moved)
    levels = {**levels, **_drawn_levels(composition, synth, levels)}
    added = (
        ADDED_KIT_DB.get(composition.genre, 0.0)
        if composition.spec.drums and composition.style.drums == "none"
        else 0.0
    )
    if composition.spec.drums_db or added:  # "less drums", "more drums"; a kit asked where the genre has none
        levels = _moved(levels, dict.fromkeys(DRUM_LEVEL_PARTS, composition.spec.drums_db + added))
    levels = {**levels, **_added_levels(composition, synth, levels)}
    for family, db in composition.spec.instruments_db.items():  # "make the piano louder": the parts it plays
        levels = _moved(levels, {part: db for part, program in {**programs, **asked}.items()
                                 if part_in(part, program, family)})  # fmt: skip
    return levels


MATCHED_NOTES = 12
# parts a seed may draw another instrument for, matched to the genre's own
MATCHED_WHEN_DRAWN = ("keys", "bass", "counter")


def _played_ratio(synth: Synthesizer, own: int, other: int, composition: Composition, part: str, key: int) -> float:
    """The gain that brings ``part`` played by ``other`` to its level played by ``own`` (the genre's instrument for
    it): its first notes as the piece plays them, on each (one note at ``key`` where it plays none). One note's onset,
    at the genre's centre, left a flute or a saxophone that holds its notes where the electric piano's die away, in
    the register the tune really plays, 2.5 dB over the piano's tune against the rest of a hip-hop band, and a Rhodes
    level with the tune its piano stood 2-3 dB under."""
    moved = opening_notes(composition.events, part)
    if not moved:
        return _level_ratio(synth, own, other, key)
    levels = [_loudness(synth.render([replace(event, program=program, expression=1.0) for event in moved]), synth.rate)
              for program in (own, other)]  # fmt: skip
    return min(LEAD_MATCH_MAX, max(1 / LEAD_MATCH_MAX, float(10.0 ** ((levels[0] - levels[1]) / 20.0))))


def opening_notes(events: Sequence[NoteEvent], part: str) -> list[NoteEvent]:
    """The first MATCHED_NOTES notes ``part`` plays, moved to start at 0 and centred: what a level is matched on."""
    played = sorted((event for event in events if event.part == part), key=lambda e: e.start_s)[:MATCHED_NOTES]
    start = played[0].start_s if played else 0.0
    return [replace(event, start_s=event.start_s - start, pan=0.0) for event in played]


def _loudness(audio: np.ndarray, rate: int) -> float:
    """As loud as a listener hears it (BS.1770, which weighs a saxophone's 2-5 kHz over a vibraphone's ring): by
    the RMS, a tenor drawn for jazz stood 2.5-3 dB further over the band in 600-5000 Hz than its vibraphone had."""
    lufs = integrated_lufs(audio, rate) if len(audio) else float("-inf")
    return lufs if math.isfinite(lufs) else -120.0


def _drawn_levels(composition: Composition, synth: Synthesizer, levels: dict[str, float]) -> dict[str, float]:
    """Keys, a bass or a counter-line the seed gave another of its genre's instruments (Style.choices) at the level
    the genre's own has on the same first notes (``_played_ratio``; electronic's piano, unmatched, stood 2.5 dB under
    its saw in the mix, and its lead over the chords: 0.7 dB over the loudest accompaniment at 120 s; rock's finger
    bass 3 dB over its picked one, the loudest stem). An arp's or a pad's notes ring into each other: they keep the
    font's level (matched by the onset, a crystal arp stood 3.5 dB over the saw's)."""
    matched: dict[str, float] = {}
    for part in MATCHED_WHEN_DRAWN:
        own, drawn = STYLES[composition.genre].programs.get(part), composition.style.programs.get(part)
        if own is None or drawn is None or drawn == own or part in composition.spec.instruments or part not in levels:
            continue
        centre = sum(composition.style.register(part)) // 2
        # where the genre's own sits in the mix, with the move its font needs (trap's music box +10 dB): matched to
        # the music box without it, trap's drawn harp stood 9-12 dB under the band in its own range (a listening check)
        moved = 10.0 ** (STYLES[composition.genre].part_db.get(part, 0.0) / 20.0)
        matched[part] = levels[part] * moved * _played_ratio(synth, own, drawn, composition, part, centre)
    return matched


def _added_levels(composition: Composition, synth: Synthesizer, levels: dict[str, float]) -> dict[str, float]:
    """The level of each instrument added to the piece ("add some strings"): its ``under_keys_db`` under the piece's
    own harmony part (its keys, else its pad or guitar) in the energy the two play (a fixed level put solo piano's
    added strings over its piano and lo-fi's added bells 22 dB under its keys; one note's level each still had held
    strings 8 dB over a piano's decaying chords)."""
    parts = {event.part for event in composition.events if event.part in ADDED_OF_PART}
    programs = {**composition.style.programs, **composition.spec.instruments}
    own = next((part for part in ("keys", "pad", "guitar", "lead") if part in programs), None)
    if not parts or own is None:
        return {}
    reference = _played_energy(composition, synth, own, programs[own])
    moved: dict[str, float] = {}
    for part in parts:
        added = ADDED_OF_PART[part]
        ratio = math.sqrt(reference / max(1e-12, _played_energy(composition, synth, part, added.program)))
        under = added.under_keys_db + ADDED_QUIETER_DB.get(composition.genre, 0.0)
        moved[part] = levels.get(own, PART_LEVELS["keys"]) * min(LEAD_MATCH_MAX, max(1 / LEAD_MATCH_MAX, ratio)) * (
            10.0 ** (under / 20.0))  # fmt: skip
    return moved


def _played_energy(composition: Composition, synth: Synthesizer, part: str, program: int) -> float:
    """What ``part`` puts into the mix before its level: its notes' lengths (up to HELD_S) and velocities, with
    the energy per second of a held note of ``program`` at its middle key (a piano's decays, a string's holds)."""
    events = [event for event in composition.events if event.part == part]
    if not events:
        return 0.0
    key = sorted(event.key for event in events)[len(events) // 2]
    audio = synth.render([NoteEvent(0.0, HELD_S, key, 90, program=program)])[: round(HELD_S * synth.rate)]
    per_second = float(np.mean(np.square(audio, dtype=np.float64))) if len(audio) else 0.0
    return per_second * sum(min(event.duration_s, HELD_S) * (event.velocity / 90) ** 2 for event in events)


def _moved(levels: dict[str, float], moves_db: dict[str, float]) -> dict[str, float]:
    """``levels`` with each part in ``moves_db`` moved by its dB."""
    if not moves_db:
        return levels
    return {**levels, **{part: levels.get(part, 1.0) * 10.0 ** (db / 20.0) for part, db in moves_db.items()}}


DRUM_LEVEL_PARTS = ("drums", "kick")
# a kit asked for ("add drums") where the genre has none sits under it: a listening review heard solo piano's added
# kit 5.6 dB over the piano (a genre's own kit sits 3-9 dB under its band), ambient's 3-4 dB under it but bright
ADDED_KIT_DB = {Genre.PIANO: -11.0, Genre.AMBIENT: -3.0}


# The tune's level against the genre's usual, where the lead against the rest of the mix in 600-5000 Hz (in the
# bars it plays) sat outside issue 27's 6 dB: hip-hop's electric piano 10 dB under, the solo piano's tune 7 dB
# over its own accompaniment, pop's marimba 5-6.5 dB under, jazz's vibraphone 1-14 dB under (music_report, two
# seeds and the mood pieces)
# On MuseScore_General (the band's font since): trap's flute 6.0-6.5 dB over the band, corporate's guitar 6.1 under,
# jazz's vibraphone 6.2 over, cinematic's horn 0.1 dB over its loudest accompaniment; jazz's vibraphone -0.9 to +6.9 dB
# over seeds 1-12 (three over 6), a dB less since
# Suspense's celesta or music box, high and sparse, sat 7-11 dB under its strings (seeds 1-6): a listener lost it.
# Electronic's saw lead stood 3.3-3.8 dB under its piano's or electric piano's chords in the drop (4.6-8.1 dB under
# its loudest accompaniment): the hook of a club track is in front. Corporate's drawn mallets stood up to 1.2 dB over
# its loudest accompaniment (its arpeggio no longer climbing over the tune, its pad 2 dB down): -0.5. Cinematic's horn
# sits between two rules: at -0.5 the epic mood's stood 6.2 dB under its orchestra in 600-5000 Hz, at 0 seeds 1 and 3
# 0.1 dB under their loudest accompaniment. Jazz's bass drum feathered under its ride (6 dB down), the tune stood 0.3 dB
# over its loudest accompaniment left (seed 1): 1.5
# Rock's overdriven lead stood 2.0-3.8 LU under its wall of guitars, 6.6-7.5 dB under its loudest accompaniment: +3;
# then at the peak still 0.1-2.6 LU under them (pyloudnorm per section, seeds 1, 2 and 5; a listening critique): +5
# Lo-fi's tune stood 9-10 LU under the band (pyloudnorm on the stems), 5 under its chords: +2, its chords under it
# Hip-hop's loop nearer the middle (-0.25) lost 0.2 dB of its stem against the tune, which then stood 0.1 dB over it
# (seed 3): 4.5, from 5
# A pianist voices the tune over the left hand: at -2.5 the solo piano's peak theme stood 1.7-3.7 LU under its own
# accompaniment (pyloudnorm on the stems, seeds 1-4; a listening critique), the climax's theme quieter than the
# opening's; at -1 it stands -1.9 to -0.2 against it, over the whole piece still under it (the report's rule).
# Louder, its top stood over the band's by more than issue 27's 6 dB in 600-5000 Hz (the sad mood's piece: 6.3 at
# -0.5), and at +1 a tune on the fifth (seed 3, F major, its hook on C5) had the spectrum's key finder hear C major
# Ambient's piano moved under its tune (genres.py) took its top out of 600-5000 Hz, and the calm mood's tune stood
# 6.7 dB over the band there (issue 27's limit 6): -1.5
LEAD_LEVEL_DB = {Genre.HIPHOP: 4.5, Genre.AMBIENT: -1.5, Genre.PIANO: -1.0, Genre.POP: 2.0, Genre.JAZZ: 1.5,
                 Genre.TRAP: -1.5, Genre.CORPORATE: -0.5, Genre.CINEMATIC: -0.25, Genre.SUSPENSE: 4.0, Genre.EDM: 3.0,
                 Genre.ROCK: 5.0, Genre.LOFI: 2.0}  # fmt: skip
LEAD_MATCH_MAX = 8.0  # at most 18 dB either way: a font whose sample is all but silent is not boosted to noise


def _level_ratio(synth: Synthesizer, own: int, other: int, key: int) -> float:
    """The gain that brings ``other``'s note at ``key`` to ``own``'s level (``_note_level``), within LEAD_MATCH_MAX."""
    ratio = _note_level(synth, own, key) / max(1e-9, _note_level(synth, other, key))
    return min(LEAD_MATCH_MAX, max(1 / LEAD_MATCH_MAX, ratio))


def _note_level(synth: Synthesizer, program: int, key: int) -> float:
    """The RMS of the first half second of a note of ``program`` at ``key``: its onset and early body, by which
    a listener judges a plucked note and a bowed or blown one alike (over a whole second a harp has faded and
    a slow pad has barely begun)."""
    audio = synth.render([NoteEvent(0.0, 1.0, key, 90, program=program)])[: synth.rate // 2]
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if len(audio) else 0.0


def group_of(bus: str) -> str:
    """The kind of bus a bus (or a part's own stem bus) is: drums, bass, lead or the shared music bus."""
    return bus if bus in SENDS else BUS_OF_PART.get(bus, "music")


def send_amount(group: str, composition: Composition) -> float:
    """How much of a bus the reverb hears; lo-fi drums sit in a small room, not dry in front."""
    if group == "drums" and composition.style.colour == "lofi":
        return 0.4
    return SENDS.get(group, 1.0)


def bus_routing(parts: set[str], stems: bool) -> dict[str, str]:
    """Which bus each part plays into: its own for stems, else the four buses of the mix."""
    return {part: part if stems else BUS_OF_PART.get(part, "music") for part in parts}


def bus_board(group: str, composition: Composition, rate: int, *, start: int) -> Effect | None:
    """A bus's own effects (new ones for each stretch: an effect keeps its state), or None. ``start`` is the
    sample the stretch's first block begins at (the lead's chorus swings on the piece's clock)."""
    if group == "bass":
        return Chain([highpass(32, rate)])
    if group == "lead":
        effects: list[Effect | Section] = [highpass(200, rate)]
        if composition.genre in ECHO_GENRES:  # a dotted-eighth echo, quiet, as produced leads have
            effects.append(Echo(0.75 * 60.0 / composition.bpm, feedback=0.28, mix=0.18, rate=rate))
        if composition.genre in (Genre.EDM, Genre.TRAP, Genre.POP):
            effects.append(Chorus(0.8, centre_s=0.007, depth_s=0.0015, mix=0.3, rate=rate, start=start))
        return Chain(effects)
    if group == "music":
        low = 70 if composition.genre in (Genre.CINEMATIC, Genre.ORCHESTRAL, Genre.SUSPENSE, Genre.PIANO) else 110
        stages: list[Effect | Section] = [highpass(low, rate)]
        if composition.genre in GUITAR_BAND_EQ:
            stages += [peaking(hz, db, rate, q=q) for hz, db, q in GUITAR_BAND_EQ[composition.genre]]
        return Chain([*stages, Width(MUSIC_SIDE_DB + MORE_SIDE_DB.get(composition.genre, 0.0))])
    return None


def reverb_impulse(composition: Composition, rate: int) -> Impulse:
    """The reverb's impulse (fully wet, for the send), its return high-passed and its top above 12 kHz rolled off:
    made once for a piece, when a stretch first needs it; each stretch plays through its own ``ConvolutionReverb``
    of it."""
    room = composition.style.room
    return Impulse(
        lambda: impulse_response(room, 0.5, rate, return_highpass_hz=RETURN_HIGHPASS_HZ, return_lowpass_hz=12_000.0)
    )


def chorus_return_board(rate: int) -> Effect:
    """The chorus return's EQ (the chorus itself is colour.chorus_block): high-passed like the reverb's."""
    return Chain([highpass(RETURN_HIGHPASS_HZ, rate)])


def bus_sends(buses: set[str], composition: Composition) -> dict[str, float]:
    """How much of a typical voice each bus sends to the reverb (the font's own send scales it per voice)."""
    return {bus: send_amount(group_of(bus), composition) for bus in buses}


def master_board(composition: Composition, rate: int) -> Effect:
    """Genre colour, EQ and gentle compression on the whole mix."""
    style, character = composition.style, composition.character
    stages: list[Effect | Section] = [highpass(32, rate),
                                      low_shelf(180, 1.5 if style.colour == "lofi" else 0.5, rate)]  # fmt: skip
    if style.colour == "lofi":  # only lo-fi wants its top softened, like a worn tape: lowered, not cut away
        stages += [high_shelf(LOFI_TOP_HZ, LOFI_TOP_DB + 3 * character.brightness, rate), Saturation(5)]
    if style.air_db:  # air for fonts whose samples stop short of the top octave: a shelf and an exciter
        excite = Chain([highpass(2500, rate), Saturation(18), highpass(5000, rate), Gain(style.air_db - 30)])
        stages += [high_shelf(6000, style.air_db / 2, rate), Beside(excite)]
    stages.append(Compressor(threshold_db=-18, ratio=1.8, attack_s=0.025, release_s=0.2, rate=rate))
    return Chain(stages)


def arc_points(composition: Composition) -> tuple[list[float], list[float]]:
    """The arc as (time, dB) points: each bar's level from its energy, ramped over up to half a second (a calm
    piece's rise over the bar before)."""
    form = composition.form
    times = [form.tempo.time_of(bar.start) for bar in form.bars] + [composition.final_chord_s]
    levels = [ARC_RANGE_DB * (min(1.0, bar.energy) - 1.0) for bar in form.bars]
    if not levels:
        return [0.0], [0.0]
    # the final chord is struck, not whispered; a calm piece's settles at its outro's level
    levels.append(levels[-1] if composition.genre in SETTLING_ENDINGS else max(levels[-1], -ARC_RANGE_DB * 0.5))
    points_t: list[float] = [times[0]]
    points_db: list[float] = [levels[0]]
    swells = composition.genre in SETTLING_ENDINGS
    for k in range(1, len(levels)):
        if swells and levels[k] > levels[k - 1]:  # a calm piece swells into a louder section over the bar before it
            swell = min(SWELL_S, times[k] - points_t[-1])
            points_t += [times[k] - swell, times[k]]
        else:
            ramp = min(0.5, 0.5 * (times[k] - times[k - 1]))
            points_t += [times[k], times[k] + ramp]
        points_db += [levels[k - 1], levels[k]]
    return points_t, points_db


Spans = tuple[tuple[float, float], ...]


def moment_envelopes(moments: Moments, stops: Spans | None = None, lifts: Spans | None = None, *,
                     lift_db: float = LIFT_DB) -> list[tuple[list[float], list[float]]]:  # fmt: skip
    """The mix's share of the asked moments, as (time, dB) envelopes added to the arc: a build is pulled back at
    its start and rises to full level at its peak (with its bars' riser and snare roll, timed.py); a quiet
    stretch is lowered, with short ramps either side; a silent one is silence, its notes taken out (timed.py)."""
    envelopes: list[tuple[list[float], list[float]]] = []
    for build in moments.builds:
        # pulled back over the seconds before it starts (a breakdown), so its rise is heard from low to full
        low_from = max(0.0, build.start_s - BUILD_LOW_S)
        envelopes.append(([low_from - BUILD_SETTLE_S, low_from, build.start_s, build.peak_s],
                          [0.0, -BUILD_DIP_DB, -BUILD_DIP_DB, 0.0]))  # fmt: skip
    for first, last in moments.quiet_s:
        ramp = min(QUIET_RAMP_S, 0.25 * (last - first))
        envelopes.append(([first - ramp, first, last, last + ramp], [0.0, -QUIET_DB, -QUIET_DB, 0.0]))
    for first, last in moments.lifted_s if lifts is None else lifts:  # up from its start, where the drop lands
        ramp = min(QUIET_RAMP_S, 0.25 * (last - first))
        envelopes.append(([first, first + ramp, last, last + ramp], [0.0, lift_db, lift_db, 0.0]))
    for first, last in moments.silent_s if stops is None else stops:  # the stops as played, when they are known
        fade = min(SILENCE_FADE_S, 0.5 * (last - first))
        back = min(SILENCE_RETURN_S, 0.25 * (last - first))
        # what rings fades as a hand on the strings would, evenly in amplitude (a fade even in dB is all but gone
        # in its first 50 ms, a mute button), to silence at its end
        times = [first + share * fade for share in FADE_SHARES] + [last - back, last]
        levels = [max(-SILENT_DB, 20.0 * math.log10(max(1e-9, 1.0 - share))) for share in FADE_SHARES]
        envelopes.append((times, [*levels, -SILENT_DB, 0.0]))
    return envelopes


def arc_envelopes(composition: Composition) -> list[tuple[list[float], list[float]]]:
    """The arc and then the asked moments' envelopes but the lifts', as (time, dB) points: drawn once for a piece,
    read a block at a time (``arc_gain``)."""
    moments = composition.spec.moments.within(composition.spec.duration_s)
    return [arc_points(composition), *moment_envelopes(moments, composition.silent_s, lifts=())]


def lift_envelopes(composition: Composition) -> list[tuple[list[float], list[float]]]:
    """The lifts' envelopes, as (time, dB) points: they raise every part but the drums (stream.py), whose peaks,
    raised with the rest, had the final limiter take 5-10 dB off each kick and snare of a lifted hip-hop or
    electronic stretch (against 2-5 dB in the same bars unlifted): the drop flattened, not lifted."""
    beside = LIFT_BESIDE_DRUMS_OF.get(composition.genre, LIFT_BESIDE_DRUMS_DB)
    lift_db = beside if any(event.drum for event in composition.events) else LIFT_DB
    return moment_envelopes(Moments(), stops=(), lifts=composition.lifted_s, lift_db=lift_db)


@dataclass(frozen=True)
class AskedLevels:
    """What a piece's asked moments did to its level, as played (level_reference.py): the spans an estimate of
    its nominal loudness leaves out (quiet stretches, stops, builds' pull-backs, the drums out), its lifts'
    envelopes, and every span the moments changed (those, the lifts and the bars they rise over)."""

    apart: list[tuple[float, float]]
    raised: list[tuple[list[float], list[float]]]
    changed: list[tuple[float, float]]

    @property
    def any(self) -> bool:
        return bool(self.changed)


def asked_levels(composition: Composition) -> AskedLevels:
    moments = composition.spec.moments.within(composition.spec.duration_s)
    lowered = envelope_spans(moment_envelopes(moments.model_copy(update={"lifted_s": []}), composition.silent_s,
                                              lifts=()))  # fmt: skip
    lowered += [*moments.drumless_s, *((a, b) for _, a, b in moments.families_out_s)]  # the drums or others out
    if moments.drums_from_s is not None:
        lowered.append((0.0, moments.drums_from_s))
    raised = lift_envelopes(composition)
    downbeats = [composition.form.tempo.time_of(bar.start) for bar in composition.form.bars]
    lifted = [*envelope_spans(raised), *rise_spans(composition.lifted_s, downbeats)]
    # what rings on after a changed stretch (its ramp, its reverb's tail) is changed too
    apart = [(first, last + CHANGE_TAIL_S) for first, last in lowered]
    tempo = composition.form.tempo  # in another mode: other notes at the piece's level, from bar line to bar line
    other_notes = [(tempo.time_of(a), tempo.time_of(b))
                   for _, a, b in mode_bars(composition.form, moments, composition.character.mode)]  # fmt: skip
    return AskedLevels(apart, raised, [*apart, *((first, last + CHANGE_TAIL_S) for first, last in
                                                 [*lifted, *other_notes])])  # fmt: skip


def arc_gain(envelopes: list[tuple[list[float], list[float]]], start: int, length: int, *, rate: int) -> np.ndarray:
    """The gain of ``arc_envelopes`` for samples [start, start + length): the arc, the asked moments' added."""
    (points_t, points_db), *moments = envelopes
    coarse_at = np.arange(start - start % ARC_STEP, start + length + 2 * ARC_STEP, ARC_STEP, dtype=np.float64)
    level_db = np.interp(coarse_at / rate, points_t, points_db)
    for times, levels in moments:
        level_db += np.interp(coarse_at / rate, times, levels)  # 0 dB outside each envelope
    coarse = 10.0 ** (level_db / 20.0)
    return grid_lines(coarse, ARC_STEP, skip=start % ARC_STEP, length=length).astype(np.float32)
