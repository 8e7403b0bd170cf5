"""The work voices share, checked against doing it voice by voice: filter transforms shared by the voices that
read one sample, filter-bank shares drawn only where a level sounds, the velocity's filter in steps, a quiet
voice let go as soon as it is silent, and a sample decoded only as far as the notes read it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.signal import lfilter

from free_music_ai.engine.soundfont import NoteEvent, Synthesizer, bundled_soundfont, load_soundfont
from free_music_ai.engine.soundfont.font import (
    FILTER_GENS,
    RELEASE_QUANTUM_TIMECENTS,
    SoundFont,
    VoiceSpec,
    timbre_velocity,
)
from free_music_ai.engine.soundfont.generators import Gen
from free_music_ai.engine.soundfont.lowpass import FILTER_BLOCK, HEAD, BlockSpectra, filter_q, lowpass, lowpass_head
from free_music_ai.engine.soundfont.modulation import CONTROL_STEP, Modulation, bank_levels, heard_shares
from free_music_ai.engine.soundfont.names import PIANO_FONT_NAME
from free_music_ai.engine.soundfont.samples import SampleData
from free_music_ai.engine.soundfont.voice import Envelope, voice_length

from .fluid_notes import energy_db

RATE = 48_000


def test_a_filter_on_shared_block_transforms_gives_the_same_samples() -> None:
    signal = np.random.default_rng(0).standard_normal(FILTER_BLOCK * 37 + 555).astype(np.float32)
    shared = BlockSpectra(signal)
    for length in (1000, FILTER_BLOCK * 3, FILTER_BLOCK * 16, FILTER_BLOCK * 20 + 17, len(signal)):
        for cutoff in (6000.0, 9400.0):
            alone = lowpass(signal[:length], cutoff, 30.0, rate=RATE)
            assert np.array_equal(lowpass(signal[:length], cutoff, 30.0, rate=RATE, spectra=shared), alone)


@pytest.mark.parametrize("q_cb", [0.0, 100.0, 200.0])
@pytest.mark.parametrize("cutoff", [1500.0, 4500.0, 6100.0, 9100.0, 12000.0])
def test_a_level_heard_only_in_the_attack_is_filtered_as_the_recursion_runs(cutoff: float, q_cb: float) -> None:
    """The filter-bank levels a piano's opening filter sweeps through in its first milliseconds are filtered as
    FluidSynth runs its filter, sample by sample (scipy's lfilter here), whatever the cutoff and resonance (the block
    transform's 4096-sample tail cuts a low, resonant filter's ringing short: 3e-2 off at 19 Hz and 20 dB), and a
    shorter read gives the same first samples."""
    signal = np.random.default_rng(3).standard_normal(FILTER_BLOCK).astype(np.float32)
    hz = 8.176 * 2.0 ** (cutoff / 1200.0)
    w0, q = 2 * math.pi * round(hz, 3) / RATE, filter_q(q_cb)
    alpha, cos_w0 = math.sin(w0) / (2 * q), math.cos(w0)
    b = [(1 - cos_w0) / 2, 1 - cos_w0, (1 - cos_w0) / 2]
    expected = lfilter(b, [1 + alpha, -2 * cos_w0, 1 - alpha], signal[:HEAD].astype(np.float64))
    got = lowpass_head(signal, cutoff, q_cb, rate=RATE)
    assert len(got) == HEAD and np.max(np.abs(got - expected)) < 1e-6
    assert np.array_equal(lowpass_head(signal[:100], cutoff, q_cb, rate=RATE), got[:100])


def _hats(curve: np.ndarray, levels: list[float], k: int) -> np.ndarray:
    position = (curve - levels[0]) / np.float32((levels[-1] - levels[0]) / (len(levels) - 1))
    return np.maximum(np.float32(0.0), np.float32(1.0) - np.abs(position - np.float32(k)))


def test_filter_bank_shares_are_drawn_only_where_a_level_sounds() -> None:
    rng = np.random.default_rng(1)
    checked = 0
    for _ in range(120):
        modulation = Modulation(
            0, 0, 0, float(rng.choice([2800, -3000, 6000])), float(rng.choice([0, 300, 1200])), 0,
            float(rng.uniform(3000, 12000)), 0.0, 0.001, float(rng.uniform(0.001, 0.5)), float(rng.uniform(0, 2)),
            float(rng.uniform(0.05, 5)), float(rng.uniform(0, 1)), float(rng.uniform(0, 1)),
            float(rng.uniform(0.5, 8)), 0.0, 5.0,
        )  # fmt: skip
        if not modulation.moves_filter:
            continue
        length = int(rng.integers(1, 200_000))
        levels = bank_levels(*modulation.cutoff_range())
        points = modulation.cutoff_points(length, RATE)
        rows = -(-length // CONTROL_STEP)
        steps = np.arange(CONTROL_STEP, dtype=np.float64)
        curve = ((np.diff(points[: rows + 1]) / CONTROL_STEP)[:, None] * steps + points[:rows, None]).reshape(-1)
        curve = curve[:length].astype(np.float32)
        for k, heard in enumerate(heard_shares(points, levels, length, step=CONTROL_STEP)):
            expected = _hats(curve, levels, k)
            drawn = np.zeros(length, dtype=np.float32)
            if heard is not None:
                first, share, held, end = heard
                assert (share[0] if len(share) else held) > 0 and (held or share[-1]) > 0
                drawn[first : first + len(share)] = share
                drawn[first + len(share) : end] = held
            assert np.array_equal(drawn, expected)
            checked += 1
    assert checked > 200


def test_notes_a_few_velocity_steps_apart_share_their_filter_and_keep_their_loudness() -> None:
    font = load_soundfont(bundled_soundfont(PIANO_FONT_NAME))
    soft, hard = font.voices(0, 0, 60, velocity=57), font.voices(0, 0, 60, velocity=64)
    assert timbre_velocity(57) == timbre_velocity(64)
    for a, b in zip(soft, hard, strict=True):
        assert all(a.gen(gen) == b.gen(gen) for gen in FILTER_GENS)
        assert a.gen(Gen.INITIAL_ATTENUATION) > b.gen(Gen.INITIAL_ATTENUATION)  # the softer note is quieter
    synth = Synthesizer(font, RATE, workers=1)
    levels = []
    for velocity in (57, 64):
        audio = synth.render([NoteEvent(0.0, 0.5, 60, velocity)])
        levels.append(20 * math.log10(float(np.sqrt(np.mean(audio[: RATE // 2] ** 2)))))
    assert levels[1] - levels[0] > 0.5
    # every velocity of the step plays the same pitched, filtered waveforms (only their level and release differ)
    waveforms = {v.shape.pitched_key for v in synth._plan([NoteEvent(0.0, 0.5, 60, vel) for vel in range(57, 65)])}
    assert len(waveforms) == len(soft)


def test_a_humanized_piano_keeps_a_few_release_curves_each_within_a_third_of_a_db_of_the_fonts() -> None:
    """MuseScore's piano moves its release with velocity, a few timecents a step, and differently in each zone: each
    release is a fall curve the synthesizer keeps in its cache (600 s of pop asked for 453 of them, 52 MB of its 256,
    and the cache let go of waveforms the piece played again). Releases on a grid of RELEASE_QUANTUM_TIMECENTS come
    to a few curves, none further from the font's own than 0.3 dB where it has fallen 90 dB."""
    font = load_soundfont(bundled_soundfont(PIANO_FONT_NAME))
    synth = Synthesizer(font, RATE, workers=1)
    rng = np.random.default_rng(5)
    events = [NoteEvent(0.25 * k, 0.2, int(rng.integers(40, 85)), int(rng.integers(72, 97))) for k in range(400)]
    voices = synth._plan(events)
    releases = {v.shape.env.release for v in voices if v.shape is not None}
    assert len(releases) <= 100  # 316 before the grid
    for release in releases:
        timecents = 1200.0 * math.log2(release)
        assert abs(timecents - round(timecents / RELEASE_QUANTUM_TIMECENTS) * RELEASE_QUANTUM_TIMECENTS) < 1e-6
    # half a step from the font's own release: how far its fall is off where it has come down 90 dB
    assert 90.0 * (1.0 - 2.0 ** (-RELEASE_QUANTUM_TIMECENTS / 2 / 1200.0)) <= 0.3


