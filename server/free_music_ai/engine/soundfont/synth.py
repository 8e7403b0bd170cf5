"""Timed note events in, a stereo float32 buffer out (or one buffer per part, for stems).

Speed comes from reuse: music repeats itself, so the same drum hit or the same chord tone at the same
length recurs hundreds of times in a piece. Each distinct voice waveform is rendered once, cached, and then
only scaled (velocity, expression) and panned into the mix.
"""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from free_music_ai.engine.soundfont.events import NoteEvent
from free_music_ai.engine.soundfont.font import DRUM_BANK, SoundFont, VoiceSpec
from free_music_ai.engine.soundfont.generators import Gen
from free_music_ai.engine.soundfont.voice import (
    FILTER_BLOCK,
    MAX_RELEASE_S,
    plays_through_release,
    render_pitched,
    render_voice,
    sample_run_length,
    voice_envelope,
    voice_envelope_length,
)

DEFAULT_RATE = 48_000
GATE_QUANTUM_S = 0.01  # note lengths are rounded to 10 ms so that repeated notes share one waveform
MIX_ONLY_GENS = frozenset({int(Gen.INITIAL_ATTENUATION), int(Gen.PAN), int(Gen.EXCLUSIVE_CLASS)})
ENVELOPE_GENS = frozenset(range(int(Gen.DELAY_VOL_ENV), int(Gen.KEYNUM_TO_VOL_ENV_DECAY) + 1))
DEFAULT_CACHE_BYTES = 384 * 1024 * 1024


@dataclass
class _Voice:
    event: NoteEvent
    spec: VoiceSpec
    order: int
    gate_s: float
    fast_release: bool = False


