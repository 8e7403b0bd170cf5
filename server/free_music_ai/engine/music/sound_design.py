"""Sounds no General MIDI font has, synthesised here: the trap 808, the riser of a build, hip-hop's vinyl crackle.

The composer writes them as notes like any other (part "808" or "riser"). ``perform`` turns them into events
the synthesizer keeps silent (expression 0: its voice is planned, routed and exported, but adds nothing) and
that carry a General MIDI program for the MIDI file (Synth Bass 1 for the 808, Reverse Cymbal for the riser).
``DesignedSounds`` then plays them into the mixer's buses a block at a time: the 808 into the bass bus
(so the bass stem holds it), the riser into the music bus (or its own stem).

Every sound depends only on its events and the absolute sample position, never on where a block starts, so a
piece played in stretches on several cores is the same bit for bit as in one pass. Each note's waveform is
rendered once with numpy and cached by its parameters (an 808 pattern repeats bar after bar).

The 808: a sine with a touch of its second harmonic, a fast pitch drop at the attack (the "knock" that makes
it audible on small speakers), a long exponential decay, gentle tanh saturation, and glides: a note that
starts while the one before still sounds slides from that note's pitch (as a producer's overlapping notes do).
The riser: noise that opens from dark to bright and a rising tone, swelling to the drop; riser notes that
follow each other make one long sweep.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from free_music_ai.engine.loudness import integrated_lufs
from free_music_ai.engine.music.designed_parts import (
    BASS_808_PART,
    RISER_PART,
    SUPERSAW_PART,
    designed_kind,
)
from free_music_ai.engine.music.playing_styles import Colour
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.music.supersaw import supersaw, wave_length

if TYPE_CHECKING:
    from free_music_ai.engine.music.compose import Composition
    from free_music_ai.engine.soundfont.events import NoteEvent
    from free_music_ai.engine.soundfont.synth import Mixer

GLIDE_S = 0.07  # an 808 slide's length
CROSSFADE_S = 0.004  # a cut 808 note fades out over this while the next fades in: no click
RELEASE_S = 0.04
DECAY_S = 1.6  # the 808's decay time constant: it rings through a bar at trap tempi
KNOCK_SEMITONES, KNOCK_S = 12.0, 0.014
# tanh saturation and a second harmonic: the overtones that carry the sub on small speakers. With 2.2 and 0.18 a low
# 808 (G1) kept 1/1000 of its energy over 250 Hz (-30 dB, -38 as it rang on), and through a phone's speaker the beat
# lost its bass (a listening critique: 15 LU under the flute); with 5 and 0.35, -19 and -21 dB, still 14 LU under the
# mix through a phone's 250 Hz high-pass (a second check); with 7 and 0.5 more again, nothing over 3 kHz to hear
DRIVE, SECOND_HARMONIC = 7.0, 0.5
LEVEL_808 = 0.24  # peak level at full velocity, against the font's bass (measured on the bass stem)
LEVEL_RISER = 0.16
SAW_RELEASE_S = 0.14  # a supersaw note's tail after its key is let go
SAW_VELOCITY = 90  # the velocity a supersaw part's gain is given for (a font's loudness follows velocity squared)
CRACKLE_DENSITY, CRACKLE_LEVEL = 0.07, 0.05  # a click in 7 % of 5 ms cells (14 a second), the loudest at 0.05
MASK = 0xFFFFFFFF
WAVE_QUANTUM = 24_000  # an 808 waveform is rendered in lengths of whole half seconds (at 48 kHz), shared


@dataclass(frozen=True)
class Placed:
    """A designed sound placed in the piece: its waveform (``kind`` and ``params``) starts at sample ``start``,
    is scaled by ``gain`` and faded out over ``fade`` samples so that it ends at ``stop``."""

    start: int
    kind: str
    params: tuple[int, ...]
    part: str
    gain: float
    stop: int
    fade: int


class DesignedSounds:
    """The designed sounds of one composition at one rate, placed once and played a block at a time: made by
    whoever plays the piece (its stream) and handed to every stretch of it."""

    def __init__(self, composition: Composition, rate: int, mixer: Mixer | None = None) -> None:
        """``mixer``: the one playing the rest of the piece, whose part levels and saw the supersaw is matched to
        (without it, the supersaw plays at unit level)."""
        from free_music_ai.engine.music.mixdown import group_of, send_amount

        self.composition, self.rate = composition, rate
        self.sounds = place_sounds(composition.events, rate, saw_gains=_saw_gains(composition, rate, mixer))
        self.starts = np.array([s.start for s in self.sounds], dtype=np.int64)
        self.longest = max((s.stop - s.start for s in self.sounds), default=0)
        # a supersaw part's reverb send (the mono half-sum of its sides), as much as its bus sends of a voice
        self.saw_sends = {sound.part: np.float32(send_amount(group_of(sound.part), composition) * 0.5)
                          for sound in self.sounds if sound.kind == SUPERSAW_PART}  # fmt: skip

    def add_into(self, buses: dict[str, np.ndarray], position: int, sends: dict[str, np.ndarray] | None = None) -> None:
        """Add the designed sounds sounding in samples [position, position + n) into the (2, n) ``buses``: each
        into its part's own bus when there is one (stems), else the bus its part is mixed in; the supersaw also
        into the reverb's mono send among ``sends``, as much as its bus sends of a voice."""
        from free_music_ai.engine.music.mixdown import group_of
        from free_music_ai.engine.soundfont.synth import REVERB_SEND

        if not buses:
            return
        composition, rate = self.composition, self.rate
        n = next(iter(buses.values())).shape[-1]
        end = position + n
        # the record hip-hop's keys were sampled from, and lo-fi's worn vinyl (its tape hiss is colour.Air): clicks
        # placed by the piece's clock, so any block and any number of cores hear the same ones
        if composition.genre == Genre.HIPHOP or composition.style.colour == Colour.LOFI:
            target = buses.get("keys", buses.get("music"))
            if target is not None:
                target += crackle(position, n, rate, seed=composition.spec.seed)
        first = int(np.searchsorted(self.starts, position - self.longest, side="left"))
        last = int(np.searchsorted(self.starts, end, side="left"))
        for sound in self.sounds[first:last]:
            if sound.stop <= position:
                continue
            bus = buses.get(sound.part) if sound.part in buses else buses.get(group_of(sound.part))
            if bus is None:
                continue
            a, b = max(position, sound.start), min(end, sound.stop)
            piece = _piece(sound, a, b)
            bus[:, a - position : b - position] += piece  # a mono sound goes to both sides, centred
            if sound.kind == SUPERSAW_PART and sends is not None and REVERB_SEND in sends:
                sends[REVERB_SEND][a - position : b - position] += (piece[0] + piece[1]) * self.saw_sends[sound.part]


