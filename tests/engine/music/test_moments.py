"""Moments asked at a time ("hit at 0:15", "build up to 0:20", "quiet from 0:26 to 0:32", "no drums until 0:05",
"end on a big hit"), measured on the music by means other than the composer's: onsets from the audio's spectral
flux, short-term loudness from ffmpeg's ebur128, the drums from the MIDI file read with mido."""

from __future__ import annotations

from pathlib import Path

import mido
import numpy as np
import pytest

from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.moments import Build
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.words.moment_phrases import UNTIL_THE_END_S
from free_music_ai.words.moments import read_moments
from music_checks import onset_near, onset_time, short_term_loudness

WORDS = "build up to 0:20, hit at 0:15, quiet from 0:26 to 0:32, no drums until 0:05, end on a big hit"


@pytest.mark.parametrize(("genre", "seed"), [(Genre.POP, 3), (Genre.LOFI, 4), (Genre.PIANO, 5), (Genre.CINEMATIC, 6)])
def test_moments_happen_at_their_times(genre: Genre, seed: int, tmp_path: Path) -> None:
    spec = MusicSpec(duration_s=40, genre=genre, seed=seed, cuts_s=[7.3, 14.8, 22.0],
                     moments=read_moments(WORDS).moments)  # fmt: skip
    music = produce(spec)
    audio = np.asarray(music.audio)
    # the hit: an accent within 20 ms of 0:15 (the video's cut at 14.8 s gave way to it), twice the median onset
    assert abs(onset_time(audio, 15.0) - 15.0) <= 0.02
    assert onset_near(audio, 15.0, 0.02) >= 2.0
    assert 15.0 in [round(t, 2) for t in music.composition.hits_s]
    times, short_term = short_term_loudness(audio, tmp_path)

    def at(t: float) -> float:
        return float(short_term[int(np.argmin(np.abs(times - t)))])

    assert at(20.0) - at(12.0) >= 4.0  # the build rises over the 8 s before its mark
    assert (at(24.0) + at(34.5)) / 2 - at(29.5) >= 6.0  # the quiet stretch sits under the 4 s around it
    midi = tmp_path / "piece.mid"
    write_midi(music.composition, midi)
    drums_at = []
    for track in mido.MidiFile(str(midi)).tracks:
        clock = 0
        for message in track:
            clock += message.time
            if message.type == "note_on" and message.velocity > 0 and message.channel == 9:
                drums_at.append(clock)
    ticks_per_s = _ticks_per_second(mido.MidiFile(str(midi)))
    assert all(t / ticks_per_s >= 5.0 - 0.02 for t in drums_at)  # no drums until 0:05
    # the level is set by what was not asked: the drums' late entry (to 0:05), the build's rise (its pull-back from
    # 8.5 s) and the quiet stretch (with its ramps), each with the 2 s that ring on after it, are apart; the rest
    # at -14 LUFS (pyloudnorm's BS.1770 meter); the reported loudness is the whole's
    import pyloudnorm

    meter, rate = pyloudnorm.Meter(48_000), 48_000
    untouched = np.concatenate([audio[7 * rate : int(8.5 * rate)], audio[22 * rate : int(25.5 * rate)],
                                audio[int(34.5 * rate) :]])  # fmt: skip
    assert meter.integrated_loudness(untouched) == pytest.approx(-14.0, abs=0.5)
    assert music.lufs == pytest.approx(meter.integrated_loudness(audio), abs=0.3) and music.true_peak_db <= -1.0


def _ticks_per_second(midi: mido.MidiFile) -> float:
    tempo = next((m.tempo for t in midi.tracks for m in t if m.type == "set_tempo"), 500_000)
    return midi.ticks_per_beat * 1_000_000 / tempo


def test_timed_words_in_english_and_chinese() -> None:
    said = read_moments("build up to 0:42, a drop at 1:05, 在0:15加一个重音, 0:30开始渐强, start the music at 0:05, "
                        "stop the music at 0:50, quiet from 10s to 20s, no drums until 8 seconds")  # fmt: skip
    moments = said.moments
    assert moments.hits_s == [15.0, 65.0]  # the drop lands as a hit too
    assert [(b.start_s, b.peak_s) for b in moments.builds] == [(34.0, 42.0), (57.0, 65.0), (30.0, 38.0)]
    assert moments.quiet_s == [(10.0, 20.0)] and moments.drums_from_s == 8.0
    assert (said.music_start_s, said.music_stop_s) == (5.0, 50.0)
    assert not read_moments("make it calmer, add title 'Hi' from 2 to 5 s").any


