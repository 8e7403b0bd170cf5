"""The MIDI file names its key, and every key lift, as a key signature (read back with mido)."""

from __future__ import annotations

from pathlib import Path

import mido

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.spec import Genre, MusicSpec

NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
ENHARMONIC = {"Db": "C#", "G#": "Ab", "D#": "Eb", "A#": "Bb", "Gb": "F#", "Cb": "B"}


def test_the_home_key_and_a_lift_are_key_signatures(tmp_path: Path) -> None:
    lifted = next(c for seed in range(1, 60)
                  if (c := compose(MusicSpec(duration_s=75, genre=Genre.POP, seed=seed))).form.name == "lift"
                  and c.character.mode == "major")  # fmt: skip
    write_midi(lifted, tmp_path / "lift.mid")
    keys = [m.key for m in mido.MidiFile(str(tmp_path / "lift.mid")).tracks[0] if m.type == "key_signature"]
    tonic, lift = lifted.character.tonic, max(b.shift for b in lifted.form.bars)
    assert len(keys) == 2 and NAMES.index(ENHARMONIC.get(keys[0], keys[0])) == tonic
    assert (NAMES.index(ENHARMONIC.get(keys[1], keys[1])) - tonic) % 12 == lift % 12
    minor = compose(MusicSpec(duration_s=30, genre=Genre.PIANO, seed=3, valence=-0.8, mode="minor"))
    write_midi(minor, tmp_path / "minor.mid")
    first = next(m.key for m in mido.MidiFile(str(tmp_path / "minor.mid")).tracks[0] if m.type == "key_signature")
    assert first.endswith("m")
