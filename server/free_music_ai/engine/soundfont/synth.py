"""Timed note events in, a stereo float32 buffer out (or one buffer per part, for stems).

Speed comes from reuse: music repeats itself, so the same drum hit or the same chord tone at the same
length recurs hundreds of times in a piece. Each distinct voice waveform is rendered once, cached, and then
only scaled (velocity, expression) and panned into the mix.
"""

from __future__ import annotations

import math
import os
import threading
import weakref
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from free_music_ai.engine.soundfont.events import NoteEvent
from free_music_ai.engine.soundfont.font import DRUM_BANK, SoundFont, VoiceSpec
from free_music_ai.engine.soundfont.generators import Gen
from free_music_ai.engine.soundfont.lowpass import FILTER_BLOCK, BlockSpectra, filter_gain
from free_music_ai.engine.soundfont.sample_reads import SampleReads
from free_music_ai.engine.soundfont.sends import chorus_share, reverb_share
from free_music_ai.engine.soundfont.voice import (
    SHAPING_GENS,
    Envelope,
    envelope_fall,
    envelope_rise,
    frames_planned,
    pitched_source,
    plays_through_release,
    reads_to_its_end,
    render_pitched,
    render_voice,
    sample_run_length,
    voice_envelope_of,
    voice_length,
)
from free_music_ai.engine.soundfont.waveform_cache import PIECE_CACHE_BYTES, WaveformCache
from free_music_ai.engine.soundfont.working_set import Span, concurrent_bytes

DEFAULT_RATE = 48_000
GATE_QUANTUM_S = 0.01  # note lengths are rounded to 10 ms so that repeated notes share one waveform
MIX_ONLY_GENS = frozenset({int(Gen.INITIAL_ATTENUATION), int(Gen.PAN), int(Gen.EXCLUSIVE_CLASS)})
ENVELOPE_GENS = frozenset(range(int(Gen.DELAY_VOL_ENV), int(Gen.KEYNUM_TO_VOL_ENV_DECAY) + 1))
# read by no waveform: the modulation envelope's release is not followed (modulation.py), and fonts move it by
# key and velocity (MuseScore's piano), which would make every note its own waveform
UNREAD_GENS = frozenset({int(Gen.RELEASE_MOD_ENV)})
MOD_ENV_GENS = frozenset(range(int(Gen.DELAY_MOD_ENV), int(Gen.KEYNUM_TO_MOD_ENV_DECAY) + 1)) - UNREAD_GENS
MOD_LFO_GENS = frozenset({int(Gen.DELAY_MOD_LFO), int(Gen.FREQ_MOD_LFO)})
PITCH_UNREAD_GENS = MIX_ONLY_GENS | ENVELOPE_GENS | UNREAD_GENS  # what a pitched waveform does not depend on
# The share of the cache the waveforms rendered before the mix may fill, in the order the piece first plays them.
# A piece whose waveforms outgrow the cache (two minutes of cinematic on MuseScore's stereo piano and strings:
# 350 MB) had them all rendered first, the earliest evicted by the latest, then rendered again by the mix, 1942
# times: the mix then renders the rest as it reaches them, when the cache's oldest are no longer needed.
PREPARE_SHARE = 0.25
# The room a piece that outgrows the cache asks for, over what its mix reads at once: a family of pitched waveforms
# is rendered whole when the first of them is needed, the others held before they are read
WINDOW_MARGIN = 1.15
# A piece whose waveforms all fit in this share of the cache has them all rendered before the mix, side by side
# and a family at a time (a minute of pop on MuseScore_General: 120 MB, of which the mix rendered 50 MB one voice
# at a time, 0.6 s of CPU in the one-shot). Counted with the envelopes and whole voices prepared beside them and
# those the cache holds already, it can be nearly all of the cache (which may grow for them: waveform_cache.py): a
# minute of corporate (180 MB of pitched waveforms and 64 MB of envelopes) had a quarter of the cache, and the
# mix's second stretch rendered the rest alone while the first core idled.
FIT_SHARE = 0.97
Wave = tuple[tuple[object, ...], np.ndarray]  # a waveform and its key in the cache
# the voices' mono effect sends, mixed beside the buses (a part's name never begins with a space)
REVERB_SEND = " reverb"
CHORUS_SEND = " chorus"