def test_moments_said_the_ways_people_say_them() -> None:
    """Lists of times, builds with both ends, quiet stretches with one end, a fade-out time, "then calm"."""
    assert read_moments("hits at 0:05, 0:12 and 0:20").moments.hits_s == [5.0, 12.0, 20.0]
    assert read_moments("hit at 0:15 and 0:30, drop at 1:00").moments.hits_s == [15.0, 30.0, 60.0]
    assert [(b.start_s, b.peak_s) for b in read_moments("build from 0:20 to 0:40").moments.builds] == [(20.0, 40.0)]
    assert [(b.start_s, b.peak_s) for b in read_moments("climax at 0:40").moments.builds] == [(32.0, 40.0)]
    end = UNTIL_THE_END_S
    for words, quiet in [("quiet after 0:20", (20.0, end)), ("calm from 0:30 on", (30.0, end)),
                         ("softer until 0:10", (0.0, 10.0)), ("keep it quiet for the first 10 seconds", (0.0, 10.0)),
                         ("lower the music from 0:10 to 0:20", (10.0, 20.0)),
                         ("build up to 0:15, then calm down", (15.0, end))]:  # fmt: skip
        assert read_moments(words).moments.quiet_s == [quiet], words
    assert read_moments("build up to 0:15, then calm down").moments.builds == [Build(start_s=7.0, peak_s=15.0)]
    for words, start, stop in [("fade out at 0:50", None, 50.0), ("no music for the first 5 seconds", 5.0, None),
                               ("music only after 0:05", 5.0, None), ("music from 0:05 to 0:50", 5.0, 50.0),
                               ("在0:50淡出", None, 50.0)]:  # fmt: skip
        said = read_moments(words)
        assert (said.music_start_s, said.music_stop_s) == (start, stop), words
    assert read_moments("big hit at the end").moments.end_hit and read_moments("finish with a bang").moments.end_hit
    assert read_moments("remove the hits at 0:15 and 0:30").removed_hits_s == (15.0, 30.0)


def test_a_build_with_both_ends_then_calm_is_heard_so(tmp_path: Path) -> None:
    """ "build from 0:10 to 0:20, then calm": the music rises over those ten seconds and stays low after them."""
    said = read_moments("build from 0:10 to 0:20, then calm").moments
    music = produce(MusicSpec(duration_s=34, genre=Genre.POP, seed=2, moments=said))
    times, short_term = short_term_loudness(np.asarray(music.audio), tmp_path)

    def at(t: float) -> float:
        return float(short_term[int(np.argmin(np.abs(times - t)))])

    assert at(19.5) - at(10.5) >= 4.0  # 3 s windows: the last three seconds before the peak against the start
    assert at(19.5) - at(27.0) >= 6.0  # and it stays down after it (the final chord's ring is after 0:30)
    assert at(27.0) - at(31.0) <= 3.0  # to the end: no return to full level


def test_less_drums_is_heard_in_the_drums_and_only_there() -> None:
    spec = MusicSpec(duration_s=20, genre=Genre.ROCK, seed=2)
    usual = produce(spec, keep_stems=True)
    softer = produce(spec.model_copy(update={"drums_db": -8.0}), keep_stems=True)

    def rms_db(stem: np.ndarray) -> float:
        return float(10 * np.log10(np.mean(np.square(stem)) + 1e-20))

    # the mix is levelled again to -14 LUFS, so the drums fall against the rest: measured against the bass
    drop = (rms_db(usual.stems["drums"]) - rms_db(usual.stems["bass"])) - (
        rms_db(softer.stems["drums"]) - rms_db(softer.stems["bass"])
    )
    assert 7.5 <= drop <= 8.5


