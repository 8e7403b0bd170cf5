"""The synthesizer, measured from outside: pitch by FFT, level by RMS, against a font built from a known sine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from free_music_ai.engine.soundfont import (
    NoteEvent,
    SoundFont,
    Synthesizer,
    bundled_soundfont,
    load_soundfont,
    synthesizer,
)
from free_music_ai.engine.soundfont.generators import Gen
from free_music_ai.engine.soundfont.names import BUNDLED_FONT_NAME, PIANO_FONT_NAME
from free_music_ai.errors import SoundFontError

from .sf2_builder import FontPreset, FontSample, FontZone, build_sf2, sine

RATE = 48_000
SINE_RATE = 44_000  # 440 Hz is exactly 100 samples a period, so a loop of whole periods is seamless


def measured_hz(audio: np.ndarray, start_s: float = 0.2, seconds: float = 0.5) -> float:
    """Frequency of the strongest partial, by a zero-padded FFT with parabolic peak interpolation."""
    mono = audio[int(start_s * RATE) : int((start_s + seconds) * RATE)].sum(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)), 1 << 20))
    peak = int(np.argmax(spectrum))
    a, b, c = np.log(spectrum[peak - 1 : peak + 2] + 1e-12)
    return (peak + 0.5 * (a - c) / (a - 2 * b + c)) * RATE / (1 << 20)


def fundamental_hz(audio: np.ndarray, start_s: float = 0.15, seconds: float = 0.5) -> float:
    """The period that best repeats (autocorrelation): a real instrument's strongest partial may be a harmonic."""
    mono = audio[int(start_s * RATE) : int((start_s + seconds) * RATE)].sum(axis=1)
    mono = mono * np.hanning(len(mono))
    ac = np.fft.irfft(np.abs(np.fft.rfft(mono, 1 << 20)) ** 2)[: RATE // 20]
    lag = RATE // 2000 + int(np.argmax(ac[RATE // 2000 :]))
    a, b, c = ac[lag - 1 : lag + 2]
    return RATE / (lag + 0.5 * (a - c) / (a - 2 * b + c))


def cents(measured: float, key: int) -> float:
    return float(1200 * np.log2(measured / (440.0 * 2 ** ((key - 69) / 12))))


def rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x))) + 1e-12))


@pytest.fixture(scope="module")
def sine_font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    period = SINE_RATE // 440
    samples = [
        FontSample("sine", sine(440, SINE_RATE, 1.0), SINE_RATE, 69, loop=(period * 10, period * 90)),
        FontSample("oneshot", sine(440, SINE_RATE, 0.3) * np.linspace(1, 0, round(SINE_RATE * 0.3)), SINE_RATE, 69),
    ]
    presets = [
        # program 0: a looped sine, 0.3 s release
        FontPreset("Sine", 0, [FontZone(0, {Gen.SAMPLE_MODES: 1, Gen.RELEASE_VOL_ENV: -2000})]),
        # program 1: same sample; the preset level adds an octave (+12 coarse) to the instrument's +100 cents fine
        FontPreset(
            "Octave",
            1,
            [FontZone(0, {Gen.SAMPLE_MODES: 1, Gen.FINE_TUNE: 100})],
            preset_gens={Gen.COARSE_TUNE: 12, Gen.FINE_TUNE: -100},
        ),
        # program 2: key split: low keys play the one-shot, high keys the loop; a global zone sets the release
        FontPreset(
            "Split",
            2,
            [FontZone(1, {}, (0, 69)), FontZone(0, {Gen.SAMPLE_MODES: 1}, (70, 127))],
            instrument_gens={Gen.RELEASE_VOL_ENV: -3000},
        ),
        # program 3: fixed root key 57 (A3) for the 440 Hz sample: every key sounds an octave higher
        FontPreset("Root", 3, [FontZone(0, {Gen.SAMPLE_MODES: 1, Gen.OVERRIDING_ROOT_KEY: 57})]),
        # program 4: a low cutoff
        FontPreset("Dark", 4, [FontZone(0, {Gen.SAMPLE_MODES: 1, Gen.INITIAL_FILTER_FC: 6900})]),
    ]
    return build_sf2(tmp_path_factory.mktemp("sf") / "sine.sf2", samples, presets)


