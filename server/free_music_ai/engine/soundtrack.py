"""The final soundtrack: the videos' own sound and the music (lowered under speech), at the target loudness.

Mixed in numpy at 48 kHz and measured with our BS.1770 meter, so the exported file lands on -14 LUFS with
true peaks at or below -1 dBTP whatever the mix of speech and music; the render then only encodes it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.loudness import FRAME_S, frame_energies, gated_lufs
from free_music_ai.engine.music.finish import limit_in_place
from free_music_ai.engine.music.level_reference import outside
from free_music_ai.engine.paged_audio import hand_back, stereo_buffer
from free_music_ai.engine.plan.ducking import DuckingPlan
from free_music_ai.engine.sound_stream import SoundStream
from free_music_ai.engine.stream_timing import first_sample_at, origin_in

RATE = 48_000


@dataclass(frozen=True)
class SoundPiece:
    """The sound under one visual segment: a file's audio from ``start_s``, or silence (``path`` None)."""

    path: Path | None
    start_s: float
    duration_s: float


def _decoded(path: Path, start_s: float, samples: int) -> Iterator[np.ndarray]:
    """The file's sound under a segment starting ``start_s`` into it, exactly ``samples`` long, in the blocks it
    decodes to; placed by its timestamps against the segment's first picture (stream_timing.py): a sound that
    starts late is preceded by silence, one that ends early is followed by it."""
    import av

    given = 0
    with av.open(str(path)) as container:
        if container.streams.audio:
            stream = container.streams.audio[0]
            origin = origin_in(container, start_s)
            if start_s > 0:
                container.seek(int(origin * 1_000_000), backward=True)
            resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
            skip = None
            try:
                for frame in container.decode(stream):
                    for piece in resampler.resample(frame):
                        data = piece.to_ndarray()
                        if skip is None:  # where the first sound decoded belongs: drop what comes before the origin
                            at = first_sample_at(frame.time, origin, RATE)
                            lead, skip = min(samples, max(0, at)), max(0, -at)
                            if lead:
                                yield np.zeros((2, lead), dtype=np.float32)
                                given = lead
                        if skip:
                            cut = min(skip, data.shape[1])
                            data, skip = data[:, cut:], skip - cut
                        take = min(samples - given, data.shape[1])
                        if take > 0:
                            yield np.ascontiguousarray(data[:, :take], dtype=np.float32)
                            given += take
                    if given >= samples:
                        break
            except av.FFmpegError:
                pass  # keep what decoded
    if given < samples:
        yield np.zeros((2, samples - given), dtype=np.float32)


def _pieces(pieces: list[SoundPiece]) -> Iterator[np.ndarray]:
    for piece in pieces:
        samples = round(piece.duration_s * RATE)
        if piece.path is None:
            yield np.zeros((2, samples), dtype=np.float32)
        else:
            yield from _decoded(piece.path, piece.start_s, samples)


def original_sound_stream(pieces: list[SoundPiece]) -> SoundStream:
    """The videos' own sound, piece after piece, each exactly its segment's length, decoded as it is read."""
    return SoundStream(_pieces(pieces), sum(round(p.duration_s * RATE) for p in pieces))


def original_sound(pieces: list[SoundPiece]) -> np.ndarray:
    """The same, whole, channel-first (for sound decoded ahead of an export, and for analysis)."""
    length = sum(round(p.duration_s * RATE) for p in pieces)
    return SoundStream(_pieces(pieces), length).read(length)


BLOCK = 54 * 4800  # samples mixed at a time: 5.4 s, whole 100 ms loudness frames
OWN_SOUND_RAMP_S = 0.05  # a stretch of the videos' own sound set to another level reaches it over 50 ms, no click


def stretch_gain(stretches: Sequence[tuple[float, float, float]], start: int, length: int, *, rate: int) -> np.ndarray:
    """The gain of samples [start, start + length) of the videos' own sound: 1 outside the stretches, each
    stretch's share inside it, ramped over ``OWN_SOUND_RAMP_S`` at its edges."""
    at = (start + np.arange(length, dtype=np.float64)) / rate
    gain = np.ones(length, dtype=np.float64)
    for first, last, level in stretches:
        if last <= at[0] - OWN_SOUND_RAMP_S or first >= at[-1] + OWN_SOUND_RAMP_S:
            continue
        times = [first - OWN_SOUND_RAMP_S, first, last, last + OWN_SOUND_RAMP_S]
        gain *= np.interp(at, times, [1.0, level, level, 1.0])
    return gain.astype(np.float32)


