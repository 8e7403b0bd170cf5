"""Instruments taken out of a piece by family ("remove the piano", "no strings"): whichever part plays them, read
back from the MIDI file by mido, heard as silence in their stems, and everything else as it was."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import mido
import numpy as np

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.families import PROGRAMS, Family
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec


def _programs_heard(spec: MusicSpec, path: Path) -> Counter[int]:
    """How many notes each program plays in the MIDI file (drums apart), as mido reads it."""
    write_midi(compose(spec), path)
    program_of: dict[int, int] = {}
    heard: Counter[int] = Counter()
    for message in mido.MidiFile(str(path)):
        if message.type == "program_change":
            program_of[message.channel] = message.program
        elif message.type == "note_on" and message.velocity > 0 and message.channel != 9:
            heard[program_of.get(message.channel, 0)] += 1
    return heard


def test_the_piano_taken_out_of_pop_leaves_every_other_note_as_it_was(tmp_path: Path) -> None:
    spec = MusicSpec(duration_s=24, genre=Genre.POP, seed=3)
    before = _programs_heard(spec, tmp_path / "before.mid")
    after = _programs_heard(spec.model_copy(update={"instruments_out": [Family.PIANO]}), tmp_path / "after.mid")
    pianos = {p: n for p, n in before.items() if p in PROGRAMS[Family.PIANO]}
    assert pianos and not any(p in PROGRAMS[Family.PIANO] for p in after)
    assert after == Counter({p: n for p, n in before.items() if p not in pianos})  # the rest, note for note
    usual = produce(spec, keep_stems=True)
    without = produce(spec.model_copy(update={"instruments_out": [Family.PIANO]}), keep_stems=True)
    assert float(np.max(np.abs(usual.stems["keys"]))) > 0.1  # pop's keys are a piano: their stem is gone
    assert "keys" not in without.stems or float(np.max(np.abs(without.stems["keys"]))) < 1e-4
    assert {name for name in usual.stems if name != "keys"} <= set(without.stems)


def test_the_bass_line_is_the_bass_whatever_plays_it_and_a_piece_is_never_emptied(tmp_path: Path) -> None:
    """Cinematic's bass line is a contrabass (a string's program): "remove the bass" takes it, "no strings" leaves
    it. Solo piano without its piano would be silence: it keeps its notes."""
    cinematic = MusicSpec(duration_s=20, genre=Genre.CINEMATIC, seed=3)
    parts = {n.part for n in compose(cinematic.model_copy(update={"instruments_out": [Family.BASS]})).notes}
    assert "bass" not in parts and "bass" in {n.part for n in compose(cinematic).notes}
    strings_out = compose(cinematic.model_copy(update={"instruments_out": [Family.STRINGS]})).notes
    assert "bass" in {n.part for n in strings_out}
    piano = MusicSpec(duration_s=12, genre=Genre.PIANO, seed=2)
    assert compose(piano.model_copy(update={"instruments_out": [Family.PIANO]})).notes == compose(piano).notes


def test_an_instrument_asked_louder_or_quieter_moves_its_parts_and_only_them() -> None:
    """ "make the piano louder" / "the bass is too loud": the pop keys' stem (a piano) 3 dB up against the guitar,
    the bass 4 dB down against it; the mix is levelled again to its loudness, so each is measured against a part
    left alone."""

    def rms_db(stem: np.ndarray) -> float:
        return float(10 * np.log10(np.mean(np.square(stem, dtype=np.float64)) + 1e-20))

    spec = MusicSpec(duration_s=16, genre=Genre.POP, seed=3)
    usual = produce(spec, keep_stems=True).stems
    moved = produce(spec.model_copy(update={"instruments_db": {Family.PIANO: 3.0, Family.BASS: -4.0}}),
                    keep_stems=True).stems  # fmt: skip
    piano = (rms_db(moved["keys"]) - rms_db(moved["guitar"])) - (rms_db(usual["keys"]) - rms_db(usual["guitar"]))
    bass = (rms_db(moved["bass"]) - rms_db(moved["guitar"])) - (rms_db(usual["bass"]) - rms_db(usual["guitar"]))
    assert abs(piano - 3.0) <= 0.5 and abs(bass + 4.0) <= 0.5


def _program_starts(spec: MusicSpec, path: Path) -> list[tuple[float, int]]:
    """Each pitched note's start (s, through the tempo map) and program, as mido reads the MIDI file."""
    write_midi(compose(spec), path)
    program_of: dict[int, int] = {}
    clock, starts = 0.0, []
    for message in mido.MidiFile(str(path)):
        clock += message.time
        if message.type == "program_change":
            program_of[message.channel] = message.program
        elif message.type == "note_on" and message.velocity > 0 and message.channel != 9:
            starts.append((clock, program_of.get(message.channel, 0)))
    return starts


def test_an_instrument_out_for_a_stretch_leaves_it_there_only(tmp_path: Path) -> None:
    """ "no piano from 0:06 to 0:14" in pop: no piano note starts between the bar lines nearest those times (read
    back from the MIDI file by mido), the piano plays before and after, and every other instrument plays there as
    it did; solo piano keeps its piano (the music is never made silent by an instrument taken out)."""
    from free_music_ai.engine.music.moments import Moments

    spec = MusicSpec(duration_s=24, genre=Genre.POP, seed=3)
    out = spec.model_copy(update={"moments": Moments(families_out_s=[(Family.PIANO, 6.0, 14.0)])})
    before, after = _program_starts(spec, tmp_path / "before.mid"), _program_starts(out, tmp_path / "after.mid")
    bar = 4 * 60 / compose(spec).bpm  # the stretch lands on bar lines: within half a bar of what was asked

    def piano(starts: list[tuple[float, int]], first: float, last: float) -> list[float]:
        return [t for t, p in starts if p in PROGRAMS[Family.PIANO] and first <= t < last]

    assert piano(before, 6.0 + bar / 2, 14.0 - bar / 2) and not piano(after, 6.0 + bar / 2, 14.0 - bar / 2)
    assert piano(after, 0.0, 6.0 - bar / 2) and piano(after, 14.0 + bar / 2, 24.0)
    others = Counter(p for t, p in before if p not in PROGRAMS[Family.PIANO] and 6.0 <= t < 14.0)
    assert others and Counter(p for t, p in after if p not in PROGRAMS[Family.PIANO] and 6.0 <= t < 14.0) == others
    piano_only = MusicSpec(duration_s=12, genre=Genre.PIANO, seed=2)
    asked = piano_only.model_copy(update={"moments": Moments(families_out_s=[(Family.PIANO, 0.0, 6.0)])})
    assert compose(asked).notes == compose(piano_only).notes
