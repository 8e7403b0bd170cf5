"""The synthesizers a caller owns (Instruments): one per font and rate for its owner, with the waveforms they keep
between pieces; nothing shared between owners, and no synthesizer kept by the module for everyone."""

from __future__ import annotations

import numpy as np

from free_music_ai.engine.music.produce import RATE, font_for, produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import Instruments, bundled_soundfont, synthesizer


def test_an_owner_keeps_one_synthesizer_per_font_and_rate() -> None:
    instruments = Instruments()
    assert instruments.synthesizer() is instruments.synthesizer(bundled_soundfont())
    assert instruments.synthesizer(sample_rate=44_100) is not instruments.synthesizer()
    assert Instruments().synthesizer() is not instruments.synthesizer()  # two owners share nothing
    assert synthesizer() is not synthesizer()  # the module keeps none


def test_the_second_piece_of_an_owner_plays_from_the_waveforms_of_the_first() -> None:
    instruments = Instruments()
    spec = MusicSpec(duration_s=8, genre=Genre.LOFI, seed=2)
    first = produce(spec, instruments=instruments)
    cache = instruments.synthesizer(font_for(Genre.LOFI), RATE).cache
    misses, hits = cache.misses, cache.hits
    assert misses > 0  # the first piece rendered its waveforms on this owner's synthesizer
    second = produce(spec, instruments=instruments)
    assert cache.misses == misses and cache.hits > hits  # the same piece again: every waveform was kept
    assert np.array_equal(first.audio, second.audio)
    alone = produce(spec)  # on a synthesizer of its own: the same music
    assert np.array_equal(first.audio, alone.audio)
