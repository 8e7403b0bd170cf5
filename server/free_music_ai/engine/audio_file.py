"""Writing files safely: never over an existing file, never half-written under the final name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from free_music_ai.engine.render.output_path import check_output_location, discard, publish, temporary_sibling

AUDIO_SUFFIXES = (".wav", ".flac")
WRITE_BLOCK = 1 << 18  # frames clipped and written at a time (5.5 s at 48 kHz): a long piece is never copied whole


def write_safely(requested: Path, suffixes: tuple[str, ...], writer: Callable[[Path], None], *,
                 exact: bool = False, seal: Callable[[Path], None] | None = None) -> Path:  # fmt: skip
    """Let ``writer`` fill a temporary file beside the target (``seal`` finish it there), then publish it under a
    free name (``exact``: under that name, else FileExistsError)."""
    target = check_output_location(requested, suffixes)
    temp = temporary_sibling(target)
    try:
        writer(temp)
        if seal is not None:
            seal(temp)
        return publish(temp, target, exact=exact)
    finally:
        discard(temp)


def write_audio(
    audio: np.ndarray, requested: Path, sample_rate: int, *, seal: Callable[[Path], None] | None = None
) -> Path:
    """Write (n, 2) float audio as 24-bit WAV or FLAC (by the name); return the path it got."""
    import soundfile

    def writer(temp: Path) -> None:
        fmt = "FLAC" if temp.suffix.lower() == ".flac" else "WAV"
        channels = 1 if audio.ndim == 1 else audio.shape[1]
        with soundfile.SoundFile(str(temp), "w", sample_rate, channels, subtype="PCM_24", format=fmt) as file:
            for start in range(0, len(audio), WRITE_BLOCK):
                file.write(np.clip(audio[start : start + WRITE_BLOCK], -1.0, 1.0))

    return write_safely(requested, AUDIO_SUFFIXES, writer, seal=seal)
