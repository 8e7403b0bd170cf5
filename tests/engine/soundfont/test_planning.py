"""What planning a piece costs beside its sound: the objects it leaves for Python's collector, and samples decoded
without the interpreter lock while the planning holds it."""

from __future__ import annotations

import gc
import io
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pytest
import soundfile

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import Synthesizer, bundled_soundfont
from free_music_ai.engine.soundfont import samples as samples_module
from free_music_ai.engine.soundfont import synth as synth_module
from free_music_ai.engine.soundfont.font import SoundFont
from free_music_ai.engine.soundfont.sample_reads import SampleReads


def test_planning_a_minute_of_pop_leaves_few_objects_for_the_collector() -> None:
    """The collector traverses the whole heap each time enough new objects outlive their making (the one-shot's
    heap holds all its imports: 40 ms and more a pass). A minute of pop plays about 2 700 voices of 60 generators
    each; their voices' generator values were 150 000 pairs of their own, 57 objects a voice, which made it run
    twice while the piece was planned."""
    events = list(compose(MusicSpec(duration_s=60, genre=Genre.POP, valence=1.0, arousal=0.3, seed=5)).events)
    synth = Synthesizer(SoundFont(bundled_soundfont()), workers=2)  # a font of its own: nothing resolved before
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        mixer = synth.mixer(events)
        made = len(gc.get_objects()) - before
    finally:
        gc.enable()
    mixer.close()
    assert len(mixer.voices) > 2000
    assert made < 20 * len(mixer.voices)


class _CountedFile(io.BytesIO):
    reads = 0

    def readinto(self, buffer: object) -> int:  # type: ignore[override]
        _CountedFile.reads += 1
        return super().readinto(buffer)  # type: ignore[arg-type]

    def read(self, size: int | None = -1) -> bytes:
        _CountedFile.reads += 1
        return super().read(size)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="a file in memory needs Linux's memfd_create")
def test_a_sample_is_decoded_without_reading_through_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """libsndfile reads a sample handed to it through a Python file object in forty-odd calls back into Python,
    each waiting for the interpreter lock that the piece's planning holds: as a file in memory it reads it itself,
    and decodes the same samples."""
    font = SoundFont(bundled_soundfont())
    store = font.samples
    index, header = next((k, h) for k, h in enumerate(store._headers) if h.compressed and h.end - h.start > 20_000)
    blob = bytes(store._data[store._smpl.offset + header.start : store._smpl.offset + header.end])
    with soundfile.SoundFile(io.BytesIO(blob)) as decoder:
        expected = decoder.read(dtype="float32", always_2d=True)[:, 0]
    monkeypatch.setattr(samples_module.io, "BytesIO", _CountedFile)
    half = store.get(index, len(expected) // 2)  # read part of the way, then on to the end
    assert len(half.audio) < len(expected)
    whole = store.get(index)
    store.close_streams()
    assert _CountedFile.reads == 0
    assert np.array_equal(whole.audio, expected) and whole.length == len(expected)


class _OrderedPool(ThreadPoolExecutor):
    """A pool that notes, in ``order``, each job asked of it among the planning's steps."""

    def __init__(self, order: list[str]) -> None:
        super().__init__(max_workers=2)
        self.order = order

    def submit(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future[object]:
        self.order.append("decode")
        return super().submit(fn, *args, **kwargs)


def test_samples_are_decoded_while_the_piece_is_still_planned(monkeypatch: pytest.MonkeyPatch) -> None:
    """A minute of pop: its drums (read to their end, whatever the notes' lengths) are asked of the decoding threads
    before the voices' lengths are worked out, and every sample as far as its notes read it once they are."""
    events = list(compose(MusicSpec(duration_s=60, genre=Genre.POP, valence=1.0, arousal=0.3, seed=5)).events)
    synth = Synthesizer(SoundFont(bundled_soundfont()), workers=2)
    order: list[str] = []
    length_of = synth_module.voice_length

    def measured(*args: object, **kwargs: object) -> int:
        order.append("length")
        return length_of(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(synth_module, "voice_length", measured)
    with _OrderedPool(order) as pool, SampleReads(synth.font.samples, pool) as reads:
        voices = synth._plan(events, reads)
    assert order.index("decode") < order.index("length")
    read = {voice.spec.sample_index for voice in voices}
    for index in read:  # each decoded as far as the plan says it is read (a looping sample only to its loop)
        sample = synth.font.samples.get(index, 0)
        assert 0 < len(sample.audio) <= sample.length
    assert order.count("decode") == len(read)
