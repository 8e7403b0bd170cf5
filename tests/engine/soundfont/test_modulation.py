"""What moves while a note sounds: vibrato, a pitch envelope, a filter envelope, tremolo and velocity's tone,
measured from outside (zero crossings for pitch, spectral centroid for brightness, RMS for level)."""

from __future__ import annotations

import itertools
import math
import shutil
from pathlib import Path

import mido
import numpy as np
import pytest

from free_music_ai.engine.music.midi_file import vibrato_messages
from free_music_ai.engine.soundfont import NoteEvent, Synthesizer, bundled_soundfont, load_soundfont, synthesizer
from free_music_ai.engine.soundfont.events import Vibrato
from free_music_ai.engine.soundfont.generators import Gen

from .fluid_notes import fluid_play
from .sf2_builder import FontPreset, FontSample, FontZone, build_sf2, sine

RATE = 48_000
SINE_RATE = 44_000  # 440 Hz is exactly 100 samples a period: a loop of whole periods is seamless
LOOP = {Gen.SAMPLE_MODES: 1}


def _timecents(seconds: float) -> int:
    return round(1200 * math.log2(seconds))


def _lfo_cents(hz: float) -> int:
    return round(1200 * math.log2(hz / 8.176))


def _saw(rate: int, seconds: float) -> np.ndarray:
    t = np.arange(round(rate * seconds)) / rate
    return 0.5 * sum(np.sin(2 * np.pi * 440 * k * t) / k for k in range(1, 30))


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesizer:
    period = SINE_RATE // 440
    samples = [
        FontSample("sine", sine(440, SINE_RATE, 1.0), SINE_RATE, 69, loop=(period * 10, period * 90)),
        FontSample("saw", _saw(SINE_RATE, 1.0), SINE_RATE, 69, loop=(period * 10, period * 90)),
    ]
    presets = [
        # program 0: vibrato of +-50 cents at 5 Hz, from the start
        FontPreset("Vibrato", 0, [FontZone(0, {**LOOP, Gen.VIB_LFO_TO_PITCH: 50, Gen.FREQ_VIB_LFO: _lfo_cents(5.0)})]),
        # program 1: a pitch envelope an octave up that falls to the note in 0.4 s
        FontPreset(
            "Glide",
            1,
            [
                FontZone(
                    0,
                    {**LOOP, Gen.MOD_ENV_TO_PITCH: 1200, Gen.DECAY_MOD_ENV: _timecents(0.4), Gen.SUSTAIN_MOD_ENV: 1000},
                )
            ],
        ),
        # program 2: a filter envelope: bright at the attack, closing to ~260 Hz in 0.3 s
        FontPreset(
            "Pluck",
            2,
            [
                FontZone(
                    1,
                    {
                        **LOOP,
                        Gen.INITIAL_FILTER_FC: 6000,
                        Gen.MOD_ENV_TO_FILTER_FC: 7000,
                        Gen.DECAY_MOD_ENV: _timecents(0.3),
                        Gen.SUSTAIN_MOD_ENV: 1000,
                    },
                )
            ],
        ),
        # program 3: tremolo of +-6 dB at 4 Hz
        FontPreset("Tremolo", 3, [FontZone(0, {**LOOP, Gen.MOD_LFO_TO_VOLUME: 60, Gen.FREQ_MOD_LFO: _lfo_cents(4.0)})]),
        # program 4: the same saw, unmodulated, for the velocity test
        FontPreset("Saw", 4, [FontZone(1, {**LOOP, Gen.INITIAL_FILTER_FC: 9600})]),
        # program 5: a plain sine, no vibrato of its own (a player's vibrato is added to it)
        FontPreset("Sine", 5, [FontZone(0, LOOP)]),
    ]
    path = build_sf2(tmp_path_factory.mktemp("sf") / "moving.sf2", samples, presets)
    return Synthesizer(load_soundfont(path), RATE)


