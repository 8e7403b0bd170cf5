"""The plan: words beat analysis, the ducking envelope, and a sentence that tells what was decided."""

from __future__ import annotations

from pathlib import Path

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
    ("words", "genre", "owned_up", "lead"),
    [("reggae music please", Genre.RNB, "Reggae is not a style I play yet; the nearest I play is r&b.", None),
     ("some bossa nova", Genre.JAZZ, "Bossa nova is not a style I play yet", "flute"),
     ("country music for my ranch video", Genre.FOLK, "Country music is not a style I play yet", "violin"),
     ("meditation music", Genre.AMBIENT, None, None), ("a lullaby", Genre.PIANO, None, "music box"),
     ("spooky halloween vibes", Genre.SUSPENSE, None, None), ("drum and bass", Genre.EDM, None, None),
     ("phonk for my car edit", Genre.TRAP, None, None), ("给我的婚礼视频配乐", Genre.ORCHESTRAL, None, None),
     ("reggae with a saxophone", Genre.RNB, "Reggae is not", "soprano sax"),
     ("lo-fi christmas", Genre.LOFI, None, None)],
)  # fmt: skip
def test_a_style_or_occasion_the_genres_do_not_name_gets_the_nearest_and_the_reply_says_so(
    words: str, genre: Genre, owned_up: str | None, lead: str | None
) -> None:
    """ "reggae", "bossa nova", "meditation music", "a lullaby" were read as nothing: the footage chose (upbeat pop
    for "meditation music"), and the reply did not say the word was not understood. Each is now the genre that plays
    it nearest, in its mood; a style of its own is owned up to first; an instrument or genre named wins."""
    plan = plan_music(footage(valence=0.4, arousal=0.5), read_wishes(words))
    assert plan.spec.genre == genre
    assert (plan.explanation.startswith(owned_up)) if owned_up else "not a style I play" not in plan.explanation
    assert (f"the tune on the {lead}" in plan.explanation) if lead else "the tune on the" not in plan.explanation
    if genre == Genre.AMBIENT:  # calm, over footage that looks lively
        assert plan.spec.arousal < -0.5
    assert read_wishes("no reggae, just calm piano").genre == Genre.PIANO


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


def test_moments_said_later_add_to_those_before_and_a_refused_build_takes_one_away() -> None:
    """A build asked in one message and refused in a later one is gone; the moments beside it stay, a silent
    stretch among them, and the sentence says so."""
    first = plan_music(footage(), read_wishes("build up to 0:12, a drop at 0:16, no music between 0:06 and 0:08"))
    assert [b.peak_s for b in first.spec.moments.builds] == [12.0, 16.0] and first.spec.moments.hits_s == [16.0]
    later = plan_music(footage(), read_wishes("don't build up to 0:12, and no drop at 0:16"), base=first.spec)
    assert later.spec.moments.builds == [] and later.spec.moments.hits_s == []
    assert later.spec.moments.silent_s == [(6.0, 8.0)] and "no music 0:06-0:08" in later.explanation


def test_a_moment_moved_without_its_old_time_leaves_the_others_and_a_kind_cleared_keeps_what_the_message_adds() -> None:
    """ "move the drop to 0:18" was not read at all (only "move the drop from 0:16 to 0:18" was). It takes the
    piece's drop away and places one at 0:18; a hit moved leaves the drop's own hit; "no more hits, a hit at 0:12
    instead" keeps the new hit (the kinds cleared are the piece's, not the message's)."""
    first = plan_music(footage(), read_wishes("a drop at 0:16, a hit at 0:04"))
    moved = plan_music(footage(), read_wishes("move the drop to 0:18"), base=first.spec).spec.moments
    assert moved.hits_s == [4.0, 18.0] and [(b.start_s, b.peak_s) for b in moved.builds] == [(10.0, 18.0)]
    hit = plan_music(footage(), read_wishes("move the hit to 0:06"), base=first.spec).spec.moments
    assert hit.hits_s == [6.0, 16.0] and [b.peak_s for b in hit.builds] == [16.0]
    instead = plan_music(footage(), read_wishes("no more hits, a hit at 0:12 instead"), base=first.spec).spec.moments
    assert instead.hits_s == [12.0]


