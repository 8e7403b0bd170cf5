"""Music a creator would post, checked as a listener would: a form with an intro and a peak, a lead that leaves
room (and drops out under speech), a dynamic arc, width, the heard key, accents on cuts, and words that pick
the right world. Loudness by pyloudnorm and ffmpeg, the lead from the MIDI file (mido), keys and width from
the audio itself."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import mido
import numpy as np
import pyloudnorm
import pytest

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.genres import choose_genre
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.produce import Music, produce
from free_music_ai.engine.music.spec import Dynamics, Genre, MusicSpec
from free_music_ai.errors import InputError
from free_music_ai.words.genre import genre_from_text, parse_genre
from free_music_ai.words.mood import mood_from_words
from free_music_ai.words.wishes import read_wishes
from music_checks import RATE, estimate_key

_cache: dict[str, Music] = {}


def make(**fields: object) -> Music:
    spec = MusicSpec(**fields)  # type: ignore[arg-type]
    key = spec.model_dump_json()
    if key not in _cache:
        _cache[key] = produce(spec, keep_stems=True)
    return _cache[key]


def lead_bars(music: Music, work: Path) -> set[int]:
    """The bars in which the MIDI file's lead track starts a note (50 ms of humanized timing allowed)."""
    path = work / "piece.mid"
    write_midi(music.composition, path)
    c = music.composition
    downbeats = np.array(c.beats_s[::4])
    bars: set[int] = set()
    for track in mido.MidiFile(str(path)).tracks:
        if not any(m.type == "track_name" and m.name == "lead" for m in track):
            continue
        seconds = 0.0
        for message in track:
            seconds += message.time * 60.0 / (c.bpm * 480)
            if message.type == "note_on" and message.velocity and seconds < c.final_chord_s - 0.05:
                bars.add(int(np.searchsorted(downbeats, seconds + 0.05) - 1))
    return bars


def loudness_range(audio: np.ndarray, work: Path) -> float:
    import soundfile

    path = work / "lra.wav"
    soundfile.write(str(path), audio, RATE, subtype="FLOAT")
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)  # fmt: skip
    summary = done.stderr[done.stderr.rfind("Summary:") :]
    return float(re.search(r"LRA:\s+([\d.]+) LU", summary).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("genre", [Genre.POP, Genre.CINEMATIC, Genre.LOFI])
def test_the_lead_leaves_room(genre: Genre, tmp_path: Path) -> None:
    music = make(duration_s=48.0, genre=genre, seed=11)
    bars = lead_bars(music, tmp_path)
    count = len(music.composition.form.bars)
    assert bars, "a melody plays somewhere"
    assert min(bars) >= 2  # an intro before the tune
    assert len(bars) <= 0.7 * count  # it rests in at least 30 % of the bars
    stems = music.stems

    def rms(x: np.ndarray) -> float:
        return float(10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-20))

    accompaniment = max(rms(a) for part, a in stems.items() if part not in ("lead", "drums", "kick", "bass"))
    assert rms(stems["lead"]) <= accompaniment  # never louder than the loudest accompaniment


def presence_db(signal: np.ndarray, spans: list[tuple[float, float]]) -> float:
    """The energy of a stem's mono sum in 600-5000 Hz (numpy's FFT) over the spans (s), in dB."""
    mono = signal.astype(np.float64).mean(axis=1)
    total = 0.0
    for start, end in spans:
        piece = mono[round(start * RATE) : round(end * RATE)]
        freqs = np.fft.rfftfreq(len(piece), 1 / RATE)
        total += float((np.abs(np.fft.rfft(piece)) ** 2)[(freqs >= 600) & (freqs < 5000)].sum())
    return float(10 * np.log10(total + 1e-30))