@pytest.mark.parametrize(("genre", "seed"), [(Genre.POP, 7), (Genre.CINEMATIC, 8)])
def test_no_music_for_a_stretch_is_silence_and_the_music_comes_back(genre: Genre, seed: int, tmp_path: Path) -> None:
    """ "no music between 0:10 and 0:16" and "drop everything out at 0:22": silence there (tails and reverb faded
    within a quarter second), no note played inside either (read back from the MIDI file by mido, its tempo map
    and all), and the music playing again right after each, at its level, as a band plays a stop: from a beat, back
    on a beat, the harmony struck again with an accent (a listening review found dropouts off the grid that came
    back thin, with a lone drum hit)."""
    said = read_moments("no music between 0:10 and 0:16, drop everything out at 0:22").moments
    assert said.silent_s == [(10.0, 16.0), (22.0, 24.0)]
    music = produce(MusicSpec(duration_s=32, genre=genre, seed=seed, cuts_s=[13.0], moments=said))
    audio = np.asarray(music.audio)
    rate = 48_000

    def peak_db(first_s: float, last_s: float) -> float:
        stretch = audio[int(first_s * rate) : int(last_s * rate)]
        return float(20 * np.log10(np.max(np.abs(stretch)) + 1e-12))

    assert peak_db(10.3, 15.95) < -80 and peak_db(22.3, 23.95) < -80  # silence, not quiet music
    assert peak_db(8.0, 10.0) > -20 and peak_db(16.0, 18.0) > -20 and peak_db(24.0, 26.0) > -20
    times, short_term = short_term_loudness(audio, tmp_path)
    before = float(short_term[int(np.argmin(np.abs(times - 9.5)))])
    after = float(short_term[int(np.argmin(np.abs(times - 19.5)))])
    assert abs(after - before) <= 6.0  # it comes back at the level it left, not faded in
    midi = tmp_path / "piece.mid"
    write_midi(music.composition, midi)
    clock, starts = 0.0, []
    for message in mido.MidiFile(str(midi)):  # played in time: seconds, through every tempo change
        clock += message.time
        if message.type == "note_on" and message.velocity > 0:
            starts.append(clock)
    assert not [t for t in starts if 10.01 < t < 15.99 or 22.01 < t < 23.99]
    assert any(16.0 <= t < 17.5 for t in starts) and any(24.0 <= t < 25.5 for t in starts)
    # the level is set by the rest (each stop and the 2 s after it, its return's accent, apart): -14 LUFS there
    import pyloudnorm

    meter = pyloudnorm.Meter(rate)
    rest = np.concatenate([audio[: int(9.5 * rate)], audio[int(18.5 * rate) : int(21.5 * rate)],
                           audio[int(26.5 * rate) :]])  # fmt: skip
    assert meter.integrated_loudness(rest) == pytest.approx(-14.0, abs=0.5)
    # played as a band's stop: from a beat, back on a beat with the harmony struck again and an accent at once
    beats = music.composition.beats_s
    for (first, last), (asked_first, asked_last) in zip(music.composition.silent_s, said.silent_s, strict=True):
        assert first <= asked_first + 1e-6 and last >= asked_last - 1e-6
        assert min(abs(first - b) for b in beats) < 0.01 and min(abs(last - b) for b in beats) < 0.01
        back = [e for e in music.composition.events if abs(e.start_s - last) < 0.05]
        assert any(not e.drum for e in back) and len(back) >= 3, (genre, last, back)


@pytest.mark.parametrize(("genre", "seed"), [(Genre.ACOUSTIC, 5)])  # the genre whose lift was least heard (+0.6 LU)
def test_a_second_half_asked_more_energetic_or_calmer_is_heard_so(genre: Genre, seed: int) -> None:
    """ "make the second half more energetic" against the same piece unasked: the second half gains at least 2 LU
    on the first (pyloudnorm's BS.1770 meter: fuller bars and 2.5 dB over the arc); "a calmer second half" loses at
    least 6."""
    import pyloudnorm

    from free_music_ai.engine.music.moments import Moments, Placed

    meter, rate = pyloudnorm.Meter(48_000), 48_000

    def halves(moments: Moments) -> float:
        audio = np.asarray(produce(MusicSpec(duration_s=28, genre=genre, seed=seed, moments=moments)).audio)
        first = meter.integrated_loudness(audio[1 * rate : 13 * rate])
        return float(meter.integrated_loudness(audio[15 * rate : 27 * rate]) - first)

    usual = halves(Moments())
    assert halves(Placed(first=0.5, last=1.0, kind="lift").moments(0.0, 28.0)) - usual >= 2.0
    assert usual - halves(Placed(first=0.5, last=1.0, kind="quiet").moments(0.0, 28.0)) >= 6.0


@pytest.mark.parametrize(("genre", "seed", "kind"), [(Genre.ACOUSTIC, 5, "lift"), (Genre.POP, 9, "lift"),
                                                     (Genre.CINEMATIC, 5, "quiet")])  # fmt: skip
