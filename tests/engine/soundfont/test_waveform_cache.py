"""The waveform cache's room for one piece: a piece whose waveforms outgrow the cache but fit the room it may grow to
renders each of them once, sounds as it does in a cache with room to spare, and the room is given back after it; a
piece larger than that room has room for what its mix reads at once, and renders few waveforms again."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.spec import Dynamics, Genre, MusicSpec
from free_music_ai.engine.soundfont import NoteEvent, Synthesizer, bundled_soundfont, load_soundfont
from free_music_ai.engine.soundfont.font import SoundFont, VoiceSpec
from free_music_ai.engine.soundfont.names import PIANO_FONT_NAME
from free_music_ai.engine.soundfont.samples import SampleData
from free_music_ai.engine.soundfont.waveform_cache import WaveformCache
from free_music_ai.engine.soundfont.working_set import concurrent_bytes

RATE = 48_000


def _mixed(synth: Synthesizer, events: list[NoteEvent]) -> np.ndarray:
    return synth.render_buses(events)["mix"]


def _mixed_by_blocks(synth: Synthesizer, events: list[NoteEvent]) -> np.ndarray:
    """Mixed 5 s at a time, as music/stream.py mixes a piece."""
    mixer = synth.mixer(events)
    blocks = []
    for start in range(0, mixer.length, 5 * RATE):
        buses = {name: np.zeros((2, min(5 * RATE, mixer.length - start)), np.float32) for name in mixer.names}
        mixer.mix_into(buses, start)
        blocks.append(buses["mix"])
    mixer.close()
    return np.concatenate(blocks, axis=1)


def _count_waveform_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The (sample, key, generators, length) of every waveform the synthesizer renders from here on, in order."""
    from free_music_ai.engine.soundfont import synth as synth_module
    from free_music_ai.engine.soundfont import voice as voice_module

    reads: list[tuple[object, ...]] = []
    original = voice_module.pitched_source

    def counted(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int, length: int) -> np.ndarray:
        reads.append((spec.sample_index, key, tuple(spec.gens), length))
        return original(spec, sample, key, rate=rate, length=length)

    monkeypatch.setattr(voice_module, "pitched_source", counted)
    monkeypatch.setattr(synth_module, "pitched_source", counted)
    return reads


def _cinematic_with_room_to_spare(
    seconds: float, mix: Callable[[Synthesizer, list[NoteEvent]], np.ndarray]
) -> tuple[SoundFont, list[NoteEvent], np.ndarray, int]:
    """A cinematic piece (its held strings: long waveforms, many at once) mixed by ``mix`` in a cache with room to
    spare: the font, the notes, the mix, and the bytes of all its waveforms. At one level throughout: a short piece's
    peak would bring brass and choir that sound over most of it, so what its mix reads at once would be nearly all."""
    steady = MusicSpec(duration_s=seconds, genre=Genre.CINEMATIC, seed=11, dynamics=Dynamics.STEADY)
    events = list(compose(steady).events)
    font = load_soundfont(bundled_soundfont(PIANO_FONT_NAME))
    roomy = Synthesizer(font, RATE, WaveformCache(2**40), workers=2)
    return font, events, mix(roomy, events), roomy.cache._bytes


def test_a_piece_larger_than_the_cache_renders_each_waveform_once_in_the_room_it_may_grow_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    font, events, expected, needed = _cinematic_with_room_to_spare(20, _mixed)
    reads = _count_waveform_reads(monkeypatch)
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


def test_a_piece_larger_than_its_room_has_room_for_what_its_mix_reads_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    font, events, expected, needed = _cinematic_with_room_to_spare(30, _mixed_by_blocks)
    reads = _count_waveform_reads(monkeypatch)
    small = WaveformCache(needed // 5)  # a fifth of the piece's waveforms: the mix renders them again and again
    assert np.array_equal(_mixed_by_blocks(Synthesizer(font, RATE, small, workers=2), events), expected)
    again = len(reads)
    reads.clear()
    cache = WaveformCache(needed // 5, piece_bytes=needed * 9 // 10)  # not room for all of it
    assert np.array_equal(_mixed_by_blocks(Synthesizer(font, RATE, cache, workers=2), events), expected)
    assert len(reads) < again / 2, (len(reads), again)  # 109 reads against 366, measured
    # the room is nine tenths of the piece: at most the tenth left out is rendered again, in samples (109 reads of 99
    # waveforms; a count, 1.10x, says less than the samples: the waves differ in length)
    rendered, once = sum(r[-1] for r in reads), sum(r[-1] for r in set(reads))
    assert rendered <= 1.1 * once, (rendered, once)  # 1.09x
    assert cache.max_bytes == needed // 5  # the room given back


def test_what_a_mix_reads_at_once_is_counted_by_block_and_side_by_side_stretches() -> None:
    rate, block = 10, 50  # 5 s blocks of 50 samples
    sizes = {"a": 100, "b": 10, "c": 1, "d": 1000}
    spans = [(0, 20, ("a",)), (40, 60, ("b",)), (120, 130, ("c",)), (210, 220, ("a", "c"))]
    # blocks: 0 {a, b}, 1 {b}, 2 {c}, 4 {a, c}; one stretch: its worst block
    assert concurrent_bytes(spans, sizes, rate=rate, stretches=1) == 110
    # two stretches of three blocks side by side: blocks 0 and 3 ({a, b}), 1 and 4 ({b, a, c}), 2 and 5 ({c})
    assert concurrent_bytes(spans, sizes, rate=rate, stretches=2) == 111
    assert concurrent_bytes([(0, 2 * block + 1, ("d",))], sizes, rate=rate, stretches=1) == 1000  # over 3 blocks
    assert concurrent_bytes([], sizes, rate=rate, stretches=2) == 0