def _saw_gains(composition: Composition, rate: int, mixer: Mixer | None) -> dict[str, float]:
    """Each supersaw part's gain at SAW_VELOCITY: its level in the mix, times the font's saw's loudness over the
    supersaw's on the part's first notes as the piece plays them (mixdown.opening_notes, as a drawn instrument is
    matched), so the supersaw stands where the mix's levels (mixdown.py) were set for the saw. Matched on one note's
    first half second, electronic's saw chords, short stabs, stood 1.5 LU under the font's."""
    from free_music_ai.engine.music.mixdown import opening_notes

    saws = [event for event in composition.events if designed_kind(event) == SUPERSAW_PART]
    parts = sorted({event.part for event in saws})
    if mixer is None:
        return dict.fromkeys(parts, 1.0)
    gains = {}
    for part in parts:
        moved = opening_notes(saws, part)
        font = integrated_lufs(mixer.synth.render([replace(e, expression=1.0) for e in moved]), rate)
        sounds = place_sounds(tuple(moved), rate)
        own = np.zeros((2, max(s.stop for s in sounds)), dtype=np.float32)
        for sound in sounds:
            own[:, sound.start : sound.stop] += _piece(sound, sound.start, sound.stop)
        matched = 10.0 ** ((font - integrated_lufs(own, rate, channels_first=True)) / 20.0)
        gains[part] = mixer.gains.get(part, 1.0) * (matched if math.isfinite(matched) else 1.0)
    return gains


