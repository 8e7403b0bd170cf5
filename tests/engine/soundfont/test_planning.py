"""What planning a piece costs beside its sound: the objects it leaves for Python's collector."""

from __future__ import annotations

import gc

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import Synthesizer, bundled_soundfont
from free_music_ai.engine.soundfont.font import SoundFont


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
