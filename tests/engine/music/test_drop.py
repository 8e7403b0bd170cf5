"""A club track's drop as a listener hears it: built into over a whole phrase by a roll that speeds up to the end,
half a beat of silence, then everything at once with a sub hit, for two phrases. The roll and the gap are read
back from the MIDI file (mido), the drop's weight from the audio (pyloudnorm, numpy's FFT)."""

from __future__ import annotations

import itertools
from pathlib import Path

import mido
import numpy as np
import pyloudnorm
import pytest

from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.parts_drums import roll_step
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from music_checks import RATE, rms_db

SNARE = 38


def note_ons(c: Composition, path: Path) -> list[tuple[float, int, str]]:
    """Every note start in the MIDI file: (seconds, key, track name)."""
    write_midi(c, path)
    found: list[tuple[float, int, str]] = []
    for track in mido.MidiFile(str(path)).tracks:
        name = next((m.name for m in track if m.type == "track_name"), "")
        seconds = 0.0
        for message in track:
            seconds += message.time * 60.0 / (c.bpm * 480)
            if message.type == "note_on" and message.velocity:
                found.append((seconds, message.note, name))
    return found


def low_db(audio: np.ndarray) -> float:
    """Energy per sample under 100 Hz, dB: the kick's and the sub's."""
    spectrum = np.abs(np.fft.rfft(audio.mean(axis=1))) ** 2
    freqs = np.fft.rfftfreq(len(audio), 1 / RATE)
    return float(10 * np.log10(spectrum[freqs < 100].sum() / len(audio) + 1e-12))


def test_an_electronic_drop_is_built_into_stops_dead_and_lands_with_a_sub(tmp_path: Path) -> None:
    music = produce(MusicSpec(duration_s=60.0, genre=Genre.EDM, seed=2))
    c = music.composition
    bars, tempo = c.form.bars, c.form.tempo
    drop = next(b for b in bars if b.feel == "drop")
    builds = [b for b in bars if b.feel == "build"]
    assert [b.index for b in builds] == list(range(drop.index - 4, drop.index))  # a whole phrase builds into it
    assert all(b.section == "peak" for b in bars[drop.index : drop.index + 8])  # and it lasts two phrases
    start_s, drop_s, beat_s = tempo.time_of(builds[0].start), tempo.time_of(drop.start), 60.0 / c.bpm
    notes = note_ons(c, tmp_path / "piece.mid")
    # the roll speeds up bar by bar over the whole build, never starting again: its last bar's slowest strokes
    # come faster than its first bar's quickest (a build of two bars rolled eighths to 32nds in each)
    roll = np.array(sorted(t for t, key, name in notes if key == SNARE and name == "drums" and t < drop_s))
    bar_s = 4 * beat_s
    edges = [start_s + k * bar_s - 0.05 for k in range(5)]
    by_bar = [np.diff(roll[(roll >= edges[k]) & (roll < edges[k + 1])]) for k in range(4)]
    medians = [float(np.median(gaps)) for gaps in by_bar]
    assert all(later <= earlier + 0.015 for earlier, later in itertools.pairwise(medians)), medians
    assert by_bar[3].max() < by_bar[0].min() and medians[0] >= 6 * float(np.min(by_bar[3])), medians
    # nothing starts in the half beat before the drop; everything starts on it
    assert not [n for n in notes if drop_s - 0.5 * beat_s + 0.03 < n[0] < drop_s - 0.03]
    on_one = {name for t, _, name in notes if abs(t - drop_s) <= 0.03}
    assert {"kick", "bass", "drums"} <= on_one
    # heard: the gap is a hole, the drop far heavier than its build, the low end back with the sub under it
    audio = music.audio
    at = round(drop_s * RATE)
    gap = audio[at - round(0.4 * beat_s * RATE) : at - round(0.05 * RATE)]
    before = audio[at - round(1.5 * beat_s * RATE) : at - round(0.5 * beat_s * RATE)]
    assert rms_db(gap) <= rms_db(before) - 6
    meter = pyloudnorm.Meter(RATE)
    build = audio[round(start_s * RATE) : at - round(0.5 * beat_s * RATE)].astype(np.float64)
    landed = audio[at : at + round(16 * beat_s * RATE)].astype(np.float64)
    assert meter.integrated_loudness(landed) >= meter.integrated_loudness(build) + 2.5
    # and over the build's last bar, its loudest (the drop stood level with it: a roll to full strength, the build's
    # level rising to the drop's; a listening critique heard only the low end arrive)
    last = audio[at - round(4 * beat_s * RATE) : at].astype(np.float64)
    first = audio[at : at + round(4 * beat_s * RATE)].astype(np.float64)
    assert meter.integrated_loudness(first) >= meter.integrated_loudness(last) + 1.0
    bar = round(4 * beat_s * RATE)
    assert low_db(audio[at : at + bar]) >= low_db(audio[at - bar : at]) + 10
    # and the drop's low end stays its own after the first hit: its later bars over the choruses' (a sub each bar)

    def low_of(section: str, skip: int = 0) -> float:
        spans = [(tempo.time_of(b.start), tempo.time_of(b.start + b.beats)) for b in bars if b.section == section]
        return float(np.mean([low_db(audio[round(a * RATE) : round(z * RATE)]) for a, z in spans[skip:]]))

    assert low_of("peak", skip=1) >= low_of("chorus") + 3