@pytest.fixture(scope="module")
def synth(sine_font: Path) -> Synthesizer:
    return Synthesizer(load_soundfont(sine_font), RATE)


@pytest.mark.parametrize("key", [33, 45, 57, 69, 81, 93, 105])
def test_pitch_follows_the_key(synth: Synthesizer, key: int) -> None:
    audio = synth.render([NoteEvent(0, 1.0, key, 100, program=0)])
    assert abs(cents(measured_hz(audio), key)) < 5


def test_preset_generators_add_to_instrument_ones(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0, 1.0, 60, 100, program=1)])
    assert abs(cents(measured_hz(audio), 72)) < 5  # +12 semitones, and +100 - 100 cents cancel


def test_overriding_root_key(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0, 1.0, 60, 100, program=3)])
    assert abs(cents(measured_hz(audio), 72)) < 5


def test_key_ranges_pick_zones(synth: Synthesizer) -> None:
    low = synth.render([NoteEvent(0, 2.0, 69, 100, program=2)])
    high = synth.render([NoteEvent(0, 2.0, 81, 100, program=2)])
    assert len(low) / RATE < 0.5  # the one-shot runs out of sample, whatever the note length
    assert len(high) / RATE >= 2.0  # the loop holds for the whole note


def test_loop_holds_a_long_note_without_gaps_or_clicks(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0, 5.0, 69, 100, program=0)])[:, 0]
    held = audio[int(0.1 * RATE) : int(4.9 * RATE)]
    windows = held[: len(held) // 960 * 960].reshape(-1, 960)
    levels = 20 * np.log10(np.sqrt(np.mean(windows**2, axis=1)))
    assert levels.max() - levels.min() < 0.2  # no gap, no dip at the loop seam
    # a click is a jump far beyond what a 440 Hz sine does between two samples
    assert np.abs(np.diff(held)).max() < 1.1 * 2 * np.pi * 440 / RATE * np.abs(held).max()


def test_release_rings_past_the_note_and_decays(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0, 1.0, 69, 100, program=0)])[:, 0]
    assert len(audio) > 1.2 * RATE  # the release rings past note-off
    just_after = rms_db(audio[int(1.0 * RATE) : int(1.005 * RATE)])
    later = rms_db(audio[int(1.2 * RATE) : int(1.25 * RATE)])
    sustain = rms_db(audio[int(0.5 * RATE) : int(0.55 * RATE)])
    assert sustain - 3 < just_after < sustain + 0.5
    assert later < just_after - 20  # 0.3 s release: about 100 dB per 0.3 s
    assert rms_db(audio[-480:]) < sustain - 70


def test_a_note_sounds_the_same_whatever_notes_came_before(sine_font: Path) -> None:
    """Notes of one key share their rendered sample and envelope rise, grown as longer notes come: a long
    note after short ones must sound as it does alone, release and all."""
    font = load_soundfont(sine_font)
    long_note = NoteEvent(3.0, 1.5, 69, 100, program=0)
    short_notes = [NoteEvent(0, 0.2, 69, 100, program=0), NoteEvent(1.0, 0.5, 69, 100, program=0)]
    after_short = Synthesizer(font, RATE, workers=1).render([*short_notes, long_note])
    alone = Synthesizer(font, RATE, workers=1).render([long_note])
    assert len(after_short) == len(alone)
    note = slice(int(3.0 * RATE), None)
    assert np.max(np.abs(after_short[note] - alone[note])) < 1e-6
    held, released = alone[int(4.0 * RATE) : int(4.4 * RATE)], alone[int(4.6 * RATE) :]
    assert rms_db(released) < rms_db(held) - 20


