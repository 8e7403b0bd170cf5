"""Writing audio files safely: never over an existing file, never half-written under the final name."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from free_music_ai.engine.render.output_path import check_output_location, discard, publish, temporary_sibling

AUDIO_SUFFIXES = (".wav", ".flac")


def write_audio(audio: np.ndarray, requested: Path, sample_rate: int) -> Path:
    """Write (n, 2) float audio as 24-bit WAV or FLAC (by the name); return the path it got."""
    import soundfile

    target = check_output_location(requested, AUDIO_SUFFIXES)
    temp = temporary_sibling(target)
    try:
        subtype = "PCM_24"
        soundfile.write(str(temp), np.clip(audio, -1.0, 1.0), sample_rate, subtype=subtype,
                        format=target.suffix.lstrip(".").upper())  # fmt: skip
        return publish(temp, target)
    finally:
        discard(temp)