def test_drums_taken_out_and_brought_back_keep_the_piece_and_say_so() -> None:
    """ "remove the drums" then "bring the drums back": the same genre, key and seed each time, and the reply says
    what moved; "add drums" to solo piano gives it a soft kit."""
    pop = plan_music(footage(), read_wishes("upbeat pop"), seed=3)
    out = plan_music(footage(), read_wishes("remove the drums"), seed=3, base=pop.spec)
    back = plan_music(footage(), read_wishes("bring the drums back"), seed=3, base=out.spec)
    assert (out.spec.drums, back.spec.drums) == (False, True)
    assert {(p.spec.genre, p.spec.seed, p.suggested.key) for p in (pop, out, back)} == {
        (pop.spec.genre, 3, pop.suggested.key)
    }
    assert out.explanation.startswith("Changed: without drums") and back.explanation.startswith(
        "Changed: drums back in"
    )
    piano = plan_music(footage(), read_wishes("calm piano"), seed=3)
    assert plan_music(footage(), read_wishes("add drums"), seed=3, base=piano.spec).explanation.startswith(
        "Changed: drums in: a soft kit"
    )


def test_an_instrument_taken_out_is_said_and_one_that_is_the_whole_piece_or_absent_is_said_too() -> None:
    pop = plan_music(footage(), read_wishes("upbeat pop"), seed=3)
    out = plan_music(footage(), read_wishes("remove the piano"), seed=3, base=pop.spec)
    assert out.spec.instruments_out == ["piano"] and out.explanation.startswith("Changed: without the piano")
    assert (out.spec.genre, out.spec.seed) == (pop.spec.genre, pop.spec.seed)
    again = plan_music(footage(), read_wishes("no strings"), seed=3, base=out.spec)  # edits add up
    assert again.spec.instruments_out == ["piano", "strings"]
    back = plan_music(footage(), read_wishes("bring the piano back"), seed=3, base=again.spec)
    assert back.spec.instruments_out == ["strings"] and "the piano back in" in back.explanation
    assert "there is no synth in it" in plan_music(footage(), read_wishes("remove the synth"), seed=3,
                                                   base=pop.spec).explanation  # fmt: skip
    piano = plan_music(footage(), read_wishes("calm piano"), seed=3)
    kept = plan_music(footage(), read_wishes("remove the piano"), seed=3, base=piano.spec)
    assert kept.spec.instruments_out == [] and "the piano plays the whole piece, so it stays" in kept.explanation


def test_a_refused_stretch_or_final_hit_is_taken_away_from_what_was_asked_before() -> None:
    first = plan_music(
        footage(), read_wishes("no music between 0:06 and 0:08, quiet from 0:10 to 0:14, end on a big hit")
    )
    assert first.spec.moments.silent_s == [(6.0, 8.0)] and first.spec.moments.end_hit
    later = plan_music(footage(), read_wishes("don't mute the music from 0:06 to 0:08, no hit at the end"),
                       base=first.spec)  # fmt: skip
    assert later.spec.moments.silent_s == [] and not later.spec.moments.end_hit
    assert later.spec.moments.quiet_s == [(10.0, 14.0)]  # what the refusal does not name stays


def test_an_instruments_level_moves_in_steps_that_add_up_and_are_said() -> None:
    pop = plan_music(footage(), read_wishes("upbeat pop"), seed=3)
    louder = plan_music(footage(), read_wishes("make the piano louder"), seed=3, base=pop.spec)
    assert louder.spec.instruments_db == {"piano": 3.0} and "the piano 3 dB louder" in louder.explanation
    again = plan_music(footage(), read_wishes("the bass is too loud"), seed=3, base=louder.spec)
    assert again.spec.instruments_db == {"piano": 3.0, "bass": -4.0} and "the bass 4 dB quieter" in again.explanation
    assert (again.spec.genre, again.spec.seed) == (pop.spec.genre, pop.spec.seed)
    absent = plan_music(footage(), read_wishes("more flute"), seed=3, base=pop.spec)
    assert not absent.spec.instruments_db and "there is no flute in it" in absent.explanation