def test_the_part_nobody_asked_to_change_keeps_its_level(genre: Genre, seed: int, kind: str) -> None:
    """The piece was levelled as a whole, so a second half asked more energetic pulled the first half down by 1.2 to
    5.3 dB (one asked calmer pushed it up by up to 5.9; 16 genres, 2 seeds, 2 lengths). Made as an edit of the piece
    heard, the first part (before the lift's two rising bars) now measures as it did, to 0.3 dB (pyloudnorm: the
    piece unasked had the limiter's loss over its whole made up); made on its own, within 3.5 dB. The second half
    moves the way asked either way."""
    import pyloudnorm

    from free_music_ai.engine.loudness import frame_energies
    from free_music_ai.engine.music.level_reference import Heard
    from free_music_ai.engine.music.moments import Placed

    meter, rate, duration = pyloudnorm.Meter(48_000), 48_000, 30.0
    spec = MusicSpec(duration_s=duration, genre=genre, seed=seed)
    usual = produce(spec)
    asked = spec.model_copy(update={"moments": Placed(first=0.5, last=1.0, kind=kind).moments(0.0, duration)})
    heard = Heard(frame_energies(np.asarray(usual.audio)), changed_s=[], nominal_lufs=-14.0)

    def loudness(audio: np.ndarray, first_s: float, last_s: float) -> float:
        return float(meter.integrated_loudness(np.asarray(audio)[round(first_s * rate) : round(last_s * rate)]))

    rise = 4 * 2 * 60 / usual.composition.bpm  # the two bars before the lift rise into it
    for edit, near in ((produce(asked, heard=heard), 0.3), (produce(asked), 3.5)):
        assert abs(loudness(edit.audio, 1.0, 15.0 - rise - 0.5) - loudness(usual.audio, 1.0, 15.0 - rise - 0.5)) <= near
        moved = loudness(edit.audio, 16.0, 29.0) - loudness(usual.audio, 16.0, 29.0)
        assert moved >= 1.0 if kind == "lift" else moved <= -6.0  # the limiter takes some of a lift
        assert edit.excess_db > 0 if kind == "lift" else edit.excess_db < 0


def test_drums_out_for_a_stretch_and_to_the_end_and_drums_asked_where_a_genre_has_none(tmp_path: Path) -> None:
    """ "remove the drums from 0:06 to 0:12, no drums after 0:20": no drum note there, read back from the MIDI file
    by mido, drums on either side, stopping and starting on bar lines with a fill that brings them back (a
    listening review heard them leave and return mid-bar, like a track unmuted); "add drums" to solo piano gives it
    a soft kit."""
    said = read_moments("remove the drums from 0:06 to 0:12, no drums after 0:20").moments

    midi = tmp_path / "piece.mid"
    write_midi(compose(MusicSpec(duration_s=26, genre=Genre.ROCK, seed=4, moments=said)), midi)
    clock, drums_at = 0.0, []
    for message in mido.MidiFile(str(midi)):
        clock += message.time
        if message.type == "note_on" and message.velocity > 0 and message.channel == 9:
            drums_at.append(clock)
    bar = 4 * 60 / 115  # rock seed 4 plays at 115 bpm: a bar is 2.09 s, and the drums stop and start on bar lines
    assert not [t for t in drums_at if 6 + bar / 2 < t < 12 - 1.5 * bar or t > 20 + bar / 2]
    assert any(t < 6.0 for t in drums_at) and any(12 + bar / 2 <= t < 20.0 for t in drums_at)
    assert any(12 - 1.5 * bar <= t < 12 + bar / 2 for t in drums_at)  # the fill that brings them back
    assert any(n.drum for n in compose(MusicSpec(duration_s=16, genre=Genre.PIANO, seed=2, drums=True)).notes)
    assert not any(n.drum for n in compose(MusicSpec(duration_s=16, genre=Genre.PIANO, seed=2)).notes)


