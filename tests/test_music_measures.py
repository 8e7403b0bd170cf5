"""tools/music_measures_*.py measure what they say on cases whose answer is known: MIDI files written here with
mido (a known swing, roll, chord, fill) and tones made with numpy (a known level, sub share, decay, glide)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import mido
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

from music_measures_audio import count_glides, lead_against_band, sub_ring, sub_share
from music_measures_midi import (
    beat_positions,
    fill_prints,
    groove_lines,
    half_bar_chords,
    harmony_shares,
    hat_rolls,
    name_chord,
    read_midi,
    swing_ratio,
)
from music_measures_tables import Groove, curve_correlation, form_of

BPM = 100.0
BEAT = 60.0 / BPM
TICKS = 480
RATE = 48_000


def write(path: Path, tracks: dict[str, list[tuple[float, float, int, int]]]) -> Path:
    """A type-1 MIDI file at BPM: per track name, notes (start beat, length in beats, key, channel)."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS)
    midi.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(BPM), time=0)]))
    for name, notes in tracks.items():
        events = []
        for start, length, key, channel in notes:
            events.append(
                (max(0, round(start * TICKS)), 1, mido.Message("note_on", channel=channel, note=key, velocity=90))
            )
            events.append((round((start + length) * TICKS), 0, mido.Message("note_off", channel=channel, note=key)))
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0)])
        now = 0
        for tick, _, message in sorted(events, key=lambda e: (e[0], e[1])):
            track.append(message.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    midi.save(str(path))
    return path


def grid(beats: int) -> list[float]:
    return [k * BEAT for k in range(beats + 1)]


def jitter(rng: random.Random, limit_s: float = 0.01) -> float:
    """A drummer's timing, in beats: up to ``limit_s`` either way."""
    return rng.uniform(-limit_s, limit_s) / BEAT


@pytest.mark.parametrize(("place", "ratio"), [(0.5, 1.0), (0.6, 1.5), (2 / 3, 2.0)])
def test_swing_ratio_reads_the_offbeat_eighth(tmp_path: Path, place: float, ratio: float) -> None:
    rng = random.Random(3)
    hats = [(b + p + jitter(rng), 0.1, 42, 9) for b in range(32) for p in (0.0, place)]
    piece = read_midi(write(tmp_path / "swing.mid", {"drums": hats}))
    found, level, samples = swing_ratio(groove_lines(piece, grid(40)))
    assert level == "8th" and samples >= 30
    assert found == pytest.approx(ratio, abs=0.08)


def test_straight_sixteenths_are_not_an_eighth_swing(tmp_path: Path) -> None:
    rng = random.Random(4)
    hats = [(k / 4 + jitter(rng), 0.05, 42, 9) for k in range(128)]
    piece = read_midi(write(tmp_path / "sixteenths.mid", {"drums": hats}))
    found, level, _ = swing_ratio(groove_lines(piece, grid(40)))
    assert level == "16th"
    assert found == pytest.approx(1.0, abs=0.08)


def test_hat_rolls_counts_triplet_and_32nd_runs_not_jittered_sixteenths(tmp_path: Path) -> None:
    rng = random.Random(5)
    hats = [(k / 4 + jitter(rng, 0.012), 0.05, 42, 9) for k in range(16 * 8)]
    plain = read_midi(write(tmp_path / "plain.mid", {"drums": hats}))
    assert hat_rolls(list(beat_positions([n.start for n in plain.drums()], grid(40)))) == 0
    rolls = [(b + 3 + k / 6 + jitter(rng, 0.008), 0.04, 42, 9) for b in (4, 12, 20) for k in range(6)]
    rolls += [(28 + 3 + k / 8 + jitter(rng, 0.006), 0.04, 44, 9) for k in range(8)]
    kept = [h for h in hats if not any(b + 3 <= h[0] < b + 4 for b in (4, 12, 20, 28))]
    piece = read_midi(write(tmp_path / "rolls.mid", {"drums": kept + rolls}))
    assert hat_rolls(list(beat_positions([n.start for n in piece.drums((42, 44, 46))], grid(40)))) == 4


def test_name_chord_spells_sevenths_ninths_and_lets_the_bass_decide() -> None:
    cmaj7 = name_chord({0: 1.0, 4: 1.0, 7: 1.0, 11: 1.0})
    assert cmaj7 is not None and (cmaj7.root, cmaj7.quality, cmaj7.extended) == (0, "maj7", True)
    triad = name_chord({7: 1.0, 11: 1.0, 2: 1.0, 19: 0.5})
    assert triad is not None and (triad.root, triad.quality, triad.extended) == (7, "", False)
    am7 = name_chord({0: 1.0, 4: 1.0, 7: 1.0, 9: 1.0}, bass=9)
    assert am7 is not None and (am7.root, am7.quality) == (9, "m7")
    c6 = name_chord({0: 1.0, 4: 1.0, 7: 1.0, 9: 1.0}, bass=0)
    assert c6 is not None and (c6.root, c6.quality) == (0, "6")
    dm9 = name_chord({2: 1.0, 5: 1.0, 9: 1.0, 0: 1.0, 4: 0.8})
    assert dm9 is not None and (dm9.root, dm9.quality, dm9.extended) == (2, "m9", True)
    passing = name_chord({0: 1.0, 4: 1.0, 7: 1.0, 1: 0.3})  # a C# passing by: no chord holds it with C E G
    assert passing is not None and (passing.root, passing.quality) == (0, "")
    no_fifth = name_chord({7: 1.0, 11: 1.0, 5: 1.0})  # G7 without its fifth: three pitch classes, not extended
    assert no_fifth is not None and (no_fifth.root, no_fifth.quality, no_fifth.extended) == (7, "7", False)


def test_harmony_shares_from_the_harmony_parts_only(tmp_path: Path) -> None:
    # in G: I, IV, V, vi, ii7, iii7 (a bar each, two half-bars each); the lead, the counter and the drums hold
    # notes that would spoil the chords if they were read
    progression = [(7, 11, 14), (0, 4, 7), (2, 6, 9), (4, 7, 11), (9, 12, 16, 19), (11, 14, 18, 21)]
    keys = [(4.0 * bar, 4.0, 60 + pc, 0) for bar, chord in enumerate(progression) for pc in chord]
    pad = [(4.0 * bar, 4.0, 48 + chord[0], 1) for bar, chord in enumerate(progression)]
    lead = [(4.0 * bar + 1, 1.0, 61, 2) for bar in range(6)]  # C#: no chord of G major holds it
    drums = [(4.0 * bar, 0.2, 37, 9) for bar in range(6)]
    path = write(tmp_path / "chords.mid", {"keys": keys, "pad": pad, "lead": lead, "drums": drums})
    piece = read_midi(path)
    spans = [(2 * k * BEAT, (2 * k + 2) * BEAT) for k in range(12)]
    chords = half_bar_chords(piece, spans)
    assert [(c.root, c.quality) for c in chords if c] == [
        (r, q) for r, q in ((7, ""), (0, ""), (2, ""), (4, "m"), (9, "m7"), (11, "m7")) for _ in (0, 1)
    ]
    primary, extended, counted = harmony_shares(chords, tonic=7)
    assert counted == 12
    assert primary == pytest.approx(100 * 8 / 12)
    assert extended == pytest.approx(100 * 4 / 12)


def test_fill_prints_reads_the_fill_before_a_new_section(tmp_path: Path) -> None:
    rng = random.Random(6)
    groove = [(4.0 * bar + beat + jitter(rng), 0.2, key, 9) for bar in range(8) for beat, key in
              ((0, 36), (1, 38), (2, 36), (3, 38))]  # fmt: skip
    hats = [(bar * 4 + k / 2, 0.1, 42, 9) for bar in range(8) for k in range(8)]
    tom_fill = [(4.0 * 3 + 3 + k / 4 + jitter(rng), 0.2, key, 9) for k, key in enumerate((38, 50, 47, 43))]
    notes = [n for n in groove if not 15 <= n[0] < 16] + hats + tom_fill
    piece = read_midi(write(tmp_path / "fills.mid", {"drums": notes}))
    sections = ["verse"] * 4 + ["chorus"] * 2 + ["peak"] * 2  # bar 3 closes the verse, bar 5 the chorus
    prints = fill_prints(piece, grid(40), [(4 * k, 4, label) for k, label in enumerate(sections)])
    # bar 5 closes its section on the groove's own last beat: no fill
    assert prints == [((38, 0), (50, 3), (47, 6), (43, 9))]
    swung = [n for n in notes if n[2] != 47] + [(4.0 * 3 + 3.61, 0.2, 47, 9)]  # its off-beat swung to 0.61
    piece = read_midi(write(tmp_path / "swung.mid", {"drums": swung}))
    bars = [(4 * k, 4, label) for k, label in enumerate(sections)]
    assert fill_prints(piece, grid(40), bars) == [((38, 0), (50, 3), (47, 7), (43, 9))]
    assert fill_prints(piece, grid(40), bars, offbeat=0.61) == prints


def test_read_midi_follows_a_tempo_change(tmp_path: Path) -> None:
    path = write(tmp_path / "tempo.mid", {"keys": [(0, 1, 60, 0), (8, 1, 62, 0)]})
    midi = mido.MidiFile(str(path))
    midi.tracks[0].append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(2 * BPM), time=4 * TICKS))
    midi.save(str(path))
    notes = read_midi(path).part("keys")
    assert notes[1].start == pytest.approx(4 * BEAT + 4 * BEAT / 2)


