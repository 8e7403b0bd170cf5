"""A loaded SoundFont: which voices a note starts, with every generator resolved."""

from __future__ import annotations

import math
import mmap
import threading
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path

from free_music_ai.engine.soundfont.events import Vibrato
from free_music_ai.engine.soundfont.generators import DEFAULTS, Gen, combine
from free_music_ai.engine.soundfont.hydra import Hydra, Preset, SampleHeader, Zone, parse_hydra
from free_music_ai.engine.soundfont.modulators import DEFAULT_MODULATORS, Modulator, evaluate, merge
from free_music_ai.engine.soundfont.riff import read_chunks
from free_music_ai.engine.soundfont.sample_tuning import retuned
from free_music_ai.engine.soundfont.samples import SampleStore
from free_music_ai.errors import SoundFontError

DRUM_BANK = 128
ATTENUATION_SCALE = 0.4
CUTOFF_QUANTUM_CENTS = 100
SWEEP_QUANTUM_CENTS = 200
# The volume envelope's release to 10 timecents (its time to 0.6 %: 0.3 dB at most where it has fallen 90 dB). Fonts
# move it with velocity (MuseScore_General's piano about 10 timecents a step), and the synthesizer keeps one fall
# curve per release (synth.py): 600 s of pop on MuseScore asked for 453 of them, 52 MB of the waveform cache's
# 256, which then let go of waveforms the piece played again and rendered them twice (0.66 s of CPU); to
# 10 timecents, 140 curves and 19 MB, and the piece's waveforms fit.
RELEASE_QUANTUM_TIMECENTS = 10
# Velocity moves a voice's loudness (a scalar the mixer applies) and its filter (which makes a new waveform).
# The filter follows the velocity in steps of this many: MuseScore's piano opens its filter's sweep 50 cents a
# velocity step, so a humanized piano part made nearly every note its own waveform (370 for 317 notes in two
# minutes), rendered and filtered note by note. Two notes a few steps apart differ by a fraction of a tone in
# their cutoff, which no one hears beside the loudness difference they keep.
TIMBRE_VELOCITY_STEP = 8
# what the velocity's filter step carries over: the filter and the modulation envelope that moves it (fonts
# move its decay with velocity too: MuseScore's saw lead a few timecents a step, every note its own waveform)
FILTER_GENS = (Gen.INITIAL_FILTER_FC, Gen.INITIAL_FILTER_Q, Gen.MOD_ENV_TO_FILTER_FC, Gen.MOD_LFO_TO_FILTER_FC,
               Gen.DELAY_MOD_ENV, Gen.ATTACK_MOD_ENV, Gen.HOLD_MOD_ENV, Gen.DECAY_MOD_ENV, Gen.SUSTAIN_MOD_ENV,
               Gen.KEYNUM_TO_MOD_ENV_HOLD, Gen.KEYNUM_TO_MOD_ENV_DECAY)  # fmt: skip
_FILTER_GEN_SET = frozenset(int(gen) for gen in FILTER_GENS)
_ROUNDED_GENS = (Gen.INITIAL_FILTER_FC, Gen.MOD_ENV_TO_FILTER_FC, Gen.INITIAL_FILTER_Q, Gen.RELEASE_VOL_ENV)
Pair = tuple[int, float]  # a generator and its value


@dataclass(frozen=True)
class VoiceSpec:
    """One sample to play for a note, with all generators combined (instrument + preset)."""

    sample_index: int
    sample: SampleHeader
    gens: tuple[tuple[int, float], ...]  # generator values with the note's modulators added

    def gen(self, gen: Gen) -> float:
        return self._by_gen.get(gen, DEFAULTS.get(gen, 0))

    @cached_property
    def _by_gen(self) -> dict[int, float]:  # a voice reads a dozen generators: a lookup each, not a scan
        return dict(self.gens)


@dataclass(frozen=True)
class _Layer:
    """A preset zone over an instrument zone: the generators combined and the modulators merged, before a note's
    key and velocity move them."""

    gens: dict[int, float]
    instrument_mods: list[Modulator]
    pairs: tuple[Pair, ...]  # ``gens`` as the sorted pairs a voice's ``gens`` holds: the notes' voices share them
    position: dict[int, int]  # of each generator in ``pairs``


