"""One voice, rendered whole with numpy: a sample resampled to pitch, looped, shaped by its envelope and filter.

Everything a voice's waveform depends on is known when the note starts (we render offline), so a voice is
computed in one vectorized pass instead of block by block. Loudness (attenuation, velocity) and pan are
not applied here: they are scalars the mixer applies, which lets identical waveforms be reused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from free_music_ai.engine.soundfont.font import VoiceSpec
from free_music_ai.engine.soundfont.generators import Gen
from free_music_ai.engine.soundfont.lowpass import FILTER_BLOCK, HEAD, BlockSpectra, lowpass, lowpass_head
from free_music_ai.engine.soundfont.modulation import (
    CONTROL_STEP,
    Modulation,
    bank_levels,
    heard_shares,
    modulation_of,
)
from free_music_ai.engine.soundfont.samples import SampleData

SILENCE_DB = -90.0  # a voice ends when its envelope falls this far below full level
# The volume envelope's full scale: FluidSynth's 96 dB (the spec says 100 % = 100 dB), so a decay or release
# falls 96 dB in its time and a sustain of 100 cB is 9.6 dB down, as the fonts were voiced on it.
FULL_SCALE_DROP_DB = 96.0
MIN_RELEASE_TIMECENTS = -7200.0  # FluidSynth's shortest release, 16 ms: a shorter one would click
# A looped voice rings for as long as its release lasts: its release is held to 40 s, past the longest of both
# fonts' General MIDI presets (FluidR3's steel guitar 25 s, MuseScore's bright piano 35 s), to bound the work
# one note of some other font can cost.
# A voice that plays its sample once ends with the sample, so it keeps its font's release up to FluidSynth's
# limit (a crash cymbal's 30 s). An 8 s bound cut their ring short: 8 dB quieter than FluidSynth 1 s after
# note-off. Measured on a minute of solo piano, rock and corporate: no voice lasts longer for it.
MAX_RELEASE_S = 40.0
MAX_RELEASE_TIMECENTS = 8000.0
FAST_RELEASE_S = 0.012  # a voice cut by its exclusive class (an open hi-hat choked by a closed one)


@dataclass(frozen=True)
class Envelope:
    delay: float
    attack: float
    hold: float
    decay: float
    sustain_db: float  # <= 0
    release: float


def _seconds(timecents: float) -> float:
    return float(2.0 ** (max(-12000.0, min(8000.0, timecents)) / 1200.0))


def envelope_of(spec: VoiceSpec, key: int) -> Envelope:
    offset = 60 - key  # key-number scaling: lower notes hold and decay longer when the font asks for it
    return Envelope(
        delay=_seconds(spec.gen(Gen.DELAY_VOL_ENV)),
        attack=_seconds(spec.gen(Gen.ATTACK_VOL_ENV)),
        hold=_seconds(spec.gen(Gen.HOLD_VOL_ENV) + spec.gen(Gen.KEYNUM_TO_VOL_ENV_HOLD) * offset),
        decay=_seconds(spec.gen(Gen.DECAY_VOL_ENV) + spec.gen(Gen.KEYNUM_TO_VOL_ENV_DECAY) * offset),
        sustain_db=-FULL_SCALE_DROP_DB * max(0.0, min(1000.0, spec.gen(Gen.SUSTAIN_VOL_ENV))) / 1000.0,
        release=_release_s(spec),
    )


def _release_s(spec: VoiceSpec) -> float:
    release = _seconds(max(MIN_RELEASE_TIMECENTS, min(MAX_RELEASE_TIMECENTS, spec.gen(Gen.RELEASE_VOL_ENV))))
    return min(MAX_RELEASE_S, release) if int(spec.gen(Gen.SAMPLE_MODES)) & 1 else release


def pitch_step(spec: VoiceSpec, sample: SampleData, key: int, *, out_rate: int) -> float:
    """Source samples to advance per output sample."""
    root = int(spec.gen(Gen.OVERRIDING_ROOT_KEY))
    if root < 0:
        root = spec.sample.original_pitch if spec.sample.original_pitch <= 127 else 60
    forced = int(spec.gen(Gen.KEYNUM))
    played = forced if forced >= 0 else key
    semitones = (
        (played - root) * spec.gen(Gen.SCALE_TUNING) / 100.0
        + spec.gen(Gen.COARSE_TUNE)
        + (spec.gen(Gen.FINE_TUNE) + spec.sample.pitch_correction) / 100.0
    )
    return float(2.0 ** (semitones / 12.0) * sample.sample_rate / out_rate)


def _offsets(spec: VoiceSpec, sample: SampleData) -> tuple[int, int, int, int]:
    length = sample.length
    start = int(spec.gen(Gen.START_OFFSET) + 32768 * spec.gen(Gen.START_COARSE_OFFSET))
    end = length + int(spec.gen(Gen.END_OFFSET) + 32768 * spec.gen(Gen.END_COARSE_OFFSET))
    loop_start = sample.loop_start + int(
        spec.gen(Gen.START_LOOP_OFFSET) + 32768 * spec.gen(Gen.START_LOOP_COARSE_OFFSET)
    )
    loop_end = sample.loop_end + int(spec.gen(Gen.END_LOOP_OFFSET) + 32768 * spec.gen(Gen.END_LOOP_COARSE_OFFSET))
    end = max(1, min(length, end))
    start = max(0, min(end - 1, start))
    loop_start = max(start, min(end - 1, loop_start))
    loop_end = max(loop_start, min(end, loop_end))
    return start, end, loop_start, loop_end


def voice_length(env: Envelope, gate: int, rate: int, *, gain_db: float = 0.0) -> int:
    """Samples until the voice is silent: the release from the level held at note-off, or an early fade.
    ``gain_db``: the voice's own level (its attenuation, velocity and expression), which FluidSynth counts too
    when it lets a voice go: a quiet voice reaches silence sooner."""
    gain_db = min(0.0, gain_db)
    level_db = level_at_db(env, gate / rate) + gain_db
    if level_db <= SILENCE_DB:
        return min(gate, _silent_while_held(env, gain_db, rate))
    return gate + math.ceil(env.release * (level_db - SILENCE_DB) / FULL_SCALE_DROP_DB * rate) + 1


def _silent_while_held(env: Envelope, gain_db: float, rate: int) -> int:
    """The sample where a held voice's decay takes it below silence (a long-held piano note dies away on its
    own, as FluidSynth lets it go); a voice whose sustain stays above silence never is."""
    if env.sustain_db + gain_db > SILENCE_DB:
        return 2**62
    fall_db = max(0.0, -SILENCE_DB + gain_db)  # the decay's drop from full level that reaches silence
    return math.ceil((env.delay + env.attack + env.hold + env.decay * fall_db / FULL_SCALE_DROP_DB) * rate) + 1


def level_at_db(env: Envelope, t: float) -> float:
    if t < env.delay:
        return -200.0
    t -= env.delay
    if t < env.attack:
        return 20 * math.log10(max(1e-10, t / env.attack))
    t -= env.attack + env.hold
    if t <= 0:
        return 0.0
    return max(env.sustain_db, -FULL_SCALE_DROP_DB * t / env.decay)


def envelope_curve(env: Envelope, gate: int, length: int, *, rate: int) -> np.ndarray:
    """The volume envelope, sample by sample: the rise while the key is held, then the fall from the level
    reached at note-off."""
    curve = np.empty(length, dtype=np.float32)
    held_for = min(gate, length)
    curve[:held_for] = envelope_rise(env, held_for, rate)
    if gate < length:
        held = curve[gate - 1] if gate > 0 else np.float32(0.0)
        curve[gate:] = held * envelope_fall(env, length - gate, rate)
    return curve


def envelope_rise(env: Envelope, length: int, rate: int) -> np.ndarray:
    """Delay, attack, hold, decay to the sustain level, as if the key were held ``length`` samples. It does not
    depend on when the key is let go, so voices of every length share one rise: each takes its first samples.

    Computed piecewise, so only the moving parts cost anything.
    """
    curve = np.zeros(length, dtype=np.float32)
    delay_end = min(length, round(env.delay * rate))
    attack = max(1, round(env.attack * rate))
    attack_end = min(length, delay_end + attack)
    hold_end = min(length, attack_end + round(env.hold * rate))
    if attack_end > delay_end:  # linear in amplitude, as the spec says; a note let go before its peak stops short
        curve[delay_end:attack_end] = np.arange(1, attack_end - delay_end + 1, dtype=np.float32) / np.float32(attack)
    curve[attack_end:hold_end] = 1.0
    if hold_end < length:
        sustain = np.float32(10.0 ** (env.sustain_db / 20.0))
        per_sample = FULL_SCALE_DROP_DB / (env.decay * rate) * math.log(10) / 20.0
        reach = min(length - hold_end, math.ceil(-env.sustain_db / FULL_SCALE_DROP_DB * env.decay * rate))
        curve[hold_end : hold_end + reach] = np.exp(-per_sample * np.arange(reach, dtype=np.float32))
        curve[hold_end + reach :] = sustain
        np.maximum(curve[hold_end:], sustain, out=curve[hold_end:])
    return curve


def envelope_fall(env: Envelope, length: int, rate: int) -> np.ndarray:
    """The release after note-off, from full level: a voice scales it by the level it held then."""
    per_sample = FULL_SCALE_DROP_DB / (env.release * rate) * math.log(10) / 20.0
    fall: np.ndarray = np.exp(-per_sample * np.arange(1, length + 1, dtype=np.float32))
    return fall


def longest_fall(env: Envelope, rate: int) -> int:
    """The most samples a release can last: from full level down to silence (``voice_length`` at 0 dB)."""
    return math.ceil(env.release * -SILENCE_DB / FULL_SCALE_DROP_DB * rate) + 1


def positions(
    step: float,
    start: int,
    end: int,
    *,
    loop_start: int,
    loop_end: int,
    mode: int,
    gate: int,
    length: int,
    bent: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Source positions per output sample, wrapped in the loop; and which samples are in the looping phase.
    ``bent`` is how far the note has read when its pitch moves (vibrato, a pitch envelope)."""
    advance = np.arange(length, dtype=np.float64) * step if bent is None else bent
    p = start + advance
    looping = np.zeros(length, dtype=bool)
    loop_len = loop_end - loop_start
    if mode in (1, 3) and loop_len >= 2:
        looping = p >= loop_end if mode == 1 else (p >= loop_end) & (np.arange(length) < gate)
        p[looping] = loop_start + np.mod(p[looping] - loop_start, loop_len)
        if mode == 3 and gate < length:  # loop until release, then play on to the end of the sample
            anchor = p[gate - 1] + (advance[gate] - advance[gate - 1]) if gate > 0 else p[0]
            p[gate:] = anchor + (advance[gate:] - advance[gate])
    return p, looping


