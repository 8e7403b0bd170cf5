"""The final soundtrack: the videos' own sound and the music (lowered under speech), at the target loudness.

Mixed in numpy at 48 kHz and measured with our BS.1770 meter, so the exported file lands on -14 LUFS with
true peaks at or below -1 dBTP whatever the mix of speech and music; the render then only encodes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.music.finish import normalize_in_place
from free_music_ai.engine.plan.ducking import DuckingPlan
from free_music_ai.engine.stream_timing import first_sample_at, origin_in

RATE = 48_000


@dataclass(frozen=True)
class SoundPiece:
    """The sound under one visual segment: a file's audio from ``start_s``, or silence (``path`` None)."""

    path: Path | None
    start_s: float
    duration_s: float


def _decode(path: Path, start_s: float, samples: int) -> np.ndarray:
    """The file's sound under a segment starting ``start_s`` into it, placed by its timestamps against the
    segment's first picture (stream_timing.py): a sound that starts late is preceded by silence."""
    import av

    out = np.zeros((2, samples), dtype=np.float32)
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return out
        stream = container.streams.audio[0]
        origin = origin_in(container, start_s)
        if start_s > 0:
            container.seek(int(origin * 1_000_000), backward=True)
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
        filled = 0
        skip = None
        try:
            for frame in container.decode(stream):
                for piece in resampler.resample(frame):
                    data = piece.to_ndarray()
                    if skip is None:  # where the first sound decoded belongs: drop what comes before the origin
                        at = first_sample_at(frame.time, origin, RATE)
                        filled, skip = min(samples, max(0, at)), max(0, -at)
                    if skip:
                        cut = min(skip, data.shape[1])
                        data, skip = data[:, cut:], skip - cut
                    take = min(samples - filled, data.shape[1])
                    out[:, filled : filled + take] = data[:, :take]
                    filled += take
                if filled >= samples:
                    break
        except av.FFmpegError:
            pass  # keep what decoded
    return out


def original_sound(pieces: list[SoundPiece]) -> np.ndarray:
    """The videos' own sound, piece after piece, each exactly its segment's length (channel-first)."""
    parts = []
    for piece in pieces:
        samples = round(piece.duration_s * RATE)
        parts.append(_decode(piece.path, piece.start_s, samples) if piece.path else np.zeros((2, samples), np.float32))
    return np.concatenate(parts, axis=1) if parts else np.zeros((2, 0), np.float32)


def mix_soundtrack(
    original: np.ndarray | None,
    original_volume: float,
    music: np.ndarray | None,
    music_volume: float,
    ducking: DuckingPlan | None,
    total_s: float,
    target_lufs: float = -14.0,
    music_fade_in_s: float = 0.0,
    music_fade_out_s: float = 0.0,
) -> tuple[np.ndarray, float, float]:
    """(n, 2) audio exactly ``total_s`` long at the target loudness; its loudness and true peak.

    ``music_fade_in_s`` brings the music up from silence over that time (an equal-power curve);
    ``music_fade_out_s`` takes it down to silence at the end of the video (a song cut short ends softly).
    """
    total = round(total_s * RATE)
    mix = np.zeros((2, total), dtype=np.float32)
    if original is not None and original_volume > 0:
        length = min(total, original.shape[1])
        mix[:, :length] += original[:, :length] * np.float32(original_volume)
    if music is not None and music_volume > 0:
        length = min(total, len(music))
        gain = ducking.gain(RATE, length) if ducking is not None else np.ones(length, np.float32)
        fade = min(length, round(music_fade_in_s * RATE))
        if fade > 0:
            gain[:fade] *= np.sin(np.linspace(0, np.pi / 2, fade, dtype=np.float32))
        fade_out = min(length, round(music_fade_out_s * RATE))
        if fade_out > 0:
            gain[length - fade_out :] *= np.cos(np.linspace(0, np.pi / 2, fade_out, dtype=np.float32))
        mix[:, :length] += music[:length].T * (gain * np.float32(music_volume))
    audio = np.ascontiguousarray(mix.T)
    del mix
    lufs, peak = normalize_in_place(audio, RATE, target_lufs)
    return audio, lufs, peak