def _pitch_track(audio: np.ndarray, window_s: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    """Frequency every ``window_s`` from upward zero crossings (interpolated between samples)."""
    mono = audio.mean(axis=1).astype(np.float64)
    rising = np.flatnonzero((mono[:-1] < 0) & (mono[1:] >= 0))
    exact = rising + mono[rising] / (mono[rising] - mono[rising + 1])
    periods = np.diff(exact) / RATE
    times = exact[1:] / RATE
    edges = np.arange(0, times[-1], window_s)
    centres, hz = [], []
    for a, b in itertools.pairwise(edges):
        chosen = (times >= a) & (times < b)
        if chosen.sum() >= 3:
            centres.append((a + b) / 2)
            hz.append(1 / np.mean(periods[chosen]))
    return np.array(centres), np.array(hz)


def _centroid(audio: np.ndarray, start_s: float, end_s: float) -> float:
    mono = audio[round(start_s * RATE) : round(end_s * RATE)].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    return float((spectrum * freqs).sum() / spectrum.sum())


def test_vibrato_swings_the_pitch_by_its_depth_at_its_rate(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0.0, 2.0, 69, 100, 0)])
    times, hz = _pitch_track(audio[: round(1.8 * RATE)])
    cents = 1200 * np.log2(hz / 440.0)
    assert 40 <= cents.max() <= 55 and -55 <= cents.min() <= -40
    crossings = np.flatnonzero((cents[:-1] < 0) & (cents[1:] >= 0))  # one upward pass per cycle
    rate_hz = (len(crossings) - 1) / (times[crossings[-1]] - times[crossings[0]])
    assert rate_hz == pytest.approx(5.0, rel=0.1)


PLAYED_VIBRATO = Vibrato.of(depth_cents=40.0, rate_hz=5.0, delay_s=0.3)


def _vibrato_seen(times: np.ndarray, hz: np.ndarray) -> tuple[float, float, float, float]:
    """The pitch's largest swing before 0.3 s, its highest and lowest after, and the rate it swings at."""
    cents = 1200 * np.log2(hz / 440.0)
    held, swung, swung_times = cents[times < 0.28], cents[times > 0.35], times[times > 0.35]
    crossings = np.flatnonzero((swung[:-1] < 0) & (swung[1:] >= 0))  # one upward pass per cycle
    rate_hz = (len(crossings) - 1) / (swung_times[crossings[-1]] - swung_times[crossings[0]])
    return float(np.abs(held).max()), float(swung.max()), float(swung.min()), float(rate_hz)


def test_a_players_vibrato_waits_then_swings_at_its_depth_and_rate(synth: Synthesizer) -> None:
    """A note's own vibrato (a guitarist's shake of a held note) over a font without one: the note starts
    straight and swings from the delay on, at the depth and the rate asked."""
    plain = synth.render([NoteEvent(0.0, 2.0, 69, 100, 5)])
    assert np.abs(1200 * np.log2(_pitch_track(plain[: round(1.8 * RATE)])[1] / 440.0)).max() < 2
    audio = synth.render([NoteEvent(0.0, 2.0, 69, 100, 5, vibrato=PLAYED_VIBRATO)])
    straight, top, bottom, rate_hz = _vibrato_seen(*_pitch_track(audio[: round(1.8 * RATE)]))
    assert straight < 2 and 34 <= top <= 44 and -44 <= bottom <= -34, (straight, top, bottom)
    assert rate_hz == pytest.approx(5.0, rel=0.1)


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="FluidSynth is not installed (apt install fluidsynth)")
def test_the_midi_files_vibrato_plays_the_same_in_fluidsynth(tmp_path: Path) -> None:
    """The MIDI file sets a note's vibrato with the SoundFont NRPNs (midi_file.vibrato_messages): FluidSynth,
    reading them, plays the swing ours plays, the offsets added to the font's own LFO (MuseScore's sine, bank 8,
    runs its vibrato LFO at -851 cents and no depth: 3 Hz with ours added), straight until the delay."""
    font = bundled_soundfont("MuseScore_General_Lite.sf3")
    midi = mido.MidiFile(ticks_per_beat=480)  # 120 bpm: 960 ticks a second
    track = mido.MidiTrack()
    midi.tracks.append(track)
    for control, value in ((7, 127), (0, 8)):  # full volume, as our notes play; bank 8
        track.append(mido.Message("control_change", channel=0, control=control, value=value, time=0))
    track.append(mido.Message("program_change", channel=0, program=80, time=0))
    track.extend(vibrato_messages(PLAYED_VIBRATO, 0))  # type: ignore[arg-type]
    track.append(mido.Message("note_on", channel=0, note=69, velocity=100, time=0))
    track.append(mido.Message("note_off", channel=0, note=69, velocity=0, time=1920))
    track.append(mido.MetaMessage("end_of_track", time=960))
    midi.save(str(tmp_path / "vibrato.mid"))
    theirs = fluid_play(str(shutil.which("fluidsynth")), font, tmp_path / "vibrato.mid", tmp_path / "fluid.wav")
    ours = synthesizer(font, RATE).render([NoteEvent(0.0, 2.0, 69, 100, 80, bank=8, vibrato=PLAYED_VIBRATO)])
    heard = [_vibrato_seen(*_pitch_track(audio[: round(1.8 * RATE)])) for audio in (theirs, ours)]
    for straight, top, bottom, _ in heard:
        assert straight < 2 and 30 <= top <= 44 and -44 <= bottom <= -30, heard
    assert np.allclose(heard[0][1:], heard[1][1:], atol=2.0, rtol=0.05), heard