def place_sounds(events: tuple[NoteEvent, ...], rate: int, *,
                 saw_gains: dict[str, float] | None = None) -> tuple[Placed, ...]:  # fmt: skip
    """Every designed sound of the piece with its waveform's parameters, in order of start. ``saw_gains``: each
    supersaw part's gain at SAW_VELOCITY (1 without)."""
    bass = sorted((e for e in events if designed_kind(e) == BASS_808_PART), key=lambda e: e.start_s)
    risers = sorted((e for e in events if designed_kind(e) == RISER_PART), key=lambda e: e.start_s)
    placed: list[Placed] = []
    saw_release = round(SAW_RELEASE_S * rate)
    for event in events:
        if designed_kind(event) == SUPERSAW_PART:
            start = round(event.start_s * rate)
            stop = round((event.start_s + event.duration_s) * rate) + saw_release
            gain = (saw_gains or {}).get(event.part, 1.0) * (event.velocity / SAW_VELOCITY) ** 2  # as a font's
            size = wave_length(stop - start, rate)
            placed.append(Placed(start, SUPERSAW_PART, (event.key, size, rate), event.part, gain, stop, saw_release))
    release, crossfade = round(RELEASE_S * rate), round(CROSSFADE_S * rate)
    for i, event in enumerate(bass):
        start = round(event.start_s * rate)
        previous = bass[i - 1] if i else None
        glide_from = -1  # none: a struck note
        if previous is not None and event.start_s < previous.start_s + previous.duration_s - 0.001:
            glide_from = previous.key  # it starts while the one before still sounds: it slides from there
        stop, fade = round((event.start_s + event.duration_s) * rate) + release, release
        following = bass[i + 1] if i + 1 < len(bass) else None
        if following is not None and round(following.start_s * rate) < stop:  # the next note cuts it
            overlaps = following.start_s < event.start_s + event.duration_s - 0.001
            stop, fade = round(following.start_s * rate) + (crossfade if overlaps else 0), crossfade
        # one waveform per pitch, slide and length class, long enough for the note: notes share it
        size = WAVE_QUANTUM * -(-(stop - start) // WAVE_QUANTUM)
        gain = LEVEL_808 * (event.velocity / 127.0) ** 1.2
        placed.append(Placed(start, BASS_808_PART, (event.key, glide_from, size, rate), event.part, gain, stop, fade))
    k = 0
    while k < len(risers):  # risers that follow each other are one sweep
        first = risers[k]
        end_s = first.start_s + first.duration_s
        while k + 1 < len(risers) and risers[k + 1].start_s <= end_s + 0.06:
            k += 1
            end_s = risers[k].start_s + risers[k].duration_s
        start = round(first.start_s * rate)
        length = round(end_s * rate) - start
        gain = LEVEL_RISER * first.velocity / 127.0
        placed.append(Placed(start, RISER_PART, (length, rate), first.part, gain, start + length, round(0.01 * rate)))
        k += 1
    return tuple(sorted(placed, key=lambda p: p.start))


def _hz(key: float | np.ndarray) -> np.ndarray:
    return np.asarray(440.0 * 2.0 ** ((np.asarray(key, dtype=np.float64) - 69.0) / 12.0))


@functools.lru_cache(maxsize=256)
def bass_808(key: int, glide_from: int, length: int, *, rate: int) -> np.ndarray:
    """An 808 note (mono float32, peak about 1) ringing for ``length`` samples; ``glide_from`` is the key it
    slides from, or -1 for a struck note. Loudness, release and cut are applied where it is placed."""
    t = np.arange(length, dtype=np.float64) / rate
    if glide_from < 0:  # a struck note: the pitch drops into place
        semitones = key + KNOCK_SEMITONES * np.exp(-t / KNOCK_S)
    else:  # a slide: from the note before, eased in
        progress = np.clip(t / GLIDE_S, 0.0, 1.0)
        semitones = glide_from + (key - glide_from) * (1.0 - (1.0 - progress) ** 2)
    phase = 2.0 * math.pi * np.cumsum(_hz(semitones)) / rate
    tone = np.sin(phase) + SECOND_HARMONIC * np.sin(2.0 * phase)
    amplitude = np.exp(-t / DECAY_S)
    attack = min(length, round((0.002 if glide_from < 0 else CROSSFADE_S) * rate))
    amplitude[:attack] *= np.linspace(0.0, 1.0, attack, endpoint=False)
    return (np.tanh(DRIVE * tone * amplitude) / math.tanh(DRIVE)).astype(np.float32)


@functools.lru_cache(maxsize=32)
def riser(length: int, rate: int) -> np.ndarray:
    """A riser (2, length): noise opening from dark to bright and a tone rising two octaves, swelling to the end."""
    t = np.arange(length, dtype=np.float64) / max(1, length)
    generator = np.random.default_rng(length)  # the same riser for the same length, wherever it is
    noise = generator.standard_normal((2, length))
    dark = np.cumsum(noise, axis=1)  # integrated noise: a dark rumble
    dark -= _moving_mean(dark, 2048)  # without its drift: a rumble, not a wandering offset
    dark /= max(1e-9, float(np.max(np.abs(dark))))
    bright = np.diff(noise, axis=1, prepend=0.0) / 2.5  # differenced noise: an airy hiss
    opening = t**3  # the "filter" opens late, as a producer's automation does
    swept = dark * (1.0 - opening) + bright * opening
    phase = 2.0 * math.pi * np.cumsum(220.0 * 4.0**t) / rate
    tone = 0.35 * np.sin(phase)
    swell = t**2
    return ((swept * 0.6 + tone[None, :]) * swell[None, :]).astype(np.float32)


def _moving_mean(x: np.ndarray, width: int) -> np.ndarray:
    """Each channel's moving mean over ``width`` samples (takes the drift out of integrated noise)."""
    cumulative = np.cumsum(np.pad(x, ((0, 0), (width // 2, width - width // 2)), mode="edge"), axis=1)
    return np.asarray((cumulative[:, width:] - cumulative[:, :-width]) / width)


def _piece(sound: Placed, a: int, b: int) -> np.ndarray:
    """Samples [a, b) of a placed sound at its gain (mono (n,) or stereo (2, n))."""
    piece = _waveform(sound)[..., a - sound.start : b - sound.start] * np.float32(sound.gain)
    if b > sound.stop - sound.fade:  # its release, or its fade into the next 808 note
        piece *= np.clip((sound.stop - np.arange(a, b)) / sound.fade, 0.0, 1.0).astype(np.float32)
    return piece


def _waveform(sound: Placed) -> np.ndarray:
    if sound.kind == BASS_808_PART:
        key, glide_from, length, rate = sound.params
        return bass_808(key, glide_from, length, rate=rate)
    if sound.kind == SUPERSAW_PART:
        return supersaw(*sound.params)
    return riser(*sound.params)


def _hash(values: np.ndarray, salt: int) -> np.ndarray:
    """Uniform numbers in [0, 1) from integers (a 32-bit integer hash): the same for the same sample cell,
    whichever block asks."""
    x = (values.astype(np.uint64) * np.uint64(0x9E3779B1) + np.uint64(salt * 0x85EBCA77 + 1)) & np.uint64(MASK)
    for shift, factor in ((16, 0x7FEB352D), (15, 0x846CA68B)):
        x ^= x >> np.uint64(shift)
        x = (x * np.uint64(factor)) & np.uint64(MASK)
    x ^= x >> np.uint64(16)
    return np.asarray(x.astype(np.float64) / 2.0**32)


def crackle(position: int, n: int, rate: int, *, seed: int) -> np.ndarray:
    """Vinyl crackle for samples [position, position + n): sparse clicks of random size and sign, each a
    millisecond's decaying impulse, placed by hashing their 5 ms cell's absolute index."""
    cell = rate // 200
    first, last = position // cell - 1, (position + n) // cell + 1  # one cell back: its click's tail
    cells = np.arange(first, last, dtype=np.int64)
    cells = cells[cells >= 0]
    clicks = cells[_hash(cells, seed) < CRACKLE_DENSITY]
    at = clicks * cell + (_hash(clicks, seed + 1) * cell).astype(np.int64)
    size = CRACKLE_LEVEL * _hash(clicks, seed + 2) ** 3 * np.where(_hash(clicks, seed + 3) < 0.5, -1.0, 1.0)
    out = np.zeros(n, dtype=np.float64)
    tail = round(0.001 * rate)
    decay = np.exp(-np.arange(tail) / (tail / 5))
    samples = (at[:, None] + np.arange(tail)[None, :]) - position
    values = size[:, None] * decay[None, :]
    inside = (samples >= 0) & (samples < n)
    np.add.at(out, samples[inside], values[inside])
    return out.astype(np.float32)


BEND_RANGE = 12  # semitones a MIDI file's pitch wheel spans each way for the 808 (set by RPN 0 on its channel)
BEND_STEPS = 8


def midi_bends(events: tuple[NoteEvent, ...]) -> list[tuple[float, int]]:
    """The 808's slides as MIDI pitch-wheel values (time in seconds, -8192..8191), for a MIDI writer that sets
    the bass channel's bend range to BEND_RANGE: each sliding note starts bent to the pitch it slides from and
    eases back to its own over GLIDE_S, as the audio does."""
    bends: list[tuple[float, int]] = []
    bass = sorted((e for e in events if designed_kind(e) == BASS_808_PART), key=lambda e: e.start_s)
    for previous, event in itertools.pairwise(bass):
        if event.start_s >= previous.start_s + previous.duration_s - 0.001 or previous.key == event.key:
            continue
        offset = max(-BEND_RANGE, min(BEND_RANGE, previous.key - event.key))
        for step in range(BEND_STEPS + 1):
            progress = step / BEND_STEPS
            left = offset * (1.0 - progress) ** 2
            bends.append((event.start_s + GLIDE_S * progress, max(-8192, min(8191, round(8192 * left / BEND_RANGE)))))
    return bends