def test_the_sentence_counts_the_accents_on_cuts_apart_from_the_hits_asked() -> None:
    """A hit asked at 0:15 on a video with one cut read "accents on 2 of 1 scene change"."""
    explanation = plan_music(footage(), read_wishes("hit at 0:15")).explanation
    assert "a hit at 0:15" in explanation and "accents on 1 scene change" in explanation
    assert " of 1 scene" not in explanation


def test_the_music_moved_by_a_length_keeps_its_end_and_never_starts_before_the_video() -> None:
    first = plan_music(footage(), read_wishes("calm piano, start the music at 0:02"))
    later = plan_music(footage(), read_wishes("delay the music by 5 seconds"), base=first.spec, base_start_s=2.0)
    assert (later.start_s, later.spec.duration_s) == (7.0, 13.0) and later.spec.genre == first.spec.genre
    earlier = plan_music(footage(), read_wishes("start the music 10 seconds earlier"), base=later.spec,
                         base_start_s=later.start_s)  # fmt: skip
    assert (earlier.start_s, earlier.spec.duration_s) == (0.0, 20.0)


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


CALM_FOOTAGE = dict(valence=0.2, arousal=-0.6, brightness=0.3, speech_s=[])


@pytest.mark.parametrize("words", ["upbeat", "upbeat for TikTok", "something fun and energetic", "欢快"])
def test_the_words_mood_wins_over_calm_footage(words: str) -> None:
    """Issue 28: "upbeat" on calm footage gave cinematic at 87 bpm. The words decide the axes they are clear
    about: upbeat music, at a tempo a listener calls upbeat."""
    from free_music_ai.engine.music.compose import compose

    plan = plan_music(footage(**CALM_FOOTAGE), read_wishes(words))
    assert plan.spec.genre in (Genre.POP, Genre.EDM), plan.spec.genre
    assert compose(plan.spec).bpm >= 100
    assert "Your words set the mood, the calm" in plan.explanation  # which came from where


def test_a_word_clear_on_one_axis_leaves_the_other_to_the_footage() -> None:
    dark = plan_music(footage(valence=0.5, arousal=0.7, speech_s=[]), read_wishes("dark"))
    assert dark.spec.valence < -0.5  # dark is dark
    assert dark.spec.arousal > 0.4  # and says little of energy: the lively footage keeps it lively


def test_dark_tense_footage_gets_tense_music_with_a_pulse() -> None:
    """The GoldenEye terminal scene (dark, still, unhappy) got a calm ambient bed with no pulse."""
    from free_music_ai.engine.music.compose import compose

    plan = plan_music(footage(valence=-0.61, arousal=-0.33, brightness=0.19, motion=0.0035, speech_s=[]),
                      read_wishes(""))  # fmt: skip
    assert plan.spec.genre == Genre.SUSPENSE
    assert any(e.drum for e in compose(plan.spec).events)  # a pulse
    calm_dark = plan_music(footage(valence=-0.61, arousal=-0.8, brightness=0.19, speech_s=[]), read_wishes(""))
    assert calm_dark.spec.genre != Genre.SUSPENSE  # a very still dark scene may stay still


def test_talking_footage_gets_a_light_bed_under_the_voice() -> None:
    """A documentary with people talking over half of it (lively pictures) got big cinematic at 103 bpm."""
    from free_music_ai.engine.music.compose import compose

    plan = plan_music(footage(valence=0.42, arousal=0.51, duration_s=25.0, speech_s=[(1.0, 8.0), (10.0, 17.0)]),
                      read_wishes(""))  # fmt: skip
    assert plan.spec.genre in (Genre.ACOUSTIC, Genre.AMBIENT, Genre.PIANO)
    assert plan.spec.arousal <= -0.3 and compose(plan.spec).bpm < 100
    assert "under the voice" in plan.explanation and "mostly speech" in plan.explanation
    asked = plan_music(footage(valence=0.42, arousal=0.51, duration_s=25.0, speech_s=[(1.0, 17.0)]),
                       read_wishes("epic"))  # fmt: skip
    assert asked.spec.genre == Genre.CINEMATIC  # the words still win