def test_a_quiet_voice_is_let_go_sooner_by_how_much_quieter_it_is() -> None:
    env = Envelope(delay=0.0, attack=0.001, hold=0.0, decay=1.0, sustain_db=-6.0, release=0.5)
    gate = RATE
    full = voice_length(env, gate, RATE)
    quiet = voice_length(env, gate, RATE, gain_db=-30.0)
    assert abs((full - quiet) - 0.5 * 30.0 / 96.0 * RATE) <= 2
    assert voice_length(env, gate, RATE, gain_db=3.0) == full  # louder than full scale: no longer than the envelope


def test_a_held_note_that_dies_away_on_its_own_ends_where_it_falls_silent() -> None:
    # a piano-like envelope: held, its level decays 96 dB in 4 s; a key held 30 s is silent long before its release
    env = Envelope(delay=0.0, attack=0.001, hold=0.5, decay=4.0, sustain_db=-96.0, release=0.7)
    held = voice_length(env, 30 * RATE, RATE)
    assert abs(held / RATE - (0.001 + 0.5 + 4.0 * 90 / 96)) < 0.01
    assert voice_length(env, 30 * RATE, RATE, gain_db=-30.0) < held  # a quiet voice falls silent sooner
    organ = Envelope(delay=0.0, attack=0.001, hold=0.0, decay=1.0, sustain_db=-10.0, release=0.7)
    assert voice_length(organ, 30 * RATE, RATE) > 30 * RATE  # a sustain above silence rings to its release


