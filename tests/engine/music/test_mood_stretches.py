"""A stretch asked sadder or happier ("make the second half sadder", "happier after 0:20"): played in the parallel
minor or major from bar line to bar line, read back from the MIDI file by mido and heard in the chromagram (librosa),
the rest of the piece as it was."""

from __future__ import annotations

import bisect
from collections import Counter
from pathlib import Path

import mido
import numpy as np
import pytest

from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.theory import Chord
from free_music_ai.engine.music.timed import chord_moves, mode_bars


def _note_ons(piece: Composition, path: Path) -> list[tuple[float, int]]:
    """Every pitched note-on in the MIDI file, as mido reads it: (seconds, key)."""
    write_midi(piece, path)
    now, found = 0.0, []
    for message in mido.MidiFile(str(path)):
        now += message.time
        if message.type == "note_on" and message.velocity > 0 and message.channel != 9:
            found.append((round(now, 4), message.note))
    return sorted(found)


def _degree(piece: Composition, at_s: float, key: int) -> int:
    """``key`` as a degree of the key it sounds in at ``at_s`` (the home key, or a bar's lift of it)."""
    starts = [piece.form.tempo.time_of(bar.start) for bar in piece.form.bars]
    shift = piece.form.bars[max(0, bisect.bisect_right(starts, at_s + 1e-6) - 1)].shift
    return (key - piece.character.tonic - shift) % 12


@pytest.mark.parametrize(("genre", "seed"), [(Genre.POP, 5), (Genre.CINEMATIC, 9), (Genre.HIPHOP, 5),
                                             (Genre.SUSPENSE, 9), (Genre.FOLK, 5)])  # fmt: skip
def test_a_stretch_in_another_mood_changes_mode_there_and_nowhere_else(genre: Genre, seed: int, tmp_path: Path) -> None:
    """ "make the second half sadder" made the whole piece sadder (another piece, at another tempo); now the notes
    before the stretch are the same, note for note, and in it no note sits on a degree the piece's mode has and the
    other lacks (in C major: no E, A or B), the final chord included."""
    spec = MusicSpec(duration_s=28, genre=genre, seed=seed)
    piece = compose(spec)
    mode = piece.character.mode
    target = "major" if mode in ("minor", "dorian", "phrygian") else "minor"
    moments = Moments(**{f"{target}_s": [(14.0, 28.0)]})
    asked = compose(spec.model_copy(update={"moments": moments}))
    before, after = _note_ons(piece, tmp_path / "before.mid"), _note_ons(asked, tmp_path / "after.mid")
    (_, first, _), = mode_bars(asked.form, moments, mode)  # fmt: skip
    edge = asked.form.tempo.time_of(first)  # the bar line nearest 0:14
    assert abs(edge - 14.0) <= 2 * 60 / piece.bpm + 0.01  # within half a bar
    early = edge - 0.06  # a player strikes a downbeat up to a few hundredths early (perform.py)
    assert [n for n in before if n[0] < early] == [n for n in after if n[0] < early]
    third, old_third = (3, 4) if target == "minor" else (4, 3)
    inside_before = Counter(_degree(piece, t, k) for t, k in before if t >= edge + 0.06)
    inside_after = Counter(_degree(asked, t, k) for t, k in after if t >= edge + 0.06)
    # the piece's third gives way to the other mode's (a chord from outside the scale keeps its own: chord_moves)
    assert inside_after[old_third] <= 0.6 * inside_before[old_third] and inside_after[third] > inside_before[third]
    final = asked.form.tempo.time_of(asked.form.final_beat)
    ending = {_degree(asked, t, k) for t, k in after if t >= final - 0.06}  # struck up to a few hundredths early
    assert third in ending and old_third not in ending  # it ends in the mode asked


def test_a_mode_moves_chord_by_chord_as_a_musician_moves_it() -> None:
    """The listening review found held ii° chords, vii° for a bVII, broken secondary dominants and augmented bII
    chords when every note moved alone; in C major to minor and C minor to major, chord by chord:"""

    def moves(name: str, root: int, tones: tuple[int, ...], mode: str, target: str) -> dict[int, int]:
        return chord_moves(Chord(root, tones, name), 0, mode=mode, target=target)

    assert moves("C", 0, (0, 4, 7), "major", "minor") == {4: -1, 9: -1, 11: -1}  # E, A, B flattened on the tonic
    assert moves("Dm", 2, (2, 5, 9), "major", "minor") == {4: -1, 11: -1}  # ii keeps its A, the tune moves
    assert moves("D7", 2, (2, 6, 9, 0), "major", "minor") == {4: -1, 11: -1}  # a secondary dominant stays whole
    assert moves("G", 7, (7, 11, 2), "major", "minor") == {4: -1, 9: -1}  # the dominant keeps its leading tone
    assert moves("Bb", 10, (10, 2, 5), "minor", "major") == {3: 1, 8: 1}  # bVII stays bVII
    assert moves("Db", 1, (1, 5, 8), "minor", "major") == {3: 1, 10: 1}  # a borrowed bII stays itself
    assert moves("Fm", 5, (5, 8, 0), "minor", "major") == {3: 1, 8: 1, 10: 1}  # iv becomes IV


def test_a_sadder_second_half_is_heard_in_minor() -> None:
    """The chromagram (librosa) of an acoustic piece in a major key: its first half as it was, and its second half's
    minor third now stronger than its major third, which it was not."""
    import librosa

    spec = MusicSpec(duration_s=28, genre=Genre.ACOUSTIC, seed=5)
    tonic = compose(spec).character.tonic

    def chroma(music: MusicSpec) -> tuple[np.ndarray, np.ndarray]:
        mono = produce(music, target_lufs=-14.0).audio.mean(axis=1)  # (samples, 2)
        frames = librosa.feature.chroma_cqt(y=mono, sr=48_000, hop_length=4096)
        times = librosa.frames_to_time(np.arange(frames.shape[1]), sr=48_000, hop_length=4096)
        first, second = (frames[:, (times > a) & (times < b)].mean(axis=1) for a, b in ((1, 12), (16, 26)))
        return np.roll(first, -tonic), np.roll(second, -tonic)

    (first, second), (first_after, second_after) = (
        chroma(spec),
        chroma(spec.model_copy(update={"moments": Moments(minor_s=[(14.0, 28.0)])})),
    )
    assert np.abs(first - first_after).max() < 0.02
    assert second[4] > second[3] and second_after[3] > second_after[4]