@pytest.mark.parametrize(("genre", "seed"), [(Genre.ROCK, 3), (Genre.CINEMATIC, 3), (Genre.JAZZ, 3)])
def test_a_placed_lift_keeps_the_grid_and_everything_before_its_rise(genre: Genre, seed: int) -> None:
    """ "a more energetic second half" moved the whole piece's tempo (rock 121 -> 132 bpm: its hit was a tempo
    anchor) and rewrote its first half. It now lands on a bar line: the same beat grid, the same notes before its
    two rising bars, and a drop accent where it starts."""
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.moments import Placed

    spec = MusicSpec(duration_s=40, genre=genre, seed=seed)
    usual = compose(spec)
    lifted = compose(spec.model_copy(update={"moments": Placed(first=0.5, last=1.0, kind="lift").moments(0, 40)}))
    assert lifted.beats_s == usual.beats_s and lifted.bpm == usual.bpm
    first = lifted.lifted_s[0][0]
    rise = lifted.form.tempo.time_of(next(b.start for b in lifted.form.bars if b.feel == "build"))
    before = [n for n in usual.notes if usual.form.tempo.time_of(n.beat) < rise - 0.01]
    assert [n for n in lifted.notes if lifted.form.tempo.time_of(n.beat) < rise - 0.01] == before
    assert any(abs(t - first) < 0.01 for t in lifted.beats_s) and abs(first - 20.0) < 3.0
    assert len([e for e in lifted.events if abs(e.start_s - first) < 0.05]) > len(
        [e for e in usual.events if abs(e.start_s - first) < 0.05]
    )  # the drop's accent


def test_a_lifted_stretch_is_not_flattened_by_the_limiter() -> None:
    """A listening review of hip-hop's "more energetic second half" found the final limiter taking 5-10 dB off each
    kick and snare there (5.5 dB in one 10 ms window in twenty): the drop flattened, not lifted. The lift's dB now
    raises every part but the drums (their peaks stay where the piece put them): the limiter's bite, the mastered
    piece's window peaks against the same piece unlimited, stays under 4.5 dB in nineteen windows of twenty over four
    pieces, and each second half still gains over the piece unasked (pyloudnorm). With the drums lifted again the four
    pooled bite 5.9 dB (5.2-6.4 each). With the lift beside them one piece's bite moves by up to a dB with any change
    to its notes: seeds 1-8 alone 2.9-4.9 dB on one groove, 3.1-4.9 on each seed's own (drum_grooves.py; seed 4,
    which kept its groove, 4.9 either way); seeds 5 to 8 pooled 3.90 dB then, 4.28 with the grooves (two of them on
    the "bounce", whose kick falls on three and its and). With each seed's band (genres.Style.choices: a Rhodes or an
    organ, a flute or an alto saxophone) and hip-hop's lift 5 dB over its band (mixdown.LIFT_BESIDE_DRUMS_OF), seeds
    1-10 bite 3.1-4.3 dB each and gain 2.05-3.3 LU (seed 5 gained 1.64-1.71 with the Rhodes and a 4 dB lift)."""
    import pyloudnorm

    from free_music_ai.engine.loudness import frame_energies
    from free_music_ai.engine.music.level_reference import Heard
    from free_music_ai.engine.music.moments import Placed
    from free_music_ai.engine.soundfont import Instruments

    rate, duration = 48_000, 30.0
    meter = pyloudnorm.Meter(rate)
    bites = []
    band = Instruments()  # the pieces play from one set of waveforms, as an app's pieces do (the same samples)
    window = slice(16 * rate, 29 * rate)
    for seed in (5, 6, 7, 8):
        spec = MusicSpec(duration_s=duration, genre=Genre.HIPHOP, seed=seed)
        usual = produce(spec, instruments=band)
        heard = Heard(frame_energies(np.asarray(usual.audio)), changed_s=[], nominal_lufs=-14.0)
        lifted = spec.model_copy(update={"moments": Placed(first=0.5, last=1.0, kind="lift").moments(0.0, duration)})
        mastered = np.asarray(produce(lifted, heard=heard, instruments=band).audio)[window]
        unlimited = np.asarray(produce(lifted, heard=heard, finish=False, instruments=band).audio)[window]
        ours, raw = _window_peaks(mastered), _window_peaks(unlimited)
        bites.append(-20 * np.log10(np.maximum(ours, 1e-9) / np.maximum(raw, 1e-9))[raw > 1e-4])
        before = np.asarray(usual.audio)[window]
        assert meter.integrated_loudness(mastered) - meter.integrated_loudness(before) >= 2.0, seed
    assert np.percentile(np.concatenate(bites), 95) < 4.5


