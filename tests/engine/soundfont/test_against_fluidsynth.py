"""Our synthesizer against FluidSynth, the SoundFont reference: the same notes of the instruments the music plays,
rendered by both, compared as a listener would hear a difference: brightness (spectral centroid of the attack
and of the held note), the shape of the level over time, the overall level, the place between the speakers and
the pitch.

Both fonts we ship: MuseScore_General_Lite, which plays the music, and FluidR3Mono, which played the band before
(and replays what it played), on every instrument a genre plays (genres.py). FluidSynth comes from Debian's
package (.ci/run installs it); without it the tests are skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import mido
import numpy as np
import pytest
import soundfile

from free_music_ai.engine.soundfont import BUNDLED_FONTS, PIANO_FONT_NAME, NoteEvent, bundled_soundfont, synthesizer
from free_music_ai.engine.soundfont.sample_tuning import RETUNED

from .fluid_notes import (
    RATE,
    Note,
    balance_db,
    centroid,
    energy_db,
    fluid_render,
    levels_db,
    our_render,
    pitch_gap_cents,
    slot,
)

CENTROID_TOLERANCE = 0.12  # relative
SHAPE_TOLERANCE_DB = 4.0
LEVEL_TOLERANCE_DB = 2.0
BALANCE_TOLERANCE_DB = 2.0
PITCH_TOLERANCE_CENTS = 1.0  # the font's own tuning is FluidSynth's to a tenth of a cent (up to 7 cents off)
SHAPE_SECONDS = 3.0  # the note (1.5 s) and the first 1.5 s of its release
# program: (a low key, a high key) in each instrument's range
PROGRAMS = {0: (48, 72), 1: (48, 72), 4: (48, 72), 5: (48, 72), 24: (52, 64), 25: (52, 64), 27: (52, 64),
            29: (45, 64), 30: (45, 64), 32: (36, 48), 33: (36, 48), 34: (36, 48), 38: (36, 48), 40: (60, 79),
            48: (48, 72), 49: (48, 72), 52: (60, 72), 61: (55, 67), 73: (72, 84),
            # and every other instrument a genre plays (genres.py): the band's strings, guitars, keys and leads
            8: (72, 84), 10: (72, 84), 11: (60, 72), 12: (60, 72), 16: (48, 72), 22: (60, 72), 26: (52, 64),
            28: (45, 57), 42: (36, 55), 43: (31, 43), 45: (48, 67), 50: (48, 72), 60: (48, 60), 65: (55, 67),
            81: (60, 72), 88: (48, 72), 89: (48, 72), 90: (48, 72), 91: (48, 72), 94: (48, 72), 105: (55, 67),
            110: (60, 79),
            # and the instruments a seed may draw in their place (genres.Style.choices)
            18: (48, 72), 54: (60, 72), 66: (55, 67), 68: (60, 79), 78: (72, 84),
            84: (60, 79), 92: (48, 72), 46: (48, 72)}  # fmt: skip
DRUMS = {36: "kick", 38: "snare", 42: "closed hat", 46: "open hat", 49: "crash", 51: "ride", 45: "low tom",
         48: "high tom"}  # fmt: skip
NOTES = [Note(f"program {p} key {k} velocity {v}", p, k, v) for p, keys in PROGRAMS.items() for k in keys
         for v in (50, 110)] + [Note(f"{name} velocity {v}", 0, k, v, drum=True) for k, name in DRUMS.items()
                                for v in (60, 120)]  # fmt: skip
# Known differences, each checked to still be there (strict): the modulation envelope's release is not followed
# (modulation.py), and MuseScore's second electric piano closes its filter after note-off with it. The others
# were found when the comparison took in every instrument the genres play, and are not explained yet: the
# polysynth's resonant filter (6 dB), swept by its modulation envelope and a 0.09 Hz LFO on FluidR3Mono; a
# level's shape a few tenths of a dB past the 4 dB allowed on the jazz guitar, MuseScore's polysynth and halo pad.
POLYSYNTH = "a swept resonant filter: the level's shape 6.8 dB off at key 48, the attack 17 % darker at 72"
SHAPE = "the level's shape {} dB from FluidSynth's"
KNOWN = {("MuseScore_General_Lite", "program 5 key 72 velocity 50"): "the modulation envelope's release",
         ("FluidR3Mono_GM", "program 26 key 52 velocity 50"): SHAPE.format(4.1),
         ("MuseScore_General_Lite", "program 26 key 52 velocity 50"): SHAPE.format(4.1),
         **{("FluidR3Mono_GM", f"program 90 key {k} velocity {v}"): POLYSYNTH for k in (48, 72) for v in (50, 110)},
         ("MuseScore_General_Lite", "program 90 key 72 velocity 110"): SHAPE.format(4.1),
         ("MuseScore_General_Lite", "program 94 key 72 velocity 50"): SHAPE.format(4.9),
         ("MuseScore_General_Lite", "program 94 key 72 velocity 110"): SHAPE.format(5.1)}  # fmt: skip

# the presets whose sample we retune on purpose (sample_tuning.py): their pitch is FluidSynth's moved by that much
RETUNED_PROGRAMS = {("MuseScore_General_Lite", 78): RETUNED[("MuseScore_General_Lite.sf3", "whistle")]}

Renders = tuple[str, np.ndarray, np.ndarray]
fluidsynth = shutil.which("fluidsynth")
pytestmark = pytest.mark.skipif(fluidsynth is None, reason="FluidSynth is not installed (apt install fluidsynth)")


@pytest.fixture(scope="module", params=[bundled_soundfont(name) for name in BUNDLED_FONTS], ids=lambda p: p.stem)
def renders(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Renders:
    """FluidSynth's render and ours of every note, and the font's name."""
    font: Path = request.param
    assert fluidsynth is not None
    theirs = fluid_render(fluidsynth, font, NOTES, tmp_path_factory.mktemp(font.stem))
    return font.stem, theirs, our_render(font, NOTES)


@pytest.mark.parametrize("index", range(len(NOTES)), ids=[n.label for n in NOTES])
def test_notes_sound_as_fluidsynth_plays_them(renders: Renders, index: int) -> None:
    font, theirs_all, ours_all = renders
    note = NOTES[index]
    theirs, mine = slot(theirs_all, index), slot(ours_all, index)
    assert energy_db(theirs) > -60, "FluidSynth played nothing: the comparison would mean nothing"
    known = KNOWN.get((font, note.label))
    retuned = 0 if note.drum else RETUNED_PROGRAMS.get((font, note.program), 0)
    if known is None:
        _compare(theirs, mine, note, retuned)
        return
    try:
        _compare(theirs, mine, note, retuned)
    except AssertionError:
        pytest.xfail(known)
    pytest.fail(f"{note.label} on {font} now matches FluidSynth: take it out of KNOWN")


def _compare(theirs: np.ndarray, mine: np.ndarray, note: Note, retuned: int = 0) -> None:
    windows = [(0.05, 0.4)]  # the attack, then the held note where it still sounds (a drum has died away)
    if energy_db(theirs[round(0.6 * RATE) : round(1.4 * RATE)]) > energy_db(theirs) - 30:
        windows.append((0.6, 1.4))
    for start, end in windows:
        bright_theirs, bright_mine = centroid(theirs, start, end), centroid(mine, start, end)
        assert abs(bright_mine / bright_theirs - 1) <= CENTROID_TOLERANCE, (start, bright_theirs, bright_mine)
    level = energy_db(mine) - energy_db(theirs)
    assert abs(level) <= LEVEL_TOLERANCE_DB, f"ours is {level:+.1f} dB"
    theirs_db, mine_db = levels_db(theirs, SHAPE_SECONDS), levels_db(mine, SHAPE_SECONDS)
    audible = theirs_db > theirs_db.max() - 40  # the level's shape, where it can be heard
    offset = float(np.median(mine_db[audible] - theirs_db[audible]))  # the overall level is checked above
    assert np.max(np.abs(mine_db[audible] - theirs_db[audible] - offset)) <= SHAPE_TOLERANCE_DB
    assert abs(balance_db(mine) - balance_db(theirs)) <= BALANCE_TOLERANCE_DB
    if not note.drum:
        gap = pitch_gap_cents(theirs, mine) - retuned
        assert abs(gap) <= PITCH_TOLERANCE_CENTS, f"{gap:+.2f} cents"


def test_every_instrument_a_genre_plays_is_compared() -> None:
    """A genre's band and the instruments a seed may draw for it are all in the comparison above."""
    from free_music_ai.engine.music.genres import STYLES

    played = {p for style in STYLES.values() for p in [*style.programs.values(), *style.extra.values()]}
    drawn = {p for style in STYLES.values() for choices in style.choices.values() for p in choices}
    assert played | drawn <= set(PROGRAMS), sorted((played | drawn) - set(PROGRAMS))


