"""The sounds no font has, synthesised (sound_design.py): the trap 808 and its glides, the riser, played into the
buses the same wherever a block starts, in the bass stem and in the MIDI file."""

from __future__ import annotations

from pathlib import Path

import mido
import numpy as np
import pytest

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.designed_parts import designed_kind
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.sound_design import DesignedSounds, bass_808, riser
from free_music_ai.engine.music.spec import Genre, MusicSpec

RATE = 48_000


def pitch_hz(wave: np.ndarray, start_s: float, span_s: float) -> float:
    """The frequency of a (mono) tone over a span, from its upward zero crossings."""
    part = wave[round(start_s * RATE) : round((start_s + span_s) * RATE)]
    ups = np.flatnonzero((part[:-1] <= 0) & (part[1:] > 0))
    return float((len(ups) - 1) / ((ups[-1] - ups[0]) / RATE))


def midi_hz(key: int) -> float:
    return 440.0 * 2 ** ((key - 69) / 12)


def test_an_808_is_struck_with_a_knock_and_rings_low() -> None:
    wave = bass_808(33, -1, RATE * 2, rate=RATE)
    assert abs(pitch_hz(wave, 0.1, 0.4) / midi_hz(33) - 1) < 0.02
    assert pitch_hz(wave, 0.0, 0.012) > 1.3 * midi_hz(33)  # the pitch drops into place: the knock
    assert np.sqrt(np.mean(wave[RATE : RATE + RATE // 2] ** 2)) > 0.2  # still ringing a second later
    power = np.abs(np.fft.rfft(wave[: RATE // 2])) ** 2
    freqs = np.fft.rfftfreq(RATE // 2, 1 / RATE)
    # a sub, with harmonics above (saturated to be heard on a phone: 11 dB under it, by their energy)
    assert power[freqs < 120].sum() > 4 * power[freqs >= 120].sum()


def test_an_808_glides_from_the_note_before() -> None:
    wave = bass_808(40, 28, RATE, rate=RATE)
    assert abs(pitch_hz(wave, 0.0, 0.03) / midi_hz(28) - 1) < 0.25
    assert abs(pitch_hz(wave, 0.15, 0.3) / midi_hz(40) - 1) < 0.02


def test_a_riser_opens_and_swells() -> None:
    sweep = riser(RATE * 2, RATE)
    first, last = sweep[:, : RATE // 2], sweep[:, -RATE // 2 :]
    assert np.sqrt(np.mean(last**2)) > 4 * np.sqrt(np.mean(first**2))

    def centroid(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x[0]))
        return float((spectrum * np.fft.rfftfreq(len(x[0]), 1 / RATE)).sum() / spectrum.sum())

    assert centroid(last) > 2 * centroid(first)


@pytest.mark.parametrize(("genre", "seed", "bus"), [(Genre.TRAP, 3, "bass"), (Genre.EDM, 1, "lead")])
def test_blocks_anywhere_give_the_same_samples(genre: Genre, seed: int, bus: str) -> None:
    """Played in one block or in blocks of odd sizes (as stretches on several cores are), the same samples: the
    808 and the supersaw, and the supersaw's reverb send."""
    from free_music_ai.engine.soundfont.synth import REVERB_SEND

    c = compose(MusicSpec(duration_s=20.0, genre=genre, seed=seed))
    total = 20 * RATE
    names = ("bass", "lead", "music")
    whole = {name: np.zeros((2, total), np.float32) for name in names}
    whole_send = {REVERB_SEND: np.zeros(total, np.float32)}
    DesignedSounds(c, RATE).add_into(whole, 0, whole_send)
    assert np.max(np.abs(whole[bus])) > 0.1
    pieces = {name: np.zeros((2, total), np.float32) for name in names}
    send = np.zeros(total, np.float32)
    played = DesignedSounds(c, RATE)
    position = 0
    for size in [12_345, 240_000, 99_999, 7] * 40:
        if position >= total:
            break
        n = min(size, total - position)
        block = {name: np.zeros((2, n), np.float32) for name in pieces}
        block_send = {REVERB_SEND: np.zeros(n, np.float32)}
        played.add_into(block, position, block_send)
        for name in pieces:
            pieces[name][:, position : position + n] = block[name]
        send[position : position + n] = block_send[REVERB_SEND]
        position += n
    assert all(np.array_equal(whole[name], pieces[name]) for name in whole)
    assert np.array_equal(whole_send[REVERB_SEND], send)
    assert (np.max(np.abs(send)) > 0.05) == (bus == "lead")


def test_the_808_is_in_the_bass_stem_over_the_pad_and_in_the_midi_file(tmp_path: Path) -> None:
    """Issue 27 measured trap's bass 3 dB under its pad; the 808 now carries the low end. The synthesizer does
    not play those notes too (no GM bass under the 808), and the MIDI file writes them on the bass track."""
    music = produce(MusicSpec(duration_s=20.0, genre=Genre.TRAP, seed=2), keep_stems=True)

    def level(name: str) -> float:
        return float(10 * np.log10(np.mean(music.stems[name].astype(np.float64) ** 2)))

    assert level("bass") > level("pad") + 3
    bass = music.stems["bass"].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(bass))
    freqs = np.fft.rfftfreq(len(bass), 1 / RATE)
    assert spectrum[freqs < 100].sum() > spectrum[(freqs >= 100) & (freqs < 1000)].sum()
    designed = [e for e in music.composition.events if designed_kind(e) == "808"]
    assert designed
    path = tmp_path / "trap.mid"
    write_midi(music.composition, path)
    tracks = mido.MidiFile(str(path)).tracks
    track = next(t for t in tracks if any(m.type == "track_name" and m.name == "bass" for m in t))
    assert [m.program for m in track if m.type == "program_change"] == [38]
    assert sum(1 for m in track if m.type == "note_on") >= len(designed)


def test_hip_hop_plays_over_vinyl_crackle_that_is_the_same_in_any_block() -> None:
    from free_music_ai.engine.music.sound_design import crackle

    whole = crackle(1_000, RATE * 2, RATE, seed=7)
    split = np.concatenate([crackle(1_000, 777, RATE, seed=7), crackle(1_777, RATE * 2 - 777, RATE, seed=7)])
    assert np.array_equal(whole, split)
    clicks = np.flatnonzero(np.abs(whole) > 1e-4)
    starts = clicks[np.diff(clicks, prepend=-10) > 5]
    assert 10 <= len(starts) / 2 <= 30  # about fourteen clicks a second, sparse
    assert np.max(np.abs(whole)) < 0.06  # under the music
    c = compose(MusicSpec(duration_s=12.0, genre=Genre.HIPHOP, seed=1))
    buses = {"keys": np.zeros((2, RATE), np.float32)}
    DesignedSounds(c, RATE).add_into(buses, 0)
    assert np.count_nonzero(buses["keys"]) > 0


def test_the_808_slides_are_ready_as_midi_pitch_bends() -> None:
    from free_music_ai.engine.music.sound_design import midi_bends

    c = compose(MusicSpec(duration_s=30.0, genre=Genre.TRAP, seed=2))
    bends = midi_bends(c.events)
    assert bends and all(-8192 <= value <= 8191 for _, value in bends)
    assert any(value != 0 for _, value in bends) and bends[-1][1] == 0  # each slide eases back to its note


def test_the_midi_file_bends_the_808_into_its_slides(tmp_path: Path) -> None:
    """Read back with mido: the bass channel's bend range set to 12 semitones (RPN 0), and every slide a run
    of pitch-wheel values that starts away from the note and eases back to zero, placed at the note's start."""
    from free_music_ai.engine.music.sound_design import midi_bends

    c = compose(MusicSpec(duration_s=30.0, genre=Genre.TRAP, seed=2))
    path = tmp_path / "trap.mid"
    write_midi(c, path)
    midi = mido.MidiFile(str(path))
    track = next(t for t in midi.tracks if any(m.type == "track_name" and m.name == "bass" for m in t))
    controls = [(m.control, m.value) for m in track if m.type == "control_change"]
    assert controls[:4] == [(101, 0), (100, 0), (6, 12), (38, 0)]
    wheel, now = [], 0
    seconds_per_tick = 60.0 / (c.bpm * midi.ticks_per_beat)
    for message in track:
        now += message.time
        if message.type == "pitchwheel":
            wheel.append((now * seconds_per_tick, message.pitch))
    expected = midi_bends(c.events)
    assert len(wheel) == len(expected) > 0
    assert all(abs(t - s) < 0.003 and p == v for (t, p), (s, v) in zip(wheel, expected, strict=True))
    assert wheel[-1][1] == 0