def test_waveforms_left_to_the_mix_are_read_once_per_sample_and_key(monkeypatch: pytest.MonkeyPatch) -> None:
    # a cache too small to render everything first: the mix renders the rest, each read of a sample shared by the
    # voices that filter it differently (the piano's velocities), and sounds as one voice at a time does
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.spec import Genre, MusicSpec
    from free_music_ai.engine.soundfont import synth as synth_module
    from free_music_ai.engine.soundfont import voice as voice_module
    from free_music_ai.engine.soundfont.waveform_cache import WaveformCache

    events = list(compose(MusicSpec(duration_s=10, genre=Genre.CINEMATIC, seed=11)).events)
    font = load_soundfont(bundled_soundfont(PIANO_FONT_NAME))
    one_by_one = Synthesizer(font, RATE, workers=1).render_buses(events)["mix"]
    roomy = Synthesizer(font, RATE, WaveformCache(2**40), workers=2)
    roomy.render_buses(events)
    pitched = {key for key in roomy.cache._items if key[0] == "pitched"}
    reads: list[tuple[object, ...]] = []
    original = voice_module.pitched_source

    def counted(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int, length: int) -> np.ndarray:
        reads.append((spec.sample_index, key, spec.gen(Gen.SAMPLE_MODES)))
        return original(spec, sample, key, rate=rate, length=length)

    monkeypatch.setattr(voice_module, "pitched_source", counted)
    monkeypatch.setattr(synth_module, "pitched_source", counted)
    # all of it fits, but not with the room to spare that rendering it all first asks: a quarter is rendered first
    mixer = Synthesizer(font, RATE, WaveformCache(roomy.cache._bytes), workers=2).mixer(events)
    assert mixer.deferred
    buses = {name: np.zeros((2, mixer.length), dtype=np.float32) for name in mixer.names}
    mixer.mix_into(buses, 0)
    threaded = buses["mix"]
    assert np.max(np.abs(threaded - one_by_one)) < 1e-6
    assert len(reads) < len(pitched)  # velocities share reads
    assert len(reads) == len(set(reads))


def test_a_short_note_decodes_the_head_of_a_long_sample_and_plays_as_with_all_of_it() -> None:
    """MuseScore_General's piano samples run six to nine seconds: a quarter-second note (and its release) reads the
    first two, so only they are decoded, and it plays to the bit as it does with the whole sample decoded."""
    path = bundled_soundfont(PIANO_FONT_NAME)
    note = [NoteEvent(0.0, 0.25, 60, 90, 0)]
    headed = SoundFont(path)  # fonts of their own: load_soundfont shares one per file
    played = Synthesizer(headed, RATE).render(note)
    whole = SoundFont(path)
    for spec in whole.voices(0, 0, 60, velocity=90):
        whole.samples.get(spec.sample_index)  # all of it, decoded before the note plays
    assert np.array_equal(played, Synthesizer(whole, RATE).render(note))
    assert energy_db(played) > -40
    for spec in headed.voices(0, 0, 60, velocity=90):
        sample = headed.samples.get(spec.sample_index, 0)
        assert len(sample.audio) < sample.length / 2, (len(sample.audio), sample.length)
