"""The font's reverb and chorus sends (generators 16 and 15) reach the mono effect sends, scaled per bus."""

from __future__ import annotations

import numpy as np
import pytest

from free_music_ai.engine.soundfont import NoteEvent, Synthesizer, load_soundfont
from free_music_ai.engine.soundfont.generators import Gen
from free_music_ai.engine.soundfont.synth import CHORUS_SEND, REVERB_SEND

from .sf2_builder import FontPreset, FontSample, FontZone, build_sf2, sine

RATE = 48_000
SINE_RATE = 44_000
LOOP = {Gen.SAMPLE_MODES: 1}


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesizer:
    period = SINE_RATE // 440
    samples = [FontSample("sine", sine(440, SINE_RATE, 1.0), SINE_RATE, 69, loop=(period * 10, period * 90))]
    presets = [
        FontPreset("Dry", 0, [FontZone(0, {**LOOP, Gen.REVERB_SEND: 0})]),
        FontPreset("Typical", 1, [FontZone(0, {**LOOP, Gen.REVERB_SEND: 100})]),
        FontPreset("Wet", 2, [FontZone(0, {**LOOP, Gen.REVERB_SEND: 250, Gen.CHORUS_SEND: 200})]),
    ]
    path = build_sf2(tmp_path_factory.mktemp("sf") / "sends.sf2", samples, presets)
    return Synthesizer(load_soundfont(path), RATE, workers=1)


def _sends(synth: Synthesizer, program: int, part: str, amount: float) -> dict[str, np.ndarray]:
    """One second of one note: its bus and its sends."""
    event = NoteEvent(start_s=0.0, duration_s=0.8, key=69, velocity=100, program=program, part=part)
    mixer = synth.mixer([event], {part: part}, {}, bus_sends={part: amount})
    buffers = {part: np.zeros((2, RATE), np.float32)} | {name: np.zeros(RATE, np.float32) for name in mixer.send_names}
    mixer.mix_into(buffers, 0)
    return buffers


def _rms(signal: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))


def test_the_reverb_hears_each_voice_as_much_as_its_font_asks(synth: Synthesizer) -> None:
    levels = {}
    for program in (0, 1, 2):
        buffers = _sends(synth, program, "keys", 1.0)
        # the send hears the voice as the centre of the mix does: as loud as the left channel of a centred voice
        levels[program] = _rms(buffers[REVERB_SEND]) / _rms(buffers["keys"][0])
    # a typical voice (10 %) sends as much as its bus asks; a dry one only the player's default, a wet one more
    assert levels[1] == pytest.approx(1.0, rel=0.01)
    assert levels[0] == pytest.approx(0.0625 / 0.1625, rel=0.01)
    assert levels[2] == pytest.approx(0.3125 / 0.1625, rel=0.01)
    assert levels[0] < levels[1] < levels[2]


def test_only_a_font_that_asks_for_chorus_gets_it(synth: Synthesizer) -> None:
    assert CHORUS_SEND not in _sends(synth, 1, "keys", 1.0)
    wet = _sends(synth, 2, "keys", 1.0)
    assert _rms(wet[CHORUS_SEND]) / _rms(wet["keys"][0]) == pytest.approx(0.2, rel=0.01)


def test_a_dry_bus_sends_nothing_whatever_the_font_says(synth: Synthesizer) -> None:
    assert set(_sends(synth, 2, "bass", 0.0)) == {"bass"}