def test_the_pop_tune_is_heard_over_the_band(tmp_path: Path) -> None:
    """Pop's marimba sang seed 3's verses at 60-67, inside the keys' and the pad's voicings, where a marimba is
    nearly all fundamental (under 600 Hz): in the bars it played, the tune stood 6.1 dB under the rest of the band
    in 600-5000 Hz, the range a listener follows a tune in (the music report's limit is 6). Sitting above the
    comping, it is heard, and still never louder than the loudest accompaniment."""
    music = make(duration_s=48.0, genre=Genre.POP, seed=3)
    downbeats = [*music.composition.beats_s[::4], music.composition.final_chord_s]
    spans = [(downbeats[k], downbeats[k + 1]) for k in sorted(lead_bars(music, tmp_path))]
    band = sum(stem.astype(np.float64) for part, stem in music.stems.items() if part != "lead")
    assert isinstance(band, np.ndarray) and spans
    assert presence_db(music.stems["lead"], spans) - presence_db(band, spans) >= -6.0

    def rms(x: np.ndarray) -> float:
        return float(10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-20))

    accompaniment = max(rms(a) for part, a in music.stems.items() if part not in ("lead", "drums", "kick", "bass"))
    assert rms(music.stems["lead"]) <= accompaniment


def test_the_lead_drops_out_where_someone_speaks(tmp_path: Path) -> None:
    # someone speaks over the bars where the lead sings when nobody does (from the first of them for 12 s)
    quiet = make(duration_s=48.0, genre=Genre.POP, seed=11)
    downbeats = quiet.composition.beats_s[::4]
    start = downbeats[min(k for k in lead_bars(quiet, tmp_path) if downbeats[k] >= 8.0)]
    speech = [(start, start + 12.0)]
    music = make(duration_s=48.0, genre=Genre.POP, seed=11, speech_s=speech)
    spoken = {k for k, t in enumerate(downbeats[:-1]) if t >= start and downbeats[k + 1] <= start + 12.0}
    assert lead_bars(quiet, tmp_path) & spoken  # it would have played
    assert not lead_bars(music, tmp_path) & spoken


def four_bar_loudness(music: Music, downbeats: Sequence[float], *, step: int) -> list[float]:
    """pyloudnorm's integrated loudness of every 4 bars between ``downbeats``, from every ``step``-th bar."""
    meter = pyloudnorm.Meter(RATE)
    return [meter.integrated_loudness(music.audio[round(downbeats[k] * RATE) : round(downbeats[k + 4] * RATE)]
                                      .astype(np.float64)) for k in range(0, len(downbeats) - 4, step)]  # fmt: skip


@pytest.mark.parametrize("genre", [Genre.POP, Genre.ACOUSTIC])
def test_a_dynamic_arc(genre: Genre, tmp_path: Path) -> None:
    music = make(duration_s=48.0, genre=genre, seed=12)
    assert loudness_range(music.audio, tmp_path) >= 4.0
    stretches = four_bar_loudness(music, music.composition.beats_s[::4], step=4)
    assert max(stretches) >= stretches[0] + 3.0  # the peak stands at least 3 dB above the opening


# slow genres at 30 s: eight to ten bars, whose one phrase came in whole in bar 2 or 3 and stood 0.6-0.9 dB above the
# opening (a chorus, never a peak); the music report's arc over seeds 1-9 failed 27 such pieces
@pytest.mark.parametrize(("genre", "seed"), [(Genre.AMBIENT, 1), (Genre.LOFI, 7), (Genre.RNB, 7)])
def test_a_short_piece_grows_out_of_its_opening(genre: Genre, seed: int) -> None:
    music = make(duration_s=30.0, genre=genre, seed=seed)
    bars = music.composition.form.bars
    assert [bar.section for bar in bars[:2]] == ["intro", "intro"] and bars[2].section == "peak"
    # the phrase rises in: its first two bars without the layers its third brings
    assert bars[2].parts < bars[4].parts and bars[2].energy < bars[3].energy < bars[4].energy
    downbeats = [*music.composition.beats_s[::4], music.composition.final_chord_s]
    stretches = four_bar_loudness(music, downbeats, step=1)
    assert max(stretches) >= stretches[0] + 3.0  # from any bar, as the music report measures it


