"""The plan: words beat analysis, the ducking envelope, and a sentence that tells what was decided."""

from __future__ import annotations

import numpy as np
import pytest

from free_music_ai.engine.analysis.model import Analysis, TransitionModel
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.plan.ducking import plan_ducking
from free_music_ai.engine.plan.plan import plan_music
from free_music_ai.words.wishes import read_wishes


def footage(**changes: object) -> Analysis:
    base: dict[str, object] = dict(
        duration_s=20.0, kind="video", transitions=[TransitionModel(time_s=5.0, kind="cut")], valence=0.4,
        arousal=0.5, reasons=[], energy=[0.6] * 20, speech_s=[(4.0, 12.0)], loudness_db=[-30.0] * 20,
        brightness=0.6, saturation=0.35, warmth=0.1, motion=0.02, has_sound=True,
    )  # fmt: skip
    base.update(changes)
    return Analysis.model_validate(base)


@pytest.mark.parametrize(
    ("words", "genre", "valence_sign"),
    [("sad piano", Genre.PIANO, -1), ("epic", Genre.CINEMATIC, 1), ("lo-fi please", Genre.LOFI, 1),
     ("来点伤感的钢琴", Genre.PIANO, -1), ("欢快的流行音乐", Genre.POP, 1)],
)  # fmt: skip
def test_words_beat_analysis(words: str, genre: Genre, valence_sign: int) -> None:
    plan = plan_music(footage(), read_wishes(words))
    assert plan.spec.genre == genre
    assert np.sign(plan.spec.valence) == valence_sign


@pytest.mark.parametrize(
    ("words", "minor", "arousal_sign"),
    [("a sad, calm piano piece", True, -1), ("calm piano, make it sad", True, -1), ("happy but calm", False, -1),
     ("dark epic trailer", True, 1)],
)  # fmt: skip
def test_mixed_mood_words_keep_what_each_says(words: str, minor: bool, arousal_sign: int) -> None:
    """A word that is clear on one axis is not cancelled by one that barely leans the other way: sad and calm
    is sad (minor) and calm, over footage that looks cheerful."""
    from free_music_ai.engine.music.compose import compose

    plan = plan_music(footage(valence=0.4, arousal=0.5), read_wishes(words))
    assert (compose(plan.spec).character.mode == "minor") is minor
    assert np.sign(plan.spec.arousal) == arousal_sign


def test_the_words_name_the_instrument_that_carries_the_tune() -> None:
    """ "Something like a sad violin": the tune is played on the violin (the notes the synthesizer gets), the
    sentence says so, and an edit ("make it calmer") keeps it."""
    from free_music_ai.engine.music.compose import compose

    plan = plan_music(footage(), read_wishes("something like a sad violin"))
    tune = [e for e in compose(plan.spec).events if e.part == "lead"]
    assert tune and {e.program for e in tune} == {40}  # General MIDI's violin
    assert "the tune on the violin" in plan.explanation
    calmer = plan_music(footage(), read_wishes("make it calmer"), base=plan.spec)
    assert calmer.spec.instruments == {"lead": 40}
    assert read_wishes("来点萨克斯").lead == 64 and read_wishes("a flute melody").lead == 73
    for words in ("chill vibes for my vlog", "organic, warm footage", "lo-fi please"):  # no instrument named
        assert read_wishes(words).lead is None


def test_tempo_drums_and_edits() -> None:
    plan = plan_music(footage(), read_wishes("upbeat, 90 bpm, no drums"))
    assert plan.spec.bpm == 90 and plan.spec.drums is False
    calmer = plan_music(footage(), read_wishes("make it calmer"), base=plan.spec)
    assert calmer.spec.arousal < plan.spec.arousal and calmer.spec.drums is False
    assert read_wishes("不要鼓").drums is False


def test_analysis_decides_when_words_are_silent() -> None:
    plan = plan_music(
        footage(valence=-0.6, arousal=-0.6), read_wishes("generate a background music track that matches the mood")
    )
    assert plan.spec.valence == pytest.approx(-0.6) and plan.spec.arousal == pytest.approx(-0.6)
    assert plan.spec.cuts_s == [5.0] and plan.spec.duration_s == 20.0 and plan.spec.energy == [0.6] * 20


def test_ducking_under_speech() -> None:
    ducking = plan_ducking([(4.0, 12.0)], [-30.0] * 20, 20.0)
    gain = ducking.gain(1000, 20_000)
    db = 20 * np.log10(gain)
    assert db[8_000] == pytest.approx(-12.0, abs=0.01)  # in the middle of the speech
    assert db[2_000] == pytest.approx(0.0, abs=0.01) and db[15_000] == pytest.approx(0.0, abs=0.01)
    assert db[3_900] < -3 and db[3_700] > -1  # down over the 200 ms before the first word
    assert -12 < db[12_250] < -3 and db[12_600] == pytest.approx(0.0, abs=0.01)  # back up over 500 ms


def test_ducking_under_loud_sound() -> None:
    loud = [-30.0] * 10 + [-12.0] * 3 + [-30.0] * 7
    db = 20 * np.log10(plan_ducking([], loud, 20.0).gain(100, 2000))
    assert db[1150] == pytest.approx(-6.0, abs=0.01) and db[500] == 0


def test_explanation_says_what_was_decided() -> None:
    plan = plan_music(footage(), read_wishes(""))
    text = plan.explanation
    assert plan.suggested.genre in text and f"{round(plan.suggested.bpm)} bpm" in text and plan.suggested.key in text
    assert "0:04-0:12" in text and "footage" in text