def _window_peaks(audio: np.ndarray) -> np.ndarray:
    """The peak of each 10 ms window."""
    peaks = np.abs(audio).max(axis=1)
    return peaks[: len(peaks) // 480 * 480].reshape(-1, 480).max(axis=1)


def test_no_pitched_key_is_struck_twice_at_once() -> None:
    """A cut's chord stab landed on the comping's own chord: one instrument's key struck twice at once (two voices
    in phase, its peak doubled). Every genre, with cuts, now strikes each key of a part once at a time."""
    for genre in Genre:
        notes = compose(MusicSpec(duration_s=24, genre=genre, seed=5, cuts_s=[7.0, 14.3, 21.0])).notes
        struck = [(n.part, n.program, n.beat, n.key) for n in notes if not n.drum]
        assert len(struck) == len(set(struck)), genre


def test_the_moments_past_the_music_are_those_it_never_reaches() -> None:
    """What a 24 s piece cannot hold (all of a moment at or after its end) is what the reply says was left out; a
    stretch that starts inside is cut at the end instead (``within``), and one asked to the end of any piece is said
    from its start."""
    from free_music_ai.engine.music.families import Family
    from free_music_ai.engine.music.moments import Moments

    asked = Moments(hits_s=[10.0, 99.0], builds=[Build(start_s=20.0, peak_s=30.0), Build(start_s=30.0, peak_s=38.0)],
                    quiet_s=[(22.0, 40.0), (30.0, UNTIL_THE_END_S)], drums_from_s=50.0,
                    families_out_s=[(Family.PIANO, 5940.0, 5970.0)])  # fmt: skip
    late = asked.past(24.0)
    assert late.hits_s == [99.0] and late.builds == [Build(start_s=30.0, peak_s=38.0)]
    assert late.quiet_s == [(30.0, UNTIL_THE_END_S)] and late.drums_from_s == 50.0
    assert late.described() == ["a hit at 1:39", "a build from 0:30 to 0:38", "quiet from 0:30",
                                "no piano 99:00-99:30", "no drums until 0:50"]  # fmt: skip
    assert not Moments(hits_s=[10.0], quiet_s=[(22.0, 40.0)]).past(24.0).any


@pytest.mark.parametrize("genre", [Genre.POP, Genre.PIANO])
def test_a_big_final_hit_is_heard(genre: Genre) -> None:
    """ "end on a big hit" was said in the reply and set in the spec, but the file was the same to the sample: the
    accent looked for a bar at the final chord's beat, after the last bar, and found none. The final chord is now
    struck louder (its first 300 ms), a crash and kick once each, and nothing before it changes."""
    from free_music_ai.engine.music.moments import Moments
    from music_checks import RATE, rms_db

    spec = MusicSpec(duration_s=20.0, genre=genre, seed=3, moments=Moments(end_hit=True))
    plain = produce(spec.model_copy(update={"moments": Moments()}), finish=False)
    hit = produce(spec, finish=False)
    at = round(plain.composition.final_chord_s * RATE)

    def rise(audio: np.ndarray) -> float:  # the final chord over the second before it (the piece is levelled whole)
        return rms_db(audio[at : at + RATE * 3 // 10]) - rms_db(audio[at - RATE : at])

    assert rise(hit.audio) >= rise(plain.audio) + 3, (rise(hit.audio), rise(plain.audio))
    before, asked = plain.audio[: at - RATE], hit.audio[: at - RATE]
    scale = float(np.sum(before * asked) / np.sum(before * before))  # the piece before, as it was, levelled alike
    assert np.allclose(asked, scale * before, atol=1e-4)
    final = [n for n in hit.composition.notes if n.drum and n.beat == hit.composition.form.final_beat]
    assert len(final) == len({(n.part, n.key) for n in final})  # no drum struck twice at once


def test_a_quiet_stretch_starts_at_the_bar_line_nearest_its_time() -> None:
    """ "quiet from 0:15" at 79 bpm quieted the bar from 12.15 s (any bar touching the stretch was its), 3 s before
    the time asked and the reply: a bar is the stretch's when half of it or more is inside."""
    from free_music_ai.engine.music.moments import Moments

    spec = MusicSpec(duration_s=30.0, genre=Genre.CINEMATIC, seed=5, bpm=79.0, moments=Moments(quiet_s=[(15.0, 30.0)]))
    form = compose(spec).form
    bar_s = 4 * 60 / 79.0
    quiet = [form.tempo.time_of(bar.start) for bar in form.bars if "drums" not in bar.parts and bar.energy <= 0.25]
    assert quiet and abs(min(quiet) - 15.0) <= bar_s / 2 + 0.01, quiet
