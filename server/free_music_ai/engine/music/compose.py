"""Compose: a music spec in, timed note events out, with the beat grid and the decisions made on the way."""

from __future__ import annotations

import random
from dataclasses import dataclass

from free_music_ai.engine.music.form import PHRASE_BARS, Bar, Form, plan_form
from free_music_ai.engine.music.genres import STYLES, Style, choose_genre
from free_music_ai.engine.music.humanize import perform
from free_music_ai.engine.music.mood import Character, character_of
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_drums import drum_bar
from free_music_ai.engine.music.parts_harmony import bass_bar, comp_bar, final_chord, pad_bar
from free_music_ai.engine.music.parts_melody import Motif, melody_phrase, new_motif
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.tempo_map import build_tempo_map
from free_music_ai.engine.music.theory import key_name, scale_pitch_classes
from free_music_ai.engine.soundfont import NoteEvent


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

    @property
    def key(self) -> str:
        return key_name(self.character.tonic, self.character.mode)

    @property
    def bpm(self) -> float:
        return round(self.form.tempo.bpm, 2)


def compose(spec: MusicSpec) -> Composition:
    rng = random.Random(spec.seed)
    genre = spec.genre or choose_genre(spec.valence, spec.arousal)
    style = STYLES[genre]
    character = character_of(spec, style, rng)
    tempo = build_tempo_map(character.bpm, spec.cuts_s, spec.duration_s, 0.02 if spec.bpm else 0.10)
    form = plan_form(spec, style, character, tempo, rng)
    programs = {**style.programs, **spec.instruments}
    drums = "none" if spec.drums is False else style.drums
    notes = _write_parts(form, style, character, programs, drums, rng)
    tail_beats = form.tempo.beat_at(spec.duration_s) - form.final_beat
    notes += final_chord(form.final_beat, tail_beats, form.final_chord, programs, character.velocity, drums != "none")
    events = perform(notes, form.tempo, style.swing, rng, spec.duration_s)
    beats = tuple(round(form.tempo.time_of(b), 6) for b in range(form.final_beat + 1))
    return Composition(spec, genre, style, character, form, tuple(notes), tuple(events), beats,
                       form.tempo.time_of(form.final_beat))  # fmt: skip


def _write_parts(form: Form, style: Style, character: Character, programs: dict[str, int], drums: str,
                 rng: random.Random) -> list[Note]:  # fmt: skip
    notes: list[Note] = []
    scale = scale_pitch_classes(character.tonic, character.mode)
    velocity = character.velocity
    bass_prev: int | None = None
    keys_prev: list[int] | None = None
    pad_prev: list[int] | None = None
    extra_prev: dict[str, list[int] | None] = {}
    bars = list(form.bars)
    for i, bar in enumerate(bars):
        following = bars[i + 1].energy if i + 1 < len(bars) else 0.0
        notes += drum_bar(bar, drums, velocity, rng, following)
        if "bass" in programs and style.bass != "none":
            part, bass_prev = bass_bar(bar, style.bass, programs["bass"], velocity, character.legato, bass_prev, rng)
            notes += part
        part, keys_prev = comp_bar(bar, style.comping, programs["keys"], velocity, character.legato,
                                   min(5, max(-5, character.register_shift)), keys_prev, rng)  # fmt: skip
        notes += part
        if "pad" in programs:
            always = style.genre in (Genre.AMBIENT, Genre.CINEMATIC)
            part, pad_prev = pad_bar(bar, programs["pad"], velocity, pad_prev, always)
            notes += part
        notes += _extra_layers(bar, style, programs, velocity, character, extra_prev, rng)
    notes += _melody(bars, style, character, programs, velocity, scale, rng)
    return notes


def _extra_layers(bar: Bar, style: Style, programs: dict[str, int], velocity: int, character: Character,
                  previous: dict[str, list[int] | None], rng: random.Random) -> list[Note]:  # fmt: skip
    """Layers that join when the energy is high: a strummed guitar, an arpeggiator, choir and brass."""
    notes: list[Note] = []
    layers: list[tuple[str, str, int]] = []
    if "guitar" in programs and bar.energy >= 0.55:
        layers.append(("guitar", "strum", programs["guitar"]))
    if "arp" in programs and bar.energy >= 0.6:
        layers.append(("arp", "arpeggio", programs["arp"]))
    if bar.energy >= 0.75:
        layers += [(name, "sustain" if name == "choir" else "block", program) for name, program in style.extra.items()]
    for name, comping, program in layers:
        shift = 12 if name == "arp" else 0
        part, previous[name] = comp_bar(bar, comping, program, round(velocity * 0.8), character.legato, shift,
                                        previous.get(name), rng, part=name)  # fmt: skip
        notes += part
    return notes


def _melody(bars: list[Bar], style: Style, character: Character, programs: dict[str, int], velocity: int,
            scale: tuple[int, ...], rng: random.Random) -> list[Note]:  # fmt: skip
    if "lead" not in programs:
        return []
    notes: list[Note] = []
    motifs: dict[tuple[str, int], Motif] = {}
    seen: dict[str, int] = {}
    centre = 72 + character.register_shift + (2 if style.genre == Genre.PIANO else 0)
    threshold = 0.0 if style.genre == Genre.PIANO else 0.38
    for start in range(0, len(bars), PHRASE_BARS):
        phrase = bars[start : start + PHRASE_BARS]
        energy = sum(b.energy for b in phrase) / len(phrase)
        if energy < threshold:
            continue
        section = phrase[0].section
        if phrase[0].section_start:
            seen[section] = seen.get(section, 0) + 1
        variant = (seen.get(section, 1) - 1) // 3  # a fresh motif every third return of a section
        motif = motifs.get((section, variant))
        if motif is None:
            motif = motifs[(section, variant)] = new_motif(style.melody_density * (0.6 + 0.5 * energy), rng)
        notes += melody_phrase(phrase, motif, scale, centre, programs["lead"], velocity, character.legato, rng)
    return notes
