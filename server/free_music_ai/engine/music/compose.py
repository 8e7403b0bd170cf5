"""Compose: a music spec in, timed note events out, with the beat grid and the decisions made on the way."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from free_music_ai.engine.music.added_instruments import ADDED_PARTS, Band, only_where_asked, with_added
from free_music_ai.engine.music.drum_grooves import groove_of
from free_music_ai.engine.music.families import Family, plays_in
from free_music_ai.engine.music.form import Bar, Form, plan_form
from free_music_ai.engine.music.genres import Style, choose_genre, style_of, tune_centre
from free_music_ai.engine.music.hook import CELLS, HOOK_VELOCITY, VERSE_VELOCITY, hook_phrase, new_tune
from free_music_ai.engine.music.hook_cells import GENRE_CELLS
from free_music_ai.engine.music.humanize import PANS, perform
from free_music_ai.engine.music.instrument_ranges import in_reach, playable
from free_music_ai.engine.music.mood import Character, character_of
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_accents import cut_accents
from free_music_ai.engine.music.parts_drums import DROP_GAP_BEATS, GAPPED_BUILDS, FillCycle, build_runs, drum_bar
from free_music_ai.engine.music.parts_harmony import bass_bar, comp_bar, final_chord, pad_bar
from free_music_ai.engine.music.parts_melody import Motif, new_motif, phrase_notes
from free_music_ai.engine.music.playing_styles import BassStyle, Comping, DrumStyle
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.tempo_map import build_tempo_map
from free_music_ai.engine.music.texture import textured
from free_music_ai.engine.music.theory import key_name, scale_pitch_classes
from free_music_ai.engine.music.timed import (
    anchored_cuts,
    in_modes,
    lift_beats,
    louder,
    missed_hit_beats,
    shaped,
    silence_beats,
    silenced,
    without_early_drums,
    without_families_for,
)
from free_music_ai.engine.soundfont import NoteEvent

ALWAYS_PAD = (Genre.AMBIENT, Genre.CINEMATIC, Genre.ORCHESTRAL, Genre.SUSPENSE)
ONE_PLAYER = frozenset({Genre.PIANO})  # its tune and its chords are one player's two hands (_two_hands)


@dataclass(frozen=True)
class Composition:
    spec: MusicSpec
    genre: Genre
    style: Style
    character: Character
    form: Form
    notes: tuple[Note, ...]
    events: tuple[NoteEvent, ...]
    beats_s: tuple[float, ...]
    final_chord_s: float
    hits_s: tuple[float, ...] = ()  # the cuts a beat or an eighth lands on, each with an accent
    silent_s: tuple[tuple[float, float], ...] = ()  # the stops as played: the asked silences widened to the beats
    lifted_s: tuple[tuple[float, float], ...] = ()  # the lifts as played: a placed one from its bar line

    @property
    def key(self) -> str:
        return key_name(self.character.tonic, self.character.mode)

    @property
    def bpm(self) -> float:
        return round(self.form.tempo.bpm, 2)


def compose(spec: MusicSpec) -> Composition:
    rng = random.Random(spec.seed)
    genre = spec.genre or choose_genre(spec.valence, spec.arousal)
    style = style_of(genre, spec.seed)
    character = character_of(spec, style, rng)
    moments = spec.moments.within(spec.duration_s)  # what the user placed in time (timed.py)
    anchors = anchored_cuts(moments, spec.cuts_s, character.bpm)
    tempo = build_tempo_map(character.bpm, anchors, spec.duration_s, base_freedom=0.02 if spec.bpm else 0.10)
    if not all(any(abs(tempo.time_of(b) - t) < 0.005 for b in tempo.cut_beats) for t in moments.hits_s):
        tempo = build_tempo_map(
            character.bpm, moments.hits_s, spec.duration_s, base_freedom=0.10
        )  # the asked hits first
    planned = plan_form(spec, style, character, tempo=tempo, rng=rng)
    form = shaped(planned, moments)
    unshaped = rng.getstate() if form is not planned else None
    programs = {**style.programs, **spec.instruments}
    drums = DrumStyle.NONE if spec.drums is False else style.drums
    if spec.drums is True and drums == DrumStyle.NONE:  # "add drums" to a genre that has none: a soft kit
        drums = DrumStyle.PULSE if genre == Genre.AMBIENT else DrumStyle.FOLK
    notes = _write_parts(form, style, character, programs, drums, rng, spec.seed)
    # the head form's solos are traded: the pianist takes the second half, unless the user named the lead's instrument
    traded = "lead" not in spec.instruments
    notes += _melodies(list(form.bars), style, character, programs, character.velocity, spec.seed,
                       solo=form.name == "head", traded=traded, verse_theme=spec.verse_theme)  # fmt: skip
    playing = rng
    if unshaped is not None:
        # the bars the moments did not touch are written and played as in the piece unasked (a listener comparing
        # the two hears only what was asked, and its loudness is matched there: level_reference.py). The parts
        # draw from one random stream, part after part, so a changed bar moved every later part's notes, before
        # it too: the unasked piece's notes are kept outside the changed bars, and the player draws in time order
        # from the random state its parts left
        playing = random.Random()
        playing.setstate(unshaped)
        as_planned = _write_parts(planned, style, character, programs, drums, playing, spec.seed)
        as_planned += _melodies(list(planned.bars), style, character, programs, character.velocity, spec.seed,
                                solo=planned.name == "head", traded=traded, verse_theme=spec.verse_theme)  # fmt: skip
        notes = _spliced(as_planned, notes, planned, form)
    hits = [b for b in form.tempo.cut_beats if b < form.final_beat - 0.25]
    notes += cut_accents(hits, form, programs=programs, drums=drums, velocity=character.velocity, style=style)
    missed = missed_hit_beats(form, moments)  # an asked hit the grid could not land still sounds at its time
    notes += cut_accents(missed, form, programs=programs, drums=drums, velocity=character.velocity, style=style)
    tail_beats = form.tempo.beat_at(spec.duration_s) - form.final_beat
    notes += final_chord(form.final_beat, tail_beats, form.final_chord, programs=programs, velocity=character.velocity,
                         drums=drums != DrumStyle.NONE, style=style)  # fmt: skip
    if moments.end_hit:  # "end on a big hit": the final chord struck with a cut's accent, louder
        accent = louder(cut_accents([form.final_beat], form, programs=programs, drums=drums,
                                    velocity=character.velocity, style=style))  # fmt: skip
        # its crash and kick in place of the final chord's own (struck twice at once, one drum doubles in phase)
        struck = {(n.part, n.key) for n in accent if n.drum}
        notes = [n for n in notes if not (n.drum and n.beat == form.final_beat and (n.part, n.key) in struck)]
        notes += accent
    notes = textured(without_early_drums(notes, form, moments), form, spec.texture, velocity=character.velocity).notes
    band = Band(form, style.register("keys"), genre, tail_beats, notes)
    notes = with_added(
        band,
        added=spec.instruments_added,
        moments=moments,
        velocity=character.velocity,
        legato=character.legato,
        seed=spec.seed,
    )  # "add some strings", "add a choir at the end"
    stops = silence_beats(form, moments)
    notes = silenced(notes, stops)  # after the texture: a doubled part rests too
    comeback = [last for _, last in stops if last < form.final_beat - 0.25]  # the music back with an accent
    lifts = lift_beats(form, moments)
    comeback += [first for first, _, own in lifts if own]  # and a placed lift's drop
    notes += cut_accents(comeback, form, programs=programs, drums=drums, velocity=character.velocity, style=style)
    kept = without_families_for(_without_families(notes, frozenset(spec.instruments_out)), form, moments)
    kept = only_where_asked(kept, form, moments)
    # an instrument taken out is still played silently: the player's random draws stay in step, so every other
    # note plays as it did in the piece with it (before, the notes after a stretch without the piano moved)
    unheard = list((Counter(notes) - Counter(kept)).elements()) if len(kept) < len(notes) else []
    notes = _one_per_key(in_modes(kept, form, moments, tonic=character.tonic, mode=character.mode))
    if genre in ONE_PLAYER and programs.get("lead") == programs.get("keys"):
        notes = _two_hands(notes)
    hits = sorted(hits + missed)
    pans = {**PANS, **style.pans}
    added = [n for n in notes if n.part in ADDED_PARTS]  # "add some strings": played by a player of their own,
    shakes = {part: shake for part, shake in style.vibrato.items() if part not in spec.instruments}  # its players'
    events = perform([n for n in notes if n.part not in ADDED_PARTS] if added else notes, form.tempo,
                     swing=style.swing, rng=playing, end_s=spec.duration_s, exact=set(hits), pans=pans,
                     unheard=[n for n in unheard if n.part not in ADDED_PARTS], vibrato=shakes)  # fmt: skip
    if added:  # so that every other note plays as it did
        layer = perform(added, form.tempo, swing=style.swing, rng=random.Random(f"{spec.seed}:added"),
                        end_s=spec.duration_s, exact=set(hits), pans=pans)  # fmt: skip
        events = sorted(events + layer, key=lambda e: e.start_s)
    beats = tuple(round(form.tempo.time_of(b), 6) for b in range(form.final_beat + 1))
    return Composition(spec, genre, style, character, form, tuple(notes), tuple(events), beats,
                       form.tempo.time_of(form.final_beat),
                       tuple(round(form.tempo.time_of(b), 6) for b in hits),
                       tuple((form.tempo.time_of(a), form.tempo.time_of(b)) for a, b in stops),
                       tuple((form.tempo.time_of(a), form.tempo.time_of(b)) for a, b, _ in lifts))  # fmt: skip


def _one_per_key(notes: list[Note]) -> list[Note]:
    """The pitched notes without unisons: where a part strikes one key twice at once (a cut's chord stab on the
    comping's own chord), the stronger stroke, as a player's one key gives: two voices of one key in phase doubled
    its peak, and a MIDI file had a note-on for a key already sounding on its channel. A drum struck twice at once
    (a cut's crash on the pattern's) is left: the genres' tops were balanced with it (music_report.py)."""
    strongest: dict[tuple[str, float, int, int], Note] = {}
    for note in notes:
        if note.drum:
            continue
        key = (note.part, note.beat, note.key, note.program)
        held = strongest.get(key)
        if held is None or (note.velocity, note.length) > (held.velocity, held.length):
            strongest[key] = note
    if len(strongest) == sum(1 for n in notes if not n.drum):
        return notes
    return [n for n in notes if n.drum or strongest[(n.part, n.beat, n.key, n.program)] is n]


def _two_hands(notes: list[Note]) -> list[Note]:
    """A pianist's tune and chords as one instrument's two hands on one keyboard: a key both hands strike at once
    sounds once (the tune's stroke), and a key one hand holds ends where the other strikes it again. As two parts
    they struck the tune's key twice at once, or under the left hand's held note, and the tune was swallowed (a
    listening critique: solo piano seed 2's A4, twice)."""
    hands = ("keys", "lead")
    strikes: dict[int, list[tuple[float, str]]] = {}
    for note in notes:
        if note.part in hands and not note.drum:
            strikes.setdefault(note.key, []).append((note.beat, note.part))
    played: list[Note] = []
    for note in notes:
        if note.part not in hands or note.drum:
            played.append(note)
            continue
        others = [beat for beat, part in strikes[note.key] if part != note.part]
        if note.part == "keys" and note.beat in others:
            continue  # the tune's stroke is the one the key gives
        again = [beat for beat in others if note.beat < beat < note.beat + note.length]
        played.append(replace(note, length=min(again) - note.beat) if again else note)
    return played


def _spliced(planned_notes: list[Note], shaped_notes: list[Note], planned: Form, shaped: Form) -> list[Note]:
    """The notes of the piece as planned, but in the bars its moments changed, where they are the shaped piece's."""
    changed = [(b.start, b.start + b.beats) for a, b in zip(planned.bars, shaped.bars, strict=True) if a != b]

    def inside(note: Note) -> bool:
        return any(first <= note.beat < last for first, last in changed)

    return [n for n in planned_notes if not inside(n)] + [n for n in shaped_notes if inside(n)]


def _without_families(notes: list[Note], out: frozenset[Family]) -> list[Note]:
    """The notes without those the instrument families ``out`` play ("remove the piano"), unless they play every
    pitched note: a piece is never made silent (the reply says so, plan/edit.py)."""
    if not out:
        return notes
    kept = [n for n in notes if not plays_in(n, out)]
    return kept if any(not n.drum for n in kept) else notes


def _write_parts(form: Form, style: Style, character: Character, programs: dict[str, int], drums: DrumStyle,
                 rng: random.Random, seed: int) -> list[Note]:  # fmt: skip
    notes: list[Note] = []
    velocity = character.velocity
    bass_prev: int | None = None
    keys_prev: list[int] | None = None
    pad_prev: list[int] | None = None
    extra_prev: dict[str, list[int] | None] = {}
    bars = list(form.bars)
    shift = min(4, max(-4, character.register_shift))
    fills = FillCycle(drums, rng)
    runs = build_runs(bars)
    groove = groove_of(drums, seed)  # the piece's own beat, and the bass locked to its kick
    for i, bar in enumerate(bars):
        following = bars[i + 1].energy if i + 1 < len(bars) else 0.0
        # the drums come back in with a fill in the last bar of a section they sit out (an intro, a breakdown)
        pickup = "drums" not in bar.parts and i + 1 < len(bars) and "drums" in bars[i + 1].parts
        if "drums" in bar.parts or (pickup and bar.fill):
            fill = fills.next() if bar.fill and bar.beats == 4 and drums != DrumStyle.NONE else None
            notes += drum_bar(bar, drums, velocity, rng=rng, next_energy=following, fill=fill, pickup=pickup,
                              build=runs.get(bar.index), groove=groove)  # fmt: skip
        playing = "bass" in bar.parts or style.bass == BassStyle.DRONE  # a drone holds through every section
        if "bass" in programs and style.bass != BassStyle.NONE and playing:
            after = bars[i + 1] if i + 1 < len(bars) and "bass" in bars[i + 1].parts else None
            part, bass_prev = bass_bar(bar, style.bass, programs["bass"], velocity=velocity, legato=character.legato,
                                       previous=bass_prev, rng=rng, register=style.register("bass"),
                                       rhythms=groove.bass, next_chord=after.chord if after else None)  # fmt: skip
            notes += part
        if "keys" in bar.parts:
            low, high = style.register("keys")
            part, keys_prev = comp_bar(bar, style.comping, programs["keys"], velocity=velocity, legato=character.legato,
                                       register=(low + shift, high + shift), previous=keys_prev, rng=rng,
                                       open_strikes=groove.open_strikes)  # fmt: skip
            notes += part
        if "pad" in programs and "pad" in bar.parts:
            part, pad_prev = pad_bar(bar, programs["pad"], velocity, previous=pad_prev,
                                     always=style.genre in ALWAYS_PAD, register=style.register("pad"))  # fmt: skip
            notes += part
        notes += _extra_layers(bar, style, programs, velocity, character, extra_prev, rng)
    return _gaps_before_drops(notes, bars) if drums in GAPPED_BUILDS else notes


def _gaps_before_drops(notes: list[Note], bars: list[Bar]) -> list[Note]:
    """The band stops with the roll, half a beat before a drop a build leads into: what still sounds there ends
    where the gap begins (its release rings on), what starts in it is not played."""
    drops = [b.start for k, b in enumerate(bars) if b.feel == "drop" and k and bars[k - 1].feel == "build"]
    kept: list[Note] = []
    for note in notes:
        gap = next((d for d in drops if note.beat < d and note.beat + note.length > d - DROP_GAP_BEATS), None)
        if gap is None:
            kept.append(note)
        elif note.beat < gap - DROP_GAP_BEATS:
            kept.append(replace(note, length=gap - DROP_GAP_BEATS - note.beat))
    return kept


def _extra_layers(bar: Bar, style: Style, programs: dict[str, int], velocity: int, character: Character,
                  previous: dict[str, list[int] | None], rng: random.Random) -> list[Note]:  # fmt: skip
    """Layers that join the fuller sections: a strummed guitar, an arpeggiator, choir and brass at the peak."""
    layers: list[tuple[str, Comping, int]] = []
    if "guitar" in programs and "guitar" in bar.parts and bar.energy >= 0.5:
        guitar = Comping.STRUM if style.comping != Comping.STRUM else Comping.ARPEGGIO  # never doubling the keys
        layers.append(("guitar", guitar, programs["guitar"]))
    if "arp" in programs and "arp" in bar.parts and bar.energy >= 0.55:
        layers.append(("arp", Comping.ARPEGGIO, programs["arp"]))
    if "extra" in bar.parts:
        layers += [(name, Comping.SUSTAIN if name == "choir" else Comping.BLOCK, program)
                   for name, program in style.extra.items()]  # fmt: skip
    notes: list[Note] = []
    for name, comping, program in layers:
        part, previous[name] = comp_bar(bar, comping, program, velocity=round(velocity * 0.78),
                                        legato=character.legato, register=style.register(name),
                                        previous=previous.get(name), rng=rng, part=name)  # fmt: skip
        notes += part
    return notes


# a solo against the tune: twice the tune's density (runs of eighths where the tune holds) over three more steps
SOLO_DENSITY = 2.0
SOLO_SPAN = 3
TRADED_FROM = 4  # solo phrases a piece needs before two players share them
SOLO_LEAST = 9  # notes in a solo's two-bar rhythm at least (eighths: sixteen at most)


def verses_sing_the_hook(bars: Sequence[Bar], *, solo: bool) -> bool:
    """Whether a piece's verses state its hook: where it has no chorus (and its verses are not solos)."""
    return not solo and not any(bar.section == "chorus" for bar in bars)


def kept_form(spec: MusicSpec, composition: Composition) -> dict[str, object]:
    """The form and the verses' part that ``spec``'s piece, ``composition``, took, for the fields ``spec`` leaves to
    the seed: what the piece keeps when it is fitted to a re-cut video or edited."""
    kept: dict[str, object] = {}
    if spec.form is None:
        kept["form"] = composition.form.name
    if spec.verse_theme is None:
        kept["verse_theme"] = verses_sing_the_hook(composition.form.bars, solo=composition.form.name == "head")
    return kept


def _melodies(bars: list[Bar], style: Style, character: Character, programs: dict[str, int], velocity: int,
              seed: int, *, solo: bool = False, traded: bool = False,
              verse_theme: bool | None = None) -> list[Note]:  # fmt: skip
    """The lead where the form gives it a question or an answer; the counter-line where it rests inside a
    section that has one (call and response). Each section keeps its motif; a third return brings a new one.
    ``solo``: the verses are solos (the head form), each phrase a new line, busier and wider than the tune;
    ``traded``: where there are four solo phrases or more, the keys' player takes the second half (from the piano's
    place on the stage, its comping under it), as a combo's soloists take their turns.

    The tune, each motif and each phrase draw from a generator of their own, keyed by the seed and their place
    (the section, its return, the phrase in it), not from one stream the whole piece shares: the same piece
    fitted to a re-cut video, with more or fewer bars elsewhere, sings the same themes in the same sections."""
    notes: list[Note] = []
    motifs: dict[tuple[str, str, int], Motif] = {}
    seen: dict[str, int] = {}
    # keyed by the genre too: one seed sang one tune in every genre, so a listener heard the seed, not the genre
    salt = f"{style.genre.value}:{seed}"
    lead_program = programs.get("lead")
    reach = playable(lead_program)
    if "lead" in style.registers:  # a genre's tune kept over its band (rock's over its guitars), where it can be
        low, high = reach or style.registers["lead"]
        kept = (max(low, style.registers["lead"][0]), min(high, style.registers["lead"][1]))
        reach = kept if kept[1] - kept[0] >= 12 else reach
    tune = new_tune(tune_centre(style, lead_program, character.register_shift), random.Random(f"tune:{salt}"),
                    GENRE_CELLS.get(style.genre, CELLS), reach=reach)  # fmt: skip
    counter_low, counter_high = style.register("counter")
    phrase: list[Bar] = []
    groups: list[list[Bar]] = []
    for bar in bars:
        if phrase and (bar.phrase_bar == 0 or bar.section != phrase[0].section):
            groups.append(phrase)
            phrase = []
        phrase.append(bar)
    if phrase:
        groups.append(phrase)
    solos = [id(group) for group in groups if solo and group[0].section == "verse"]
    # where the tune states its theme: the choruses and the peak; in a piece with no chorus (a film cue's or a
    # pianist's verse, breakdown and climax) its verses too, so the climax brings back what the opening sang (the
    # verse's own line there, the hook heard only at the peak: none of cinematic's seed 2, solo piano's seeds 1-2 or
    # ambient's seeds 1-3 brought a figure back, a listening critique)
    sung = verses_sing_the_hook(bars, solo=solo) if verse_theme is None else verse_theme and not solo
    theme_sections = {"chorus", "peak"} | ({"verse"} if sung else set())
    pianist = set(solos[len(solos) // 2 :]) if traded and len(solos) >= TRADED_FROM and "keys" in programs else set()
    for group in groups:
        section, shift = group[0].section, group[0].shift
        scale = scale_pitch_classes((character.tonic + shift) % 12, character.mode)  # a lifted key sings lifted
        if group[0].phrase_bar == 0:
            seen[section] = seen.get(section, 0) + 1
        variant = (seen.get(section, 1) - 1) // 3
        energy = sum(b.energy for b in group) / len(group)
        rng = random.Random(f"phrase:{salt}:{section}:{seen.get(section, 1)}:{group[0].phrase_bar}:{len(group)}")
        if "lead" in programs:
            playing = [b.lead != "rest" and "lead" in b.parts for b in group]
            if any(playing) and section in theme_sections:  # the hook, wherever the music peaks
                loud = round(velocity * (HOOK_VELOCITY if section != "verse" else VERSE_VELOCITY) * style.lead_gain)
                notes += hook_phrase(group, playing, tune.hook, scale=scale, centre=tune.centre + shift,
                                     program=programs["lead"], velocity=loud, legato=character.legato,
                                     rng=rng)  # fmt: skip
            elif any(playing):  # verses sing their own line, in the seed's contour, so the hook stands out
                soloing = solo and section == "verse"
                # a solo never plays the same line twice: each of its phrases draws its own
                key = ("lead", section, seen.get(section, 1) if soloing else variant)
                if key not in motifs:
                    motifs[key] = new_motif((SOLO_DENSITY if soloing else 1.0) * style.melody_density
                                            * (0.7 + 0.45 * energy), random.Random(f"motif:{salt}:{key}"),
                                            span=tune.span + (SOLO_SPAN if soloing else 0), shape=tune.shape,
                                            least=SOLO_LEAST if soloing else 0)  # fmt: skip
                soft = round(velocity * VERSE_VELOCITY * style.lead_gain)
                player = "keys" if id(group) in pianist else "lead"
                notes += phrase_notes(group, playing, motifs[key], scale=scale, centre=tune.verse_centre + shift,
                                      program=programs[player], velocity=soft, legato=character.legato, rng=rng,
                                      part=player)  # fmt: skip
        if "counter" in programs:
            answering = [b.lead == "rest" and "counter" in b.parts and b.index >= 2 and b.phrase_bar >= 2
                         for b in group]  # fmt: skip
            if any(answering):
                key = ("counter", section, variant)
                if key not in motifs:
                    motifs[key] = new_motif(0.32 + 0.2 * energy, random.Random(f"motif:{salt}:{key}"), span=4)
                centre = (counter_low + counter_high) // 2
                notes += phrase_notes(group, answering, motifs[key], scale=scale, centre=centre,
                                      program=programs["counter"], velocity=round(velocity * 0.8), legato=0.95, rng=rng,
                                      part="counter")  # fmt: skip
    # a note out of the instrument's reach is played an octave over or under, as its player would (a flute has no B3)
    reached = [(n, in_reach(n.key, n.program)) for n in notes]
    return [n if key == n.key else replace(n, key=key) for n, key in reached]