def test_pitch_envelope_glides_down_to_the_note(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0.0, 1.5, 69, 100, 1)])
    times, hz = _pitch_track(audio)
    assert hz[times < 0.05].mean() == pytest.approx(880, rel=0.06)  # starts an octave up
    assert hz[(times > 0.6) & (times < 1.2)].mean() == pytest.approx(440, rel=0.005)  # then sits on the note


def test_filter_envelope_closes_after_the_attack(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0.0, 1.5, 69, 100, 2)])
    assert _centroid(audio, 0.0, 0.08) > 3 * _centroid(audio, 0.6, 1.2)


def test_tremolo_moves_the_level_by_its_depth(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0.0, 2.0, 69, 100, 3)]).mean(axis=1)
    frames = audio[: round(1.8 * RATE)].reshape(-1, RATE // 100)  # 10 ms
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-20)
    assert 10 <= level.max() - level.min() <= 14  # +-6 dB


def test_a_harder_note_is_brighter_on_the_bundled_piano() -> None:
    # MuseScore_General's piano opens its filter further the harder it is struck (its own modulators: FluidSynth
    # gives velocity no say in the cutoff otherwise, and neither do we, so FluidR3Mono's piano is as bright soft)
    piano = synthesizer(bundled_soundfont("MuseScore_General_Lite.sf3"))
    soft = piano.render([NoteEvent(0.0, 1.0, 60, 30, 0)])
    hard = piano.render([NoteEvent(0.0, 1.0, 60, 120, 0)])
    assert _centroid(soft, 0.05, 0.6) < 0.9 * _centroid(hard, 0.05, 0.6)


def test_modulated_voices_are_reused_and_sound_the_same_each_time(synth: Synthesizer) -> None:
    once = synth.render([NoteEvent(0.0, 1.0, 69, 100, 2)])
    twice = synth.render([NoteEvent(0.0, 1.0, 69, 100, 2), NoteEvent(1.5, 1.0, 69, 100, 2)])
    start = round(1.5 * RATE)
    np.testing.assert_allclose(twice[start : start + len(once)], once[: len(twice) - start], atol=1e-6)


def test_synthetic_font_exists(tmp_path: Path) -> None:
    """The font written for these tests loads with its modulation generators intact (not dropped as unknown)."""
    period = SINE_RATE // 440
    path = build_sf2(
        tmp_path / "one.sf2",
        [FontSample("s", sine(440, SINE_RATE, 0.5), SINE_RATE, 69, loop=(period, period * 40))],
        [FontPreset("V", 0, [FontZone(0, {**LOOP, Gen.VIB_LFO_TO_PITCH: 30})])],
    )
    spec = load_soundfont(path).voices(0, 0, 69, velocity=100)[0]
    assert spec.gen(Gen.VIB_LFO_TO_PITCH) == 30


def test_a_vibrato_past_the_nrpns_reach_still_writes_valid_midi() -> None:
    """A data entry holds 14 bits around 8192: a vibrato beyond them is held at their reach, so every message the
    MIDI file gets is a valid controller value (mido refuses one over 127)."""
    for extreme in (Vibrato.of(1e6, 1e6, 1e6), Vibrato.of(-1e6, 1e-9, 0.0)):
        values = [message.value for message in vibrato_messages(extreme, 0)]  # type: ignore[attr-defined]
        assert all(0 <= value <= 127 for value in values), (extreme, values)