def test_a_steady_short_piece_does_not_rise() -> None:
    """Asked to keep it steady: one level throughout; a short piece's one phrase comes in whole, at its level."""
    for seed in range(1, 13):  # (a short phrase left over was a breakdown there: seeds 2, 5, 7 and 10)
        bars = compose(MusicSpec(duration_s=30.0, genre=Genre.LOFI, seed=seed, dynamics=Dynamics.STEADY)).form.bars
        body = [bar for bar in bars if bar.section not in ("intro", "outro")]
        assert len({bar.energy for bar in body}) == 1 and len({bar.parts for bar in body}) == 1


def test_build_up_puts_the_peak_at_the_end() -> None:
    assert read_wishes("calm piano that builds up to the end").dynamics == Dynamics.BUILD
    built = compose(MusicSpec(duration_s=60.0, genre=Genre.CINEMATIC, seed=3, dynamics=Dynamics.BUILD))
    body = [bar for bar in built.form.bars if bar.section != "outro"]
    assert body[-1].section == "peak"
    peak_bars = [bar.index for bar in built.form.bars if bar.section == "peak"]
    assert min(peak_bars) >= 0.6 * len(built.form.bars)


def test_two_seeds_are_two_pieces() -> None:
    first = compose(MusicSpec(duration_s=48.0, genre=Genre.POP, seed=1))
    second = compose(MusicSpec(duration_s=48.0, genre=Genre.POP, seed=2))
    relative = [(bar.chord.root - first.character.tonic) % 12 for bar in first.form.bars]
    other = [(bar.chord.root - second.character.tonic) % 12 for bar in second.form.bars]
    assert relative != other


