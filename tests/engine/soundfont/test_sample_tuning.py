"""The bundled font's out-of-tune samples played in tune (sample_tuning.py), measured from outside: the mean
frequency of a held note's fundamental over whole periods of its vibrato, from the phase of its analytic signal
(scipy), against equal temperament at A4 = 440 Hz."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, hilbert, sosfiltfilt

from free_music_ai.engine.soundfont import NoteEvent, synthesizer
from free_music_ai.engine.soundfont.sample_tuning import RETUNED, retuned

RATE = 48_000


def held_cents(audio: np.ndarray, key: int) -> float:
    """The note's pitch against equal temperament, in cents: its fundamental's phase from 0.65 s to 1.85 s (six
    periods of the font's 5 Hz vibrato, so it averages out), band-passed three semitones either side."""
    mono = audio.mean(axis=1).astype(np.float64)
    f0 = 440.0 * 2 ** ((key - 69) / 12)
    band = butter(4, [f0 * 2 ** (-3 / 12), f0 * 2 ** (3 / 12)], btype="band", fs=RATE, output="sos")
    phase = np.unwrap(np.angle(hilbert(sosfiltfilt(band, mono))))
    first, last = round(0.65 * RATE), round(1.85 * RATE)
    hz = (phase[last] - phase[first]) / (2 * np.pi) / ((last - first) / RATE)
    return float(1200 * np.log2(hz / f0))


@pytest.mark.parametrize("key", [83, 86, 88])
def test_the_whistle_is_in_tune(key: int) -> None:
    """GM 78's whistle in MuseScore_General_Lite settled 9.9 cents sharp (its loop: 20 cycles in 419 frames at
    44.1 kHz), heard against a folk band's guitars (FluidSynth plays it as sharp). Retuned, within 2 cents."""
    audio = synthesizer().render([NoteEvent(0.0, 2.0, key, 90, 78)])
    assert abs(held_cents(audio, key)) <= 2.0, held_cents(audio, key)


def test_a_retuning_touches_only_its_own_font_and_sample() -> None:
    """Another font's sample of the same name keeps its own tuning."""
    from free_music_ai.engine.soundfont import bundled_soundfont, load_soundfont

    font = load_soundfont(bundled_soundfont())
    whistle = next(s for s in font.hydra.samples if s.name == "whistle")
    assert (font.name, "whistle") in RETUNED
    assert retuned("another.sf2", (whistle,)) == (whistle,)
    flute = next(s for s in font.hydra.samples if s.name != "whistle")
    assert retuned(font.name, (flute,)) == (flute,)