def test_the_sentence_names_the_mode_the_music_is_in_and_reads_as_english() -> None:
    from free_music_ai.engine.music.compose import compose

    for seed in range(1, 40):
        plan = plan_music(footage(valence=0.0, arousal=-0.1, speech_s=[(4.2, 4.8)], motion=0.001), read_wishes(""),
                          seed=seed)  # fmt: skip
        mode = compose(plan.spec).character.mode
        assert plan.suggested.mode == mode
        if mode == "dorian":
            assert "dorian" in plan.explanation and " minor," not in plan.explanation
            break
    else:
        pytest.fail("no dorian piece among 39 seeds of neutral footage")
    assert "with little movement" in plan.explanation and "with still" not in plan.explanation
    assert "0:04.2-0:04.8" in plan.explanation and "0:04-0:04" not in plan.explanation


def test_edits_add_up_and_keep_what_they_do_not_name() -> None:
    """Issue 28: "make it calmer" twice went 68.7 -> 67.0 -> 67.1 bpm; "darker" left upbeat pop in D major;
    "build up" threw the genre away. Each edit moves what it names, further when repeated, and keeps the rest."""
    from free_music_ai.engine.music.compose import compose

    scene = footage(speech_s=[])
    first = plan_music(scene, read_wishes("upbeat pop"), seed=5)
    heard = compose(first.spec)
    calmer = plan_music(scene, read_wishes("make it calmer"), seed=5, base=first.spec)
    calmer2 = plan_music(scene, read_wishes("make it calmer"), seed=5, base=calmer.spec)
    tempos = [compose(p.spec).bpm for p in (first, calmer, calmer2)]
    assert tempos[1] <= tempos[0] * 0.95 and tempos[2] <= tempos[1] * 0.95, tempos
    assert "tempo" in calmer.explanation and "softer" in calmer.explanation
    for edited in (calmer, calmer2):
        again = compose(edited.spec)
        assert again.genre == heard.genre and again.key.split()[0] == heard.key.split()[0]

    darker = plan_music(scene, read_wishes("darker"), seed=5, base=first.spec)
    darker2 = plan_music(scene, read_wishes("darker"), seed=5, base=darker.spec)
    ladder = ("phrygian", "minor", "dorian", "mixolydian", "major", "lydian")
    modes = [compose(p.spec).character.mode for p in (first, darker, darker2)]
    assert ladder.index(modes[0]) > ladder.index(modes[1]) > ladder.index(modes[2]), modes
    assert compose(darker.spec).bpm == heard.bpm and compose(darker.spec).genre == heard.genre  # tempo kept
    assert f"{heard.key.split()[0]} {modes[0]} -> {heard.key.split()[0]} {modes[1]}" in darker.explanation

    built = plan_music(scene, read_wishes("build up"), seed=5, base=first.spec)
    assert compose(built.spec).genre == heard.genre


def test_an_edit_at_the_genres_limit_says_so() -> None:
    scene = footage(speech_s=[])
    plan = plan_music(scene, read_wishes("calm solo piano"), seed=2)
    for _ in range(6):
        plan = plan_music(scene, read_wishes("make it calmer"), seed=2, base=plan.spec)
    assert "already as slow as solo piano goes" in plan.explanation
    for _ in range(6):
        plan = plan_music(scene, read_wishes("darker"), seed=2, base=plan.spec)
    assert "already as dark as it goes" in plan.explanation


def test_sparser_fuller_and_the_drums_level_add_up() -> None:
    """ "More minimal", "bigger" and "less drums" each change what a listener hears, further when repeated."""
    from free_music_ai.engine.music.compose import compose

    scene = footage(speech_s=[])
    first = plan_music(scene, read_wishes("epic cinematic"), seed=4)
    parts = {e.part for e in compose(first.spec).events}
    sparse = plan_music(scene, read_wishes("more minimal"), seed=4, base=first.spec)
    sparser = plan_music(scene, read_wishes("more minimal"), seed=4, base=sparse.spec)
    left = [{e.part for e in compose(p.spec).events} for p in (sparse, sparser)]
    assert left[0] < parts and left[1] < left[0]  # fewer layers each time
    assert {"lead", "bass"} <= left[1] and "sparser: without the" in sparse.explanation
    bigger = plan_music(scene, read_wishes("bigger"), seed=4, base=first.spec)
    assert "strings" in {e.part for e in compose(bigger.spec).events} and "fuller" in bigger.explanation
    quieter = plan_music(scene, read_wishes("less drums"), seed=4, base=first.spec)
    quieter2 = plan_music(scene, read_wishes("less drums"), seed=4, base=quieter.spec)
    assert (quieter.spec.drums_db, quieter2.spec.drums_db) == (
        -4.0,
        -8.0,
    ) and "drums 4 dB quieter" in quieter.explanation
    assert compose(quieter2.spec).key == compose(first.spec).key  # the rest stays


