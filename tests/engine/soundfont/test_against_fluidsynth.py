"""Our synthesizer against FluidSynth, the SoundFont reference: the same note of a few presets, rendered by both,
compared on brightness (spectral centroid, attack and sustain) and on the shape of the level over time.

FluidSynth comes from Debian's package (.ci/run installs it with MuseScore_General_Lite); without it the
tests are skipped. Its reverb and chorus are off and it writes floats (16-bit output adds dither, whose noise
would brighten the quiet tails).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import mido
import numpy as np
import pytest
import soundfile

from free_music_ai.engine.soundfont import NoteEvent, bundled_soundfont, synthesizer

RATE = 48_000
NOTE_S = 1.5
MUSESCORE_LITE = Path("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3")
PRESETS = {0: "piano", 48: "strings", 73: "flute", 61: "brass", 40: "violin", 52: "choir", 4: "electric piano"}
CENTROID_TOLERANCE = 0.12  # relative
SHAPE_TOLERANCE_DB = 4.0

fluidsynth = shutil.which("fluidsynth")
pytestmark = pytest.mark.skipif(fluidsynth is None, reason="FluidSynth is not installed (apt install fluidsynth)")


def _fonts() -> list[Path]:
    fonts = [bundled_soundfont()]
    if MUSESCORE_LITE.is_file():
        fonts.append(MUSESCORE_LITE)
    return fonts


def _fluid(font: Path, program: int, key: int, velocity: int, work: Path) -> np.ndarray:
    midi = mido.MidiFile(ticks_per_beat=480)  # 120 bpm: 960 ticks a second
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.Message("program_change", program=program, time=0))
    track.append(mido.Message("note_on", note=key, velocity=velocity, time=0))
    track.append(mido.Message("note_off", note=key, velocity=0, time=round(NOTE_S * 960)))
    track.append(mido.MetaMessage("end_of_track", time=2 * 960))
    midi.save(str(work / "note.mid"))
    out = work / "fluid.wav"
    subprocess.run([str(fluidsynth), "-ni", "-q", "-R", "0", "-C", "0", "-g", "1.0", "-r", str(RATE),
                    "-o", "audio.file.format=float", "-F", str(out), str(font), str(work / "note.mid")],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    audio, rate = soundfile.read(str(out), dtype="float32", always_2d=True)
    assert rate == RATE
    return audio


def _centroid(audio: np.ndarray, start_s: float, end_s: float) -> float:
    mono = audio[round(start_s * RATE) : round(end_s * RATE)].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    return float((spectrum * freqs).sum() / spectrum.sum())


def _levels(audio: np.ndarray, frames: int) -> np.ndarray:
    mono = audio.mean(axis=1)
    size = RATE // 20  # 50 ms
    mono = np.pad(mono, (0, max(0, frames * size - len(mono))))[: frames * size]
    result: np.ndarray = 10 * np.log10(np.mean(mono.reshape(frames, size) ** 2, axis=1) + 1e-20)
    return result


@pytest.mark.parametrize("font", _fonts(), ids=lambda p: p.stem)
@pytest.mark.parametrize("program", list(PRESETS), ids=list(PRESETS.values()))
def test_brightness_and_envelope_match_fluidsynth(font: Path, program: int, tmp_path: Path) -> None:
    reference = _fluid(font, program, 60, 100, tmp_path)
    ours = synthesizer(font, RATE).render([NoteEvent(0.0, NOTE_S, 60, 100, program)])
    for start, end in ((0.05, 0.4), (0.6, 1.4)):  # the attack, then the held note
        theirs, mine = _centroid(reference, start, end), _centroid(ours, start, end)
        assert abs(mine / theirs - 1) <= CENTROID_TOLERANCE, (start, theirs, mine)
    frames = round((NOTE_S + 1.0) * 20)
    theirs_db, mine_db = _levels(reference, frames), _levels(ours, frames)
    audible = theirs_db > theirs_db.max() - 40  # the level's shape, where it can be heard
    offset = float(np.median(mine_db[audible] - theirs_db[audible]))  # overall gain is not the question
    assert np.max(np.abs(mine_db[audible] - theirs_db[audible] - offset)) <= SHAPE_TOLERANCE_DB
