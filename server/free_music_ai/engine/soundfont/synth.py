"""Timed note events in, a stereo float32 buffer out (or one buffer per part, for stems).

Speed comes from reuse: music repeats itself, so the same drum hit or the same chord tone at the same
length recurs hundreds of times in a piece. Each distinct voice waveform is rendered once, cached, and then
only scaled (velocity, expression) and panned into the mix.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
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
    def __init__(self, font: SoundFont, sample_rate: int = DEFAULT_RATE, cache: WaveformCache | None = None) -> None:
        self.font = font
        self.rate = sample_rate
        self.cache = cache or WaveformCache()

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
        gate = max(GATE_QUANTUM_S, round(voice.gate_s / GATE_QUANTUM_S) * GATE_QUANTUM_S)
        pitch_shape = tuple((g, v) for g, v in spec.gens if g not in MIX_ONLY_GENS and g not in ENVELOPE_GENS)
        if plays_through_release(spec):
            whole_key = ("voice", spec.sample_index, pitch_shape, _envelope_shape(spec, key), key, gate,
                         voice.fast_release)  # fmt: skip
            return self._cached(
                whole_key,
                lambda: render_voice(
                    spec, self.font.samples.get(spec.sample_index), key, gate, self.rate, voice.fast_release
                ),
            )

        envelope = self._cached(("envelope", _envelope_shape(spec, key), gate, voice.fast_release),
                                lambda: voice_envelope(spec, key, gate, self.rate, voice.fast_release))  # fmt: skip
        sample = self.font.samples.get(spec.sample_index)
        run = sample_run_length(spec, sample, key, self.rate)
        needed = len(envelope) if run is None else min(len(envelope), run)
        raw_key = ("pitched", spec.sample_index, pitch_shape, key)
        raw = self.cache.get(raw_key)
        if raw is None or len(raw) < needed:
            # a looping sample is rendered with room to spare, so longer notes later rarely re-render it
            length = run if run is not None else max(needed, 2 * len(raw) if raw is not None else needed)
            if run is None:  # whole filter blocks: a longer render then repeats a shorter one bit for bit
                length = -(-length // FILTER_BLOCK) * FILTER_BLOCK
            raw = render_pitched(spec, sample, key, self.rate, length)
            self.cache.put(raw_key, raw)
        voiced: np.ndarray = raw[:needed] * envelope[:needed]
        return voiced

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