@dataclass(frozen=True)
class PresetInfo:
    bank: int
    program: int
    name: str


class SoundFont:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        try:
            with path.open("rb") as file:
                self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise SoundFontError(f"Cannot read the SoundFont {path}: {exc}. Check the path.") from None
        data = memoryview(self._map)
        chunks = read_chunks(data, self.name)
        parsed = parse_hydra(data, chunks, self.name)
        self.hydra: Hydra = replace(parsed, samples=retuned(self.name, parsed.samples))
        if not self.hydra.presets:
            raise SoundFontError(f"{self.name} has no presets. Use a General MIDI SoundFont.")
        self.samples = SampleStore(data, chunks["smpl"], self.hydra.samples, name=self.name)
        self._presets = {(p.bank, p.program): p for p in reversed(self.hydra.presets)}
        self._voice_cache: dict[tuple[int, int, int, int, Vibrato | None], tuple[VoiceSpec, ...]] = {}
        # the notes of a piece come back to a few velocities of each step: each resolved once (by preset, key and
        # velocity), and what a pair of zones gives every note resolved once for the font
        self._resolved: dict[tuple[int, int, int], tuple[VoiceSpec, ...]] = {}
        self._layers: dict[tuple[int, int, int], _Layer] = {}
        self._merged_preset_mods: dict[tuple[int, int], list[Modulator]] = {}
        self._zones: dict[tuple[int, int], tuple[tuple[int, Zone], ...]] = {}  # by instrument and key
        self._pairs: dict[Pair, Pair] = {}  # one of each generator value the modulators give (``_shared_pairs``)
        self._lock = threading.Lock()

    def presets(self) -> list[PresetInfo]:
        infos = (PresetInfo(p.bank, p.program, p.name) for p in self.hydra.presets)
        return sorted(infos, key=lambda info: (info.bank, info.program, info.name))

    def preset(self, bank: int, program: int) -> Preset:
        """The preset, or the General MIDI fallback: the same program in bank 0, then the first kit or piano."""
        for key in ((bank, program), (0, program) if bank != DRUM_BANK else (DRUM_BANK, 0), (bank, 0), (0, 0)):
            found = self._presets.get(key)
            if found is not None:
                return found
        return self.hydra.presets[0]

    def voices(self, bank: int, program: int, key: int, *, velocity: int,
               vibrato: Vibrato | None = None) -> tuple[VoiceSpec, ...]:  # fmt: skip
        cache_key = (bank, program, key, velocity, vibrato)
        found = self._voice_cache.get(cache_key)
        if found is None:
            if vibrato is not None:
                plain = self.voices(bank, program, key, velocity=velocity)
                found = tuple(_with_vibrato(spec, vibrato) for spec in plain)
            else:
                preset = self.preset(bank, program)
                own = self._resolved_once(preset, key, velocity)
                found = _timbre_of(own, self._resolved_once(preset, key, timbre_velocity(velocity)))
            with self._lock:
                self._voice_cache[cache_key] = found
        return found

    def _resolved_once(self, preset: Preset, key: int, velocity: int) -> tuple[VoiceSpec, ...]:
        cache_key = (id(preset), key, velocity)
        found = self._resolved.get(cache_key)
        if found is None:
            found = self._resolve(preset, key, velocity)
            with self._lock:
                self._resolved[cache_key] = found
        return found

    def _layer(self, preset: Preset, p: int, i: int) -> _Layer:
        """What preset zone ``p`` and its instrument's zone ``i`` give every note, whatever its key and velocity."""
        cache_key = (id(preset), p, i)
        found = self._layers.get(cache_key)
        if found is None:
            pzone = preset.zones[p]
            instrument = self.hydra.instruments[pzone.link]
            izone = instrument.zones[i]
            preset_gens = {**preset.global_gens, **pzone.gens}
            gens: dict[int, float] = dict(combine({**instrument.global_gens, **izone.gens}, preset_gens))
            # The E-mu hardware these fonts were voiced on scales the attenuation generator by 0.4 (as
            # FluidSynth does); the velocity modulator's centibels stay as they are.
            gens[Gen.INITIAL_ATTENUATION] = ATTENUATION_SCALE * gens.get(Gen.INITIAL_ATTENUATION, 0)
            instrument_mods = merge(merge(list(DEFAULT_MODULATORS), list(instrument.global_mods)), list(izone.mods))
            pairs = tuple(sorted(gens.items()))
            found = _Layer(gens, instrument_mods, pairs, {gen: at for at, (gen, _) in enumerate(pairs)})
            with self._lock:
                self._layers[cache_key] = found
        return found

    def _preset_mods(self, preset: Preset, p: int) -> list[Modulator]:
        """Preset zone ``p``'s modulators, merged with the preset's global ones once for the font."""
        cache_key = (id(preset), p)
        found = self._merged_preset_mods.get(cache_key)
        if found is None:
            found = merge(list(preset.global_mods), list(preset.zones[p].mods))
            with self._lock:
                self._merged_preset_mods[cache_key] = found
        return found

    def _zones_at(self, instrument: int, key: int) -> tuple[tuple[int, Zone], ...]:
        """The zones of instrument ``instrument`` (with their indexes) that take ``key``: a piano's zones are
        looked through once a key, not for every velocity a piece plays it at."""
        found = self._zones.get((instrument, key))
        if found is None:
            zones = enumerate(self.hydra.instruments[instrument].zones)
            found = tuple((i, zone) for i, zone in zones if zone.key_range[0] <= key <= zone.key_range[1])
            with self._lock:
                self._zones[(instrument, key)] = found
        return found

    def _resolve(self, preset: Preset, key: int, velocity: int) -> tuple[VoiceSpec, ...]:
        specs: list[VoiceSpec] = []
        for p, pzone in enumerate(preset.zones):
            if not pzone.matches(key, velocity):
                continue
            preset_mods = evaluate(self._preset_mods(preset, p), key, velocity)
            for i, izone in self._zones_at(pzone.link, key):
                if not izone.vel_range[0] <= velocity <= izone.vel_range[1]:
                    continue
                layer = self._layer(preset, p, i)
                gens = dict(layer.gens)
                instrument_mods = evaluate(layer.instrument_mods, key, velocity)
                for table in (instrument_mods, preset_mods):
                    for gen, amount in table.items():
                        gens[gen] = gens.get(gen, DEFAULTS.get(gen, 0)) + amount
                # A semitone of cutoff is inaudible on a static low-pass; rounding lets notes of nearby
                # velocities share one rendered waveform (the velocity modulator moves it ~19 cents a step).
                fc = gens.get(Gen.INITIAL_FILTER_FC, DEFAULTS[Gen.INITIAL_FILTER_FC])
                gens[Gen.INITIAL_FILTER_FC] = round(fc / CUTOFF_QUANTUM_CENTS) * CUTOFF_QUANTUM_CENTS
                # How far the modulation envelope opens the filter, which MuseScore's piano moves with velocity
                # (50 cents a step over a sweep of 3000 and more): to a whole tone, or nearly every note of a piece
                # is its own waveform (and a piano piece's waveforms outgrow the cache).
                sweep = gens.get(Gen.MOD_ENV_TO_FILTER_FC, 0)
                gens[Gen.MOD_ENV_TO_FILTER_FC] = round(sweep / SWEEP_QUANTUM_CENTS) * SWEEP_QUANTUM_CENTS
                # Resonance to the decibel (velocity moves the piano's by a fraction of one); below 0 dB it is 0 dB
                # (FluidSynth's clamp), so voices that differ only there sound alike
                gens[Gen.INITIAL_FILTER_Q] = max(0.0, round(gens.get(Gen.INITIAL_FILTER_Q, 0.0) / 10.0) * 10.0)
                # The release to RELEASE_QUANTUM_TIMECENTS (why: there)
                release = gens.get(Gen.RELEASE_VOL_ENV, DEFAULTS[Gen.RELEASE_VOL_ENV])
                gens[Gen.RELEASE_VOL_ENV] = round(release / RELEASE_QUANTUM_TIMECENTS) * RELEASE_QUANTUM_TIMECENTS
                moved = (*instrument_mods, *preset_mods, *_ROUNDED_GENS)
                specs.append(VoiceSpec(izone.link, self.hydra.samples[izone.link], self._pairs_of(gens, layer, moved)))
        return tuple(specs)

    def _pairs_of(self, gens: dict[int, float], layer: _Layer, moved: tuple[int, ...]) -> tuple[Pair, ...]:
        """``gens`` (``layer``'s, the generators ``moved`` set anew) as sorted pairs, each the one object every voice
        with that value holds. A minute of pop plays about 3 800 voices of 60 generators: as pairs of their own they
        were 140 000 tuples that outlived the planning, and Python's collector, counting them, traversed the whole
        heap twice while a piece was planned (0.1 s and more in the one-shot, whose heap holds its imports)."""
        if len(gens) == len(layer.pairs):  # the layer's generators: only the moved ones change
            out = list(layer.pairs)
            for gen in moved:
                at, value = layer.position[gen], gens[gen]
                if out[at][1] is not value:
                    out[at] = self._shared_pair(gen, value)
            return tuple(out)
        pairs: list[Pair] = []
        for gen, value in sorted(gens.items()):  # a modulator added generators the layer lacks
            where = layer.position.get(gen)
            held = layer.pairs[where] if where is not None else None
            pairs.append(held if held is not None and held[1] is value else self._shared_pair(gen, value))
        return tuple(pairs)

    def _shared_pair(self, gen: int, value: float) -> Pair:
        """The font's pair of ``gen`` and ``value``: the first one made, when it holds this value exactly (of its
        type, and its sign when zero)."""
        found = self._pairs.setdefault((gen, value), (gen, value))
        return found if _exactly(found[1], value) else (gen, value)