@dataclass(frozen=True)
class _Shape:
    """What a voice's waveform and level follow from, the same for every note of one sample at one key."""

    env: Envelope
    run: int | None  # output samples until the sample runs out at this pitch; None when it loops
    through_release: bool  # loops until note-off, then plays on: rendered whole, per gate
    pitched_key: tuple[object, ...]
    rise_key: tuple[object, ...]
    fall_key: tuple[object, ...]
    gain: float  # the font's attenuation, as a factor
    pan: float  # the font's pan, -1..1


@dataclass
class _Family:
    """Pitched waveforms read alike from one sample (``Synthesizer._render_family``) that ``_prepare`` left to
    the mix: the first of them the mix needs renders them all, once."""

    members: list[tuple[tuple[object, ...], _Voice, int]]  # cache key, a voice, the length needed
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: bool = False


Deferred = dict[tuple[object, ...], _Family]  # by pitched key


@dataclass
class _Voice:
    event: NoteEvent
    spec: VoiceSpec
    order: int
    gate_s: float
    fast_release: bool = False
    # set by Synthesizer._plan once the gates are final:
    shape: _Shape | None = None
    gate: int = 0  # samples
    length: int = 0  # samples until the release dies away or the sample runs out: the waveform's length at most
    longest: int = 0  # the longest length any voice of the piece needs of this voice's pitched waveform