def test_velocity_sets_loudness_by_the_soundfont_curve(synth: Synthesizer) -> None:
    loud = synth.render([NoteEvent(0, 1.0, 69, 127, program=0)])
    soft = synth.render([NoteEvent(0, 1.0, 69, 64, program=0)])
    difference = rms_db(loud[RATE // 4 : RATE // 2]) - rms_db(soft[RATE // 4 : RATE // 2])
    assert difference == pytest.approx(40 * np.log10(127 / 64), abs=0.5)  # amplitude ~ velocity squared


def test_constant_power_pan(synth: Synthesizer) -> None:
    centre = synth.render([NoteEvent(0, 1.0, 69, 100, program=0)])
    left = synth.render([NoteEvent(0, 1.0, 69, 100, program=0, pan=-1.0)])
    part = slice(RATE // 4, RATE // 2)
    assert rms_db(centre[part, 0]) == pytest.approx(rms_db(centre[part, 1]), abs=0.01)
    assert rms_db(left[part, 1]) < rms_db(left[part, 0]) - 60
    total_centre = np.sum(centre[part] ** 2)
    total_left = np.sum(left[part] ** 2)
    assert total_left == pytest.approx(total_centre, rel=0.01)  # power stays constant as it moves


def test_filter_cutoff_removes_highs(synth: Synthesizer) -> None:
    """A 440 Hz sine through a cutoff near 440 Hz (6900 cents = 444 Hz) loses little; at key 93 (1760 Hz) a lot."""
    plain_high = synth.render([NoteEvent(0, 1.0, 93, 100, program=0)])
    dark_high = synth.render([NoteEvent(0, 1.0, 93, 100, program=4)])
    part = slice(RATE // 4, RATE // 2)
    assert rms_db(dark_high[part]) < rms_db(plain_high[part]) - 15


def test_deterministic_and_stems_sum_to_mix(synth: Synthesizer) -> None:
    events = [NoteEvent(0, 0.5, 69, 100, program=0, part="a"), NoteEvent(0.25, 0.5, 76, 90, program=2, part="b")]
    first, second = synth.render(events), synth.render(events)
    assert np.array_equal(first, second)
    stems = synth.render_stems(events)
    assert set(stems) == {"a", "b"}
    assert np.allclose(stems["a"] + stems["b"], first, atol=1e-6)


def test_unknown_program_falls_back(synth: Synthesizer) -> None:
    audio = synth.render([NoteEvent(0, 0.5, 69, 100, program=99)])
    assert rms_db(audio) > -40


# --- the bundled General MIDI font ---------------------------------------------------------------------------


def test_bundled_font_has_general_midi() -> None:
    font = SoundFont(bundled_soundfont())  # a fresh load, not the process-wide one other tests have played
    presets = {(p.bank, p.program) for p in font.presets()}
    assert all((0, program) in presets for program in range(128))
    assert (128, 0) in presets
    assert font.samples.decoded_count == 0  # sf3 samples are decoded when first played, not at load


@pytest.mark.parametrize(("program", "key"), [(24, 36), (24, 60), (24, 84), (33, 36), (33, 60), (48, 48), (48, 60)])
def test_bundled_font_in_tune(program: int, key: int) -> None:
    audio = synthesizer().render([NoteEvent(0, 1.0, key, 100, program=program)])
    # within what the font's own samples allow: its strings' C3 is 5.6 cents flat in FluidSynth too (our pitch
    # is FluidSynth's to a cent: test_against_fluidsynth.py)
    assert abs(cents(fundamental_hz(audio), key)) < 8


def test_drums_do_not_loop() -> None:
    audio = synthesizer().render([NoteEvent(0, 6.0, 36, 110, drum=True)])  # a kick held for 6 s
    assert len(audio) < RATE  # it plays its sample once (0.28 s) instead of looping for the 6 s held
    assert rms_db(audio[-RATE // 100 :]) < rms_db(audio[: RATE // 20]) - 30  # and has died away by its end


def test_exclusive_class_chokes_the_open_hi_hat() -> None:
    synth = synthesizer()
    open_hat = NoteEvent(0, 1.0, 46, 100, drum=True)
    closed_hat = NoteEvent(0.2, 0.1, 42, 100, drum=True)
    together = synth.render([open_hat, closed_hat])
    closed_alone = synth.render([NoteEvent(0.0, 0.1, 42, 100, drum=True)])
    after = slice(int(0.25 * RATE), int(0.25 * RATE) + len(closed_alone) - int(0.05 * RATE))
    residue = together[after] - closed_alone[int(0.05 * RATE) : int(0.05 * RATE) + (after.stop - after.start)]
    open_alone = synth.render([open_hat])
    assert rms_db(residue) < rms_db(open_alone[after]) - 30  # the open hat is gone once the closed one hits


def test_a_key_struck_again_lets_go_of_the_note_it_holds(synth: Synthesizer) -> None:
    """As on a MIDI channel (FluidSynth releases the held voice): the first note rings out from the second's
    start, in its own part only."""
    held = NoteEvent(0.0, 3.0, 69, 100, program=0, part="keys")
    again = NoteEvent(1.0, 0.5, 69, 100, program=0, part="keys")
    elsewhere = NoteEvent(1.0, 0.5, 69, 100, program=0, part="lead")
    late = slice(round(2.5 * RATE), round(2.9 * RATE))  # after both releases (0.3 s) of the restruck key

    def play(*events: NoteEvent) -> np.ndarray:
        audio = synth.render(list(events))
        return np.pad(audio, ((0, max(0, 4 * RATE - len(audio))), (0, 0)))  # what ended early is silence

    restruck = play(held, again)
    assert rms_db(restruck[late]) < rms_db(restruck[round(0.2 * RATE) : round(0.8 * RATE)]) - 60
    assert abs(rms_db(play(held, elsewhere)[late]) - rms_db(play(held)[late])) < 0.1  # another part's: held on


# --- parsing and bad files -------------------------------------------------------------------------------


def test_unknown_chunks_are_skipped(sine_font: Path) -> None:
    assert b"ZZZZ" in sine_font.read_bytes()  # the builder writes an unknown INFO chunk
    assert len(load_soundfont(sine_font).presets()) == 5


def test_truncated_font(tmp_path: Path, sine_font: Path) -> None:
    cut = tmp_path / "cut.sf2"
    cut.write_bytes(sine_font.read_bytes()[: len(sine_font.read_bytes()) // 2])
    with pytest.raises(SoundFontError, match=r"truncated|incomplete"):
        load_soundfont(cut)


def test_garbage_font(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sf2"
    junk.write_bytes(b"RIFF\x10\x00\x00\x00sfbkLIST" + bytes(range(256)) * 4)
    with pytest.raises(SoundFontError):
        load_soundfont(junk)
    text = tmp_path / "text.sf3"
    text.write_text("not a soundfont")
    with pytest.raises(SoundFontError, match="not a SoundFont"):
        load_soundfont(text)
    with pytest.raises(SoundFontError, match="No SoundFont"):
        load_soundfont(tmp_path / "missing.sf2")


def test_bad_events_are_refused() -> None:
    with pytest.raises(ValueError, match="MIDI"):
        NoteEvent(0, 1, 128)
    with pytest.raises(ValueError, match="positive duration"):
        NoteEvent(0, 0, 60)


@pytest.mark.parametrize(("font_name", "genre", "seconds"), [(BUNDLED_FONT_NAME, "upbeat pop", 40),
                                                            (PIANO_FONT_NAME, "cinematic", 20)])  # fmt: skip
def test_waveforms_rendered_on_several_threads_sound_the_same_as_one_by_one(font_name: str, genre: str,
                                                                             seconds: float) -> None:  # fmt: skip
    # a real arrangement: every sample mode, looping and not, drums with exclusive classes; on MuseScore's font,
    # a piano whose two layers filter one read of each sample at several cutoffs (rendered together when threaded)
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.spec import Dynamics, Genre, MusicSpec

    # one level throughout: a short piece's peak would add brass and choir whose waveforms outgrow the default cache
    # (349 MB against 268 for cinematic's), and the mix would render some again whatever the threads did
    steady = MusicSpec(duration_s=seconds, genre=Genre(genre), seed=11, dynamics=Dynamics.STEADY)
    events = list(compose(steady).events)
    font = SoundFont(bundled_soundfont(font_name))
    one_by_one = Synthesizer(font, RATE, workers=1).render_buses(events)["mix"]
    threaded_synth = Synthesizer(font, RATE, workers=4)
    threaded = threaded_synth.render_buses(events)["mix"]
    assert threaded.shape == one_by_one.shape
    assert np.max(np.abs(threaded - one_by_one)) < 1e-6
    # the threads rendered every waveform beforehand: the mix itself found all of them in the cache
    misses = threaded_synth.cache.misses
    threaded_synth.render_buses(events)
    assert threaded_synth.cache.misses == misses