class WaveformCache:
    """Least-recently-used waveforms, bounded in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self._items: OrderedDict[tuple[object, ...], np.ndarray] = OrderedDict()
        self._bytes = 0
        self._max = max_bytes
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[object, ...]) -> np.ndarray | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: tuple[object, ...], wave: np.ndarray) -> None:
        with self._lock:
            self._items[key] = wave
            self._bytes += wave.nbytes
            while self._bytes > self._max and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes


class Synthesizer:
    def __init__(self, font: SoundFont, sample_rate: int = DEFAULT_RATE, cache: WaveformCache | None = None,
                 workers: int | None = None) -> None:  # fmt: skip
        self.font = font
        self.rate = sample_rate
        self.cache = cache or WaveformCache()
        self.workers = workers or os.cpu_count() or 1  # threads that render waveforms the cache lacks

    def render(self, events: Sequence[NoteEvent]) -> np.ndarray:
        """All events mixed to one (n, 2) float32 buffer, long enough for the last release to ring out."""
        mix = self.render_buses(events).get("mix")
        return np.zeros((0, 2), dtype=np.float32) if mix is None else np.ascontiguousarray(mix.T)

    def render_stems(self, events: Sequence[NoteEvent]) -> dict[str, np.ndarray]:
        """One (n, 2) buffer per ``part``, all the same length, so they sum to the full mix."""
        parts = {e.part: e.part for e in events}
        return {part: np.ascontiguousarray(bus.T) for part, bus in self.render_buses(events, parts).items()}

    def render_buses(
        self, events: Sequence[NoteEvent], bus_of_part: dict[str, str] | None = None,
        part_gain: dict[str, float] | None = None,
    ) -> dict[str, np.ndarray]:  # fmt: skip
        """Mix into channel-first (2, n) buses: parts go to ``bus_of_part[part]`` (default one bus, "mix"),
        each scaled by ``part_gain[part]``. One bus for a whole piece keeps memory to one buffer."""
        voices = self._plan(events)
        if self.workers > 1 and len(voices) > 1:
            self._prepare(voices, self.workers)
        route = bus_of_part or {}
        gains = part_gain or {}
        names = sorted({route.get(v.event.part, "mix") for v in voices})
        last_end = max((e.start_s + e.duration_s for e in events), default=0.0)
        capacity = round((last_end + MAX_RELEASE_S + 0.5) * self.rate)
        buses = {name: np.zeros((2, capacity), dtype=np.float32) for name in names}
        length = 0
        scratch = np.empty(0, dtype=np.float32)
        for voice in voices:
            wave = self._waveform(voice)
            start = round(voice.event.start_s * self.rate)
            end = start + len(wave)
            if end > capacity:  # a release longer than planned for: grow every bus alike
                capacity = max(end, capacity + capacity // 4)
                buses = {name: _grown(bus, capacity) for name, bus in buses.items()}
            length = max(length, end)
            level = gains.get(voice.event.part, 1.0) * voice.event.expression
            gain = 10.0 ** (-max(0.0, voice.spec.gen(Gen.INITIAL_ATTENUATION)) / 200.0) * level
            pan = max(-1.0, min(1.0, voice.spec.gen(Gen.PAN) / 500.0 + voice.event.pan))
            angle = (pan + 1.0) * math.pi / 4.0  # constant power: centre is -3 dB in each channel
            if len(scratch) < len(wave):
                scratch = np.empty(max(len(wave), 2 * len(scratch)), dtype=np.float32)
            bus, tmp = buses[route.get(voice.event.part, "mix")], scratch[: len(wave)]
            for channel, weight in ((0, math.cos(angle)), (1, math.sin(angle))):
                np.multiply(wave, np.float32(gain * weight), out=tmp)
                np.add(bus[channel, start:end], tmp, out=bus[channel, start:end])
        return {name: bus[:, :length] for name, bus in buses.items()}

    def _plan(self, events: Sequence[NoteEvent]) -> list[_Voice]:
        voices: list[_Voice] = []
        for order, event in enumerate(sorted(events, key=lambda e: e.start_s)):
            bank = DRUM_BANK if event.drum else event.bank
            for spec in self.font.voices(bank, event.program, event.key, event.velocity):
                voices.append(_Voice(event, spec, order, event.duration_s))
        _apply_exclusive_classes(voices)
        return voices

    def _waveform(self, voice: _Voice) -> np.ndarray:
        """The voice at full level: a cached pitched sample times a cached envelope (or one full render)."""
        spec, key = voice.spec, voice.event.key
        gate = _quantized_gate(voice)
        if plays_through_release(spec):
            return self._cached(_whole_key(voice), lambda: self._render_whole(voice))
        envelope = self._cached(_envelope_key(voice), lambda: voice_envelope(spec, key, gate, self.rate,
                                                                             voice.fast_release))  # fmt: skip
        sample = self.font.samples.get(spec.sample_index)
        run = sample_run_length(spec, sample, key, self.rate)
        needed = len(envelope) if run is None else min(len(envelope), run)
        raw_key = _pitched_key(voice)
        raw = self.cache.get(raw_key)
        if raw is None or len(raw) < needed:
            # a looping sample is rendered with room to spare, so longer notes later rarely re-render it
            length = run if run is not None else max(needed, 2 * len(raw) if raw is not None else needed)
            raw = self._render_pitched(voice, length)
            self.cache.put(raw_key, raw)
        voiced: np.ndarray = raw[:needed] * envelope[:needed]
        return voiced

    def _render_whole(self, voice: _Voice) -> np.ndarray:
        spec = voice.spec
        sample = self.font.samples.get(spec.sample_index)
        return render_voice(spec, sample, voice.event.key, _quantized_gate(voice), self.rate, voice.fast_release)

    def _render_pitched(self, voice: _Voice, length: int) -> np.ndarray:
        spec = voice.spec
        sample = self.font.samples.get(spec.sample_index)
        if sample_run_length(spec, sample, voice.event.key, self.rate) is None:
            # whole filter blocks: a longer render then repeats a shorter one bit for bit
            length = -(-length // FILTER_BLOCK) * FILTER_BLOCK
        return render_pitched(spec, sample, voice.event.key, self.rate, length)

    def _prepare(self, voices: list[_Voice], workers: int) -> None:
        """Render the waveforms these voices need and the cache lacks, several at once.

        The work is numpy array arithmetic, FFTs and Vorbis decoding, which release the GIL, so threads keep
        every core busy. Each pitched sample is rendered once, as long as its longest note needs, so the mix
        that follows finds every waveform in the cache.
        """
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="synth") as pool:
            list(pool.map(self.font.samples.get, sorted({v.spec.sample_index for v in voices})))
            jobs: dict[tuple[object, ...], tuple[int, Callable[[], np.ndarray]]] = {}
            longest: dict[tuple[object, ...], tuple[int, _Voice]] = {}
            for voice in voices:
                spec, key = voice.spec, voice.event.key
                gate = _quantized_gate(voice)
                if plays_through_release(spec):
                    whole_key = _whole_key(voice)
                    if whole_key not in jobs and self.cache.get(whole_key) is None:
                        cost = voice_envelope_length(spec, key, gate, self.rate, voice.fast_release)
                        jobs[whole_key] = (cost, lambda v=voice: self._render_whole(v))  # type: ignore[misc]
                    continue
                length = voice_envelope_length(spec, key, gate, self.rate, voice.fast_release)
                envelope_key = _envelope_key(voice)
                if envelope_key not in jobs and self.cache.get(envelope_key) is None:
                    jobs[envelope_key] = (length // 8, lambda s=spec, k=key, g=gate, f=voice.fast_release:
                                          voice_envelope(s, k, g, self.rate, f))  # type: ignore[misc]  # fmt: skip
                run = sample_run_length(spec, self.font.samples.get(spec.sample_index), key, self.rate)
                needed = length if run is None else min(length, run)
                raw_key = _pitched_key(voice)
                if needed > longest.get(raw_key, (0, voice))[0]:
                    longest[raw_key] = (needed, voice)
            for raw_key, (needed, voice) in longest.items():
                raw = self.cache.get(raw_key)
                if raw is None or len(raw) < needed:
                    jobs[raw_key] = (needed, lambda v=voice, n=needed: self._render_pitched(v, n))  # type: ignore[misc]
            ordered = sorted(jobs.items(), key=lambda item: -item[1][0])  # longest first: the cores finish together
            waves = pool.map(lambda job: job[1][1](), ordered)
            for (job_key, _), wave in zip(ordered, waves, strict=True):
                self.cache.put(job_key, wave)

    def _cached(self, key: tuple[object, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
        found = self.cache.get(key)
        if found is None:
            found = make()
            self.cache.put(key, found)
        return found


def _grown(buffer: np.ndarray, capacity: int) -> np.ndarray:
    grown = np.zeros((2, capacity), dtype=np.float32)
    grown[:, : buffer.shape[1]] = buffer
    return grown


def _quantized_gate(voice: _Voice) -> float:
    return max(GATE_QUANTUM_S, round(voice.gate_s / GATE_QUANTUM_S) * GATE_QUANTUM_S)


def _pitch_shape(spec: VoiceSpec) -> tuple[object, ...]:
    return tuple((g, v) for g, v in spec.gens if g not in MIX_ONLY_GENS and g not in ENVELOPE_GENS)


def _whole_key(voice: _Voice) -> tuple[object, ...]:
    spec, key = voice.spec, voice.event.key
    return ("voice", spec.sample_index, _pitch_shape(spec), _envelope_shape(spec, key), key, _quantized_gate(voice),
            voice.fast_release)  # fmt: skip


def _envelope_key(voice: _Voice) -> tuple[object, ...]:
    return ("envelope", _envelope_shape(voice.spec, voice.event.key), _quantized_gate(voice), voice.fast_release)


def _pitched_key(voice: _Voice) -> tuple[object, ...]:
    return ("pitched", voice.spec.sample_index, _pitch_shape(voice.spec), voice.event.key)


def _envelope_shape(spec: VoiceSpec, key: int) -> tuple[object, ...]:
    shape = tuple((g, v) for g, v in spec.gens if g in ENVELOPE_GENS)
    scaled = spec.gen(Gen.KEYNUM_TO_VOL_ENV_HOLD) or spec.gen(Gen.KEYNUM_TO_VOL_ENV_DECAY)
    return (shape, key if scaled else None)  # the key matters only when the font scales times by key


def _apply_exclusive_classes(voices: list[_Voice]) -> None:
    """A voice with an exclusive class silences earlier voices of that class in the same part and preset."""
    sounding: dict[tuple[object, ...], list[_Voice]] = {}
    for voice in voices:
        exclusive = int(voice.spec.gen(Gen.EXCLUSIVE_CLASS))
        if exclusive == 0:
            continue
        event = voice.event
        group = (event.part, event.drum, event.bank, event.program, exclusive)
        for earlier in sounding.get(group, []):
            if earlier.order != voice.order and earlier.event.start_s < event.start_s:
                cut = event.start_s - earlier.event.start_s
                if cut < earlier.gate_s:  # still held: cut it off; one already releasing rings on
                    earlier.gate_s = cut
                    earlier.fast_release = True
        sounding[group] = [v for v in sounding.get(group, []) if v.order == voice.order] + [voice]