class Synthesizer:
    def __init__(self, font: SoundFont, sample_rate: int = DEFAULT_RATE, cache: WaveformCache | None = None,
                 *, workers: int | None = None) -> None:  # fmt: skip
        self.font = font
        self.rate = sample_rate
        self.cache = cache or WaveformCache(piece_bytes=PIECE_CACHE_BYTES)
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
        mixer = self.mixer(events, bus_of_part, part_gain)
        buses = {name: np.zeros((2, mixer.length), dtype=np.float32) for name in mixer.names}
        mixer.mix_into(buses, 0)
        mixer.close()
        return buses

    def mixer(
        self, events: Sequence[NoteEvent], bus_of_part: dict[str, str] | None = None,
        part_gain: dict[str, float] | None = None, *, bus_sends: dict[str, float] | None = None,
    ) -> Mixer:  # fmt: skip
        """The events planned and their waveforms rendered, ready to be mixed a block at a time (so a long piece
        never needs its buses whole). ``bus_sends``: how much of a typical voice each bus sends to the reverb
        (none without it)."""
        piece = object()  # what the cache holds room for while the mixer plays (``WaveformCache.reserve``)
        if self.workers > 1:
            # one pool decodes the samples while the piece is planned and renders each waveform once its sample is
            # read (sample_reads.py)
            with (ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="synth") as pool,
                  SampleReads(self.font.samples, pool) as reads):  # fmt: skip
                voices = self._plan(events, reads)
                deferred = self._prepare(voices, pool, id(piece)) if len(voices) > 1 else {}
        else:
            voices, deferred = self._plan(events), {}
        return Mixer(self, voices, bus_of_part or {}, gains=part_gain or {}, bus_sends=bus_sends or {},
                     deferred=deferred, piece=piece)  # fmt: skip

    def _start(self, voice: _Voice) -> int:
        return round(voice.event.start_s * self.rate)

    def _plan(self, events: Sequence[NoteEvent], reads: SampleReads | None = None) -> list[_Voice]:
        """The events' voices, their lengths worked out, and their samples decoded as far as they read them (by
        ``reads``, perhaps still under way; without, now)."""
        if reads is None:
            with SampleReads(self.font.samples) as now:
                return self._plan(events, now)
        samples = self.font.samples
        voices: list[_Voice] = []
        seen: set[int] = set()  # the specs whose sample is opened
        for order, event in enumerate(sorted(events, key=lambda e: e.start_s)):
            bank = DRUM_BANK if event.drum else event.bank
            for spec in self.font.voices(
                bank, event.program, event.key, velocity=event.velocity, vibrato=event.vibrato
            ):
                voices.append(_Voice(event, spec, order, event.duration_s))
                if id(spec) not in seen:  # a voice's length needs its sample's length and loop
                    seen.add(id(spec))
                    sample = samples.get(spec.sample_index, 0)
                    if reads_to_its_end(spec, sample):  # decoded whole now, while the rest is planned
                        reads.read(spec.sample_index, sample.length)
        _release_restruck_keys(voices)
        _apply_exclusive_classes(voices)
        # Notes repeat, and so do their shapes and lengths: each is worked out once (a 600 s piece on
        # MuseScore_General plays 30 000 voices of 4 200 shapes and 8 900 lengths; planned one by one, they were
        # 0.4 s of a single core before any sound).
        shapes: dict[tuple[int, int, bool], _Shape] = {}  # by spec, key and release
        pitch_gens: dict[int, tuple[object, ...]] = {}  # by spec
        lengths: dict[tuple[int, int, float], int] = {}  # by shape, gate and expression
        for voice in voices:
            found = (id(voice.spec), voice.event.key, voice.fast_release)
            shape = shapes.get(found)
            if shape is None:
                shape = shapes[found] = self._shape(voice, pitch_gens)
            voice.shape = shape
            voice.gate = max(1, round(_quantized_gate(voice) * self.rate))
            measured = (id(shape), voice.gate, voice.event.expression)
            length = lengths.get(measured)
            if length is None:
                level = shape.gain * voice.event.expression
                length = voice_length(shape.env, voice.gate, self.rate, gain_db=20.0 * math.log10(max(level, 1e-10)))
                length = lengths[measured] = length if shape.run is None else min(length, shape.run)
            voice.length = length
        longest: dict[tuple[object, ...], int] = {}
        for voice in voices:
            key = _shape_of(voice).pitched_key
            longest[key] = max(longest.get(key, 0), voice.length)
        reach: dict[int, int] = {}  # how far the piece reads each sample: decoded that far, side by side
        measured_reach: set[tuple[object, ...]] = set()
        for voice in voices:  # a waveform the mix renders is rendered as long as the piece needs it, once
            pitched_key = _shape_of(voice).pitched_key
            voice.longest = longest[pitched_key]
            # one voice of each waveform (its longest) says how far it reads
            if voice.longest == voice.length and pitched_key not in measured_reach:
                measured_reach.add(pitched_key)
                index = voice.spec.sample_index
                read = self._pitched_length(voice, voice.longest) + FILTER_BLOCK  # and a block to spare
                planned = frames_planned(
                    voice.spec, self.font.samples.get(index, 0), voice.event.key, rate=self.rate, length=read
                )
                reach[index] = max(reach.get(index, 0), planned)
        for index, frames in sorted(reach.items(), key=lambda item: -item[1]):  # the longest first
            reads.read(index, frames)
        return voices

    def _shape(self, voice: _Voice, pitch_gens: dict[int, tuple[object, ...]]) -> _Shape:
        spec, key = voice.spec, voice.event.key
        env = voice_envelope_of(spec, key, voice.fast_release)
        gens = pitch_gens.get(id(spec))
        if gens is None:
            gens = pitch_gens[id(spec)] = _pitch_shape(spec)
        return _Shape(
            env=env,
            run=sample_run_length(spec, self.font.samples.get(spec.sample_index, 0), key, rate=self.rate),
            through_release=plays_through_release(spec),
            pitched_key=("pitched", spec.sample_index, gens, key),
            # what the rise is made of, the font's key scaling applied: voices whose releases differ share it
            rise_key=("rise", env.delay, env.attack, env.hold, env.decay, env.sustain_db),
            # the release is one exponential set by its time alone: envelopes that differ before it share it
            fall_key=("fall", env.release),
            gain=_gain(spec),
            pan=spec.gen(Gen.PAN) / 500.0,
        )

    def segment(self, voice: _Voice, first: int, last: int, *, out: np.ndarray | None = None,
                deferred: Deferred | None = None) -> np.ndarray:  # fmt: skip
        """Samples ``first`` to ``last`` of the voice at full level: a cached pitched sample times its envelope,
        made of the cached rise and fall of its envelope shape (or one full render). Written into ``out`` (at
        least ``last - first`` long) when given: the mixer reuses one buffer for every voice of a block.
        ``deferred``: the families ``_prepare`` left to the mix, rendered together when one is first needed."""
        shape = _shape_of(voice)
        if shape.through_release:
            whole: np.ndarray = self._cached(_whole_key(voice), lambda: self._render_whole(voice))
            return whole[first:last]
        gate, needed = voice.gate, voice.length
        # a sample that runs out is rendered whole when it must grow: no note can need more
        longest = max(needed, voice.longest)  # rendered once for the whole piece, not grown note by note
        run = shape.run
        family = (deferred or {}).get(shape.pitched_key)
        raw = self._longest(shape.pitched_key, needed, lambda n: self._render_pitched(voice, run or max(n, longest)),
                            family)  # fmt: skip
        head = min(gate, needed)
        rise = self._longest(shape.rise_key, head, lambda length: envelope_rise(shape.env, length, self.rate))
        voiced = np.empty(last - first, dtype=np.float32) if out is None else out[: last - first]
        held_to = min(last, head)
        if first < held_to:
            np.multiply(raw[first:held_to], rise[first:held_to], out=voiced[: held_to - first])
        if last > gate:  # the release: the fall from full level, scaled to the level held at note-off
            fall = self._longest(shape.fall_key, needed - gate, lambda n: envelope_fall(shape.env, n, self.rate))
            start = max(first, gate)
            tail = voiced[start - first :]
            np.multiply(fall[start - gate : last - gate], rise[gate - 1], out=tail)
            np.multiply(tail, raw[start:last], out=tail)
        return voiced

    def _longest(self, key: tuple[object, ...], needed: int, render: Callable[[int], np.ndarray],
                 family: _Family | None = None) -> np.ndarray:  # fmt: skip
        """A cached waveform at least ``needed`` long; rendered with room to spare when it must grow, so longer
        notes later rarely render it again (with its ``family`` the first time, when it has one)."""
        found = self.cache.get(key)
        if found is not None and len(found) >= needed:
            return found
        if family is not None:
            with family.lock:  # the other stretch may be rendering it: wait, then take what it put
                found = self.cache.get(key)
                if found is not None and len(found) >= needed:
                    return found
                if not family.done:
                    family.done = True  # once: a member evicted later is rendered alone
                    waves = self._render_family(family.members)
                    for member, wave in waves:
                        self.cache.put(member, wave)
                    found = dict(waves)[key]
                    if len(found) >= needed:
                        return found
        found = render(needed if found is None else max(needed, 2 * len(found)))
        self.cache.put(key, found)
        return found

    def _render_whole(self, voice: _Voice) -> np.ndarray:
        spec = voice.spec
        sample = self.font.samples.get(spec.sample_index, 0)  # as far as planned: a read decodes what it lacks
        return render_voice(
            spec,
            sample,
            voice.event.key,
            gate_s=_quantized_gate(voice),
            rate=self.rate,
            fast_release=voice.fast_release,
        )

    def _render_pitched(self, voice: _Voice, length: int, source: BlockSpectra | None = None) -> np.ndarray:
        spec = voice.spec
        sample = self.font.samples.get(spec.sample_index, 0)
        return render_pitched(
            spec, sample, voice.event.key, rate=self.rate, length=self._pitched_length(voice, length), source=source
        )

    def _pitched_length(self, voice: _Voice, length: int) -> int:
        if _shape_of(voice).run is None:
            # whole filter blocks: a longer render then repeats a shorter one bit for bit
            return -(-length // FILTER_BLOCK) * FILTER_BLOCK
        return length

    def _render_family(self, family: list[tuple[tuple[object, ...], _Voice, int]]) -> list[Wave]:
        """The pitched waveforms of voices that read their sample alike (``family``: key, a voice, the length
        needed), from one read of the sample as long as the longest needs: only their filters differ."""
        voice = family[0][1]
        longest = max(self._pitched_length(v, n) for _, v, n in family)
        sample = self.font.samples.get(voice.spec.sample_index, 0)
        source = pitched_source(voice.spec, sample, voice.event.key, rate=self.rate, length=longest)
        spectra = BlockSpectra(source)  # the filters of the family's voices transform the read once
        waves: list[Wave] = []
        for key, v, n in family:
            wave = self._render_pitched(v, n, spectra)
            if len(wave) < len(source) and np.shares_memory(wave, source):
                wave = wave.copy()  # an unfiltered voice is a view: the cache must not keep the longer read alive
            waves.append((key, wave))
        return waves

    def _prepare(self, voices: list[_Voice], pool: Executor, piece: int) -> Deferred:
        """Render the waveforms these voices need and the cache lacks, several at once; the families of pitched
        waveforms left to the mix (when they outgrow the cache, even the room it may hold for ``piece``) are
        returned.

        The work is numpy array arithmetic, FFTs and Vorbis decoding, which release the GIL, so threads keep
        every core busy. Each pitched sample and each envelope rise is rendered once, as long as its longest
        note needs, so the mix that follows finds every waveform in the cache. Pitched samples that differ only
        in their filter (notes of one key at different velocities) are rendered together from one read.
        """
        jobs: dict[tuple[object, ...], tuple[int, Callable[[], list[Wave]]]] = {}
        longest: dict[tuple[object, ...], tuple[int, Callable[[int], np.ndarray]]] = {}
        pitched: dict[tuple[object, ...], tuple[int, _Voice]] = {}
        beside = 0  # bytes of the envelopes and whole voices rendered beside the pitched waveforms, or held already

        def need(key: tuple[object, ...], length: int, render: Callable[[int], np.ndarray]) -> None:
            if length > longest.get(key, (0, render))[0]:
                longest[key] = (length, render)

        def job(key: tuple[object, ...], render: Callable[[], np.ndarray]) -> Callable[[], list[Wave]]:
            return lambda: [(key, render())]

        for voice in voices:
            shape = _shape_of(voice)
            if shape.through_release:
                whole_key = _whole_key(voice)
                if whole_key not in jobs:
                    held = self.cache.get(whole_key)
                    if held is None:
                        jobs[whole_key] = (voice.length, job(whole_key, lambda v=voice: self._render_whole(v)))  # type: ignore[misc]
                    beside += 4 * voice.length if held is None else held.nbytes
                continue
            if voice.length > pitched.get(shape.pitched_key, (0, voice))[0]:
                pitched[shape.pitched_key] = (voice.length, voice)
            need(shape.rise_key, min(voice.gate, voice.length),
                 lambda n, e=shape.env: envelope_rise(e, n, self.rate))  # type: ignore[misc]  # fmt: skip
            if voice.length > voice.gate:  # as long as this piece's notes ring, not as long as any could
                need(shape.fall_key, voice.length - voice.gate,
                     lambda n, e=shape.env: envelope_fall(e, n, self.rate))  # type: ignore[misc]  # fmt: skip
        for key, (needed, render) in longest.items():
            found = self.cache.get(key)
            if found is None or len(found) < needed:
                jobs[key] = (needed // 8, job(key, lambda r=render, n=needed: r(n)))  # type: ignore[misc]
            beside += 4 * needed if found is None or len(found) < needed else found.nbytes
        families: dict[tuple[object, ...], list[tuple[tuple[object, ...], _Voice, int]]] = {}
        for key, (needed, voice) in pitched.items():  # in the order the piece first plays them
            found = self.cache.get(key)
            if found is None or len(found) < needed:
                families.setdefault(_source_key(voice), []).append((key, voice, needed))
            else:
                beside += found.nbytes
        sizes = {source_key: 4 * sum(self._pitched_length(v, n) for _, v, n in family)
                 for source_key, family in families.items()}  # fmt: skip
        fits = self.cache.reserve(piece, math.ceil((sum(sizes.values()) + beside) / FIT_SHARE))
        if not fits:  # room for what the mix reads at once, at least (working_set.py), the rest let go as it goes
            self.cache.reserve(piece, math.ceil(WINDOW_MARGIN * self._mix_window(voices, pitched, longest)))
        budget = math.inf if fits else self.cache.max_bytes * PREPARE_SHARE
        later: list[_Family] = []
        for source_key, size in sizes.items():
            budget -= size
            if budget < 0:  # the rest is rendered by the mix when it gets there, the cache's oldest let go
                later.append(_Family(families.pop(source_key)))
        for source_key, family in families.items():
            cost = max(n for _, _, n in family) + sum(n for _, _, n in family) // 2  # one read, a filter each
            jobs[source_key] = (cost, lambda f=family: self._render_family(f))  # type: ignore[misc]
        ordered = sorted(jobs.values(), key=lambda item: -item[0])  # longest first: the cores finish together
        for waves in pool.map(lambda item: item[1](), ordered):
            for job_key, wave in waves:
                self.cache.put(job_key, wave)
        return {key: family for family in later for key, _, _ in family.members}

    def _mix_window(self, voices: list[_Voice], pitched: dict[tuple[object, ...], tuple[int, _Voice]],
                    envelopes: dict[tuple[object, ...], tuple[int, Callable[[int], np.ndarray]]]) -> int:  # fmt: skip
        """The bytes of waveforms the mix of these voices reads at once, at most (``concurrent_bytes``), from the
        lengths ``_prepare`` found: each pitched waveform's by its longest voice, each envelope's."""
        sizes: dict[Hashable, int] = {key: 4 * needed for key, (needed, _) in envelopes.items()}
        sizes.update({key: 4 * self._pitched_length(voice, needed) for key, (needed, voice) in pitched.items()})
        spans: list[Span] = []
        for voice in voices:
            shape, start = _shape_of(voice), self._start(voice)
            if shape.through_release:
                whole_key = _whole_key(voice)
                sizes[whole_key] = 4 * voice.length
                spans.append((start, start + voice.length, (whole_key,)))
            else:
                keys = (shape.pitched_key, shape.rise_key, shape.fall_key)
                spans.append((start, start + voice.length, keys if voice.length > voice.gate else keys[:2]))
        return concurrent_bytes(spans, sizes, rate=self.rate, stretches=self.workers)

    def _cached(self, key: tuple[object, ...], make: Callable[[], np.ndarray]) -> np.ndarray:
        found = self.cache.get(key)
        if found is None:
            found = make()
            self.cache.put(key, found)
        return found


class Mixer:
    """Planned voices, mixed into channel-first buses a block at a time. Blocks may be mixed in any order and
    from several threads: each only reads the waveform cache."""

    def __init__(self, synth: Synthesizer, voices: list[_Voice], route: dict[str, str],
                 *, gains: dict[str, float], bus_sends: dict[str, float] | None = None,
                 deferred: Deferred | None = None, piece: object | None = None) -> None:  # fmt: skip
        self.synth = synth
        self.gains = gains  # each part's level: the sounds played beside the font (sound_design.py) take theirs
        self.deferred = deferred or {}
        # the room the cache holds for this piece's waveforms (``piece``: kept, so its id names no other), given
        # back when it is played (``close``) or the mixer dropped
        self.piece = piece if piece is not None else object()
        self.close = weakref.finalize(self, synth.cache.release, id(self.piece))
        self.voices = sorted(voices, key=lambda v: synth._start(v))
        self.starts = np.array([synth._start(v) for v in self.voices], dtype=np.int64)
        self.ends = self.starts + np.array([v.length for v in self.voices], dtype=np.int64)
        self.longest = int((self.ends - self.starts).max()) if self.voices else 0
        self.length = int(self.ends.max()) if self.voices else 0
        self.bus = [route.get(v.event.part, "mix") for v in self.voices]
        self.names = sorted(set(self.bus))
        self.weights: list[tuple[float, float]] = []
        self.sends: list[tuple[float, float]] = []  # (reverb, chorus) weights of each voice's mono send
        # by shape (which names the spec), part (the bus), expression and pan: a few thousand for 30 000 voices
        levels: dict[tuple[int, str, float, float], tuple[tuple[float, float], tuple[float, float]]] = {}
        for voice, bus in zip(self.voices, self.bus, strict=True):
            shape, event = _shape_of(voice), voice.event
            found = (id(shape), event.part, event.expression, event.pan)
            level = levels.get(found)
            if level is None:
                level = levels[found] = _levels(
                    voice, shape, gains.get(event.part, 1.0), (bus_sends or {}).get(bus, 0.0)
                )
            self.weights.append(level[0])
            self.sends.append(level[1])
        self.send_names = [name for k, name in enumerate((REVERB_SEND, CHORUS_SEND))
                           if any(send[k] for send in self.sends)]  # fmt: skip

    def mix_into(self, buses: dict[str, np.ndarray], start: int) -> None:
        """Add every voice sounding in samples [start, start + n) into ``buses`` (each (2, n), zeroed by the
        caller, one per name in ``names``), and into the mono sends among ``send_names`` that ``buses`` holds
        (each (n,))."""
        if not self.voices or not buses:
            return
        n = next(iter(buses.values())).shape[-1]
        sends = [(k, buses[name]) for k, name in enumerate((REVERB_SEND, CHORUS_SEND)) if name in buses]
        end = start + n
        first = int(np.searchsorted(self.starts, start - self.longest, side="left"))
        last = int(np.searchsorted(self.starts, end, side="left"))
        scratch = np.empty(n, dtype=np.float32)
        voiced = np.empty(n, dtype=np.float32)  # one buffer for every voice's samples: no allocation per voice
        for i in range(first, last):
            voice_start, voice_end = int(self.starts[i]), int(self.ends[i])
            if voice_end <= start:
                continue
            a, b = max(start, voice_start), min(end, voice_end)
            wave = self.synth.segment(
                self.voices[i], a - voice_start, b - voice_start, out=voiced, deferred=self.deferred
            )
            bus, tmp = buses[self.bus[i]], scratch[: b - a]
            for channel, weight in enumerate(self.weights[i]):
                if not weight:
                    continue
                np.multiply(wave, np.float32(weight), out=tmp)
                np.add(bus[channel, a - start : b - start], tmp, out=bus[channel, a - start : b - start])
            for k, send in sends:
                if self.sends[i][k]:
                    np.multiply(wave, np.float32(self.sends[i][k]), out=tmp)
                    np.add(send[a - start : b - start], tmp, out=send[a - start : b - start])


def _levels(voice: _Voice, shape: _Shape, part_gain: float,
            amount: float) -> tuple[tuple[float, float], tuple[float, float]]:  # fmt: skip
    """A voice's (left, right) weights in its bus and its (reverb, chorus) send weights, for a bus that sends
    ``amount`` of a typical voice."""
    gain = shape.gain * part_gain * voice.event.expression
    pan = max(-1.0, min(1.0, shape.pan + voice.event.pan))
    angle = (pan + 1.0) * math.pi / 4.0  # constant power: centre is -3 dB in each channel
    # a side of a stereo sample (MuseScore's piano, strings) is often hard-panned: the other channel's
    # weight is then exactly zero (cos(pi / 2) is 6e-17), and the mix skips it
    weights = (gain * math.cos(angle) if pan < 1.0 else 0.0, gain * math.sin(angle))
    centre = gain * math.sqrt(0.5)  # the send hears the voice as the centre of the mix does
    return weights, (centre * reverb_share(voice.spec, amount), centre * chorus_share(voice.spec, amount))


def _quantized_gate(voice: _Voice) -> float:
    return max(GATE_QUANTUM_S, round(voice.gate_s / GATE_QUANTUM_S) * GATE_QUANTUM_S)


def _gain(spec: VoiceSpec) -> float:
    """The voice's level: the font's attenuation, and the filter's passband gain (which every voice has)."""
    attenuation: float = 10.0 ** (-max(0.0, spec.gen(Gen.INITIAL_ATTENUATION)) / 200.0)
    return attenuation * filter_gain(spec.gen(Gen.INITIAL_FILTER_Q))


def _pitch_shape(spec: VoiceSpec) -> tuple[object, ...]:
    return tuple([pair for pair in spec.gens if pair[0] not in PITCH_UNREAD_GENS])  # the spec's pairs, not copies


def _source_key(voice: _Voice) -> tuple[object, ...]:
    """What a voice's read of its sample depends on: its pitched key without what only the filter reads (the
    modulation envelope and LFO too, unless they bend the pitch)."""
    _, sample_index, gens, key = _shape_of(voice).pitched_key
    assert isinstance(gens, tuple)
    values = dict(gens)
    unread = set(SHAPING_GENS)
    if not values.get(int(Gen.MOD_ENV_TO_PITCH)):
        unread |= MOD_ENV_GENS
    if not values.get(int(Gen.MOD_LFO_TO_PITCH)):
        unread |= MOD_LFO_GENS
    return ("source", sample_index, tuple(g for g in gens if g[0] not in unread), key)


def _shape_of(voice: _Voice) -> _Shape:
    assert voice.shape is not None, "voices are planned before they are rendered"
    return voice.shape


def _whole_key(voice: _Voice) -> tuple[object, ...]:
    shape = _shape_of(voice)
    return ("voice", shape.pitched_key, shape.rise_key, shape.fall_key, _quantized_gate(voice), voice.fast_release)


def _release_restruck_keys(voices: list[_Voice]) -> None:
    """A key struck again in the same part lets go of the note it still holds, which then rings out through its
    release, as a MIDI channel does (FluidSynth releases it): a guitar's strings restruck, not doubled. Measured on
    a rock piece's distortion-guitar strums, half of them restruck held keys: they sounded 2.4 dB over
    FluidSynth's playing of the same notes."""
    held: dict[tuple[str, int], list[_Voice]] = {}
    for voice in voices:  # in order of start
        event = voice.event
        group = (event.part, event.key)
        for earlier in held.get(group, []):
            if earlier.order != voice.order and earlier.event.start_s < event.start_s:
                earlier.gate_s = min(earlier.gate_s, event.start_s - earlier.event.start_s)
        held[group] = [v for v in held.get(group, []) if v.order == voice.order] + [voice]


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