def mix_soundtrack(
    original: SoundStream | None,
    music: SoundStream | None,
    *,
    original_volume: float,
    music_volume: float,
    ducking: DuckingPlan | None,
    total_s: float,
    target_lufs: float = -14.0,
    music_fade_in_s: float = 0.0,
    music_fade_out_s: float = 0.0,
    music_start_s: float = 0.0,
    original_stretches: Sequence[tuple[float, float, float]] = (),
    music_excess_db: float = 0.0,
    music_changed_s: Sequence[tuple[float, float]] = (),
) -> tuple[np.ndarray, float]:
    """(n, 2) audio exactly ``total_s`` long at the target loudness, and its loudness. The sources
    are read a block at a time, so the result is the only full-length buffer. With no ``original`` sound, a music
    volume under 1 lowers the target by as much (music 30%: 10.5 dB under it).

    ``music_fade_in_s`` brings the music up from silence over that time (an equal-power curve);
    ``music_fade_out_s`` takes it down to silence at the end of the video (a song cut short ends softly);
    ``music_start_s`` is where the music starts in the video ("start the music at 0:05"): silence before it;
    ``original_stretches`` set the videos' own sound to a share of its level for stretches (from, to, share);
    ``music_excess_db``: how much louder than its nominal loudness the music's asked moments made it (a lifted
    second half: engine/music/level_reference.py); the mix is levelled as if it played at its nominal loudness, so
    the part of it nobody asked to change stays where it was; ``music_changed_s`` are the spans (s, the music's
    own time) those moments changed, where the limiter may take level without it being made up on the rest.
    """
    total = round(total_s * RATE)
    audio = stereo_buffer(total)  # a long one lives in a file, a block at a time in memory
    offset = min(total, round(music_start_s * RATE))
    length = min(total - offset, music.length) if music is not None and music_volume > 0 else 0
    fade_in = min(length, round(music_fade_in_s * RATE))
    fade_out = min(length, round(music_fade_out_s * RATE))
    energies = []  # the loudness meter's frames, measured as the blocks are made (never on the whole at once)
    alone: list[np.ndarray] | None = [] if music is not None and music_excess_db else None
    for start in range(0, total, BLOCK):
        end = min(total, start + BLOCK)
        block = audio[start:end]
        if original is not None and original_volume > 0:
            own = original.read(end - start).T * np.float32(original_volume)
            if original_stretches:
                own *= stretch_gain(original_stretches, start, end - start, rate=RATE)[:, None]
            block += own
        first, upto = max(start, offset), min(end, offset + length)
        if music is not None and first < upto:  # the music's samples, in its own time from ``offset``
            gain = _music_gain(ducking, first - offset, upto - offset, length, fade_in, fade_out)
            if ducking is not None and original_stretches:  # no dip for a voice muted there, half for one halved
                own = np.minimum(stretch_gain(original_stretches, first, upto - first, rate=RATE), 1.0)
                dip = _music_gain(ducking, first - offset, upto - offset, length, 0, 0)
                gain *= (dip + (1.0 - dip) * (1.0 - own)) / np.maximum(dip, 1e-6)
            part = music.read(upto - first).T * (gain * np.float32(music_volume))[:, None]
            block[first - start : upto - start] += part
            if alone is not None:  # the music's share of the block's loudness
                heard = np.zeros_like(block)
                heard[first - start : upto - start] = part
                alone.append(frame_energies(heard, RATE))
        elif alone is not None:
            alone.append(np.zeros(len(block) // round(FRAME_S * RATE)))
        energies.append(frame_energies(block, RATE))
        hand_back(audio, start, end)
    # its true peak is not measured: the encoded file's is, which is the one a player hears (encoded_peak.py)
    measured = np.concatenate(energies) if energies else None
    if original is None:
        target_lufs += alone_db(music_volume)
    kept = None
    if measured is not None and alone:
        target_lufs += _music_excess(measured, np.concatenate(alone), music_excess_db)
        kept = outside([(a + offset / RATE, b + offset / RATE) for a, b in music_changed_s], len(measured))
    lufs = limit_in_place(audio, RATE, target_lufs, energies=measured, kept=kept)
    return audio, lufs


def alone_db(music_volume: float) -> float:
    """How far under the target a video with no sound of its own is heard: the music is its whole soundtrack, and its
    volume is the file's level (levelled to the target, "music 30%" was heard at full: the reply said it was
    lowered, the file did not change). Never over the target."""
    return 20.0 * math.log10(music_volume) if 0.0 < music_volume < 1.0 else 0.0


def _music_excess(mix: np.ndarray, music: np.ndarray, excess_db: float) -> float:
    """How much louder the ``mix`` measures (frame energies) than it would with the ``music`` in it at its nominal
    loudness: the whole of ``excess_db`` for the music alone, less under a voice."""
    nominal = np.maximum(mix - music * (1.0 - 10.0 ** (-excess_db / 10.0)), 0.0)
    offset = gated_lufs(mix) - gated_lufs(nominal)
    return offset if math.isfinite(offset) else 0.0


def _music_gain(ducking: DuckingPlan | None, start: int, end: int, length: int, fade_in: int,
                fade_out: int) -> np.ndarray:  # fmt: skip
    """The music's gain for samples [start, end): the ducking, the fade in and the fade out."""
    gain = ducking.gain(RATE, end - start, start) if ducking is not None else np.ones(end - start, np.float32)
    at = np.arange(start, end)
    if fade_in and start < fade_in:
        head = at < fade_in
        gain[head] *= np.sin(at[head] / fade_in * (np.pi / 2)).astype(np.float32)
    if fade_out and end > length - fade_out:
        tail = at >= length - fade_out
        gain[tail] *= np.cos((at[tail] - (length - fade_out)) / fade_out * (np.pi / 2)).astype(np.float32)
    return gain