def test_every_electronic_piece_drops_and_a_one_bar_build_still_rolls_eighths_to_32nds() -> None:
    for seed in range(1, 9):
        c = compose(MusicSpec(duration_s=48.0, genre=Genre.EDM, seed=seed))
        bars = c.form.bars
        drop = next((b for b in bars if b.feel == "drop"), None)
        assert drop is not None, seed
        assert all(b.feel == "build" for b in bars[drop.index - 4 : drop.index]), seed
        # two phrases of drop, or what the piece has left before its outro
        landed = [b.section for b in bars[drop.index : drop.index + 8]]
        peaks = landed.count("peak")
        assert peaks == 8 or (peaks >= 4 and landed[:peaks] == ["peak"] * peaks and set(landed[peaks:]) <= {"outro"})
        assert any(n.part == "808" and n.beat == drop.start for n in c.notes), seed  # the sub hit
    # a build of one bar (a pop drop, a placed "build up to 0:42" of one bar) keeps its roll: 8ths, 16ths, 32nds
    steps = [roll_step(4.0 - beat, 4.0) for beat in (0.0, 1.5, 2.0, 2.75, 3.0, 3.875)]
    assert steps == [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]


@pytest.mark.parametrize("genre", [Genre.POP, Genre.HIPHOP])
def test_a_drop_outside_club_music_keeps_its_band_through_the_build(genre: Genre) -> None:
    """Pop and hip-hop build for two or three bars, with no silence before the drop: the keys ring into it."""
    for seed in range(1, 13):
        c = compose(MusicSpec(duration_s=48.0, genre=genre, seed=seed))
        drop = next((b for b in c.form.bars if b.feel == "drop"), None)
        if drop is None or c.form.bars[drop.index - 1].feel != "build":
            continue
        ringing = [n for n in c.notes if not n.drum and n.beat < drop.start < n.beat + n.length + 0.01]
        assert ringing or any(drop.start - 0.5 < n.beat < drop.start for n in c.notes if n.drum)
        return
    pytest.fail(f"no {genre.value} piece of 12 builds into a drop")


@pytest.mark.parametrize(("duration", "least"), [(90.0, 2), (120.0, 2), (180.0, 3)])
def test_a_long_electronic_piece_is_its_drops(duration: float, least: int) -> None:
    """A long electronic piece put its one pair of drops anywhere in its second half and played verse and chorus in
    turn around them (at 180 s up to 30 bars before its first build, or 24 after its last drop; at 120 s two seeds of
    four repeated their phrases past the music report's limit). It now drops as often as its length holds, each drop
    built into over a phrase and the next after a breakdown; it ends on its last drop (one phrase of the hook may
    follow it), and the groove before its first build lasts six phrases at most."""
    for seed in (1, 2, 3):
        bars = compose(MusicSpec(duration_s=duration, genre=Genre.EDM, seed=seed)).form.bars
        drops = [b.index for b in bars if b.feel == "drop"]
        assert len(drops) >= least, (seed, drops)
        for k, drop in enumerate(drops):
            assert all(b.feel == "build" for b in bars[drop - 4 : drop]), (seed, drop)
            landed = [b.section for b in bars[drop : drop + 8]]
            assert landed == ["peak"] * 8, (seed, drop, landed)
            if k:
                assert any(b.section == "breakdown" for b in bars[drops[k - 1] : drop]), (seed, drop)
        body = [b for b in bars if b.section not in ("intro", "outro")]
        groove = [b for b in body if b.index < drops[0] - 4]
        after = [b for b in body if b.index > drops[-1] and b.section != "peak"]
        assert len(groove) <= 24 and len(after) <= 4, (seed, len(groove), len(after))