@pytest.mark.parametrize("words", ["no drums in the chorus", "remove the drums in the chorus", "副歌不要鼓"])
def test_a_stretch_named_by_its_section_is_where_the_piece_plays_it(words: str, tmp_path: Path) -> None:
    """ "remove the drums in the chorus" took the drums out of the whole piece, and "no drums in the chorus" changed
    nothing: a section names the bars the piece plays it in (its choruses, the last and biggest included). Heard in
    the MIDI file (mido): no drum struck in a chorus, the drums before and after each; a bridge the piece does not
    have is said so, and nothing moves."""
    import mido

    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.midi_file import write_midi

    scene = footage(duration_s=40.0, energy=[0.6] * 40, speech_s=[], loudness_db=[-30.0] * 40)
    before = plan_music(scene, read_wishes("upbeat pop"), seed=3)
    bars = compose(before.spec).form.bars
    edited = plan_music(scene, read_wishes(words), seed=3, base=before.spec)
    piece = compose(edited.spec)
    tempo = piece.form.tempo
    choruses = [(tempo.time_of(bar.start), tempo.time_of(bar.start + bar.beats)) for bar in bars
                if bar.section in ("chorus", "peak")]  # fmt: skip
    assert len(choruses) >= 8 and edited.spec.drums is not False  # two choruses of four bars; the kit stays
    write_midi(piece, tmp_path / "piece.mid")
    midi = mido.MidiFile(str(tmp_path / "piece.mid"))
    clock, struck = 0.0, []
    for message in midi:  # played in order, with its time in seconds
        clock += message.time
        if message.type == "note_on" and message.velocity > 0 and message.channel == 9:
            struck.append(clock)
    # (the chorus's last beat may hold the fill that brings the drums back, as a drummer plays it)
    beat = 60.0 / piece.bpm
    assert not [t for t in struck if any(first + 0.03 < t < last - beat - 0.03 for first, last in choruses)], words
    spans: list[tuple[float, float]] = []
    for first, last in choruses:  # each chorus whole: its bars joined
        spans = (
            [*spans[:-1], (spans[-1][0], last)]
            if spans and abs(spans[-1][1] - first) < 1e-3
            else [*spans, (first, last)]
        )
    assert len(spans) == 2  # the chorus and the peak, apart
    for first, last in spans:  # the drums play up to each and come back after it
        assert first < 4 or any(first - 8 <= t < first for t in struck)
        assert any(last <= t < last + 8 for t in struck)
    missing = plan_music(scene, read_wishes("no music in the bridge"), seed=3, base=before.spec)
    assert "This piece has no bridge" in " ".join(missing.notes) and missing.spec.moments == before.spec.moments


def test_a_big_finish_complained_of_takes_its_lifted_ending_away_too() -> None:
    """ "the big finish is too much" after "upbeat pop with a big finish" took the final hit away and left the last
    quarter lifted: both go; a lift asked elsewhere stays."""
    scene = footage(duration_s=40.0, energy=[0.6] * 40, speech_s=[], loudness_db=[-30.0] * 40)
    big = plan_music(scene, read_wishes("upbeat pop with a big finish, more energetic from 0:10 to 0:16"), seed=3)
    assert big.spec.moments.end_hit and len(big.spec.moments.lifted_s) == 2
    calmed = plan_music(scene, read_wishes("the big finish is too much"), seed=3, base=big.spec)
    assert not calmed.spec.moments.end_hit and calmed.spec.moments.lifted_s == [(10.0, 16.0)]