def interpolate(audio: np.ndarray, p: np.ndarray, looping: np.ndarray, *, loop_start: int, loop_end: int,
                padded: np.ndarray | None = None, out: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """4-point cubic (Catmull-Rom): cheap with numpy, and far cleaner than linear when pitching down.

    The four taps are read from one padded copy of the sample (``padded_sample``, made by the caller once for a
    long note read a chunk at a time) through shifted views, so the common case needs no index arithmetic; only
    the few looping positions whose taps cross the loop end are read again, wrapped. Written into ``out`` when
    given.
    """
    last = len(audio) - 1
    base = p.astype(np.int64)  # positions are never negative: truncation is the floor
    if len(base) and int(base.max()) > last:  # read past the sample's end (never, as voices are planned)
        base = np.floor(p).astype(np.int64)
        return _cubic(_clipped_taps(audio, base, looping, loop_start, loop_end), (p - base).astype(np.float32), out)
    frac = (p - base).astype(np.float32)
    if padded is None:
        padded = padded_sample(audio)
    taps = [np.take(padded[k:], base, mode="clip") for k in range(4)]  # never clipped (within the sample): faster
    edge = np.flatnonzero(looping & (base >= loop_end - 2)) if loop_end - loop_start >= 1 else np.zeros(0, np.int64)
    if len(edge):
        for tap, wrapped in zip(taps, _clipped_taps(audio, base[edge], looping[edge], loop_start, loop_end),
                                strict=True):  # fmt: skip
            tap[edge] = wrapped
    return _cubic(taps, frac, out)


def padded_sample(audio: np.ndarray) -> np.ndarray:
    """``audio[-1 .. last + 2]``, its edges repeated: what ``interpolate`` reads its taps from. A copy of the whole
    sample, so a long note's chunks share one."""
    last = len(audio) - 1
    padded = np.empty(len(audio) + 3, dtype=np.float32)
    padded[0], padded[1:-2], padded[-2:] = audio[0], audio, audio[last]
    return padded


def _clipped_taps(audio: np.ndarray, base: np.ndarray, looping: np.ndarray, loop_start: int,
                  loop_end: int) -> list[np.ndarray]:  # fmt: skip
    """The four taps around ``base``, wrapped into the loop where looping, clamped to the sample."""
    last = len(audio) - 1
    loop_len = max(1, loop_end - loop_start)
    taps = []
    for offset in (-1, 0, 1, 2):
        index = base + offset
        if looping.any():
            index = np.where(looping & (index >= loop_end), index - loop_len, index)
        taps.append(audio[np.clip(index, 0, last)])
    return taps


def _cubic(taps: list[np.ndarray], frac: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The Catmull-Rom polynomial, each step in place on the few arrays it needs (a fresh array per step cost
    more than the arithmetic); the same operations in the same order as the formula, to the bit."""
    xm1, x0, x1, x2 = taps
    scratch = np.empty_like(x0)
    c1 = np.subtract(x1, xm1)
    c1 *= np.float32(0.5)  # c1 = 0.5 * (x1 - xm1)
    c2 = np.subtract(xm1, np.multiply(x0, np.float32(2.5), out=scratch))
    c2 += np.multiply(x1, np.float32(2.0), out=scratch)
    c2 -= np.multiply(x2, np.float32(0.5), out=scratch)  # c2 = xm1 - 2.5 * x0 + 2.0 * x1 - 0.5 * x2
    c3 = np.subtract(x2, xm1)
    c3 *= np.float32(0.5)
    c3 += np.multiply(np.subtract(x0, x1, out=scratch), np.float32(1.5), out=scratch)  # 0.5 (x2 - xm1) + 1.5 (x0 - x1)
    c3 *= frac
    c3 += c2
    c3 *= frac
    c3 += c1
    c3 *= frac  # ((c3 * frac + c2) * frac + c1) * frac + x0
    result: np.ndarray = np.add(c3, x0, out=out if out is not None else c3)
    return result


def plays_through_release(spec: VoiceSpec) -> bool:
    """Loop-until-release voices read different sample positions depending on when the note ends."""
    return int(spec.gen(Gen.SAMPLE_MODES)) & 3 == 3


def voice_envelope_of(spec: VoiceSpec, key: int, fast_release: bool) -> Envelope:
    """The envelope a voice plays: the font's, with a quick release when its key was cut off by another."""
    env = envelope_of(spec, key)
    if fast_release:
        env = Envelope(env.delay, env.attack, env.hold, env.decay, env.sustain_db, FAST_RELEASE_S)
    return env


def voice_envelope(spec: VoiceSpec, key: int, gate_s: float, *, rate: int, fast_release: bool) -> np.ndarray:
    """The voice's envelope from note-on until the release has died away (its length is the voice's)."""
    env = voice_envelope_of(spec, key, fast_release)
    gate = max(1, round(gate_s * rate))
    return envelope_curve(env, gate, voice_length(env, gate, rate), rate=rate)


def sample_run_length(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int) -> int | None:
    """How many output samples the unlooped sample lasts at this pitch; None when it loops forever."""
    start, end, loop_start, loop_end = _offsets(spec, sample)
    if int(spec.gen(Gen.SAMPLE_MODES)) & 3 == 1 and loop_end - loop_start >= 2:
        return None
    return max(1, int((end - 1 - start) / pitch_step(spec, sample, key, out_rate=rate)))


def reads_to_its_end(spec: VoiceSpec, sample: SampleData) -> bool:
    """Whether the voice may read its sample to the end, however long it plays: all but a looping sample's."""
    if int(spec.gen(Gen.SAMPLE_MODES)) & 3 != 1:
        return True
    _, _, loop_start, loop_end = _offsets(spec, sample)
    return loop_end - loop_start < 2


def frames_planned(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int, length: int) -> int:
    """How many of the sample's first frames a read of ``length`` output samples takes, at most: what is decoded
    before the notes are played (a read that goes further decodes the rest then). Only a looping sample's read
    stops short of its end; any other is read to its end (rendered whole, or on after note-off)."""
    if reads_to_its_end(spec, sample):
        return sample.length
    start, _, _, loop_end = _offsets(spec, sample)
    modulation = modulation_of(spec, key)
    bend = math.pow(2.0, (abs(modulation.env_to_pitch) + abs(modulation.vib_to_pitch) + abs(modulation.lfo_to_pitch))
                    / 1200.0)  # fmt: skip
    reach = start + math.ceil(length * pitch_step(spec, sample, key, out_rate=rate) * bend) + 4
    return min(sample.length, reach, loop_end + 3)  # a looping read never passes the loop's end (taps: 2 past it)


def render_pitched(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int, length: int,
                   source: BlockSpectra | None = None) -> np.ndarray:  # fmt: skip
    """The sample at the note's pitch, looped, modulated and filtered, without volume envelope (modes 0, 1).
    ``source``: ``pitched_source`` for this sample and key, at least ``length`` long, when it is made already
    (with its filter blocks' transforms, shared by the voices that read it)."""
    if source is None:
        return _shaped(pitched_source(spec, sample, key, rate=rate, length=length), modulation_of(spec, key), rate)
    return _shaped(source.signal[:length], modulation_of(spec, key), rate, source)


# What the filter and the tremolo read, and nothing before them: voices that differ only here (the velocity
# moves the cutoff) read their sample alike, so one ``pitched_source`` serves them all.
SHAPING_GENS = frozenset({int(Gen.INITIAL_FILTER_FC), int(Gen.INITIAL_FILTER_Q), int(Gen.MOD_ENV_TO_FILTER_FC),
                          int(Gen.MOD_LFO_TO_FILTER_FC), int(Gen.MOD_LFO_TO_VOLUME)})  # fmt: skip


def pitched_source(spec: VoiceSpec, sample: SampleData, key: int, *, rate: int, length: int) -> np.ndarray:
    """The sample read at the note's pitch, looped and bent, before its filter and tremolo. A longer read repeats
    a shorter one sample for sample, so the longest one serves every shorter note."""
    step = pitch_step(spec, sample, key, out_rate=rate)
    start, end, loop_start, loop_end = _offsets(spec, sample)
    mode = int(spec.gen(Gen.SAMPLE_MODES)) & 3
    p, looping = positions(step, start, end, loop_start=loop_start, loop_end=loop_end, mode=mode, gate=length,
                           length=length, bent=modulation_of(spec, key).advance(length, rate, step))  # fmt: skip
    return _interpolated(sample.audio_to(frames_read(p)), p, looping, loop_start, loop_end)


def frames_read(p: np.ndarray) -> int:
    """How many of a sample's first frames positions ``p`` read: the cubic's taps reach two past each."""
    return int(p.max()) + 3 if len(p) else 0


INTERPOLATE_CHUNK = 1 << 16  # positions interpolated at a time: the temporaries stay small for a long note


def _interpolated(audio: np.ndarray, p: np.ndarray, looping: np.ndarray, loop_start: int,
                  loop_end: int) -> np.ndarray:  # fmt: skip
    """``interpolate`` over a long note a chunk at a time (the same samples, a tenth of the memory)."""
    if len(p) <= INTERPOLATE_CHUNK:
        return interpolate(audio, p, looping, loop_start=loop_start, loop_end=loop_end)
    out = np.empty(len(p), dtype=np.float32)
    padded = padded_sample(audio)
    for first in range(0, len(p), INTERPOLATE_CHUNK):
        last = first + INTERPOLATE_CHUNK
        interpolate(
            audio,
            p[first:last],
            looping[first:last],
            loop_start=loop_start,
            loop_end=loop_end,
            padded=padded,
            out=out[first:last],
        )
    return out


def _shaped(wave: np.ndarray, modulation: Modulation, rate: int, spectra: BlockSpectra | None = None) -> np.ndarray:
    """The filter (still, or following the modulation envelope and LFO) and the LFO's tremolo."""
    if modulation.moves_filter:
        levels = bank_levels(*modulation.cutoff_range())
        points = modulation.cutoff_points(len(wave), rate)
        out = np.zeros(len(wave), dtype=np.float32)
        for level, heard in zip(levels, heard_shares(points, levels, len(wave), step=CONTROL_STEP), strict=True):
            if heard is None:
                continue
            first, share, held, last = heard
            if last <= HEAD:  # heard only in the first milliseconds
                filtered = lowpass_head(wave, level, modulation.q_cb, rate=rate)
            else:
                # the filter runs from the voice's start in whole blocks (a prefix of whole blocks filters as the
                # whole does, to the bit): a level heard only in the attack costs only the attack
                blocks = min(len(wave), -(-last // FILTER_BLOCK) * FILTER_BLOCK)
                filtered = lowpass(wave[:blocks], level, modulation.q_cb, rate=rate, spectra=spectra)
            drawn = first + len(share)
            out[first:drawn] += filtered[first:drawn] * share
            if last > drawn:  # where the cutoff stands still: one share for the rest
                out[drawn:last] += filtered[drawn:last] * held
        wave = out
    else:
        wave = lowpass(wave, modulation.cutoff, modulation.q_cb, rate=rate, spectra=spectra)
    gain = modulation.volume(len(wave), rate)
    if gain is not None:
        wave = wave * gain
    return wave


def render_voice(
    spec: VoiceSpec, sample: SampleData, key: int, *, gate_s: float, rate: int, fast_release: bool
) -> np.ndarray:
    """The whole voice at full level, rendered in one pass (any sample mode, loop-until-release included)."""
    envelope = voice_envelope(spec, key, gate_s, rate=rate, fast_release=fast_release)
    gate = max(1, round(gate_s * rate))
    length = len(envelope)
    step = pitch_step(spec, sample, key, out_rate=rate)
    start, end, loop_start, loop_end = _offsets(spec, sample)
    mode = int(spec.gen(Gen.SAMPLE_MODES)) & 3
    if mode not in (1, 3) or loop_end - loop_start < 2:  # no loop: the voice cannot outlast its sample
        length = min(length, max(1, int((end - 1 - start) / step)))
    modulation = modulation_of(spec, key)
    p, looping = positions(step, start, end, loop_start=loop_start, loop_end=loop_end, mode=mode, gate=gate,
                           length=length, bent=modulation.advance(length, rate, step))  # fmt: skip
    past_end = ~looping & (p >= end - 1)
    if past_end.any():  # loop-until-release plays on after note-off and may run out of sample
        length = max(1, int(np.argmax(past_end)))
        p, looping = p[:length], looping[:length]
    wave = interpolate(sample.audio_to(frames_read(p)), p, looping, loop_start=loop_start, loop_end=loop_end)
    wave *= envelope[:length]
    return _shaped(wave, modulation, rate)