def test_count_glides_tells_a_slide_from_a_step() -> None:
    held = np.full(20, 40.0)
    step = np.concatenate([held, [42.6], held + 5])  # a legato new note: one cycle straddles the change
    slide = np.concatenate([held, [41.5, 43.0, 44.2], held + 5])  # three cycles on the way
    struck = np.concatenate([held, [np.nan] * 3, [44.0, 45.5], held + 5])  # silence, then a note that drops in
    vibrato = 40 + 0.6 * np.sin(np.arange(200) / 3)

    def cycles(track: np.ndarray, period: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
        return np.arange(len(track)) * period, track

    assert count_glides(*cycles(step)) == 0
    assert count_glides(*cycles(slide)) == 1
    assert count_glides(*cycles(slide, 0.004)) == 0  # three cycles of 4 ms: a high note's smeared step
    assert count_glides(*cycles(np.concatenate([slide, slide[::-1]]))) == 2
    assert count_glides(*cycles(struck)) == 0
    assert count_glides(*cycles(vibrato)) == 0


def tone(freq: float | np.ndarray, seconds: float, amplitude: float = 0.5) -> np.ndarray:
    f = np.broadcast_to(np.asarray(freq, dtype=np.float64), (round(seconds * RATE),))
    return amplitude * np.sin(2 * np.pi * np.cumsum(f) / RATE)


def test_lead_against_band_in_the_presence_range_where_the_lead_plays() -> None:
    lead = tone(1000, 4, 0.5)
    lead[2 * RATE :] *= 10  # far louder where it does not play by the MIDI: not counted
    band = tone(1500, 4, 0.25) + tone(80, 4, 2.0)  # the 80 Hz bass is outside 600-5000 Hz
    stems = {"lead": np.stack([lead, lead], axis=1), "keys": np.stack([band, band], axis=1)}
    assert lead_against_band(stems, RATE, [(0.0, 1.0), (1.0, 2.0)]) == pytest.approx(20 * np.log10(2), abs=0.1)
    assert np.isnan(lead_against_band({"keys": stems["keys"]}, RATE, [(0.0, 1.0)]))


def test_sub_share_and_ring_of_a_decaying_sub_tone() -> None:
    assert sub_share(tone(50, 2) + tone(400, 2), RATE) == pytest.approx(50, abs=1)
    tau = 0.2  # the energy falls 20 dB in tau * ln(10) = 0.46 s
    note = tone(50, 2) * np.exp(-np.arange(2 * RATE) / RATE / tau)
    bass = np.concatenate([note, note])
    assert sub_ring(bass, RATE, [0.0, 2.0]) == pytest.approx(tau * np.log(10), abs=0.06)
    cut = np.concatenate([note, note[: RATE // 5], note])  # the second note cut after 0.2 s: not counted
    assert sub_ring(cut, RATE, [0.0, 2.0, 2.2]) == pytest.approx(tau * np.log(10), abs=0.06)
    held = np.concatenate([tone(45, 1.5), tone(55, 1.5)])  # held until the next note: rings that long
    assert sub_ring(held, RATE, [0.0, 1.5]) == pytest.approx(1.5, abs=0.05)


def sub_808(keys: list[tuple[float, float, int, bool]], seconds: float) -> np.ndarray:
    """An 808 as a producer's synth makes one: a sine with a touch of its second harmonic, saturated, ringing
    long; a struck note knocks in from 12 semitones above (14 ms), a sliding one eases from the note before in
    70 ms. ``keys``: (start s, length s, key, slides)."""
    out = np.zeros(round(seconds * RATE))
    previous = 0
    for start, length, key, slides in keys:
        t = np.arange(round(length * RATE)) / RATE
        if slides:
            progress = np.clip(t / 0.07, 0, 1)
            pitch = previous + (key - previous) * (1 - (1 - progress) ** 2)
        else:
            pitch = key + 12 * np.exp(-t / 0.014)
        phase = 2 * np.pi * np.cumsum(440 * 2 ** ((pitch - 69) / 12)) / RATE
        note = np.tanh(2 * (np.sin(phase) + 0.18 * np.sin(2 * phase)) * np.exp(-t / 1.6)) / np.tanh(2)
        note[-round(0.04 * RATE) :] *= np.linspace(1, 0, round(0.04 * RATE))  # its release
        a = round(start * RATE)
        out[a : a + len(note)] = note[: len(out) - a]  # a note that slides cuts the one before
        previous = key
    return out


def test_bass_glides_hears_an_808s_slides_not_its_struck_notes() -> None:
    pytest.importorskip("scipy")
    from music_measures_audio import bass_glides

    beat = 60 / 140
    # struck notes end an eighth before the next (a silence); sliding ones start while the one before sounds
    struck = [(k * 2 * beat, 2 * beat - beat / 2, key, False) for k, key in enumerate((31, 36, 29, 34, 31, 43, 31))]
    assert bass_glides(sub_808(struck, 7.5), RATE) == 0
    # struck just as the note before has faded in its release: its knock falls from 40 through 38 to 28
    knocks = [(0.0, 0.5, 38, False), (0.504, 0.6, 28, False), (1.108, 0.6, 41, False), (1.712, 0.6, 30, False)]
    assert bass_glides(sub_808(knocks, 2.5), RATE) == 0
    # a quiet note cut by a loud new one (20 dB over it) that drops into its pitch: a new attack, not a slide
    quiet = sub_808([(0.0, 1.0, 45, False)], 1.2) * 0.1
    quiet[round(0.6 * RATE) :] = 0.0
    assert bass_glides(quiet + sub_808([(0.6, 0.6, 35, False)], 1.2), RATE) == 0
    notes = [(0.0, 1.0, 31, False), (0.9, 1.0, 36, True), (1.8, 0.9, 29, True), (3.0, 1.0, 34, False),
             (3.9, 1.0, 41, True), (5.2, 1.0, 31, False), (6.1, 1.0, 33, True)]  # fmt: skip
    assert bass_glides(sub_808(notes, 7.5), RATE) == 4  # the 2-semitone slide to 33 counts too


def test_bass_glides_hears_no_slide_in_a_legato_bass_rich_in_harmonics() -> None:
    pytest.importorskip("scipy")
    from music_measures_audio import bass_glides

    keys = (40, 45, 38, 43, 47, 40, 36, 43)
    pitch = np.concatenate([np.full(round(0.5 * RATE), k, dtype=np.float64) for k in keys])
    phase = 2 * np.pi * np.cumsum(440 * 2 ** ((pitch - 69) / 12)) / RATE
    saw = sum(np.sin(h * phase) / h for h in range(1, 12))  # a synth bass's sawtooth
    assert bass_glides(np.asarray(saw) * 0.3, RATE) == 0


def test_curve_correlation_and_form() -> None:
    rising = [-30.0, -25.0, -20.0, -18.0, -15.0, -12.0]
    assert curve_correlation(rising, np.interp(np.linspace(0, 5, 11), range(6), rising).tolist()) > 0.99
    assert curve_correlation(rising, rising[::-1]) < -0.95
    assert form_of(["intro", "intro", "verse", "verse", "verse", "verse", "outro"]) == "intro2 verse4 outro1"


def test_trap_without_an_808_fails() -> None:
    trap = Groove("t", "trap", 1, 30, 140, "C minor", (130, 150), False, True, sub_pct=70, ring_s=0.6)
    assert "808" in trap.failures()
    trap.glides = 2
    assert "808" not in trap.failures()


def test_seed_tables_judge_tempo_keys_loudness_forms_and_shared_fills() -> None:
    from music_measures_tables import seed_tables

    fill = ((38, 0), (50, 3), (47, 6), (43, 9))
    rows = []
    for k, genre in enumerate(("rock", "pop", "folk", "trap", "jazz")):
        for seed in (1, 2):
            rows.append(Groove(f"{genre}{seed}", genre, seed, 48, 100.0 + (seed if genre == "jazz" else 0),
                               "D major" if seed == 1 else "Eb major", (90, 130), True, True,
                               fills=[fill, ((38, 0), (38, 6 + k))], loudness=[-20.0, -15.0, -10.0 - seed, -18.0],
                               form=f"intro2 verse{4 + k}"))  # fmt: skip
    text = "\n".join(seed_tables(rows))
    assert "jazz" in text and sum("tempo-same" in line for line in text.splitlines()) == 4
    assert "48 s, seed 1: 1 distinct keys over 5 genres (>= 4): FAIL" in text
    assert "loudness correlation" in text and "(< 0.8): FAIL" in text
    assert "48 s: 5 distinct forms over 10 pieces (>= 3): ok" in text
    for row in rows:  # a 30 s piece's curve rises wherever it meets the arc: its silhouette is shown, not judged
        row.seconds = 30
    assert "(< 0.8): for information, under 40 s" in "\n".join(seed_tables(rows))
    assert "fill 38@0 50@3 47@6 43@9 (key@twelfth of the last beat) in 5 genres" in text
    assert "1 fills shared by more than 3 genres (0): FAIL" in text