def _with_vibrato(spec: VoiceSpec, vibrato: Vibrato) -> VoiceSpec:
    """The voice with a player's vibrato added to the font's, as the SoundFont NRPNs add it (Vibrato)."""
    gens = dict(spec.gens)
    for target, offset in vibrato.offsets:
        gens[target.gen] = min(target.high, max(target.low, gens.get(target.gen, DEFAULTS.get(target.gen, 0)) + offset))
    return VoiceSpec(spec.sample_index, spec.sample, tuple(sorted(gens.items())))


def timbre_velocity(velocity: int) -> int:
    """The velocity whose filter a note plays: the middle of its step (1-8 -> 4, 9-16 -> 12, ...)."""
    step = TIMBRE_VELOCITY_STEP
    return min(127, (max(1, velocity) - 1) // step * step + step // 2)


def _timbre_of(voices: tuple[VoiceSpec, ...], timbre: tuple[VoiceSpec, ...]) -> tuple[VoiceSpec, ...]:
    """``voices`` with the filter (and modulation envelope) of ``timbre``, the same note at its step's velocity,
    when both play the same samples; a step that crosses into another velocity layer keeps the note's own."""
    if [v.sample_index for v in voices] != [t.sample_index for t in timbre]:
        return voices
    out = []
    for voice, model in zip(voices, timbre, strict=True):  # the pairs of both, not new ones (``_shared_pairs``)
        pairs = [pair for pair in voice.gens if pair[0] not in _FILTER_GEN_SET]
        pairs += [pair for pair in model.gens if pair[0] in _FILTER_GEN_SET]
        out.append(VoiceSpec(voice.sample_index, voice.sample, tuple(sorted(pairs, key=itemgetter(0)))))
    return tuple(out)


def _exactly(held: float, value: float) -> bool:
    """Whether two equal values are the same number: of one type, and of one sign when zero."""
    return held is value or (
        type(held) is type(value) and (value != 0 or math.copysign(1, held) == math.copysign(1, value))
    )


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, size: int) -> SoundFont:
    return SoundFont(path)


def load_soundfont(path: str | Path) -> SoundFont:
    """Parse once per process: later calls for the same unchanged file return the same object."""
    resolved = Path(path).expanduser().resolve()
    if not resolved.is_file():
        raise SoundFontError(f"No SoundFont at {resolved}. Check the path, or unset FMAI_SOUNDFONT.")
    stat = resolved.stat()
    return _load(resolved, stat.st_mtime_ns, stat.st_size)
