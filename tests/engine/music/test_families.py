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