def test_sections_contrast(tmp_path: Path) -> None:
    """Verses and choruses use different progressions; the breakdown drops the beat (its first bar the whole kit;
    then the hats keep time, at the breakdown's level: three bars of keys and pad alone were a hole)."""
    c = compose(MusicSpec(duration_s=60.0, genre=Genre.POP, seed=4))
    by_section: dict[str, list[str]] = {}
    for bar in c.form.bars:
        by_section.setdefault(bar.section, []).append(bar.chord.name)
    assert by_section["verse"][:4] != by_section["chorus"][:4]
    breakdown = [bar for bar in c.form.bars if bar.section == "breakdown"]
    assert breakdown
    beat_bars = {int(n.beat // 4) for n in c.notes if n.drum and n.key not in (42, 44, 46)}  # all but the hats
    assert not beat_bars & {bar.index for bar in breakdown[:-1]}
    assert not {int(n.beat // 4) for n in c.notes if n.drum} & {breakdown[0].index}


@pytest.mark.parametrize(
    ("genre", "seed", "seconds"),
    [(Genre.POP, 2, 48.0), (Genre.LOFI, 2, 75.0), (Genre.LOFI, 7, 75.0), (Genre.ACOUSTIC, 10, 48.0)],
)
def test_a_breakdown_is_a_breath_not_a_stop(genre: Genre, seed: int, seconds: float) -> None:
    """A song's breakdown lasts at most a phrase: its bars to spare once made a second breakdown beside the form's
    own (pop seed 2: six bars, 13 s of keys and pad 15 LU under the chorus, heard as the track stopping); the band
    then comes back before the peak."""
    bars = compose(MusicSpec(duration_s=seconds, genre=genre, seed=seed)).form.bars
    labels = "".join("b" if bar.section == "breakdown" else "." for bar in bars)
    assert "b" in labels and "b" * 5 not in labels, labels


@pytest.mark.parametrize(("genre", "seed"), [(Genre.LOFI, 1), (Genre.LOFI, 5), (Genre.PIANO, 3), (Genre.JAZZ, 2)])
def test_the_key_heard_is_the_key_reported(genre: Genre, seed: int) -> None:
    music = make(duration_s=30.0, genre=genre, seed=seed)
    tonic, mode = estimate_key(music.audio)
    c = music.composition
    parent = {"major": 0, "lydian": 7, "mixolydian": 5, "dorian": 10, "minor": 3, "phrygian": 8}
    reported_major = (c.character.tonic + parent[c.character.mode]) % 12
    heard_major = tonic if mode == "major" else (tonic + 3) % 12
    assert heard_major == reported_major, (c.key, tonic, mode)


def test_wide_enough() -> None:
    audio = make(duration_s=30.0, genre=Genre.CORPORATE, seed=6).audio.astype(np.float64)
    mid, side = (audio[:, 0] + audio[:, 1]) / 2, (audio[:, 0] - audio[:, 1]) / 2
    assert 10 * np.log10(np.mean(side**2) / np.mean(mid**2)) >= -14


@pytest.mark.parametrize("seed", [1, 2, 4])
def test_a_jazz_combo_is_wide_and_its_vibraphone_does_not_cover_it(seed: int, tmp_path: Path) -> None:
    """A combo with no pad and no guitar layer has its piano for width: over seeds 1-12 its side sat 9.5-12.5 dB
    under its mid (the music report's floor is 12), and its vibraphone -0.9 to +6.9 dB over the band in
    600-5000 Hz where it plays (the ceiling is 6). Measured on the mix (numpy) and the stems, the lead's bars from
    the MIDI file (mido)."""
    music = make(duration_s=48.0, genre=Genre.JAZZ, seed=seed)
    audio = music.audio.astype(np.float64)
    mid, side = (audio[:, 0] + audio[:, 1]) / 2, (audio[:, 0] - audio[:, 1]) / 2
    assert 10 * np.log10(np.mean(side**2) / np.mean(mid**2)) >= -12
    downbeats = [*music.composition.beats_s[::4], music.composition.final_chord_s]
    spans = [(downbeats[k], downbeats[k + 1]) for k in sorted(lead_bars(music, tmp_path))]
    band = sum(stem.astype(np.float64) for part, stem in music.stems.items() if part != "lead")
    assert isinstance(band, np.ndarray) and spans
    assert abs(presence_db(music.stems["lead"], spans) - presence_db(band, spans)) <= 6.0


def test_chords_are_spelled_in_the_key() -> None:
    c = compose(MusicSpec(duration_s=40.0, genre=Genre.POP, key="F", mode="minor", seed=2))
    names = " ".join(bar.chord.name for bar in c.form.bars)
    assert "#" not in names and c.key == "F minor"


def test_the_final_cadence_never_repeats_its_dominant() -> None:
    for seed in range(1, 12):
        bars = compose(MusicSpec(duration_s=30.0, genre=Genre.PIANO, seed=seed, arousal=0.5)).form.bars
        assert bars[-2].chord.root != bars[-1].chord.root


def test_words_pick_the_world() -> None:
    epic = mood_from_words("epic heroic trailer")
    assert epic is not None and choose_genre(*epic) == Genre.CINEMATIC
    assert genre_from_text("an epic heroic trailer") == Genre.CINEMATIC
    tense = mood_from_words("dark tense")
    assert tense is not None and choose_genre(*tense) == Genre.SUSPENSE
    for valence in np.linspace(-1, -0.5, 6):  # dark footage never gets a beat
        for arousal in np.linspace(-0.2, 1, 7):
            assert choose_genre(float(valence), float(arousal)) not in (Genre.HIPHOP, Genre.POP, Genre.TRAP)
    assert parse_genre("Jazz") == Genre.JAZZ and parse_genre("r&b") == Genre.RNB
    with pytest.raises(InputError, match=r"Choose one of: lo-fi, .*suspense"):
        parse_genre("polka")
    with pytest.raises(InputError, match=r"'reggae'. The nearest to reggae is r&b. Choose one of: lo-fi, "):
        parse_genre("reggae")


@pytest.mark.parametrize("cuts", [[2.1, 5.5, 9.25, 11.0], [1.7, 4.9, 7.3, 12.35, 16.0, 19.2, 23.75]])
def test_cuts_land_on_beats_or_eighths_with_an_accent(cuts: list[float]) -> None:
    music = make(duration_s=30.0, genre=Genre.POP, cuts_s=cuts, seed=3)
    c = music.composition
    beats = np.array(c.beats_s)
    grid = np.sort(np.concatenate([beats, (beats[:-1] + beats[1:]) / 2]))
    anchor = 0.0
    for cut in cuts:
        if cut - anchor < 2.0:
            continue
        anchor = cut
        assert np.min(np.abs(grid - cut)) <= 0.02, cut
        assert any(abs(hit - cut) < 1e-3 for hit in c.hits_s), cut
        crash = [e for e in c.events if e.drum and e.key == 49 and abs(e.start_s - cut) < 0.005]
        assert crash, cut  # heard: a crash struck on the cut
    periods = np.diff(beats[: int(np.searchsorted(beats, c.final_chord_s - 3))])
    assert np.max(np.abs(np.diff(periods) / periods[:-1])) <= 0.0301  # tempo moves 3 % a step at most


def test_every_form_follows_a_video_that_is_calm_then_intense() -> None:
    """Whatever form the seed picks (a drop's build, a cold open, a half-time bridge), the calm first half of
    the footage gets a calm first half of music: no chorus there just so the hook can come back."""
    forms = set()
    for seed in range(8, 20):
        composition = compose(MusicSpec(duration_s=40.0, genre=Genre.POP, energy=[0.2] * 20 + [0.95] * 20, seed=seed))
        forms.add(composition.form.name)
        first = sum(1 for e in composition.events if e.start_s < 18)
        second = sum(1 for e in composition.events if 20 <= e.start_s < 38)
        assert second > 2 * first, (seed, composition.form.name, first, second)
    assert len(forms) >= 3


@pytest.mark.parametrize("genre", list(Genre))
def test_the_piece_opens_and_closes_on_its_tonic_in_the_bass(genre: Genre) -> None:
    """The key is told as composers tell it: the lowest note of the first chord and of the last is the tonic
    (the intro opened on the keys' voicing alone, its lowest note a third or a fifth as often as the root)."""
    for seed in (1, 2, 3):
        for duration in (30.0, 48.0):
            c = compose(MusicSpec(duration_s=duration, genre=genre, seed=seed))
            pitched = [n for n in c.notes if not n.drum and n.part != "riser"]
            first = min(n.beat for n in pitched)
            opening = min(n.key for n in pitched if n.beat < first + 0.05)
            closing = min(n.key for n in pitched if abs(n.beat - c.form.final_beat) < 0.05)
            assert opening % 12 == c.character.tonic % 12, (seed, duration, opening)
            # a lifted last chorus ends in its own key, a step or two above home, as a modulated chorus does
            assert closing % 12 == (c.character.tonic + c.form.bars[-1].shift) % 12, (seed, duration, closing)


@pytest.mark.parametrize(("genre", "seed"), [(Genre.ORCHESTRAL, 1), (Genre.ORCHESTRAL, 2), (Genre.FOLK, 1),
                                             (Genre.EDM, 2), (Genre.POP, 3), (Genre.POP, 1), (Genre.CORPORATE, 7),
                                             (Genre.JAZZ, 3), (Genre.JAZZ, 10), (Genre.RNB, 14), (Genre.ROCK, 3),
                                             (Genre.ROCK, 8), (Genre.ROCK, 11)])  # fmt: skip
def test_the_key_librosa_hears_is_the_key_written(genre: Genre, seed: int) -> None:
    """The music report's ear (Krumhansl-Schmuckler on librosa's constant-Q chroma) heard these 48 s pieces in
    their mediant or dominant (C major as E minor, E major as B major, F major as A minor, and pop's C major as G
    major): it hears the written key, or its relative, now that the bass tells the tonic at every phrase start,
    the colour chords keep their thirds and pop's ii-iii-V lands on I. Jazz in C was heard in G major and in D minor:
    its ii-V's never landed (four of seven progressions without a I), the bass held II7's root under the intro's
    tonic pedal, and a last head lifted a step closed the piece on D; now every progression lands on or starts
    from Imaj7, the held bass keeps the pedal and the head stays home. R&B in Ab major was heard in Eb major: no
    phrase began on its tonic; now its verses open at home and its choruses go to the IV or the vi and come back.
    Pop's F major was heard in G minor: its chorus and peak were IVmaj7-iv-iii7-VI7, never on I; each chorus now
    touches it, as corporate's now does (D major was heard in A major over iii-ii-Vsus4-iii). Rock in E and in G
    major was heard in E and G minor, in B major as E major: its power chords carry no third, so a major piece's
    borrowed bIII (G5-F5-Eb5-Bb5, I-bIII-bVII-IV) spelled the parallel minor or the IV; a major key now borrows only
    the flat seventh and the bVI-bVII climb home."""
    music = make(duration_s=48.0, genre=genre, seed=seed)
    tonic, mode = _heard_key(music, 0.0, music.composition.spec.duration_s)
    c = music.composition
    heard_major = tonic if mode == "major" else (tonic + 3) % 12
    # electronic's loops all borrow the flat seventh: written in mixolydian, heard in it or in its parent major
    parent = (c.character.tonic + 5) % 12 if c.character.mode == "mixolydian" else c.character.tonic
    assert c.character.mode in ("major", "mixolydian") and heard_major in {c.character.tonic, parent}, (c.key, tonic)


def _heard_key(music: Music, start_s: float, end_s: float) -> tuple[int, str]:
    """The key the music report's ear hears from ``start_s`` to ``end_s``: Krumhansl-Schmuckler on librosa's
    constant-Q chroma."""
    import librosa  # the dev extra installs it (the music report's ear)

    y = librosa.resample(music.audio[round(start_s * RATE) : round(end_s * RATE)].mean(axis=1), orig_sr=RATE,
                         target_sr=22050)  # fmt: skip
    chroma = librosa.feature.chroma_cqt(y=y, sr=22050, hop_length=512).mean(axis=1)
    major = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
    minor = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
    _, tonic, mode = max((float(np.corrcoef(chroma, np.roll(profile, t))[0, 1]), t, name)
                         for t in range(12) for profile, name in ((major, "major"), (minor, "minor")))  # fmt: skip
    return tonic, mode


@pytest.mark.parametrize(("genre", "seed"), [(Genre.ORCHESTRAL, 2), (Genre.FOLK, 1), (Genre.CINEMATIC, 1),
                                             (Genre.AMBIENT, 1), (Genre.TRAP, 1)])  # fmt: skip
def test_a_breakdown_is_heard_in_the_key_of_its_piece(genre: Genre, seed: int) -> None:
    """A breakdown held each chord two bars from the chord after the tonic, so its four bars were two colour chords
    and 59 of 81 breakdowns (16 genres, seeds 1-3, 48 and 75 s) were heard in another key: folk's G#m/E G#m F#m F#m
    in E major as G# minor, trap's four bars of iv as its key. Its chords now move a bar at a time through its
    progression, which comes round to the tonic: these were heard elsewhere and are heard at home (or in its
    relative) now."""
    music = make(duration_s=48.0, genre=genre, seed=seed)
    c = music.composition
    bars, tempo = c.form.bars, c.form.tempo
    breakdowns = [b for b in bars if b.section == "breakdown"]
    assert breakdowns
    first, last = breakdowns[0], breakdowns[-1]
    assert [b.index for b in breakdowns] == list(range(first.index, last.index + 1))  # one breakdown
    tonic, mode = _heard_key(music, tempo.time_of(first.start), tempo.time_of(last.start + last.beats))
    heard_major = tonic if mode == "major" else (tonic + 3) % 12
    assert c.character.mode in ("major", "minor"), c.key
    written_major = c.character.tonic if c.character.mode == "major" else (c.character.tonic + 3) % 12
    assert heard_major == written_major, (c.key, tonic, mode, [b.chord.name for b in breakdowns])


def test_a_short_breakdown_lifts_into_what_follows() -> None:
    """A breakdown's fourth bar lifted into the section after it, so one of two or three bars never lifted: now a
    breakdown's last bar always does (with its chords moving a bar at a time, ambient's two-bar breakdown fell
    into its peak 12.3 dB a second; test_genres holds that under 11.5)."""
    short = 0
    for genre in (Genre.AMBIENT, Genre.PIANO, Genre.HIPHOP, Genre.CINEMATIC):
        for seed in range(1, 7):
            bars = compose(MusicSpec(duration_s=48.0, genre=genre, seed=seed)).form.bars
            for k, bar in enumerate(bars[:-1]):
                if bar.section == "breakdown" and bars[k + 1].section != "breakdown" and bar.phrase_bar < 3:
                    short += 1
                    assert bar.energy > bars[k - 1].energy, (genre, seed, k)
    assert short


@pytest.mark.parametrize("genre", [Genre.LOFI, Genre.HIPHOP, Genre.RNB, Genre.SUSPENSE, Genre.PIANO])
def test_the_beat_and_the_tune_come_in_within_seconds_whatever_the_tempo(genre: Genre) -> None:
    """A four-bar intro at 80 bpm kept a 60 s lo-fi, hip-hop or r&b piece's beat and tune back for 11-12 s (seed 8):
    the intro's length is in seconds now (7 s at most), so the genre is heard in the first ten seconds."""
    for seed in (3, 8):
        c = compose(MusicSpec(duration_s=60.0, genre=genre, seed=seed))
        intro = [bar for bar in c.form.bars if bar.section == "intro"]
        assert c.form.tempo.time_of(intro[-1].start + intro[-1].beats) <= 7.0 + 1e-6, (seed, len(intro))
        entries = [e.start_s for e in c.events if e.part in ("kick", "lead")]
        assert entries and min(entries) <= 9.0, seed


def test_a_dance_track_builds_into_its_drop_as_a_rule() -> None:
    """Electronic and trap built into a drop on 3 seeds of 12 (the same three for both, and for pop and hip-hop):
    every electronic piece now does, and half the trap ones, with a riser and a snare roll in the build."""
    for genre, least in ((Genre.EDM, 12), (Genre.TRAP, 5)):
        pieces = [compose(MusicSpec(duration_s=48.0, genre=genre, seed=seed)) for seed in range(1, 13)]
        drops = [c for c in pieces if any(bar.feel == "drop" for bar in c.form.bars)]
        assert len(drops) >= least, (genre, len(drops))
        for c in drops:
            build = [bar for bar in c.form.bars if bar.feel == "build"]
            within = [n for n in c.notes if any(b.start <= n.beat < b.start + b.beats for b in build)]
            assert any(n.part == "riser" for n in within), genre
            assert sum(n.drum and n.key == 38 for n in within) >= 8, genre  # the snare's roll


def lead_onsets(c: Composition, work: Path, part: str = "lead") -> dict[int, tuple[float, ...]]:
    """A part's note starts read back from the MIDI file (mido), by bar: beats from the bar line, to the eighth
    (humanized timing and swing are smaller than a sixteenth); a chord's notes start together, once."""
    path = work / "piece.mid"
    write_midi(c, path)
    beats = np.array(c.beats_s)
    found: dict[int, list[float]] = {}
    for track in mido.MidiFile(str(path)).tracks:
        if not any(m.type == "track_name" and m.name == part for m in track):
            continue
        seconds = 0.0
        for message in track:
            seconds += message.time * 60.0 / (c.bpm * 480)
            if message.type == "note_on" and message.velocity and seconds < c.final_chord_s - 0.05:
                beat = float(np.interp(seconds, beats, np.arange(len(beats))))
                bar, offset = divmod(round(beat * 2) / 2, 4.0)
                found.setdefault(int(bar), []).append(offset)
    return {bar: tuple(sorted(set(offsets))) for bar, offsets in found.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_jazz_tune_is_played_head_solos_head(seed: int, tmp_path: Path) -> None:
    """A combo plays the tune (the head), solos over the changes, then the tune again: the lead's first bar of the
    last tune phrase has the rhythm of the first's (read back from the MIDI file), and the solos between them are
    busier than the tune and never play one line twice."""
    piece = compose(MusicSpec(duration_s=48.0, genre=Genre.JAZZ, seed=seed))
    bars = piece.form.bars
    starts = [b.index for b in bars if b.phrase_bar == 0 and b.section not in ("intro", "outro")]
    sections = [bars[i].section for i in starts]
    assert sections[0] == "chorus" and sections[-1] in ("chorus", "peak") and "verse" in sections, sections
    onsets = lead_onsets(piece, tmp_path)
    heads = [i for i, s in zip(starts, sections, strict=True) if s in ("chorus", "peak") and i in onsets]
    assert len(heads) >= 2 and onsets[heads[0]] == onsets[heads[-1]], (heads, onsets)
    solos = [i for i, s in zip(starts, sections, strict=True) if s == "verse"]
    lines = [tuple(onsets.get(i + k, ()) for k in range(3)) for i in solos]
    assert len(set(lines)) == len(lines), lines  # a new line in every solo phrase
    played = [i + k for i in solos for k in range(3) if i + k in onsets]
    head_bars = [i + k for i in heads for k in range(4) if i + k in onsets]
    per_bar = {name: sum(len(onsets[b]) for b in group) / len(group)
               for name, group in (("solo", played), ("head", head_bars))}  # fmt: skip
    assert per_bar["solo"] > per_bar["head"], per_bar


def test_a_long_jazz_piece_trades_its_solos(tmp_path: Path) -> None:
    """A combo's soloists take turns: in a 90 s piece the tune's player takes the first half of the solos and the
    pianist the second, a line over its own comping (read back from the MIDI file: the piano starts notes at more
    places in a bar than its chords do); a tune the user gave another instrument keeps every solo."""
    piece = compose(MusicSpec(duration_s=90.0, genre=Genre.JAZZ, seed=2))
    solos = [b.index for b in piece.form.bars if b.section == "verse"]
    first, second = solos[: len(solos) // 2], solos[len(solos) // 2 :]
    lead, keys = lead_onsets(piece, tmp_path), lead_onsets(piece, tmp_path, "keys")
    assert sum(b in lead for b in first) >= len(first) // 2 and not any(b in lead for b in second)

    def places(bars: list[int]) -> float:
        return sum(len(keys.get(b, ())) for b in bars) / len(bars)

    assert places(second) >= places(first) + 2, (places(first), places(second))
    asked = compose(MusicSpec(duration_s=90.0, genre=Genre.JAZZ, seed=2, instruments={"lead": 73}))
    assert sum(b in lead_onsets(asked, tmp_path) for b in second) >= len(second) // 2


def test_a_jazz_band_lays_out_before_its_last_head(tmp_path: Path) -> None:
    """From three solos on, the last solo phrase is the band laying out (read back from the MIDI file: no bass,
    drums or lead notes there but the drummer's pickup on the last beat, the piano in every bar), and the tune
    comes back after it."""
    piece = compose(MusicSpec(duration_s=90.0, genre=Genre.JAZZ, seed=2))
    bars = piece.form.bars
    quiet = [b.index for b in bars if b.section == "breakdown"]
    assert len(quiet) == 4 and bars[quiet[-1] + 1].section in ("chorus", "peak")
    assert "verse" in {b.section for b in bars[: quiet[0]]}  # after solos
    for part in ("lead", "bass"):
        assert not set(lead_onsets(piece, tmp_path, part)) & set(quiet), part
    drums = lead_onsets(piece, tmp_path, "drums")
    assert all(bar == quiet[-1] and min(drums[bar]) >= 3.0 for bar in set(drums) & set(quiet)), drums
    assert set(lead_onsets(piece, tmp_path, "keys")) >= set(quiet)
