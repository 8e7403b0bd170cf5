"""An sf3 sample's length, read from its Ogg stream's last page before any decoder opens it: the length libsndfile
finds, on every sample of the bundled font; a stream that does not end in a whole page is left to the decoder."""

from __future__ import annotations

import io

import numpy as np
import soundfile

from free_music_ai.engine.soundfont import Synthesizer, bundled_soundfont, load_soundfont
from free_music_ai.engine.soundfont.events import NoteEvent
from free_music_ai.engine.soundfont.font import SoundFont
from free_music_ai.engine.soundfont.samples import ogg_length


def test_every_sample_of_the_bundled_font_has_the_length_its_decoder_finds() -> None:
    font = load_soundfont(bundled_soundfont())
    store = font.samples
    checked = 0
    for header in store._headers:
        if not header.compressed:
            continue
        blob = store._data[store._smpl.offset + header.start : store._smpl.offset + header.end]
        with soundfile.SoundFile(io.BytesIO(bytes(blob))) as decoder:
            assert ogg_length(blob) == decoder.frames, header.name
        checked += 1
    assert checked > 1000


def test_a_stream_cut_short_or_not_ogg_is_left_to_the_decoder() -> None:
    font = load_soundfont(bundled_soundfont())
    store = font.samples
    header = next(h for h in store._headers if h.compressed)
    blob = bytes(store._data[store._smpl.offset + header.start : store._smpl.offset + header.end])
    assert ogg_length(memoryview(blob)) is not None
    assert ogg_length(memoryview(blob[:-10])) is None  # its last page cut
    assert ogg_length(memoryview(blob[: len(blob) // 2])) is None
    assert ogg_length(memoryview(b"fLaC" + bytes(100))) is None


def test_a_piece_planned_from_the_lengths_alone_plays_as_with_its_samples_opened() -> None:
    path = bundled_soundfont()
    notes = [NoteEvent(0.3 * k, 0.25 + 0.1 * (k % 3), 48 + 5 * (k % 7), 70 + 5 * (k % 5), 24 * (k % 3))
             for k in range(24)]  # fmt: skip
    planned = SoundFont(path)  # fonts of their own: load_soundfont shares one per file
    played = Synthesizer(planned, 48_000).render(notes)
    opened = SoundFont(path)
    for note in notes:  # every sample's decoder opened before the notes are planned
        for spec in opened.voices(0, note.program, note.key, velocity=note.velocity):
            opened.samples.get(spec.sample_index, 1)
    assert np.array_equal(played, Synthesizer(opened, 48_000).render(notes))
    assert float(np.max(np.abs(played))) > 0.01
