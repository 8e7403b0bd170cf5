"""The waveform cache's room for one piece: a piece whose waveforms outgrow the cache but fit the room it may grow to
renders each of them once, sounds as it does in a cache with room to spare, and the room is given back after it."""

from __future__ import annotations

import numpy as np
import pytest

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import NoteEvent, Synthesizer, bundled_soundfont, load_soundfont
from free_music_ai.engine.soundfont.font import VoiceSpec
from free_music_ai.engine.soundfont.names import PIANO_FONT_NAME
from free_music_ai.engine.soundfont.samples import SampleData
from free_music_ai.engine.soundfont.waveform_cache import WaveformCache

RATE = 48_000


def _mixed(synth: Synthesizer, events: list[NoteEvent]) -> np.ndarray:
    return synth.render_buses(events)["mix"]


def test_a_piece_larger_than_the_cache_renders_each_waveform_once_in_the_room_it_may_grow_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from free_music_ai.engine.soundfont import synth as synth_module
    from free_music_ai.engine.soundfont import voice as voice_module

    # cinematic's held strings: long waveforms, many at once
    events = list(compose(MusicSpec(duration_s=20, genre=Genre.CINEMATIC, seed=11)).events)
    font = load_soundfont(bundled_soundfont(PIANO_FONT_NAME))
    roomy = Synthesizer(font, RATE, WaveformCache(2**40), workers=2)
    expected = _mixed(roomy, events)
    needed = roomy.cache._bytes
    reads: list[tuple[object, ...]] = []
    original = voice_module.pitched_source

    def counted(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int, length: int) -> np.ndarray:
        reads.append((spec.sample_index, key, tuple(spec.gens)))
        return original(spec, sample, key, rate=rate, length=length)

    monkeypatch.setattr(voice_module, "pitched_source", counted)
    monkeypatch.setattr(synth_module, "pitched_source", counted)
    cache = WaveformCache(needed // 3, piece_bytes=2 * needed)
    played = _mixed(Synthesizer(font, RATE, cache, workers=2), events)
    assert np.array_equal(played, expected)  # the same samples, to the bit
    assert reads and len(reads) == len(set(reads))  # each sample read once at each key: nothing rendered again
    assert cache.max_bytes == needed // 3 and cache._bytes <= needed // 3  # the room given back

    reads.clear()  # without the room, the same piece renders waveforms again as the cache lets them go
    small = WaveformCache(needed // 3)
    assert np.array_equal(_mixed(Synthesizer(font, RATE, small, workers=2), events), expected)
    assert len(reads) > len(set(reads))


def test_pieces_playing_together_share_the_room_and_one_that_outgrows_it_gets_none() -> None:
    cache = WaveformCache(100, piece_bytes=1000)
    assert cache.reserve(1, 80)  # within the cache as it is: nothing to hold
    assert cache.max_bytes == 100
    assert cache.reserve(2, 600)
    assert cache.max_bytes == 600
    assert cache.reserve(3, 400) and cache.max_bytes == 1000  # beside the other, as far as the room goes
    assert not cache.reserve(4, 300)  # no room left: played in the cache as it is
    assert not cache.reserve(5, 2000)
    for k in range(5):
        cache.put(("wave", k), np.zeros(50, dtype=np.float32))  # 200 bytes each
    assert cache._bytes == 1000
    cache.release(2)
    assert cache.max_bytes == 400 and cache._bytes == 400  # the least recently used let go
    assert cache.get(("wave", 4)) is not None and cache.get(("wave", 0)) is None
    cache.release(3)
    assert cache.max_bytes == 100 and cache._bytes <= 200  # the last one stays, whatever its size
    assert WaveformCache(100).reserve(1, 200) is False  # a cache made without room never grows
