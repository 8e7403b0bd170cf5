"""Many single notes rendered by FluidSynth and by our synthesizer, and the measures that compare them.

FluidSynth plays every note in one run (a note every ``SLOT_S`` seconds, programs changed between them, drums
on channel 10, all sound cut before the next note), which is far quicker than one process a note; ours renders
each note alone and lays it at the same place. Each note is then cut out of both. Reverb and chorus are off
and FluidSynth writes floats (16-bit output adds dither, whose noise would brighten the quiet tails).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np
import soundfile

from free_music_ai.engine.soundfont import NoteEvent, synthesizer

RATE = 48_000
NOTE_S = 1.5
SLOT_S = 4.0  # a note, its release and silence before the next
TICKS_PER_S = 960  # 480 ticks a beat at 120 bpm
DRUM_CHANNEL = 9


@dataclass(frozen=True)
class Note:
    label: str
    program: int  # ignored for drums: the standard kit
    key: int
    velocity: int
    drum: bool = False


def fluid_render(fluidsynth: str, font: Path, notes: list[Note], work: Path) -> np.ndarray:
    """All the notes through FluidSynth, one every ``SLOT_S`` seconds: an (n, 2) float32 array."""
    midi = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    # full channel volume, as our notes play (FluidSynth's reset volume of 100 would take 4.2 dB off each note)
    for channel in (0, DRUM_CHANNEL):
        track.append(mido.Message("control_change", channel=channel, control=7, value=127, time=0))
    now = 0  # ticks of the last message written
    for index, note in enumerate(notes):
        start, end = round(index * SLOT_S * TICKS_PER_S), round((index * SLOT_S + NOTE_S) * TICKS_PER_S)
        channel = DRUM_CHANNEL if note.drum else 0
        if not note.drum:
            track.append(mido.Message("program_change", channel=0, program=note.program, time=start - now))
            now = start
        track.append(mido.Message("note_on", channel=channel, note=note.key, velocity=note.velocity, time=start - now))
        track.append(mido.Message("note_off", channel=channel, note=note.key, velocity=0, time=end - start))
        # all sound off just before the next note: a long release would otherwise ring into its slot
        silence = round(((index + 1) * SLOT_S - 0.01) * TICKS_PER_S)
        track.append(mido.Message("control_change", channel=channel, control=120, value=0, time=silence - end))
        now = silence
    track.append(mido.MetaMessage("end_of_track", time=round(len(notes) * SLOT_S * TICKS_PER_S) - now))
    midi.save(str(work / "notes.mid"))
    return fluid_play(fluidsynth, font, work / "notes.mid", work / "fluid.wav")


def fluid_play(fluidsynth: str, font: Path, midi: Path, out: Path) -> np.ndarray:
    """A MIDI file through FluidSynth, reverb and chorus off, as floats: an (n, 2) float32 array."""
    subprocess.run([fluidsynth, "-ni", "-q", "-R", "0", "-C", "0", "-g", "1.0", "-r", str(RATE),
                    "-o", "audio.file.format=float", "-F", str(out), str(font), str(midi)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    audio, rate = soundfile.read(str(out), dtype="float32", always_2d=True)
    assert rate == RATE
    return audio


def our_render(font: Path, notes: list[Note]) -> np.ndarray:
    """The notes laid out as FluidSynth plays them, each rendered alone (cut at the end of its slot)."""
    synth = synthesizer(font, RATE)
    out = np.zeros((round(len(notes) * SLOT_S * RATE), 2), dtype=np.float32)
    for index, n in enumerate(notes):
        audio = synth.render([NoteEvent(0.0, NOTE_S, n.key, n.velocity, n.program, drum=n.drum)])
        first = round(index * SLOT_S * RATE)
        heard = audio[: round((SLOT_S - 0.01) * RATE)]
        out[first : first + len(heard)] = heard
    return out


def slot(audio: np.ndarray, index: int) -> np.ndarray:
    """The note at ``index``, padded with silence to a whole slot."""
    first, length = round(index * SLOT_S * RATE), round(SLOT_S * RATE)
    piece = audio[first : first + length]
    return np.pad(piece, ((0, length - len(piece)), (0, 0)))


def centroid(audio: np.ndarray, start_s: float, end_s: float) -> float:
    mono = audio[round(start_s * RATE) : round(end_s * RATE)].mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    return float((spectrum * freqs).sum() / (spectrum.sum() + 1e-20))


def levels_db(audio: np.ndarray, seconds: float) -> np.ndarray:
    """The level in 50 ms frames over the first ``seconds``."""
    size, frames = RATE // 20, round(seconds * 20)
    mono = audio[: frames * size].mean(axis=1)
    mono = np.pad(mono, (0, frames * size - len(mono)))
    result: np.ndarray = 10 * np.log10(np.mean(mono.reshape(frames, size) ** 2, axis=1) + 1e-20)
    return result


def energy_db(audio: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(np.square(audio.astype(np.float64))) + 1e-20))


def balance_db(audio: np.ndarray) -> float:
    """Left over right, in dB: where the note sits between the speakers."""
    left, right = (float(np.sum(np.square(audio[:, c].astype(np.float64)))) for c in (0, 1))
    return float(10 * np.log10((left + 1e-20) / (right + 1e-20)))


def pitch_gap_cents(theirs: np.ndarray, mine: np.ndarray, start_s: float = 0.2, seconds: float = 0.6) -> float:
    """How far ours is from theirs in pitch: the period that best repeats in each (autocorrelation), both looked
    for within 3 % of the one FluidSynth's note repeats at best, so a strong harmonic cannot stand in for it."""
    curves = []
    for audio in (theirs, mine):
        mono = audio[round(start_s * RATE) : round((start_s + seconds) * RATE)].sum(axis=1)
        mono = mono * np.hanning(len(mono))
        # padded to twice its length the circular autocorrelation is the linear one at every lag looked at; a longer
        # transform adds nothing (2**20 points spent 150 ms of each note's 250 ms comparison)
        size = 1 << (2 * len(mono) - 1).bit_length()
        curves.append(np.fft.irfft(np.abs(np.fft.rfft(mono, size)) ** 2)[: RATE // 20])
    shortest = RATE // 2000
    best = shortest + int(np.argmax(curves[0][shortest:]))
    low, high = max(2, round(best * 0.97)), round(best * 1.03) + 1
    periods = []
    for curve in curves:
        lag = low + int(np.argmax(curve[low:high]))
        a, b, c = curve[lag - 1 : lag + 2]
        periods.append(lag + 0.5 * (a - c) / (a - 2 * b + c))
    return float(1200 * np.log2(periods[0] / periods[1]))