def test_a_breath_controlled_preset_is_silent_at_rest_as_in_fluidsynth(tmp_path: Path) -> None:
    """MuseScore_General's "Expr." presets (bank 17 and up) follow the breath controller (CC2): at rest (0) their
    modulator takes 80 dB off, so FluidSynth plays them all but silent, and so do we; its General MIDI violin
    plays."""
    assert fluidsynth is not None
    font = bundled_soundfont(PIANO_FONT_NAME)
    midi = mido.MidiFile(ticks_per_beat=480)  # 960 ticks a second
    track = mido.MidiTrack()
    midi.tracks.append(track)
    for control, value in ((0, 17), (7, 127)):  # bank 17: "Violin Expr."
        track.append(mido.Message("control_change", control=control, value=value, time=0))
    track.append(mido.Message("program_change", program=40, time=0))
    track.append(mido.Message("note_on", note=67, velocity=100, time=0))
    track.append(mido.Message("note_off", note=67, velocity=0, time=960))
    midi.save(str(tmp_path / "expr.mid"))
    subprocess.run([fluidsynth, "-ni", "-q", "-R", "0", "-C", "0", "-g", "1.0", "-r", str(RATE), "-o",
                    "audio.file.format=float", "-F", str(tmp_path / "expr.wav"), str(font), str(tmp_path / "expr.mid")],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    theirs, _ = soundfile.read(str(tmp_path / "expr.wav"), dtype="float32", always_2d=True)
    synth = synthesizer(font, RATE)
    expressive = synth.render([NoteEvent(0.0, 1.0, 67, 100, 40, bank=17)])
    plain = synth.render([NoteEvent(0.0, 1.0, 67, 100, 40)])
    assert energy_db(theirs) < energy_db(plain) - 60 and energy_db(expressive) < energy_db(plain) - 60
